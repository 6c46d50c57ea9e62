//! The one fetch helper.
