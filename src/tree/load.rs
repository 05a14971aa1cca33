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

/// How a source is written: YAML as people write it, or the JSON build.rs makes of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    Yaml,
    Json,
}

pub fn parse_source<T: DeserializeOwned>(
    source: &str,
    format: SourceFormat,
    limits: &Limits,
) -> Result<T, Diagnostic> {
    match format {
        SourceFormat::Yaml => parse_yaml(source, limits),
        SourceFormat::Json => parse_json(source),
    }
}

/// Parses embedded JSON. It has no spans worth keeping: positions would name the JSON, not the
/// YAML a person wrote.
pub fn parse_json<T: DeserializeOwned>(source: &str) -> Result<T, Diagnostic> {
    serde_json::from_str(source)
        .map_err(|e| Diagnostic::error(Span::UNKNOWN, format!("embedded data does not load: {e}")))
}

thread_local! {
    /// Set while serde-saphyr deserializes, so [`crate::tree::At`] asks it for positions; other
    /// deserializers (JSON) have none to give.
    static SPANS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the current deserialization can report positions.
pub(crate) fn spans_available() -> bool {
    SPANS.get()
}

/// Resets the flag even if deserialization panics.
struct SpanScope;

impl SpanScope {
    fn enter() -> SpanScope {
        SPANS.set(true);
        SpanScope
    }
}

impl Drop for SpanScope {
    fn drop(&mut self) {
        SPANS.set(false);
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
    let _scope = SpanScope::enter();
    serde_saphyr::from_str_with_options::<T>(source, options).map_err(|err| to_diagnostic(&err))
}

fn to_diagnostic(err: &serde_saphyr::Error) -> Diagnostic {
    let plain = err.without_snippet();
    let message = serde_saphyr::DefaultMessageFormatter.format_message(plain);
    let mut message: String = message.chars().filter(|c| !c.is_control()).collect();
    // The crate's own advice names its API, which means nothing to a tree author.
    if let Some(key) = message
        .strip_prefix("duplicate mapping key: ")
        .and_then(|rest| rest.split(", set DuplicateKeyPolicy").next())
    {
        message = format!("duplicate key `{key}`: each id may appear once");
    }
    let over_budget = message.contains("budget") || message.contains("alias");
    let message = humanize(&message);
    let span = plain.location().map(Span::from).unwrap_or(Span::UNKNOWN);
    let mut diag = Diagnostic::error(span, message);
    if over_budget {
        diag = diag.with_hint("the file is too deep, too large or expands too many aliases; gpuwise refuses it rather than run out of memory");
    }
    diag
}

/// The parser's messages that name its own types or options, in words a tree author reads.
fn humanize(message: &str) -> String {
    if let Some(rest) = message.split("budget breached: ").nth(1) {
        let limit = rest.split([' ', '{', '(']).next().unwrap_or("");
        let what = match limit {
            "Documents" => {
                "the file holds more than one YAML document (`---`); a file holds one tree"
            }
            "Depth" => "the file is nested deeper than 64 levels",
            "Aliases" | "AliasAnchorRatio" => "the file uses more than 1,000 aliases",
            "ScalarBytes" => "the file's text values are too large in total",
            "Events" | "Nodes" => "the file has too many YAML nodes",
            _ => "the file is larger or more complex than gpuwise reads",
        };
        return what.to_string();
    }
    if let Some(rest) = message.strip_prefix("non-finite float `") {
        let value = rest.split('`').next().unwrap_or("");
        return format!("`{value}` is too large to be a number (it would be infinite)");
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IgnoredAny;

    #[test]
    fn parser_messages_read_as_words() {
        assert_eq!(
            humanize("budget breached: Documents { documents: 2 }"),
            "the file holds more than one YAML document (`---`); a file holds one tree"
        );
        assert_eq!(
            humanize("budget breached: ScalarBytes { total_scalar_bytes: 1, max: 0 }"),
            "the file's text values are too large in total"
        );
        assert_eq!(
            humanize("non-finite float `1e999` rejected by the configured policy"),
            "`1e999` is too large to be a number (it would be infinite)"
        );
        assert_eq!(humanize("missing field `id`"), "missing field `id`");
    }

    #[test]
    fn deep_nesting_is_refused_with_a_clear_error() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let err = parse_yaml::<IgnoredAny>(&deep, &Limits::default()).unwrap_err();
        assert!(err.message.contains("deeper than 64"), "{}", err.message);
        assert!(err.hint.is_some());
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in "bcdefghij".chars() {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
            prev = name;
        }
        let err = parse_yaml::<IgnoredAny>(&text, &Limits::default()).unwrap_err();
        assert!(err.hint.is_some(), "{}", err.message);
    }

    #[test]
    fn oversized_files_are_refused_before_parsing() {
        let limits = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        let err = parse_yaml::<IgnoredAny>("a: 123456789012", &limits).unwrap_err();
        assert_eq!(err.message, "file is 15 bytes, over the limit of 10 bytes");
    }
}
