//! grove-store against moto's S3 on 127.0.0.1: push, list, load by id and label, roll back,
//! and the versions that must not load (garbage bytes, a bucket without versioning).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod store;
