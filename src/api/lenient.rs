//! The rule throughout: missing, `null` and blank text are absent (`None`); a value of the wrong
//! shape or unparseable text is an error naming what was found (so a decode error can name the
//! field), never a guess. The `*_of` functions read one [`Value`] for callers that would rather
//! drop garbage than fail (IODA's series, for one).

use crate::api::query::clip;
use serde::de::Error;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// What a value is, for error messages.
pub fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A scalar as text; whole floats lose their `.0` (an ASN sent as 3356.0 is still 3356).
pub fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// [`text_of`] for an owned value: text moves out instead of being copied (the decoders of long
/// lists read thousands of these).
fn into_text(v: Value) -> Result<String, Value> {
    match v {
        Value::String(s) => Ok(s),
        other => text_of(&other).ok_or(other),
    }
}

/// A number or numeric text; `null`, blank text and non-finite values are absent.
pub fn f64_of(v: &Value) -> Result<Option<f64>, String> {
    let f = match v {
        Value::Null => return Ok(None),
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => {
            Some(s.trim().parse::<f64>().map_err(|_| format!("expected a number, found “{}”", clip(s)))?)
        }
        other => return Err(format!("expected a number, found {}", describe(other))),
    };
    Ok(f.filter(|f| f.is_finite()))
}

/// A whole number or whole-number text (`12`, `"12"`, `12.0`, `"12.0"`); a fraction is an error,
/// not a rounding.
pub fn i64_of(v: &Value) -> Result<Option<i64>, String> {
    if let Some(i) = v.as_i64() {
        return Ok(Some(i));
    }
    if let Some(Ok(i)) = v.as_str().map(|s| s.trim().parse::<i64>()) {
        return Ok(Some(i));
    }
    match f64_of(v)? {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(Some(f as i64)),
        Some(_) => Err(format!("expected a whole number, found {}", clip(&v.to_string()))),
        None => Ok(None),
    }
}

/// A count or id: a whole number of 0 or more (up to `u64::MAX`, which `i64` cannot hold).
pub fn u64_of(v: &Value) -> Result<Option<u64>, String> {
    if let Some(u) = v.as_u64() {
        return Ok(Some(u));
    }
    if let Some(Ok(u)) = v.as_str().map(|s| s.trim().parse::<u64>()) {
        return Ok(Some(u));
    }
    i64_of(v)?.map(|n| u64::try_from(n).map_err(|_| format!("expected 0 or more, found {n}"))).transpose()
}

/// `true`/`false`, a number (0 is false, others true) or text (`true`, `yes`, `1`, …); blank,
/// `na`, `none` and `null` text are absent.
pub fn bool_of(v: &Value) -> Result<Option<bool>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::Number(n) => Ok(Some(n.as_f64() != Some(0.0))),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(Some(true)),
            "false" | "no" | "0" => Ok(Some(false)),
            "" | "na" | "none" | "null" => Ok(None),
            _ => Err(format!("expected true or false, found “{}”", clip(s))),
        },
        other => Err(format!("expected true or false, found {}", describe(other))),
    }
}

fn with<'de, D, T>(d: D, read: impl Fn(&Value) -> Result<Option<T>, String>) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
{
    read(&Value::deserialize(d)?).map_err(D::Error::custom)
}

/// `null` reads as the type's default (an empty list, say).
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Text, or a number or boolean as text (see [`text_of`]); `null` is absent.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        other => into_text(other)
            .map(Some)
            .map_err(|v| D::Error::custom(format!("expected text or a number, found {}", describe(&v)))),
    }
}

/// See [`i64_of`].
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    with(d, i64_of)
}

/// See [`u64_of`].
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    with(d, u64_of)
}

/// See [`f64_of`].
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    with(d, f64_of)
}

/// See [`bool_of`].
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    with(d, bool_of)
}

