//! Pushing an [`Image`] with the OCI distribution API: for each blob a `HEAD` (skip what the
//! registry has), an upload session (`POST …/blobs/uploads/`) closed by a monolithic `PUT …
//! ?digest=`, then the manifest `PUT` under the tag. Loopback registries are spoken to over
//! plain HTTP, every other one over HTTPS: rustls on ring trusting the system's certificate
//! store (rustls-native-certs), the same roots the AWS SDK client trusts, so a registry behind
//! a corporate TLS proxy works whenever the AWS calls of the same command do. ECR's credentials
//! are HTTP basic auth.

use std::time::Duration;

use base64::Engine;

use crate::oci::{Blob, Image};
use crate::{DeployError, RegistryProblem, Result};

/// `HOST[:PORT]/REPOSITORY[:TAG]` (tag `latest` when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `host[:port]`.
    pub registry: String,
    /// The repository path, e.g. `wine-quality` or `team/wine-quality`.
    pub repository: String,
    /// The tag.
    pub tag: String,
}

impl std::str::FromStr for Reference {
    type Err = DeployError;

    fn from_str(text: &str) -> Result<Reference> {
        let bad = |why: &'static str| DeployError::BadReference { text: text.to_string(), why };
        let (registry, rest) = text.split_once('/').ok_or_else(|| bad("no `/`"))?;
        if registry.is_empty() || rest.is_empty() {
            return Err(bad("empty registry or repository"));
        }
        let (repository, tag) = match rest.rsplit_once(':') {
            Some((repository, tag)) if !tag.contains('/') => (repository, tag),
            _ => (rest, "latest"),
        };
        let valid_repo = !repository.is_empty()
            && repository
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b));
        if !valid_repo {
            return Err(bad("a repository is lowercase letters, digits and `._-/`"));
        }
        let valid_tag = !tag.is_empty()
            && tag.len() <= 128
            && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !valid_tag {
            return Err(bad("a tag is letters, digits and `._-`"));
        }
        Ok(Reference { registry: registry.into(), repository: repository.into(), tag: tag.into() })
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}:{}", self.registry, self.repository, self.tag)
    }
}

impl Reference {
    /// `http://` for a loopback registry, `https://` otherwise.
    pub fn base_url(&self) -> String {
        let host = self.registry.rsplit_once(':').map_or(self.registry.as_str(), |(h, _)| h);
        let loopback = host == "localhost" || host.starts_with("127.") || host == "[::1]";
        format!("{}://{}", if loopback { "http" } else { "https" }, self.registry)
    }

    /// `host/repository@sha256:…`: the image by digest, as Lambda is given it.
    pub fn by_digest(&self, digest: &str) -> String {
        format!("{}/{}@{digest}", self.registry, self.repository)
    }
}

/// Basic-auth credentials (ECR: user `AWS`, the decoded authorization token's password).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).finish_non_exhaustive()
    }
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The manifest's digest.
    pub digest: String,
    /// Blobs uploaded (the others were already there).
    pub uploaded: usize,
    /// Bytes uploaded.
    pub bytes: usize,
}

/// Pushes `image` to `reference` (blobs, then the manifest under the tag).
pub fn push(
    image: &Image,
    reference: &Reference,
    credentials: Option<&Credentials>,
) -> Result<Pushed> {
    let client = Client::new(reference, credentials)?;
    let mut pushed = Pushed { digest: image.manifest.digest.clone(), uploaded: 0, bytes: 0 };
    for blob in [&image.layer, &image.config] {
        if client.upload_blob(blob)? {
            pushed.uploaded += 1;
            pushed.bytes += blob.bytes.len();
        }
    }
    let url = format!("{}/manifests/{}", client.repo_url, reference.tag);
    let response = client
        .request("PUT", &url)
        .header("Content-Type", image.manifest.media_type)
        .send(image.manifest.bytes.as_slice());
    let mut response = client.check(response, "PUT manifest", &[201])?;
    let digest = header(&response, "docker-content-digest");
    let _ = response.body_mut().read_to_string();
    if let Some(digest) = digest {
        if digest != image.manifest.digest {
            return Err(client.error(RegistryProblem::DigestMismatch {
                stored: digest,
                expected: image.manifest.digest.clone(),
            }));
        }
    }
    Ok(pushed)
}

struct Client {
    agent: ureq::Agent,
    authorization: Option<String>,
    base: String,
    repo_url: String,
    name: String,
}

impl Client {
    fn new(reference: &Reference, credentials: Option<&Credentials>) -> Result<Client> {
        let base = reference.base_url();
        let name = format!("{}/{}", reference.registry, reference.repository);
        let roots = if base.starts_with("https://") {
            system_roots()
                .map_err(|problem| DeployError::Registry { registry: name.clone(), problem })?
        } else {
            ureq::tls::RootCerts::new_with_certs(&[])
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build())
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_global(Some(Duration::from_secs(600)))
            .build()
            .into();
        let authorization = credentials.map(|c| {
            let pair = format!("{}:{}", c.username, c.password);
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
        });
        let repo_url = format!("{base}/v2/{}", reference.repository);
        Ok(Client { agent, authorization, base, repo_url, name })
    }

