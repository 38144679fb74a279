//! mlca: life-cycle assessment of machine-learning compute.
//!
//! The crate is layered; each layer imports only from the layers before it (a test checks it):
//!
//! 1. [`quantity`]: intervals, units, distributions, time, the Monte Carlo tape;
//! 2. [`data`]: the embedded impact data, the catalog, name matching, provenance;
//! 3. [`scenario`]: the input model (every input enum) and its loading, located errors;
//! 4. [`energy`], [`electricity`], [`embodied`]: the method's three inputs;
//! 5. [`assessment`]: allocation and the typed report;
//! 6. [`uncertainty`]: Monte Carlo and sensitivity; [`cluster`]: every job's footprint from a
//!    scheduler's accounting;
//! 7. [`output`]: tables, JSON, CSV, Markdown, LaTeX, statements, plots;
//! 8. [`cli`]: the command line, the only layer that prints.
//!
//! [`error`] and [`choice`](mod@choice) are used by every layer.

pub mod choice;
pub mod error;

pub mod quantity;

pub mod data;

pub mod scenario;

pub mod electricity;
pub mod embodied;
pub mod energy;

pub mod assessment;

pub mod cluster;
pub mod uncertainty;

pub mod output;

pub mod cli;
