//! Layer 4, embodied: manufacture impacts of a node's bill of materials, by one of three methods
//! ([`boavizta`] BoaviztAPI 2.5.0, the default; [`mlca2024`]; [`ecologits`]). The BoaviztAPI 2.5.0 method
//! (<https://doc.api.boavizta.org/>), with its factors from impact-data.
//!
//! Per component, for each criterion (GWP kgCO2eq, ADP kgSbeq, PE MJ):
//! - CPU: (die_mm2 x F_die + F_base) x units
//! - RAM, SSD: (capacity_gb / density_gb_per_cm2 x F_die + F_base) x units
//! - HDD: F x units; motherboard: F x units; assembly: F
//! - power supply: mass_kg x F x units
//! - case: rack F_rack, or blade F_blade_server + F_enclosure / 16
//! - GPU: (casing_kg x F_casing + heatsink_kg x F_heatsink + pcb_cm2 x F_pcb +
//!   effective_die_mm2 x F_die + effective_vram_mm2 x F_vram + mass_kg x F_upstream +
//!   mass_kg x (boat_km F_boat + truck_km F_truck + plane_km F_plane) + mass_kg x F_eol) x
//!   units, effective areas from the wafer and yield model ([`effective_area_mm2`]).
//! - bare PCB: area_cm2 x F_pcb(GPU) x units; other parts: their given impacts x units.
//!
//! Bounds follow the method: every input interval is taken at its monotone extreme. Unlike
//! BoaviztAPI, counts are exact (never a range), so no bound is multiplied by the wrong count.
//!
//! [`Embodied`] holds the Monte Carlo [`Tape`] of the assessment: the scenario's uncertain
//! quantities and the named defaults become its parameters, and the components' impacts are
//! tracked quantities (`Component<Var>`); [`Component::intervals`] gives the reported form.

use crate::data::component::ComponentKind;
use crate::data::provenance::Trail;
use crate::data::{GpuSpec, ImpactData};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::impacts::{AssessedImpacts, Criterion, Gaps, Impacts, Triple};
use crate::quantity::interval::{Interval, Quantity};
use crate::quantity::tape::{Tape, Var};
use crate::scenario::{Bom, CaseType, GpuPart};
use crate::scenario::{EmbodiedMethod, Loaded, NodeGroup};
use std::collections::BTreeMap;
use std::sync::Arc;
pub mod boavizta;
pub(crate) mod cloud;
pub mod device;
pub mod ecologits;
mod given;
pub mod mlca2024;

pub use boavizta::{
    cpu_impacts, die_impacts, effective_area_mm2, gpu_impacts, GpuFactors, GpuQuantities, Wafer,
};

use serde::Serialize;

/// One line of a bill of materials with its manufacture impacts (all its units, one node), as
/// intervals (`Q` = [`Interval`], reported) or tracked on a tape (`Q` = [`Var`]).
#[derive(Debug, Clone)]
pub struct Component<Q = Interval> {
    pub component: ComponentKind,
    /// Shared (`Arc<str>`) with the report's breakdown row, and with the scenario where it
    /// comes from there.
    pub name: Arc<str>,
    pub units: u32,
    pub manufacture: Impacts<Q>,
    /// The criteria the part's figures lack (a part given with its GWP only, a part without
    /// water data): not assessed.
    pub not_assessed: Gaps,
}

/// JSON form: `component`, `name`, `units` and `manufacture`, a criterion the part lacks `null`
/// with its reason (never 0).
impl<Q: Quantity> Serialize for Component<Q> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Component", 4)?;
        st.serialize_field("component", &self.component)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("units", &self.units)?;
        st.serialize_field(
            "manufacture",
            &AssessedImpacts::new(self.manufacture.intervals(), &self.not_assessed),
        )?;
        st.end()
    }
}

impl<Q: Quantity> Component<Q> {
    /// The component with its impacts as intervals.
    pub fn intervals(&self) -> Component {
        Component {
            not_assessed: self.not_assessed.clone(),
            component: self.component,
            name: Arc::clone(&self.name),
            units: self.units,
            manufacture: self.manufacture.intervals(),
        }
    }
}

/// Embodied impacts of one node, with its uncertain inputs registered on `tape`.
pub struct Embodied<'a, 't> {
    data: &'a ImpactData,
    tape: &'t Tape,
    pub method: EmbodiedMethod,
    pub trail: Trail,
}

fn at(path: String) -> impl FnOnce(Error) -> Error {
    move |e| match e {
        Error::Input(mut d) if d.field.is_none() => {
            d.field = Some(path);
            Error::Input(d)
        }
        e => e,
    }
}

