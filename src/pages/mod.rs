//! Pages: one module per route group (home, settings, not found), one folder per data source.

pub mod chunks;
pub mod diagnostics;
pub mod entity;
pub mod grip;
pub mod home;
pub mod ioda;
pub mod not_found;
pub mod settings;
pub mod spamhaus;
pub mod spoofer;
