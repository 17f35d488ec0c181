//! The portal's bundle (script, wasm, stylesheet) is served in the encoding the browser asks
//! for, from the variants scripts/build precompressed, with the right headers, and cached for a
//! year under names that change with the contents.
//!
//! Two sites: one this test makes (always there), and the real one scripts/build makes in
//! target/site (or compiled into this binary with `--features embed-site`). scripts/test builds
//! the site before `cargo test` and sets PROVISIO_REQUIRE_SITE=1, so CI never skips the second.

use crate::common::{new_client, TestApp};
use provisio::server::site::{BUNDLE_FILE, IMMUTABLE, SHORT_LIVED};
use reqwest::{header, Response};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A site laid out as scripts/build lays it out, with a hashed bundle directory and both variants.
fn fixture_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let bundle = "pkg/0123456789abcdef";
    std::fs::create_dir_all(root.join(bundle)).unwrap();
    std::fs::write(root.join(BUNDLE_FILE), "0123456789abcdef\n").unwrap();
    // Compressible and long enough to shrink: the variants must decode to exactly this.
    let files = [
        (format!("{bundle}/provisio.js"), "export function hydrate() { console.log('hydrated'); }\n".repeat(40).into_bytes()),
        (format!("{bundle}/provisio_bg.wasm"), [&b"\0asm\x01\0\0\0"[..], &[7u8; 4000]].concat()),
        (format!("{bundle}/chunk_1.wasm"), [&b"\0asm\x01\0\0\0"[..], &[8u8; 2000]].concat()),
        (format!("{bundle}/provisio.css"), "body { margin: 0; color: #222; }\n".repeat(40).into_bytes()),
        ("favicon.svg".to_owned(), b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".to_vec()),
    ];
    for (name, bytes) in files {
        let path = root.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes).unwrap();
        std::fs::write(with_suffix(&path, ".gz"), gzip.finish().unwrap()).unwrap();
        let mut brotli = Vec::new();
        brotli::BrotliCompress(&mut &bytes[..], &mut brotli, &Default::default()).unwrap();
        std::fs::write(with_suffix(&path, ".br"), brotli).unwrap();
    }
    (dir, root)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[tokio::test]
async fn the_bundle_is_served_precompressed_with_immutable_caching() {
    let (_dir, root) = fixture_site();
    let app = TestApp::spawn_with(|config| config.site_root = Some(root.clone())).await;
    check_site(&app, &root).await;

    // The favicon has no hash in its name: it is cached briefly.
    let favicon = get(&app, "/favicon.svg", Some("br")).await;
    assert_eq!(favicon.headers()[header::CACHE_CONTROL], SHORT_LIVED);
    assert_eq!(favicon.headers()[header::CONTENT_TYPE], "image/svg+xml");

    // What is not a file is the portal's not-found page, and never a file outside the site.
    for path in ["/pkg/provisio.js", "/pkg/0123456789abcdef/missing.js", "/bundle.txt", "/pkg/../bundle.txt", "/pkg/%2e%2e/bundle.txt"] {
        let response = get(&app, path, None).await;
        assert_ne!(response.status(), 200, "{path}");
        assert_ne!(response.headers().get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap()), Some(IMMUTABLE), "{path}");
    }
}

/// The site scripts/build made: what the release binary carries.
#[tokio::test]
async fn the_built_site_is_served_as_built() {
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/site");
    if !built.join(BUNDLE_FILE).exists() {
        assert!(std::env::var_os("PROVISIO_REQUIRE_SITE").is_none(), "PROVISIO_REQUIRE_SITE is set but {} was not built", built.display());
        eprintln!("skipped: no built site in {} (run scripts/build; scripts/test does)", built.display());
        return;
    }
    // Compiled in when this binary has the site, read from disk otherwise.
    let root = (!cfg!(feature = "embed-site")).then(|| built.clone());
    let app = TestApp::spawn_with(|config| config.site_root = root).await;
    check_site(&app, &built).await;
}

