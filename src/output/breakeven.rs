//! `mlca breakeven`: the table of inference against training (terminal table, JSON, long CSV,
//! Markdown), each figure with its range.

use crate::assessment::breakeven::{BreakEven, ModelBreakEven};
use crate::error::{Error, Result};
use crate::output::{new_table, num, range, Format};
use crate::quantity::interval::Interval;

/// The formats of `mlca breakeven`.
pub const FORMATS: &[Format] = &[Format::Table, Format::Json, Format::Csv, Format::Markdown];

/// The break-even table in format `f` (one of [`FORMATS`]).
pub fn render(b: &BreakEven, f: Format) -> Result<String> {
    match f {
        Format::Table => Ok(table(b)),
        Format::Json => serde_json::to_string_pretty(b)
            .map(|s| s + "\n")
            .map_err(|e| Error::Internal(format!("JSON output: {e}"))),
        Format::Csv => csv(b),
        Format::Markdown => Ok(markdown(b)),
        _ => Err(Error::Internal(format!(
            "mlca breakeven writes no {}",
            crate::choice::Choice::name(f)
        ))),
    }
}

const HEADER: [&str; 5] = [
    "model",
    "training [kWh]",
    "fine-tuning [kWh]",
    "inference [kWh/request]",
    "break-even [requests]",
];

fn published(b: &BreakEven) -> bool {
    b.models
        .iter()
        .any(|m| m.published_break_even_requests.is_some())
}

fn deployed(b: &BreakEven) -> bool {
    b.models.iter().any(|m| m.deployment.is_some())
}

/// The published figure and the difference of the computed value from it.
fn published_cells(m: &ModelBreakEven) -> [String; 2] {
    match (
        m.published_break_even_requests,
        m.published_relative_difference,
    ) {
        (Some(p), d) => [
            count(p),
            format!(
                "{}{}",
                d.map_or_else(|| "–".into(), |d| format!("{:+.3} %", 100.0 * d)),
                if m.published_within_range == Some(true) {
                    " (within range)"
                } else {
                    " (outside range)"
                }
            ),
        ],
        (None, _) => ["–".into(), "–".into()],
    }
}

fn row(m: &ModelBreakEven, with_published: bool) -> Vec<String> {
    let mut r = vec![
        m.name.clone(),
        range(m.training_kwh),
        range(m.fine_tuning_kwh),
        range(m.inference_kwh_per_request),
        count_range(m.break_even_requests),
    ];
    if with_published {
        r.extend(published_cells(m));
    }
    r
}

fn header(with_published: bool) -> Vec<&'static str> {
    let mut h = HEADER.to_vec();
    if with_published {
        h.extend(["published [requests]", "difference"]);
    }
    h
}

const DEPLOYMENT_HEADER: [&str; 5] = [
    "model",
    "requests",
    "inference [kWh]",
    "training + fine-tuning + inference [kWh]",
    "inference share",
];

fn deployment_rows(b: &BreakEven) -> Vec<[String; 5]> {
    b.models
        .iter()
        .filter_map(|m| {
            m.deployment.as_ref().map(|d| {
                [
                    m.name.clone(),
                    count_range(d.requests),
                    range(d.inference_kwh),
                    range(d.lifetime_kwh),
                    percent(d.inference_share),
                ]
            })
        })
        .collect()
}

