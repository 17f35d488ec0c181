//! The portal's static files: the hydrate bundle, its stylesheet and `public/`. Compiled into
//! the binary (feature `embed-site`, which scripts/build turns on) or read from a directory
//! (`--site-root`, for development). scripts/build writes a `.br` and a `.gz` beside each
//! compressible file, served by the request's Accept-Encoding; the bundle's files carry a hash of
//! their contents in their names (`pkg/provisio.<hash>.js`, `_bg.wasm`, `.css`) and are cached
//! for a year, everything else briefly.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response};
use std::path::PathBuf;

/// The file in the site that names the bundle (`provisio.<hash>`), written by scripts/build.
pub const BUNDLE_FILE: &str = "bundle.txt";
/// The bundle's name in a site without [`BUNDLE_FILE`] (not built by scripts/build, or absent).
pub const UNHASHED_BUNDLE: &str = "provisio";
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

/// Where the files come from, and the bundle's name in them.
#[derive(Clone, Debug)]
pub struct Site {
    files: Files,
    bundle: String,
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
        let bundle = files.read_now(BUNDLE_FILE).and_then(|name| bundle_name(&name)).unwrap_or_else(|| UNHASHED_BUNDLE.to_owned());
        Site { files, bundle }
    }

    /// The name Leptos' hydration scripts and the shell's stylesheet link are built from.
    pub fn output_name(&self) -> &str {
        &self.bundle
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
        self.files.read(&format!("pkg/{}.js", self.bundle)).await.is_some()
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

    /// `pkg/provisio.<hash>.js`, `pkg/provisio.<hash>_bg.wasm`, `pkg/provisio.<hash>.css`.
    fn is_hashed(&self, name: &str) -> bool {
        self.bundle != UNHASHED_BUNDLE
            && name
                .strip_prefix("pkg/")
                .and_then(|file| file.strip_prefix(self.bundle.as_str()))
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with("_bg."))
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

/// The bundle name in [`BUNDLE_FILE`], if it is one: it ends up in URLs and in a script.
fn bundle_name(text: &str) -> Option<String> {
    let name = text.trim();
    let plain =
        !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
    plain.then(|| name.to_owned())
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
        let site = Site { files: Files::Disk(PathBuf::new()), bundle: "provisio.0123abcd".into() };
        for hashed in ["pkg/provisio.0123abcd.js", "pkg/provisio.0123abcd_bg.wasm", "pkg/provisio.0123abcd.css"] {
            assert!(site.is_hashed(hashed), "{hashed}");
        }
        for short in ["favicon.svg", "pkg/provisio.js", "provisio.0123abcd.js", "pkg/provisio.0123abcdef.js"] {
            assert!(!site.is_hashed(short), "{short}");
        }
        let unhashed = Site { files: Files::Disk(PathBuf::new()), bundle: UNHASHED_BUNDLE.into() };
        assert!(!unhashed.is_hashed("pkg/provisio.js"));
        assert!(!unhashed.is_hashed("pkg/provisio_bg.wasm"));
    }

    #[test]
    fn the_bundle_name_must_be_plain() {
        assert_eq!(bundle_name("provisio.0123abcd\n").as_deref(), Some("provisio.0123abcd"));
        assert_eq!(bundle_name("x\"; alert(1)"), None);
        assert_eq!(bundle_name("  "), None);
    }
}
