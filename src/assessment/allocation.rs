//! Allocation of embodied impacts by time: a run of T_FU hours carries
//! T_FU / (AUR x L) of a node's embodied impacts, AUR the active utilization rate and L the
//! lifetime (h), capped at the whole node. Written over any [`Quantity`], so that the share is
//! tracked on the Monte Carlo tape in an assessment.

use crate::quantity::interval::{Interval, Quantity};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct AllocationReport {
    pub lifetime_h: Interval,
    pub active_utilization_rate: Interval,
    /// T_FU / (AUR x lifetime), capped at 1, for the whole run (before dividing by count);
    /// `null` without a duration (devices charged per device-hour only).
    pub share_of_node_life: Option<Interval>,
}

/// T_FU / (AUR x L), capped at 1: the share of the node's active life the run used.
pub fn allocation_share<Q: Quantity>(duration_h: Q, aur: Q, lifetime_h: Q) -> Q {
    duration_h.over(aur.times(lifetime_h)).cap(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_by_hand() {
        // 0.49 h / (0.5 x 35040 h) = 2.7968e-5
        let s = allocation_share(
            Interval::exact(0.49),
            Interval::exact(0.5),
            Interval::exact(35040.0),
        );
        assert!((s.value - 0.49 / 17520.0).abs() < 1e-15);
        // bounds: min uses the largest AUR and lifetime
        let s = allocation_share(
            Interval::exact(10.0),
            Interval::new(0.5, 0.25, 1.0),
            Interval::exact(100.0),
        );
        assert_eq!(s, Interval::new(0.2, 0.1, 0.4));
    }

    #[test]
    fn allocation_is_capped_at_the_whole_node() {
        let s = allocation_share(
            Interval::exact(100.0),
            Interval::new(0.5, 0.1, 1.0),
            Interval::exact(100.0),
        );
        assert_eq!(s, Interval::new(1.0, 1.0, 1.0));
    }
}
