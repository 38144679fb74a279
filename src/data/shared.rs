//! Strings shared between the scenario or the impact data and every report made from them
//! (`Arc<str>`): read and written by serde as plain strings, so the scenario's keys and the
//! JSON's fields are the same as with `String`, and a report clones a pointer, not the text.

use serde::{Deserialize, Deserializer, Serializer};
use std::sync::Arc;

/// Read a string (the same messages as a `String` field).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
    String::deserialize(d).map(Arc::from)
}

/// Read an optional string (the same messages as an `Option<String>` field).
pub fn deserialize_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Arc<str>>, D::Error> {
    Option::<String>::deserialize(d).map(|s| s.map(Arc::from))
}

/// Write a string.
pub fn serialize<S: Serializer>(t: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t)
}

/// Write an optional string (`null` when absent).
pub fn serialize_opt<S: Serializer>(t: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_some(&**t),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Deserialize, Serialize)]
    struct Named {
        #[serde(deserialize_with = "deserialize", serialize_with = "serialize")]
        name: Arc<str>,
        #[serde(
            default,
            deserialize_with = "deserialize_opt",
            serialize_with = "serialize_opt"
        )]
        note: Option<Arc<str>>,
    }

    #[test]
    fn shared_strings_read_and_write_as_strings() {
        let n: Named = serde_json::from_str(r#"{"name": "Apollo"}"#).unwrap();
        assert_eq!((&*n.name, n.note.as_deref()), ("Apollo", None));
        assert_eq!(
            serde_json::to_string(&n).unwrap(),
            r#"{"name":"Apollo","note":null}"#
        );
        let n: Named = serde_json::from_str(r#"{"name": "a", "note": "b"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&n).unwrap(),
            r#"{"name":"a","note":"b"}"#
        );
        // not a string: serde's message for a String field
        let e = serde_json::from_str::<Named>(r#"{"name": 3}"#)
            .err()
            .unwrap();
        assert!(
            e.to_string()
                .starts_with("invalid type: integer `3`, expected a string"),
            "{e}"
        );
    }
}
