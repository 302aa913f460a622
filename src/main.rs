//! The `factledger` binary: the command line over `factledger-core`. It parses
//! arguments, runs one command, renders what it returns and maps the result to an exit
//! code. Every rule of the ledger lives in the core crate.

use std::io::{IsTerminal, Write};

use clap::Parser;

mod commands;
mod context;
mod error;
mod render;
mod signals;

fn main() {
    // A write past `ulimit -f` raises SIGXFSZ, which kills by default: caught, the write
    // fails with EFBIG instead, and the write transaction undoes itself.
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let cli = commands::Cli::parse();
    // Records can be many: buffer stdout, flushed before exit below.
    let (mut out, mut err) = (
        std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
        std::io::stderr(),
    );
    let err_is_terminal = err.is_terminal();
    let code = match commands::run_cli(cli, &mut out, &mut err, err_is_terminal) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            let _ = writeln!(err, "error: {}", render::clean_message(&e.to_string()));
            e.exit_code()
        }
    };
    // A reader that went away before the last bytes is no error either.
    let _ = out.flush();
    std::process::exit(code);
}
