//! The device of a sample among a piece's: by its key, the device after the last tried first.

use super::read::Entry;

/// Whether a device's key is `key`: the four lengths first (most keys differ in a length),
/// then the bytes of each part by [`same_bytes`]. An empty part is never handed to `memcmp`
/// (an empty `Vec`'s dangling pointer sends some `memcmp` down a slow path that cost half the
/// read).
#[inline]
pub(super) fn same_key<K: AsRef<[u8]>>(a: &[Vec<u8>; 4], key: &[K; 4]) -> bool {
    a.iter().zip(key).all(|(x, y)| x.len() == y.as_ref().len())
        && a.iter().zip(key).all(|(x, y)| same_bytes(x, y.as_ref()))
}

/// Whether `x` and `y`, of the same length, are the same bytes: up to 16 bytes as their first
/// and last words of 1, 2, 4 or 8 bytes (overlapping where the length is not twice a word: a
/// GPU index, a resource id, a RAPL zone), with no call; longer by `memcmp`.
#[inline]
fn same_bytes(x: &[u8], y: &[u8]) -> bool {
    match x.len() {
        0 => true,
        1 => x[0] == y[0],
        2..4 => ends::<2>(x, y),
        4..8 => ends::<4>(x, y),
        8..=16 => ends::<8>(x, y),
        _ => x == y,
    }
}

/// Whether the first `N` bytes of `x` and `y` are the same, and their last `N`.
#[inline]
fn ends<const N: usize>(x: &[u8], y: &[u8]) -> bool {
    x.first_chunk::<N>() == y.first_chunk::<N>() && x.last_chunk::<N>() == y.last_chunk::<N>()
}

/// The device of `key` among a piece's, trying first the one after the device of the last
/// sample (meters write their devices in the same order at every sample), then that device.
/// The device after the last, found at nearly every row, is tried in the row's own loop.
#[inline]
pub(super) fn find_device(entries: &[Entry], key: &[&[u8]; 4], last: usize) -> Option<usize> {
    let next = if last + 1 < entries.len() {
        last + 1
    } else {
        0
    };
    match entries.get(next) {
        Some(e) if same_key(&e.key, key) => Some(next),
        _ => find_other_device(entries, key, last),
    }
}

/// [`find_device`] past the device after the last: that device, then any.
#[inline(never)]
fn find_other_device(entries: &[Entry], key: &[&[u8]; 4], last: usize) -> Option<usize> {
    match entries.get(last) {
        Some(e) if same_key(&e.key, key) => Some(last),
        _ => entries.iter().position(|e| same_key(&e.key, key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::energy::trace::integrate::{Device, Signal};

    fn entry(key: [&str; 4]) -> Entry {
        Entry {
            key: key.map(|k| k.as_bytes().to_vec()),
            device: Device::new(key.join(" "), Signal::Power, None),
            label: None,
            first_row: 2,
        }
    }

    #[test]
    fn keys_compare_part_by_part_empty_parts_included() {
        let e = entry(["rapl_consumed_energy_J", "cpu_package", "0", ""]);
        assert!(same_key(
            &e.key,
            &[&b"rapl_consumed_energy_J"[..], b"cpu_package", b"0", b""]
        ));
        // a part moved to its neighbour is another key, as is an empty part filled
        assert!(!same_key(
            &e.key,
            &[&b"rapl_consumed_energy_J"[..], b"cpu_package0", b"", b""]
        ));
        assert!(!same_key(
            &e.key,
            &[
                &b"rapl_consumed_energy_J"[..],
                b"cpu_package",
                b"0",
                b"dram"
            ]
        ));
    }

    #[test]
    fn bytes_compare_as_slices_do_whatever_their_length() {
        for n in 0..40usize {
            let x: Vec<u8> = (0..n as u8).map(|i| b'a' + i % 26).collect();
            assert!(same_bytes(&x, &x.clone()), "{n}");
            for at in 0..n {
                let mut y = x.clone();
                y[at] ^= 0x20;
                assert!(!same_bytes(&x, &y), "{n} {at}");
            }
        }
    }

    #[test]
    fn the_device_after_the_last_is_tried_first_and_any_is_found() {
        let entries: Vec<Entry> = ["0", "1", "2"].map(|g| entry([g, "", "", ""])).into();
        let key = |g: &'static str| [g.as_bytes(), b"", b"", b""];
        assert_eq!(find_device(&entries, &key("1"), 0), Some(1));
        assert_eq!(find_device(&entries, &key("0"), 2), Some(0));
        assert_eq!(find_device(&entries, &key("2"), 0), Some(2));
        assert_eq!(find_device(&entries, &key("2"), 2), Some(2));
        assert_eq!(find_device(&entries, &key("3"), 1), None);
        assert_eq!(find_device(&[], &key("0"), 0), None);
        // a last device past the end (none before the first sample of a piece)
        assert_eq!(find_device(&entries, &key("1"), 7), Some(1));
    }

    proptest::proptest! {
        /// Whatever the last device, a piece's devices (each key once) are found where a
        /// search of all of them finds them, and a key none has is not.
        #[test]
        fn the_device_found_is_the_one_with_the_key(
            n in 0usize..6,
            wanted in 0usize..8,
            last in 0usize..8,
        ) {
            let names = ["0", "1", "2", "3", "4", "5", "6", "7"];
            let entries: Vec<Entry> = names[..n].iter().map(|&g| entry([g, "", "", ""])).collect();
            let key = [names[wanted].as_bytes(), b"", b"", b""];
            let all = entries.iter().position(|e| same_key(&e.key, &key));
            proptest::prop_assert_eq!(find_device(&entries, &key, last), all);
        }
    }
}
