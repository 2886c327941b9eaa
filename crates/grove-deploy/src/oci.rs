//! An OCI image built without Docker: one gzip'd tar layer, the image config and the manifest,
//! all written here. There is no base image (none is obtainable offline), so it is a FROM-scratch
//! image laid out as AWS's `provided.al2023` images are: the bootstrap at
//! `/var/runtime/bootstrap` (the entrypoint), the model in `/var/task` (`LAMBDA_TASK_ROOT`),
//! and, for a dynamically linked bootstrap, the shared libraries it loads at their usual paths.
//! The manifest, config and `index.json` are oci-spec's typed documents; serialised in their
//! field order, so the same inputs give the same bytes and the same digests.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use oci_spec::image::{
    Arch, ConfigBuilder, Descriptor, DescriptorBuilder, HistoryBuilder, ImageConfigurationBuilder,
    ImageIndexBuilder, ImageManifestBuilder, MediaType, OciLayoutBuilder, Os, RootFsBuilder,
};
use oci_spec::OciSpecError;

use crate::{sha256_digest, DeployError, Result};

/// Where the image keeps the bootstrap (its entrypoint).
pub const BOOTSTRAP_PATH: &str = "/var/runtime/bootstrap";
/// The task root in the image (`LAMBDA_TASK_ROOT`, the working directory).
pub const TASK_ROOT: &str = "/var/task";
/// The model in the image.
pub const MODEL_PATH: &str = "/var/task/model.grove";

/// The OCI image manifest's media type.
pub const MANIFEST_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
/// The OCI image config's media type.
pub const CONFIG_TYPE: &str = "application/vnd.oci.image.config.v1+json";
/// A gzip'd tar layer's media type.
pub const LAYER_TYPE: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// Content-addressed bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// Its media type.
    pub media_type: &'static str,
    /// `sha256:<hex>` of `bytes`.
    pub digest: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl Blob {
    fn new(media_type: &'static str, bytes: Vec<u8>) -> Blob {
        Blob { media_type, digest: sha256_digest(&bytes), bytes }
    }

    fn descriptor(&self) -> Result<Descriptor> {
        DescriptorBuilder::default()
            .media_type(MediaType::from(self.media_type))
            .digest(self.digest.parse::<oci_spec::image::Digest>().map_err(document)?)
            .size(self.bytes.len() as u64)
            .build()
            .map_err(document)
    }
}

/// A built image: its layer, config and manifest.
#[derive(Debug, Clone)]
pub struct Image {
    /// The one layer (tar.gz).
    pub layer: Blob,
    /// The image config (JSON).
    pub config: Blob,
    /// The manifest (JSON); its digest is the image's.
    pub manifest: Blob,
}

/// One file of the layer.
#[derive(Debug, Clone)]
pub struct LayerFile {
    /// Absolute path in the image.
    pub path: PathBuf,
    /// Permission bits.
    pub mode: u32,
    /// Content.
    pub bytes: Vec<u8>,
}

/// The files of a Lambda image: the bootstrap, the model (when not built in) and the shared
/// libraries a dynamic bootstrap loads (`libraries`, from [`crate::elf::runtime_libraries`]).
pub fn lambda_files(
    bootstrap: &[u8],
    model: Option<&[u8]>,
    libraries: BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<LayerFile> {
    let mut files =
        vec![LayerFile { path: BOOTSTRAP_PATH.into(), mode: 0o755, bytes: bootstrap.to_vec() }];
    if let Some(model) = model {
        files.push(LayerFile { path: MODEL_PATH.into(), mode: 0o644, bytes: model.to_vec() });
    }
    files.extend(libraries.into_iter().map(|(path, bytes)| LayerFile { path, mode: 0o755, bytes }));
    files
}

/// Builds the image: entrypoint the bootstrap, `env` (e.g. `GROVE_MODEL`) plus
/// `LAMBDA_TASK_ROOT`, working directory the task root, platform linux/amd64.
pub fn build(files: &[LayerFile], env: &[(String, String)]) -> Result<Image> {
    let tar = layer_tar(files)?;
    let diff_id = sha256_digest(&tar);
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&tar).map_err(archive)?;
    let layer = Blob::new(LAYER_TYPE, gz.finish().map_err(archive)?);

    let mut variables = vec![format!("LAMBDA_TASK_ROOT={TASK_ROOT}")];
    variables.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
    let config = ImageConfigurationBuilder::default()
        .architecture(Arch::Amd64)
        .os(Os::Linux)
        .config(
            ConfigBuilder::default()
                .entrypoint(vec![BOOTSTRAP_PATH.to_string()])
                .env(variables)
                .working_dir(TASK_ROOT)
                .build()
                .map_err(document)?,
        )
        .rootfs(
            RootFsBuilder::default()
                .typ("layers")
                .diff_ids(vec![diff_id])
                .build()
                .map_err(document)?,
        )
        .history(vec![HistoryBuilder::default()
            .created_by("grove package --image")
            .build()
            .map_err(document)?])
        .build()
        .map_err(document)?;
    let config = Blob::new(CONFIG_TYPE, to_json(&config)?);
    let manifest = ImageManifestBuilder::default()
        .schema_version(2u32)
        .media_type(MediaType::ImageManifest)
        .config(config.descriptor()?)
        .layers(vec![layer.descriptor()?])
        .build()
        .map_err(document)?;
    let manifest = Blob::new(MANIFEST_TYPE, to_json(&manifest)?);
    Ok(Image { layer, config, manifest })
}

