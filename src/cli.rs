//! The command line: clap definitions and the non-interactive commands. A thin shell: every
//! decision is the core's.

use crate::assets::{self, Assets, Provider};
use crate::diag::FileReport;
use crate::engine::{Walk, format_number_exact};
use crate::format::{family_cells, family_headers, to_markdown, to_text};
use crate::library::{self, DEFAULT_TREE, TreeSource};
use crate::recommend::Recommendation;
use crate::render::{DiagramFormat, render};
use crate::text::{Lang, format_number};
use crate::tree::load::{Limits, parse_yaml};
use crate::tree::{Node, Scalar, Tree};
use clap::{Parser, Subcommand};
use indexmap::IndexMap;
use serde::Deserialize;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

const EXAMPLES: &str = "\
Examples:
  gpuwise                                   start the wizard (the default tree)
  gpuwise --tree gpu-memory --lang zh       the memory-sizing wizard, in Chinese
  gpuwise trees                             list shipped and user trees
  gpuwise recommend --tree quick-check --answer matrix=yes --answer scale=large \\
                    --answer latency=ms --format json
  gpuwise recommend --answers answers.yaml  replay answers exported by the wizard
  gpuwise validate                          check every shipped tree and asset
  gpuwise validate --strict my-tree.yaml    check a tree of your own
  gpuwise render --tree quick-check --format mermaid
  gpuwise catalog --provider aws --gpu h100
  gpuwise completions bash > /etc/bash_completion.d/gpuwise

Exit codes: 0 success, 1 validation found problems, 2 bad input or could not run.";

#[derive(Debug, Parser)]
#[command(name = "gpuwise", version, about = "GPU or CPU server, which instance family, and what architecture around it.", after_help = EXAMPLES)]
pub struct Cli {
    /// Tree to walk: a shipped or user tree id, or a path to a YAML file.
    #[arg(long, global = true, value_name = "NAME|PATH")]
    pub tree: Option<String>,
    /// Language of questions and results (default: from the locale).
    #[arg(long, global = true, value_name = "en|zh")]
    pub lang: Option<Lang>,
    /// Read catalog, patterns, glossary and advice from DIR instead of the embedded copies
    /// (for authoring trees and assets).
    #[arg(long, global = true, value_name = "DIR")]
    pub assets: Option<PathBuf>,
    /// Wizard only: open at the result (or first unanswered question) of an answers file.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Wizard only: the region to price in, PROVIDER=REGION or a region id; repeatable
    /// (the P key then moves through each provider's priced regions).
    #[arg(long = "region", value_name = "[PROVIDER=]REGION")]
    pub regions: Vec<String>,
    /// Wizard only: draw with ASCII characters only, for legacy terminals.
    #[arg(long)]
    pub ascii: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the shipped and user trees with their titles.
    Trees {
        #[arg(long, default_value = "text")]
        format: ListFormat,
    },
    /// Walk a tree with given answers and print the recommendation.
    Recommend(RecommendArgs),
    /// Check trees and assets; with no file, every shipped tree and asset.
    Validate {
        /// Tree files to check.
        files: Vec<PathBuf>,
        /// Treat warnings (such as missing Chinese text) as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Print a tree as diagram source.
    Render {
        #[arg(long)]
        format: DiagramFormat,
    },
    /// Print the instance catalog.
    Catalog {
        #[arg(long)]
        provider: Option<Provider>,
        /// A GPU id (t4, a100-80, h100, ...).
        #[arg(long)]
        gpu: Option<String>,
        #[arg(long, default_value = "text")]
        format: OutputFormat,
    },
    /// Print instance sizes with GPUs and dated prices.
    Prices(PricesArgs),
    /// Print a shell completion script.
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff).
    Man,
    /// Serve the wizard over SSH: each client gets its own session (`ssh -t -p 2222 HOST`).
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Print the JSON Schema of the tree or answers format (for editors and CI checks).
    Schema {
        /// `tree` or `answers`.
        format: crate::schema::Format,
    },
}

#[derive(Debug, clap::Args)]
pub struct RecommendArgs {
    /// An answer, as QUESTION_ID=VALUE (a choice id or a number); repeatable.
    #[arg(long = "answer", short = 'a', value_name = "NODE=VALUE")]
    pub answers: Vec<String>,
    /// A YAML or JSON answers file, as the wizard exports it; --answer overrides it.
    #[arg(long = "answers", value_name = "FILE")]
    pub answers_file: Option<PathBuf>,
    /// The region to price in: PROVIDER=REGION (aws=us-east-1) or a region id one provider
    /// uses (eastus); repeatable. Default: each provider's first priced region.
    #[arg(long = "region", value_name = "[PROVIDER=]REGION")]
    pub regions: Vec<String>,
    #[arg(long, default_value = "text")]
    pub format: OutputFormat,
}