    fn request(&self, method: &str, url: &str) -> ureq::RequestBuilder<ureq::typestate::WithBody> {
        let builder = match method {
            "POST" => self.agent.post(url),
            _ => self.agent.put(url),
        };
        match &self.authorization {
            Some(auth) => builder.header("Authorization", auth),
            None => builder,
        }
    }

    /// Uploads `blob` unless the registry has it; true when uploaded.
    fn upload_blob(&self, blob: &Blob) -> Result<bool> {
        let url = format!("{}/blobs/{}", self.repo_url, blob.digest);
        let mut head = self.agent.head(&url);
        if let Some(auth) = &self.authorization {
            head = head.header("Authorization", auth);
        }
        let response = self.check(head.call(), "HEAD blob", &[200, 404])?;
        if response.status().as_u16() == 200 {
            return Ok(false);
        }
        let start = self.request("POST", &format!("{}/blobs/uploads/", self.repo_url)).send_empty();
        let mut response = self.check(start, "POST blob upload", &[202])?;
        let location = header(&response, "location")
            .ok_or_else(|| self.error(RegistryProblem::NoUploadLocation))?;
        let _ = response.body_mut().read_to_string();
        let location =
            if location.starts_with('/') { format!("{}{location}", self.base) } else { location };
        let separator = if location.contains('?') { '&' } else { '?' };
        let url = format!("{location}{separator}digest={}", blob.digest);
        let put = self
            .request("PUT", &url)
            .header("Content-Type", "application/octet-stream")
            .send(blob.bytes.as_slice());
        let mut response = self.check(put, "PUT blob", &[201])?;
        let _ = response.body_mut().read_to_string();
        Ok(true)
    }

    fn check(
        &self,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        request: &'static str,
        expected: &[u16],
    ) -> Result<ureq::http::Response<ureq::Body>> {
        let mut response = response.map_err(|e| {
            self.error(RegistryProblem::Unreachable { request, message: e.to_string() })
        })?;
        let status = response.status().as_u16();
        if expected.contains(&status) {
            return Ok(response);
        }
        let challenge = header(&response, "www-authenticate");
        let body = response.body_mut().read_to_string().unwrap_or_default();
        let body = body.trim().to_string();
        Err(self.error(RegistryProblem::Refused { request, status, body, challenge }))
    }

    fn error(&self, problem: RegistryProblem) -> DeployError {
        DeployError::Registry { registry: self.name.clone(), problem }
    }
}

/// The system's trusted roots, as rustls-native-certs reads them (`SSL_CERT_FILE` /
/// `SSL_CERT_DIR` are honoured); refused when it finds none, which would fail every handshake
/// with a less telling error.
fn system_roots() -> std::result::Result<ureq::tls::RootCerts, RegistryProblem> {
    let found = rustls_native_certs::load_native_certs();
    if found.certs.is_empty() {
        let why: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
        return Err(RegistryProblem::NoTrustedRoots { detail: why.join("; ") });
    }
    let certs: Vec<ureq::tls::Certificate<'static>> = found
        .certs
        .iter()
        .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    Ok(ureq::tls::RootCerts::new_with_certs(&certs))
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse() {
        let r: Reference = "127.0.0.1:5000/wine-quality:v1".parse().unwrap();
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag.as_str()),
            ("127.0.0.1:5000", "wine-quality", "v1")
        );
        assert_eq!(r.base_url(), "http://127.0.0.1:5000");
        let r: Reference = "123.dkr.ecr.eu-west-2.amazonaws.com/team/wine".parse().unwrap();
        assert_eq!((r.repository.as_str(), r.tag.as_str()), ("team/wine", "latest"));
        assert_eq!(r.base_url(), "https://123.dkr.ecr.eu-west-2.amazonaws.com");
        assert_eq!(
            r.by_digest("sha256:ab"),
            "123.dkr.ecr.eu-west-2.amazonaws.com/team/wine@sha256:ab"
        );
        for bad in ["wine", "host/", "host/Wine", "host/wine:", "host/wine:a b"] {
            assert!(bad.parse::<Reference>().is_err(), "{bad}");
        }
    }

    #[test]
    fn refusals_say_which_request_and_what_a_401_needs() {
        let error = |problem| DeployError::Registry { registry: "host/wine".into(), problem };
        let refused = |status, challenge: Option<&str>| RegistryProblem::Refused {
            request: "PUT manifest",
            status,
            body: "denied".into(),
            challenge: challenge.map(str::to_string),
        };
        assert_eq!(
            error(refused(401, Some("Bearer realm=\"https://auth\""))).to_string(),
            "the registry host/wine: PUT manifest: HTTP 401: denied (the registry asks for \
             `Bearer realm=\"https://auth\"`; only basic auth is spoken)"
        );
        assert_eq!(
            error(refused(401, None)).to_string(),
            "the registry host/wine: PUT manifest: HTTP 401: denied (wrong or missing credentials)"
        );
        assert_eq!(
            error(refused(500, None)).to_string(),
            "the registry host/wine: PUT manifest: HTTP 500: denied"
        );
        let detail = RegistryProblem::NoTrustedRoots { detail: String::new() }.to_string();
        assert_eq!(detail, "no trusted root certificates in the system's store");
    }
}
