//! The function's execution role: created with Lambda's trust policy (or reused, its trust
//! policy fixed when it does not let Lambda assume it) and given
//! `AWSLambdaBasicExecutionRole` (CloudWatch Logs).

use aws_sdk_iam::Client;
use serde_json::{json, Value};

use crate::{Change, ChangeKind, DeployError, Result};

/// The managed policy the tutorial attaches.
pub const BASIC_EXECUTION_POLICY: &str =
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/// The trust policy letting Lambda assume the role.
pub fn trust_policy() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }],
    })
}

/// Makes sure role `name` exists, Lambda may assume it, and it has the basic execution policy.
/// Returns its ARN and what changed.
pub async fn ensure_role(client: &Client, name: &str) -> Result<(String, Vec<Change>)> {
    let resource = format!("role {name}");
    let policy = trust_policy().to_string();
    let mut changes = Vec::new();
    let arn = match client.get_role().role_name(name).send().await {
        Ok(output) => {
            let role = output.role().ok_or_else(|| DeployError::Incomplete {
                service: "IAM",
                missing: format!("role `{name}`"),
            })?;
            let document = role.assume_role_policy_document().map(percent_decode);
            if document.as_deref().is_some_and(trusts_lambda) {
                changes.push(Change::new(resource, ChangeKind::Unchanged, role.arn()));
            } else {
                client
                    .update_assume_role_policy()
                    .role_name(name)
                    .policy_document(&policy)
                    .send()
                    .await
                    .map_err(DeployError::aws("iam:UpdateAssumeRolePolicy"))?;
                changes.push(Change::new(resource, ChangeKind::Updated, "trust policy: Lambda"));
            }
            role.arn().to_string()
        }
        Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_entity_exception()) => {
            let output = client
                .create_role()
                .role_name(name)
                .assume_role_policy_document(&policy)
                .description("Execution role of a grove Lambda function")
                .send()
                .await
                .map_err(DeployError::aws("iam:CreateRole"))?;
            let arn = output.role().map(|r| r.arn().to_string()).unwrap_or_default();
            changes.push(Change::new(resource, ChangeKind::Created, &arn));
            arn
        }
        Err(e) => return Err(DeployError::aws("iam:GetRole")(e)),
    };

    let attached = client
        .list_attached_role_policies()
        .role_name(name)
        .max_items(1000)
        .send()
        .await
        .map_err(DeployError::aws("iam:ListAttachedRolePolicies"))?;
    let has_policy =
        attached.attached_policies().iter().any(|p| p.policy_arn() == Some(BASIC_EXECUTION_POLICY));
    let resource = format!("role {name} policy AWSLambdaBasicExecutionRole");
    if has_policy {
        changes.push(Change::new(resource, ChangeKind::Unchanged, ""));
    } else {
        client
            .attach_role_policy()
            .role_name(name)
            .policy_arn(BASIC_EXECUTION_POLICY)
            .send()
            .await
            .map_err(DeployError::aws("iam:AttachRolePolicy"))?;
        changes.push(Change::new(resource, ChangeKind::Created, "attached"));
    }
    Ok((arn, changes))
}

/// True when a trust policy lets `lambda.amazonaws.com` assume the role.
fn trusts_lambda(document: &str) -> bool {
    let Ok(policy) = serde_json::from_str::<Value>(document) else { return false };
    let statements = match &policy["Statement"] {
        Value::Array(list) => list.clone(),
        one => vec![one.clone()],
    };
    statements.iter().any(|s| {
        let allows = s["Effect"] == "Allow";
        let action = match &s["Action"] {
            Value::String(a) => a == "sts:AssumeRole",
            Value::Array(list) => list.iter().any(|a| a == "sts:AssumeRole"),
            _ => false,
        };
        let service = match &s["Principal"]["Service"] {
            Value::String(p) => p == "lambda.amazonaws.com",
            Value::Array(list) => list.iter().any(|p| p == "lambda.amazonaws.com"),
            _ => false,
        };
        allows && action && service
    })
}

/// IAM returns policy documents URL-encoded (RFC 3986); plain JSON passes through unchanged
/// (a `%` not followed by two hex digits is kept as it is).
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_policies_are_read_encoded_or_not() {
        let plain = trust_policy().to_string();
        assert!(trusts_lambda(&plain));
        let encoded = plain.replace('{', "%7B").replace('}', "%7D").replace('"', "%22");
        assert!(trusts_lambda(&percent_decode(&encoded)));
        assert!(!trusts_lambda(&plain.replace("lambda.", "ec2.")));
        assert_eq!(percent_decode("100%"), "100%");
    }
}