#[cfg(feature = "serve")]
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:2222")]
    pub listen: std::net::SocketAddr,
    /// The server's ed25519 host key; made (mode 0600) on first run.
    /// Default: $XDG_STATE_HOME/gpuwise/ssh_host_ed25519_key.
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,
    /// Public keys allowed in, one per line as in ~/.ssh/authorized_keys (SIGHUP re-reads it).
    /// Default: ~/.ssh/authorized_keys when it exists.
    #[arg(long, value_name = "PATH")]
    pub authorized_keys: Option<PathBuf>,
    /// Let anyone in without a key (on a non-loopback address only with --public too).
    #[arg(long)]
    pub allow_anonymous: bool,
    /// Confirms --allow-anonymous on an address others can reach.
    #[arg(long)]
    pub public: bool,
    /// Sessions at once; the next client is told "server full" and closed.
    #[arg(long, default_value_t = 200)]
    pub max_sessions: usize,
    /// Sessions at once from one client address.
    #[arg(long, default_value_t = 10)]
    pub max_per_ip: usize,
    /// A session without input this long is closed (warned a minute before): 15m, 90s, 1h.
    #[arg(long, default_value = "15m", value_parser = humantime::parse_duration)]
    pub idle_timeout: std::time::Duration,
    /// On SIGTERM, how long open sessions may take to finish.
    #[arg(long, default_value = "30s", value_parser = humantime::parse_duration)]
    pub grace: std::time::Duration,
    /// Append one line per session here instead of stderr.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Also log each session's answers (off: the log names only the tree and the result).
    #[arg(long)]
    pub log_answers: bool,
}

#[derive(Debug, clap::Args)]
pub struct PricesArgs {
    #[arg(long)]
    pub provider: Option<Provider>,
    /// A GPU id (t4, a100-80, h100, ...).
    #[arg(long)]
    pub gpu: Option<String>,
    /// A region id (us-east-1, eastus, cn-beijing, ...).
    #[arg(long)]
    pub region: Option<String>,
    /// Only sizes at or below this on-demand price per hour (in their own currency).
    #[arg(long, value_name = "PRICE")]
    pub max_price: Option<f64>,
    #[arg(long, default_value = "hourly")]
    pub sort: PriceSort,
    #[arg(long, default_value = "text")]
    pub format: PriceFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::EnumString, strum::Display)]
#[strum(serialize_all = "kebab-case")]
pub enum PriceSort {
    /// By on-demand price per hour.
    Hourly,
    /// By on-demand price per GPU-hour.
    GpuHour,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::EnumString, strum::Display)]
#[strum(serialize_all = "lowercase")]
pub enum PriceFormat {
    Text,
    Md,
    Csv,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::EnumString, strum::Display)]
#[strum(serialize_all = "lowercase")]
pub enum OutputFormat {
    Text,
    Md,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::EnumString, strum::Display)]
#[strum(serialize_all = "lowercase")]
pub enum ListFormat {
    Text,
    Json,
}

/// How a command failed, mapped to an exit code in one place.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input or could not run: exit 2. The message is complete.
    #[error("{0}")]
    Usage(String),
    /// A file's problems (`file:line:col: error: ...` with snippets), then a one-line summary:
    /// exit 2. Printed as is, so the lines are not prefixed twice.
    #[error("{report}gpuwise: error: {summary}")]
    Report { report: String, summary: String },
    /// Problems were found and already printed: exit 1.
    #[error("problems found")]
    Problems,
    #[error("cannot write the output: {}", crate::library::describe_io(.0))]
    Io(#[from] std::io::Error),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Problems => 1,
            _ => 2,
        }
    }
}

/// The language: `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
pub fn resolve_lang(flag: Option<Lang>) -> Lang {
    flag.unwrap_or_else(|| {
        sys_locale::get_locale()
            .map(|l| Lang::from_locale(&l))
            .unwrap_or_default()
    })
}

/// The last part of an embedded file's name (`assets/prices/aws.yaml` -> `aws.yaml`).
fn file_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// The four asset files' names and texts: embedded, or read from `--assets DIR`.
pub struct AssetTexts {
    format: crate::tree::load::SourceFormat,
    files: [(String, String); 4],
    prices: Vec<(String, String)>,
}

impl AssetTexts {
    pub fn read(dir: Option<&std::path::Path>) -> Result<AssetTexts, CliError> {
        let mut files =
            assets::EMBEDDED.map(|(name, data)| (name.to_string(), data.text().into_owned()));
        let mut prices: Vec<(String, String)> = assets::EMBEDDED_PRICES
            .iter()
            .map(|(name, data)| (name.to_string(), data.text().into_owned()))
            .collect();
        let mut format = crate::tree::load::SourceFormat::Json;
        if let Some(dir) = dir {
            let limit = Limits::default().max_file_bytes;
            let read = |path: std::path::PathBuf, (name, text): &mut (String, String)| {
                *text =
                    library::read_text(&path, limit).map_err(|e| CliError::Usage(e.to_string()))?;
                *name = path.display().to_string();
                Ok::<(), CliError>(())
            };
            // A directory without prices/ (fixtures, a tree author's own assets) keeps the
            // shipped prices.
            if dir.join("prices").is_dir() {
                for file in prices.iter_mut() {
                    let path = dir.join("prices").join(file_name(&file.0));
                    read(path, file)?;
                }
            }
            format = crate::tree::load::SourceFormat::Yaml;
            for file in &mut files {
                let path = dir.join(file_name(&file.0));
                read(path, file)?;
            }
        }
        Ok(AssetTexts {
            format,
            files,
            prices,
        })
    }