fn missing(path: String, msg: String, hint: &str) -> Error {
    Error::input(Diagnostic::new(msg).field(path).hint(hint))
}

impl<'a, 't> Embodied<'a, 't> {
    pub fn new(data: &'a ImpactData, tape: &'t Tape) -> Self {
        Self::with_method(data, EmbodiedMethod::Boavizta25, tape)
    }

    pub fn with_method(data: &'a ImpactData, method: EmbodiedMethod, tape: &'t Tape) -> Self {
        Embodied {
            data,
            tape,
            method,
            trail: Trail::default(),
        }
    }

    pub(super) fn method_factor(&mut self, method: &str, id: &str) -> Result<Triple> {
        let f = self
            .data
            .method_factors()?
            .get(&format!("{method}/{id}"))
            .cloned()
            .ok_or_else(|| {
                Error::input(Diagnostic::new(format!(
                    "impact data has no factor {id} of method {method} (other-methods.csv)"
                )))
            })?;
        self.trail.cite(self.data, &f.source_id);
        Ok(Triple {
            gwp: f.gwp_kgco2eq,
            adp: f.adp_kgsbeq,
            pe: f.pe_mj,
            water: None,
        })
    }

    pub(super) fn factor(&mut self, id: &str) -> Result<Triple> {
        let f = self.data.factor(id)?;
        self.trail.cite(self.data, &f.source_id.clone());
        Ok(f.triple())
    }

