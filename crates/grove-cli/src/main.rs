//! The `grove` command. Glue only: it parses arguments, calls the library crates, and turns
//! their errors into messages on standard error and a non-zero exit code (1 for a failure,
//! 2 for a usage error, as clap reports it). Commands write through [`output::Output`] only.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod deploy_cmd;
mod import_cmd;
mod inspect_cmd;
mod invoke_cmd;
mod load;
mod models_cmd;
mod output;
mod package_cmd;
mod predict_cmd;
mod push_cmd;
mod rollback_cmd;
mod serve_cmd;
mod settings;
mod train_cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output;
    let result = match &cli.command {
        Command::Train(args) => train_cmd::run(args, &out),
        Command::Import(args) => import_cmd::run(args, &out),
        Command::Predict(args) => predict_cmd::run(args, &out),
        Command::Inspect(args) => inspect_cmd::run(args).and_then(|text| {
            out.answer().write_all(text.as_bytes())?;
            Ok(())
        }),
        Command::Serve(args) => serve_cmd::run(args),
        Command::Package(args) => package_cmd::run(args, &out),
        Command::Deploy(args) => deploy_cmd::run(args, &out),
        Command::Invoke(args) => invoke_cmd::run(args, &out),
        Command::Push(args) => push_cmd::run(args, &out),
        Command::Models(args) => models_cmd::run(args, &out),
        Command::Rollback(args) => rollback_cmd::run(args, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `grove predict … | head` closing the pipe early is not a failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the whole chain: "cannot import `m.pkl`: refused `posix.system` …".
            let _ = out.report(format_args!("error: {error:#}"));
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            )
    })
}