    pub fn sources(&self) -> assets::AssetSources<'_> {
        let [c, p, g, a] = &self.files;
        assets::AssetSources {
            format: self.format,
            catalog: (&c.0, &c.1),
            patterns: (&p.0, &p.1),
            glossary: (&g.0, &g.1),
            advice: (&a.0, &a.1),
            prices: &self.prices,
        }
    }

    pub fn parse(&self) -> Result<Assets, CliError> {
        self.sources().parse().map_err(|e| {
            let mut report = FileReport::new(e.file, e.source_text);
            report.diagnostics.push(e.diagnostic);
            CliError::Report {
                report: report.render(),
                summary: "the assets do not load".into(),
            }
        })
    }
}

/// The assets: from `--assets DIR`, parsed and checked now; else the embedded ones, parsed
/// when first used.
pub fn load_assets(dir: Option<&std::path::Path>) -> Result<Assets, CliError> {
    match dir {
        Some(_) => AssetTexts::read(dir)?.parse(),
        None => Ok(Assets::embedded()),
    }
}

/// Finds and loads the tree named by `--tree` (or the default), reporting its errors.
pub fn load_tree(name: Option<&str>, assets: &Assets) -> Result<Arc<Tree>, CliError> {
    let name = name.unwrap_or(DEFAULT_TREE);
    let source = library::find(name).map_err(|e| CliError::Usage(e.to_string()))?;
    if let Some(warning) = library::shadowed(name) {
        eprintln!("gpuwise: warning: {warning}");
    }
    library::load(&source, assets).map_err(|report| CliError::Report {
        report: report.render(),
        summary: format!(
            "cannot use tree `{}`: it has {} error(s)",
            source.name,
            report.error_count()
        ),
    })
}

pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), CliError> {
    let lang = resolve_lang(cli.lang);
    let asset_dir = cli.assets.as_deref();
    let Some(command) = cli.command else {
        return wizard(&cli, lang);
    };
    match command {
        Command::Trees { format } => trees(asset_dir, format, lang, out, err),
        Command::Recommend(args) => {
            recommend(asset_dir, cli.tree.as_deref(), &args, lang, out, err)
        }
        Command::Validate { files, strict } => validate(asset_dir, &files, strict, out),
        Command::Prices(args) => prices(asset_dir, &args, lang, out),
        Command::Render { format } => {
            let assets = load_assets(asset_dir)?;
            let tree = load_tree(cli.tree.as_deref(), &assets)?;
            out.write_all(render(&tree, format, lang).as_bytes())?;
            Ok(())
        }
        Command::Catalog {
            provider,
            gpu,
            format,
        } => catalog(asset_dir, provider, gpu.as_deref(), format, lang, out),
        Command::Completions { shell } => {
            // The generator panics on a write error: fill a buffer, then write it out with
            // the same error handling as every other command.
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "gpuwise", &mut script);
            out.write_all(&script)?;
            Ok(())
        }
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve(asset_dir, cli.tree.as_deref(), cli.lang, args, err),
        Command::Schema { format } => {
            out.write_all(crate::schema::schema(format).as_bytes())?;
            Ok(())
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(out)?;
            Ok(())
        }
    }
}

/// A tree that loaded, and the file it came from.
struct LoadedTree {
    tree: Arc<Tree>,
    name: String,
    origin: library::Origin,
}

/// Why a tree file was left out.
enum TreeProblem {
    /// The file or directory could not be read.
    Unreadable(String),
    /// The file has errors; the report lists them.
    Broken {
        name: String,
        report: crate::diag::FileReport,
    },
    /// The file declares an id an earlier file already declared.
    Duplicate {
        name: String,
        id: String,
        first: String,
    },
}

impl TreeProblem {
    /// One line a person reads.
    fn summary(&self) -> String {
        match self {
            TreeProblem::Unreadable(message) => message.clone(),
            TreeProblem::Broken { name, report } => format!(
                "{name}: {} error(s), left out (`gpuwise validate {name}` lists them)",
                report.error_count()
            ),
            TreeProblem::Duplicate { name, id, first } => format!(
                "{name} declares tree id `{id}`, as {first} does; it is left out (`--tree {id}` uses {first})"
            ),
        }
    }
}

/// Every tree that loads, shipped then the user's, and what is wrong with the others: files
/// that cannot be read or have errors, and ids declared twice (the later file is left out).
fn load_all_trees(assets: &Assets) -> (Vec<LoadedTree>, Vec<TreeProblem>) {
    let mut trees: Vec<LoadedTree> = Vec::new();
    let mut problems = Vec::new();
    for source in library::all_sources() {
        let source = match source {
            Ok(s) => s,
            Err(e) => {
                problems.push(TreeProblem::Unreadable(e.to_string()));
                continue;
            }
        };
        match library::load(&source, assets) {
            Ok(tree) => match trees.iter().find(|t| t.tree.id.value == tree.id.value) {
                Some(first) => problems.push(TreeProblem::Duplicate {
                    name: source.name,
                    id: tree.id.value.clone(),
                    first: first.name.clone(),
                }),
                None => trees.push(LoadedTree {
                    tree,
                    name: source.name,
                    origin: source.origin,
                }),
            },
            Err(report) => problems.push(TreeProblem::Broken {
                name: source.name,
                report,
            }),
        }
    }
    (trees, problems)
}

/// The trees that load, for the wizard and the server, and one line for each left out.
fn loadable_trees(assets: &Assets) -> (Vec<Arc<Tree>>, Vec<String>) {
    let (trees, problems) = load_all_trees(assets);
    (
        trees.into_iter().map(|t| t.tree).collect(),
        problems.iter().map(TreeProblem::summary).collect(),
    )
}

