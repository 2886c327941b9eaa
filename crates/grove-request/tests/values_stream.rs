//! The streaming `values` decoder against the general one: for any body, well-formed or not,
//! `decode_predict` (which tries the streaming decoder first) must give exactly what the
//! general decoder alone gives, rows, shape, flags and errors alike.

use grove_request::*;
use proptest::prelude::*;

fn model() -> &'static ServedModel {
    static MODEL: std::sync::OnceLock<ServedModel> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        ServedModel::new(grove_builtin::wine_quality().expect("built-in model"), "test")
    })
}

/// Rows compared bit for bit, so that NaN (from `null`) equals NaN.
fn outcome(r: Result<PredictInput, RequestError>) -> Result<(Vec<u32>, String), String> {
    r.map(|i| {
        let bits = i.rows.iter().map(|x| x.to_bits()).collect();
        (bits, format!("{:?} {:?} {} {}", i.shape, i.layout, i.proba, i.field))
    })
    .map_err(|e| format!("{e:?}"))
}

fn general(
    model: &ServedModel,
    body: &[u8],
    proba: bool,
    limits: &Limits,
) -> Result<PredictInput, RequestError> {
    decode_json_value(model, parse_json(body)?, proba, limits)
}

/// A JSON value for one feature: mostly numbers, sometimes what the decoders must refuse or
/// read specially.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        40 => (-1e3f64..1e3).prop_map(|v| format!("{v}")),
        2 => Just("true".to_string()),
        2 => Just("false".to_string()),
        2 => Just("null".to_string()),
        1 => Just("1e39".to_string()),
        1 => Just("\"7.0\"".to_string()),
        1 => Just("[1]".to_string()),
        1 => Just("{\"a\": 1}".to_string()),
    ]
}

fn row(features: Vec<String>) -> impl Strategy<Value = String> {
    let n = features.len();
    (
        proptest::collection::vec(cell(), n),
        proptest::collection::vec(0..n + 3, 0..n + 4),
        any::<bool>(),
    )
        .prop_map(move |(cells, order, extra)| {
            // Every feature usually, in a shuffled order, sometimes one missing or repeated,
            // sometimes a key the model does not know.
            let mut keys: Vec<String> = Vec::new();
            for i in order {
                let name = features.get(i).cloned().unwrap_or_else(|| format!("other{i}"));
                keys.push(format!("\"{name}\": {}", cells[i % n]));
            }
            if extra {
                for (f, c) in features.iter().zip(&cells) {
                    keys.push(format!("\"{f}\": {c}"));
                }
            }
            format!("{{{}}}", keys.join(", "))
        })
}

fn body(features: Vec<String>) -> impl Strategy<Value = String> {
    let rows = proptest::collection::vec(row(features.clone()), 0..4);
    (row(features), rows, 0..6usize, 0..5usize).prop_map(|(one, many, layout, extra)| {
        let values = match layout {
            0 | 1 => one,
            2 | 3 => format!("[{}]", many.join(", ")),
            4 => "7".to_string(),
            _ => "\"x\"".to_string(),
        };
        match extra {
            0 => format!("{{\"values\": {values}}}"),
            1 => format!("{{\"values\": {values}, \"proba\": true}}"),
            2 => format!("{{\"proba\": \"yes\", \"values\": {values}}}"),
            3 => format!("{{\"instances\": [[1, 2]], \"values\": {values}, \"values\": {values}}}"),
            _ => format!("{{\"values\": {values}"),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_streaming_decoder_answers_as_the_general_one(
        body in body(model().forest.schema().features.clone()),
        proba in any::<bool>(),
        max_rows in 1usize..4,
    ) {
        let model = model();
        let limits = Limits { max_rows, ..Limits::default() };
        let streamed = decode_predict(model, BodyFormat::Json, body.as_bytes(), proba, &limits);
        let general = general(model, body.as_bytes(), proba, &limits);
        prop_assert_eq!(outcome(streamed), outcome(general), "{}", body);
    }
}

#[test]
fn the_tutorial_body_decodes_to_its_twelve_features() {
    let model = model();
    let body =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/tutorial-body.json"))
            .expect("the tutorial's body");
    let input =
        decode_predict(model, BodyFormat::Json, &body, false, &Limits::default()).expect("decoded");
    let reference = general(model, &body, false, &Limits::default()).expect("decoded");
    assert_eq!(input, reference);
    assert_eq!(input.rows.len(), 12);
    assert_eq!(to_python_json(&answer(model, &input).expect("answer")), r#"{"quality": 6}"#);
}
