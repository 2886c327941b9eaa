//! The pickle stack machine. It interprets opcodes the way CPython's unpickler does, except
//! that every global resolves against [`super::globals`] and every "call" builds passive data:
//! nothing from the input is ever executed, and every length is checked against the bytes
//! actually present before anything is allocated.

use std::collections::HashMap;

use super::globals::{self, Kind};
use super::opcodes as op;
use super::value::{Doc, Obj, Value};
use crate::error::{ImportError, Result};
use crate::numpy::{self, Dtype, NdArray};

/// How many MARKs may be open at once. Real estimator pickles stay in the tens.
const MAX_MARKS: usize = 1000;
/// How deeply joblib may nest pickles (object arrays are pickled inside the stream).
const MAX_NESTED_PICKLES: usize = 4;
/// Bytes the reader may allocate beyond what it reads straight from the input: copies made
/// when a memoized object is reused (an array's data, a call's arguments). Without a cap, a
/// short pickle could fetch one large object from the memo many times.
const COPY_ALLOWANCE_PER_INPUT_BYTE: usize = 4;
const COPY_ALLOWANCE_BASE: usize = 16 << 20;

/// Reads pickles from a byte buffer into one shared arena.
pub(crate) struct Machine<'a> {
    data: &'a [u8],
    pos: usize,
    pub(crate) doc: Doc,
    nested: usize,
    /// What copies may still allocate.
    budget: usize,
}