/// A list of scalars as text; `null` (and `null` items) are dropped and a lone scalar is a
/// one-item list.
pub fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .filter(|v| !v.is_null())
            .map(|v| {
                into_text(v).map_err(|v| {
                    D::Error::custom(format!("expected a list of text or numbers, found {} in it", describe(&v)))
                })
            })
            .collect(),
        other => into_text(other)
            .map(|s| vec![s])
            .map_err(|v| D::Error::custom(format!("expected a list, found {}", describe(&v)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, Default)]
    struct R {
        #[serde(default, deserialize_with = "opt_text")]
        t: Option<String>,
        #[serde(default, deserialize_with = "opt_i64")]
        i: Option<i64>,
        #[serde(default, deserialize_with = "opt_u64")]
        u: Option<u64>,
        #[serde(default, deserialize_with = "opt_f64")]
        f: Option<f64>,
        #[serde(default, deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "null_default")]
        n: Vec<u8>,
        #[serde(default, deserialize_with = "text_list")]
        l: Vec<String>,
    }

    fn read(json: &str) -> Result<R, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    fn ok(json: &str) -> R {
        read(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn missing_and_null_are_absent() {
        for json in ["{}", r#"{"t":null,"i":null,"u":null,"f":null,"b":null,"n":null,"l":null}"#] {
            let r = ok(json);
            assert_eq!((r.t, r.i, r.u, r.f, r.b), (None, None, None, None, None), "{json}");
            assert!(r.n.is_empty() && r.l.is_empty(), "{json}");
        }
    }

    #[test]
    fn opt_text_reads_text_numbers_and_booleans() {
        assert_eq!(ok(r#"{"t":"AS3356"}"#).t.as_deref(), Some("AS3356"));
        assert_eq!(ok(r#"{"t":3356}"#).t.as_deref(), Some("3356"));
        assert_eq!(ok(r#"{"t":3356.0}"#).t.as_deref(), Some("3356"));
        assert_eq!(ok(r#"{"t":0.5}"#).t.as_deref(), Some("0.5"));
        assert_eq!(ok(r#"{"t":true}"#).t.as_deref(), Some("true"));
        assert!(read(r#"{"t":[1]}"#).unwrap_err().contains("expected text or a number, found a list"));
        assert!(read(r#"{"t":{}}"#).is_err());
    }

    #[test]
    fn opt_i64_reads_whole_numbers_and_their_text() {
        assert_eq!(ok(r#"{"i":-12}"#).i, Some(-12));
        assert_eq!(ok(r#"{"i":" 12 "}"#).i, Some(12));
        assert_eq!(ok(r#"{"i":12.0}"#).i, Some(12));
        assert_eq!(ok(r#"{"i":"12.0"}"#).i, Some(12));
        assert_eq!(ok(r#"{"i":""}"#).i, None);
        assert!(read(r#"{"i":"yesterday"}"#).unwrap_err().contains("yesterday"));
        assert!(read(r#"{"i":1.5}"#).is_err(), "a fraction is not rounded");
        assert!(read(r#"{"i":true}"#).is_err());
        assert!(read(r#"{"i":[1]}"#).is_err());
    }

    #[test]
    fn opt_u64_reads_counts() {
        assert_eq!(ok(r#"{"u":891176}"#).u, Some(891_176));
        assert_eq!(ok(r#"{"u":"891176"}"#).u, Some(891_176));
        assert_eq!(ok(r#"{"u":18446744073709551615}"#).u, Some(u64::MAX));
        assert_eq!(ok(r#"{"u":"18446744073709551615"}"#).u, Some(u64::MAX));
        assert_eq!(ok(r#"{"u":" "}"#).u, None);
        assert!(read(r#"{"u":-1}"#).is_err());
        assert!(read(r#"{"u":"abc"}"#).is_err());
        assert!(read(r#"{"u":{}}"#).is_err());
    }

    #[test]
    fn opt_f64_reads_numbers_and_numeric_text() {
        assert_eq!(ok(r#"{"f":43.05}"#).f, Some(43.05));
        assert_eq!(ok(r#"{"f":"-78.853"}"#).f, Some(-78.853));
        assert_eq!(ok(r#"{"f":7}"#).f, Some(7.0));
        assert_eq!(ok(r#"{"f":""}"#).f, None);
        assert_eq!(ok(r#"{"f":"NaN"}"#).f, None, "not a number is no number");
        assert!(read(r#"{"f":"lots"}"#).is_err());
        assert!(read(r#"{"f":false}"#).is_err());
    }

    #[test]
    fn opt_bool_reads_booleans_numbers_and_words() {
        assert_eq!(ok(r#"{"b":true}"#).b, Some(true));
        assert_eq!(ok(r#"{"b":0}"#).b, Some(false));
        assert_eq!(ok(r#"{"b":1}"#).b, Some(true));
        assert_eq!(ok(r#"{"b":"False"}"#).b, Some(false));
        assert_eq!(ok(r#"{"b":" true "}"#).b, Some(true));
        assert_eq!(ok(r#"{"b":"1"}"#).b, Some(true));
        assert_eq!(ok(r#"{"b":""}"#).b, None);
        assert!(read(r#"{"b":"maybe"}"#).is_err());
        assert!(read(r#"{"b":[]}"#).is_err());
    }

    #[test]
    fn text_list_reads_lists_and_lone_scalars() {
        assert_eq!(ok(r#"{"l":["a",1,null,2.0]}"#).l, ["a", "1", "2"]);
        assert_eq!(ok(r#"{"l":"a"}"#).l, ["a"]);
        assert_eq!(ok(r#"{"l":7}"#).l, ["7"]);
        assert!(read(r#"{"l":[[1]]}"#).is_err());
        assert!(read(r#"{"l":{}}"#).is_err());
        assert_eq!(ok(r#"{"n":[1,2]}"#).n, [1, 2]);
        assert!(read(r#"{"n":"x"}"#).is_err());
    }

    #[test]
    fn value_readers_let_callers_drop_garbage() {
        assert_eq!(f64_of(&Value::from("x")).ok().flatten(), None);
        assert_eq!(i64_of(&Value::from("7")).ok().flatten(), Some(7));
        assert_eq!(text_of(&Value::Array(vec![])), None);
    }
}
