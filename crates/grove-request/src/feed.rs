//! Where a running server gets new versions of its model from: the [`ModelFeed`] trait. It
//! lives here, beside [`ServedModel`], so that the HTTP crate (which polls it and swaps models)
//! and the storage crate (which implements it for S3) both depend on it without depending on
//! each other: the HTTP crate stays free of AWS and the storage crate free of HTTP frameworks.

use std::future::Future;
use std::pin::Pin;

use crate::ServedModel;

/// Why a feed could not answer: the implementation's own error, kept whole for its message.
pub type FeedError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The future a [`ModelFeed`] method returns (plain std futures, no runtime named).
pub type FeedFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, FeedError>> + Send + 'a>>;

/// A source of model versions, e.g. the S3 object versions of one key.
pub trait ModelFeed: Send + Sync {
    /// Where the models come from, for logs (`s3://bucket/key`).
    fn describe(&self) -> String;

    /// The version a reload would serve now (for S3, the latest object version's id). Cheap:
    /// it is asked at every poll.
    fn latest_version(&self) -> FeedFuture<'_, String>;

    /// Fetches `version` and validates it fully (a model that loads is a model that predicts);
    /// the result carries `version` as its [`ServedModel::version`].
    fn load<'a>(&'a self, version: &'a str) -> FeedFuture<'a, ServedModel>;
}
