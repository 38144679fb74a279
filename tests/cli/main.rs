//! Integration tests through the `mlca` binary: the seed's tables, the BoaviztAPI cross-check,
//! the bottom-up scenarios, the JSON contract and every kind of bad input.

// Tests abort on the first failure: unwrap and expect are the point here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

mod compare;
mod plots;
mod statement;
mod statement_latex;

mod bad_input;
mod bad_refs;
mod bad_scenarios;
mod bad_suite;
mod bad_traces;
mod bad_types;
mod boamps;
mod breakeven;
mod catalog;
mod catalog_complete;
mod cluster;
mod cluster_prometheus;
mod crosscheck;
mod electricity;
mod energy_terms;
mod equivalents;
mod extrapolate;
mod files;
mod papers;
mod partial;
mod plausible;
mod props;
mod quality_direction;
mod quantity_props;
mod real_files;
mod seed;
mod snapshots;
mod tool_traces;
mod traces;
mod uncertainty;
mod water;
