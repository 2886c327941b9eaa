//! grove-deploy owns the tutorial's second half: packaging the Lambda bootstrap (the
//! `bootstrap.zip` for `provided.al2023`, and an OCI image built without Docker), checking the
//! bootstrap's glibc needs, pushing images with the OCI distribution API, and creating or
//! updating the AWS resources (IAM role, ECR repository, function, version, alias, function URL,
//! API Gateway HTTP API) with the AWS SDK for Rust, plus invoking the deployed function. It
//! takes the model as `.grove` bytes and the bootstrap as an executable file: it must not depend
//! on any grove model crate (forest, format, train, sklearn, http, lambda); its AWS clients
//! (IAM, ECR, Lambda, API Gateway) stay in this crate, out of the Lambda binary, and share the
//! SDK configuration grove-aws loads. The CLI builds what it sends (the tutorial's body, CSV
//! rows read by grove-data) and hands grove-deploy bytes.
//!
//! [`DeployError`], the report's [`Change`]s and the two digests live in `error`, `change` and
//! `digest` and are re-exported here; `lambda`, `iam` and `http_api` are steps of
//! [`deploy::run`], private to the crate.

mod change;
mod digest;
mod error;
mod http_api;
mod iam;
mod lambda;

pub mod bootstrap;
pub mod config;
pub mod contents;
pub mod deploy;
pub mod ecr;
pub mod elf;
pub mod invoke;
pub mod oci;
pub mod registry;
pub mod zip;

pub use change::{Change, ChangeKind};
pub use digest::{code_sha256, sha256_digest};
pub use error::{DeployError, RegistryProblem, Result, MAX_GLIBC};
