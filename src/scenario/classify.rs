//! The typed kind of a scenario's deserialization error. The YAML parser reports a data error
//! as text only, so the scenario's parsed YAML tree is deserialized again here with an error
//! type of our own ([`ErrorKind`]): serde then hands over the unknown field and the keys
//! allowed there, or the missing field, as values rather than as words in a message.
//!
//! A value of the wrong type is described in the scenario's terms: what was found ("a list",
//! "an empty value", "number `2.5`") and what is expected there ("a whole number", "a number",
//! "a mapping (declared_kwh, tdp, traces, extrapolated, devices, at or overhead)"), never serde's Rust names
//! (`i64`, `f64`, `struct Energy`, `unit value`).

use crate::error::ErrorKind;
use serde::de::value::{MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Expected, IntoDeserializer, Unexpected, Visitor};
use std::fmt::Display;
use yaml_serde::Value;

impl de::Error for ErrorKind {
    fn custom<T: Display>(msg: T) -> Self {
        ErrorKind::InvalidValue {
            message: msg.to_string(),
        }
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        ErrorKind::UnknownField {
            field: field.to_string(),
            expected: expected.to_vec(),
        }
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        ErrorKind::UnknownVariant {
            variant: variant.to_string(),
            expected: expected.to_vec(),
        }
    }
    fn missing_field(field: &'static str) -> Self {
        ErrorKind::MissingField {
            field: field.to_string(),
        }
    }
    fn invalid_type(unexp: Unexpected, exp: &dyn Expected) -> Self {
        ErrorKind::InvalidType {
            found: found(&unexp),
            expected: expected(exp),
        }
    }
    fn invalid_value(unexp: Unexpected, exp: &dyn Expected) -> Self {
        ErrorKind::InvalidValue {
            message: format!(
                "invalid value: {}, expected {}",
                found(&unexp),
                expected(exp)
            ),
        }
    }
}

/// What was found, in the scenario's terms.
fn found(u: &Unexpected) -> String {
    match u {
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Unsigned(n) => format!("number `{n}`"),
        Unexpected::Signed(n) => format!("number `{n}`"),
        Unexpected::Float(x) => format!("number `{x}`"),
        Unexpected::Char(c) => format!("string \"{c}\""),
        Unexpected::Str(s) => format!("string {s:?}"),
        Unexpected::Bytes(_) => "bytes".to_string(),
        Unexpected::Unit | Unexpected::Option => "an empty value".to_string(),
        Unexpected::Seq => "a list".to_string(),
        Unexpected::Map => "a mapping".to_string(),
        Unexpected::Enum | Unexpected::UnitVariant => "a name".to_string(),
        Unexpected::NewtypeStruct
        | Unexpected::NewtypeVariant
        | Unexpected::TupleVariant
        | Unexpected::StructVariant => "a value".to_string(),
        Unexpected::Other(o) => o.to_string(),
    }
}

/// What is expected, in the scenario's terms. The tree deserializer below says it itself for
/// numbers, lists and mappings; a visitor it cannot intercept may still name a serde primitive,
/// which is translated here.
fn expected(e: &dyn Expected) -> String {
    let text = e.to_string();
    match text.as_str() {
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" | "isize"
        | "usize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "unit" => "nothing".to_string(),
        "a sequence" => "a list".to_string(),
        "a map" => "a mapping".to_string(),
        t if t.starts_with("struct ") || t.starts_with("enum ") => "a mapping".to_string(),
        _ => text,
    }
}

/// A mapping with these keys, as expected of a struct; the whole scenario's keys are its
/// sections.
fn mapping_of(fields: &[&str], top: bool) -> String {
    let keys = match fields {
        [] => String::new(),
        [a] => (*a).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    match (top, keys.is_empty()) {
        (_, true) => "a mapping".to_string(),
        (true, false) => format!("a mapping of sections ({})", fields.join(", ")),
        (false, false) => format!("a mapping ({keys})"),
    }
}

/// How serde names a YAML node that was not what was expected.
fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            (None, None, x) => Unexpected::Float(x.unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Sequence(_) => Unexpected::Seq,
        Value::Mapping(_) => Unexpected::Map,
        Value::Tagged(t) => unexpected(&t.value),
    }
}

/// A YAML tree node as a serde deserializer whose errors are [`ErrorKind`]s; `top` for the
/// whole document.
#[derive(Clone, Copy)]
struct Node<'a>(&'a Value, bool);

