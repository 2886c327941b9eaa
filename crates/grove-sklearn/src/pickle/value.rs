//! What an unpickled stream is made of: small values inline, everything else in one arena.
//!
//! Containers are arena indices rather than owned trees because pickles share and mutate them
//! through the memo (a list is memoized, then appended to); an arena makes sharing free and
//! cycles harmless, and no accessor here recurses.

use crate::numpy::{Dtype, NdArray};
use crate::pickle::globals::Kind;

/// One pickled value. Copying it never copies data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Anything else, by its index in [`Doc::objs`].
    Ref(usize),
}

/// A value that lives in the arena.
#[derive(Debug)]
pub(crate) enum Obj {
    Str(String),
    Bytes(Vec<u8>),
    /// An integer wider than 64 bits: kept as a placeholder, since no field grove reads is one.
    BigInt,
    Tuple(Vec<Value>),
    List(Vec<Value>),
    /// Insertion-ordered pairs; a later key shadows an earlier equal one.
    Dict(Vec<(Value, Value)>),
    Set(Vec<Value>),
    Global {
        name: String,
        kind: Kind,
    },
    /// An instance of an allowed class: its class name and the state its BUILD gave.
    Instance {
        class: String,
        state: Option<Value>,
    },
    /// `sklearn.tree._tree.Tree`: constructor arguments and state.
    Tree {
        args: Vec<Value>,
        state: Option<Value>,
    },
    /// The empty array `_reconstruct` returns, until its BUILD.
    ArrayStub,
    Array(NdArray),
    Dtype(Dtype),
    /// Accepted and never read (random generator state, Cython loss internals).
    Opaque(String),
}

/// An unpickled document: the arena and the root value.
#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub(crate) objs: Vec<Obj>,
}

impl Doc {
    pub(crate) fn alloc(&mut self, obj: Obj) -> Value {
        self.objs.push(obj);
        Value::Ref(self.objs.len() - 1)
    }

    pub(crate) fn obj(&self, v: Value) -> Option<&Obj> {
        match v {
            Value::Ref(i) => self.objs.get(i),
            _ => None,
        }
    }

    pub(crate) fn obj_mut(&mut self, v: Value) -> Option<&mut Obj> {
        match v {
            Value::Ref(i) => self.objs.get_mut(i),
            _ => None,
        }
    }

    pub(crate) fn str(&self, v: Value) -> Option<&str> {
        match self.obj(v)? {
            Obj::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn bytes(&self, v: Value) -> Option<&[u8]> {
        match self.obj(v)? {
            Obj::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The items of a tuple or list.
    pub(crate) fn items(&self, v: Value) -> Option<&[Value]> {
        match self.obj(v)? {
            Obj::Tuple(t) | Obj::List(t) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn array(&self, v: Value) -> Option<&NdArray> {
        match self.obj(v)? {
            Obj::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The class name of an instance, or of the sklearn `Tree` type.
    pub(crate) fn class_of(&self, v: Value) -> Option<&str> {
        match self.obj(v)? {
            Obj::Instance { class, .. } => Some(class),
            Obj::Tree { .. } => Some("sklearn.tree._tree.Tree"),
            Obj::Opaque(name) => Some(name),
            _ => None,
        }
    }

    /// `d[key]` for a dict with string keys.
    pub(crate) fn dict_get(&self, dict: Value, key: &str) -> Option<Value> {
        match self.obj(dict)? {
            Obj::Dict(pairs) => {
                pairs.iter().rev().find(|(k, _)| self.str(*k) == Some(key)).map(|(_, v)| *v)
            }
            _ => None,
        }
    }

    /// The string-keyed pairs of a dict.
    pub(crate) fn dict_pairs(&self, dict: Value) -> Vec<(&str, Value)> {
        match self.obj(dict) {
            Some(Obj::Dict(pairs)) => {
                pairs.iter().filter_map(|(k, v)| Some((self.str(*k)?, *v))).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The attribute dictionary of an instance or `Tree`. A state of `(dict, slots)` — how
    /// Python pickles objects with `__slots__` — is reduced to its dict part.
    pub(crate) fn state_dict(&self, v: Value) -> Option<Value> {
        let state = match self.obj(v)? {
            Obj::Instance { state, .. } | Obj::Tree { state, .. } => (*state)?,
            _ => return None,
        };
        match self.obj(state)? {
            Obj::Dict(_) => Some(state),
            Obj::Tuple(t) => t.iter().copied().find(|x| matches!(self.obj(*x), Some(Obj::Dict(_)))),
            _ => None,
        }
    }

    /// An attribute of an instance.
    pub(crate) fn attr(&self, v: Value, name: &str) -> Option<Value> {
        self.dict_get(self.state_dict(v)?, name)
    }

    /// An integer, from a Python int, bool or numpy integer scalar.
    pub(crate) fn int(&self, v: Value) -> Option<i64> {
        match v {
            Value::Int(i) => Some(i),
            Value::Bool(b) => Some(i64::from(b)),
            _ => None,
        }
    }

    pub(crate) fn float(&self, v: Value) -> Option<f64> {
        match v {
            Value::Float(f) => Some(f),
            Value::Int(i) => Some(i as f64),
            _ => None,
        }
    }

    /// A short Python-like spelling of a scalar parameter value, or `None` for anything
    /// structured (which is not a hyper-parameter worth recording).
    pub(crate) fn param_repr(&self, v: Value) -> Option<String> {
        Some(match v {
            Value::None => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => grove_forest::python_float_repr(f),
            Value::Ref(_) => self.str(v)?.to_string(),
        })
    }
}
