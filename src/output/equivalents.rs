//! Equivalents and costs, written only when asked (`--equivalents`): a section after the
//! assessment (terminal table, Markdown table, a JSON `equivalents` object keyed by name with
//! its unit last) and a paragraph after the statement (LaTeX with `\cite` and the BibTeX
//! entries it needs, Markdown with linked sources). Each equivalent carries its value, min, max,
//! factor, source and year.

use crate::assessment::equivalents::Equivalent;
use crate::data::ImpactData;
use crate::error::{Error, Result};
use crate::output::statement::text::{Line, Style};
use crate::output::statement::{bib, Written};
use crate::output::{new_table, range, Format};

const INTRO: &str =
    "Equivalents per functional unit, to picture the figures (not impacts of their own)";

/// The assessment `text` (rendered in format `f`) with the equivalents after it.
pub fn append(text: String, f: Format, eq: &[Equivalent]) -> Result<String> {
    match f {
        Format::Table => Ok(text + "\n" + &table(eq)),
        Format::Markdown => Ok(text + "\n" + &markdown(eq)),
        Format::Json => json(&text, eq),
        other => Err(Error::input(
            crate::error::Diagnostic::new(format!(
                "--equivalents goes with --format table, json or markdown, not {}",
                crate::choice::Choice::name(other)
            ))
            .hint("choose --format table, json or markdown, or leave --equivalents out"),
        )),
    }
}

fn factor(e: &Equivalent) -> String {
    format!("{} {}", range(e.factor), e.factor_unit)
}

/// The source without its details and URL (the JSON has them whole).
fn short(e: &Equivalent) -> &str {
    let s = e.source.as_str();
    let end = [s.find(" ("), s.find(" <")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(s.len());
    &s[..end]
}

fn year(e: &Equivalent) -> String {
    if e.year.is_empty() {
        String::new()
    } else {
        format!(", {}", e.year)
    }
}

fn table(eq: &[Equivalent]) -> String {
    let mut t = new_table();
    t.set_header([
        "equivalent",
        "value [min – max]",
        "unit",
        "factor",
        "source",
    ]);
    for e in eq {
        t.add_row([
            e.label.clone(),
            range(e.interval()),
            e.unit.clone(),
            factor(e),
            format!("{}{}", short(e), year(e)),
        ]);
    }
    format!("{INTRO}:\n{t}\n")
}

fn markdown(eq: &[Equivalent]) -> String {
    let cell = |s: &str| crate::output::statement::text::markdown_escape(s);
    let mut s = format!(
        "## Equivalents\n\n{INTRO}.\n\n| equivalent | value [min – max] | unit | factor | source |\n| --- | --- | --- | --- | --- |\n"
    );
    for e in eq {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {}{} |\n",
            cell(&e.label),
            range(e.interval()),
            cell(&e.unit),
            cell(&factor(e)),
            cell(short(e)),
            year(e)
        ));
    }
    s
}

fn json(text: &str, eq: &[Equivalent]) -> Result<String> {
    let err = |e: serde_json::Error| Error::Internal(format!("JSON output: {e}"));
    let mut v: serde_json::Value = serde_json::from_str(text).map_err(err)?;
    let mut m = serde_json::Map::new();
    for e in eq {
        m.insert(e.id.clone(), serde_json::to_value(e).map_err(err)?);
    }
    if let Some(o) = v.as_object_mut() {
        o.insert("equivalents".into(), serde_json::Value::Object(m));
    }
    serde_json::to_string_pretty(&v)
        .map(|s| s + "\n")
        .map_err(err)
}

/// The BibTeX keys an equivalent cites.
fn keys(e: &Equivalent, data: &ImpactData) -> Vec<String> {
    e.source_id
        .as_deref()
        .and_then(|id| data.source(id))
        .map(|s| vec![s.bibtex_key.to_string()])
        .unwrap_or_default()
}

/// The paragraph of the equivalents: one clause per equivalent, with its range and source.
fn paragraph(eq: &[Equivalent], data: &ImpactData) -> Line {
    let mut l = Line::new().words(format!("{INTRO}: "));
    for (i, e) in eq.iter().enumerate() {
        if i > 0 {
            l = l.words("; ");
        }
        l = l
            .words(format!("{}, ", e.label))
            .ranged(e.interval(), &e.unit)
            .cite(&keys(e, data));
        if e.source_id.is_none() {
            l = l
                .words(" (at ")
                .amount(e.factor.value, &e.factor_unit)
                .words(")");
        }
    }
    l.words(".")
}

/// A Markdown citation: the source's author and year, linked to its URL.
fn markdown_cite(keys: &[String], data: &ImpactData) -> String {
    let refs: Vec<String> = keys
        .iter()
        .filter_map(|k| data.bibtex.get(k).and_then(|t| bib::parse(t)))
        .map(|e| {
            let author = bib::plain(e.get("author").unwrap_or(&e.key));
            let year = e.get("year").unwrap_or("");
            match e.get("url") {
                Some(u) => format!("[{author}, {year}]({u})"),
                None => format!("{author}, {year}"),
            }
        })
        .collect();
    format!(" ({})", refs.join("; "))
}

/// The statement with the equivalents' paragraph after it; in LaTeX, the BibTeX entries of
/// their sources added to `--bib` (those not already there).
pub fn statement(w: Written, f: Format, eq: &[Equivalent], data: &ImpactData) -> Result<Written> {
    let l = paragraph(eq, data);
    match f {
        Format::Latex => {
            let cite = |k: &[String]| format!("~\\cite{{{}}}", k.join(","));
            let mut bib_text = w.bib;
            let mut added: Vec<&String> = Vec::new();
            for e in eq {
                for k in keys(e, data) {
                    if let Some(entry) = data.bibtex.get(&k) {
                        if !bib_text.contains(&format!("{{{k},")) && !added.contains(&entry) {
                            bib_text.push('\n');
                            bib_text.push_str(entry);
                            bib_text.push('\n');
                            added.push(entry);
                        }
                    }
                }
            }
            Ok(Written {
                // ragged right: the sources' author-year citations never stick out
                text: format!(
                    "{}\n{{\\raggedright\\noindent {}\\par}}\n",
                    w.text,
                    Style::Latex.line(&l, &cite)
                ),
                bib: bib_text,
            })
        }
        Format::Markdown => {
            let cite = |k: &[String]| markdown_cite(k, data);
            let para = format!("{}\n\n", Style::Markdown.line(&l, &cite));
            // before the statement's references, after its assumptions
            let text = match w.text.find("**References**") {
                Some(i) => format!("{}{para}{}", &w.text[..i], &w.text[i..]),
                None => format!("{}\n{para}", w.text),
            };
            Ok(Written { text, bib: w.bib })
        }
        other => Err(Error::input(
            crate::error::Diagnostic::new(format!(
                "--equivalents goes with --format latex or markdown, not {}",
                crate::choice::Choice::name(other)
            ))
            .hint("choose --format latex or markdown, or leave --equivalents out"),
        )),
    }
}