impl<'a> Node<'a> {
    fn child(v: &'a Value) -> Self {
        Node(v, false)
    }
    /// The node as it is, or an error expecting `what` of it: for the numbers, lists and
    /// mappings whose serde visitors would name a Rust type.
    fn expect(self, ok: bool, what: &str) -> Result<Self, ErrorKind> {
        if ok {
            Ok(self)
        } else {
            Err(ErrorKind::InvalidType {
                found: found(&unexpected(self.0)),
                expected: what.to_string(),
            })
        }
    }
    fn is_whole(&self) -> bool {
        match self.0 {
            Value::Number(n) => n.is_i64() || n.is_u64(),
            Value::Tagged(t) => Node::child(&t.value).is_whole(),
            _ => false,
        }
    }
    fn is_number(&self) -> bool {
        match self.0 {
            Value::Number(_) => true,
            Value::Tagged(t) => Node::child(&t.value).is_number(),
            _ => false,
        }
    }
    fn is(&self, f: fn(&Value) -> bool) -> bool {
        match self.0 {
            Value::Tagged(t) => f(&t.value),
            v => f(v),
        }
    }
}

impl<'de, 'a> IntoDeserializer<'de, ErrorKind> for Node<'a> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// The integer methods: a whole number, or an error expecting one.
macro_rules! whole {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
            self.expect(self.is_whole(), "a whole number")?.deserialize_any(v)
        }
    )*};
}

impl<'de, 'a> de::Deserializer<'de> for Node<'a> {
    type Error = ErrorKind;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
        match self.0 {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => v.visit_u64(u),
                (None, Some(i), _) => v.visit_i64(i),
                (None, None, Some(f)) => v.visit_f64(f),
                (None, None, None) => v.visit_f64(f64::NAN),
            },
            Value::String(s) => v.visit_str(s),
            Value::Sequence(s) => v.visit_seq(SeqDeserializer::new(s.iter().map(Node::child))),
            Value::Mapping(m) => v.visit_map(MapDeserializer::new(
                m.iter().map(|(k, x)| (Node::child(k), Node::child(x))),
            )),
            Value::Tagged(t) => Node(&t.value, self.1).deserialize_any(v),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
        match self.0 {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    /// A plain scalar read as a string, as the YAML parser does (`name: 2024`).
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
        match self.0 {
            Value::Number(n) => v.visit_string(n.to_string()),
            Value::Bool(b) => v.visit_string(b.to_string()),
            _ => self.deserialize_any(v),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
        self.deserialize_str(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ErrorKind> {
        match self.0 {
            Value::String(s) => v.visit_enum(s.as_str().into_deserializer()),
            Value::Mapping(m) => v.visit_enum(MapAccessDeserializer::new(MapDeserializer::new(
                m.iter().map(|(k, x)| (Node::child(k), Node::child(x))),
            ))),
            _ => self.deserialize_any(v),
        }
    }

    /// Only a mapping is a struct, as for the parser (which refuses a sequence); the error
    /// names the keys expected, and an empty value is an empty section.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ErrorKind> {
        if self.is(Value::is_null) {
            return Err(ErrorKind::EmptySection {
                expected: mapping_of(fields, self.1),
            });
        }
        self.expect(self.is(Value::is_mapping), &mapping_of(fields, self.1))?
            .deserialize_any(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
        self.expect(self.is(Value::is_mapping), "a mapping")?
            .deserialize_any(v)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
        self.expect(self.is(Value::is_sequence), "a list")?
            .deserialize_any(v)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
        self.expect(self.is(Value::is_null), "nothing")?
            .deserialize_any(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, ErrorKind> {
        v.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool char bytes byte_buf unit_struct tuple tuple_struct identifier ignored_any
    }

    whole! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
    }

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
        self.expect(self.is_number(), "a number")?
            .deserialize_any(v)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ErrorKind> {
        self.expect(self.is_number(), "a number")?
            .deserialize_any(v)
    }
}

/// Deserialize `T` from a parsed YAML tree: the field path and the typed kind of its first
/// error, if any.
/// An empty document is read as an empty mapping, as the parser does.
pub(super) fn kind_of<T: DeserializeOwned>(tree: &Value) -> Option<(String, ErrorKind)> {
    let empty = Value::Mapping(yaml_serde::Mapping::new());
    let tree = if tree.is_null() { &empty } else { tree };
    serde_path_to_error::deserialize::<_, T>(Node(tree, true))
        .err()
        .map(|e| (e.path().to_string(), e.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_s_rust_names_are_translated() {
        let e = |x: &str| expected(&x);
        assert_eq!(e("i64"), "a whole number");
        assert_eq!(e("u32"), "a whole number");
        assert_eq!(e("f64"), "a number");
        assert_eq!(e("unit"), "nothing");
        assert_eq!(e("struct Energy"), "a mapping");
        assert_eq!(e("a sequence"), "a list");
        assert_eq!(e("a string"), "a string");
        assert_eq!(found(&Unexpected::Unit), "an empty value");
        assert_eq!(found(&Unexpected::Float(2.5)), "number `2.5`");
        assert_eq!(found(&Unexpected::Seq), "a list");
        assert_eq!(mapping_of(&["a", "b", "c"], false), "a mapping (a, b or c)");
        assert_eq!(
            mapping_of(&["a", "b"], true),
            "a mapping of sections (a, b)"
        );
        assert_eq!(mapping_of(&[], false), "a mapping");
    }
}
