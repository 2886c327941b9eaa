//! A streaming decoder for the tutorial's layout, `{"values": {…}}` or `{"values": [{…}, …]}`:
//! rows go straight from the body's bytes into float32, without building a JSON tree (whose
//! per-key strings cost more than predicting the row does).
//!
//! It only ever answers for a well-formed request. Anything else (another layout, a missing
//! feature, a string where a number belongs, too many rows) makes it step aside, and the
//! general decoder in `input.rs` reads the body again and words the error: one place owns the
//! messages, and the two decoders are checked against each other in the tests.

use std::collections::HashMap;
use std::fmt;

use grove_data::{json_input, RowsShape};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::Limits;

/// Rows, their shape and the body's own `proba` flag.
pub(crate) struct Decoded {
    pub(crate) rows: Vec<f32>,
    pub(crate) shape: RowsShape,
    pub(crate) proba: bool,
}

/// The features by name, built once per served model.
#[derive(Debug, Clone, Default)]
pub(crate) struct FeatureIndex {
    names: Vec<String>,
    position: HashMap<String, usize>,
}

impl FeatureIndex {
    pub(crate) fn new(features: &[String]) -> FeatureIndex {
        let position = features.iter().enumerate().map(|(i, f)| (f.clone(), i)).collect();
        FeatureIndex { names: features.to_vec(), position }
    }
}

/// The most features a row's bitset of given features can track.
const MAX_WIDTH: usize = 128;

/// The rows of a `values` request for a model with `features`, or `None` when the general
/// decoder must read the body.
pub(crate) fn decode(
    body: &[u8],
    index: &FeatureIndex,
    features: &[String],
    limits: &Limits,
) -> Option<Decoded> {
    // The index was built for the model's schema; a model swapped under it is not read here.
    let width = features.len();
    if index.names != features || width > MAX_WIDTH || index.position.len() != width {
        return None;
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let top = Top { index, width, limits }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    top
}

/// Why the fast path stepped aside; never shown to a caller.
#[derive(Debug)]
struct StepAside;

impl fmt::Display for StepAside {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a well-formed values request")
    }
}

fn aside<E: de::Error>() -> E {
    E::custom(StepAside)
}

struct Top<'a> {
    index: &'a FeatureIndex,
    width: usize,
    limits: &'a Limits,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = Option<Decoded>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<Decoded>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Option<Decoded>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Decoded>, A::Error> {
        let mut values = None;
        let mut proba = false;
        // As in a parsed object, a repeated key counts once, with its last value.
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Values => values = Some(map.next_value_seed(Rows { top: &self })?),
                Key::Proba => {
                    proba = match map.next_value::<Value>()? {
                        Value::Null => false,
                        Value::Bool(b) => b,
                        _ => return Err(aside()),
                    }
                }
                Key::Other => drop(map.next_value::<IgnoredAny>()?),
            }
        }
        Ok(values.map(|(rows, shape)| Decoded { rows, shape, proba }))
    }
}

/// A top-level key.
enum Key {
    Values,
    Proba,
    Other,
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "values" => Key::Values,
                    "proba" => Key::Proba,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// `values`: one object (one row) or a list of objects.
struct Rows<'t, 'a> {
    top: &'t Top<'a>,
}

impl<'de> DeserializeSeed<'de> for Rows<'_, '_> {
    type Value = (Vec<f32>, RowsShape);

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_, '_> {
    type Value = (Vec<f32>, RowsShape);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or a list of objects")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut rows = vec![0.0; self.top.width];
        Row { top: self.top, out: &mut rows }.visit_map(map)?;
        Ok((rows, RowsShape::One))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let width = self.top.width;
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(16).min(4096) * width);
        let mut n = 0;
        loop {
            if n == self.top.limits.max_rows {
                // One more row would be too many: let the general decoder say so.
                return match seq.next_element::<IgnoredAny>()? {
                    None => Ok((rows, RowsShape::Many)),
                    Some(_) => Err(aside()),
                };
            }
            let at = rows.len();
            rows.resize(at + width, 0.0);
            let seed = RowSeed { top: self.top, out: &mut rows[at..] };
            if seq.next_element_seed(seed)?.is_none() {
                rows.truncate(at);
                break;
            }
            n += 1;
        }
        if n == 0 {
            return Err(aside());
        }
        Ok((rows, RowsShape::Many))
    }
}

struct RowSeed<'t, 'a, 'o> {
    top: &'t Top<'a>,
    out: &'o mut [f32],
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(Row { top: self.top, out: self.out })
    }
}

/// One `{feature: value}` object, written into its row.
struct Row<'t, 'a, 'o> {
    top: &'t Top<'a>,
    out: &'o mut [f32],
}

impl<'de> Visitor<'de> for Row<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of features")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Which features were given: a feature may repeat (the last value wins, as in a
        // parsed object), so count the distinct ones (width <= MAX_WIDTH, checked in decode).
        let mut seen = 0u128;
        let mut distinct = 0;
        let mut next = 0;
        while let Some(feature) = map.next_key_seed(FeatureKey { index: self.top.index, next })? {
            match feature {
                Some(i) => {
                    next = i + 1;
                    let x = json_input(&map.next_value::<Value>()?).map_err(|_| aside())?;
                    self.out[i] = x;
                    if seen & (1 << i) == 0 {
                        seen |= 1 << i;
                        distinct += 1;
                    }
                }
                None => drop(map.next_value::<IgnoredAny>()?),
            }
        }
        if distinct != self.top.width {
            return Err(aside());
        }
        Ok(())
    }
}

/// A row's key: the feature's position, or `None` for a key the model does not know.
struct FeatureKey<'a> {
    index: &'a FeatureIndex,
    /// The feature after the previous key's: clients mostly send features in the model's
    /// order, so one comparison usually finds the key without hashing it.
    next: usize,
}

impl<'de> DeserializeSeed<'de> for FeatureKey<'_> {
    type Value = Option<usize>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FeatureKey<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a feature name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        if self.index.names.get(self.next).is_some_and(|name| name == v) {
            return Ok(Some(self.next));
        }
        Ok(self.index.position.get(v).copied())
    }
}
