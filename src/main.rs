use clap::Parser;
use gpuwise::cli::{Cli, CliError, run};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr();
    if cli.command.is_none() && !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        let _ = writeln!(
            err,
            "gpuwise: the wizard needs a terminal on stdin and stdout.\n\
             For scripts, use `gpuwise recommend --answer NODE=VALUE ...` (see `gpuwise recommend --help`)."
        );
        return ExitCode::from(2);
    }
    let result = run(cli, &mut out, &mut err).and_then(|()| out.flush().map_err(CliError::from));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`gpuwise catalog | head -1`) is the reader's choice, not an error.
        Err(CliError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(CliError::Problems) => ExitCode::from(1),
        Err(e) => {
            let _ = writeln!(err, "gpuwise: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
