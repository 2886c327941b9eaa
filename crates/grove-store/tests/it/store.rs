//! The S3 store against moto: push, list, load by version id and by label, roll back, and the
//! versions that must be refused.

use aws_sdk_s3::primitives::ByteStream;
use grove_forest::Forest;
use grove_request::ModelFeed;
use grove_store::{schema_digest, AwsSettings, PushOptions, S3Location, S3Store, StoreError};

use grove_test::moto::Moto;
use grove_test::require;

async fn store(moto: &Moto, bucket: &str, key: &str) -> S3Store {
    grove_test::aws_env::isolate_process();
    let location = S3Location { bucket: bucket.into(), key: key.into() };
    let options = AwsSettings { endpoint_url: Some(moto.endpoint.clone()), ..Default::default() };
    S3Store::connect(location, &options).await.unwrap()
}

fn wine() -> Forest {
    grove_builtin::wine_quality().unwrap()
}

/// The wine model with fewer trees: another model of the same schema.
fn fewer_trees(n: usize) -> Forest {
    let mut parts = wine().parts().clone();
    parts.trees.truncate(n);
    Forest::new(parts).unwrap()
}

fn push_opts(label: &str) -> PushOptions {
    PushOptions { label: Some(label.into()), ..PushOptions::default() }
}

fn bytes(forest: &Forest) -> Vec<u8> {
    grove_format::to_bytes(forest)
}

#[tokio::test]
async fn push_list_load_by_id_and_label_and_roll_back() {
    let moto = Moto::start(&require!(Moto::venv()));
    let s = store(&moto, "models", "wine/model.grove").await;

    // No bucket: a clear error, unless asked to create it (with versioning on).
    let err = s.push(&bytes(&wine()), &push_opts("v1")).await.unwrap_err();
    assert!(matches!(err, StoreError::BucketMissing { .. }), "{err}");
    assert!(err.to_string().contains("--create-bucket"), "{err}");
    let create = PushOptions { create_bucket: true, ..push_opts("v1") };
    let v1 = s.push(&bytes(&wine()), &create).await.unwrap();
    let v2 = s.push(&bytes(&fewer_trees(3)), &push_opts("v2")).await.unwrap();
    assert_ne!(v1.version_id, v2.version_id);
    assert_eq!(v1.checksum, Some(format!("{:016x}", grove_format::checksum(&bytes(&wine())))));

    // The listing: newest first, the latest marked, metadata back from S3.
    let versions = s.versions().await.unwrap();
    let ids: Vec<&str> = versions.iter().map(|v| v.version_id.as_str()).collect();
    assert_eq!(ids, [v2.version_id.as_str(), v1.version_id.as_str()]);
    assert!(versions[0].is_latest && !versions[1].is_latest);
    assert_eq!(versions[1].label.as_deref(), Some("v1"));
    assert_eq!(versions[0].schema.as_deref(), Some(schema_digest(&wine()).as_str()));
    assert_eq!(versions[0].schema, versions[1].schema);
    assert_eq!(versions[0].schema_summary(), "12 features → quality (7 classes)");
    assert_eq!(versions[1].checksum, v1.checksum);
    assert!(versions[0].last_modified.is_some());

    // Latest, by id, by label; the served version is the S3 version id.
    assert_eq!(s.latest_version().await.unwrap(), v2.version_id);
    let latest = s.load(None).await.unwrap();
    assert_eq!(
        (latest.version.as_str(), latest.forest.parts().trees.len()),
        (v2.version_id.as_str(), 3)
    );
    let by_id = s.load(Some(&v1.version_id)).await.unwrap();
    assert_eq!(by_id.version, v1.version_id);
    assert_eq!(by_id.forest.parts().trees.len(), wine().parts().trees.len());
    assert_eq!(s.load(Some("v1")).await.unwrap().version, v1.version_id);
    let missing = s.load(Some("v9")).await.unwrap_err();
    assert_eq!(missing.kind(), "NoSuchVersion", "{missing}");

    // Roll back to v1 by label: a new latest version with v1's bytes and metadata.
    let v3 = s.rollback("v1").await.unwrap();
    assert!(v3.version_id != v1.version_id && v3.version_id != v2.version_id);
    assert_eq!((v3.label.as_deref(), v3.checksum.as_ref()), (Some("v1"), v1.checksum.as_ref()));
    assert_eq!(ModelFeed::latest_version(&s).await.unwrap(), v3.version_id);
    let rolled = ModelFeed::load(&s, &v3.version_id).await.unwrap();
    assert_eq!(rolled.forest.parts().trees.len(), wine().parts().trees.len());
    assert_eq!(s.versions().await.unwrap().len(), 3);
    // The label now names the newest version carrying it.
    assert_eq!(s.resolve("v1").await.unwrap(), v3.version_id);

    // A bucket that keeps no versions is refused unless versioning is turned on.
    s.client().create_bucket().bucket("plain").send().await.unwrap();
    let plain = store(&moto, "plain", "m.grove").await;
    let err = plain.push(&bytes(&wine()), &PushOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), "VersioningOff", "{err}");
    assert!(err.to_string().contains("--enable-versioning"), "{err}");
    let enable = PushOptions { enable_versioning: true, ..PushOptions::default() };
    let pushed = plain.push(&bytes(&wine()), &enable).await.unwrap();
    assert_eq!(plain.latest_version().await.unwrap(), pushed.version_id);
}

