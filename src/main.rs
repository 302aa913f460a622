//! The `factledger` binary: the command line over `factledger-core`. It parses
//! arguments, runs one command, renders what it returns and maps the result to an exit
//! code. Every rule of the ledger lives in the core crate.

use std::io::{IsTerminal, Write};

use clap::Parser;

mod commands;
mod context;
mod error;
mod render;

fn main() {
    let cli = commands::Cli::parse();
    // Records can be many: buffer stdout, flushed before exit below.
    let (mut out, mut err) = (
        std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
        std::io::stderr(),
    );
    let err_is_terminal = err.is_terminal();
    let code = match commands::run_cli(cli, &mut out, &mut err, err_is_terminal) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            let _ = writeln!(err, "error: {}", render::clean_message(&e.to_string()));
            e.exit_code()
        }
    };
    let _ = out.flush();
    std::process::exit(code);
}
