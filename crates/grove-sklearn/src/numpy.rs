//! numpy arrays and dtypes as pickles describe them, rebuilt as plain data.
//!
//! A dtype arrives as `numpy.dtype("f8", False, True)` plus a state tuple carrying the byte
//! order and, for structured dtypes such as sklearn's node records, the fields by name and
//! offset. Arrays arrive as a shape, a dtype and raw bytes (or a list, for object arrays).
//! Everything is read by field name and offset with explicit endianness, so the layouts of
//! every numpy and sklearn version read the same way.

use crate::pickle::value::{Doc, Obj, Value};

/// A numpy dtype: a scalar kind, or a record of named fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dtype {
    /// numpy's kind character: `f`, `i`, `u`, `b`, `O`, `U`, `S`, `V`, ...
    pub(crate) kind: u8,
    /// Bytes per element.
    pub(crate) size: usize,
    pub(crate) big_endian: bool,
    /// Non-empty for a structured dtype.
    pub(crate) fields: Vec<Field>,
}

/// One field of a structured dtype.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) offset: usize,
    pub(crate) dtype: Dtype,
}

/// An array's elements: raw bytes, or values for object arrays.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ArrayData {
    Raw(Vec<u8>),
    Objects(Vec<Value>),
}

/// A numpy array.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NdArray {
    pub(crate) shape: Vec<usize>,
    pub(crate) dtype: Dtype,
    /// Elements are stored in Fortran (column-major) order.
    pub(crate) fortran: bool,
    pub(crate) data: ArrayData,
}

type Res<T> = Result<T, String>;

impl Dtype {
    /// Parses the type string numpy passes to `dtype(...)` when unpickling (`f8`, `<i4`, `V56`,
    /// `O8`, `U20`). The byte order is set later by the state, when there is one.
    pub(crate) fn from_type_string(s: &str) -> Res<Dtype> {
        let (big_endian, rest) = match s.as_bytes().first() {
            Some(b'>') => (true, &s[1..]),
            Some(b'<' | b'=' | b'|') => (false, &s[1..]),
            _ => (false, s),
        };
        let kind = *rest.as_bytes().first().ok_or("empty dtype string")?;
        // `get` rather than slicing: a non-ASCII first character is not a byte boundary.
        let digits = rest.get(1..).ok_or_else(|| format!("dtype `{s}` is not understood"))?;
        let size = if digits.is_empty() {
            match kind {
                b'b' | b'?' => 1,
                b'O' => 8,
                _ => return Err(format!("dtype `{s}` has no size")),
            }
        } else {
            digits.parse::<usize>().map_err(|_| format!("dtype `{s}` is not understood"))?
        };
        let kind = if kind == b'?' { b'b' } else { kind };
        if size == 0 && kind != b'V' {
            return Err(format!("dtype `{s}` has size 0"));
        }
        if !b"fiubOUSVc".contains(&kind) {
            return Err(format!("dtype kind `{}` is not supported", kind as char));
        }
        Ok(Dtype { kind, size, big_endian, fields: Vec::new() })
    }