/// Writes the image as an OCI image layout directory (`oci-layout`, `index.json`,
/// `blobs/sha256/…`), which skopeo, podman and crane read; `tag` is recorded as the
/// `org.opencontainers.image.ref.name` annotation.
pub fn write_layout(image: &Image, dir: &Path, tag: &str) -> Result<()> {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).map_err(DeployError::io(&blobs))?;
    for blob in [&image.layer, &image.config, &image.manifest] {
        let hex = blob.digest.trim_start_matches("sha256:");
        let path = blobs.join(hex);
        std::fs::write(&path, &blob.bytes).map_err(DeployError::io(&path))?;
    }
    let mut manifest = image.manifest.descriptor()?;
    manifest.set_annotations(Some(
        [(oci_spec::image::ANNOTATION_REF_NAME.to_string(), tag.to_string())].into(),
    ));
    let index = ImageIndexBuilder::default()
        .schema_version(2u32)
        .media_type(MediaType::ImageIndex)
        .manifests(vec![manifest])
        .build()
        .map_err(document)?;
    let layout =
        OciLayoutBuilder::default().image_layout_version("1.0.0").build().map_err(document)?;
    for (name, bytes) in [("oci-layout", to_json(&layout)?), ("index.json", to_json(&index)?)] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(DeployError::io(&path))?;
    }
    Ok(())
}

fn layer_tar(files: &[LayerFile]) -> Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut dirs: Vec<PathBuf> = Vec::new();
    for file in files {
        let relative = file.path.strip_prefix("/").unwrap_or(&file.path);
        // Parent directories first, each once, outermost first.
        let mut parents: Vec<&Path> =
            relative.ancestors().skip(1).filter(|p| !p.as_os_str().is_empty()).collect();
        parents.reverse();
        for dir in parents {
            if dirs.iter().any(|d| d == dir) {
                continue;
            }
            dirs.push(dir.to_path_buf());
            let mut header = header(tar::EntryType::Directory, 0o755, 0);
            builder.append_data(&mut header, dir, std::io::empty()).map_err(archive)?;
        }
        let mut header = header(tar::EntryType::Regular, file.mode, file.bytes.len() as u64);
        builder.append_data(&mut header, relative, file.bytes.as_slice()).map_err(archive)?;
    }
    builder.into_inner().map_err(archive)
}

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_size(size);
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(0);
    header
}

fn archive(e: std::io::Error) -> DeployError {
    DeployError::Archive { what: "image layer", message: e.to_string() }
}

fn document(e: impl Into<OciSpecError>) -> DeployError {
    DeployError::Archive { what: "image documents", message: e.into().to_string() }
}

