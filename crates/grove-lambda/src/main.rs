//! `bootstrap`: the Lambda function. See the library's documentation.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    lambda_runtime::tracing::init_default_subscriber();
    match grove_lambda::run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("grove-lambda: {e}");
            ExitCode::FAILURE
        }
    }
}
