//! [`DeployError`], the one error type of grove-deploy: each variant names what went wrong
//! (the file, the AWS operation, the registry, the function) so the CLI can print it as is.

use std::path::PathBuf;

/// Everything that can go wrong while packaging, pushing, deploying or invoking.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// The Lambda binary is not where it was looked for.
    #[error(
        "the Lambda bootstrap `{}` is missing: build it with `cargo build --release -p \
         grove-lambda` (it is written beside `grove`), install both binaries side by side, or \
         name it with --bootstrap PATH",
        path.display()
    )]
    MissingBootstrap {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// A file could not be read or written.
    #[error("`{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
    /// The bootstrap is not an executable Lambda's `provided.al2023` x86_64 runtime can run.
    #[error("the bootstrap `{}` cannot run on provided.al2023 (x86_64): {reason}", path.display())]
    BadBootstrap {
        /// The file.
        path: PathBuf,
        /// Why not.
        reason: String,
    },
    /// The bootstrap needs a newer glibc than the runtime has.
    #[error(
        "the bootstrap `{}` needs {version} (symbol `{symbol}`), but provided.al2023 has \
         GLIBC_{}.{}: build it against an older glibc (e.g. `cargo lambda build --release`, \
         which links with zig) or statically (`-C target-feature=+crt-static`)",
        path.display(), MAX_GLIBC.0, MAX_GLIBC.1
    )]
    GlibcTooNew {
        /// The file.
        path: PathBuf,
        /// The newest version it needs, e.g. `GLIBC_2.38`.
        version: String,
        /// A symbol that needs it.
        symbol: String,
    },
    /// Writing an archive (zip, tar.gz) failed.
    #[error("writing the {what}: {message}")]
    Archive {
        /// `zip`, `image layer`...
        what: &'static str,
        /// The failure.
        message: String,
    },
    /// A container registry refused or failed a request.
    #[error("the registry {registry}: {problem}")]
    Registry {
        /// `host:port/repository`.
        registry: String,
        /// What happened.
        problem: RegistryProblem,
    },
    /// An AWS API call failed.
    #[error("AWS {operation}: {message}")]
    Aws {
        /// The operation, e.g. `lambda:CreateFunction`.
        operation: &'static str,
        /// The SDK's whole error chain.
        message: String,
    },
    /// The AWS configuration could not be built (no region, a bad endpoint).
    #[error(transparent)]
    Config(#[from] grove_aws::AwsError),
    /// An AWS answer lacked what the call exists to return.
    #[error("{service} returned no {missing}")]
    Incomplete {
        /// `Lambda`, `IAM`, `ECR`.
        service: &'static str,
        /// What is missing, e.g. ``role `lambda-ex` ``.
        missing: String,
    },
    /// A registry reference does not parse.
    #[error("`{text}` is not a registry reference HOST[:PORT]/REPOSITORY[:TAG]: {why}")]
    BadReference {
        /// The reference as given.
        text: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// ECR's authorization token is not what ECR documents.
    #[error("ECR's authorization token is not base64 `user:password`")]
    BadEcrToken,
    /// An ARN that should name a Lambda function does not.
    #[error("`{arn}` is not a Lambda function ARN")]
    NotAFunctionArn {
        /// The ARN.
        arn: String,
    },
    /// The deployed function's package type (zip, image) differs from the one deployed now.
    #[error(
        "function `{function}` is a {deployed} function and cannot become a {wanted} one in \
         place: delete it (`aws lambda delete-function --function-name {function}`) or deploy \
         under another --function-name"
    )]
    PackageTypeChange {
        /// The function.
        function: String,
        /// `Zip` or `Image`, as Lambda names it.
        deployed: String,
        /// `Zip` or `Image`.
        wanted: String,
    },
    /// Lambda reports the function (or a version of it) `Failed`.
    #[error("function `{function}` failed: {reason}")]
    FunctionFailed {
        /// The function, with `:version` for a published version.
        function: String,
        /// Lambda's `StateReason`.
        reason: String,
    },
    /// Lambda reports the function's last update `Failed`.
    #[error("the update of `{function}` failed: {reason}")]
    UpdateFailed {
        /// The function.
        function: String,
        /// Lambda's `LastUpdateStatusReason`.
        reason: String,
    },
    /// The function was still being created or updated when grove stopped waiting.
    #[error("function `{function}` was still updating after {waited_s} s")]
    StillUpdating {
        /// The function.
        function: String,
        /// How long grove waited.
        waited_s: u64,
    },
    /// A shared library a dynamic bootstrap loads is not on this machine to copy into an image.
    #[error(
        "the bootstrap needs `{name}`, which is not in {searched} on this machine, so it cannot \
         be put in a FROM-scratch image (build a static bootstrap instead)"
    )]
    LibraryNotFound {
        /// The library's `DT_NEEDED` name, e.g. `libgcc_s.so.1`.
        name: String,
        /// The directories looked in.
        searched: String,
    },
    /// The task pushing the image panicked or was cancelled.
    #[error("the push stopped: {0}")]
    PushStopped(#[source] tokio::task::JoinError),
    /// The function ran and failed.
    #[error("the function failed: {error_type}: {message}")]
    FunctionError {
        /// `errorType` from the payload (or the `X-Amz-Function-Error` kind).
        error_type: String,
        /// `errorMessage` from the payload.
        message: String,
        /// The whole error payload.
        payload: String,
    },
}

