//! Where trees come from: shipped (embedded), the user's config directory, or a file path.

use crate::assets::{Assets, Embedded};
use crate::diag::{Diagnostic, FileReport, Span};
use crate::tree::Tree;
use crate::tree::load::{Limits, SourceFormat, parse_source};
use crate::tree::validate::validate_tree;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The trees shipped inside the binary: id, file name and the JSON build.rs made of it
/// (gpu-memory deflated). A shipped tree's id is its file name (tests/shipped.rs checks it).
pub const SHIPPED_TREES: &[(&str, &str, Embedded)] = &[
    (
        "gpu-or-cpu",
        "trees/gpu-or-cpu.yaml",
        Embedded::Json(include_str!(concat!(
            env!("OUT_DIR"),
            "/trees/gpu-or-cpu.json"
        ))),
    ),
    (
        "quick-check",
        "trees/quick-check.yaml",
        Embedded::Json(include_str!(concat!(
            env!("OUT_DIR"),
            "/trees/quick-check.json"
        ))),
    ),
    (
        "gpu-memory",
        "trees/gpu-memory.yaml",
        Embedded::Deflated(include_bytes!(concat!(
            env!("OUT_DIR"),
            "/trees/gpu-memory.json.deflate"
        ))),
    ),
];

/// The tree `gpuwise` walks when none is named.
pub const DEFAULT_TREE: &str = "gpu-or-cpu";

#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display)]
#[strum(serialize_all = "lowercase")]
pub enum Origin {
    Shipped,
    User,
    File,
}

/// A tree's text and where it came from.
#[derive(Clone, Debug)]
pub struct TreeSource {
    pub name: String,
    pub text: String,
    pub origin: Origin,
}

impl TreeSource {
    /// Shipped trees are embedded as JSON; every other tree is YAML (or JSON, which YAML reads).
    pub fn format(&self) -> SourceFormat {
        match self.origin {
            Origin::Shipped => SourceFormat::Json,
            Origin::User | Origin::File => SourceFormat::Yaml,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "no tree `{name}`: not a shipped or user tree id, and no such file (known trees: {known})"
    )]
    NotFound { name: String, known: String },
}

/// `$XDG_CONFIG_HOME/gpuwise/trees`, or `~/.config/gpuwise/trees`.
pub fn user_tree_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("gpuwise").join("trees"))
}

pub fn read_file(path: &Path, origin: Origin) -> Result<TreeSource, LibraryError> {
    let bytes = std::fs::read(path).map_err(|source| LibraryError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| LibraryError::Read {
        path: path.display().to_string(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        ),
    })?;
    Ok(TreeSource {
        name: path.display().to_string(),
        text,
        origin,
    })
}

/// One shipped tree, decoded.
fn shipped_source(name: &str, data: Embedded) -> TreeSource {
    TreeSource {
        name: name.to_string(),
        text: data.text().into_owned(),
        origin: Origin::Shipped,
    }
}

pub fn shipped() -> Vec<TreeSource> {
    SHIPPED_TREES
        .iter()
        .map(|(_, name, data)| shipped_source(name, *data))
        .collect()
}

/// The user's tree files (`*.yaml`, `*.yml`), sorted; unreadable ones are returned as errors
/// so the others still load.
pub fn user_trees() -> Vec<Result<TreeSource, LibraryError>> {
    let Some(dir) = user_tree_dir() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    paths.iter().map(|p| read_file(p, Origin::User)).collect()
}

/// Every tree the wizard offers: the shipped ones, then the user's (unreadable files as errors).
pub fn all_sources() -> Vec<Result<TreeSource, LibraryError>> {
    let mut sources: Vec<_> = shipped().into_iter().map(Ok).collect();
    sources.extend(user_trees());
    sources
}

/// A YAML tree's id as written, without a full parse, to match `--tree NAME` cheaply.
fn declared_id(text: &str) -> Option<&str> {
    text.lines()
        .find_map(|l| l.strip_prefix("id:"))
        .map(|rest| rest.trim().trim_matches(['"', '\'']))
}

/// `--tree NAME|PATH`: a shipped id, then a user tree id, then a file path.
pub fn find(name: &str) -> Result<TreeSource, LibraryError> {
    let mut known: Vec<String> = Vec::new();
    for (id, file, data) in SHIPPED_TREES {
        if *id == name {
            return Ok(shipped_source(file, *data));
        }
        known.push(id.to_string());
    }
    for source in user_trees().into_iter().flatten() {
        if declared_id(&source.text) == Some(name) {
            return Ok(source);
        }
        known.extend(declared_id(&source.text).map(str::to_string));
    }
    let path = Path::new(name);
    if path.exists() {
        return read_file(path, Origin::File);
    }
    Err(LibraryError::NotFound {
        name: name.to_string(),
        known: known.join(", "),
    })
}

/// Parses and validates a tree; the report holds every problem found.
pub fn check(source: &TreeSource, assets: &Assets) -> (Option<Tree>, FileReport) {
    let limits = Limits::default();
    let mut report = FileReport::new(source.name.clone(), source.text.clone());
    match parse_source::<Tree>(&source.text, source.format(), &limits) {
        Err(diag) => report.diagnostics.push(diag),
        Ok(tree) => {
            report.diagnostics = validate_tree(&tree, assets, limits.max_nodes);
            return (Some(tree), report);
        }
    }
    (None, report)
}

/// Loads a tree for walking: it must have no errors (warnings are fine). Shipped trees are
/// only parsed: the test suite validates them from their YAML, and skipping it here keeps the
/// catalog out of the start-up path.
pub fn load(source: &TreeSource, assets: &Assets) -> Result<Arc<Tree>, FileReport> {
    if source.origin == Origin::Shipped
        && let Ok(tree) = parse_source::<Tree>(&source.text, source.format(), &Limits::default())
    {
        return Ok(Arc::new(tree));
    }
    match check(source, assets) {
        (Some(tree), report) if report.error_count() == 0 => Ok(Arc::new(tree)),
        (_, mut report) => {
            report.diagnostics.retain(Diagnostic::is_error);
            if report.diagnostics.is_empty() {
                report
                    .diagnostics
                    .push(Diagnostic::error(Span::UNKNOWN, "the tree did not load"));
            }
            Err(report)
        }
    }
}
