//! A trace file, read with `trace::read`. The first byte picks the format (0: detected from
//! the header, 1..=7: nvidia-smi, rapl, alumet, codecarbon, jetson-stats, kwollect, generic),
//! the second the reading options (window, gap threshold and policy, idle power, checkpoints,
//! power bins, header-less columns, the generic columns); the rest is the file. A summary must
//! hold finite figures.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlca::energy::trace::{read, TraceOptions};
use mlca::quantity::time::Stamp;
use mlca::scenario::{GapPolicy, GenericSpec, InputFormat, TimeFormat, ValueKind};
use std::io::Write;

const FORMATS: [Option<InputFormat>; 8] = [
    None,
    Some(InputFormat::NvidiaSmi),
    Some(InputFormat::Rapl),
    Some(InputFormat::Alumet),
    Some(InputFormat::Codecarbon),
    Some(InputFormat::JetsonStats),
    Some(InputFormat::Kwollect),
    Some(InputFormat::Generic),
];

fn generic(sel: u8) -> GenericSpec {
    // the three generic fixtures, and a fourth with odd choices
    match sel % 4 {
        0 => GenericSpec {
            time_column: "t_ms".into(),
            time_format: TimeFormat::UnixMs,
            value_column: "p_mw".into(),
            unit: "mW".into(),
            value_kind: ValueKind::Power,
            device_column: Some("dev".into()),
            component: mlca::scenario::GenericComponent::Gpu,
            delimiter: Some(';'),
        },
        1 => GenericSpec {
            time_column: "elapsed".into(),
            time_format: TimeFormat::ElapsedS,
            value_column: "kwh".into(),
            unit: "kWh".into(),
            value_kind: ValueKind::Cumulative,
            device_column: None,
            component: mlca::scenario::GenericComponent::Node,
            delimiter: None,
        },
        2 => GenericSpec {
            time_column: "time".into(),
            time_format: TimeFormat::Iso8601,
            value_column: "wh".into(),
            unit: "Wh".into(),
            value_kind: ValueKind::Interval,
            device_column: None,
            component: mlca::scenario::GenericComponent::Node,
            delimiter: None,
        },
        _ => GenericSpec {
            time_column: "t".into(),
            time_format: [TimeFormat::UnixS, TimeFormat::UnixUs, TimeFormat::UnixNs]
                [sel as usize / 4 % 3],
            value_column: "t".into(),
            unit: "uJ".into(),
            value_kind: ValueKind::Cumulative,
            device_column: Some("t".into()),
            component: mlca::scenario::GenericComponent::Other,
            delimiter: Some('\t'),
        },
    }
}

fn options(format: Option<InputFormat>, sel: u8) -> TraceOptions {
    let base = 1_740_924_000;
    let mut o = TraceOptions {
        format,
        threads: 1,
        ..TraceOptions::default()
    };
    if sel & 1 != 0 {
        o.start = Some(Stamp {
            secs: base,
            frac: 0.5,
        });
        o.end = Some(Stamp {
            secs: base + 3,
            frac: 0.0,
        });
    }
    if sel & 2 != 0 {
        o.gap_threshold_s = Some(0.5);
        o.gap_policy =
            [GapPolicy::Interpolate, GapPolicy::Hold, GapPolicy::Missing][(sel >> 5) as usize % 3];
    }
    if sel & 4 != 0 {
        o.idle_power_w = Some(10.0);
    } else if sel & 8 != 0 {
        o.idle_start = Some(Stamp {
            secs: base,
            frac: 0.0,
        });
        o.idle_end = Some(Stamp {
            secs: base + 1,
            frac: 0.0,
        });
    }
    if sel & 16 != 0 {
        o.checkpoints = Some(vec![
            Stamp {
                secs: base,
                frac: 0.0,
            },
            Stamp {
                secs: base + 1,
                frac: 0.5,
            },
            Stamp {
                secs: base + 2,
                frac: 0.0,
            },
        ]);
        o.power_bins = Some(3);
    }
    if sel & 128 != 0 {
        o.columns = Some(vec![
            "timestamp".into(),
            "index".into(),
            "power.draw [W]".into(),
        ]);
        o.rapl_max_energy_range_uj = Some(262_143_328_850.0);
        o.metric = Some("wattmetre_power_watt".into());
    }
    if format == Some(InputFormat::Generic) {
        o.generic = Some(generic(sel >> 1));
    }
    o
}

fn finite(what: &str, x: f64) {
    assert!(x.is_finite(), "{what} is not finite: {x}");
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let format = FORMATS[(data[0] % 8) as usize];
    let opts = options(format, data[1]);
    let mut f = match tempfile::NamedTempFile::new() {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    if f.write_all(&data[2..]).and_then(|()| f.flush()).is_err() {
        return;
    }
    let Ok(s) = read(f.path(), &opts) else {
        return;
    };
    finite("energy", s.energy_kwh.value);
    finite("energy low", s.energy_kwh.min);
    finite("energy high", s.energy_kwh.max);
    finite("duration", s.duration_s);
    for d in &s.devices {
        finite("device energy", d.energy_kwh.value);
        finite("device low", d.energy_kwh.min);
        finite("device high", d.energy_kwh.max);
        finite("device mean power", d.mean_power_w);
        finite("device max power", d.max_power_w);
        finite("device duration", d.duration_s);
        if let Some(e) = &d.dynamic_energy_kwh {
            finite("device dynamic energy", e.value);
        }
        for b in d.bins_j.iter().chain(&d.power_bins_j) {
            finite("bin", *b);
        }
    }
    if let Some(e) = &s.dynamic_energy_kwh {
        finite("dynamic energy", e.value);
    }
});
