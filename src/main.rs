use clap::Parser;
use gpuwise::cli::{Cli, CliError, run};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Not locked for the whole run: the wizard's signal thread must be able to write the
    // terminal-restore sequence while the main thread waits for a key.
    let mut out = gpuwise::text::Sanitized::new(std::io::stdout());
    let mut err = std::io::stderr();
    let result = run(cli, &mut out, &mut err).and_then(|()| out.flush().map_err(CliError::from));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`gpuwise catalog | head -1`) is the reader's choice, not an error.
        Err(CliError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(CliError::Problems) => ExitCode::from(1),
        Err(e @ CliError::Report { .. }) => {
            let _ = writeln!(err, "{e}");
            ExitCode::from(e.exit_code())
        }
        Err(e) => {
            let _ = writeln!(err, "gpuwise: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
