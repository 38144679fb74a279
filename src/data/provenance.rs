//! Provenance: the sources a computation cites (from `impact-data/sources.csv`, or given in
//! the scenario) and the assumptions and warnings it records, carried into every report.

use crate::data::ImpactData;
use crate::quantity::interval::Interval;
use serde::Serialize;
use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// A source cited by a report: from impact-data, or given in the scenario.
#[derive(Debug, Clone, Serialize, PartialEq)]
/// Its texts are shared (`Arc<str>`) with the impact data or the scenario.
pub struct SourceRef {
    pub id: Arc<str>,
    pub citation: Arc<str>,
    pub url: Arc<str>,
    pub year: Arc<str>,
    /// Its entry in impact-data/references.bib (empty for sources given in the scenario).
    pub bibtex_key: Arc<str>,
}

/// The empty text of a source's fields that the scenario does not give (made once, shared).
fn empty() -> Arc<str> {
    static EMPTY: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| "".into());
    Arc::clone(&EMPTY)
}

/// A named default of impact-data (`defaults.csv`) that a computation applied, and what it
/// stands for there (`ram density not given (infrastructure[0].bom.ram[0])`).
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedDefault {
    pub what: String,
    pub default: crate::data::DefaultValue,
}

/// A part of a node that its impacts leave out (the catalog's `not_included`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub node: String,
    pub part: String,
}

/// Writes a note's text (the arguments it was made with are its own).
type Write = dyn Fn(&mut fmt::Formatter<'_>) -> fmt::Result + Send + Sync;

/// The text of an assumption or a warning, or what writes it when it is first read.
#[derive(Clone)]
pub enum Note {
    Text(String),
    /// A text fixed in the program (not copied until the notes are read).
    Static(&'static str),
    /// A text shared with other reports (not copied until the notes are read).
    Shared(Arc<str>),
    Later(Arc<Write>),
}

impl Note {
    /// A note written by `f` when the notes are first read: its numbers are formatted only for a
    /// report that is rendered.
    pub fn later(
        f: impl Fn(&mut fmt::Formatter<'_>) -> fmt::Result + Send + Sync + 'static,
    ) -> Note {
        Note::Later(Arc::new(f))
    }

    fn text(&self) -> String {
        struct Shown<'a>(&'a Write);
        impl fmt::Display for Shown<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                (self.0)(f)
            }
        }
        match self {
            Note::Text(t) => t.clone(),
            Note::Static(t) => (*t).to_string(),
            Note::Shared(t) => t.to_string(),
            Note::Later(w) => Shown(&**w).to_string(),
        }
    }
}

impl From<String> for Note {
    fn from(s: String) -> Note {
        Note::Text(s)
    }
}

impl From<Arc<str>> for Note {
    fn from(s: Arc<str>) -> Note {
        Note::Shared(s)
    }
}

impl From<&'static str> for Note {
    fn from(s: &'static str) -> Note {
        Note::Static(s)
    }
}

/// The room a list of notes takes on its first note: about a dozen notes, and the numbers of
/// the notes written from numbers (see [`Notes::add_numbers`]), in one allocation.
const NOTES_CAPACITY: usize = 24;

/// The most numbers a note written from numbers holds.
pub const NUMBERS: usize = 5;

