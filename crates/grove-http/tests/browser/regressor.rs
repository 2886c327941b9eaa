//! The page for a model unlike the wine one: a regressor with no training ranges and no node
//! statistics, imported from a pickle. Everything must still show, from what the model has.

use std::net::SocketAddr;

use fantoccini::{Client, Locator};
use grove_forest::{
    Aggregation, Forest, ForestParts, MissingValues, Provenance, Schema, Task, Tree, LEAF,
};
use serde_json::{json, Value};

use crate::driver::wait_for;
use crate::http;
use crate::page::{full_page, js, text};

fn tree(children: &[(i32, i32)], feature: &[i32], threshold: &[f64], value: &[f64]) -> Tree {
    Tree {
        children_left: children.iter().map(|c| c.0).collect(),
        children_right: children.iter().map(|c| c.1).collect(),
        feature: feature.to_vec(),
        threshold: threshold.to_vec(),
        missing_go_to_left: vec![true; children.len()],
        value: value.to_vec(),
        stats: None,
    }
}

/// Two trees predicting a house price from size, age and rooms: prices rise with size and
/// rooms and fall with age, so every what-if curve has a step to see.
pub fn model() -> Forest {
    let l = LEAF;
    let a = tree(
        &[(1, 2), (l, l), (3, 4), (l, l), (l, l)],
        &[0, -2, 1, -2, -2],
        &[50.0, -2.0, 10.0, -2.0, -2.0],
        &[180.0, 100.0, 250.0, 300.0, 200.0],
    );
    let b =
        tree(&[(1, 2), (l, l), (l, l)], &[2, -2, -2], &[3.5, -2.0, -2.0], &[190.0, 120.0, 260.0]);
    Forest::new(ForestParts {
        name: "house-prices".into(),
        schema: Schema {
            features: vec!["size".into(), "age".into(), "rooms".into()],
            target: "price".into(),
            feature_ranges: None,
        },
        task: Task::Regressor,
        aggregation: Aggregation::Mean,
        missing: MissingValues::Route,
        trees: vec![a, b],
        provenance: Provenance {
            origin: "imported".into(),
            estimator: "sklearn.ensemble.RandomForestRegressor".into(),
            source: Some("houses.pkl".into()),
            source_version: Some("1.5.2".into()),
            created_at: "2026-01-02T03:04:05Z".into(),
            grove_version: "0.1.0".into(),
            params: Default::default(),
        },
    })
    .expect("a valid model")
}

async fn shown_price(client: &Client, addr: SocketAddr, size: f64) -> Value {
    let expr = format!(
        "(() => {{ const r = document.getElementById('result'); if (r.dataset.state !== 'ready' || !r.dataset.for) return null;
           const row = JSON.parse(r.dataset.for); return row.size === {size} ? row : null; }})()"
    );
    let row = wait_for(client, &expr, "the prediction").await;
    let (status, answer) =
        http::post(addr, "/predict", "application/json", json!({"values": row}).to_string()).await;
    assert_eq!(status, 200, "{answer}");
    let want = answer["price"].as_f64().unwrap();
    let got: f64 = text(client, "#predicted").await.parse().unwrap();
    assert!((got - want).abs() <= 1e-9 * want.abs(), "page {got}, API {want}");
    assert!(client.find_all(Locator::Css("#proba li")).await.unwrap().is_empty());
    row
}

pub async fn scenario(client: Client, addr: SocketAddr) {
    client.goto(&format!("http://{addr}/")).await.expect("the page loads");
    wait_for(&client, "document.getElementById('main').dataset.state === 'ready'", "the page")
        .await;
    assert_eq!(text(&client, "#card-title").await, "house-prices");
    assert!(text(&client, "#card-lead").await.contains("price (a number)"));
    assert!(text(&client, "#card-facts")
        .await
        .contains("Imported from houses.pkl (made with scikit-learn 1.5.2)"));
    assert!(text(&client, "#features-hint").await.contains("no training statistics"));
    assert_eq!(text(&client, "#try-title").await, "Try an input");

    // Without training ranges the form starts in the middle of the thresholds the trees test.
    let row = shown_price(&client, addr, 50.0).await;
    assert_eq!(row, json!({"size": 50, "age": 10, "rooms": 3.5}));
    let size = client.find(Locator::Css("input[name='size']")).await.unwrap();
    size.clear().await.unwrap();
    size.send_keys("70").await.unwrap();
    let row = shown_price(&client, addr, 70.0).await;
    wait_for(&client, "document.querySelector('input[name=size]').parentElement.querySelector('svg').dataset.at === '70'", "the curves").await;
    let label = js(&client, "return document.querySelector('input[name=size]').parentElement.querySelector('svg').getAttribute('aria-label');").await;
    assert!(label.as_str().unwrap().contains("predicted price"), "{label}");

    // Tree 0: the row (size 70 > 50, age 10 <= 10) takes the right branch, then the left.
    wait_for(&client, "document.getElementById('tree-root').dataset.state === 'ready' && document.querySelectorAll('#tree-root .on-path').length === 3", "the path").await;
    let (_, path) = http::post(
        addr,
        "/model/trees/0/path",
        "application/json",
        json!({"values": row}).to_string(),
    )
    .await;
    assert_eq!(path["path"], json!([0, 2, 3]));
    let on_path = js(&client, "return [...document.querySelectorAll('#tree-root .node.on-path')].map(e => Number(e.dataset.node));").await;
    assert_eq!(on_path, path["path"]);
    assert!(text(&client, "#tree-summary").await.contains("this tree says price 300"));
    assert!(
        js(&client, "return document.getElementById('tree-legend').hidden;").await == json!(true)
    );

    // A batch: the predicted column and no probabilities.
    let csv = "size,age,rooms\n40,5,2\n70,5,4\n70,30,4\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("houses.csv");
    std::fs::write(&file, csv).unwrap();
    let input = client.find(Locator::Css("input[type=file]")).await.unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    wait_for(&client, "document.getElementById('batch').dataset.state === 'ready'", "the batch")
        .await;
    let got = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.getElementById('csv-download').href).then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .unwrap();
    let (_, answer) = http::post(addr, "/predict", "text/csv", csv.to_string()).await;
    let want: Vec<String> = answer["predictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| format!("{}", v.as_f64().unwrap()))
        .collect();
    let mut expected = String::from("size,age,rooms,predicted\n");
    for (line, p) in csv.lines().skip(1).zip(&want) {
        expected.push_str(&format!("{line},{p}\n"));
    }
    assert_eq!(got.as_str().unwrap(), expected);
    full_page(&client, 1280, "page-regressor.png").await;
}
