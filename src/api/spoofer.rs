//! Placeholder: the spoofer client core is being written.