/// Writes a note's text from its numbers (those it was added with, then zeros).
pub type WriteNumbers = fn(&[Interval; NUMBERS], &mut fmt::Formatter<'_>) -> fmt::Result;

/// An entry of the notes not read yet.
#[derive(Clone)]
enum Entry {
    /// A note, with whether it is left out when its text is already there.
    Note(Note, bool),
    /// A note written by the function from the numbers of the `usize` entries that follow it
    /// (left out when its text is already there).
    Numbers(WriteNumbers, usize),
    /// A number of the note written from numbers before it.
    Number(Interval),
}

/// A list of notes (a report's assumptions or warnings), read as the `Vec<String>` of their
/// texts: written and deduplicated when first read, so that an assessment whose report is not
/// rendered formats none of them. A note added with [`Notes::add`] is left out when an earlier
/// one has the same text; one pushed to the texts is kept.
#[derive(Clone, Default)]
pub struct Notes {
    /// The notes not read yet.
    pending: Vec<Entry>,
    /// The texts, once read (`pending` then empty).
    texts: OnceLock<Vec<String>>,
}

impl Notes {
    /// Add `n`, unless an earlier note has its text (checked when the notes are read).
    pub fn add(&mut self, n: impl Into<Note>) {
        self.room(1).push(Entry::Note(n.into(), true));
    }

    /// Add the note that `write` writes from `numbers` when the notes are read (at most
    /// [`NUMBERS`] of them, a bound checked when compiled; `write` reads zeros after them),
    /// unless an earlier note has its text: the numbers are kept in the list, so that the note
    /// takes no allocation of its own and its numbers are formatted only for a report that is
    /// rendered.
    pub fn add_numbers<const N: usize>(&mut self, write: WriteNumbers, numbers: [Interval; N]) {
        const { assert!(N <= NUMBERS, "a note holds at most NUMBERS numbers") };
        let pending = self.room(1 + N);
        pending.push(Entry::Numbers(write, N));
        pending.extend(numbers.map(Entry::Number));
    }

    /// The notes not read yet, with room for `n` more entries.
    fn room(&mut self, n: usize) -> &mut Vec<Entry> {
        let pending = self.unread();
        if pending.capacity() == 0 {
            // an assessment makes about a dozen notes: one allocation, not four growths
            pending.reserve(NOTES_CAPACITY.max(n));
        }
        pending
    }

    /// The notes not read yet, the texts read so far moved back among them (kept as they are).
    fn unread(&mut self) -> &mut Vec<Entry> {
        if let Some(texts) = self.texts.take() {
            self.pending = texts
                .into_iter()
                .map(|t| Entry::Note(Note::Text(t), false))
                .collect();
        }
        &mut self.pending
    }

    /// The texts of `pending`, in order, each deduplicated note dropped after its first.
    fn write(pending: &[Entry]) -> Vec<String> {
        struct Shown<'a>(WriteNumbers, &'a [Interval; NUMBERS]);
        impl fmt::Display for Shown<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                (self.0)(self.1, f)
            }
        }
        let mut all: Vec<(String, bool)> = Vec::with_capacity(pending.len());
        for (k, e) in pending.iter().enumerate() {
            match e {
                Entry::Note(n, dedupe) => all.push((n.text(), *dedupe)),
                Entry::Numbers(w, len) => {
                    let mut numbers = [Interval::exact(0.0); NUMBERS];
                    let given = pending.iter().skip(k + 1).take(*len);
                    for (slot, e) in numbers.iter_mut().zip(given) {
                        if let Entry::Number(x) = e {
                            *slot = *x;
                        }
                    }
                    all.push((Shown(*w, &numbers).to_string(), true));
                }
                Entry::Number(_) => {}
            }
        }
        let mut seen: HashSet<&str> = HashSet::with_capacity(all.len());
        let keep: Vec<bool> = all
            .iter()
            .map(|(t, dedupe)| seen.insert(t.as_str()) || !dedupe)
            .collect();
        all.into_iter()
            .zip(keep)
            .filter_map(|((t, _), k)| k.then_some(t))
            .collect()
    }
}

impl std::ops::Deref for Notes {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        self.texts.get_or_init(|| Notes::write(&self.pending))
    }
}

impl std::ops::DerefMut for Notes {
    fn deref_mut(&mut self) -> &mut Vec<String> {
        if self.texts.get().is_none() {
            let _ = self.texts.set(Notes::write(&self.pending));
        }
        self.pending.clear();
        match self.texts.get_mut() {
            Some(t) => t,
            None => unreachable!("the texts were just written"),
        }
    }
}

