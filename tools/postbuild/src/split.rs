//! The chunks of a split build (`--features split`): tools/split/wasm-bindgen leaves the loader and
//! the chunks, named with one hash, in `<target>/wasm-bindgen/<profile>/split/`; here they are put
//! next to Trunk's main files, the loader's import of the main glue renamed to Trunk's hashed name,
//! and each chunk shrunk with wasm-opt as Trunk shrinks the main module (release builds).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The wasm-opt flags of index.html's `data-wasm-opt-params` (the chunks run in the same module), and
/// more inlining of small functions: a chunk's code is compiled by the browser one function at a
/// time on its first call, so fewer functions cost less to start, and here the chunks even shrink
/// (GRIP's own chunk: 1,448 → 818 functions; every page visited: 918 → 910 kB brotli). The main
/// module keeps plain `-Oz`: there it cost 4 kB of the first visit for 6 % fewer functions.
const WASM_OPT: [&str; 8] = [
    "-Oz",
    "--always-inline-max-function-size=12",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// What a split build placed: the loader's name, the main glue that imports it, and the chunks' count.
#[derive(Debug, PartialEq, Eq)]
pub struct Placed {
    pub loader: String,
    pub glue: String,
    pub chunks: usize,
}

/// Marks the loader's `<link rel=modulepreload>` (so a second run replaces it).
const LOADER_MARK: &str = "data-netlens-loader";

/// `html` with a `<link rel=modulepreload>` for the loader right after the main glue's own (an older
/// one removed), at the same place (`href` prefix). The glue imports the loader, so without it the
/// browser asks for the loader only once the glue has arrived and been parsed, a round trip later,
/// and the app starts that much later (on this machine 10-60 ms, more on a slow line). Every page
/// fetches the loader, home too, so the first visit's bytes do not change.
pub fn with_loader_preload(html: &str, glue: &str, loader: &str) -> Result<String, String> {
    let glue_link = format!("link[rel=modulepreload][href$=\"/{glue}\"]");
    let (page, found) = crate::html::insert_after(html, &format!("link[{LOADER_MARK}]"), &glue_link, |el| {
        let href = el.get_attribute("href").unwrap_or_default();
        let prefix = &href[..href.len().saturating_sub(glue.len())];
        format!("<link rel=modulepreload crossorigin href=\"{prefix}{loader}\" {LOADER_MARK}>")
    })?;
    if !found {
        return Err(format!("index.html has no <link rel=modulepreload> for {glue}; Trunk's output changed"));
    }
    Ok(page)
}

/// The loader name the main glue in `dir` imports (`__wasm_split-<hash>.js`) and that glue's file
/// name, or `None` for an eager build.
pub fn wanted_loader(dir: &Path) -> Result<Option<(String, String)>, String> {
    for entry in fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = file_name(&path);
        if !name.ends_with(".js") || name.starts_with("__wasm_split") {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if let Some(start) = text.find("\"./__wasm_split-") {
            let rest = &text[start + 3..];
            let end = rest.find('"').ok_or_else(|| format!("{name}: unterminated loader import"))?;
            return Ok(Some((rest[..end].to_string(), name)));
        }
    }
    Ok(None)
}

/// Places the split build's pieces from `from` into `dir`; `optimise` runs wasm-opt on the chunks.
pub fn place(dir: &Path, from: &Path, optimise: bool) -> Result<Option<Placed>, String> {
    let Some((loader, glue)) = wanted_loader(dir)? else {
        return Ok(None);
    };
    let source = from.join(&loader);
    let text = fs::read_to_string(&source).map_err(|e| {
        format!(
            "{glue} imports {loader}, but {} cannot be read ({e}): was the split wrapper on PATH?",
            source.display()
        )
    })?;
    let stem = glue.split('-').next().unwrap_or_default();
    let plain_import = format!("from \"./{stem}.js\"");
    if !text.contains(&plain_import) {
        return Err(format!("{loader} does not import ./{stem}.js; the splitter's output changed"));
    }
    fs::write(dir.join(&loader), text.replace(&plain_import, &format!("from \"./{glue}\"")))
        .map_err(|e| format!("cannot write {loader}: {e}"))?;

    let tag = loader.trim_start_matches("__wasm_split-").trim_end_matches(".js");
    let mut chunks = Vec::new();
    for entry in fs::read_dir(from).map_err(|e| format!("cannot list {}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = file_name(&path);
        if name.ends_with(&format!("-{tag}.wasm")) {
            let to = dir.join(&name);
            fs::copy(&path, &to).map_err(|e| format!("cannot copy {name}: {e}"))?;
            chunks.push(to);
        }
    }
    if optimise {
        optimise_all(&chunks)?;
    }
    Ok(Some(Placed { loader, glue, chunks: chunks.len() }))
}

/// `<target dir>/wasm-bindgen/<profile>/split`, where the wrapper leaves them.
pub fn source_dir(profile: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    target.join("wasm-bindgen").join(profile).join("split")
}

/// wasm-opt on every chunk, two at a time (this is a 2-core machine's build).
fn optimise_all(chunks: &[PathBuf]) -> Result<(), String> {
    for pair in chunks.chunks(2) {
        let running: Vec<_> = pair
            .iter()
            .map(|c| {
                Command::new("wasm-opt")
                    .args(WASM_OPT)
                    .arg(c)
                    .arg("-o")
                    .arg(c)
                    .output()
                    .map(|o| (c, o))
                    .map_err(|e| format!("cannot run wasm-opt (make tools-build installs it): {e}"))
            })
            .collect::<Result<_, _>>()?;
        for (chunk, out) in running {
            if !out.status.success() {
                return Err(format!(
                    "wasm-opt failed on {}: {}",
                    file_name(chunk),
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compress::tests::tempdir;

    fn split_build(dir: &Path, from: &Path) {
        fs::write(
            dir.join("netlens-0123456789abcdef.js"),
            "import * as import1 from \"./__wasm_split-fedcba9876543210.js\"\nexport function initSync() {}\n",
        )
        .unwrap();
        fs::write(from.join("__wasm_split-fedcba9876543210.js"), "import { initSync } from \"./netlens.js\";\n")
            .unwrap();
        fs::write(from.join("split_grip-fedcba9876543210.wasm"), b"\0asm").unwrap();
        fs::write(from.join("chunk_6-fedcba9876543210.wasm"), b"\0asm").unwrap();
        // A leftover of another build: not this build's hash, not placed.
        fs::write(from.join("split_grip-1111111111111111.wasm"), b"\0asm").unwrap();
    }

    #[test]
    fn a_split_build_gets_its_loader_and_chunks_with_the_main_glue_renamed() {
        let (dir, from) = (tempdir("split-dir"), tempdir("split-from"));
        split_build(&dir, &from);
        let placed = place(&dir, &from, false).unwrap().unwrap();
        assert_eq!(
            placed,
            Placed {
                loader: "__wasm_split-fedcba9876543210.js".into(),
                glue: "netlens-0123456789abcdef.js".into(),
                chunks: 2
            }
        );
        let loader = fs::read_to_string(dir.join(&placed.loader)).unwrap();
        assert_eq!(loader, "import { initSync } from \"./netlens-0123456789abcdef.js\";\n");
        assert!(dir.join("split_grip-fedcba9876543210.wasm").exists());
        assert!(dir.join("chunk_6-fedcba9876543210.wasm").exists());
        assert!(!dir.join("split_grip-1111111111111111.wasm").exists());
    }

    #[test]
    fn the_loader_is_preloaded_beside_the_glue_under_its_prefix_once() {
        let page = "<html><head><link crossorigin href=/netlens/netlens-0123456789abcdef.js rel=modulepreload>\
            <link as=fetch href=/netlens/netlens-0123456789abcdef_bg.wasm rel=preload></head><body></body></html>";
        let once =
            with_loader_preload(page, "netlens-0123456789abcdef.js", "__wasm_split-fedcba9876543210.js").unwrap();
        let tag = "<link rel=modulepreload crossorigin href=\"/netlens/__wasm_split-fedcba9876543210.js\" data-netlens-loader>";
        assert!(once.contains(&format!("rel=modulepreload>{tag}<link as=fetch")), "{once}");
        let again =
            with_loader_preload(&once, "netlens-0123456789abcdef.js", "__wasm_split-1111111111111111.js").unwrap();
        assert_eq!(again.matches(LOADER_MARK).count(), 1, "{again}");
        assert!(again.contains("/netlens/__wasm_split-1111111111111111.js"), "{again}");
        let e =
            with_loader_preload(page, "netlens-ffffffffffffffff.js", "__wasm_split-fedcba9876543210.js").unwrap_err();
        assert!(e.contains("no <link rel=modulepreload>"), "{e}");
    }

    #[test]
    fn an_eager_build_is_left_alone() {
        let (dir, from) = (tempdir("eager-dir"), tempdir("eager-from"));
        fs::write(dir.join("netlens-0123456789abcdef.js"), "export function initSync() {}\n").unwrap();
        assert_eq!(place(&dir, &from, false).unwrap(), None);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_loader_is_a_clear_error() {
        let (dir, from) = (tempdir("missing-dir"), tempdir("missing-from"));
        split_build(&dir, &from);
        fs::remove_file(from.join("__wasm_split-fedcba9876543210.js")).unwrap();
        let e = place(&dir, &from, false).unwrap_err();
        assert!(e.contains("imports __wasm_split-fedcba9876543210.js"), "{e}");
        assert!(e.contains("split wrapper"), "{e}");
    }
}
