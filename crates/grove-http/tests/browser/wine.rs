//! The built-in wine model's page, used as a person would, checked against the API.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use crate::driver::wait_for;
use crate::http;
use crate::page::{full_page, js, screenshots, shown, text, ENTER};

async fn the_card_names_the_model_and_its_features(client: &Client) {
    assert_eq!(text(client, "#card-title").await, "wine-quality");
    let features = client.find_all(Locator::Css("#features-body tr")).await.unwrap();
    assert_eq!(features.len(), 12);
    let names = js(
        client,
        "return [...document.querySelectorAll('#features-body td.name')].map(e => e.textContent);",
    )
    .await;
    assert!(names.as_array().unwrap().contains(&json!("alcohol")), "{names}");
    let lead = text(client, "#card-lead").await;
    assert!(lead.contains("quality") && lead.contains("7 classes"), "{lead}");
    assert!(text(client, "#card-facts").await.contains("Wine Quality"));
    assert_eq!(client.find_all(Locator::Css("#card-classes li")).await.unwrap().len(), 7);
    // The importance chart: one bar per feature, the widest first.
    assert_eq!(client.find_all(Locator::Css(".imp-fill")).await.unwrap().len(), 12);
}

/// Waits for the prediction of the row now in the form, then checks it against the API's.
async fn the_prediction_is_the_apis(client: &Client, addr: SocketAddr, alcohol: f64) -> Value {
    let expr = format!(
        "(() => {{ const r = document.getElementById('result'); if (r.dataset.state !== 'ready' || !r.dataset.for) return null;
           const row = JSON.parse(r.dataset.for); return row.alcohol === {alcohol} ? row : null; }})()"
    );
    let row = wait_for(client, &expr, "the prediction of the row").await;
    let (status, answer) = http::post(
        addr,
        "/predict?proba=true",
        "application/json",
        json!({"values": row}).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(text(client, "#predicted").await, shown(&answer["quality"]));
    let label = shown(&answer["quality"]);
    let p = answer["probabilities"][&label].as_f64().unwrap();
    let confidence = text(client, "#confidence").await;
    assert_eq!(confidence, format!("probability {}%", (p * 100.0).round()), "{answer}");
    let bars = client.find_all(Locator::Css("#proba li")).await.unwrap();
    assert_eq!(bars.len(), 7);
    assert_eq!(text(client, "#proba li.best .cls").await, label);
    row
}

async fn typing_a_value_updates_the_prediction(client: &Client, addr: SocketAddr) -> Value {
    let row = the_prediction_is_the_apis(client, addr, 8.8).await;
    assert_eq!(row["residual_sugar"], json!(20.7), "the form starts from the tutorial's wine");
    let alcohol = client.find(Locator::Css("input[name='alcohol']")).await.unwrap();
    alcohol.clear().await.unwrap();
    alcohol.send_keys("12.5").await.unwrap();
    let row = the_prediction_is_the_apis(client, addr, 12.5).await;
    // The live region is what a screen reader announces.
    assert_eq!(
        js(client, "return document.getElementById('prediction').getAttribute('aria-live');").await,
        json!("polite")
    );
    // Every feature's what-if curve, drawn from one batch for the row now in the form.
    wait_for(client, "document.getElementById('fields').dataset.curves", "the what-if curves")
        .await;
    let curves = client.find_all(Locator::Css("svg.spark polyline.curve")).await.unwrap();
    assert_eq!(curves.len(), 12);
    let spark = "document.querySelector('input[name=alcohol]').parentElement.querySelector('svg')";
    wait_for(client, &format!("{spark}.dataset.at === '12.5'"), "the curves for the new row").await;
    let label = js(client, &format!("return {spark}.getAttribute('aria-label');")).await;
    assert!(label.as_str().unwrap().starts_with("What if alcohol changes"), "{label}");
    row
}

