//! The two digests grove-deploy writes: OCI's `sha256:<hex>` and Lambda's base64
//! `CodeSha256`, both SHA-256 (the `sha2` the AWS SDK's signing already compiles).

/// `sha256:<hex>` of `bytes`, as OCI digests are written.
pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

/// Base64 of the SHA-256 of `bytes`: Lambda's `CodeSha256` of a zip.
pub fn code_sha256(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes))
}