/// Every file in the bundle directory `root`'s bundle.txt names, in every encoding, against the
/// file itself.
async fn check_site(app: &TestApp, root: &Path) {
    let hash = std::fs::read_to_string(root.join(BUNDLE_FILE)).unwrap().trim().to_owned();
    assert!(hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "a hash: {hash}");
    let bundle = format!("pkg/{hash}");

    // The page asks for the hashed directory (a fresh app's first page is setup).
    let page = app.client.get(app.url("/setup")).send().await.unwrap().text().await.unwrap();
    for file in ["provisio.css", "provisio.js", "provisio_bg.wasm"] {
        let reference = format!("/{bundle}/{file}");
        assert!(page.contains(&reference), "the page names {reference}:\n{page}");
    }

    // A split bundle: the page preloads its section's files (the setup page's section is `entry_pages`).
    if let Ok(manifest) = std::fs::read_to_string(root.join(&bundle).join("split-manifest.json")) {
        let manifest: std::collections::HashMap<String, Vec<String>> = serde_json::from_str(&manifest).unwrap();
        let (_, entry) = manifest.iter().find(|(name, _)| name.starts_with("entry_pages_")).expect("the entry section");
        let mut expected: Vec<String> = entry.iter().map(|module| format!("/{bundle}/{module}.wasm")).collect();
        expected.push(format!("/{bundle}/provisio_bg.wasm"));
        expected.sort();
        assert_eq!(preloaded(&page), expected, "the setup page preloads the main module and its section's files, nothing else");
    }

    let mut names: Vec<String> = std::fs::read_dir(root.join(&bundle))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
        .collect();
    names.sort();
    assert!(names.len() >= 4, "the bundle: {names:?}");
    for name in names {
        let content_type = match name.rsplit('.').next() {
            Some("js") => "text/javascript",
            Some("wasm") => "application/wasm",
            Some("css") => "text/css",
            Some("json") => "application/json",
            other => panic!("an unexpected file in the bundle: {name} ({other:?})"),
        };
        let name = format!("{bundle}/{name}");
        let file = std::fs::read(root.join(&name)).unwrap();
        let path = format!("/{name}");
        // The build keeps a variant only where it is smaller than the file.
        let variant = |suffix: &'static str, coding: &'static str| root.join(format!("{name}{suffix}")).exists().then_some(coding);
        let gzip = variant(".gz", "gzip");
        for (accept, encoding) in [(Some("gzip, deflate, br, zstd"), variant(".br", "br").or(gzip)), (Some("gzip"), gzip), (None, None)] {
            let response = get(app, &path, accept).await;
            assert_eq!(response.status(), 200, "{path} {accept:?}");
            let headers = response.headers().clone();
            assert_eq!(headers.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()), encoding, "{path} {accept:?}");
            assert_eq!(headers[header::CONTENT_TYPE], content_type, "{path}");
            assert_eq!(headers[header::CACHE_CONTROL], IMMUTABLE, "{path}");
            assert_eq!(headers[header::VARY], "accept-encoding", "{path}");
            assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
            let body = response.bytes().await.unwrap();
            assert_eq!(headers[header::CONTENT_LENGTH], body.len().to_string().as_str(), "{path}");
            if encoding.is_some() {
                assert!(body.len() < file.len(), "{path} {encoding:?}: {} bytes, {} raw", body.len(), file.len());
            }
            assert!(decode(encoding, &body) == file, "{path} {accept:?}: the decoded body is the file");
        }
    }
}

/// The `href` of every `<link rel="preload">` in a page, sorted.
fn preloaded(page: &str) -> Vec<String> {
    let mut hrefs: Vec<String> = page
        .split("<link ")
        .skip(1)
        .filter_map(|tag| tag.split('>').next())
        .filter(|tag| tag.contains(r#"rel="preload""#))
        .filter_map(|tag| Some(tag.split(r#"href=""#).nth(1)?.split('"').next()?.to_owned()))
        .collect();
    hrefs.sort();
    hrefs
}

async fn get(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> Response {
    // Without reqwest's decompression features the bytes arrive as sent; redirects not followed.
    let mut request = new_client().get(app.url(path));
    if let Some(value) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, value);
    }
    request.send().await.unwrap()
}

fn decode(encoding: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    match encoding {
        Some("br") => brotli::Decompressor::new(body, 4096).read_to_end(&mut decoded),
        Some("gzip") => flate2::read::GzDecoder::new(body).read_to_end(&mut decoded),
        None => return body.to_vec(),
        Some(other) => panic!("unexpected encoding {other}"),
    }
    .unwrap();
    decoded
}
