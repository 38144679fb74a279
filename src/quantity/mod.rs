//! Layer 1, quantities: numbers with their units, bounds and distributions.
//!
//! - [`interval`]: a value with its min and max, propagated at the monotone extremes of inputs;
//! - [`units`]: the conversion constants (kWh, J, h, cm2, g) and unit-suffix parsing;
//! - [`impacts`]: the criteria (GWP kgCO2eq, ADP kgSbeq, PE MJ) and a triple of intervals;
//! - [`distribution`]: the distributions an uncertain input may follow;
//! - [`input`]: the scenario's numbers (with their domain checks and optional distribution);
//! - [`time`]: the one parser and printer of timestamps (RFC 3339, ISO 8601, Unix seconds);
//! - [`zone`]: time zones (fixed offsets and IANA zones) for local times;
//! - [`tape`]: the record of an assessment's arithmetic, re-evaluated per Monte Carlo sample;
//! - [`format`](mod@format): how numbers are written in reports and assumptions.
//!
//! Nothing here reads files or knows about scenarios, data or output.

pub mod distribution;
pub mod finite;
pub mod format;
pub mod impacts;
pub mod input;
pub mod interval;
pub mod tape;
pub mod time;
pub mod units;
pub mod zone;