/// `gpuwise serve`: the trees and assets loaded once, then the SSH server.
#[cfg(feature = "serve")]
fn serve(
    asset_dir: Option<&std::path::Path>,
    tree: Option<&str>,
    lang: Option<Lang>,
    args: ServeArgs,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let assets = Arc::new(load_assets(asset_dir)?);
    let trees = match tree {
        Some(name) => vec![load_tree(Some(name), &assets)?],
        None => {
            let (trees, problems) = loadable_trees(&assets);
            for p in problems {
                writeln!(err, "gpuwise: warning: {p}")?;
            }
            trees
        }
    };
    let authorized_keys = args.authorized_keys.or_else(|| {
        let home = std::env::var_os("HOME")?;
        let path = PathBuf::from(home).join(".ssh/authorized_keys");
        path.is_file().then_some(path)
    });
    let options = crate::serve::Options {
        listen: args.listen,
        host_key: args.host_key.unwrap_or_else(crate::serve::default_host_key),
        authorized_keys,
        allow_anonymous: args.allow_anonymous,
        public: args.public,
        max_sessions: args.max_sessions.max(1),
        max_per_ip: args.max_per_ip.max(1),
        idle_timeout: args.idle_timeout.max(std::time::Duration::from_secs(2)),
        grace: args.grace,
        lang,
        log: args.log,
        log_answers: args.log_answers,
        skip_start: tree.is_some(),
    };
    crate::serve::run(options, assets, trees, err).map_err(CliError::Usage)
}

/// `gpuwise` with no subcommand: the interactive wizard.
fn wizard(cli: &Cli, lang: Lang) -> Result<(), CliError> {
    use std::io::IsTerminal;
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(CliError::Usage(
            "the wizard needs a terminal on stdin and stdout.\n\
             For scripts, use `gpuwise recommend --answer NODE=VALUE ...` (see `gpuwise recommend --help`)."
                .into(),
        ));
    }
    let assets = Arc::new(load_assets(cli.assets.as_deref())?);
    let answers = cli.answers.as_deref().map(read_answers_file).transpose()?;
    let named = match (&answers, cli.answers.as_deref()) {
        (Some(file), Some(path)) => Some(answers_tree_name(path, file, cli.tree.as_deref())?),
        _ => cli.tree.clone(),
    };
    let mut notices = Vec::new();
    let trees: Vec<Arc<Tree>> = match &named {
        Some(name) => vec![load_tree(Some(name), &assets)?],
        None => {
            let (trees, problems) = loadable_trees(&assets);
            notices = problems;
            trees
        }
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    // A locale whose charset is not UTF-8 (LC_ALL=C, zh_CN.GB2312) cannot show box drawing.
    let utf8 = crate::tui::locale_is_utf8();
    if !utf8 && lang == Lang::Zh {
        eprintln!(
            "gpuwise: the locale's character set is not UTF-8, so the wizard draws with ASCII; \
             Chinese text needs a UTF-8 locale and terminal (e.g. LANG=zh_CN.UTF-8), or use --lang en"
        );
    }
    let theme = crate::tui::theme::Theme::new(!no_color && !dumb, cli.ascii || dumb || !utf8);
    let regions = crate::prices::Regions::parse(&cli.regions, assets.prices())
        .map_err(|e| CliError::Usage(format!("--region: {e}")))?;
    let mut app = crate::tui::app::App::new(assets, trees, lang, theme, named.is_some())
        .map_err(|e| CliError::Usage(e.to_string()))?;
    app.set_regions(regions);
    app.notices = notices;
    if let (Some(file), Some(path)) = (answers, cli.answers.as_deref()) {
        let tree = app.trees[0].clone();
        if let Some(warning) = check_answers_tree(path, &file, &tree)? {
            eprintln!("gpuwise: warning: {warning}");
        }
        let mut walk = Walk::new(tree).map_err(|e| CliError::Usage(e.to_string()))?;
        // A failing answer leaves the walk at its question: open there and say why.
        let failed = walk.replay(&answer_texts(&file.answers)).err();
        app.begin(walk);
        if let Some(e) = failed {
            app.status = Some(crate::tui::app::Status::Error(match lang {
                Lang::En => format!(
                    "The saved answer for this question no longer fits: {}",
                    e.error
                ),
                Lang::Zh => format!("此问题保存的答案已不适用：{}", e.error),
            }));
        }
    }
    crate::tui::run(app)?;
    Ok(())
}

fn trees(
    asset_dir: Option<&std::path::Path>,
    format: ListFormat,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let assets = load_assets(asset_dir)?;
    #[derive(serde::Serialize)]
    struct Row {
        id: String,
        title: String,
        origin: String,
        file: String,
        nodes: usize,
    }
    let (trees, problems) = load_all_trees(&assets);
    for problem in &problems {
        if let TreeProblem::Broken { report, .. } = problem {
            write!(err, "{}", report.render())?;
        }
        writeln!(err, "gpuwise: warning: {}", problem.summary())?;
    }
    let rows: Vec<Row> = trees
        .into_iter()
        .map(|t| Row {
            id: t.tree.id.value.clone(),
            title: t.tree.title.get(lang).to_string(),
            origin: t.origin.to_string(),
            file: t.name,
            nodes: t.tree.nodes.len(),
        })
        .collect();
    match format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            for row in rows {
                writeln!(
                    out,
                    "{:<14} {:<8} {:>4} nodes  {}",
                    row.id, row.origin, row.nodes, row.title
                )?;
            }
        }
    }
    Ok(())
}

