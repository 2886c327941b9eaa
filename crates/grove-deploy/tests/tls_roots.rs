//! Registry pushes trust the system's certificate store (what `SSL_CERT_FILE` / `SSL_CERT_DIR`
//! name, as for the AWS SDK client), not a bundled list: with an empty store an HTTPS push is
//! refused before any connection, saying why. Its own test binary, because it sets the process's
//! `SSL_CERT_*` variables.

use std::collections::BTreeMap;

use grove_deploy::{oci, registry};

#[test]
fn an_https_push_with_an_empty_system_store_is_refused_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    std::env::set_var("SSL_CERT_FILE", &empty);
    std::env::set_var("SSL_CERT_DIR", dir.path().join("no-such-dir"));
    let image = oci::build(&oci::lambda_files(b"boot", None, BTreeMap::new()), &[]).unwrap();
    // `.invalid` never resolves: reaching the network would fail differently.
    let reference: registry::Reference = "registry.invalid/wine:v1".parse().unwrap();
    let error = registry::push(&image, &reference, None).unwrap_err().to_string();
    assert!(
        error.starts_with(
            "the registry registry.invalid/wine: no trusted root certificates in the system's store"
        ),
        "{error}"
    );
}
