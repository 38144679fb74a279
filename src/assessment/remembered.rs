//! Notes remembered on each thread by what they are written from: an assessment repeated with
//! the same numbers (or the same reasons) shares the text the first one wrote (`Arc<str>`), so
//! that it neither writes it again nor keeps, for each report, what writes it.

use crate::quantity::interval::Interval;
use std::cell::RefCell;
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

/// The numbers of `intervals` as their bits, a key that tells apart every number written
/// differently (0 and -0 among them).
pub fn bits<const N: usize>(intervals: [Interval; N]) -> [[u64; 3]; N] {
    intervals.map(|i| [i.value, i.min, i.max].map(f64::to_bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_written_once_for_a_key_and_again_for_another() {
        let slot: Slot<[[u64; 3]; 1]> = RefCell::new(None);
        let mut written = 0;
        let mut note = |x: f64| {
            remembered(&slot, bits([Interval::exact(x)]), |_| {
                written += 1;
                format!("x = {x}")
            })
        };
        let a = note(1.5);
        let b = note(1.5);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*note(-0.0), "x = -0");
        assert_eq!(&*note(0.0), "x = 0");
        assert_eq!(&*note(1.5), "x = 1.5");
        assert_eq!(written, 4);
    }
}