    /// A default value, named in the assumptions with `what` it stands for.
    pub(super) fn default(&mut self, id: &str, what: &str) -> Result<Var<'t>> {
        let d = self.data.default(id)?.clone();
        self.trail.cite(self.data, &d.source_id);
        self.trail.applied(&d, what);
        let range = if d.min != d.max {
            format!(" ({} to {})", d.min, d.max)
        } else {
            String::new()
        };
        let interval = self
            .tape
            .param(&format!("default {id} ({what})"), d.interval(), None);
        self.trail.assume(format!(
            "{what}: default {} {}{range} [{}] ({})",
            crate::quantity::format::exact(d.value),
            d.unit,
            d.source_id,
            d.note
        ));
        Ok(interval)
    }

    pub(super) fn wafer(&mut self) -> Result<Wafer> {
        let g = |s: &mut Self, id: &str| -> Result<f64> {
            let d = s.data.default(id)?;
            let v = d.value;
            let sid = d.source_id.clone();
            s.trail.cite(s.data, &sid);
            Ok(v)
        };
        Ok(Wafer {
            diameter_mm: g(self, "wafer.diameter")?,
            kerf_mm: g(self, "wafer.kerf")?,
            defect_density_per_cm2: g(self, "wafer.defect_density")?,
        })
    }

    /// The components of a bill of materials. `path_of(list)` gives the field path of a part list
    /// (`infrastructure[0].bom.gpus`) for errors.
    pub fn bom(
        &mut self,
        bom: &Bom,
        path_of: &dyn Fn(&str) -> String,
    ) -> Result<Vec<Component<Var<'t>>>> {
        if self.method == EmbodiedMethod::Ecologits {
            return self.ecologits(bom, path_of);
        }
        if let Some(case) = bom.server {
            self.trail.assume(format!(
                "server shorthand at {}: {} case, motherboard and assembly step added, as BoaviztAPI's server (unless given)",
                path_of("server"),
                match case {
                    CaseType::Rack => "rack",
                    CaseType::Blade => "blade",
                }
            ));
        }
        let bom = &bom.with_server_parts();
        let mut out = Vec::new();
        for (i, p) in bom.cpus.iter().flatten().enumerate() {
            out.push(self.cpu(p, format!("{}[{i}]", path_of("cpus")))?);
        }
        for (i, p) in bom.gpus.iter().flatten().enumerate() {
            out.push(self.gpu(p, format!("{}[{i}]", path_of("gpus")))?);
        }
        for (i, p) in bom.ram.iter().flatten().enumerate() {
            out.push(self.ram(p, format!("{}[{i}]", path_of("ram")))?);
        }
        for (i, p) in bom.ssd.iter().flatten().enumerate() {
            out.push(self.ssd(p, format!("{}[{i}]", path_of("ssd")))?);
        }
        for p in bom.hdd.iter().flatten() {
            let f = self.factor("hdd.unit")?;
            out.push(Component {
                not_assessed: Gaps::water_not_covered("an HDD"),
                component: ComponentKind::Hdd,
                name: "HDD".into(),
                units: p.units.0,
                manufacture: Impacts::of(f, Var::from(Interval::exact(p.units.0 as f64))),
            });
        }
        for (i, p) in bom.power_supplies.iter().flatten().enumerate() {
            let f = self.factor("power_supply.mass")?;
            let mass = match p.mass_kg {
                Some(m) => m.param(
                    self.tape,
                    &format!("{}[{i}].mass_kg", path_of("power_supplies")),
                ),
                None => self.default("power_supply.mass", "power supply mass not given")?,
            };
            out.push(Component {
                not_assessed: Gaps::water_not_covered("a power supply"),
                component: ComponentKind::PowerSupply,
                name: "power supply".into(),
                units: p.units.0,
                manufacture: Impacts::of(f, mass.scale(p.units.0 as f64)),
            });
        }
        if let Some(case) = bom.case {
            let one = Var::from(Interval::exact(1.0));
            let manufacture = match case {
                CaseType::Rack => Impacts::of(self.factor("case.rack")?, one),
                CaseType::Blade => {
                    let server = self.factor("case.blade_server")?;
                    let enclosure = self.factor("case.blade_enclosure_16_slots")?;
                    Impacts::of(server, one)
                        + Impacts::of(enclosure, Var::from(Interval::exact(1.0 / 16.0)))
                }
            };
            let name = match case {
                CaseType::Rack => "rack case",
                CaseType::Blade => "blade case (1/16 of a 16-slot enclosure)",
            };
            out.push(Component {
                not_assessed: Gaps::water_not_covered("a case"),
                component: ComponentKind::Case,
                name: name.into(),
                units: 1,
                manufacture,
            });
        }
        if let Some(n) = bom.motherboards.filter(|n| *n > 0) {
            let f = self.factor("motherboard.unit")?;
            out.push(Component {
                not_assessed: Gaps::water_not_covered("a motherboard"),
                component: ComponentKind::Motherboard,
                name: "motherboard".into(),
                units: n,
                manufacture: Impacts::of(f, Var::from(Interval::exact(n as f64))),
            });
        }
        if bom.assembly == Some(true) {
            let f = self.factor("assembly.unit")?;
            out.push(Component {
                not_assessed: Gaps::water_not_covered("the server assembly"),
                component: ComponentKind::Assembly,
                name: "server assembly".into(),
                units: 1,
                manufacture: Impacts::of(f, Var::from(Interval::exact(1.0))),
            });
        }
        for p in bom.pcbs.iter().flatten() {
            let f = self.factor("gpu.pcb")?;
            out.push(Component {
                not_assessed: Gaps::none(),
                component: ComponentKind::Pcb,
                name: p
                    .name
                    .as_deref()
                    .map_or_else(|| "printed circuit board".into(), Arc::from),
                units: p.units.0,
                manufacture: Impacts::of(f, Var::from(p.area_cm2.0.scale(p.units.0 as f64))),
            });
        }
        for (i, p) in bom.other.iter().flatten().enumerate() {
            let path = format!("{}[{i}]", path_of("other"));
            let (one, not_assessed) = given::given_impacts(
                self.tape,
                [
                    p.gwp_kgco2eq.as_ref(),
                    p.adp_kgsbeq.as_ref(),
                    p.pe_mj.as_ref(),
                    p.water_m3.as_ref(),
                ],
                format_args!("other {} ", p.name),
                format_args!("part \"{}\" ({path})", p.name),
            )
            .ok_or_else(|| {
                missing(
                    path.clone(),
                    format!("part \"{}\" gives no impact", p.name),
                    "give gwp_kgco2eq (and adp_kgsbeq, pe_mj to assess ADP and PE) of one unit",
                )
            })?;
            self.trail.cite_text(
                format!("scenario: {}", p.name).into(),
                p.source.as_str().into(),
            );
            out.push(Component {
                not_assessed,
                component: ComponentKind::Other,
                name: p.name.as_str().into(),
                units: p.units.0,
                manufacture: one.scale(p.units.0 as f64),
            });
        }
        check_parts(&out, path_of)?;
        Ok(out)
    }

    pub fn gpu(&mut self, p: &GpuPart, path: String) -> Result<Component<Var<'t>>> {
        let spec = match &p.model {
            Some(m) => Some(self.data.find_gpu(m).map_err(at(format!("{path}.model")))?),
            None => None,
        };
        if let Some(s) = spec {
            self.trail.cite(self.data, &s.source_id);
        }
        if self.method == EmbodiedMethod::Ecologits {
            return self.gpu_ecologits(p, spec);
        }
        if self.method == EmbodiedMethod::Mlca2024 {
            let name = p
                .name
                .clone()
                .or_else(|| spec.map(|s| s.name.clone()))
                .unwrap_or_else(|| "GPU".into());
            return self
                .gpu_mlca(p, spec, &path, name)
                .map_err(at(path.clone()));
        }
        self.gpu_boavizta(p, spec, path)
    }
}

