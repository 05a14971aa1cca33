//! gpuwise: GPU or CPU server, which instance family, and what architecture around it.
//!
//! The core (tree, loader, validator, engine, catalog) has no terminal code; the CLI and TUI
//! are thin shells over it.

pub mod assets;
pub mod cli;
pub mod diag;
pub mod engine;
pub mod expr;
pub mod format;
pub mod library;
pub mod prices;
pub mod recommend;
pub mod render;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod text;
pub mod tree;
pub mod tui;
pub mod vars;
