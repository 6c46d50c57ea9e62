//! The split build (`--features split`) needs the linker to keep its relocations: wasm-split-cli
//! reads them to cut the module into chunks (as cargo-leptos' `--split` does with RUSTFLAGS). Here
//! only the app binary's link gets the flag, so no dependency is rebuilt for it.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
}
