//! Malicious and malformed inputs: every one is refused with a named error, and nothing runs.

mod common;

use grove_sklearn::{load_bytes, load_path, ImportError, ImportOptions};

#[test]
fn every_malicious_fixture_is_refused_by_name() {
    let dir = common::own_dir();
    let manifest = common::json(&dir.join("fixtures.json"));
    let evil = manifest["evil"].as_object().expect("evil");
    let cwd_marker = std::path::Path::new("pwned-by-pickle");
    let existed = cwd_marker.exists();
    assert!(evil.len() >= 8);
    for (name, what) in evil {
        let what = what.as_str().unwrap_or("");
        let err = load_path(&dir.join(name), &ImportOptions::default())
            .expect_err(&format!("{name} must be refused"));
        let msg = err.to_string();
        match what {
            "length" => {
                assert!(matches!(err, ImportError::Pickle { .. }), "{name}: {msg}");
                assert!(msg.contains("remain"), "{name}: {msg}");
            }
            "deep" => assert!(matches!(err, ImportError::TooDeep { .. }), "{name}: {msg}"),
            "builtins.object" => {
                assert!(matches!(err, ImportError::NotCallable { .. }), "{name}: {msg}");
                assert!(msg.contains(what), "{name}: {msg}");
            }
            global => {
                assert!(
                    matches!(&err, ImportError::Forbidden { name: n, .. } if n == global),
                    "{name}: {msg}"
                );
            }
        }
    }
    assert!(existed || !cwd_marker.exists(), "a payload ran");
}

#[test]
fn hand_made_attacks_are_refused() {
    let opts = ImportOptions::default();
    let cases: &[(&[u8], &str)] = &[
        // GLOBAL through protocol 0 text opcodes, INST and OBJ forms.
        (b"cos\nsystem\n(S'id'\ntR.", "os.system"),
        (b"(S'id'\nios\nsystem\n.", "os.system"),
        (b"\x80\x02(cbuiltins\nexec\nS'1'\no.", "builtins.exec"),
        // Attribute-walking globals.
        (b"\x80\x04\x8c\x08builtins\x8c\x07getattr\x93.", "builtins.getattr"),
        (b"\x80\x04\x8c\x05numpy\x8c\x04load\x93.", "numpy.load"),
        // An allowed module with a name that is not.
        (b"\x80\x04\x8c\x12sklearn._loss.loss\x8c\x04eval\x93.", "sklearn._loss.loss.eval"),
    ];
    for (bytes, global) in cases {
        let err = load_bytes(bytes, &opts).expect_err("refused");
        assert!(
            matches!(&err, ImportError::Forbidden { name, .. } if name == global),
            "{global}: {err}"
        );
    }
    // Allowed names used as callables they are not.
    for bytes in [
        &b"\x80\x02cnumpy\nndarray\n)R."[..],
        b"\x80\x02csklearn.tree._classes\nDecisionTreeClassifier\n)R.",
        b"\x80\x02cbuiltins\nobject\n)\x81.",
    ] {
        let err = load_bytes(bytes, &opts).expect_err("refused");
        assert!(matches!(err, ImportError::NotCallable { .. }), "{err}");
    }
}

#[test]
fn lengths_are_checked_before_allocating() {
    let opts = ImportOptions::default();
    for bytes in [
        &b"\x80\x04\x8e\xff\xff\xff\xff\xff\xff\xff\x7f."[..], // BINBYTES8
        b"\x80\x05\x96\xff\xff\xff\xff\xff\xff\xff\xff.",      // BYTEARRAY8
        b"\x80\x02\x8b\xff\xff\xff\x7f.",                      // LONG4
        b"\x80\x04\x95\xff\xff\xff\xff\xff\xff\xff\xff.",      // FRAME
        b"\x80\x03X\xff\xff\xff\xff.",                         // BINUNICODE
        b"\x80\x02T\xff\xff\xff\x7f.",                         // BINSTRING
    ] {
        let err = load_bytes(bytes, &opts).expect_err("refused");
        assert!(matches!(err, ImportError::Pickle { .. }), "{err}");
    }
}

#[test]
fn evil_inside_a_real_estimator_is_found() {
    let dir = common::own_dir();
    let err = load_path(&dir.join("evil_nested_in_state.pkl"), &ImportOptions::default())
        .expect_err("refused");
    let msg = err.to_string();
    assert!(msg.contains("posix.system") && msg.contains("byte"), "{msg}");
}

#[test]
fn out_of_band_buffers_and_persistent_ids_are_refused() {
    let opts = ImportOptions::default();
    for (bytes, word) in [
        (&b"\x80\x05\x97."[..], "out-of-band"),
        (b"\x80\x02X\x01\x00\x00\x00aQ.", "persistent"),
        (b"\x80\x02\x82\x01.", "extension"),
    ] {
        let err = load_bytes(bytes, &opts).expect_err("refused");
        assert!(err.to_string().contains(word), "{err}");
    }
}