#[tokio::test]
async fn corrupt_and_other_schema_versions() {
    let moto = Moto::start(&require!(Moto::venv()));
    let s = store(&moto, "zoo", "models/wine.grove").await;
    let create = PushOptions { create_bucket: true, ..push_opts("good") };
    let good = s.push(&bytes(&wine()), &create).await.unwrap();

    // grove push refuses what would not load.
    let err = s.push(b"not a model", &PushOptions::default()).await.unwrap_err();
    assert_eq!(err.kind(), "InvalidModel", "{err}");

    // Garbage put by other means is a version like any other; loading it fails by name.
    let put = s
        .client()
        .put_object()
        .bucket("zoo")
        .key("models/wine.grove")
        .body(ByteStream::from_static(b"garbage, not a .grove file"))
        .send()
        .await
        .unwrap();
    let garbage = put.version_id().unwrap().to_string();
    assert_eq!(s.latest_version().await.unwrap(), garbage);
    let err = s.load(None).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::InvalidModel { version: Some(v), .. } if *v == garbage),
        "{err}"
    );
    assert!(err.to_string().contains("is not a valid model"), "{err}");
    let err = ModelFeed::load(&s, &garbage).await.unwrap_err();
    assert!(err.to_string().contains("not a valid model"), "{err}");
    // A truncated real model fails the same way (the checksum or lengths do not match).
    let mut cut = bytes(&wine());
    cut.truncate(cut.len() / 2);
    let put = s
        .client()
        .put_object()
        .bucket("zoo")
        .key("models/wine.grove")
        .body(ByteStream::from(cut))
        .send()
        .await
        .unwrap();
    let err = s.fetch(put.version_id().unwrap()).await.unwrap_err();
    assert_eq!(err.kind(), "InvalidModel", "{err}");
    // The good version still loads by label and by id.
    assert_eq!(s.load(Some("good")).await.unwrap().version, good.version_id);
    let versions = s.versions().await.unwrap();
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[0].schema_summary(), "(no grove metadata)");

    // Another schema loads (it is a valid model) but its digest differs: servers refuse it.
    let mut parts = wine().parts().clone();
    parts.schema.target = "grade".into();
    let other = Forest::new(parts).unwrap();
    let pushed = s.push(&bytes(&other), &push_opts("grade")).await.unwrap();
    assert_ne!(pushed.schema, good.schema);
    assert_eq!(s.load(None).await.unwrap().forest.schema().target, "grade");

    // Nothing at a key: a named error.
    let empty = store(&moto, "zoo", "nothing/here.grove").await;
    assert_eq!(empty.latest_version().await.unwrap_err().kind(), "NoSuchKey");
}
