//! The web page in a real browser: headless Chromium (Debian's, installed by
//! `scripts/test-deps.sh`) loads `GET /` from a server on loopback and is used as a person
//! would — typing, keyboard on the tree viewer, a file upload — and every number it shows is
//! checked against the API's own answer to the same request. Screenshots go to
//! `target/screenshots/`.

// Test code, helpers included: a failed unwrap is a failed test (clippy's
// allow-unwrap-in-tests covers only the #[test] functions themselves).
#![allow(clippy::unwrap_used)]

mod driver;
mod http;
mod page;
mod regressor;
mod wine;

use std::time::Duration;

use driver::Browser;
use grove_test::needs::program;
use grove_test::require;

/// Both models' pages in one browser, one after the other: two Chromiums at once would
/// only compete for a small machine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_each_model_and_agrees_with_the_api() {
    let chromedriver = require!(program("chromedriver"));
    let chromium = require!(program("chromium"));
    // The wine scenario uploads rows of sklearn's own predictions.
    require!(grove_test::paths::shared_fixtures());
    let wine = http::serve(grove_builtin::wine_quality().expect("built-in model")).await;
    let houses = http::serve(regressor::model()).await;
    let browser = Browser::start(&chromedriver, &chromium).await;
    let client = browser.client.clone();
    let run = tokio::spawn(async move {
        wine::scenario(client.clone(), wine).await;
        regressor::scenario(client, houses).await;
    });
    let outcome = tokio::time::timeout(Duration::from_secs(150), run).await;
    // The browser is stopped whatever happened, before the test reports.
    browser.close().await;
    match outcome {
        Err(_) => panic!("the browser scenarios took more than 150 s"),
        Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Ok(Err(e)) => panic!("{e}"),
        Ok(Ok(())) => {}
    }
}