impl<'a> IntoIterator for &'a Notes {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl From<Vec<String>> for Notes {
    fn from(texts: Vec<String>) -> Notes {
        Notes {
            pending: Vec::new(),
            texts: OnceLock::from(texts),
        }
    }
}

impl From<Notes> for Vec<String> {
    fn from(mut n: Notes) -> Vec<String> {
        std::mem::take(&mut *n)
    }
}

impl fmt::Debug for Notes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The texts (a list of strings), as a newtype that the check of a report's numbers passes over.
impl Serialize for Notes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Texts<'a>(&'a Notes);
        impl Serialize for Texts<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.as_slice().serialize(s)
            }
        }
        s.serialize_newtype_struct(crate::quantity::finite::TEXT_ONLY, &Texts(self))
    }
}

/// The sources a computation cites, each once, in the order of their ids: a list kept sorted
/// (a computation cites a few, and a map's first node would cost more than they do).
#[derive(Debug, Default)]
pub struct Sources(Vec<SourceRef>);

impl Sources {
    /// Where the source of id `id` goes, unless it is already cited.
    fn place_of(&self, id: &str) -> Option<usize> {
        self.0.binary_search_by(|s| (*s.id).cmp(id)).err()
    }

    /// Move the sources of `other` here, each replacing one of the same id.
    pub fn append(&mut self, other: &mut Sources) {
        for s in other.0.drain(..) {
            match self.0.binary_search_by(|x| x.id.cmp(&s.id)) {
                Ok(k) => self.0[k] = s,
                Err(k) => self.0.insert(k, s),
            }
        }
    }

    /// The sources, in the order of their ids.
    pub fn into_values(self) -> std::vec::IntoIter<SourceRef> {
        self.0.into_iter()
    }
}

/// What a computation used and assumed, for the report.
#[derive(Debug, Default)]
pub struct Trail {
    pub assumptions: Notes,
    pub warnings: Notes,
    pub sources: Sources,
    /// The defaults applied, typed (the assumptions say them in words too).
    pub defaults: Vec<AppliedDefault>,
    /// The parts left out, typed (the assumptions say them in words too).
    pub left_out: Vec<LeftOut>,
}