async fn the_tree_viewer_opens_along_the_path(client: &Client, addr: SocketAddr, row: &Value) {
    let select = client.find(Locator::Css("#tree-select")).await.unwrap();
    select.select_by_value("3").await.unwrap();
    wait_for(
        client,
        "document.getElementById('tree-root').dataset.tree === '3' && document.getElementById('tree-root').dataset.state === 'ready'",
        "tree 3",
    )
    .await;
    let (status, answer) = http::post(
        addr,
        "/model/trees/3/path",
        "application/json",
        json!({"values": row}).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let on_path = "return [...document.querySelectorAll('#tree-root .node.on-path')].map(e => Number(e.dataset.node));";
    assert_eq!(js(client, on_path).await, answer["path"]);
    let leaf = answer["leaf"].as_u64().unwrap();
    assert!(text(client, "#tree-summary").await.contains(&format!("leaf {leaf}")));
    let note = text(client, &format!("li[data-node='{leaf}'] .path-note")).await;
    assert!(note.to_lowercase().contains("ends here"), "{note}");
    // Thousands of nodes, but only the open ones are in the page.
    let shown = js(client, "return document.querySelectorAll('#tree-root li').length;").await;
    assert!(shown.as_u64().unwrap() < 100, "{shown} nodes rendered");

    // Keyboard: Enter on a closed node's button opens it.
    let closed =
        client.find(Locator::Css("#tree-root button.toggle[aria-expanded='false']")).await.unwrap();
    let node = js(client, "return document.querySelector(\"#tree-root button.toggle[aria-expanded='false']\").closest('li').dataset.node;").await;
    closed.send_keys(ENTER).await.unwrap();
    let opened = format!("li[data-node='{}'] > ul > li", node.as_str().unwrap());
    assert_eq!(client.find_all(Locator::Css(&opened)).await.unwrap().len(), 2);
    assert_eq!(closed.attr("aria-expanded").await.unwrap().as_deref(), Some("true"));

    client.find(Locator::Css("#tree-collapse")).await.unwrap().click().await.unwrap();
    assert_eq!(
        js(client, "return document.querySelectorAll('#tree-root li').length;").await,
        json!(1)
    );
    client.find(Locator::Css("#tree-open-path")).await.unwrap().click().await.unwrap();
    assert_eq!(js(client, on_path).await, answer["path"]);
}

/// A CSV of the first rows of the wine data, with an extra column the model ignores.
fn wine_csv(dir: &Path) -> (PathBuf, String) {
    let fixture =
        grove_test::paths::shared_fixture("seed_rf.expected.csv").expect("checked by the test");
    let all =
        std::fs::read_to_string(&fixture).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
    let mut csv = String::new();
    for (i, line) in all.lines().enumerate().take(41) {
        let cells: Vec<&str> = line.split(',').take(12).collect();
        let id = if i == 0 { "id".to_string() } else { format!("w{i}") };
        csv.push_str(&format!("{id},{}\n", cells.join(",")));
    }
    let path = dir.join("wines.csv");
    std::fs::write(&path, &csv).unwrap();
    (path, csv)
}

async fn a_csv_comes_back_with_predictions(client: &Client, addr: SocketAddr) {
    let dir = tempfile::tempdir().unwrap();
    let (path, csv) = wine_csv(dir.path());
    let input = client.find(Locator::Css("input[type=file]")).await.unwrap();
    input.send_keys(&path.display().to_string()).await.unwrap();
    wait_for(client, "document.getElementById('batch').dataset.state === 'ready'", "the batch")
        .await;
    let link = client.find(Locator::Css("#csv-download")).await.unwrap();
    assert_eq!(link.attr("download").await.unwrap().as_deref(), Some("wines.predicted.csv"));
    let got = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.getElementById('csv-download').href).then(r => r.text()).then(done, e => done('failed: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    let got = got.as_str().unwrap().to_string();
    let (status, answer) = http::post(addr, "/predict?proba=true", "text/csv", csv.clone()).await;
    assert_eq!(status, 200, "{answer}");
    let mut lines = got.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "id");
    assert_eq!(
        &header[13..],
        ["predicted", "proba_3", "proba_4", "proba_5", "proba_6", "proba_7", "proba_8", "proba_9"]
    );
    let predicted = header.iter().position(|h| *h == "predicted").unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 40);
    let want: Vec<String> = answer["predictions"].as_array().unwrap().iter().map(shown).collect();
    let column: Vec<String> = rows.iter().map(|r| r[predicted].to_string()).collect();
    assert_eq!(column, want);
    // The file's own columns come back as they were.
    for (line, row) in csv.lines().skip(1).zip(&rows) {
        assert_eq!(line.split(',').collect::<Vec<_>>(), row[..13]);
    }
    let p6: f64 = rows[0][header.iter().position(|h| *h == "proba_6").unwrap()].parse().unwrap();
    assert_eq!(p6, answer["probabilities"][0]["6"].as_f64().unwrap());
    assert!(text(client, "#batch-status").await.starts_with("Predicted 40 rows"));
}

async fn it_asks_nothing_of_any_other_server(client: &Client, addr: SocketAddr) {
    let urls =
        js(client, "return performance.getEntriesByType('resource').map(e => e.name);").await;
    let urls = urls.as_array().unwrap();
    assert!(urls.len() >= 8, "{urls:?}");
    let origin = format!("http://{addr}/");
    for url in urls {
        let url = url.as_str().unwrap();
        assert!(url.starts_with(&origin) || url.starts_with("blob:"), "{url}");
    }
}

async fn it_fits_a_phone(client: &Client) {
    client.set_window_size(390, 844).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let overflow =
        js(client, "return document.documentElement.scrollWidth - window.innerWidth;").await;
    let wide = js(client, "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className);").await;
    assert!(overflow.as_i64().unwrap() <= 0, "the page is {overflow}px wider than a phone: {wide}");
    full_page(client, 390, "page-phone.png").await;
    // A phone's first screens, one section each, as a person scrolling sees them.
    client.set_window_size(390, 844).await.unwrap();
    for section in ["card", "try", "trees", "batch"] {
        js(client, &format!("document.getElementById('{section}').scrollIntoView(); return 0;"))
            .await;
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(screenshots().join(format!("phone-{section}.png")), png).unwrap();
    }
}

pub async fn scenario(client: Client, addr: SocketAddr) {
    client.goto(&format!("http://{addr}/")).await.expect("the page loads");
    wait_for(&client, "document.getElementById('main').dataset.state === 'ready'", "the page")
        .await;
    assert_eq!(client.title().await.unwrap(), "wine-quality · grove");
    the_card_names_the_model_and_its_features(&client).await;
    let row = typing_a_value_updates_the_prediction(&client, addr).await;
    the_tree_viewer_opens_along_the_path(&client, addr, &row).await;
    a_csv_comes_back_with_predictions(&client, addr).await;
    it_asks_nothing_of_any_other_server(&client, addr).await;
    full_page(&client, 1280, "page-desktop.png").await;
    it_fits_a_phone(&client).await;
}
