//! Shared components.