impl Trail {
    /// Record an assumption (once: a repeated text is kept at its first place).
    pub fn assume(&mut self, s: impl Into<Note>) {
        self.assumptions.add(s);
    }
    /// Record an assumption written from `numbers` when read (see [`Notes::add_numbers`]).
    pub fn assume_numbers<const N: usize>(&mut self, write: WriteNumbers, numbers: [Interval; N]) {
        self.assumptions.add_numbers(write, numbers);
    }
    /// Record a warning (once, as [`Trail::assume`]).
    pub fn warn(&mut self, s: impl Into<Note>) {
        self.warnings.add(s);
    }
    /// Record that the default `d` was applied for `what`.
    pub fn applied(&mut self, d: &crate::data::DefaultValue, what: &str) {
        let a = AppliedDefault {
            what: what.to_string(),
            default: d.clone(),
        };
        if !self.defaults.contains(&a) {
            self.defaults.push(a);
        }
    }
    /// Record that `node` leaves `part` out.
    pub fn leave_out(&mut self, node: &str, part: &str) {
        let l = LeftOut {
            node: node.to_string(),
            part: part.to_string(),
        };
        if !self.left_out.contains(&l) {
            self.left_out.push(l);
        }
    }
    pub fn cite(&mut self, data: &ImpactData, id: &str) {
        if let (Some(s), Some(k)) = (data.source(id), self.sources.place_of(id)) {
            self.sources.0.insert(
                k,
                SourceRef {
                    id: Arc::clone(&s.source_id),
                    citation: Arc::clone(&s.citation),
                    url: Arc::clone(&s.url),
                    year: Arc::clone(&s.year),
                    bibtex_key: Arc::clone(&s.bibtex_key),
                },
            );
        }
    }
    /// A source given as free text in the scenario.
    pub fn cite_text(&mut self, id: Arc<str>, citation: Arc<str>) {
        if let Some(k) = self.sources.place_of(&id) {
            self.sources.0.insert(
                k,
                SourceRef {
                    id,
                    citation,
                    url: empty(),
                    year: empty(),
                    bibtex_key: empty(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_cited_once_in_the_order_of_their_ids() {
        let mut t = Trail::default();
        t.cite_text("scenario: b".into(), "B".into());
        t.cite_text("scenario: a".into(), "A".into());
        t.cite_text("scenario: b".into(), "B again".into());
        let mut other = Trail::default();
        other.cite_text("scenario: b".into(), "B from a part".into());
        other.cite_text("scenario: c".into(), "C".into());
        t.sources.append(&mut other.sources);
        let cited: Vec<(String, String)> = t
            .sources
            .into_values()
            .map(|s| (s.id.to_string(), s.citation.to_string()))
            .collect();
        // the first citation of an id kept, one appended replacing it (as a map's append)
        let want = [("a", "A"), ("b", "B from a part"), ("c", "C")];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(i, c)| (format!("scenario: {i}"), c.to_string()))
            .collect();
        assert_eq!(cited, want);
    }

    #[test]
    fn notes_are_written_when_read_and_kept_once() {
        let mut t = Trail::default();
        t.assume("a");
        let x = 0.5;
        t.assume(Note::later(move |f| write!(f, "x = {x}")));
        t.assume("x = 0.5".to_string());
        t.assume("b");
        assert_eq!(*t.assumptions, ["a", "x = 0.5", "b"]);
        // pushed to the texts: kept; added again: left out
        t.assumptions.push("a".into());
        t.assume("b");
        t.assume("c");
        assert_eq!(*t.assumptions, ["a", "x = 0.5", "b", "a", "c"]);
        assert_eq!(
            serde_json::to_string(&t.assumptions).unwrap(),
            r#"["a","x = 0.5","b","a","c"]"#
        );
        assert_eq!(Vec::from(t.assumptions.clone()).len(), 5);
    }

    #[test]
    fn notes_written_from_numbers_keep_their_numbers_and_are_kept_once() {
        let mut t = Trail::default();
        t.assume("a");
        let pue = Interval {
            value: 1.2,
            min: 1.1,
            max: 1.4,
        };
        let write: WriteNumbers = |[x, rest @ ..], f| {
            write!(
                f,
                "PUE {} [{}, {}], then {:?}",
                x.value,
                x.min,
                x.max,
                rest.map(|r| r.value)
            )
        };
        t.assume_numbers(write, [pue]);
        t.assume("b");
        // the same numbers again: the same text, left out
        t.assume_numbers(write, [pue]);
        let two: WriteNumbers =
            |[a, b, ..], f| write!(f, "{} + {} = {}", a.value, b.value, a.value + b.value);
        t.assume_numbers(two, [Interval::exact(0.5), Interval::exact(0.25)]);
        assert_eq!(
            *t.assumptions,
            [
                "a",
                "PUE 1.2 [1.1, 1.4], then [0.0, 0.0, 0.0, 0.0]",
                "b",
                "0.5 + 0.25 = 0.75"
            ]
        );
        // added after a read: the texts kept, the new note written from its own numbers
        t.assume_numbers(two, [Interval::exact(1.0), Interval::exact(2.0)]);
        assert_eq!(t.assumptions.len(), 5);
        assert_eq!(t.assumptions[4], "1 + 2 = 3");
    }

    /// The texts shared as `Arc<str>` (serde's `rc` feature) are read and written as plain
    /// strings, with serde's messages for a `String` field.
    #[test]
    fn shared_strings_read_and_write_as_strings() {
        #[derive(serde::Deserialize, Serialize)]
        struct Named {
            name: Arc<str>,
            #[serde(default)]
            note: Option<Arc<str>>,
        }
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
