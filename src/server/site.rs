//! The portal's static files: the hydrate bundle, its stylesheet and `public/`. Compiled into
//! the binary (feature `embed-site`, which scripts/build turns on) or read from a directory
//! (`--site-root`, for development). scripts/build writes a `.br` and a `.gz` beside each
//! compressible file, served by the request's Accept-Encoding; the bundle's files live in a
//! directory named after a hash of their contents (`pkg/<hash>/provisio.js`, `provisio_bg.wasm`,
//! `provisio.css`, and the pages' wasm chunks with their loader) and are cached for a year,
//! everything else briefly. One directory rather than a hash in each name: the chunks' loader
//! and the main module find each other by fixed relative names.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response};
use leptos::prelude::{provide_context, ArcStoredValue};
use leptos::WasmSplitManifest;
use std::collections::HashMap;
use std::path::PathBuf;

/// The file in the site that holds the bundle's hash (its directory is `pkg/<hash>`), written by
/// scripts/build.
pub const BUNDLE_FILE: &str = "bundle.txt";
/// The bundle's module name inside its directory: `provisio.js`, `provisio_bg.wasm`, `provisio.css`.
pub const OUTPUT_NAME: &str = "provisio";
/// The loader wasm-split-cli writes beside the chunks it fetches.
const SPLIT_LOADER: &str = "__wasm_split.js";
/// The bundle's directory in a site without [`BUNDLE_FILE`] (not built by scripts/build, or absent).
const UNHASHED_PKG_DIR: &str = "pkg";
/// Where the site is when neither the command line nor the binary says otherwise.
pub const DEFAULT_ROOT: &str = "target/site";

/// Files whose name changes with their contents: the browser never needs to ask again.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (the favicon, an unhashed development bundle).
pub const SHORT_LIVED: &str = "public, max-age=300";

#[cfg(feature = "embed-site")]
#[derive(rust_embed::Embed)]
#[folder = "target/site/"]
struct Embedded;

/// The bundle's file listing, for each section of pages, the wasm files the section needs
/// (scripts/split-manifest.py).
const SPLIT_MANIFEST: &str = "split-manifest.json";

/// Where the files come from, and the bundle's directory in them.
#[derive(Clone, Debug)]
pub struct Site {
    files: Files,
    /// `pkg/<hash>`, or `pkg` for an unhashed bundle.
    pkg_dir: String,
    /// For each section of pages (leptos' name for its lazy function), the wasm files it needs;
    /// built once, handed to every page's rendering as it is (a shared value).
    splits: Option<WasmSplitManifest>,
}

#[derive(Clone, Debug)]
enum Files {
    Disk(PathBuf),
    #[cfg(feature = "embed-site")]
    Embedded,
}

impl Site {
    /// `root` is `--site-root` (or `PROVISIO_SITE_ROOT`): a directory, for development. Without
    /// it, the site compiled into the binary, or target/site if the binary has none.
    pub fn locate(root: Option<PathBuf>) -> Site {
        let files = match root {
            Some(root) => Files::Disk(root),
            #[cfg(feature = "embed-site")]
            None => Files::Embedded,
            #[cfg(not(feature = "embed-site"))]
            None => Files::Disk(PathBuf::from(DEFAULT_ROOT)),
        };
        let pkg_dir = files
            .read_now(BUNDLE_FILE)
            .and_then(|hash| bundle_hash(&hash))
            .map_or_else(|| UNHASHED_PKG_DIR.to_owned(), |hash| format!("pkg/{hash}"));
        let splits = files
            .read_now(&format!("{pkg_dir}/{SPLIT_MANIFEST}"))
            .and_then(|json| serde_json::from_str::<HashMap<String, Vec<String>>>(&json).ok())
            .filter(|splits| !splits.is_empty())
            .map(|splits| WasmSplitManifest(ArcStoredValue::new((format!("/{pkg_dir}"), splits, SPLIT_LOADER.to_owned()))));
        Site { files, pkg_dir, splits }
    }