    /// Applies a dtype's pickled state:
    /// `(version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])`.
    pub(crate) fn with_state(&self, doc: &Doc, state: Value) -> Res<Dtype> {
        let t = doc.items(state).ok_or("dtype state is not a tuple")?;
        if t.len() < 8 {
            return Err(format!("dtype state has {} items, expected 8 or 9", t.len()));
        }
        let mut out = self.clone();
        match doc.str(t[1]) {
            Some(">") => out.big_endian = true,
            Some("<" | "|" | "=") => out.big_endian = false,
            other => return Err(format!("dtype byte order {other:?} is not understood")),
        }
        if t[2] != Value::None {
            return Err("sub-array dtypes are not supported".into());
        }
        if let Some(elsize) = doc.int(t[5]) {
            if elsize >= 0 && matches!(out.kind, b'V' | b'U' | b'S') {
                out.size = elsize as usize;
            }
        }
        if t[3] != Value::None {
            let names = doc.items(t[3]).ok_or("dtype names are not a tuple")?;
            out.fields.clear();
            for &name in names {
                let name = doc.str(name).ok_or("a dtype field name is not a string")?;
                let spec = doc.dict_get(t[4], name).ok_or_else(|| format!("no field `{name}`"))?;
                let spec = doc.items(spec).ok_or("a dtype field is not a tuple")?;
                let (Some(&dt), Some(&off)) = (spec.first(), spec.get(1)) else {
                    return Err(format!("field `{name}` is incomplete"));
                };
                let Some(Obj::Dtype(dtype)) = doc.obj(dt) else {
                    return Err(format!("field `{name}` has no dtype"));
                };
                // sklearn's records hold scalars; nested records could multiply copies.
                if !dtype.fields.is_empty() {
                    return Err(format!("field `{name}` is itself a record; not supported"));
                }
                let offset = doc.int(off).filter(|&o| o >= 0).ok_or("bad field offset")? as usize;
                let end = offset.checked_add(dtype.size).ok_or("field offset overflows")?;
                if end > out.size {
                    return Err(format!(
                        "field `{name}` ends past the record ({end} > {})",
                        out.size
                    ));
                }
                out.fields.push(Field { name: name.to_string(), offset, dtype: dtype.clone() });
            }
        }
        Ok(out)
    }

    fn is_object(&self) -> bool {
        self.kind == b'O'
    }

    /// Roughly the memory a copy of this dtype takes.
    pub(crate) fn footprint(&self) -> usize {
        64usize.saturating_add(self.fields.iter().map(|f| 64 + f.name.len()).sum::<usize>())
    }
}

/// The number of elements of a shape, refusing overflow.
pub(crate) fn element_count(shape: &[usize]) -> Res<usize> {
    shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| "shape overflows".into())
}

/// Reads a shape tuple.
pub(crate) fn shape_of(doc: &Doc, v: Value) -> Res<Vec<usize>> {
    let items = match doc.items(v) {
        Some(items) => items,
        // A bare int is a 1-d shape.
        None => {
            return doc
                .int(v)
                .filter(|&d| d >= 0)
                .map(|d| vec![d as usize])
                .ok_or("bad shape".into())
        }
    };
    items
        .iter()
        .map(|&d| {
            doc.int(d).filter(|&d| d >= 0).map(|d| d as usize).ok_or_else(|| "bad shape".into())
        })
        .collect()
}

impl NdArray {
    /// Builds an array from raw bytes, checking they are exactly what the shape needs.
    pub(crate) fn from_raw(
        shape: Vec<usize>,
        dtype: Dtype,
        fortran: bool,
        raw: Vec<u8>,
    ) -> Res<NdArray> {
        if dtype.is_object() {
            return Err("an object array cannot be built from raw bytes".into());
        }
        if dtype.size == 0 {
            // Zero-width elements would let a tiny input claim any element count.
            return Err("arrays of zero-width elements are not supported".into());
        }
        let n = element_count(&shape)?;
        let want = n.checked_mul(dtype.size).ok_or("array size overflows")?;
        if raw.len() != want {
            return Err(format!(
                "array data has {} bytes, shape {shape:?} needs {want}",
                raw.len()
            ));
        }
        Ok(NdArray { shape, dtype, fortran, data: ArrayData::Raw(raw) })
    }

