//! An API Gateway v2 HTTP API in front of the function's alias: the API (named after the
//! function), one `AWS_PROXY` integration (payload format 2.0) on the alias ARN, the routes
//! `POST /predict` and `$default` (every other path reaches the function's Router too: `/healthz`,
//! `/openapi.json`), the auto-deployed `$default` stage, and the Lambda permission for
//! `apigateway.amazonaws.com`.

use aws_sdk_apigatewayv2::types::{IntegrationType, ProtocolType};
use aws_sdk_apigatewayv2::Client;

use crate::{Change, ChangeKind, DeployError, Result};

/// The routes the API gets.
pub const ROUTES: [&str; 2] = ["POST /predict", "$default"];

/// The HTTP API as made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpApi {
    /// Its id.
    pub api_id: String,
    /// `https://<id>.execute-api.<region>.amazonaws.com`.
    pub endpoint: String,
}

/// Makes sure the API `name` exists and routes to `alias_arn`. Returns it and what changed.
pub async fn ensure_http_api(
    client: &Client,
    name: &str,
    alias_arn: &str,
) -> Result<(HttpApi, Vec<Change>)> {
    let mut changes = Vec::new();
    let resource = format!("HTTP API {name}");
    let (api_id, endpoint) = match find_api(client, name).await? {
        Some(found) => {
            changes.push(Change::new(resource, ChangeKind::Unchanged, &found.0));
            found
        }
        None => {
            let output = client
                .create_api()
                .name(name)
                .protocol_type(ProtocolType::Http)
                .description("grove: predictions from a Lambda function (grove deploy --http-api)")
                .send()
                .await
                .map_err(DeployError::aws("apigateway:CreateApi"))?;
            let id = output.api_id().unwrap_or_default().to_string();
            changes.push(Change::new(resource, ChangeKind::Created, &id));
            (id, output.api_endpoint().unwrap_or_default().to_string())
        }
    };

    // The integration on the alias.
    let integrations = client
        .get_integrations()
        .api_id(&api_id)
        .send()
        .await
        .map_err(DeployError::aws("apigateway:GetIntegrations"))?;
    let existing = integrations
        .items()
        .iter()
        .find(|i| i.integration_uri() == Some(alias_arn))
        .and_then(|i| i.integration_id());
    let integration_id = match existing {
        Some(id) => {
            changes.push(Change::new("HTTP API integration", ChangeKind::Unchanged, id));
            id.to_string()
        }
        None => {
            let output = client
                .create_integration()
                .api_id(&api_id)
                .integration_type(IntegrationType::AwsProxy)
                .integration_uri(alias_arn)
                .payload_format_version("2.0")
                .send()
                .await
                .map_err(DeployError::aws("apigateway:CreateIntegration"))?;
            let id = output.integration_id().unwrap_or_default().to_string();
            changes.push(Change::new(
                "HTTP API integration",
                ChangeKind::Created,
                format!("{id} → {alias_arn}"),
            ));
            id
        }
    };

    // The routes.
    let target = format!("integrations/{integration_id}");
    let routes = client
        .get_routes()
        .api_id(&api_id)
        .send()
        .await
        .map_err(DeployError::aws("apigateway:GetRoutes"))?;
    for key in ROUTES {
        let resource = format!("HTTP API route {key}");
        match routes.items().iter().find(|r| r.route_key() == Some(key)) {
            Some(route) if route.target() == Some(target.as_str()) => {
                changes.push(Change::new(resource, ChangeKind::Unchanged, &target));
            }
            Some(route) => {
                client
                    .update_route()
                    .api_id(&api_id)
                    .route_id(route.route_id().unwrap_or_default())
                    .target(&target)
                    .send()
                    .await
                    .map_err(DeployError::aws("apigateway:UpdateRoute"))?;
                changes.push(Change::new(resource, ChangeKind::Updated, &target));
            }
            None => {
                client
                    .create_route()
                    .api_id(&api_id)
                    .route_key(key)
                    .target(&target)
                    .send()
                    .await
                    .map_err(DeployError::aws("apigateway:CreateRoute"))?;
                changes.push(Change::new(resource, ChangeKind::Created, &target));
            }
        }
    }

    // The stage that serves it.
    let stages = client
        .get_stages()
        .api_id(&api_id)
        .send()
        .await
        .map_err(DeployError::aws("apigateway:GetStages"))?;
    if stages.items().iter().any(|s| s.stage_name() == Some("$default")) {
        changes.push(Change::new("HTTP API stage $default", ChangeKind::Unchanged, "auto-deploy"));
    } else {
        client
            .create_stage()
            .api_id(&api_id)
            .stage_name("$default")
            .auto_deploy(true)
            .send()
            .await
            .map_err(DeployError::aws("apigateway:CreateStage"))?;
        changes.push(Change::new("HTTP API stage $default", ChangeKind::Created, "auto-deploy"));
    }
    Ok((HttpApi { api_id, endpoint }, changes))
}

/// The `execute-api` ARN pattern covering every stage and route of `api_id`, for the Lambda
/// permission, from the function's ARN (`arn:<partition>:lambda:<region>:<account>:function:…`).
pub fn source_arn(function_arn: &str, api_id: &str) -> Result<String> {
    let parts: Vec<&str> = function_arn.split(':').collect();
    if parts.len() < 6 || parts[0] != "arn" || parts[2] != "lambda" {
        return Err(DeployError::NotAFunctionArn { arn: function_arn.to_string() });
    }
    Ok(format!("arn:{}:execute-api:{}:{}:{api_id}/*/*", parts[1], parts[3], parts[4]))
}

async fn find_api(client: &Client, name: &str) -> Result<Option<(String, String)>> {
    let mut token: Option<String> = None;
    loop {
        let output = client
            .get_apis()
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(DeployError::aws("apigateway:GetApis"))?;
        let found = output.items().iter().find(|api| {
            api.name() == Some(name) && api.protocol_type() == Some(&ProtocolType::Http)
        });
        if let Some(api) = found {
            let id = api.api_id().unwrap_or_default().to_string();
            return Ok(Some((id, api.api_endpoint().unwrap_or_default().to_string())));
        }
        match output.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => return Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permission_covers_the_api() {
        let arn = "arn:aws:lambda:eu-west-2:123456789012:function:wine-quality:live";
        assert_eq!(
            source_arn(arn, "abc123").unwrap(),
            "arn:aws:execute-api:eu-west-2:123456789012:abc123/*/*"
        );
        assert!(source_arn("nope", "x").is_err());
    }
}
