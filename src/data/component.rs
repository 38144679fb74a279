//! The kind of a component in a report: the `component` column of the embodied breakdown (one
//! line of a bill of materials, a whole node given as totals, a GPU-less server) and of the
//! energy per component (a TDP declaration, a trace's device). Serialized as its name.

use serde::Serialize;

/// What a line of the embodied breakdown or of the energy per component is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Cpu,
    Gpu,
    Ram,
    Ssd,
    Hdd,
    PowerSupply,
    Case,
    Motherboard,
    Assembly,
    /// A bare printed circuit board.
    Pcb,
    /// Another part with given impacts, or another device of a trace.
    Other,
    /// A GPU-less server (the EcoLogits method).
    Server,
    /// A whole node: given totals, or a node-level meter.
    Node,
    /// Memory measured by a trace (RAPL, CodeCarbon).
    Dram,
    /// Memory declared by its power (TDP method).
    Memory,
    /// A rail of a board measured by a trace.
    Rail,
}

impl ComponentKind {
    /// The name, as the reports write it.
    pub fn key(self) -> &'static str {
        crate::choice::Choice::name(self)
    }

    /// The kind named `name`, if any.
    pub fn of_name(name: &str) -> Option<Self> {
        <Self as crate::choice::Choice>::from_name(name)
    }
}

crate::choice!(ComponentKind {
    Cpu => "cpu";
    Gpu => "gpu";
    Ram => "ram";
    Ssd => "ssd";
    Hdd => "hdd";
    PowerSupply => "power_supply";
    Case => "case";
    Motherboard => "motherboard";
    Assembly => "assembly";
    Pcb => "pcb";
    Other => "other";
    Server => "server";
    Node => "node";
    Dram => "dram";
    Memory => "memory";
    Rail => "rail";
});

impl std::fmt::Display for ComponentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choice::Choice;

    #[test]
    fn serde_names_are_the_old_strings() {
        let old = [
            "cpu",
            "gpu",
            "ram",
            "ssd",
            "hdd",
            "power_supply",
            "case",
            "motherboard",
            "assembly",
            "pcb",
            "other",
            "server",
            "node",
            "dram",
            "memory",
            "rail",
        ];
        assert_eq!(ComponentKind::ALL.len(), old.len());
        for (k, o) in ComponentKind::ALL.iter().zip(old) {
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::json!(o));
            assert_eq!(k.to_string(), o);
            assert_eq!(ComponentKind::of_name(o), Some(*k));
        }
    }
}