/// A number of requests in whole requests with thousands separators (592,570,000): a break-even
/// is read against published counts to the unit.
fn count(x: f64) -> String {
    if !(1.0..1e15).contains(&x) {
        return num(x);
    }
    let digits = format!("{x:.0}");
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// An interval written with `f`: `value [min – max]`, or the value alone when exact.
fn written(i: Interval, f: impl Fn(f64) -> String) -> String {
    if i.is_exact() {
        f(i.value)
    } else {
        format!("{} [{} – {}]", f(i.value), f(i.min), f(i.max))
    }
}

fn count_range(i: Interval) -> String {
    written(i, count)
}

const CRITERION_HEADER: [&str; 7] = [
    "model",
    "criterion",
    "training + fine-tuning",
    "inference per request",
    "break-even [requests]",
    "deployment: training + fine-tuning + inference",
    "inference share",
];

/// The break-even of each criterion, for the models whose parts are all scenarios, and with
/// `requests` the deployment's impacts.
fn criterion_rows(b: &BreakEven) -> Vec<[String; 7]> {
    b.models
        .iter()
        .flat_map(|m| {
            m.impacts.iter().map(|(k, c)| {
                let (life, share) = c.deployment.as_ref().map_or_else(
                    || ("–".to_string(), "–".to_string()),
                    |d| {
                        (
                            format!("{} {}", range(d.lifetime), c.unit),
                            percent(d.inference_share),
                        )
                    },
                );
                [
                    m.name.clone(),
                    k.clone(),
                    format!("{} {}", range(c.training_and_fine_tuning), c.unit),
                    format!("{} {}", range(c.inference_per_request), c.unit),
                    count_range(c.break_even_requests),
                    life,
                    share,
                ]
            })
        })
        .collect()
}

fn percent(i: Interval) -> String {
    written(i, |x| format!("{:.1} %", 100.0 * x))
}

fn preamble(b: &BreakEven) -> String {
    let mut s = String::new();
    if let Some(t) = &b.title {
        s.push_str(&format!("{t}\n"));
    }
    if let Some(src) = &b.source {
        s.push_str(&format!("source: {src}\n"));
    }
    s.push_str("break-even: (training + fine-tuning) / inference energy per request\n\n");
    s
}

fn assumptions(b: &BreakEven, bullet: &str) -> String {
    if b.assumptions.is_empty() {
        return String::new();
    }
    let mut s = String::from("\nAssumptions:\n");
    for a in &b.assumptions {
        s.push_str(&format!("{bullet}{a}\n"));
    }
    s
}

fn table(b: &BreakEven) -> String {
    let with = published(b);
    let mut t = new_table();
    t.set_header(header(with));
    for m in &b.models {
        t.add_row(row(m, with));
    }
    let mut s = preamble(b) + &t.to_string() + "\n";
    if deployed(b) {
        let mut d = new_table();
        d.set_header(DEPLOYMENT_HEADER);
        for r in deployment_rows(b) {
            d.add_row(r);
        }
        s.push_str(&format!("\nDeployment:\n{d}\n"));
    }
    let rows = criterion_rows(b);
    if !rows.is_empty() {
        let mut c = new_table();
        c.set_header(CRITERION_HEADER);
        for r in rows {
            c.add_row(r);
        }
        s.push_str(&format!(
            "\nBreak-even of each criterion (impacts of the scenarios):\n{c}\n"
        ));
    }
    s + &assumptions(b, "  - ")
}

fn md_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

fn md_table(h: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut s = md_row(&h.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    s.push_str(&md_row(&vec!["---".to_string(); h.len()]));
    for r in rows {
        s.push_str(&md_row(&r));
    }
    s
}

fn markdown(b: &BreakEven) -> String {
    let with = published(b);
    let rows = b.models.iter().map(|m| row(m, with)).collect();
    let mut s = preamble(b) + &md_table(&header(with), rows);
    if deployed(b) {
        let rows = deployment_rows(b).into_iter().map(Vec::from).collect();
        s.push_str(&format!(
            "\nDeployment:\n\n{}",
            md_table(&DEPLOYMENT_HEADER, rows)
        ));
    }
    let rows: Vec<Vec<String>> = criterion_rows(b).into_iter().map(Vec::from).collect();
    if !rows.is_empty() {
        s.push_str(&format!(
            "\nBreak-even of each criterion (impacts of the scenarios):\n\n{}",
            md_table(&CRITERION_HEADER, rows)
        ));
    }
    s + &assumptions(b, "- ")
}

fn csv(b: &BreakEven) -> Result<String> {
    let err = |e: ::csv::Error| Error::Internal(format!("CSV output: {e}"));
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["model", "quantity", "value", "min", "max", "unit"])
        .map_err(err)?;
    for m in &b.models {
        let mut rows = vec![
            ("training", m.training_kwh, "kWh"),
            ("fine_tuning", m.fine_tuning_kwh, "kWh"),
            (
                "inference_per_request",
                m.inference_kwh_per_request,
                "kWh/request",
            ),
            ("break_even", m.break_even_requests, "requests"),
        ];
        if let Some(p) = m.published_break_even_requests {
            rows.push(("published_break_even", Interval::exact(p), "requests"));
        }
        if let Some(d) = &m.deployment {
            rows.extend([
                ("deployment_requests", d.requests, "requests"),
                ("deployment_inference", d.inference_kwh, "kWh"),
                ("deployment_lifetime", d.lifetime_kwh, "kWh"),
                ("deployment_inference_share", d.inference_share, "fraction"),
            ]);
        }
        let names: Vec<String> = m
            .impacts
            .keys()
            .map(|k| format!("break_even_{k}"))
            .collect();
        let lives: Vec<String> = m
            .impacts
            .keys()
            .map(|k| format!("deployment_lifetime_{k}"))
            .collect();
        for ((q, life), c) in names.iter().zip(&lives).zip(m.impacts.values()) {
            rows.push((q.as_str(), c.break_even_requests, "requests"));
            if let Some(d) = &c.deployment {
                rows.push((life.as_str(), d.lifetime, c.unit));
            }
        }
        for (q, i, unit) in rows {
            w.write_record([
                m.name.as_str(),
                q,
                &i.value.to_string(),
                &i.min.to_string(),
                &i.max.to_string(),
                unit,
            ])
            .map_err(err)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Internal(format!("CSV output: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("CSV output: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(592_570_000.0), "592,570,000");
        assert_eq!(count(395_561_643.8), "395,561,644");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(1000.0), "1,000");
        assert_eq!(count(0.5), "0.5");
    }
}
