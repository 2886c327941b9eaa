//! skops archives: a zip of `schema.json` (a tree of typed nodes) and `.npy` arrays.
//!
//! The node tree is rebuilt into the same arena the pickle reader fills, so the estimator
//! converters serve both. A node's class is resolved against the pickle reader's allow-list
//! exactly as a pickle global would be; the archive's own notion of trusted types is ignored.

use std::collections::HashMap;
use std::io::Read;

use grove_forest::ForestParts;
use serde_json::Value as Json;

use crate::error::{ImportError, Result};
use crate::numpy::{number_at, NdArray};
use crate::pickle::value::{Doc, Obj, Value};
use crate::pickle::{allowed, Kind};
use crate::{estimators, npy, ImportOptions};

/// Archives inflating past this are refused.
const MAX_MEMBER: u64 = 1 << 30;

/// Loads the estimator in a `.skops` archive.
pub(crate) fn load(
    bytes: &[u8],
    opts: &ImportOptions,
    source: Option<&str>,
) -> Result<ForestParts> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::Skops(format!("not a readable zip archive: {e}")))?;
    // Each NdArrayNode may name any member, so reads are budgeted like decompression.
    let mut budget =
        MAX_MEMBER.min((bytes.len() as u64).saturating_mul(1100).saturating_add(1 << 20));
    let schema = member(&mut zip, "schema.json", &mut budget)?;
    let schema: Json = serde_json::from_slice(&schema)
        .map_err(|e| ImportError::Skops(format!("schema.json: {e}")))?;
    let mut b = Builder { zip, doc: Doc::default(), ids: HashMap::new(), budget };
    let root = b.node(&schema)?;
    estimators::to_parts(&b.doc, root, opts, source)
}

fn member(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
) -> Result<Vec<u8>> {
    let f = zip.by_name(name).map_err(|e| ImportError::Skops(format!("member `{name}`: {e}")))?;
    let mut out = Vec::new();
    f.take(*budget + 1)
        .read_to_end(&mut out)
        .map_err(|e| ImportError::Skops(format!("member `{name}`: {e}")))?;
    *budget = budget.checked_sub(out.len() as u64).ok_or_else(|| {
        ImportError::Skops(format!(
            "reading `{name}` goes past what the archive could hold; refused"
        ))
    })?;
    Ok(out)
}

struct Builder<'a> {
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    doc: Doc,
    /// Nodes by `__id__`, for `CachedNode` references.
    ids: HashMap<u64, Value>,
    /// Bytes members may still inflate to.
    budget: u64,
}

fn bad(msg: impl Into<String>) -> ImportError {
    ImportError::Skops(msg.into())
}

