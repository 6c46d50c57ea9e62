//! Placeholder: the spamhaus client core is being written.