/// The answers file the wizard exports and `recommend --answers` replays.
#[derive(Debug, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    /// The id of the tree these answers walk.
    pub tree: Option<String>,
    /// The version of that tree when the answers were saved; a different version is replayed
    /// with a warning, up to the first answer that no longer fits.
    #[serde(default)]
    pub version: Option<u32>,
    pub answers: IndexMap<String, AnswerValue>,
}

/// An answer in a file: a choice id or a number.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Number(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Scalar::deserialize(d)? {
            Scalar::Number(n) => AnswerValue::Number(n),
            Scalar::Bool(b) => AnswerValue::Text(b.to_string()),
            Scalar::Str(s) => AnswerValue::Text(s),
        })
    }
}

/// Saved answers as the engine replays them: question id to the text typed for it.
pub fn answer_texts(answers: &IndexMap<String, AnswerValue>) -> IndexMap<String, String> {
    answers
        .iter()
        .map(|(k, v)| (k.clone(), v.as_text()))
        .collect()
}

impl AnswerValue {
    pub fn as_text(&self) -> String {
        match self {
            AnswerValue::Number(n) => format_number_exact(*n),
            AnswerValue::Text(s) => s.clone(),
        }
    }
}

pub fn read_answers_file(path: &std::path::Path) -> Result<AnswersFile, CliError> {
    let text = library::read_text(path, Limits::default().max_file_bytes)
        .map_err(|e| CliError::Usage(format!("answers file {e}")))?;
    parse_yaml::<AnswersFile>(&text, &Limits::default()).map_err(|d| {
        let mut report = FileReport::new(path.display().to_string(), text.clone());
        report.diagnostics.push(d);
        CliError::Report {
            report: report.render(),
            summary: format!("cannot use answers file {}", path.display()),
        }
    })
}

/// Checks that an answers file belongs to `tree`; gives the warning to print when it was saved
/// for another version of it.
pub fn check_answers_tree(
    path: &std::path::Path,
    file: &AnswersFile,
    tree: &Tree,
) -> Result<Option<String>, CliError> {
    let id = &tree.id.value;
    match &file.tree {
        Some(saved) if saved != id => {
            return Err(CliError::Usage(format!(
                "{}: these answers are for tree `{saved}`, not `{id}`; drop --tree or pass --tree {saved}",
                path.display()
            )));
        }
        _ => {}
    }
    Ok(match file.version {
        Some(v) if v != tree.version => Some(format!(
            "{}: these answers were saved for version {v} of tree `{id}`, which is now version {}; \
             they are replayed up to the first one that no longer fits",
            path.display(),
            tree.version
        )),
        _ => None,
    })
}

/// The tree an answers file names, or an error when neither it nor `--tree` names one.
fn answers_tree_name(
    path: &std::path::Path,
    file: &AnswersFile,
    tree_flag: Option<&str>,
) -> Result<String, CliError> {
    tree_flag
        .map(str::to_string)
        .or_else(|| file.tree.clone())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "{}: the answers file does not say which tree it answers: add a line `tree: ID` or pass --tree ID",
                path.display()
            ))
        })
}

/// Describes what a question takes, for the message about a missing or wrong answer.
pub fn describe_question(id: &str, node: &Node, lang: Lang) -> String {
    match node {
        Node::Question(q) => {
            let choices: Vec<String> = q
                .choices
                .iter()
                .map(|c| format!("  {:<16} {}", c.value.id.value, c.value.label.get(lang)))
                .collect();
            format!(
                "question `{id}`: {}\nvalid choices:\n{}\nanswer with --answer {id}=<choice>",
                q.ask.get(lang),
                choices.join("\n")
            )
        }
        Node::Number(n) => format!(
            "question `{id}`: {}\ntakes a number from {} to {} ({})\nanswer with --answer {id}=<number>",
            n.ask.get(lang),
            format_number_exact(n.min.value),
            format_number_exact(n.max.value),
            n.unit.get(lang)
        ),
        _ => format!("node `{id}`"),
    }
}

