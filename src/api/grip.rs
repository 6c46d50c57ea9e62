//! Placeholder: the grip client core is being written.
