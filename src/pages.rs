//! Pages, one folder per source.
