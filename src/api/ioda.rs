//! Placeholder: the ioda client core is being written.
