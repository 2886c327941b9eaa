//! `grove deploy`: prepares the package as `grove package` does, then hands it to
//! grove-deploy, printing one line per resource (created, updated or unchanged).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use grove_deploy::deploy::{Package, Plan};

use crate::cli::DeployArgs;
use crate::output::Output;
use crate::package_cmd::{prepare, size};

pub fn run(args: &DeployArgs, output: &Output) -> Result<()> {
    let prepared = prepare(&args.model, &args.options, &args.bootstrap)?;
    let (package, model_setting) = if args.ship.image {
        let registry = args.ship.registry.as_deref().map(str::parse).transpose()?;
        let image = prepared.image(grove_store::MODEL_VAR)?;
        (Package::Image { image: Box::new(image), registry }, prepared.image_model_setting())
    } else {
        let bytes = prepared.zip()?;
        output.report(format_args!("bootstrap.zip: {}", size(bytes.len())))?;
        (Package::Zip(bytes), prepared.zip_model_setting())
    };
    let plan = Plan {
        function: args.function_name.clone(),
        role: args.role.clone(),
        alias: args.alias.clone(),
        memory_mb: args.memory,
        timeout_s: args.timeout,
        environment: BTreeMap::from([(grove_store::MODEL_VAR.to_string(), model_setting)]),
        package,
        public: args.public,
        http_api: args.http_api,
    };
    if args.public {
        output.warn(format_args!(
            "--public makes the function URL's auth NONE: anyone who has the URL can call the \
             function, and every call is billed to this account"
        ))?;
    }
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let outcome = runtime.block_on(async {
        let sdk = grove_deploy::config::load(&args.aws.settings()).await?;
        let mut out = output.answer();
        grove_deploy::deploy::run(&sdk, &plan, |change| {
            let _ = writeln!(out, "{change}");
        })
        .await
    })?;
    let mut out = output.answer();
    writeln!(out, "live: {} (version {})", outcome.alias_arn, outcome.version)?;
    writeln!(out, "function URL: {}", outcome.function_url)?;
    if let Some(url) = &outcome.http_api_url {
        writeln!(out, "HTTP API: POST {url}")?;
    }
    Ok(())
}