impl<'a> Machine<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Machine<'a> {
        let budget = data
            .len()
            .saturating_mul(COPY_ALLOWANCE_PER_INPUT_BYTE)
            .saturating_add(COPY_ALLOWANCE_BASE);
        Machine { data, pos: 0, doc: Doc::default(), nested: 0, budget }
    }

    /// Accounts for `bytes` copied out of an object the input may reference many times.
    fn charge(&mut self, at: usize, bytes: usize) -> Result<()> {
        self.budget = self.budget.checked_sub(bytes).ok_or_else(|| {
            ImportError::pickle(
                at,
                "the pickle reuses its objects into more memory than it could hold; refused",
            )
        })?;
        Ok(())
    }

    fn err(&self, at: usize, problem: impl Into<String>) -> ImportError {
        ImportError::pickle(at, problem)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len()).ok_or_else(|| {
            self.err(
                self.pos,
                format!("needs {n} more bytes, only {} remain", self.data.len() - self.pos),
            )
        })?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// A length field, accepted only if that many bytes are actually left.
    fn len_field(&mut self, n: u64) -> Result<usize> {
        let remaining = self.data.len() - self.pos;
        match usize::try_from(n) {
            Ok(n) if n <= remaining => Ok(n),
            _ => {
                Err(self
                    .err(self.pos, format!("a length of {n} bytes, but only {remaining} remain")))
            }
        }
    }

    /// A text-protocol line, without its newline.
    fn line(&mut self) -> Result<&'a [u8]> {
        let rest = &self.data[self.pos..];
        let n = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| self.err(self.pos, "unterminated line"))?;
        self.pos += n + 1;
        Ok(&rest[..n])
    }

    fn line_str(&mut self) -> Result<&'a str> {
        let at = self.pos;
        let line = self.line()?;
        std::str::from_utf8(line).map_err(|_| self.err(at, "a text opcode argument is not UTF-8"))
    }

    /// Runs one pickle, from the current position to its STOP, with a fresh stack and memo.
    pub(crate) fn load(&mut self) -> Result<Value> {
        let mut stack: Vec<Value> = Vec::new();
        let mut marks: Vec<usize> = Vec::new();
        let mut memo: HashMap<u64, Value> = HashMap::new();
        loop {
            let at = self.pos;
            let code = self.byte()?;
            let underflow = || ImportError::pickle(at, "stack underflow");
            macro_rules! pop {
                () => {
                    stack.pop().ok_or_else(underflow)?
                };
            }
            macro_rules! top {
                () => {
                    *stack.last().ok_or_else(underflow)?
                };
            }
            macro_rules! pop_mark {
                () => {{
                    let m = marks.pop().ok_or_else(|| self.err(at, "no MARK to pop to"))?;
                    if m > stack.len() {
                        return Err(self.err(at, "MARK above the stack"));
                    }
                    stack.split_off(m)
                }};
            }
            match code {
                op::PROTO => {
                    let v = self.byte()?;
                    if v > 5 {
                        return Err(self.err(at, format!("pickle protocol {v} is not supported")));
                    }
                }
                op::FRAME => {
                    // Frames only group opcodes for buffered readers; the bytes are contiguous.
                    let n = self.u64()?;
                    self.len_field(n)?;
                }
                op::STOP => {
                    return stack.pop().ok_or_else(|| self.err(at, "STOP on an empty stack"))
                }
                op::POP => {
                    if stack.pop().is_none() {
                        let _ = pop_mark!();
                    }
                }
                op::POP_MARK => {
                    let _ = pop_mark!();
                }
                op::DUP => {
                    let v = top!();
                    stack.push(v);
                }
                op::MARK => {
                    if marks.len() >= MAX_MARKS {
                        return Err(ImportError::TooDeep { limit: MAX_MARKS, offset: at });
                    }
                    marks.push(stack.len());
                }
                op::NONE => stack.push(Value::None),
                op::NEWTRUE => stack.push(Value::Bool(true)),
                op::NEWFALSE => stack.push(Value::Bool(false)),
                op::INT => {
                    let s = self.line_str()?;
                    stack.push(match s {
                        "01" => Value::Bool(true),
                        "00" => Value::Bool(false),
                        s => self.decimal(at, s)?,
                    });
                }
                op::LONG => {
                    let s = self.line_str()?;
                    let v = self.decimal(at, s.strip_suffix('L').unwrap_or(s))?;
                    stack.push(v);
                }
                op::BININT => {
                    let v = self.u32()? as i32;
                    stack.push(Value::Int(i64::from(v)));
                }
                op::BININT1 => {
                    let v = self.byte()?;
                    stack.push(Value::Int(i64::from(v)));
                }
                op::BININT2 => {
                    let v = self.u16()?;
                    stack.push(Value::Int(i64::from(v)));
                }
                op::LONG1 | op::LONG4 => {
                    let n = if code == op::LONG1 {
                        u64::from(self.byte()?)
                    } else {
                        let n = self.u32()? as i32;
                        u64::try_from(n).map_err(|_| self.err(at, "negative LONG4 length"))?
                    };
                    let n = self.len_field(n)?;
                    let bytes = self.take(n)?;
                    let v = self.long(bytes);
                    stack.push(v);
                }
                op::FLOAT => {
                    let s = self.line_str()?;
                    let f = s.trim().parse::<f64>().map_err(|_| self.err(at, "bad FLOAT"))?;
                    stack.push(Value::Float(f));
                }
                op::BINFLOAT => {
                    let b = self.take(8)?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    stack.push(Value::Float(f64::from_be_bytes(a)));
                }
                op::STRING => {
                    let line = self.line()?;
                    let bytes = unquote_py2(line).ok_or_else(|| self.err(at, "bad STRING"))?;
                    let v =
                        self.doc.alloc(Obj::Str(bytes.iter().map(|&b| char::from(b)).collect()));
                    stack.push(v);
                }
                op::BINSTRING | op::SHORT_BINSTRING => {
                    let n = if code == op::BINSTRING {
                        let n = self.u32()? as i32;
                        u64::try_from(n).map_err(|_| self.err(at, "negative BINSTRING length"))?
                    } else {
                        u64::from(self.byte()?)
                    };
                    let n = self.len_field(n)?;
                    let b = self.take(n)?;
                    let v = self.doc.alloc(Obj::Str(b.iter().map(|&b| char::from(b)).collect()));
                    stack.push(v);
                }
                op::BINBYTES | op::SHORT_BINBYTES | op::BINBYTES8 | op::BYTEARRAY8 => {
                    let n = match code {
                        op::SHORT_BINBYTES => u64::from(self.byte()?),
                        op::BINBYTES => u64::from(self.u32()?),
                        _ => self.u64()?,
                    };
                    let n = self.len_field(n)?;
                    let b = self.take(n)?.to_vec();
                    let v = self.doc.alloc(Obj::Bytes(b));
                    stack.push(v);
                }
                op::UNICODE => {
                    let line = self.line()?;
                    let s = raw_unicode_escape(line).ok_or_else(|| self.err(at, "bad UNICODE"))?;
                    let v = self.doc.alloc(Obj::Str(s));
                    stack.push(v);
                }
                op::BINUNICODE | op::SHORT_BINUNICODE | op::BINUNICODE8 => {
                    let n = match code {
                        op::SHORT_BINUNICODE => u64::from(self.byte()?),
                        op::BINUNICODE => u64::from(self.u32()?),
                        _ => self.u64()?,
                    };
                    let n = self.len_field(n)?;
                    let b = self.take(n)?;
                    let s = std::str::from_utf8(b)
                        .map_err(|_| self.err(at, "a string is not UTF-8"))?;
                    let v = self.doc.alloc(Obj::Str(s.to_string()));
                    stack.push(v);
                }
                op::EMPTY_TUPLE => {
                    let v = self.doc.alloc(Obj::Tuple(Vec::new()));
                    stack.push(v);
                }
                op::TUPLE => {
                    let items = pop_mark!();
                    let v = self.doc.alloc(Obj::Tuple(items));
                    stack.push(v);
                }
                op::TUPLE1 | op::TUPLE2 | op::TUPLE3 => {
                    let n = usize::from(code - op::TUPLE1 + 1);
                    if stack.len() < n {
                        return Err(underflow());
                    }
                    let items = stack.split_off(stack.len() - n);
                    let v = self.doc.alloc(Obj::Tuple(items));
                    stack.push(v);
                }
                op::EMPTY_LIST => {
                    let v = self.doc.alloc(Obj::List(Vec::new()));
                    stack.push(v);
                }
                op::LIST => {
                    let items = pop_mark!();
                    let v = self.doc.alloc(Obj::List(items));
                    stack.push(v);
                }
                op::APPEND => {
                    let item = pop!();
                    let list = top!();
                    self.extend_list(at, list, vec![item])?;
                }
                op::APPENDS => {
                    let items = pop_mark!();
                    let list = top!();
                    self.extend_list(at, list, items)?;
                }
                op::EMPTY_DICT => {
                    let v = self.doc.alloc(Obj::Dict(Vec::new()));
                    stack.push(v);
                }
                op::DICT => {
                    let items = pop_mark!();
                    let pairs = pairs(at, items)?;
                    let v = self.doc.alloc(Obj::Dict(pairs));
                    stack.push(v);
                }
                op::SETITEM => {
                    let value = pop!();
                    let key = pop!();
                    let dict = top!();
                    self.set_items(at, dict, vec![(key, value)])?;
                }
                op::SETITEMS => {
                    let items = pop_mark!();
                    let dict = top!();
                    self.set_items(at, dict, pairs(at, items)?)?;
                }
                op::EMPTY_SET => {
                    let v = self.doc.alloc(Obj::Set(Vec::new()));
                    stack.push(v);
                }
                op::ADDITEMS => {
                    let items = pop_mark!();
                    let set = top!();
                    match self.doc.obj_mut(set) {
                        Some(Obj::Set(s)) => s.extend(items),
                        _ => return Err(self.err(at, "ADDITEMS on something that is not a set")),
                    }
                }
                op::FROZENSET => {
                    let items = pop_mark!();
                    let v = self.doc.alloc(Obj::Set(items));
                    stack.push(v);
                }
                op::GLOBAL => {
                    let module = self.line_str()?;
                    let name = self.line_str()?;
                    let v = self.global(at, module, name)?;
                    stack.push(v);
                }
                op::STACK_GLOBAL => {
                    let name = pop!();
                    let module = pop!();
                    let (Some(module), Some(name)) = (self.doc.str(module), self.doc.str(name))
                    else {
                        return Err(self.err(at, "STACK_GLOBAL needs two strings"));
                    };
                    let (module, name) = (module.to_string(), name.to_string());
                    let v = self.global(at, &module, &name)?;
                    stack.push(v);
                }
                op::REDUCE => {
                    let args = pop!();
                    let callable = pop!();
                    let args = self
                        .doc
                        .items(args)
                        .map(<[Value]>::to_vec)
                        .ok_or_else(|| self.err(at, "REDUCE arguments are not a tuple"))?;
                    self.charge(at, args.len().saturating_mul(16))?;
                    let v = self.call(at, callable, &args)?;
                    stack.push(v);
                }
                op::NEWOBJ => {
                    let _args = pop!();
                    let cls = pop!();
                    let v = self.instantiate(at, cls)?;
                    stack.push(v);
                }
                op::NEWOBJ_EX => {
                    let _kwargs = pop!();
                    let _args = pop!();
                    let cls = pop!();
                    let v = self.instantiate(at, cls)?;
                    stack.push(v);
                }
                op::INST => {
                    let module = self.line_str()?;
                    let name = self.line_str()?;
                    let _args = pop_mark!();
                    let cls = self.global(at, module, name)?;
                    let v = self.instantiate(at, cls)?;
                    stack.push(v);
                }
                op::OBJ => {
                    let items = pop_mark!();
                    let cls = *items.first().ok_or_else(underflow)?;
                    let v = self.instantiate(at, cls)?;
                    stack.push(v);
                }
                op::BUILD => {
                    let state = pop!();
                    let target = top!();
                    if let Some(array) = self.build(at, target, state)? {
                        // joblib's wrapper stands in for the array read after it.
                        stack.pop();
                        stack.push(array);
                    }
                }
                op::PUT => {
                    let s = self.line_str()?;
                    let i = s.parse::<u64>().map_err(|_| self.err(at, "bad PUT index"))?;
                    memo.insert(i, top!());
                }
                op::BINPUT => {
                    let i = u64::from(self.byte()?);
                    memo.insert(i, top!());
                }
                op::LONG_BINPUT => {
                    let i = u64::from(self.u32()?);
                    memo.insert(i, top!());
                }
                op::MEMOIZE => {
                    let i = memo.len() as u64;
                    memo.insert(i, top!());
                }
                op::GET | op::BINGET | op::LONG_BINGET => {
                    let i = match code {
                        op::GET => {
                            let s = self.line_str()?;
                            s.parse::<u64>().map_err(|_| self.err(at, "bad GET index"))?
                        }
                        op::BINGET => u64::from(self.byte()?),
                        _ => u64::from(self.u32()?),
                    };
                    let v =
                        *memo.get(&i).ok_or_else(|| self.err(at, format!("memo {i} is empty")))?;
                    stack.push(v);
                }
                op::PERSID | op::BINPERSID => {
                    return Err(self.err(at, "persistent IDs need the writer's own loader; refused"))
                }
                op::EXT1 | op::EXT2 | op::EXT4 => {
                    return Err(self.err(at, "extension-registry codes are not supported; refused"))
                }
                op::NEXT_BUFFER => {
                    return Err(self.err(
                        at,
                        "the pickle expects an out-of-band buffer (protocol 5), which a file \
                         cannot provide",
                    ))
                }
                op::READONLY_BUFFER => {
                    let _ = top!();
                }
                other => return Err(self.err(at, format!("unknown opcode 0x{other:02x}"))),
            }
        }
    }

    fn decimal(&mut self, at: usize, s: &str) -> Result<Value> {
        let s = s.trim();
        if s.is_empty() || !s.trim_start_matches(['-', '+']).bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.err(at, format!("bad integer {s:?}")));
        }
        Ok(match s.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => self.doc.alloc(Obj::BigInt),
        })
    }

    fn long(&mut self, bytes: &[u8]) -> Value {
        if bytes.len() > 8 {
            return self.doc.alloc(Obj::BigInt);
        }
        let mut buf = [0u8; 8];
        buf[..bytes.len()].copy_from_slice(bytes);
        if bytes.last().is_some_and(|&b| b & 0x80 != 0) {
            for b in &mut buf[bytes.len()..] {
                *b = 0xff;
            }
        }
        Value::Int(i64::from_le_bytes(buf))
    }

    fn extend_list(&mut self, at: usize, list: Value, items: Vec<Value>) -> Result<()> {
        match self.doc.obj_mut(list) {
            Some(Obj::List(l)) => {
                l.extend(items);
                Ok(())
            }
            // CPython would call the object's own `append`/`extend`: code, so refused.
            _ => Err(self.err(at, "APPEND to something that is not a list")),
        }
    }

    fn set_items(&mut self, at: usize, dict: Value, items: Vec<(Value, Value)>) -> Result<()> {
        match self.doc.obj_mut(dict) {
            Some(Obj::Dict(d)) => {
                d.extend(items);
                Ok(())
            }
            _ => Err(self.err(at, "SETITEM on something that is not a dict")),
        }
    }

    fn global(&mut self, at: usize, module: &str, name: &str) -> Result<Value> {
        let kind = globals::resolve(module, name).ok_or_else(|| ImportError::Forbidden {
            name: format!("{module}.{name}"),
            offset: at,
        })?;
        Ok(self.doc.alloc(Obj::Global { name: format!("{module}.{name}"), kind }))
    }

    fn global_of(&self, at: usize, v: Value) -> Result<(String, Kind)> {
        match self.doc.obj(v) {
            Some(Obj::Global { name, kind }) => Ok((name.clone(), *kind)),
            _ => Err(self.err(at, "a call target is not a global")),
        }
    }

    fn instantiate(&mut self, at: usize, cls: Value) -> Result<Value> {
        let (name, kind) = self.global_of(at, cls)?;
        match kind {
            Kind::Class | Kind::ArrayWrapper => {
                Ok(self.doc.alloc(Obj::Instance { class: name, state: None }))
            }
            Kind::Opaque => Ok(self.doc.alloc(Obj::Opaque(name))),
            _ => Err(ImportError::NotCallable { name, offset: at }),
        }
    }

    /// REDUCE: only the typed builders of the allow-list can be "called".
    fn call(&mut self, at: usize, callable: Value, args: &[Value]) -> Result<Value> {
        let (name, kind) = self.global_of(at, callable)?;
        let bad = |p: String| ImportError::pickle(at, format!("{name}: {p}"));
        match kind {
            Kind::Reconstruct => Ok(self.doc.alloc(Obj::ArrayStub)),
            Kind::Dtype => {
                let s = args
                    .first()
                    .and_then(|&v| self.doc.str(v))
                    .ok_or_else(|| bad("no type string".into()))?;
                let dtype = Dtype::from_type_string(s).map_err(bad)?;
                Ok(self.doc.alloc(Obj::Dtype(dtype)))
            }
            Kind::Scalar => numpy::scalar(&self.doc, args).map_err(bad),
            Kind::FromBuffer => {
                let a = NdArray::from_buffer(&self.doc, args).map_err(bad)?;
                self.charge(at, a.footprint())?;
                Ok(self.doc.alloc(Obj::Array(a)))
            }
            Kind::CopyregReconstructor => {
                let cls = *args.first().ok_or_else(|| bad("no class".into()))?;
                self.instantiate(at, cls)
            }
            Kind::CodecsEncode => {
                let s = args
                    .first()
                    .and_then(|&v| self.doc.str(v))
                    .ok_or_else(|| bad("no string".into()))?;
                let enc = args.get(1).and_then(|&v| self.doc.str(v)).unwrap_or("utf-8");
                let bytes = match enc.to_ascii_lowercase().replace('_', "-").as_str() {
                    "latin1" | "latin-1" | "iso-8859-1" => numpy::latin1(s).map_err(bad)?,
                    "utf-8" | "utf8" => s.as_bytes().to_vec(),
                    other => return Err(bad(format!("encoding {other} is not supported"))),
                };
                self.charge(at, bytes.len())?;
                Ok(self.doc.alloc(Obj::Bytes(bytes)))
            }
            Kind::Opaque => Ok(self.doc.alloc(Obj::Opaque(name))),
            Kind::SklearnTree => Ok(self.doc.alloc(Obj::Tree { args: args.to_vec(), state: None })),
            Kind::Class | Kind::ArrayWrapper | Kind::DataOnly => {
                Err(ImportError::NotCallable { name, offset: at })
            }
        }
    }

    /// BUILD: sets state on what the allow-list built. Returns the array to put in place of a
    /// joblib wrapper.
    fn build(&mut self, at: usize, target: Value, state: Value) -> Result<Option<Value>> {
        let bad = |p: String| ImportError::pickle(at, p);
        let Some(obj) = self.doc.obj(target) else {
            return Err(bad("BUILD on a plain value".into()));
        };
        match obj {
            Obj::ArrayStub => {
                let a = NdArray::from_state(&self.doc, state).map_err(bad)?;
                self.charge(at, a.footprint())?;
                if let Some(o) = self.doc.obj_mut(target) {
                    *o = Obj::Array(a);
                }
                Ok(None)
            }
            Obj::Dtype(d) => {
                let d = d.with_state(&self.doc, state).map_err(bad)?;
                self.charge(at, d.footprint())?;
                if let Some(o) = self.doc.obj_mut(target) {
                    *o = Obj::Dtype(d);
                }
                Ok(None)
            }
            Obj::Instance { class, .. } => {
                let wrapper = globals::resolve_name(class) == Some(Kind::ArrayWrapper);
                if let Some(Obj::Instance { state: s, .. }) = self.doc.obj_mut(target) {
                    *s = Some(state);
                }
                if wrapper {
                    return self.joblib_array(at, target).map(Some);
                }
                Ok(None)
            }
            Obj::Tree { .. } => {
                if let Some(Obj::Tree { state: s, .. }) = self.doc.obj_mut(target) {
                    *s = Some(state);
                }
                Ok(None)
            }
            Obj::Opaque(_) => Ok(None),
            _ => Err(bad("BUILD on something that takes no state".into())),
        }
    }

    /// Reads the array a joblib `NumpyArrayWrapper` stands for: its bytes follow the BUILD
    /// (after alignment padding in joblib ≥ 1.2), or, for object arrays, a nested pickle.
    fn joblib_array(&mut self, at: usize, wrapper: Value) -> Result<Value> {
        let bad = |p: &str| ImportError::pickle(at, format!("NumpyArrayWrapper: {p}"));
        let doc = &self.doc;
        let shape = doc.attr(wrapper, "shape").ok_or_else(|| bad("no shape"))?;
        let shape = numpy::shape_of(doc, shape).map_err(|e| bad(&e))?;
        let fortran = doc.attr(wrapper, "order").and_then(|v| doc.str(v)) == Some("F");
        let Some(Obj::Dtype(dtype)) = doc.attr(wrapper, "dtype").and_then(|v| doc.obj(v)) else {
            return Err(bad("no dtype"));
        };
        let dtype = dtype.clone();
        let alignment = doc.attr(wrapper, "numpy_array_alignment_bytes").and_then(|v| doc.int(v));
        self.charge(at, dtype.footprint())?;
        if dtype.kind == b'O' {
            if self.nested >= MAX_NESTED_PICKLES {
                return Err(ImportError::TooDeep { limit: MAX_NESTED_PICKLES, offset: at });
            }
            self.nested += 1;
            let inner = self.load();
            self.nested -= 1;
            let inner = inner?;
            if self.doc.array(inner).is_none() {
                return Err(bad("the nested pickle is not an array"));
            }
            return Ok(inner);
        }
        if alignment.is_some() {
            let pad = self.byte()?;
            self.take(usize::from(pad))?;
        }
        let n = numpy::element_count(&shape).map_err(|e| bad(&e))?;
        let nbytes = n.checked_mul(dtype.size).ok_or_else(|| bad("size overflows"))?;
        let nbytes = self.len_field(nbytes as u64)?;
        let raw = self.take(nbytes)?.to_vec();
        let a = NdArray::from_raw(shape, dtype, fortran, raw).map_err(|e| bad(&e))?;
        Ok(self.doc.alloc(Obj::Array(a)))
    }
}

