//! The `grove` command. Glue only: it parses arguments, calls the library crates, and turns
//! their errors into messages on standard error and a non-zero exit code (1 for a failure,
//! 2 for a usage error, as clap reports it).

mod cli;
mod deploy_cmd;
mod import_cmd;
mod inspect_cmd;
mod invoke_cmd;
mod load;
mod models_cmd;
mod package_cmd;
mod predict_cmd;
mod push_cmd;
mod rollback_cmd;
mod serve_cmd;
mod store_args;
mod train_cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Train(args) => train_cmd::run(args).map(|summary| eprint!("{summary}")),
        Command::Import(args) => import_cmd::run(args).map(|summary| eprint!("{summary}")),
        Command::Predict(args) => predict_cmd::run(args),
        Command::Serve(args) => serve_cmd::run(args),
        Command::Push(args) => push_cmd::run(args),
        Command::Models(args) => models_cmd::run(args),
        Command::Rollback(args) => rollback_cmd::run(args),
        Command::Inspect(args) => inspect_cmd::run(args).and_then(|text| {
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }),
        Command::Package(args) => package_cmd::run(args),
        Command::Deploy(args) => deploy_cmd::run(args),
        Command::Invoke(args) => invoke_cmd::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `grove predict … | head` closing the pipe early is not a failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the whole chain: "cannot load `m.grove`: the checksum does not match".
            eprintln!("error: {error:#}");
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
