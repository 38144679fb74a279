//! The last guard before a result is written: every number in it finite. A serializer that
//! writes nothing walks the value and names the first figure that is infinite or not a number
//! by its field path (`impacts.use.gwp.value`), so that a figure the computation did not check
//! becomes an error instead of `inf` in a model card or `null` in JSON.
//!
//! A first walk only looks at the numbers; the path is built in a second walk, when the first
//! found a number that is not finite (so that a finite report costs no path strings).

use serde::ser::{self, Serialize};
use std::fmt;

/// The field path and value of the first non-finite number in `value`, if any.
pub fn first_non_finite<T: Serialize + ?Sized>(value: &T) -> Option<(String, f64)> {
    // the walkers' only error is the one that stops them at the first non-finite number
    value.serialize(&mut Quick).err()?;
    let mut w = Walker::default();
    let _ = value.serialize(&mut w);
    w.found
}

/// The name of a newtype that holds text only (a report's assumptions, written when first
/// read): the walk passes over it, so that checking the numbers writes no text. Serializers
/// write a newtype as its content.
pub const TEXT_ONLY: &str = "text only";

macro_rules! ok {
    ($($name:ident($($t:ty),*) $(-> $c:ty)?),* $(,)?) => {
        $(fn $name(self, $(_: $t),*) -> Result<ok!(@ret $($c)?), Stop> { Ok(ok!(@val self $($c)?)) })*
    };
    (@ret) => { () };
    (@ret $c:ty) => { $c };
    (@val $s:ident) => { () };
    (@val $s:ident $c:ty) => { $s };
}