    /// Tells leptos which wasm files each section of pages needs: a page then names its
    /// section's files in `<link rel="preload">`, so the browser fetches them beside the main
    /// module rather than after it. Called in each page's rendering context.
    pub fn provide_split_manifest(&self) {
        if let Some(splits) = &self.splits {
            provide_context(splits.clone());
        }
    }

    /// The directory Leptos' hydration scripts and the shell's stylesheet link point into.
    pub fn pkg_dir(&self) -> &str {
        &self.pkg_dir
    }

    /// Where the files are, for the startup log.
    pub fn describe(&self) -> String {
        match &self.files {
            Files::Disk(root) => format!("directory {}", root.display()),
            #[cfg(feature = "embed-site")]
            Files::Embedded => "compiled into the binary".to_owned(),
        }
    }

    /// Whether the bundle's script is there (a server without it renders pages that never hydrate).
    pub async fn has_bundle(&self) -> bool {
        self.files.read(&format!("{}/{OUTPUT_NAME}.js", self.pkg_dir)).await.is_some()
    }

    /// The file at a request's path in its best accepted encoding, or `None` when there is no
    /// such file (the caller renders its not-found page).
    pub async fn respond(&self, method: &Method, path: &str, headers: &HeaderMap) -> Option<Response<Body>> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        let name = file_name(path)?;
        let accepted = headers.get(header::ACCEPT_ENCODING).and_then(|value| value.to_str().ok()).unwrap_or("");
        for encoding in preferred_encodings(accepted) {
            if let Some(body) = self.files.read(&format!("{name}{}", encoding.suffix())).await {
                return Some(self.response(name, encoding, body));
            }
        }
        None
    }

    fn response(&self, name: &str, encoding: Encoding, body: Bytes) -> Response<Body> {
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        let mime = mime_guess::from_path(name).first_or_octet_stream();
        if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        if let Some(coding) = encoding.content_coding() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        // Caches must keep one copy per encoding, whichever this one is.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let caching = if self.is_hashed(name) { IMMUTABLE } else { SHORT_LIVED };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(caching));
        response
    }

    /// Everything in `pkg/<hash>/`.
    fn is_hashed(&self, name: &str) -> bool {
        self.pkg_dir != UNHASHED_PKG_DIR && name.strip_prefix(self.pkg_dir.as_str()).is_some_and(|file| file.starts_with('/'))
    }
}

impl Files {
    async fn read(&self, name: &str) -> Option<Bytes> {
        match self {
            Files::Disk(root) => tokio::fs::read(root.join(name)).await.ok().map(Bytes::from),
            #[cfg(feature = "embed-site")]
            Files::Embedded => Embedded::get(name).map(|file| match file.data {
                std::borrow::Cow::Borrowed(bytes) => Bytes::from_static(bytes),
                std::borrow::Cow::Owned(bytes) => Bytes::from(bytes),
            }),
        }
    }

    /// A small file read once at startup.
    fn read_now(&self, name: &str) -> Option<String> {
        match self {
            Files::Disk(root) => std::fs::read_to_string(root.join(name)).ok(),
            #[cfg(feature = "embed-site")]
            Files::Embedded => Embedded::get(name).and_then(|file| String::from_utf8(file.data.into_owned()).ok()),
        }
    }
}

/// The hash in [`BUNDLE_FILE`], if it is one: it ends up in URLs and in a script.
fn bundle_hash(text: &str) -> Option<String> {
    let hash = text.trim();
    let plain = !hash.is_empty() && hash.len() <= 64 && hash.bytes().all(|b| b.is_ascii_alphanumeric());
    plain.then(|| hash.to_owned())
}

/// The site's file for a URL path, if the path can name one: no `..`, no empty or hidden
/// segments, not the bundle file, not a directory.
fn file_name(path: &str) -> Option<&str> {
    let name = path.strip_prefix('/')?;
    let plain = |segment: &str| !segment.is_empty() && !segment.starts_with('.') && !segment.contains('\\');
    (name != BUNDLE_FILE && name.split('/').all(plain)).then_some(name)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
            Encoding::Identity => "",
        }
    }

    fn content_coding(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }
}