/// `gpuwise prices`: every priced size, filtered and sorted, in the chosen format.
fn prices(
    asset_dir: Option<&std::path::Path>,
    args: &PricesArgs,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let assets = load_assets(asset_dir)?;
    let book = assets.prices();
    let catalog = assets.catalog();
    if let Some(g) = &args.gpu
        && catalog.gpu(g).is_none()
    {
        let known: Vec<&str> = catalog.gpus.iter().map(|g| g.id.value.as_str()).collect();
        return Err(CliError::Usage(format!(
            "--gpu `{g}` is not a catalog GPU; known: {}",
            known.join(", ")
        )));
    }
    if let Some(r) = &args.region
        && !book
            .files
            .iter()
            .any(|f| f.regions.iter().any(|x| x.id.value == *r))
    {
        let known: Vec<String> = book
            .files
            .iter()
            .flat_map(|f| f.regions.iter().map(|x| x.id.value.clone()))
            .collect();
        return Err(CliError::Usage(format!(
            "--region `{r}` is not a priced region; priced regions: {}",
            known.join(", ")
        )));
    }
    let today = crate::prices::today();
    let mut rows: Vec<(&crate::prices::PriceRow, Provider, Option<String>)> = Vec::new();
    for file in &book.files {
        if args.provider.is_some_and(|p| p != file.provider) {
            continue;
        }
        for row in &file.prices {
            let r = &row.value;
            let family = catalog.family(&r.family.value);
            let gpu = family.and_then(|f| f.gpu.as_ref()).map(|g| g.value.clone());
            if args.gpu.as_ref().is_some_and(|g| gpu.as_ref() != Some(g)) {
                continue;
            }
            if args.region.as_ref().is_some_and(|x| r.region.value != *x) {
                continue;
            }
            if let Some(max) = args.max_price
                && r.on_demand.is_none_or(|p| p > max)
            {
                continue;
            }
            rows.push((r, file.provider, gpu));
        }
    }
    let per_gpu = |r: &crate::prices::PriceRow| match (r.on_demand, r.gpus) {
        (Some(p), Some(g)) if g > 0.0 => Some(p / g),
        _ => None,
    };
    rows.sort_by(|a, b| {
        let key = |r: &crate::prices::PriceRow| match args.sort {
            PriceSort::Hourly => r.on_demand,
            PriceSort::GpuHour => per_gpu(r),
        };
        key(a.0)
            .is_none()
            .cmp(&key(b.0).is_none())
            .then(a.0.currency.cmp(&b.0.currency))
            .then(
                key(a.0)
                    .unwrap_or(f64::MAX)
                    .total_cmp(&key(b.0).unwrap_or(f64::MAX)),
            )
    });
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    match args.format {
        PriceFormat::Json => {
            let json: Vec<serde_json::Value> = rows
                .iter()
                .map(|(r, p, gpu)| {
                    serde_json::json!({
                        "provider": p, "family": r.family.value, "instance": r.instance.value,
                        "gpu": gpu, "gpus": r.gpus, "vcpus": r.vcpus, "memory_gib": r.memory_gib,
                        "region": r.region.value, "currency": r.currency,
                        "on_demand": r.on_demand, "spot": r.spot,
                        "commit_1y": r.commit_1y, "commit_3y": r.commit_3y,
                        "commit_kind": r.commit_kind, "per_gpu_hour": per_gpu(r),
                        "source": r.source.as_ref().map(|s| &s.value),
                        "as_of": r.as_of.as_ref().map(|s| &s.value),
                        "stale": crate::prices::is_stale(r.as_of.as_ref().map(|s| s.value.as_str()), today),
                        "no_public_price": r.no_public_price.as_ref().map(|t| t.get(lang)),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &json).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        PriceFormat::Csv => {
            writeln!(
                out,
                "provider,family,instance,gpu,gpus,vcpus,memory_gib,region,currency,on_demand,spot,commit_1y,commit_3y,per_gpu_hour,as_of,source"
            )?;
            let field = |s: &str| {
                if s.contains([',', '"', '\n']) {
                    format!("\"{}\"", s.replace('"', "\"\""))
                } else {
                    s.to_string()
                }
            };
            for (r, p, gpu) in &rows {
                let cells = [
                    p.to_string(),
                    r.family.value.clone(),
                    r.instance.value.clone(),
                    gpu.clone().unwrap_or_default(),
                    num(r.gpus),
                    r.vcpus.map(|v| v.to_string()).unwrap_or_default(),
                    num(r.memory_gib),
                    r.region.value.clone(),
                    r.currency.map(|c| c.code().to_string()).unwrap_or_default(),
                    num(r.on_demand),
                    num(r.spot),
                    num(r.commit_1y),
                    num(r.commit_3y),
                    num(per_gpu(r)),
                    r.as_of
                        .as_ref()
                        .map(|s| s.value.clone())
                        .unwrap_or_default(),
                    r.source
                        .as_ref()
                        .map(|s| s.value.clone())
                        .unwrap_or_default(),
                ];
                let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        PriceFormat::Text | PriceFormat::Md => {
            let head = [
                "Provider",
                "Instance",
                "GPU",
                "GPUs",
                "Region",
                "On demand/h",
                "Spot/h",
                "1y/h",
                "3y/h",
                "Per GPU-h",
                "As of",
            ];
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|(r, p, gpu)| {
                    let money = |v: Option<f64>| match (v, r.currency) {
                        (Some(v), Some(c)) => c.amount(v),
                        _ => "-".into(),
                    };
                    let stale =
                        crate::prices::is_stale(r.as_of.as_ref().map(|s| s.value.as_str()), today);
                    vec![
                        p.name(lang).to_string(),
                        r.instance.value.clone(),
                        gpu.clone().unwrap_or_else(|| "-".into()),
                        r.gpus
                            .map(crate::vars::format_decimals_default)
                            .unwrap_or_else(|| "-".into()),
                        r.region.value.clone(),
                        if r.on_demand.is_none() {
                            "no public price".into()
                        } else {
                            money(r.on_demand)
                        },
                        money(r.spot),
                        money(r.commit_1y),
                        money(r.commit_3y),
                        money(per_gpu(r)),
                        format!(
                            "{}{}",
                            r.as_of.as_ref().map(|s| s.value.as_str()).unwrap_or("-"),
                            if stale { " (stale)" } else { "" }
                        ),
                    ]
                })
                .collect();
            write_table(out, args.format == PriceFormat::Md, &head, &table)?;
        }
    }
    Ok(())
}

fn recommend(
    asset_dir: Option<&std::path::Path>,
    tree_flag: Option<&str>,
    args: &RecommendArgs,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    let (answer_flags, answers_file, format) = (&args.answers, &args.answers_file, args.format);
    let assets = load_assets(asset_dir)?;
    let mut answers: IndexMap<String, String> = IndexMap::new();
    let mut tree_name = tree_flag.map(str::to_string);
    let mut file = None;
    if let Some(path) = &answers_file {
        let read = read_answers_file(path)?;
        tree_name = Some(answers_tree_name(path, &read, tree_flag)?);
        answers.extend(answer_texts(&read.answers));
        file = Some((path, read));
    }
    let mut given: IndexMap<String, String> = IndexMap::new();
    for flag in answer_flags {
        let Some((node, value)) = flag.split_once('=') else {
            return Err(CliError::Usage(format!(
                "--answer `{flag}`: write it as NODE=VALUE, e.g. --answer workload=training"
            )));
        };
        let (node, value) = (node.trim().to_string(), value.trim().to_string());
        if let Some(first) = given.insert(node.clone(), value.clone()) {
            return Err(CliError::Usage(format!(
                "--answer `{node}` is given twice, as `{first}` and as `{value}`: keep one"
            )));
        }
        answers.insert(node, value);
    }
    let tree = load_tree(tree_name.as_deref(), &assets)?;
    if let Some((path, read)) = &file
        && let Some(warning) = check_answers_tree(path, read, &tree)?
    {
        writeln!(err, "gpuwise: warning: {warning}")?;
    }
    for node in answers.keys() {
        match tree.nodes.get(node) {
            Some(Node::Question(_) | Node::Number(_)) => {}
            _ => {
                return Err(CliError::Usage(format!(
                    "answer for `{node}`: tree `{}` has no question with this id (see `gpuwise render --tree {} --format mermaid`)",
                    tree.id.value, tree.id.value
                )));
            }
        }
    }
    let mut walk = Walk::new(tree.clone()).map_err(|e| CliError::Usage(e.to_string()))?;
    let unused = walk.replay(&answers).map_err(|e| {
        let node = tree
            .nodes
            .get(&e.node)
            .map(|n| describe_question(&e.node, n, lang));
        CliError::Usage(format!("{}\n{}", e.error, node.unwrap_or_default()))
    })?;
    if !walk.is_finished() {
        let id = walk.current_id();
        return Err(CliError::Usage(format!(
            "unanswered {}",
            describe_question(id, walk.current(), lang)
        )));
    }
    for node in unused {
        writeln!(
            err,
            "gpuwise: warning: the answer for `{node}` was not used: this path does not ask it"
        )?;
    }
    let regions = crate::prices::Regions::parse(&args.regions, assets.prices())
        .map_err(|e| CliError::Usage(format!("--region: {e}")))?;
    let recommendation =
        Recommendation::build_in(&walk, &assets, lang, &regions, crate::prices::today())
            .map_err(|e| CliError::Usage(e.to_string()))?;
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &recommendation)
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        OutputFormat::Md => out.write_all(to_markdown(&recommendation).as_bytes())?,
        OutputFormat::Text => out.write_all(to_text(&recommendation).as_bytes())?,
    }
    Ok(())
}

fn validate(
    asset_dir: Option<&std::path::Path>,
    files: &[PathBuf],
    strict: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let texts = AssetTexts::read(asset_dir)?;
    let (assets, mut reports) = assets::validate::validate_assets(&texts.sources());
    let Some(assets) = assets else {
        for report in &reports {
            out.write_all(report.render().as_bytes())?;
        }
        return Err(CliError::Problems);
    };
    // Every file is checked, whatever happened to the ones before it.
    let mut unreadable = 0;
    let sources: Vec<TreeSource> = if files.is_empty() {
        library::shipped()
    } else {
        reports.clear();
        let mut sources = Vec::new();
        for path in files {
            match library::read_file(path, library::Origin::File) {
                Ok(source) => sources.push(source),
                Err(library::LibraryError::Read(e)) => {
                    let shown = path.display().to_string();
                    let mut report = FileReport::new(shown.clone(), String::new());
                    let (span, message) = match &e {
                        library::ReadError::NotUtf8 {
                            line, col, offset, ..
                        } => (
                            crate::diag::Span::new(*line as u32, *col as u32),
                            format!("not UTF-8 (byte {offset} is not part of a UTF-8 character)"),
                        ),
                        other => {
                            if !other.is_content() {
                                unreadable += 1;
                            }
                            let text = other.to_string();
                            let message = text
                                .strip_prefix(&format!("{shown}: "))
                                .unwrap_or(&text)
                                .to_string();
                            (crate::diag::Span::UNKNOWN, message)
                        }
                    };
                    report
                        .diagnostics
                        .push(crate::diag::Diagnostic::error(span, message));
                    reports.push(report);
                }
                Err(e) => return Err(CliError::Usage(e.to_string())),
            }
        }
        sources
    };
    for source in &sources {
        let (_, mut report) = library::check(source, &assets);
        report.sort();
        reports.push(report);
    }
    let (mut errors, mut warnings) = (0, 0);
    for report in &mut reports {
        if strict {
            report.make_strict();
        }
        errors += report.error_count();
        warnings += report.warning_count();
        out.write_all(report.render().as_bytes())?;
    }
    writeln!(
        out,
        "checked {} file(s): {errors} error(s), {warnings} warning(s){}",
        reports.len(),
        match unreadable {
            0 => String::new(),
            n => format!(", {n} could not be read"),
        }
    )?;
    if unreadable > 0 && unreadable == files.len() {
        return Err(CliError::Usage(format!(
            "none of the {unreadable} file(s) could be read"
        )));
    }
    if errors > 0 {
        Err(CliError::Problems)
    } else {
        Ok(())
    }
}

fn catalog(
    asset_dir: Option<&std::path::Path>,
    provider: Option<Provider>,
    gpu: Option<&str>,
    format: OutputFormat,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let assets = load_assets(asset_dir)?;
    let catalog = assets.catalog();
    if let Some(gpu) = gpu
        && catalog.gpu(gpu).is_none()
    {
        let known: Vec<&str> = catalog.gpus.iter().map(|g| g.id.value.as_str()).collect();
        return Err(CliError::Usage(format!(
            "--gpu `{gpu}`: unknown GPU id; known: {}",
            known.join(", ")
        )));
    }
    let families: Vec<_> = catalog
        .families
        .iter()
        .filter(|f| provider.is_none_or(|p| f.provider == p))
        .filter(|f| gpu.is_none_or(|g| f.gpu.as_ref().is_some_and(|fg| fg.value == g)))
        .collect();
    let gpus: Vec<_> = catalog
        .gpus
        .iter()
        .filter(|g| gpu.is_none_or(|id| g.id.value == id))
        .collect();
    match format {
        OutputFormat::Json => {
            let json = serde_json::json!({
                "gpus": gpus.iter().map(|g| serde_json::json!({
                    "id": g.id.value, "name": g.name.get(lang), "memory_gb": g.memory_gb,
                    "memory_type": g.memory_type,
                    "memory_bandwidth_gbs": g.memory_bandwidth_gbs,
                    "fp16_tensor_tflops": g.fp16_tensor_tflops,
                    "bf16_tensor_tflops": g.bf16_tensor_tflops,
                    "fp64_tflops": g.fp64_tflops, "nvlink_gbs": g.nvlink_gbs,
                    "mig": g.mig, "nvenc": g.nvenc, "verified": g.verified,
                    "uncertain": g.uncertain.as_ref().map(|t| t.get(lang)),
                    "source": g.source.value, "checked": g.checked.value,
                })).collect::<Vec<_>>(),
                "families": families.iter().map(|f| serde_json::json!({
                    "id": f.id.value, "provider": f.provider, "family": f.family,
                    "kind": f.kind, "gpu": f.gpu.as_ref().map(|g| &g.value),
                    "gpu_count": f.gpu_count_options(), "shared": f.shared,
                    "interconnect": f.interconnect.as_ref().map(|t| t.get(lang)),
                    "vcpus": f.vcpus, "memory_gib": f.memory_gib, "cpu": f.cpu.as_ref().map(|t| t.get(lang)),
                    "verified": f.verified,
                    "uncertain": f.uncertain.as_ref().map(|t| t.get(lang)),
                    "use": f.use_for.get(lang),
                    "source": f.source.value, "checked": f.checked.value,
                })).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut *out, &json).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        OutputFormat::Text | OutputFormat::Md => {
            let md = format == OutputFormat::Md;
            let gpu_head = [
                "GPU",
                "Memory",
                "Bandwidth",
                "FP16/BF16 TF",
                "FP64 TF",
                "NVENC",
                "MIG",
            ];
            let gpu_rows: Vec<Vec<String>> = gpus
                .iter()
                .map(|g| {
                    let opt = |v: Option<f64>| v.map(format_number).unwrap_or_else(|| "-".into());
                    vec![
                        g.name.get(lang).to_string(),
                        format!("{} GB {}", format_number(g.memory_gb), g.memory_type),
                        g.memory_bandwidth_gbs
                            .map(|b| format!("{} GB/s", format_number(b)))
                            .unwrap_or_else(|| "-".into()),
                        opt(g.fp16_tensor_tflops.or(g.bf16_tensor_tflops)),
                        opt(g.fp64_tflops),
                        if g.nvenc { "yes" } else { "no" }.to_string(),
                        g.mig.to_string(),
                    ]
                })
                .collect();
            write_table(out, md, &gpu_head, &gpu_rows)?;
            writeln!(out)?;
            let fam_rows: Vec<Vec<String>> = families
                .iter()
                .map(|f| {
                    let view = crate::recommend::FamilyView::new(f, catalog, lang);
                    family_cells(&view, lang).to_vec()
                })
                .collect();
            write_table(out, md, &family_headers(lang), &fam_rows)?;
        }
    }
    Ok(())
}

/// A table: Markdown, or aligned columns by display width (CJK counts two).
fn write_table(
    out: &mut dyn Write,
    md: bool,
    head: &[&str],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    if md {
        writeln!(out, "| {} |", head.join(" | "))?;
        writeln!(out, "|{}", "---|".repeat(head.len()))?;
        for row in rows {
            let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        return Ok(());
    }
    let mut widths: Vec<usize> = head.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.width())))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(head.to_vec()))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}
