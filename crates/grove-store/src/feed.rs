//! [`S3Store`] as the feed a running server follows: the latest version is one HeadObject,
//! loading is [`S3Store::fetch`] (download and full validation).

use grove_request::{FeedFuture, ModelFeed, ServedModel};

use crate::S3Store;

impl ModelFeed for S3Store {
    fn describe(&self) -> String {
        self.location().to_string()
    }

    fn latest_version(&self) -> FeedFuture<'_, String> {
        Box::pin(async move { self.latest_version().await.map_err(Into::into) })
    }

    fn load<'a>(&'a self, version: &'a str) -> FeedFuture<'a, ServedModel> {
        Box::pin(async move { self.fetch(version).await.map_err(Into::into) })
    }
}
