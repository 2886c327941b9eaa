//! The web page at `GET /`: HTML, CSS and plain JavaScript modules compiled into the binary, so
//! `grove serve` needs no files and the page asks nothing of any server but this one.

/// The page itself.
pub const INDEX_HTML: &str = include_str!("index.html");

/// Everything the page loads, served under `/assets/{name}`: (name, content type, body).
pub const ASSETS: &[(&str, &str, &str)] = &[
    ("style.css", CSS, include_str!("style.css")),
    ("icon.svg", "image/svg+xml", include_str!("icon.svg")),
    ("main.js", JS, include_str!("js/main.js")),
    ("api.js", JS, include_str!("js/api.js")),
    ("dom.js", JS, include_str!("js/dom.js")),
    ("card.js", JS, include_str!("js/card.js")),
    ("tryit.js", JS, include_str!("js/tryit.js")),
    ("tree.js", JS, include_str!("js/tree.js")),
    ("batch.js", JS, include_str!("js/batch.js")),
    ("csv.js", JS, include_str!("js/csv.js")),
];

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// The page may only talk to the server that sent it: no CDN, no web fonts, no beacons.
/// `blob:` is for the batch CSV the page builds and offers as a download.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; connect-src 'self' blob:; \
    img-src 'self' data: blob:; style-src 'self'; script-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
