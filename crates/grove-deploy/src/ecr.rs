//! The function's ECR repository (created or reused) and the registry credentials from
//! `GetAuthorizationToken` (user `AWS`, a 12-hour password).

pub use aws_sdk_ecr::Client;
use base64::Engine;

use crate::registry::Credentials;
use crate::{Change, ChangeKind, DeployError, Result};

/// Makes sure repository `name` exists; returns its URI (`<account>.dkr.ecr.<region>.
/// amazonaws.com/<name>`) and what changed.
pub async fn ensure_repository(client: &Client, name: &str) -> Result<(String, Change)> {
    let resource = format!("ECR repository {name}");
    match client.describe_repositories().repository_names(name).send().await {
        Ok(output) => {
            if let Some(uri) = output.repositories().first().and_then(|r| r.repository_uri()) {
                return Ok((uri.to_string(), Change::new(resource, ChangeKind::Unchanged, uri)));
            }
        }
        Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_not_found_exception()) => {}
        Err(e) => return Err(DeployError::aws("ecr:DescribeRepositories")(e)),
    }
    let output = client
        .create_repository()
        .repository_name(name)
        .send()
        .await
        .map_err(DeployError::aws("ecr:CreateRepository"))?;
    let uri = output
        .repository()
        .and_then(|r| r.repository_uri())
        .ok_or_else(|| DeployError::Incomplete {
            service: "ECR",
            missing: format!("URI for `{name}`"),
        })?
        .to_string();
    Ok((uri.clone(), Change::new(resource, ChangeKind::Created, uri)))
}

/// Registry credentials from `GetAuthorizationToken`.
pub async fn credentials(client: &Client) -> Result<Credentials> {
    let output = client
        .get_authorization_token()
        .send()
        .await
        .map_err(DeployError::aws("ecr:GetAuthorizationToken"))?;
    let token =
        output.authorization_data().first().and_then(|d| d.authorization_token()).ok_or_else(
            || DeployError::Incomplete { service: "ECR", missing: "authorization token".into() },
        )?;
    decode_token(token)
}

/// `base64("AWS:<password>")` → the credentials.
pub fn decode_token(token: &str) -> Result<Credentials> {
    let bad = || DeployError::BadEcrToken;
    let bytes = base64::engine::general_purpose::STANDARD.decode(token).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (username, password) = text.split_once(':').ok_or_else(bad)?;
    Ok(Credentials { username: username.into(), password: password.into() })
}

/// The region of an ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`).
pub fn registry_region(registry: &str) -> Option<String> {
    let host = registry.split(':').next()?;
    let rest = host.split_once(".dkr.ecr.")?.1;
    let region = rest.split('.').next()?;
    (!region.is_empty() && rest.contains(".amazonaws.com")).then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_hosts_name_their_region() {
        let host = "123456789012.dkr.ecr.eu-west-2.amazonaws.com";
        assert_eq!(registry_region(host).as_deref(), Some("eu-west-2"));
        assert_eq!(registry_region("127.0.0.1:5000"), None);
    }

    #[test]
    fn tokens_decode() {
        let token = base64::engine::general_purpose::STANDARD.encode("AWS:secret:with:colons");
        let c = decode_token(&token).unwrap();
        assert_eq!((c.username.as_str(), c.password.as_str()), ("AWS", "secret:with:colons"));
        assert!(decode_token("!!").is_err());
    }
}