    /// The BUILD state of `_reconstruct`'s array: `(version, shape, dtype, is_fortran, data)`.
    pub(crate) fn from_state(doc: &Doc, state: Value) -> Res<NdArray> {
        let t = doc.items(state).ok_or("array state is not a tuple")?;
        let t = match t.len() {
            5 => &t[1..],
            4 => t,
            n => return Err(format!("array state has {n} items")),
        };
        let shape = shape_of(doc, t[0])?;
        let Some(Obj::Dtype(dtype)) = doc.obj(t[1]) else {
            return Err("array state has no dtype".into());
        };
        let fortran = matches!(t[2], Value::Bool(true) | Value::Int(1));
        if dtype.is_object() {
            let items = doc.items(t[3]).ok_or("object array data is not a list")?;
            if items.len() != element_count(&shape)? {
                return Err(format!("{} objects for shape {shape:?}", items.len()));
            }
            return Ok(NdArray {
                shape,
                dtype: dtype.clone(),
                fortran,
                data: ArrayData::Objects(items.to_vec()),
            });
        }
        let raw = match doc.obj(t[3]) {
            Some(Obj::Bytes(b)) => b.clone(),
            // Python 2 era pickles carry the data as a latin-1 str.
            Some(Obj::Str(s)) => latin1(s)?,
            _ => return Err("array data is not bytes".into()),
        };
        NdArray::from_raw(shape, dtype.clone(), fortran, raw)
    }

    /// `_frombuffer(buffer, dtype, shape, order)`, protocol 5's in-band arrays.
    pub(crate) fn from_buffer(doc: &Doc, args: &[Value]) -> Res<NdArray> {
        let [buf, dtype, shape, order] = args else {
            return Err(format!("_frombuffer takes 4 arguments, got {}", args.len()));
        };
        let raw = doc.bytes(*buf).ok_or("_frombuffer's buffer is not bytes")?.to_vec();
        let Some(Obj::Dtype(dtype)) = doc.obj(*dtype) else {
            return Err("_frombuffer's dtype is not a dtype".into());
        };
        let fortran = doc.str(*order) == Some("F");
        NdArray::from_raw(shape_of(doc, *shape)?, dtype.clone(), fortran, raw)
    }

    /// Roughly the memory this array takes.
    pub(crate) fn footprint(&self) -> usize {
        let data = match &self.data {
            ArrayData::Raw(r) => r.len(),
            ArrayData::Objects(o) => o.len().saturating_mul(16),
        };
        data.saturating_add(self.dtype.footprint()).saturating_add(self.shape.len() * 8)
    }

    pub(crate) fn len(&self) -> usize {
        element_count(&self.shape).unwrap_or(0)
    }

    /// Storage index of each element in C (row-major) order.
    fn c_order(&self) -> Vec<usize> {
        let n = self.len();
        if !self.fortran || self.shape.len() < 2 {
            return (0..n).collect();
        }
        let mut out = Vec::with_capacity(n);
        let nd = self.shape.len();
        let mut idx = vec![0usize; nd];
        for _ in 0..n {
            // Fortran strides: the first axis varies fastest.
            let mut off = 0;
            let mut stride = 1;
            for (d, &i) in idx.iter().enumerate() {
                off += i * stride;
                stride *= self.shape[d];
            }
            out.push(off);
            for d in (0..nd).rev() {
                idx[d] += 1;
                if idx[d] < self.shape[d] {
                    break;
                }
                idx[d] = 0;
            }
        }
        out
    }

    fn raw(&self) -> Res<&[u8]> {
        match &self.data {
            ArrayData::Raw(r) => Ok(r),
            ArrayData::Objects(_) => Err("expected a numeric array, found an object array".into()),
        }
    }

    /// The elements as float64, in C order.
    pub(crate) fn to_f64(&self) -> Res<Vec<f64>> {
        let raw = self.raw()?;
        self.c_order()
            .into_iter()
            .map(|i| number_at(raw, i * self.dtype.size, &self.dtype).map(Num::as_f64))
            .collect()
    }

    /// The elements as int64, in C order; refuses floats.
    pub(crate) fn to_i64(&self) -> Res<Vec<i64>> {
        let raw = self.raw()?;
        self.c_order()
            .into_iter()
            .map(|i| number_at(raw, i * self.dtype.size, &self.dtype)?.as_i64())
            .collect()
    }

    /// The elements of an object array, in C order.
    pub(crate) fn objects(&self) -> Res<Vec<Value>> {
        match &self.data {
            ArrayData::Objects(o) => {
                Ok(self.c_order().into_iter().filter_map(|i| o.get(i).copied()).collect())
            }
            ArrayData::Raw(_) => Err("expected an object array".into()),
        }
    }