fn pairs(at: usize, items: Vec<Value>) -> Result<Vec<(Value, Value)>> {
    if !items.len().is_multiple_of(2) {
        return Err(ImportError::pickle(at, "an odd number of dict items"));
    }
    Ok(items.chunks_exact(2).map(|kv| (kv[0], kv[1])).collect())
}

/// Decodes protocol 0's `UNICODE` argument (raw-unicode-escape: `\u` and four hex digits,
/// `\U` and eight, other bytes latin-1).
fn raw_unicode_escape(line: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        if b == b'\\' && matches!(line.get(i + 1), Some(b'u' | b'U')) {
            let width = if line[i + 1] == b'u' { 4 } else { 8 };
            let hex = line.get(i + 2..i + 2 + width)?;
            let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(char::from_u32(code)?);
            i += 2 + width;
        } else {
            out.push(char::from(b));
            i += 1;
        }
    }
    Some(out)
}

/// Decodes protocol 0's `STRING` argument: a quoted Python 2 literal.
fn unquote_py2(line: &[u8]) -> Option<Vec<u8>> {
    let q = *line.first()?;
    if !(q == b'\'' || q == b'"') || line.len() < 2 || *line.last()? != q {
        return None;
    }
    let body = &line[1..line.len() - 1];
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' {
            out.push(body[i]);
            i += 1;
            continue;
        }
        let c = *body.get(i + 1)?;
        i += 2;
        match c {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                for _ in 0..2 {
                    match body.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(u8::try_from(v).ok()?);
            }
            b'x' => {
                let hex = std::str::from_utf8(body.get(i..i + 2)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b'\\' | b'\'' | b'"' => out.push(c),
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(bytes: &[u8]) -> Result<(Doc, Value)> {
        let mut m = Machine::new(bytes);
        let v = m.load()?;
        Ok((m.doc, v))
    }

    #[test]
    fn protocol_zero_scalars_and_containers() {
        let (doc, v) = load(b"(lp0\nI1\naF2.5\naV\\u00e9t\\u00e9\naI01\na.").expect("loads");
        let items = doc.items(v).expect("a list");
        assert_eq!(items[0], Value::Int(1));
        assert_eq!(items[1], Value::Float(2.5));
        assert_eq!(doc.str(items[2]), Some("été"));
        assert_eq!(items[3], Value::Bool(true));
    }

    #[test]
    fn memo_shares_mutable_lists() {
        // [], memoized, then appended to after being fetched back from the memo.
        let (doc, v) = load(b"\x80\x04]\x94h\x00K\x07a\x86.").expect("loads");
        let t = doc.items(v).expect("a tuple");
        assert_eq!(doc.items(t[0]), Some(&[Value::Int(7)][..]));
        assert_eq!(t[0], t[1]);
    }

    #[test]
    fn long_ints_decode() {
        let (_, v) = load(b"\x80\x02\x8a\x02\xff\x7f.").expect("loads");
        assert_eq!(v, Value::Int(0x7fff));
        let (_, v) = load(b"\x80\x02\x8a\x01\xff.").expect("loads");
        assert_eq!(v, Value::Int(-1));
    }

    #[test]
    fn refusals_are_named() {
        let e = load(b"cposix\nsystem\n(S'ls'\ntR.").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("posix.system") && e.contains("byte 0")));
        let e = load(b"\x80\x02cbuiltins\nobject\n)R.").err();
        assert!(
            matches!(e, Some(ImportError::NotCallable { ref name, .. }) if name == "builtins.object")
        );
        let e = load(b"\x80\x05\x97.").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("out-of-band")));
    }

    #[test]
    fn reusing_a_memoized_object_is_budgeted() {
        // A 100 000-item tuple, then 100 000 calls each taking it as arguments: without the
        // budget the copies would need 160 GB.
        let mut p = b"\x80\x04(".to_vec();
        p.extend(std::iter::repeat_n(b'N', 100_000));
        p.extend_from_slice(b"t\x940cnumpy.random._pickle\n__randomstate_ctor\n\x940");
        for _ in 0..100_000 {
            p.extend_from_slice(b"h\x01h\x00R0");
        }
        p.extend_from_slice(b"N.");
        let err = load(&p).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("reuses its objects")));
    }

    #[test]
    fn py2_strings_unquote() {
        assert_eq!(unquote_py2(b"'a\\'b\\x41\\n'"), Some(b"a'bA\n".to_vec()));
        assert_eq!(unquote_py2(b"'unterminated"), None);
    }
}
