//! Catalog name matching as users write names: "NVIDIA A100-SXM4-80GB" (nvidia-smi),
//! "A100 SXM4 80GB" and "a100-sxm4-80gb" all name the same GPU.
//!
//! Names are cut into lower-case alphanumeric tokens, a number followed by a unit token is joined
//! ("80 GB" -> "80gb"), and vendor words are dropped. A name matches when its token set equals
//! the query's; failing that, when the query's tokens are all in exactly one name. Anything else
//! is an error that lists the closest names.
//!
//! A token set is kept as one string, its tokens sorted, unique and joined by a space
//! ([`normalized`]): two sets are equal when their strings are, and subsets are found by merging
//! the two sorted token lists.

use crate::error::{Diagnostic, ErrorKind, Result};

pub use super::token_set::normalized;
use std::borrow::Cow;
use std::ops::Range;

/// Whether every token of the token set `small` is in the token set `big` (both as made by
/// [`normalized`]).
fn is_subset(small: &str, big: &str) -> bool {
    let mut big = big.split(' ');
    small.split(' ').all(|t| big.any(|b| b == t))
}

/// Names of a catalog, tokenised once (or at build time, for the embedded catalog).
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    kind: String,
    /// Per item: its display name, then the range of the token sets of its name and aliases in
    /// `forms`.
    items: Vec<(Cow<'static, str>, Range<usize>)>,
    forms: Vec<Cow<'static, str>>,
}

impl NameIndex {
    /// `names` yields, for each item, its name first, then its aliases. `kind` names the catalog
    /// in messages ("GPU", "CPU", "node").
    pub fn new<'a, I, N>(kind: &str, names: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: IntoIterator<Item = &'a str>,
    {
        let mut index = NameIndex {
            kind: kind.to_string(),
            ..NameIndex::default()
        };
        for n in names {
            let start = index.forms.len();
            let mut first = None;
            for x in n {
                first.get_or_insert(x);
                index.forms.push(Cow::Owned(normalized(x)));
            }
            let name = first.unwrap_or_default().to_string();
            index
                .items
                .push((Cow::Owned(name), start..index.forms.len()));
        }
        index
    }

    /// The index of items named once each, given with their token sets (made by
    /// [`normalized`] at build time).
    pub(super) fn of_token_sets(
        kind: &str,
        names: impl Iterator<Item = (&'static str, &'static str)>,
    ) -> Self {
        let mut index = NameIndex {
            kind: kind.to_string(),
            ..NameIndex::default()
        };
        for (i, (name, form)) in names.enumerate() {
            index.items.push((Cow::Borrowed(name), i..i + 1));
            index.forms.push(Cow::Borrowed(form));
        }
        index
    }

    /// The token sets of item `i`: its name's, then its aliases'.
    fn forms(&self, i: usize) -> &[Cow<'static, str>] {
        self.items
            .get(i)
            .and_then(|(_, r)| self.forms.get(r.clone()))
            .unwrap_or_default()
    }

    /// The index of the item named `query`.
    pub fn find(&self, query: &str) -> Result<usize> {
        let kind = &self.kind;
        let q = normalized(query);
        if q.is_empty() {
            return Err(Diagnostic::of(ErrorKind::EmptyName { kind: kind.clone() }).into());
        }
        let exact: Vec<usize> = (0..self.items.len())
            .filter(|&i| self.forms(i).iter().any(|f| *f == q))
            .collect();
        if exact.len() == 1 {
            return Ok(exact[0]);
        }
        let candidates: Vec<usize> = if exact.len() > 1 {
            exact
        } else {
            (0..self.items.len())
                .filter(|&i| self.forms(i).iter().any(|t| is_subset(&q, t)))
                .collect()
        };
        match candidates.len() {
            1 => Ok(candidates[0]),
            0 => {
                let close = self.closest(query, 3);
                let hint = if close.is_empty() {
                    format!("run `mlca hardware list` to see the {kind} catalog")
                } else {
                    format!(
                        "did you mean {}? (`mlca hardware list` shows the catalog)",
                        close
                            .iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                Err(Diagnostic::of(ErrorKind::UnknownName {
                    kind: kind.clone(),
                    name: query.to_string(),
                    candidates: close,
                })
                .hint(hint)
                .into())
            }
            n => {
                let listed: Vec<String> = candidates
                    .iter()
                    .take(8)
                    .map(|&i| format!("\"{}\"", self.items[i].0))
                    .collect();
                let more = if n > 8 {
                    format!(" and {} more", n - 8)
                } else {
                    String::new()
                };
                let hint = format!("write one of {}{more}", listed.join(", "));
                Err(Diagnostic::of(ErrorKind::AmbiguousName {
                    kind: kind.clone(),
                    name: query.to_string(),
                    matches: candidates
                        .iter()
                        .map(|&i| self.items[i].0.to_string())
                        .collect(),
                })
                .hint(hint)
                .into())
            }
        }
    }

    /// The `n` names closest to `query` (normalised Levenshtein on the token form).
    pub fn closest(&self, query: &str, n: usize) -> Vec<String> {
        let q = normalized(query);
        let mut scored: Vec<(f64, &str)> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let best = self
                    .forms(i)
                    .iter()
                    .map(|x| strsim::normalized_levenshtein(&q, x))
                    .fold(0.0, f64::max);
                (best, name.as_ref())
            })
            .filter(|(s, _)| *s > 0.3)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(n)
            .map(|(_, s)| s.to_string())
            .collect()
    }
}