    /// The elements as strings: an object array of `str`, or a fixed-width `U`/`S` array.
    pub(crate) fn strings(&self, doc: &Doc) -> Res<Vec<String>> {
        match (&self.data, self.dtype.kind) {
            (ArrayData::Objects(_), _) => self
                .objects()?
                .into_iter()
                .map(|v| {
                    doc.str(v)
                        .map(str::to_string)
                        .ok_or_else(|| "a non-string in a string array".into())
                })
                .collect(),
            (ArrayData::Raw(raw), b'U') => self
                .c_order()
                .into_iter()
                .map(|i| {
                    let cell = raw
                        .get(i * self.dtype.size..(i + 1) * self.dtype.size)
                        .ok_or("short array")?;
                    let mut s = String::new();
                    for ch in cell.chunks_exact(4) {
                        let b = [ch[0], ch[1], ch[2], ch[3]];
                        let code = if self.dtype.big_endian {
                            u32::from_be_bytes(b)
                        } else {
                            u32::from_le_bytes(b)
                        };
                        if code == 0 {
                            break;
                        }
                        s.push(char::from_u32(code).ok_or("invalid code point")?);
                    }
                    Ok(s)
                })
                .collect(),
            (ArrayData::Raw(raw), b'S') => self
                .c_order()
                .into_iter()
                .map(|i| {
                    let cell = raw
                        .get(i * self.dtype.size..(i + 1) * self.dtype.size)
                        .ok_or("short array")?;
                    let end = cell.iter().position(|&b| b == 0).unwrap_or(cell.len());
                    String::from_utf8(cell[..end].to_vec())
                        .map_err(|_| "bytes label is not UTF-8".into())
                })
                .collect(),
            _ => Err(format!("dtype kind `{}` is not a string type", self.dtype.kind as char)),
        }
    }

    fn field(&self, name: &str) -> Res<&Field> {
        self.dtype
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| format!("no field `{name}`"))
    }

    /// Whether a structured array has a field.
    pub(crate) fn has_field(&self, name: &str) -> bool {
        self.dtype.fields.iter().any(|f| f.name == name)
    }

    fn field_nums(&self, name: &str) -> Res<Vec<Num>> {
        let f = self.field(name)?;
        let raw = self.raw()?;
        self.c_order()
            .into_iter()
            .map(|i| number_at(raw, i * self.dtype.size + f.offset, &f.dtype))
            .collect()
    }

    /// One field of a structured array, as float64.
    pub(crate) fn field_f64(&self, name: &str) -> Res<Vec<f64>> {
        Ok(self.field_nums(name)?.into_iter().map(Num::as_f64).collect())
    }

    /// One integer field of a structured array.
    pub(crate) fn field_i64(&self, name: &str) -> Res<Vec<i64>> {
        self.field_nums(name)?.into_iter().map(Num::as_i64).collect()
    }
}

/// One decoded number.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Num {
    I(i64),
    U(u64),
    F(f64),
    B(bool),
}

impl Num {
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Num::I(i) => i as f64,
            Num::U(u) => u as f64,
            Num::F(f) => f,
            Num::B(b) => f64::from(u8::from(b)),
        }
    }

    pub(crate) fn as_i64(self) -> Res<i64> {
        match self {
            Num::I(i) => Ok(i),
            Num::U(u) => i64::try_from(u).map_err(|_| "integer too large".into()),
            Num::B(b) => Ok(i64::from(b)),
            Num::F(_) => Err("expected integers, found floats".into()),
        }
    }

    pub(crate) fn into_value(self) -> Value {
        match self {
            Num::I(i) => Value::Int(i),
            Num::U(u) => i64::try_from(u).map(Value::Int).unwrap_or(Value::Float(u as f64)),
            Num::F(f) => Value::Float(f),
            Num::B(b) => Value::Bool(b),
        }
    }
}

