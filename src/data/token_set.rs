//! The token set of a catalog name (see [`super::names`]): std only, as `build.rs` also
//! includes this file to make the token sets of the embedded catalog's names at build time.

use std::borrow::Cow;

pub(crate) const VENDOR_WORDS: [&str; 3] = ["nvidia", "amd", "intel"];
pub(crate) const UNIT_TOKENS: [&str; 4] = ["gb", "gib", "tb", "mb"];

/// The token set of `name`: its tokens sorted, unique and joined by a space.
pub fn normalized(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut raw = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .peekable();
    let mut out: Vec<Cow<str>> = Vec::new();
    while let Some(t) = raw.next() {
        if t.bytes().all(|c| c.is_ascii_digit()) {
            if let Some(unit) = raw.next_if(|u| UNIT_TOKENS.contains(u)) {
                out.push(Cow::Owned([t, unit].concat()));
                continue;
            }
        }
        if !VENDOR_WORDS.contains(&t) {
            out.push(Cow::Borrowed(t));
        }
    }
    out.sort_unstable();
    out.dedup();
    let mut joined = String::with_capacity(lower.len());
    for (i, t) in out.iter().enumerate() {
        if i > 0 {
            joined.push(' ');
        }
        joined.push_str(t);
    }
    joined
}
