//! numpy's `.npy` format, as skops stores arrays: a magic string, a header that is a Python
//! dict literal (`descr`, `fortran_order`, `shape`), then the raw elements. The header is parsed
//! as data by a small literal parser; nothing in it is evaluated.

use crate::numpy::{Dtype, Field, NdArray};

type Res<T> = Result<T, String>;

/// Literal nesting deeper than this is refused; real headers nest two levels.
const MAX_DEPTH: usize = 16;

/// Parses a whole `.npy` file.
pub(crate) fn parse(bytes: &[u8]) -> Res<NdArray> {
    let rest = bytes.strip_prefix(b"\x93NUMPY").ok_or("not an .npy file")?;
    let (&major, rest) = rest.split_first().ok_or("truncated .npy")?;
    let (_, rest) = rest.split_first().ok_or("truncated .npy")?;
    let (len, rest) = match major {
        1 => {
            let b = rest.get(..2).ok_or("truncated .npy")?;
            (usize::from(u16::from_le_bytes([b[0], b[1]])), &rest[2..])
        }
        2 | 3 => {
            let b = rest.get(..4).ok_or("truncated .npy")?;
            (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize, &rest[4..])
        }
        v => return Err(format!(".npy version {v} is not supported")),
    };
    let header = rest.get(..len).ok_or("truncated .npy header")?;
    let data = &rest[len..];
    let header = std::str::from_utf8(header).map_err(|_| "the .npy header is not text")?;
    let lit = Parser { s: header.as_bytes(), i: 0 }.value(0)?;
    let Lit::Dict(entries) = lit else {
        return Err("the .npy header is not a dict".into());
    };
    let get = |k: &str| entries.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let dtype = descr_dtype(get("descr").ok_or("no `descr`")?, 0)?;
    let fortran = matches!(get("fortran_order"), Some(Lit::Bool(true)));
    let shape = match get("shape") {
        Some(Lit::Seq(items)) => items
            .iter()
            .map(|x| match x {
                Lit::Int(i) => usize::try_from(*i).map_err(|_| "a negative dimension".to_string()),
                _ => Err("a non-integer dimension".into()),
            })
            .collect::<Res<Vec<usize>>>()?,
        _ => return Err("no `shape`".into()),
    };
    if dtype.kind == b'O' {
        return Err("object arrays in .npy need pickle; refused".into());
    }
    NdArray::from_raw(shape, dtype, fortran, data.to_vec())
}

/// A dtype from a `descr`: a type string, or a list of `(name, descr)` records.
fn descr_dtype(lit: &Lit, depth: usize) -> Res<Dtype> {
    if depth > MAX_DEPTH {
        return Err("the dtype nests too deeply".into());
    }
    match lit {
        Lit::Str(s) => Dtype::from_type_string(s),
        Lit::Seq(items) => {
            let mut fields = Vec::new();
            let mut offset = 0usize;
            for item in items {
                let Lit::Seq(pair) = item else {
                    return Err("a dtype record entry is not a tuple".into());
                };
                let (Some(Lit::Str(name)), Some(d)) = (pair.first(), pair.get(1)) else {
                    return Err("a dtype record entry is not (name, type)".into());
                };
                if pair.len() > 2 {
                    return Err("sub-array fields are not supported".into());
                }
                let dtype = descr_dtype(d, depth + 1)?;
                let size = dtype.size;
                // Unnamed entries are numpy's padding.
                if !name.is_empty() {
                    fields.push(Field { name: name.clone(), offset, dtype });
                }
                offset = offset.checked_add(size).ok_or("the record size overflows")?;
            }
            Ok(Dtype { kind: b'V', size: offset, big_endian: false, fields })
        }
        _ => Err("`descr` is neither a string nor a list".into()),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Int(i64),
    Bool(bool),
    None,
    Seq(Vec<Lit>),
    Dict(Vec<(String, Lit)>),
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> Res<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected `{}` in the .npy header", c as char))
        }
    }

    fn value(&mut self, depth: usize) -> Res<Lit> {
        if depth > MAX_DEPTH {
            return Err("the .npy header nests too deeply".into());
        }
        match self.peek().ok_or("the .npy header ends early")? {
            b'{' => {
                self.i += 1;
                let mut out = Vec::new();
                while self.peek() != Some(b'}') {
                    let Lit::Str(k) = self.value(depth + 1)? else {
                        return Err("a non-string key in the .npy header".into());
                    };
                    self.expect(b':')?;
                    out.push((k, self.value(depth + 1)?));
                    if self.peek() == Some(b',') {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                self.expect(b'}')?;
                Ok(Lit::Dict(out))
            }
            open @ (b'(' | b'[') => {
                let close = if open == b'(' { b')' } else { b']' };
                self.i += 1;
                let mut out = Vec::new();
                while self.peek() != Some(close) {
                    out.push(self.value(depth + 1)?);
                    if self.peek() == Some(b',') {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                self.expect(close)?;
                Ok(Lit::Seq(out))
            }
            q @ (b'\'' | b'"') => {
                self.i += 1;
                let start = self.i;
                while self.s.get(self.i).is_some_and(|&b| b != q) {
                    if self.s[self.i] == b'\\' {
                        return Err("escapes in .npy header strings are not supported".into());
                    }
                    self.i += 1;
                }
                let text = self.s.get(start..self.i).ok_or("an unterminated string")?;
                self.expect(q)?;
                Ok(Lit::Str(String::from_utf8_lossy(text).into_owned()))
            }
            _ => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-') {
                    self.i += 1;
                }
                let word = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                match word {
                    "True" => Ok(Lit::Bool(true)),
                    "False" => Ok(Lit::Bool(false)),
                    "None" => Ok(Lit::None),
                    w => w
                        .trim_end_matches('L')
                        .parse::<i64>()
                        .map(Lit::Int)
                        .map_err(|_| format!("`{w}` in the .npy header is not understood")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(header: &str, data: &[u8]) -> Vec<u8> {
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(data);
        out
    }

    #[test]
    fn simple_and_structured_arrays_parse() {
        let f = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", &[0; 16]);
        assert_eq!(parse(&f).map(|a| a.shape), Ok(vec![2]));
        let s = npy(
            "{'descr': [('a', '<i8'), ('b', '|u1'), ('', '|V7')], 'fortran_order': False, 'shape': (1,), }",
            &[5, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
        );
        let a = parse(&s).expect("parses");
        assert_eq!(a.field_i64("a"), Ok(vec![5]));
        assert_eq!(a.field_i64("b"), Ok(vec![1]));
    }

    #[test]
    fn bad_headers_are_refused() {
        assert!(parse(b"\x93NUMPY\x01\x00\xff\xff{").is_err());
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&npy(&deep, &[])).is_err());
    }
}
