//! grove-deploy owns the tutorial's second half: packaging the Lambda bootstrap (the
//! `bootstrap.zip` for `provided.al2023`, and an OCI image built without Docker), checking the
//! bootstrap's glibc needs, pushing images with the OCI distribution API, and creating or
//! updating the AWS resources (IAM role, ECR repository, function, version, alias, function URL,
//! API Gateway HTTP API) with the AWS SDK for Rust, plus invoking the deployed function. It
//! takes the model as `.grove` bytes and the bootstrap as an executable file: it must not depend
//! on any grove model crate (forest, format, train, sklearn, http, lambda), and the AWS SDK
//! stays in this crate, out of every other library and out of the Lambda binary.

use std::path::PathBuf;

pub mod bootstrap;
pub mod config;
pub mod deploy;
pub mod ecr;
pub mod elf;
pub mod http_api;
pub mod iam;
pub mod invoke;
pub mod lambda;
pub mod oci;
pub mod registry;
pub mod zip;

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
    #[error("the registry {registry}: {message}")]
    Registry {
        /// `host:port/repository`.
        registry: String,
        /// What happened.
        message: String,
    },
    /// An AWS API call failed.
    #[error("AWS {operation}: {message}")]
    Aws {
        /// The operation, e.g. `lambda:CreateFunction`.
        operation: &'static str,
        /// The SDK's whole error chain.
        message: String,
    },
    /// A setting or argument is unusable.
    #[error("{0}")]
    Invalid(String),
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

/// What a run did to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// It did not exist and was made.
    Created,
    /// It existed and was changed.
    Updated,
    /// It existed as wanted.
    Unchanged,
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Unchanged => "unchanged",
        })
    }
}

/// One line of a deploy's report: `function wine-quality: updated (code)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The resource, e.g. `role lambda-ex`.
    pub resource: String,
    /// What happened to it.
    pub kind: ChangeKind,
    /// Details (an ARN, a URL, what changed); may be empty.
    pub detail: String,
}

impl Change {
    /// A change with a detail.
    pub fn new(resource: impl Into<String>, kind: ChangeKind, detail: impl Into<String>) -> Change {
        Change { resource: resource.into(), kind, detail: detail.into() }
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.resource, self.kind)?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `sha256:<hex>` of `bytes`, as OCI digests are written.
pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("sha256:{}", hex(&sha2::Sha256::digest(bytes)))
}

/// Base64 of the SHA-256 of `bytes`: Lambda's `CodeSha256` of a zip.
pub fn code_sha256(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes))
}