/// The encodings to try, best first, from an Accept-Encoding value (RFC 9110 §12.5.3): highest
/// weight first, brotli before gzip on a tie, `*` standing for any not named, `q=0` refusing;
/// the file as it is always comes last.
fn preferred_encodings(accept: &str) -> Vec<Encoding> {
    let mut star = None;
    let mut weights = [(Encoding::Brotli, None), (Encoding::Gzip, None)];
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let weight = parts
            .filter_map(|param| param.trim().strip_prefix("q=").or_else(|| param.trim().strip_prefix("Q=")))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match coding.as_str() {
            "br" => weights[0].1 = Some(weight),
            "gzip" | "x-gzip" => weights[1].1 = Some(weight),
            "*" => star = Some(weight),
            _ => {}
        }
    }
    let mut chosen: Vec<(Encoding, f32)> =
        weights.iter().filter_map(|&(encoding, weight)| Some((encoding, weight.or(star)?))).filter(|&(_, weight)| weight > 0.0).collect();
    // A stable sort keeps brotli first among equals.
    chosen.sort_by(|a, b| b.1.total_cmp(&a.1));
    chosen.into_iter().map(|(encoding, _)| encoding).chain(std::iter::once(Encoding::Identity)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Encoding::*;

    #[test]
    fn encodings_follow_the_weights_with_brotli_first_on_a_tie() {
        assert_eq!(preferred_encodings(""), [Identity]);
        assert_eq!(preferred_encodings("gzip, deflate, br, zstd"), [Brotli, Gzip, Identity]);
        assert_eq!(preferred_encodings("gzip"), [Gzip, Identity]);
        assert_eq!(preferred_encodings("br;q=0.5, gzip;q=0.8"), [Gzip, Brotli, Identity]);
        assert_eq!(preferred_encodings("br;q=0, *"), [Gzip, Identity]);
        assert_eq!(preferred_encodings("*;q=0.1"), [Brotli, Gzip, Identity]);
        assert_eq!(preferred_encodings("identity"), [Identity]);
        assert_eq!(preferred_encodings("GZIP; Q=1"), [Gzip, Identity]);
    }

    #[test]
    fn only_plain_paths_name_files() {
        assert_eq!(file_name("/pkg/provisio.abc.js"), Some("pkg/provisio.abc.js"));
        assert_eq!(file_name("/favicon.svg"), Some("favicon.svg"));
        for refused in ["/", "/pkg/", "/pkg//x.js", "/pkg/../../etc/passwd", "/.git/config", "/bundle.txt", "/pkg\\..\\x", "pkg/x.js"] {
            assert_eq!(file_name(refused), None, "{refused}");
        }
    }

    #[test]
    fn only_the_bundle_files_are_immutable() {
        let site = Site { files: Files::Disk(PathBuf::new()), pkg_dir: "pkg/0123abcd".into(), splits: None };
        for hashed in
            ["pkg/0123abcd/provisio.js", "pkg/0123abcd/provisio_bg.wasm", "pkg/0123abcd/provisio.css", "pkg/0123abcd/chunk_7.wasm"]
        {
            assert!(site.is_hashed(hashed), "{hashed}");
        }
        for short in ["favicon.svg", "pkg/provisio.js", "0123abcd/provisio.js", "pkg/0123abcdef/provisio.js", "pkg/0123abcd"] {
            assert!(!site.is_hashed(short), "{short}");
        }
        let unhashed = Site { files: Files::Disk(PathBuf::new()), pkg_dir: UNHASHED_PKG_DIR.into(), splits: None };
        assert!(!unhashed.is_hashed("pkg/provisio.js"));
        assert!(!unhashed.is_hashed("pkg/provisio_bg.wasm"));
    }

    #[test]
    fn the_bundle_hash_must_be_plain() {
        assert_eq!(bundle_hash("0123abcd\n").as_deref(), Some("0123abcd"));
        assert_eq!(bundle_hash("x\"; alert(1)"), None);
        assert_eq!(bundle_hash("../etc"), None);
        assert_eq!(bundle_hash("  "), None);
    }
}
