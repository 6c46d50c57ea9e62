//! Entry point: install the panic hook and mount the app. Nothing else lives here.

#[cfg(target_arch = "wasm32")]
fn main() {
    netlens::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("NetLens runs in the browser: use `make serve` (or `make dist`) to build and serve it.");
}
