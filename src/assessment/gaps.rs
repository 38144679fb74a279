//! The gaps of a sum ([`Gaps::of_sum`]) without writing its reasons again: water not assessed in
//! every term gets the terms' reasons joined, a new text each time. The sums are remembered on
//! each thread (the last few, by their terms' reasons), so that the assessments of one scenario
//! (a Monte Carlo's samples, a benchmark's rounds) share the joined text instead of writing it.

use super::remembered::same_text;
use crate::quantity::impacts::{Criterion, Gaps};
use std::cell::RefCell;

/// How many sums a thread remembers: an assessment makes two with joined reasons (the use
/// phase's water, the total's).
const REMEMBERED: usize = 8;

thread_local! {
    static SUMS: RefCell<Vec<(Vec<Gaps>, Gaps)>> = const { RefCell::new(Vec::new()) };
}

/// [`Gaps::of_sum`] of `terms`: the gaps of one term are its own; a sum remembered with the same
/// reasons (compared by their shared text first) is taken as it was made.
pub fn of_sum(terms: &[&Gaps]) -> Gaps {
    match terms {
        [] => return Gaps::none(),
        [one] => return (*one).clone(),
        _ if terms.iter().all(|t| t.is_empty()) => return Gaps::none(),
        _ => {}
    }
    SUMS.with(|sums| {
        let mut sums = sums.borrow_mut();
        let same = |kept: &[Gaps]| {
            kept.len() == terms.len() && kept.iter().zip(terms).all(|(k, t)| same_gaps(k, t))
        };
        if let Some((_, sum)) = sums.iter().find(|(kept, _)| same(kept)) {
            return sum.clone();
        }
        let sum = Gaps::of_sum(terms.iter().copied());
        if sums.len() == REMEMBERED {
            sums.remove(0);
        }
        sums.push((terms.iter().map(|t| (*t).clone()).collect(), sum.clone()));
        sum
    })
}

/// Whether `a` and `b` leave out the same criteria for the same reasons (each compared by its
/// shared text first).
fn same_gaps(a: &Gaps, b: &Gaps) -> bool {
    Criterion::ALL
        .into_iter()
        .all(|c| match (a.reason(c), b.reason(c)) {
            (None, None) => true,
            (Some(x), Some(y)) => same_text(x, y),
            _ => false,
        })
}

/// The gaps of the terms of a sum, gathered one by one: the first kept in place, a list made
/// only for a second (most sums of an assessment have one term: one node kind).
#[derive(Default)]
pub struct Terms {
    first: Option<Gaps>,
    more: Vec<Gaps>,
}

impl Terms {
    pub fn push(&mut self, g: Gaps) {
        match self.first {
            None => self.first = Some(g),
            Some(_) => self.more.push(g),
        }
    }

    /// [`Gaps::of_sum`] of the terms: the gaps of one term are its own, those of none none.
    pub fn sum(self) -> Gaps {
        match (self.first, self.more.is_empty()) {
            (None, _) => Gaps::none(),
            (Some(one), true) => one,
            (Some(first), false) => Gaps::of_sum(std::iter::once(&first).chain(&self.more)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_sum_is_the_sum() {
        let mut a = Gaps::none();
        a.add(Criterion::Water, "no WUE");
        let mut b = Gaps::none();
        b.add(Criterion::Water, "no WF");
        b.add(Criterion::Adp, "no ADP");
        for _ in 0..3 {
            let s = of_sum(&[&a, &b]);
            assert_eq!(s, Gaps::of_sum([&a, &b]));
            assert_eq!(s.reason(Criterion::Water), Some("no WUE; no WF"));
            assert_eq!(s.reason(Criterion::Adp), Some("no ADP"));
        }
        // the same texts in other strings: the same sum; other terms: their own
        let mut c = Gaps::none();
        c.add(Criterion::Water, String::from("no WUE"));
        assert_eq!(of_sum(&[&c, &b]), Gaps::of_sum([&a, &b]));
        assert_eq!(
            of_sum(&[&b, &a]).reason(Criterion::Water),
            Some("no WF; no WUE")
        );
        assert_eq!(of_sum(&[&a]), a);
        assert!(of_sum(&[]).is_empty());
        assert!(of_sum(&[&Gaps::none(), &Gaps::none()]).is_empty());
        for n in 0..2 * REMEMBERED {
            let mut d = Gaps::none();
            d.add(Criterion::Water, format!("reason {n}"));
            assert_eq!(of_sum(&[&a, &d]), Gaps::of_sum([&a, &d]));
        }
    }
}