/// The closest of `candidates` to `word`, if close enough to suggest (typos, swapped letters).
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            let dl = strsim::normalized_damerau_levenshtein(word, c);
            (dl.max(strsim::jaro_winkler(word, c) - 0.2), *c)
        })
        .filter(|(s, _)| *s >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::super::token_set::{UNIT_TOKENS, VENDOR_WORDS};
    use super::*;

    const GPUS: [&str; 4] = [
        "NVIDIA A100 SXM4 80GB",
        "NVIDIA A100 PCIe 80GB",
        "NVIDIA A100 SXM4 40GB",
        "NVIDIA Tesla V100 SXM2 32GB",
    ];

    fn find_gpu(q: &str) -> Result<&'static str> {
        let idx = NameIndex::new("GPU", GPUS.iter().map(|s| [*s]));
        idx.find(q).map(|i| GPUS[i])
    }

    #[test]
    fn spellings_users_write_find_the_same_gpu() {
        for q in [
            "NVIDIA A100-SXM4-80GB",
            "A100 SXM4 80GB",
            "a100-sxm4-80gb",
            "A100 SXM4 80 GB",
        ] {
            assert_eq!(find_gpu(q).ok(), Some("NVIDIA A100 SXM4 80GB"), "{q}");
        }
        assert_eq!(
            find_gpu("Tesla V100-SXM2-32GB").ok(),
            Some("NVIDIA Tesla V100 SXM2 32GB")
        );
    }

    #[test]
    fn a_name_is_its_sorted_tokens() {
        // lower case, number and unit joined, vendor words dropped, sorted, unique
        assert_eq!(normalized("NVIDIA A100-SXM4-80GB"), "80gb a100 sxm4");
        assert_eq!(normalized("A100 SXM4 80 GB"), "80gb a100 sxm4");
        assert_eq!(normalized("AMD EPYC 7763 EPYC"), "7763 epyc");
        assert_eq!(normalized("Intel"), "");
        assert!(is_subset("a100 sxm4", "80gb a100 sxm4"));
        assert!(!is_subset("a100 sxm5", "80gb a100 sxm4"));
        assert!(!is_subset("a100", ""));
    }

    /// The token set as first written: every token collected, then joined.
    fn normalized_by_steps(name: &str) -> String {
        let lower = name.to_lowercase();
        let raw: Vec<&str> = lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        let mut out: Vec<String> = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            let t = raw[i];
            if t.bytes().all(|c| c.is_ascii_digit())
                && i + 1 < raw.len()
                && UNIT_TOKENS.contains(&raw[i + 1])
            {
                out.push(format!("{t}{}", raw[i + 1]));
                i += 2;
                continue;
            }
            if !VENDOR_WORDS.contains(&t) {
                out.push(t.to_string());
            }
            i += 1;
        }
        out.sort_unstable();
        out.dedup();
        out.join(" ")
    }

    proptest::proptest! {
        #[test]
        fn a_token_set_is_made_in_one_pass(
            name in "(NVIDIA|amd|Intel|80|GB|gb|tb|A100|-|_| |İ|é|3|x|Xeon|7763|  |\\.|Mb)*"
        ) {
            proptest::prop_assert_eq!(normalized(&name), normalized_by_steps(&name));
        }
    }

    #[test]
    fn typos_of_keys_are_suggested() {
        assert_eq!(suggest("peu", &["country", "factors", "pue"]), Some("pue"));
        assert_eq!(
            suggest(
                "lifetime_yeras",
                &["lifetime_years", "active_utilization_rate"]
            ),
            Some("lifetime_years")
        );
        assert_eq!(suggest("xyz", &["country", "factors", "pue"]), None);
    }

    #[test]
    fn ambiguous_name_lists_candidates() {
        let e = find_gpu("A100 80GB")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("ambiguous"), "{e}");
        assert!(e.contains("NVIDIA A100 PCIe 80GB") && e.contains("NVIDIA A100 SXM4 80GB"));
    }

    #[test]
    fn unknown_name_suggests_closest() {
        let e = find_gpu("A100 SXM5 80GB")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("unknown GPU"), "{e}");
        assert!(e.contains("did you mean \"NVIDIA A100 SXM4 80GB\""), "{e}");
    }
}
