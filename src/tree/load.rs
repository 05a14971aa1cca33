//! YAML text to data, keeping line:col, within limits that make hostile files fail fast.

use crate::diag::{Diagnostic, Span};
use serde::de::DeserializeOwned;
use serde_saphyr::{Budget, DuplicateKeyPolicy, MessageFormatter, Options};

/// Limits on what a file may cost to load. A tree of 100k nodes fits; a billion-laughs file
/// or a 1 GB blob does not.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_file_bytes: usize,
    pub max_depth: usize,
    pub max_aliases: usize,
    pub max_events: usize,
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 32 * 1024 * 1024,
            max_depth: 64,
            max_aliases: 1_000,
            max_events: 20_000_000,
            max_nodes: 200_000,
        }
    }
}

/// Parses one YAML (or JSON) document into `T`, or says where and what went wrong.
pub fn parse_yaml<T: DeserializeOwned>(source: &str, limits: &Limits) -> Result<T, Diagnostic> {
    if source.len() > limits.max_file_bytes {
        return Err(Diagnostic::error(
            Span::UNKNOWN,
            format!(
                "file is {} bytes, over the limit of {} bytes",
                source.len(),
                limits.max_file_bytes
            ),
        ));
    }
    let mut budget = Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_aliases;
    budget.max_events = limits.max_events;
    budget.max_nodes = limits.max_events;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.strict_booleans = true;
    options.alias_limits.max_total_replayed_events = 100_000;
    serde_saphyr::from_str_with_options::<T>(source, options).map_err(|err| to_diagnostic(&err))
}

fn to_diagnostic(err: &serde_saphyr::Error) -> Diagnostic {
    let plain = err.without_snippet();
    let message = serde_saphyr::DefaultMessageFormatter.format_message(plain);
    let message: String = message.chars().filter(|c| !c.is_control()).collect();
    let span = plain.location().map(Span::from).unwrap_or(Span::UNKNOWN);
    let mut diag = Diagnostic::error(span, message);
    if diag.message.contains("budget") || diag.message.contains("alias") {
        diag = diag.with_hint("the file is too deep, too large or expands too many aliases; gpuwise refuses it rather than run out of memory");
    }
    diag
}
