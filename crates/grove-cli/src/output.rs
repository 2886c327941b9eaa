//! The one output contract of every command: the answer (what a script reads: predictions,
//! an id, JSON, a table) goes to standard output, the report of what was done (`trained …`,
//! `pushed …`, warnings) to standard error. Commands write only through [`Output`]; the crate
//! denies `print!`-style macros, so nothing bypasses it.

use std::fmt;
use std::io::{self, Write};

/// Where a command writes.
#[derive(Debug, Default)]
pub struct Output;

impl Output {
    /// Standard output, locked: the command's answer.
    pub fn answer(&self) -> io::StdoutLock<'static> {
        io::stdout().lock()
    }

    /// Writes one line of the report on standard error.
    pub fn report(&self, line: fmt::Arguments<'_>) -> io::Result<()> {
        let mut err = io::stderr().lock();
        err.write_fmt(line)?;
        err.write_all(b"\n")
    }

    /// Writes a warning on standard error, prefixed as every warning is.
    pub fn warn(&self, line: fmt::Arguments<'_>) -> io::Result<()> {
        self.report(format_args!("warning: {line}"))
    }
}