/// A GPU's VRAM capacity, GB: the part's (an uncertain input of `tape`), else the catalog's.
fn vram_gb<'t>(
    tape: &'t Tape,
    p: &GpuPart,
    spec: Option<&GpuSpec>,
    path: &str,
    label: &str,
    hint: &str,
) -> Result<Var<'t>> {
    match (p.vram_gb, spec.and_then(|s| s.vram_gb)) {
        (Some(v), _) => Ok(v.param(tape, &format!("{path}.vram_gb"))),
        (None, Some(v)) => Ok(Var::from(Interval::exact(v))),
        (None, None) => Err(missing(
            path.to_string(),
            format!("the VRAM capacity of GPU \"{label}\" is not known"),
            hint,
        )),
    }
}

/// The embodied impacts of one node kind: its components (as reported) and the total of one node
/// (tracked on the tape).
pub struct GroupEmbodied<'t> {
    pub components: Vec<Component>,
    /// Given totals' one part (the node itself), not in `components`: no list made for it.
    pub given_part: Option<Component>,
    pub node_total: Impacts<Var<'t>>,
    /// The source of the totals when the scenario gives them (`embodied`), not computed.
    pub given_source: Option<Arc<str>>,
    /// The criteria a part or the given totals lack: not assessed.
    pub not_assessed: Gaps,
}

/// The embodied impacts of node kind `i` of the scenario: given totals, a catalog node (with its
/// part lists overridden by the scenario's `bom`), or a bill of materials. Uncertain inputs are
/// registered on `tape`.
pub fn of_group<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    g: &NodeGroup,
    i: usize,
    trail: &mut Trail,
    tape: &'t Tape,
) -> Result<GroupEmbodied<'t>> {
    // the field path, written only where it is shown (a node kind given by its totals needs it
    // only for an error or a missing criterion)
    let base = NodeKindPath(i);
    let set = [
        g.catalog.is_some(),
        g.instance.is_some(),
        g.bom.is_some() && g.catalog.is_none() && g.instance.is_none(),
        g.embodied.is_some(),
    ];
    if g.catalog.is_some() && g.instance.is_some() {
        return Err(loaded.error_at(
            &format!("{base}.instance"),
            "a node kind names both a `catalog` node and a cloud `instance`",
            Some("keep one: the instance brings its host platform's bill of materials".into()),
        ));
    }
    if g.embodied.is_some() && (g.catalog.is_some() || g.bom.is_some() || g.instance.is_some()) {
        return Err(loaded.error_at(
            &format!("{base}.embodied"),
            "a node kind gives `embodied` totals and also a `catalog` or `bom`",
            Some("keep `embodied` to allocate another study's totals, or remove it to compute them from the bill of materials".into()),
        ));
    }
    if !set.iter().any(|b| *b) {
        return Err(loaded.error_at(
            &base.to_string(),
            format!("node kind \"{}\" has no hardware", g.name),
            Some("give `catalog: NAME` (see `mlca hardware list --kind node`), `instance: PROVIDER ID` (a cloud instance), a `bom`, or `embodied` totals".into()),
        ));
    }
    if let Some(e) = &g.embodied {
        return given::of_totals(loaded, g, e, base, trail, tape);
    }
    let base = base.to_string();
    let method = loaded
        .scenario
        .embodied_method
        .unwrap_or(EmbodiedMethod::Boavizta25);
    let mut em = Embodied::with_method(data, method, tape);
    let components = if let Some(name) = &g.instance {
        cloud::instance(loaded, data, &mut em, name, g.bom.as_ref(), &base)
    } else if let Some(cat) = &g.catalog {
        let node = data
            .find_node(cat)
            .map_err(|e| loaded.locate_error(e, &format!("{base}.catalog")))?;
        em.trail.cite(data, &node.source_id);
        for a in &node.assumptions {
            em.trail.assume(a.clone());
        }
        for n in &node.not_included {
            em.trail.assume(format!("{}: not included: {n}", node.name));
            em.trail.leave_out(&node.name, n);
        }
        let over = g.bom.clone().unwrap_or_default();
        let bom = node.bom.overridden_by(&over);
        let catalog = format!("{base}.catalog");
        let path_of = |list: &str| override_path(&over, &base, list, &catalog);
        em.bom(&bom, &path_of)
    } else {
        let bom = g.bom.clone().unwrap_or_default();
        em.bom(&bom, &|list: &str| format!("{base}.bom.{list}"))
    }
    .map_err(|e| locate_field(loaded, e))?;
    for a in em.trail.assumptions.drain(..) {
        trail.assume(a);
    }
    for w in em.trail.warnings.drain(..) {
        trail.warn(w);
    }
    trail.sources.append(&mut em.trail.sources);
    for d in em.trail.defaults.drain(..) {
        trail.applied(&d.default, &d.what);
    }
    for l in em.trail.left_out.drain(..) {
        trail.leave_out(&l.node, &l.part);
    }
    if components.is_empty() {
        return Err(loaded.error_at(
            &format!("{base}.bom"),
            format!("node kind \"{}\" has an empty bill of materials", g.name),
            None,
        ));
    }
    let node_total = components.iter().map(|c| c.manufacture).sum();
    // the sum of one part's gaps is its gaps (nothing joined)
    let not_assessed = match components.as_slice() {
        [one] => one.not_assessed.clone(),
        all => Gaps::of_sum(all.iter().map(|c| &c.not_assessed)),
    };
    Ok(GroupEmbodied {
        components: components.iter().map(Component::intervals).collect(),
        given_part: None,
        node_total,
        given_source: None,
        not_assessed,
    })
}

