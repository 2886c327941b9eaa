//! Helpers for reading the page and saving what it looks like.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::Value;

/// WebDriver's code for the Enter key.
pub const ENTER: &str = "\u{e007}";

pub fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("target/screenshots");
    dir
}

/// Saves the whole page at `width`: the window is made as tall as the page first, since a
/// WebDriver screenshot shows the viewport only.
pub async fn full_page(client: &Client, width: u32, name: &str) {
    client.set_window_size(width, 1000).await.expect("resize");
    client
        .execute("window.scrollTo(0, 0); document.activeElement.blur();", vec![])
        .await
        .expect("scroll");
    let height = client
        .execute(
            "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight;",
            vec![],
        )
        .await
        .expect("page height")
        .as_u64()
        .expect("a number") as u32;
    client.set_window_size(width, height).await.expect("resize");
    client.execute("window.scrollTo(0, 0);", vec![]).await.expect("scroll");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(screenshots().join(name), png).expect("write screenshot");
    client.set_window_size(1280, 1000).await.expect("resize");
}

pub async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

pub async fn js(client: &Client, script: &str) -> Value {
    client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// The label as the page prints it: `6`, `red`.
pub fn shown(label: &Value) -> String {
    label.as_str().map_or_else(|| label.to_string(), str::to_string)
}
