//! Impacts a scenario gives instead of a bill of materials: an `other` part's figures, and a
//! node kind's `embodied` totals taken from another study, allocated without recomputing.

use super::{Component, GroupEmbodied, NodeKindPath};
use crate::data::component::ComponentKind;
use crate::data::provenance::Trail;
use crate::error::Result;
use crate::quantity::impacts::{Criterion, Gaps, Impacts};
use crate::quantity::tape::{Tape, Var};
use crate::scenario::{DirectEmbodied, Loaded, NodeGroup};
use std::sync::Arc;

/// The embodied impacts of node kind `base`, `g`, given by its totals `e`: one node's, each
/// criterion an uncertain input of `tape`, the node itself its one part. The source is cited
/// and the assumption recorded in `trail`; an error when no criterion is given.
// inline: built where `of_group` returns it, as when this was its branch (a call returning the
// node kind's impacts cost an in-process assessment of the seed 190 instructions)
#[inline]
pub(super) fn of_totals<'t>(
    loaded: &Loaded,
    g: &NodeGroup,
    e: &DirectEmbodied,
    base: NodeKindPath,
    trail: &mut Trail,
    tape: &'t Tape,
) -> Result<GroupEmbodied<'t>> {
    let texts = given_texts(g, base);
    trail.cite_text(
        Arc::clone(&texts[GIVEN_CITED]),
        Arc::clone(&texts[GIVEN_SOURCE]),
    );
    trail.assume(Arc::clone(&texts[GIVEN_ASSUMED]));
    let (node_total, not_assessed) = crate::quantity::input::given_per_criterion(
        tape,
        [
            e.gwp_kgco2eq.as_ref(),
            e.adp_kgsbeq.as_ref(),
            e.pe_mj.as_ref(),
            e.water_m3.as_ref(),
        ],
        |c| format!("{base}.embodied.{}", given_key(c)),
        |c| Arc::clone(&texts[c as usize]),
    )
    .ok_or_else(|| {
        loaded.error_at(
            &format!("{base}.embodied"),
            format!("node kind \"{}\" gives no embodied impact", g.name),
            Some(
                "give gwp_kgco2eq (and adp_kgsbeq, pe_mj to assess ADP and PE) of one node".into(),
            ),
        )
    })?;
    Ok(GroupEmbodied {
        components: Vec::new(),
        given_part: Some(Component {
            not_assessed: not_assessed.clone(),
            component: ComponentKind::Node,
            name: Arc::clone(&texts[GIVEN_COMPONENT]),
            units: 1,
            manufacture: node_total.intervals(),
        }),
        node_total,
        given_source: Some(Arc::clone(&texts[GIVEN_SOURCE])),
        not_assessed,
    })
}

/// The impacts a scenario gives for some criteria (an `other` part, a node's `embodied` totals),
/// each an uncertain input named `{prefix}{key}`; a criterion left out is not assessed, "`what`
/// gives no ADP figure". `None` when no criterion is given.
pub(super) fn given_impacts<'t>(
    tape: &'t Tape,
    given: [Option<&crate::scenario::NonNeg>; 4],
    prefix: impl std::fmt::Display,
    what: impl std::fmt::Display,
) -> Option<(Impacts<Var<'t>>, Gaps)> {
    let key = given_key;
    crate::quantity::input::given_per_criterion(
        tape,
        given,
        |c| format!("{prefix}{}", key(c)),
        |c| given_reason(&what, c),
    )
}

/// The field of a criterion's figure in the impacts a scenario gives (`embodied`, an `other`
/// part).
fn given_key(c: Criterion) -> &'static str {
    match c {
        Criterion::Gwp => "gwp_kgco2eq",
        Criterion::Adp => "adp_kgsbeq",
        Criterion::Pe => "pe_mj",
        Criterion::Water => "water_m3",
    }
}

/// The texts of a node kind given by its totals, at these places after the four reasons of the
/// criteria it may lack (in the order of [`Criterion::ALL`]): the id of its source, the
/// assumption that says where its totals come from, the name of its one component, its source.
const GIVEN_CITED: usize = 4;
const GIVEN_ASSUMED: usize = 5;
const GIVEN_COMPONENT: usize = 6;
const GIVEN_SOURCE: usize = 7;

/// The texts of node kind `base`, `g`, given by its totals: written by the first assessment of
/// the loaded scenario, shared by the later ones.
fn given_texts(g: &NodeGroup, base: NodeKindPath) -> &[Arc<str>] {
    g.texts.get_or_init(|| {
        let source = g.embodied.as_ref().map_or("", |e| e.source.as_str());
        let what = format!("node kind \"{}\" ({base}.embodied)", g.name);
        let mut texts: Vec<Arc<str>> = Criterion::ALL
            .iter()
            .map(|&c| given_reason(&what, c).into())
            .collect();
        texts.push(format!("scenario: {}", g.name).into());
        texts.push(format!(
            "node \"{}\": embodied impacts given in the scenario ({source}), allocated without recomputing",
            g.name
        ).into());
        texts.push(format!("{} (given totals)", g.name).into());
        texts.push(source.into());
        texts
    })
}

/// Why criterion `c` is not assessed for `what`, which gives impacts without it.
fn given_reason(what: impl std::fmt::Display, c: Criterion) -> String {
    match c {
        Criterion::Water => format!("not covered: {what} gives no water figure (water_m3)"),
        _ => format!("{what} gives no {} figure ({})", c.label(), given_key(c)),
    }
}