/// The field path of node kind `.0` of the scenario, `infrastructure[0]`.
#[derive(Clone, Copy)]
pub(super) struct NodeKindPath(usize);

impl std::fmt::Display for NodeKindPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "infrastructure[{}]", self.0)
    }
}

/// The field path of part list `list` of a node kind at `base` whose bill of materials is
/// `otherwise` (its catalog node or cloud instance) with the scenario's `over` part lists:
/// `{base}.bom.{list}` for a list the scenario gives, else `otherwise`.
pub(crate) fn override_path(over: &Bom, base: &str, list: &str, otherwise: &str) -> String {
    let given = match list {
        "cpus" => over.cpus.is_some(),
        "gpus" => over.gpus.is_some(),
        "ram" => over.ram.is_some(),
        "ssd" => over.ssd.is_some(),
        _ => false,
    };
    if given {
        format!("{base}.bom.{list}")
    } else {
        otherwise.to_string()
    }
}

/// Each part's embodied impacts finite, or an input error at the part: an input too large for
/// its formula (a board area of 1e308 cm2) overflows to infinity. Parts come in list order, one
/// per entry, so the n-th part of a kind is entry n of its list.
fn check_parts(parts: &[Component<Var<'_>>], path_of: &dyn Fn(&str) -> String) -> Result<()> {
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    for c in parts {
        let list = match c.component {
            ComponentKind::Cpu => "cpus",
            ComponentKind::Gpu => "gpus",
            ComponentKind::Ram => "ram",
            ComponentKind::Ssd => "ssd",
            ComponentKind::Hdd => "hdd",
            ComponentKind::PowerSupply => "power_supplies",
            ComponentKind::Pcb => "pcbs",
            ComponentKind::Other => "other",
            ComponentKind::Case => "case",
            ComponentKind::Motherboard => "motherboards",
            ComponentKind::Assembly => "assembly",
            _ => "",
        };
        let n = seen.entry(list).or_insert(0);
        let index = *n;
        *n += 1;
        for cr in Criterion::ALL {
            let v = c.manufacture.get(cr).interval();
            if !(v.value.is_finite() && v.min.is_finite() && v.max.is_finite()) {
                let field = match list {
                    "" => String::new(),
                    "case" | "motherboards" | "assembly" => path_of(list),
                    _ => format!("{}[{index}]", path_of(list)),
                };
                return Err(missing(
                    field,
                    format!(
                        "the embodied {} of {} ({} unit(s)) is {} {}, not a finite number: an input of this part is too large",
                        cr.label(),
                        c.name,
                        c.units,
                        v.max,
                        cr.unit()
                    ),
                    "check the part's areas, masses, capacities and units (a typing error of several orders of magnitude?)",
                ));
            }
        }
    }
    Ok(())
}

/// Locate an error that names its field path.
pub(crate) fn locate_field(loaded: &Loaded, e: Error) -> Error {
    match e {
        Error::Input(d) if d.file.is_none() => {
            let path = d.field.clone().unwrap_or_default();
            loaded.error_at(&path, d.message.clone(), d.hint.clone())
        }
        e => e,
    }
}
