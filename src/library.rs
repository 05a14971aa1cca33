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
    #[error(transparent)]
    Read(#[from] ReadError),
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
    let text = read_text(path, Limits::default().max_file_bytes)?;
    Ok(TreeSource {
        name: path.display().to_string(),
        text,
        origin,
    })
}

/// Why a file could not be read, said the same way by every command.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: cannot read: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: not a regular file (a directory, FIFO or device): give the path of a file")]
    NotRegular { path: String },
    #[error("{path}: larger than the limit of {limit} MiB")]
    TooLarge { path: String, limit: usize },
    #[error("{path}:{line}:{col}: not UTF-8 (byte {offset} is not part of a UTF-8 character)")]
    NotUtf8 {
        path: String,
        line: usize,
        col: usize,
        offset: usize,
    },
}

impl ReadError {
    /// A problem in the file itself (not UTF-8), rather than one of reaching it.
    pub fn is_content(&self) -> bool {
        matches!(self, ReadError::NotUtf8 { .. } | ReadError::TooLarge { .. })
    }
}

/// An I/O error in words, without Rust's "(os error N)".
pub fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match (e.kind(), e.raw_os_error()) {
        (ErrorKind::NotFound, _) => "no such file".into(),
        (ErrorKind::PermissionDenied, _) => "permission denied".into(),
        (_, Some(libc::ELOOP)) => "too many levels of symbolic links (a symlink loop?)".into(),
        (ErrorKind::IsADirectory, _) => "is a directory".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// Reads a UTF-8 text file of at most `limit` bytes. Reads no more than `limit + 1` bytes
/// (`/dev/zero` is refused at the limit, not after filling memory), opens without blocking
/// and refuses anything but a regular file (a FIFO would hang), and names the line and column
/// of the first byte that is not UTF-8.
pub fn read_text(path: &Path, limit: usize) -> Result<String, ReadError> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let shown = path.display().to_string();
    let io = |e: std::io::Error| ReadError::Io {
        path: shown.clone(),
        reason: describe_io(&e),
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)?;
    if !file.metadata().map_err(io)?.is_file() {
        return Err(ReadError::NotRegular { path: shown });
    }
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > limit {
        return Err(ReadError::TooLarge {
            path: shown,
            limit: limit / (1024 * 1024),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let good = &e.as_bytes()[..offset];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&good[start..]).chars().count() + 1;
        ReadError::NotUtf8 {
            path: shown,
            line,
            col,
            offset,
        }
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

/// Every place a tree id is declared: shipped trees, then user trees, as (file, id).
fn declared_ids() -> Vec<(String, String)> {
    let mut ids: Vec<(String, String)> = SHIPPED_TREES
        .iter()
        .map(|(id, file, _)| (file.to_string(), id.to_string()))
        .collect();
    for source in user_trees().into_iter().flatten() {
        if let Some(id) = declared_id(&source.text) {
            ids.push((source.name.clone(), id.to_string()));
        }
    }
    ids
}

/// When `name` is the id of more than one tree: which one `--tree` uses and which it leaves.
pub fn shadowed(name: &str) -> Option<String> {
    let files: Vec<String> = declared_ids()
        .into_iter()
        .filter(|(_, id)| id == name)
        .map(|(file, _)| file)
        .collect();
    match files.as_slice() {
        [used, rest @ ..] if !rest.is_empty() => Some(format!(
            "tree id `{name}` is declared by {used} and by {}; using {used}",
            rest.join(" and ")
        )),
        _ => None,
    }
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
    // symlink_metadata: a dangling link or a link loop is a file to report, not "no such file".
    if std::fs::symlink_metadata(path).is_ok() {
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
