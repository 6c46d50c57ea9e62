//! NetLens: one browser tab for CAIDA Spoofer, GRIP, IODA and Spamhaus SIA data.
//!
//! `api`, `config` and `heads` are the pure core (`cargo test` runs them natively); everything else
//! is the browser shell, compiled only for wasm32.

pub mod api;
pub mod config;
pub mod heads;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod http;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod ui;
