//! The typed kind of a scenario's deserialization error. The YAML parser reports a data error
//! as text only, so the scenario's parsed YAML tree is deserialized again here with an error
//! type of our own ([`ErrorKind`]): serde then hands over the unknown field and the keys
//! allowed there, or the missing field, as values rather than as words in a message.

use crate::error::ErrorKind;
use serde::de::value::{MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
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
}

/// A YAML tree node as a serde deserializer whose errors are [`ErrorKind`]s.
#[derive(Clone, Copy)]
struct Node<'a>(&'a Value);

impl<'de, 'a> IntoDeserializer<'de, ErrorKind> for Node<'a> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
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
            Value::Sequence(s) => v.visit_seq(SeqDeserializer::new(s.iter().map(Node))),
            Value::Mapping(m) => v.visit_map(MapDeserializer::new(
                m.iter().map(|(k, x)| (Node(k), Node(x))),
            )),
            Value::Tagged(t) => Node(&t.value).deserialize_any(v),
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
                m.iter().map(|(k, x)| (Node(k), Node(x))),
            ))),
            _ => self.deserialize_any(v),
        }
    }

    /// Only a mapping is a struct, as for the parser (which refuses a sequence).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ErrorKind> {
        match self.0 {
            Value::Mapping(_) | Value::Tagged(_) => self.deserialize_any(v),
            Value::Sequence(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &v)),
            _ => self.deserialize_any(v),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, ErrorKind> {
        v.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// Deserialize `T` from a parsed YAML tree: the field path and the typed kind of its first
/// error, if any.
/// An empty document is read as an empty mapping, as the parser does.
pub(super) fn kind_of<T: DeserializeOwned>(tree: &Value) -> Option<(String, ErrorKind)> {
    let empty = Value::Mapping(yaml_serde::Mapping::new());
    let tree = if tree.is_null() { &empty } else { tree };
    serde_path_to_error::deserialize::<_, T>(Node(tree))
        .err()
        .map(|e| (e.path().to_string(), e.into_inner()))
}
