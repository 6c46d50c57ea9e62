//! The router, layout and route table.
