//! The `factledger` binary: parses arguments, runs the command, maps the result to an
//! exit code. All logic lives in the library.

use std::io::{IsTerminal, Write};

use clap::Parser;

fn main() {
    let cli = factledger::commands::Cli::parse();
    // Records can be many: buffer stdout, flushed before exit below.
    let (mut out, mut err) = (
        std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
        std::io::stderr(),
    );
    let err_is_terminal = err.is_terminal();
    let code = match factledger::commands::run_cli(cli, &mut out, &mut err, err_is_terminal) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            let _ = writeln!(
                err,
                "error: {}",
                factledger::render::clean_message(&e.to_string())
            );
            e.exit_code()
        }
    };
    let _ = out.flush();
    std::process::exit(code);
}