/// Decodes the element at byte `at` of `raw`.
pub(crate) fn number_at(raw: &[u8], at: usize, dt: &Dtype) -> Res<Num> {
    let end = at.checked_add(dt.size).ok_or("offset overflows")?;
    let b = raw.get(at..end).ok_or("array data is shorter than its shape")?;
    let mut buf = [0u8; 8];
    let n = b.len();
    if n > 8 || n == 0 {
        return Err(format!("{n}-byte `{}` numbers are not supported", dt.kind as char));
    }
    // Normalise to little-endian in the low bytes.
    if dt.big_endian {
        for (i, &x) in b.iter().rev().enumerate() {
            buf[i] = x;
        }
    } else {
        buf[..n].copy_from_slice(b);
    }
    let sign_extend = |buf: [u8; 8]| {
        let u = u64::from_le_bytes(buf);
        let shift = 64 - 8 * n as u32;
        ((u << shift) as i64) >> shift
    };
    Ok(match (dt.kind, n) {
        (b'f', 8) => Num::F(f64::from_le_bytes(buf)),
        (b'f', 4) => Num::F(f64::from(f32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]))),
        (b'i', _) => Num::I(sign_extend(buf)),
        (b'u', _) => Num::U(u64::from_le_bytes(buf)),
        (b'b', 1) => Num::B(buf[0] != 0),
        (k, n) => return Err(format!("{n}-byte `{}` numbers are not supported", k as char)),
    })
}

/// Bytes from a str whose characters are all below 256, as `_codecs.encode(s, "latin1")`.
pub(crate) fn latin1(s: &str) -> Res<Vec<u8>> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).map_err(|_| "a non-latin-1 character".into()))
        .collect()
}

/// `numpy.core.multiarray.scalar(dtype, data)`: a numpy scalar becomes the plain value.
pub(crate) fn scalar(doc: &Doc, args: &[Value]) -> Res<Value> {
    let (Some(&dt), data) = (args.first(), args.get(1).copied()) else {
        return Err("scalar() without a dtype".into());
    };
    let Some(Obj::Dtype(dtype)) = doc.obj(dt) else {
        return Err("scalar()'s first argument is not a dtype".into());
    };
    let data = data.ok_or("scalar() without data")?;
    if dtype.kind == b'O' {
        return Ok(data);
    }
    let raw = match doc.obj(data) {
        Some(Obj::Bytes(b)) => b.clone(),
        Some(Obj::Str(s)) => latin1(s)?,
        _ => return Err("scalar() data is not bytes".into()),
    };
    Ok(number_at(&raw, 0, dtype)?.into_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_strings_parse() {
        let d = Dtype::from_type_string("f8").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((d.kind, d.size), (b'f', 8));
        assert!(Dtype::from_type_string(">i4").map(|d| d.big_endian).unwrap_or(false));
        assert!(Dtype::from_type_string("q9x").is_err());
        assert!(Dtype::from_type_string("").is_err());
    }

    #[test]
    fn numbers_decode_in_both_byte_orders() {
        let le = Dtype { kind: b'i', size: 4, big_endian: false, fields: vec![] };
        let be = Dtype { big_endian: true, ..le.clone() };
        let n = |raw: &[u8], d: &Dtype| number_at(raw, 0, d).ok().and_then(|n| n.as_i64().ok());
        assert_eq!(n(&[0xfe, 0xff, 0xff, 0xff], &le), Some(-2));
        assert_eq!(n(&[0, 0, 1, 2], &be), Some(258));
        assert!(number_at(&[1, 2], 0, &le).is_err());
    }

    #[test]
    fn fortran_arrays_read_in_c_order() {
        let dt = Dtype { kind: b'u', size: 1, big_endian: false, fields: vec![] };
        // [[1, 2, 3], [4, 5, 6]] stored column by column.
        let a = NdArray::from_raw(vec![2, 3], dt, true, vec![1, 4, 2, 5, 3, 6]);
        assert_eq!(a.and_then(|a| a.to_i64()).ok(), Some(vec![1, 2, 3, 4, 5, 6]));
    }
}
