//! `grove deploy`: prepares the package as `grove package` does, then hands it to
//! grove-deploy, printing one line per resource (created, updated or unchanged).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use grove_deploy::config::AwsSettings;
use grove_deploy::deploy::{Package, Plan};

use crate::cli::{AwsArgs, DeployArgs};
use crate::package_cmd::{prepare, size};

pub fn run(args: &DeployArgs) -> Result<()> {
    let prepared = prepare(args.model.as_deref(), &args.options, &args.bootstrap)?;
    let (package, model_setting) = if args.image {
        let registry = args.registry.as_deref().map(str::parse).transpose()?;
        (
            Package::Image { image: Box::new(prepared.image()?), registry },
            prepared.image_model_setting(),
        )
    } else {
        let bytes = prepared.zip()?;
        eprintln!("bootstrap.zip: {}", size(bytes.len()));
        (Package::Zip(bytes), prepared.zip_model_setting())
    };
    let plan = Plan {
        function: args.function_name.clone(),
        role: args.role.clone(),
        alias: args.alias.clone(),
        memory_mb: args.memory,
        timeout_s: args.timeout,
        environment: BTreeMap::from([("GROVE_MODEL".to_string(), model_setting)]),
        package,
        public: args.public,
        http_api: args.http_api,
    };
    if args.public {
        eprintln!(
            "warning: --public makes the function URL's auth NONE: anyone who has the URL can \
             call the function, and every call is billed to this account"
        );
    }
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let outcome = runtime.block_on(async {
        let sdk = grove_deploy::config::load(&aws_options(&args.aws)).await?;
        let mut out = std::io::stdout().lock();
        grove_deploy::deploy::run(&sdk, &plan, |change| {
            let _ = writeln!(out, "{change}");
        })
        .await
    })?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "live: {} (version {})", outcome.alias_arn, outcome.version)?;
    writeln!(out, "function URL: {}", outcome.function_url)?;
    if let Some(url) = &outcome.http_api_url {
        writeln!(out, "HTTP API: POST {url}")?;
    }
    Ok(())
}

/// The AWS overrides from the command line.
pub fn aws_options(args: &AwsArgs) -> AwsSettings {
    AwsSettings {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        ..AwsSettings::default()
    }
}