/// What both walks do alike: the leaves (a number checked, anything else passed), text made
/// for display not formatted, an option or a newtype walked through, a text-only newtype passed.
macro_rules! leaves {
    () => {
        ok!(
            serialize_bool(bool),
            serialize_i8(i8),
            serialize_i16(i16),
            serialize_i32(i32),
            serialize_i64(i64),
            serialize_u8(u8),
            serialize_u16(u16),
            serialize_u32(u32),
            serialize_u64(u64),
            serialize_char(char),
            serialize_str(&str),
            serialize_bytes(&[u8]),
            serialize_none(),
            serialize_unit(),
            serialize_unit_struct(&'static str),
            serialize_unit_variant(&'static str, u32, &'static str),
        );
        fn serialize_f32(self, v: f32) -> Result<(), Stop> {
            self.number(f64::from(v))
        }
        fn serialize_f64(self, v: f64) -> Result<(), Stop> {
            self.number(v)
        }
        fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<(), Stop> {
            Ok(())
        }
        fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Stop> {
            v.serialize(self)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            name: &'static str,
            v: &T,
        ) -> Result<(), Stop> {
            if name == TEXT_ONLY {
                return Ok(());
            }
            v.serialize(self)
        }
    };
}

/// The first walk: only whether a number is not finite (no path, no state).
struct Quick;

impl ser::Serializer for &mut Quick {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    leaves!();
    ok!(
        serialize_seq(Option<usize>) -> Self,
        serialize_tuple(usize) -> Self,
        serialize_tuple_struct(&'static str, usize) -> Self,
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self,
        serialize_map(Option<usize>) -> Self,
        serialize_struct(&'static str, usize) -> Self,
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self,
    );
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        v.serialize(self)
    }
}

impl Quick {
    #[inline]
    fn number(&mut self, v: f64) -> Result<(), Stop> {
        if v.is_finite() {
            Ok(())
        } else {
            Err(Stop)
        }
    }
}

/// The elements, fields and values of every compound walked in turn (map keys are not numbers).
macro_rules! quick_compound {
    ($($tr:ident :: $f:ident $(, $key:ty)?);* $(;)?) => {
        $(impl ser::$tr for &mut Quick {
            type Ok = ();
            type Error = Stop;
            fn $f<T: Serialize + ?Sized>(&mut self, $(_: $key,)? v: &T) -> Result<(), Stop> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Stop> {
                Ok(())
            }
        })*
    };
}

quick_compound!(
    SerializeSeq::serialize_element;
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
    SerializeTupleVariant::serialize_field;
    SerializeStruct::serialize_field, &'static str;
    SerializeStructVariant::serialize_field, &'static str;
);

impl ser::SerializeMap for &mut Quick {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

/// The second walk, when the first found a number that is not finite: its path.
#[derive(Default)]
struct Walker {
    path: Vec<String>,
    found: Option<(String, f64)>,
}

#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number is not finite")
    }
}
impl std::error::Error for Stop {}
impl ser::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl Walker {
    #[inline]
    fn number(&mut self, v: f64) -> Result<(), Stop> {
        if v.is_finite() {
            return Ok(());
        }
        self.stop(v)
    }
    /// Record the path of the non-finite number `v` and stop the walk.
    #[cold]
    fn stop(&mut self, v: f64) -> Result<(), Stop> {
        let mut p = String::new();
        for s in &self.path {
            if s.starts_with('[') || p.is_empty() {
                p.push_str(s);
            } else {
                p.push('.');
                p.push_str(s);
            }
        }
        self.found = Some((p, v));
        Err(Stop)
    }
    /// Walk `v`, the path segment `seg`.
    fn nested<T: Serialize + ?Sized>(
        &mut self,
        seg: impl FnOnce() -> String,
        v: &T,
    ) -> Result<(), Stop> {
        self.path.push(seg());
        let r = v.serialize(&mut *self);
        self.path.pop();
        r
    }
}

impl<'a> ser::Serializer for &'a mut Walker {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = &'a mut Walker;
    type SerializeStructVariant = &'a mut Walker;

    leaves!();
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        self.nested(|| variant.to_string(), v)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Stop> {
        Ok(Seq { w: self, i: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq<'a>, Stop> {
        Ok(Seq { w: self, i: 0 })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq<'a>, Stop> {
        Ok(Seq { w: self, i: 0 })
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Seq<'a>, Stop> {
        Ok(Seq { w: self, i: 0 })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>, Stop> {
        Ok(Map {
            w: self,
            key: String::new(),
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Stop> {
        Ok(self)
    }
}

struct Seq<'a> {
    w: &'a mut Walker,
    i: usize,
}

impl Seq<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        let i = self.i;
        self.i += 1;
        self.w.nested(|| format!("[{i}]"), v)
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        self.item(v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}
impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        self.item(v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}
impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        self.item(v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}
impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        self.item(v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

struct Map<'a> {
    w: &'a mut Walker,
    key: String,
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Stop> {
        self.key = serde_json::to_value(k)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "[key]".to_string());
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        let k = std::mem::take(&mut self.key);
        self.w.nested(|| k, v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Walker {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        self.nested(|| key.to_string(), v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}
impl ser::SerializeStructVariant for &mut Walker {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Stop> {
        self.nested(|| key.to_string(), v)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct R {
        a: f64,
        rows: Vec<Row>,
        m: BTreeMap<String, f64>,
        o: Option<f64>,
    }
    #[derive(Serialize)]
    struct Row {
        x: (f64, f64),
    }

    #[test]
    fn names_the_first_non_finite_figure() {
        let mut r = R {
            a: 1.0,
            rows: vec![Row { x: (1.0, 2.0) }, Row { x: (3.0, 4.0) }],
            m: BTreeMap::from([("p05".to_string(), 1.0)]),
            o: Some(2.0),
        };
        assert_eq!(first_non_finite(&r), None);
        r.rows[1].x.1 = f64::INFINITY;
        assert_eq!(
            first_non_finite(&r),
            Some(("rows[1].x[1]".to_string(), f64::INFINITY))
        );
        r.rows[1].x.1 = 0.0;
        r.m.insert("p95".into(), f64::NAN);
        assert_eq!(first_non_finite(&r).map(|f| f.0), Some("m.p95".into()));
        r.m.clear();
        r.o = Some(f64::NEG_INFINITY);
        assert_eq!(first_non_finite(&r).map(|f| f.0), Some("o".into()));
    }
}