fn to_json(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(value)
        .map_err(|e| DeployError::Archive { what: "image documents", message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn the_layer_holds_the_files_and_the_digests_chain() {
        let files = lambda_files(b"boot", Some(b"model"), BTreeMap::new());
        let env = [("GROVE_MODEL".to_string(), MODEL_PATH.to_string())];
        let image = build(&files, &env).unwrap();
        let manifest: serde_json::Value = serde_json::from_slice(&image.manifest.bytes).unwrap();
        assert_eq!(manifest["config"]["digest"], image.config.digest);
        assert_eq!(manifest["layers"][0]["digest"], image.layer.digest);
        assert_eq!(manifest["layers"][0]["size"], image.layer.bytes.len());

        let mut tar = Vec::new();
        flate2::read::GzDecoder::new(image.layer.bytes.as_slice()).read_to_end(&mut tar).unwrap();
        let config: serde_json::Value = serde_json::from_slice(&image.config.bytes).unwrap();
        assert_eq!(config["rootfs"]["diff_ids"][0], sha256_digest(&tar));
        assert_eq!(config["config"]["Entrypoint"][0], BOOTSTRAP_PATH);
        assert!(config["config"]["Env"].to_string().contains("GROVE_MODEL=/var/task/model.grove"));

        let mut archive = tar::Archive::new(tar.as_slice());
        let entries: Vec<(String, u32)> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.path().unwrap().display().to_string(), e.header().mode().unwrap())
            })
            .collect();
        assert!(entries.contains(&("var/runtime/bootstrap".into(), 0o755)), "{entries:?}");
        assert!(entries.contains(&("var/task/model.grove".into(), 0o644)), "{entries:?}");
        assert_eq!(entries.iter().filter(|(p, _)| p == "var/" || p == "var").count(), 1);
        // The same inputs make the same image.
        assert_eq!(build(&files, &env).unwrap().manifest.digest, image.manifest.digest);
    }

    #[test]
    fn the_documents_are_written_field_by_field_in_a_fixed_order() {
        let image = build(&lambda_files(b"boot", None, BTreeMap::new()), &[]).unwrap();
        let diff_id = {
            let mut tar = Vec::new();
            flate2::read::GzDecoder::new(image.layer.bytes.as_slice())
                .read_to_end(&mut tar)
                .unwrap();
            sha256_digest(&tar)
        };
        let config = format!(
            r#"{{"architecture":"amd64","os":"linux","config":{{"Env":["LAMBDA_TASK_ROOT=/var/task"],"Entrypoint":["/var/runtime/bootstrap"],"WorkingDir":"/var/task"}},"rootfs":{{"type":"layers","diff_ids":["{diff_id}"]}},"history":[{{"created_by":"grove package --image"}}]}}"#
        );
        assert_eq!(String::from_utf8_lossy(&image.config.bytes), config);
        let descriptor = |blob: &Blob| {
            format!(
                r#"{{"mediaType":"{}","digest":"{}","size":{}}}"#,
                blob.media_type,
                blob.digest,
                blob.bytes.len()
            )
        };
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"{MANIFEST_TYPE}","config":{},"layers":[{}]}}"#,
            descriptor(&image.config),
            descriptor(&image.layer)
        );
        assert_eq!(String::from_utf8_lossy(&image.manifest.bytes), manifest);

        let dir = tempfile::tempdir().unwrap();
        write_layout(&image, dir.path(), "v1").unwrap();
        let index = std::fs::read_to_string(dir.path().join("index.json")).unwrap();
        let entry = descriptor(&image.manifest);
        let entry = format!(
            r#"{},"annotations":{{"org.opencontainers.image.ref.name":"v1"}}}}"#,
            &entry[..entry.len() - 1]
        );
        assert_eq!(
            index,
            format!(
                r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{entry}]}}"#
            )
        );
        let layout = std::fs::read_to_string(dir.path().join("oci-layout")).unwrap();
        assert_eq!(layout, r#"{"imageLayoutVersion":"1.0.0"}"#);
        for blob in [&image.layer, &image.config, &image.manifest] {
            let hex = blob.digest.trim_start_matches("sha256:");
            assert_eq!(
                std::fs::read(dir.path().join("blobs/sha256").join(hex)).unwrap(),
                blob.bytes
            );
        }
        assert_eq!(MediaType::ImageManifest.to_string(), MANIFEST_TYPE);
        assert_eq!(MediaType::ImageConfig.to_string(), CONFIG_TYPE);
        assert_eq!(MediaType::ImageLayerGzip.to_string(), LAYER_TYPE);
    }
}
