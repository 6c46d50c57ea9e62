//! The built pages: their inline scripts (by hash) and the policy `<meta>`, rewritten with lol_html
//! (a streaming HTML rewriter: Trunk's minified output has no `<head>` tag, which regexes get wrong).

use base64::Engine as _;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, text, RewriteStrSettings};
use sha2::{Digest, Sha256};
use std::cell::RefCell;

/// Trunk's `serve` injects a live-reload script whose text it rewrites per request (its address),
/// so no hash made here could match it: a page carrying it is a development server's.
const TRUNK_AUTORELOAD_MARK: &str = ".well-known/trunk/ws";

/// The text of every inline script, in document order (scripts with `src` load from `'self'`).
pub fn inline_scripts(html: &str) -> Result<Vec<String>, String> {
    let scripts: RefCell<Vec<Option<String>>> = RefCell::new(Vec::new());
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("script", |el| {
                    scripts.borrow_mut().push((!el.has_attribute("src")).then(String::new));
                    Ok(())
                }),
                text!("script", |t| {
                    if let Some(Some(s)) = scripts.borrow_mut().last_mut() {
                        s.push_str(t.as_str());
                    }
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|e| format!("cannot read the page: {e}"))?;
    Ok(scripts.into_inner().into_iter().flatten().collect())
}

/// `'sha256-…'` of a script as the browser hashes it: UTF-8, line breaks as the HTML parser
/// normalises them.
pub fn script_hash(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(normalised.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// Whether the page comes from `trunk serve` with live reload (see [`TRUNK_AUTORELOAD_MARK`]).
pub fn is_dev_server_page(html: &str) -> Result<bool, String> {
    Ok(inline_scripts(html)?.iter().any(|s| s.contains(TRUNK_AUTORELOAD_MARK)))
}

/// `html` with its policy `<meta>` replaced by one carrying `policy` (or removed, for `None`),
/// placed right after `<meta charset>` (else first in `<head>`, else first in `<html>`) so that it
/// precedes every script.
pub fn with_policy_meta(html: &str, policy: Option<&str>) -> Result<String, String> {
    let is_policy_meta = |el: &lol_html::html_content::Element| {
        el.get_attribute("http-equiv").is_some_and(|v| v.trim().eq_ignore_ascii_case("content-security-policy"))
    };
    let stripped = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("meta[http-equiv]", |el| {
                if is_policy_meta(el) {
                    el.remove();
                }
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|e| format!("cannot rewrite the page: {e}"))?;
    let Some(policy) = policy else { return Ok(stripped) };

    let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{}">"#, escape_attribute(policy));
    // The first anchor present wins; each selector is tried in its own pass to know which exists.
    for (selector, after) in [("meta[charset]", true), ("head", false), ("html", false)] {
        let placed = RefCell::new(false);
        let out = rewrite_str(
            &stripped,
            RewriteStrSettings {
                element_content_handlers: vec![element!(selector, |el| {
                    if !*placed.borrow() {
                        if after {
                            el.after(&meta, ContentType::Html);
                        } else {
                            el.prepend(&meta, ContentType::Html);
                        }
                        *placed.borrow_mut() = true;
                    }
                    Ok(())
                })],
                ..RewriteStrSettings::new()
            },
        )
        .map_err(|e| format!("cannot rewrite the page: {e}"))?;
        if placed.into_inner() {
            return Ok(out);
        }
    }
    Ok(format!("{meta}{stripped}"))
}

/// Escapes a double-quoted attribute value (the policy has `'` but must not end the attribute).
/// `html` with every element matching `marked` removed (an earlier run's) and `tag(anchor)`, HTML,
/// inserted right after the first element matching `anchor`; and whether there was one.
pub fn insert_after(
    html: &str,
    marked: &str,
    anchor: &str,
    tag: impl Fn(&lol_html::html_content::Element) -> String,
) -> Result<(String, bool), String> {
    let found = std::cell::Cell::new(false);
    let page = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!(marked, |el| {
                    el.remove();
                    Ok(())
                }),
                element!(anchor, |el| {
                    if !found.replace(true) {
                        let html = tag(el);
                        el.after(&html, ContentType::Html);
                    }
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|e| format!("cannot read the page: {e}"))?;
    Ok((page, found.get()))
}

fn escape_attribute(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// What Trunk 0.21 writes in a release build (minified: no `<head>` tag), with its inline loader.
    pub const BOOT: &str = "import init from '/netlens.js';\nawait init({ module_or_path: '/netlens_bg.wasm' });";

    pub fn trunk_page() -> String {
        format!(
            "<!doctype html><html lang=en><meta charset=utf-8><title>NetLens</title><script type=module>{BOOT}</script>\
             <link href=/netlens.js rel=modulepreload></head><body><script src=/x.js></script></body></html>"
        )
    }

    #[test]
    fn finds_the_inline_scripts_only() {
        assert_eq!(inline_scripts(&trunk_page()).unwrap(), [BOOT]);
        let two = "<script>a()</script><script src=b.js></script><script type=module>c()</script>";
        assert_eq!(inline_scripts(two).unwrap(), ["a()", "c()"]);
    }

    #[test]
    fn hashes_as_the_browser_does() {
        // sha256("") in base64, a value every CSP implementation documents.
        assert_eq!(script_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
        assert_eq!(script_hash(&BOOT.replace('\n', "\r\n")), script_hash(BOOT), "as the HTML parser normalises");
        assert_ne!(script_hash(BOOT), script_hash(&format!("{BOOT} ")));
    }

    #[test]
    fn the_meta_goes_before_every_script_and_replaces_an_older_one() {
        let html = trunk_page();
        let once = with_policy_meta(&html, Some("default-src 'self'")).unwrap();
        let at = once.find("Content-Security-Policy").unwrap();
        assert!(once.find("<meta charset").unwrap() < at && at < once.find("<script").unwrap());
        let twice = with_policy_meta(&once, Some("default-src \"none\" & <x>")).unwrap();
        assert_eq!(twice.matches("Content-Security-Policy").count(), 1);
        assert!(twice.contains(r#"content="default-src &quot;none&quot; &amp; &lt;x>""#), "{twice}");
        assert_eq!(with_policy_meta(&twice, None).unwrap(), html, "removing it restores the page");
        assert_eq!(with_policy_meta(&once, Some("default-src 'self'")).unwrap(), once, "idempotent");
        // Other http-equiv metas stay.
        let refresh = "<meta http-equiv=refresh content=5><meta http-equiv=Content-Security-Policy content=x>";
        assert_eq!(with_policy_meta(refresh, None).unwrap(), "<meta http-equiv=refresh content=5>");
    }

    #[test]
    fn without_meta_charset_the_meta_opens_head_or_html() {
        let head = with_policy_meta("<html><head><title>t</title></head><script>x</script></html>", Some("p")).unwrap();
        assert!(
            head.starts_with(r#"<html><head><meta http-equiv="Content-Security-Policy" content="p"><title>"#),
            "{head}"
        );
        let bare = with_policy_meta("<script>x</script>", Some("p")).unwrap();
        assert!(bare.starts_with(r#"<meta http-equiv="Content-Security-Policy" content="p"><script>"#), "{bare}");
    }

    #[test]
    fn a_dev_server_page_is_recognised() {
        assert!(!is_dev_server_page(&trunk_page()).unwrap());
        let dev = trunk_page()
            .replace("</body>", "<script>const u = '{{__TRUNK_ADDRESS__}}' + '.well-known/trunk/ws';</script></body>");
        assert!(is_dev_server_page(&dev).unwrap());
    }
}