impl Builder<'_> {
    /// Rebuilds one node. Recursion follows the JSON nesting, which serde_json already caps.
    fn node(&mut self, n: &Json) -> Result<Value> {
        let loader = n
            .get("__loader__")
            .and_then(Json::as_str)
            .ok_or_else(|| bad("a node has no __loader__"))?;
        let module = n.get("__module__").and_then(Json::as_str).unwrap_or("");
        let class = n.get("__class__").and_then(Json::as_str).unwrap_or("");
        let id = n.get("__id__").and_then(Json::as_u64);
        if loader == "CachedNode" {
            return id
                .and_then(|id| self.ids.get(&id).copied())
                .ok_or_else(|| bad("a CachedNode refers to an unknown object"));
        }
        let content = n.get("content");
        let v = match loader {
            "JsonNode" => {
                let text = content
                    .and_then(Json::as_str)
                    .ok_or_else(|| bad("a JsonNode without content"))?;
                // Python's json writes non-finite floats as bare words, which strict JSON lacks.
                match text {
                    "NaN" => Value::Float(f64::NAN),
                    "Infinity" => Value::Float(f64::INFINITY),
                    "-Infinity" => Value::Float(f64::NEG_INFINITY),
                    _ => {
                        let j: Json = serde_json::from_str(text)
                            .map_err(|e| bad(format!("JsonNode `{text}`: {e}")))?;
                        self.json_scalar(&j)?
                    }
                }
            }
            "DictNode" => {
                let map = content
                    .and_then(Json::as_object)
                    .ok_or_else(|| bad("a DictNode without content"))?;
                let mut pairs = Vec::with_capacity(map.len());
                for (k, v) in map {
                    let key = self.doc.alloc(Obj::Str(k.clone()));
                    pairs.push((key, self.node(v)?));
                }
                self.doc.alloc(Obj::Dict(pairs))
            }
            "ListNode" | "TupleNode" => {
                let items = content
                    .and_then(Json::as_array)
                    .ok_or_else(|| bad("a list node without content"))?;
                let items = items.iter().map(|x| self.node(x)).collect::<Result<Vec<_>>>()?;
                self.doc.alloc(if loader == "ListNode" {
                    Obj::List(items)
                } else {
                    Obj::Tuple(items)
                })
            }
            "ObjectNode" => {
                let name = format!("{module}.{class}");
                if allowed(module, class) != Some(Kind::Class) {
                    return Err(bad(format!(
                        "refused `{name}`: it is not one of the scikit-learn classes grove reads"
                    )));
                }
                let state = match content {
                    Some(c) => Some(self.node(c)?),
                    None => None,
                };
                self.doc.alloc(Obj::Instance { class: name, state })
            }
            "TreeNode" => {
                if (module, class) != ("sklearn.tree._tree", "Tree") {
                    return Err(bad(format!("refused a TreeNode of `{module}.{class}`")));
                }
                let args = n
                    .get("__reduce__")
                    .and_then(|r| r.get("args"))
                    .ok_or_else(|| bad("a TreeNode without constructor arguments"))?;
                let args = self.node(args)?;
                let args = self.doc.items(args).map(<[Value]>::to_vec).unwrap_or_default();
                let state = match content {
                    Some(c) => Some(self.node(c)?),
                    None => None,
                };
                self.doc.alloc(Obj::Tree { args, state })
            }
            "NdArrayNode" => self.ndarray(n, module, class)?,
            // State nobody reads: random generators, the Cython half of a loss, type objects.
            "RandomStateNode"
            | "RandomGeneratorNode"
            | "BitGeneratorNode"
            | "LossNode"
            | "TypeNode" => self.doc.alloc(Obj::Opaque(format!("{module}.{class}"))),
            other => {
                return Err(bad(format!(
                    "refused a `{other}` node of `{module}.{class}`: grove reads only the node \
                     types scikit-learn tree ensembles use"
                )))
            }
        };
        if let Some(id) = id {
            self.ids.insert(id, v);
        }
        Ok(v)
    }

    fn json_scalar(&mut self, j: &Json) -> Result<Value> {
        Ok(match j {
            Json::Null => Value::None,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().ok_or_else(|| bad("a number out of range"))?),
            },
            Json::String(s) => self.doc.alloc(Obj::Str(s.clone())),
            _ => return Err(bad("a JsonNode holding a structure")),
        })
    }

    fn ndarray(&mut self, n: &Json, module: &str, class: &str) -> Result<Value> {
        if module != "numpy" {
            return Err(bad(format!("refused an array of type `{module}.{class}`")));
        }
        match n.get("type").and_then(Json::as_str) {
            Some("numpy") => {
                let file = n
                    .get("file")
                    .and_then(Json::as_str)
                    .ok_or_else(|| bad("an array without a file"))?;
                let raw = member(&mut self.zip, file, &mut self.budget)?;
                let a = npy::parse(&raw).map_err(|e| bad(format!("{file}: {e}")))?;
                if a.shape.is_empty() {
                    // A numpy scalar (`np.int64(3)`) is stored as a 0-d array.
                    let crate::numpy::ArrayData::Raw(raw) = &a.data else {
                        return Err(bad("a scalar holding objects"));
                    };
                    return Ok(number_at(raw, 0, &a.dtype).map_err(bad)?.into_value());
                }
                Ok(self.doc.alloc(Obj::Array(a)))
            }
            Some("json") => {
                let shape = n.get("shape").ok_or_else(|| bad("an object array without a shape"))?;
                let shape = self.node(shape)?;
                let shape = crate::numpy::shape_of(&self.doc, shape).map_err(bad)?;
                let items = n
                    .get("content")
                    .and_then(Json::as_array)
                    .ok_or_else(|| bad("an object array without content"))?;
                let mut values = items.iter().map(|x| self.node(x)).collect::<Result<Vec<_>>>()?;
                // Multi-dimensional object arrays are stored as nested lists, one level a
                // dimension.
                for _ in 1..shape.len() {
                    let mut flat = Vec::new();
                    for v in values {
                        flat.extend_from_slice(
                            self.doc.items(v).ok_or_else(|| bad("a ragged object array"))?,
                        );
                    }
                    values = flat;
                }
                let dtype = crate::numpy::Dtype::from_type_string("O").map_err(bad)?;
                if values.len() != crate::numpy::element_count(&shape).map_err(bad)? {
                    return Err(bad("an object array's content does not fill its shape"));
                }
                let a = NdArray {
                    shape,
                    dtype,
                    fortran: false,
                    data: crate::numpy::ArrayData::Objects(values),
                };
                Ok(self.doc.alloc(Obj::Array(a)))
            }
            other => Err(bad(format!("an array stored as {other:?}"))),
        }
    }
}