/// What went wrong with a registry, request by request (`HEAD blob`, `PUT manifest`…).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryProblem {
    /// The request got no answer (DNS, connection, TLS, timeout).
    #[error("{request}: {message}")]
    Unreachable {
        /// The request, e.g. `HEAD blob`.
        request: &'static str,
        /// The HTTP client's account of it.
        message: String,
    },
    /// The registry answered with a status the protocol does not expect there.
    #[error("{request}: HTTP {status}: {body}{}", auth_hint(*status, challenge.as_deref()))]
    Refused {
        /// The request, e.g. `PUT manifest`.
        request: &'static str,
        /// The HTTP status.
        status: u16,
        /// The answer's body, trimmed.
        body: String,
        /// The `WWW-Authenticate` challenge, if any.
        challenge: Option<String>,
    },
    /// An upload session was opened without saying where to upload.
    #[error("the upload session has no Location")]
    NoUploadLocation,
    /// The registry stored the manifest under another digest than grove computed.
    #[error("the registry stored the manifest as {stored}, not {expected}")]
    DigestMismatch {
        /// The registry's `Docker-Content-Digest`.
        stored: String,
        /// The manifest's digest.
        expected: String,
    },
    /// The system's certificate store has no roots to verify an HTTPS registry with.
    #[error("no trusted root certificates in the system's store{}", parenthesised(detail))]
    NoTrustedRoots {
        /// Why the store could not be read, when rustls-native-certs said (may be empty).
        detail: String,
    },
}

/// Grove speaks only basic auth, so a 401 says either which scheme was asked for or that the
/// credentials were wrong.
fn auth_hint(status: u16, challenge: Option<&str>) -> String {
    match (status, challenge) {
        (401, Some(c)) => format!(" (the registry asks for `{c}`; only basic auth is spoken)"),
        (401, None) => " (wrong or missing credentials)".into(),
        _ => String::new(),
    }
}

fn parenthesised(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!(" ({text})")
    }
}

/// The newest glibc `provided.al2023` has (Amazon Linux 2023: 2.34).
pub const MAX_GLIBC: (u32, u32) = (2, 34);

/// Shorthand for results of this crate.
pub type Result<T, E = DeployError> = std::result::Result<T, E>;

impl DeployError {
    /// An `Io` error for `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> DeployError {
        let path = path.into();
        move |source| DeployError::Io { path, source }
    }

    /// An `Aws` error for `operation`, with the SDK error's whole context (code, message, HTTP
    /// failure) rather than its terse `Display`.
    pub fn aws<E>(operation: &'static str) -> impl FnOnce(E) -> DeployError
    where
        E: std::error::Error + 'static,
    {
        move |error| DeployError::Aws {
            operation,
            message: aws_sdk_lambda::error::DisplayErrorContext(&error).to_string(),
        }
    }
}
