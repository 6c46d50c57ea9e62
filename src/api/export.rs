//! Export of loaded rows: CSV (via the `csv` crate), JSON and NDJSON, and their file names.

use super::time::Timestamp;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The formats every export button offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
    Ndjson,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Ndjson => "ndjson",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv;charset=utf-8",
            ExportFormat::Json => "application/json",
            ExportFormat::Ndjson => "application/x-ndjson",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Csv => "CSV",
            ExportFormat::Json => "JSON",
            ExportFormat::Ndjson => "NDJSON",
        }
    }
}

/// Rows a source can export: a header line and one flat record per item.
pub trait CsvRecord {
    fn csv_header() -> Vec<&'static str>;
    fn csv_row(&self) -> Vec<String>;
}

/// CSV with a header; quoting as RFC 4180 wants it.
pub fn to_csv<T: CsvRecord>(items: &[T]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail, and every row has the header's width by construction.
    w.write_record(T::csv_header()).expect("csv header");
    for item in items {
        w.write_record(item.csv_row()).expect("csv row");
    }
    String::from_utf8(w.into_inner().expect("csv flush")).expect("csv is utf-8")
}

/// A pretty-printed JSON array.
pub fn to_json<T: Serialize>(items: &[T]) -> String {
    serde_json::to_string_pretty(items).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// One compact JSON object a line, each line ended by `\n`.
pub fn to_ndjson<T: Serialize>(items: &[T]) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str(&ndjson_line(item));
    }
    out
}

/// One NDJSON line, for streaming exports that append as pages arrive.
pub fn ndjson_line<T: Serialize>(item: &T) -> String {
    let mut line = serde_json::to_string(item).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    line.push('\n');
    line
}

/// `netlens-ioda-20261123T0013Z.csv`.
pub fn file_name(source_key: &str, format: ExportFormat, now: Timestamp) -> String {
    let stamp =
        DateTime::<Utc>::from_timestamp(now, 0).map(|t| t.format("%Y%m%dT%H%MZ").to_string()).unwrap_or_default();
    format!("netlens-{source_key}-{stamp}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        name: String,
        n: u32,
    }

    impl CsvRecord for Row {
        fn csv_header() -> Vec<&'static str> {
            vec!["name", "n"]
        }
        fn csv_row(&self) -> Vec<String> {
            vec![self.name.clone(), self.n.to_string()]
        }
    }

    fn rows() -> Vec<Row> {
        vec![Row { name: "plain".into(), n: 1 }, Row { name: "has, comma and \"quote\"".into(), n: 2 }]
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(to_csv(&rows()), "name,n\nplain,1\n\"has, comma and \"\"quote\"\"\",2\n");
        assert_eq!(to_csv::<Row>(&[]), "name,n\n");
    }

    #[test]
    fn json_and_ndjson() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&rows())).unwrap();
        assert_eq!(json[1]["n"], 2);
        let nd = to_ndjson(&rows());
        let lines: Vec<_> = nd.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], r#"{"name":"plain","n":1}"#);
        assert!(nd.ends_with('\n'));
    }

    #[test]
    fn file_names_carry_source_and_utc_stamp() {
        assert_eq!(file_name("ioda", ExportFormat::Csv, 1_795_392_780), "netlens-ioda-20261123T0013Z.csv");
        assert_eq!(ExportFormat::Ndjson.mime(), "application/x-ndjson");
    }
}
