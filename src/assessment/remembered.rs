//! Notes remembered on each thread by the reasons they are written from: an assessment with the
//! same reasons as the one before on its thread (a criterion not assessed for want of a factor,
//! the use phase's water not covered) shares the text the first one wrote (`Arc<str>`), so that
//! it neither writes it again nor keeps, for each report, what writes it. Reasons are few and do
//! not change with a scenario's numbers; notes made from numbers (the PUE, the allocation's
//! share) are written when read ([`crate::data::provenance::Note::later`]), as a sweep of those
//! numbers would find nothing to share.

use crate::quantity::impacts::PerCriterion;
use crate::scenario::Loaded;
use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Arc;

/// The last text a kind of note was written as, with the key it was written from.
pub type Slot<K> = RefCell<Option<(K, Arc<str>)>>;

/// The text `write` makes from `key`: the one kept in `slot` when it was made from the same key,
/// else written now and kept in its place.
pub fn remembered<K: PartialEq>(
    slot: &Slot<K>,
    key: K,
    write: impl FnOnce(&K) -> String,
) -> Arc<str> {
    let mut slot = slot.borrow_mut();
    if let Some((kept, text)) = &*slot {
        if *kept == key {
            return Arc::clone(text);
        }
    }
    let text: Arc<str> = write(&key).into();
    *slot = Some((key, Arc::clone(&text)));
    text
}

/// Whether two texts are the same: the same shared text (one comparison of pointers: an
/// `Arc<str>` compares its words, as `str` is not `Sized` for its shortcut), else the same words.
pub fn same_text(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}

/// A shared text as a key, compared by [`same_text`].
pub struct Text(pub Arc<str>);

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        same_text(&self.0, &other.0)
    }
}

/// The notes an assessment writes from its reasons, the last of each kind remembered on each
/// thread ([`remembered`]).
pub(super) struct Remembered {
    /// The use phase's water not assessed, by its reason.
    pub(super) water_use: Slot<Text>,
    /// A criterion not assessed, by its reason.
    pub(super) not_assessed: PerCriterion<Slot<Text>>,
}

thread_local! {
    pub(super) static NOTES: Remembered = const {
        Remembered {
            water_use: RefCell::new(None),
            not_assessed: PerCriterion {
                gwp: RefCell::new(None),
                adp: RefCell::new(None),
                pe: RefCell::new(None),
                water: RefCell::new(None),
            },
        }
    };
}

thread_local! {
    /// The last scenario path written for a report, with the path.
    static SCENARIO_PATH: RefCell<Option<(PathBuf, Arc<str>)>> = const { RefCell::new(None) };
}

/// The path of `loaded`'s file as the report gives it, written once for the same path on a
/// thread (an assessment repeated on the same scenario shares it).
pub(super) fn scenario_path(loaded: &Loaded) -> Arc<str> {
    SCENARIO_PATH.with(|slot| {
        let mut slot = slot.borrow_mut();
        if let Some((path, text)) = &*slot {
            // compared as written (a `Path` compares by components: `a//b` is `a/b`)
            if path.as_os_str() == loaded.file.as_os_str() {
                return Arc::clone(text);
            }
        }
        // a path in UTF-8 (the usual case) copied as it is, not read again char by char
        let text: Arc<str> = match loaded.file.to_str() {
            Some(s) => s.into(),
            None => loaded.file.to_string_lossy().into(),
        };
        *slot = Some((loaded.file.clone(), Arc::clone(&text)));
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_written_once_for_a_key_and_again_for_another() {
        let slot: Slot<Text> = RefCell::new(None);
        let mut written = 0;
        let mut note = |reason: &str| {
            remembered(&slot, Text(reason.into()), |Text(r)| {
                written += 1;
                format!("water, use phase: {r}")
            })
        };
        let a = note("no water factor");
        let b = note("no water factor");
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*note("no WUE"), "water, use phase: no WUE");
        assert_eq!(
            &*note("no water factor"),
            "water, use phase: no water factor"
        );
        assert_eq!(written, 3);
    }

    #[test]
    fn texts_are_the_same_by_their_words_whatever_their_place() {
        let a: Arc<str> = "no water figure".into();
        let b: Arc<str> = String::from("no water figure").into();
        assert!(Text(Arc::clone(&a)) == Text(Arc::clone(&a)));
        assert!(Text(a) == Text(Arc::clone(&b)));
        assert!(Text(b) != Text("no water figures".into()));
        // a slice of the same text is another text
        let s = "no water figure";
        assert!(!same_text(&s[..2], &s[..3]));
    }
}
