//! The boot screen's page heads: `boot-<hash>.js`, written from `netlens::heads::BY_PATH`, and the
//! `<script>` that index.html runs right after its static boot screen. On a deep link such as `/grip`
//! it puts the page's title and lead, and the loading bar every query shows, in place of "Loading
//! NetLens…" before any wasm has loaded; the app replaces the whole boot screen when it mounts, and
//! its route shows the same head until the page's chunk is here. So the first paint already says what
//! the page is, and it is the page's largest text (what Lighthouse times as the largest paint).
//!
//! A file, not an inline script: the Content-Security-Policy stays `script-src 'self'` plus Trunk's
//! own loader hash. The heads go in as JSON strings and the script sets them with `textContent`.

use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

/// Marks the script element this step inserts, so a second run replaces it instead of adding one.
const MARK: &str = "data-netlens-boot";

/// The script's text: the heads by path, then the few lines that show one.
pub fn script() -> String {
    let heads: serde_json::Map<String, serde_json::Value> = netlens::heads::BY_PATH
        .iter()
        .map(|(path, head)| ((*path).to_string(), serde_json::json!([head.title, head.lead])))
        .collect();
    let heads = serde_json::to_string(&heads).expect("strings serialise");
    format!(
        "// NetLens boot screen (written by netlens-dist from src/heads.rs): a deep link shows its page's\n\
         // title and lead before the app has loaded. The app replaces #boot when it mounts.\n\
         (function () {{\n\
         \x20 var heads = {heads};\n\
         \x20 var boot = document.getElementById('boot');\n\
         \x20 var note = boot && boot.querySelector('.boot-note');\n\
         \x20 var base = new URL(document.baseURI).pathname;\n\
         \x20 var path = location.pathname;\n\
         \x20 if (!note || path.lastIndexOf(base, 0) !== 0) return;\n\
         \x20 var head = heads[path.slice(base.length).replace(/^\\/+|\\/+$/g, '')];\n\
         \x20 if (!head) return;\n\
         \x20 var el = function (tag, cls, text) {{\n\
         \x20   var e = document.createElement(tag);\n\
         \x20   if (cls) e.className = cls;\n\
         \x20   if (text) e.textContent = text;\n\
         \x20   return e;\n\
         \x20 }};\n\
         \x20 var main = el('main', 'boot-main'), outer = el('div', 'page-head'), inner = el('div');\n\
         \x20 inner.append(el('h1', '', head[0]), el('p', 'lead', head[1]));\n\
         \x20 outer.append(inner);\n\
         \x20 var bar = el('div', 'loading-bar');\n\
         \x20 bar.setAttribute('role', 'progressbar');\n\
         \x20 bar.setAttribute('aria-label', 'Loading');\n\
         \x20 main.append(outer, bar, el('p', 'empty-state', 'Loading…'));\n\
         \x20 note.replaceWith(main);\n\
         }})();\n"
    )
}

/// The file name for `text`: `boot-` and 16 hex digits of its SHA-256 (cache-safe: a new text is a
/// new name, and the hosts' long-cache rules match it like Trunk's hashed files).
pub fn file_name(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("boot-{hex}.js")
}

/// `html` with one `<script src="{name}">` right after the element `#boot` (an older one removed);
/// unchanged when the page has no boot screen.
pub fn with_script(html: &str, name: &str) -> Result<String, String> {
    let tag = format!("<script src=\"{name}\" {MARK}></script>");
    crate::html::insert_after(html, &format!("script[{MARK}]"), "#boot", |_| tag.clone()).map(|(page, _)| page)
}

/// Writes the script into `dir` and returns index.html's text with it linked, and the file's name;
/// a page without a boot screen is returned as it is, with no file written.
pub fn place(dir: &Path, html: &str) -> Result<(String, Option<String>), String> {
    let text = script();
    let name = file_name(&text);
    let page = with_script(html, &name)?;
    if !page.contains(&name) {
        return Ok((page, None));
    }
    fs::write(dir.join(&name), &text).map_err(|e| format!("cannot write {}: {e}", dir.join(&name).display()))?;
    Ok((page, Some(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!doctype html><html><head><meta charset=utf-8></head><body>\
        <div id=boot class=boot><p class=boot-note>Loading NetLens…</p></div>\
        <div id=panic-banner hidden></div></body></html>";

    #[test]
    fn the_script_carries_every_head_as_a_json_string() {
        let text = script();
        for (path, head) in netlens::heads::BY_PATH {
            let entry = format!(
                "{}:[{},{}]",
                serde_json::to_string(path).unwrap(),
                serde_json::to_string(head.title).unwrap(),
                serde_json::to_string(head.lead).unwrap()
            );
            assert!(text.contains(&entry), "{path} missing");
        }
        assert!(!text.contains("innerHTML"), "text only");
        assert_eq!(file_name(&text), file_name(&script()), "the same text, the same name");
        assert_ne!(file_name(&text), file_name(&format!("{text} ")));
        let name = file_name(&text);
        assert!(name.len() == "boot-".len() + 16 + ".js".len() && name.starts_with("boot-"), "{name}");
    }

    #[test]
    fn the_script_goes_right_after_the_boot_screen_once() {
        let once = with_script(PAGE, "boot-0123456789abcdef.js").unwrap();
        let tag = "<script src=\"boot-0123456789abcdef.js\" data-netlens-boot></script>";
        assert!(once.contains(&format!("</div>{tag}<div id=panic-banner")), "{once}");
        let again = with_script(&once, "boot-fedcba9876543210.js").unwrap();
        assert_eq!(again.matches("data-netlens-boot").count(), 1, "{again}");
        assert!(again.contains("boot-fedcba9876543210.js") && !again.contains("boot-0123456789abcdef.js"));
    }

    #[test]
    fn a_page_without_a_boot_screen_is_left_alone() {
        let page = "<!doctype html><html><body><p>x</p></body></html>";
        assert_eq!(with_script(page, "boot-0123456789abcdef.js").unwrap(), page);
    }
}
