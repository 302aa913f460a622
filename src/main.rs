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
mod terminal;

fn main() {
    // A write past `ulimit -f` raises SIGXFSZ, which kills by default: caught, the write
    // fails with EFBIG instead, and the write transaction undoes itself.
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let parsed = commands::Cli::try_parse();
    // Records can be many: buffer stdout, flushed before exit below. What goes to a
    // terminal passes through the terminal rule last, whatever the format.
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let err_is_terminal = stderr.is_terminal();
    let out_is_terminal = stdout.is_terminal();
    let streams = context::Streams {
        err_is_terminal,
        out_is_stdout: !out_is_terminal,
    };
    let out_inner: Box<dyn Write> = if out_is_terminal {
        Box::new(terminal::TerminalWriter::new(stdout.lock()))
    } else {
        Box::new(stdout.lock())
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out_inner);
    // Not locked for the whole run: progress bars draw to stderr from other threads.
    let mut err: Box<dyn Write> = if err_is_terminal {
        Box::new(terminal::TerminalWriter::new(stderr))
    } else {
        Box::new(stderr)
    };
    let cli = match parsed {
        Ok(cli) => cli,
        // Usage errors quote what the user typed: they go through the same writers.
        Err(e) => {
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                err.write_all(text.as_bytes())
            } else {
                out.write_all(text.as_bytes())
            };
            let _ = out.flush();
            let _ = err.flush();
            std::process::exit(e.exit_code());
        }
    };
    let code = match commands::run_cli(cli, &mut out, &mut err, streams) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            let _ = writeln!(err, "error: {}", render::clean_message(&e.to_string()));
            e.exit_code()
        }
    };
    // A reader that went away before the last bytes is no error either.
    let _ = out.flush();
    let _ = err.flush();
    std::process::exit(code);
}
