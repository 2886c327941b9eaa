//! grove-deploy owns the tutorial's second half: packaging the Lambda bootstrap (the
//! `bootstrap.zip` for `provided.al2023`, and an OCI image built without Docker), checking the
//! bootstrap's glibc needs, pushing images with the OCI distribution API, and creating or
//! updating the AWS resources (IAM role, ECR repository, function, version, alias, function URL,
//! API Gateway HTTP API) with the AWS SDK for Rust, plus invoking the deployed function. It
//! takes the model as `.grove` bytes and the bootstrap as an executable file: it must not depend
//! on any grove model crate (forest, format, train, sklearn, http, lambda), and the AWS SDK
//! stays in this crate, out of every other library and out of the Lambda binary.

mod change;
mod digest;
mod error;
mod http_api;
mod iam;
mod lambda;

pub mod bootstrap;
pub mod config;
pub mod deploy;
pub mod ecr;
pub mod elf;
pub mod invoke;
pub mod oci;
pub mod registry;
pub mod zip;

pub use change::{Change, ChangeKind};
pub use digest::{code_sha256, sha256_digest};
pub use error::{DeployError, Result, MAX_GLIBC};
