//! A [`Statement`] written out: LaTeX (a paragraph, a booktabs table, an itemized list of the
//! assumptions; `\cite` of the keys of `--bib`) or Markdown (the same, with numbered references
//! written out in full).

use super::text::Style;
use super::{bib, Statement};
use crate::data::ImpactData;
use crate::output::latex_cells::{self, cell};
use crate::quantity::impacts::Phase;

/// The power of ten of a row: from its largest bound.
fn exponent(row: &super::Row) -> i32 {
    latex_cells::exponent(row.phases.iter().map(|(_, i)| i))
}

fn header(style: Style, row: &super::Row, e: i32) -> String {
    latex_cells::header(style, row.criterion.label(), row.criterion.unit(), e)
}

fn phase_name(p: Phase) -> &'static str {
    match p {
        Phase::Use => "Use",
        Phase::Embodied => "Embodied",
        Phase::Total => "Total",
    }
}

/// The LaTeX statement: needs `booktabs` (and `url` for the bibliography's URLs).
pub fn latex(s: &Statement) -> String {
    let cite = |k: &[String]| format!("~\\cite{{{}}}", k.join(","));
    let mut out = format!(
        "% Environmental impact statement, written by mlca {} (impact data {}).\n% Needs \\usepackage{{booktabs}} (and \\usepackage{{url}} for the URLs of the references).\n% Cites the BibTeX keys {}: write their entries with `mlca statement ... --bib FILE.bib`.\n",
        s.mlca_version,
        s.impact_data_version,
        s.keys.join(", ")
    );
    out.push_str(&Style::Latex.line(&s.paragraph, &cite));
    out.push_str("\n\n\\begin{table}[htbp]\n\\centering\n\\caption{Impacts per functional unit: use and embodied phases and their total; under each value, its range (min--max) from the ranges of the inputs.}\n\\label{tab:mlca-impacts}\n\\begin{tabular}{@{}lrrr@{}}\n\\toprule\nCriterion");
    for (p, _) in s.rows[0].phases {
        out.push_str(&format!(" & {}", phase_name(p)));
    }
    out.push_str(" \\\\\n\\midrule\n");
    for row in &s.rows {
        let e = exponent(row);
        let cells: Vec<_> = row
            .phases
            .iter()
            .map(|(_, i)| cell(Style::Latex, *i, e))
            .collect();
        out.push_str(&header(Style::Latex, row, e));
        for (v, _) in &cells {
            out.push_str(&format!(" & {v}"));
        }
        out.push_str(" \\\\\n");
        out.push_str(&latex_cells::range_row(&cells, 1));
    }
    // a description list, set ragged right: file names and field paths never stick out
    out.push_str("\\bottomrule\n\\end{tabular}\n\\end{table}\n\n\\noindent Assumptions of the assessment:\n\\begin{description}\n\\raggedright\n\\setlength{\\itemsep}{0pt}\n");
    for (topic, l) in &s.assumptions {
        out.push_str(&format!(
            "\\item[{topic}:] {}\n",
            Style::Latex.line(l, &cite)
        ));
    }
    out.push_str("\\end{description}\n");
    out
}

/// The Markdown statement, with its references written out in full.
pub fn markdown(s: &Statement, data: &ImpactData) -> String {
    let number = |k: &str| s.keys.iter().position(|x| x == k).map_or(0, |i| i + 1);
    let cite = |k: &[String]| {
        format!(
            " [{}]",
            k.iter()
                .map(|x| number(x).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut out = Style::Markdown.line(&s.paragraph, &cite);
    out.push_str("\n\n| Criterion |");
    for (p, _) in s.rows[0].phases {
        out.push_str(&format!(" {} |", phase_name(p)));
    }
    out.push_str("\n|---|");
    for _ in s.rows[0].phases {
        out.push_str("---:|");
    }
    out.push('\n');
    for row in &s.rows {
        let e = exponent(row);
        out.push_str(&format!("| {} |", header(Style::Markdown, row, e)));
        for (_, i) in &row.phases {
            match cell(Style::Markdown, *i, e) {
                (v, None) => out.push_str(&format!(" {v} |")),
                (v, Some([lo, hi])) => out.push_str(&format!(" {v} ({lo}–{hi}) |")),
            }
        }
        out.push('\n');
    }
    out.push_str("\n*Impacts per functional unit: use and embodied phases and their total; in parentheses, the range (min–max) from the ranges of the inputs.*\n\n**Assumptions of the assessment**\n\n");
    for (topic, l) in &s.assumptions {
        out.push_str(&format!(
            "- *{topic}:* {}\n",
            Style::Markdown.line(l, &cite)
        ));
    }
    out.push_str("\n**References**\n\n");
    for (i, k) in s.keys.iter().enumerate() {
        let text = if k == "mlca" {
            bib::mlca_entry(&s.mlca_version, &s.impact_data_version)
        } else {
            data.bibtex.get(k).cloned().unwrap_or_default()
        };
        let line = bib::parse(&text).map_or_else(|| k.clone(), |e| bib::markdown(&e));
        out.push_str(&format!("{}. {line}\n", i + 1));
    }
    out
}
