//! The references of a statement: the BibTeX file (`--bib FILE`) with mlca's own entry and
//! the entries of impact-data (`references.bib`) it cites, and the same references written out
//! in full for Markdown (authors, year, title, where published, URL).

use crate::data::ImpactData;

/// Where mlca's source is published (Cargo.toml `repository`, also in README.md).
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The year of this build's release: the year of the impact-data version it embeds
/// (`impact-data/VERSION` begins with it, e.g. `2026.11.0`).
pub fn release_year() -> &'static str {
    let v = include_str!("../../../impact-data/VERSION");
    v.get(..4).unwrap_or(v)
}

/// mlca's own entry: the version, the year, the repository and the impact data used.
pub fn mlca_entry(version: &str, impact_data_version: &str) -> String {
    format!(
        "@misc{{mlca,\n  author = {{{{The mlca developers}}}},\n  title = {{{{mlca}}: life-cycle assessment of machine-learning compute, version {version}}},\n  year = {{{}}},\n  url = {{{REPOSITORY}}},\n  note = {{Impact data {}}}\n}}",
        release_year(),
        bib_escape(impact_data_version)
    )
}

/// Text for a BibTeX field value (characters LaTeX reads as commands escaped).
fn bib_escape(s: &str) -> String {
    crate::output::tex(s)
}

/// The BibTeX text of `keys`: mlca's entry for `mlca`, impact-data's for the others.
pub fn file(keys: &[String], data: &ImpactData, version: &str, impact_data: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for k in keys {
        if k == "mlca" {
            out.push(mlca_entry(version, impact_data));
        } else if let Some(e) = data.bibtex.get(k) {
            out.push(e.clone());
        }
    }
    out.join("\n\n") + "\n"
}

/// One parsed entry: its type and its fields, in order.
#[derive(Debug, PartialEq)]
pub struct Entry {
    pub kind: String,
    pub key: String,
    pub fields: Vec<(String, String)>,
}

impl Entry {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parse one BibTeX entry (`@kind{key, field = {value}, field = "value", year = 2024}`).
pub fn parse(text: &str) -> Option<Entry> {
    let at = text.find('@')?;
    let rest = &text[at + 1..];
    let open = rest.find('{')?;
    let kind = rest[..open].trim().to_ascii_lowercase();
    let body = &rest[open + 1..];
    let comma = body.find(',')?;
    let key = body[..comma].trim().to_string();
    let chars: Vec<char> = body[comma + 1..].chars().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
            i += 1;
        }
        if i >= chars.len() || chars[i] == '}' {
            break;
        }
        let start = i;
        while i < chars.len() && chars[i] != '=' {
            i += 1;
        }
        let name: String = chars[start..i]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        i += 1;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        match chars.get(i) {
            Some('{') => {
                let mut depth = 0;
                while i < chars.len() {
                    match chars[i] {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    value.push(chars[i]);
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                }
                value = value[1..value.len().saturating_sub(1)].to_string();
            }
            Some('"') => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            _ => {
                while i < chars.len() && chars[i] != ',' && chars[i] != '}' {
                    value.push(chars[i]);
                    i += 1;
                }
                value = value.trim().to_string();
            }
        }
        if name.is_empty() {
            break;
        }
        fields.push((name.to_ascii_lowercase(), value));
    }
    Some(Entry { kind, key, fields })
}

/// BibTeX text as plain Unicode: accents (`{\'e}`, `\"o`) as letters, `\url{x}` as x, `--` as
/// an en dash, braces dropped.
pub fn plain(s: &str) -> String {
    let mut t = s
        .replace("\\url{", "{")
        .replace("\\&", "&")
        .replace("\\_", "_")
        .replace("--", "–");
    for (from, to) in [
        ("\\'e", "é"),
        ("\\'E", "É"),
        ("\\`e", "è"),
        ("\\`a", "à"),
        ("\\^o", "ô"),
        ("\\\"o", "ö"),
        ("\\\"u", "ü"),
        ("\\\"i", "ï"),
        ("\\\"{i}", "ï"),
        ("\\'{e}", "é"),
    ] {
        t = t.replace(from, to);
    }
    t.replace(['{', '}'], "")
}

/// Authors as written in a reference: "Jay, Mathilde" and "Scarlat, Nicolae and Prussi,
/// Matteo" become "M. Jay" and "N. Scarlat, M. Prussi".
fn authors(a: &str) -> String {
    let names: Vec<String> = a
        .split(" and ")
        .map(|n| {
            let n = n.trim();
            if n.starts_with('{') {
                return plain(n);
            }
            match n.split_once(',') {
                Some((last, first)) => {
                    let initials: Vec<String> = plain(first)
                        .split_whitespace()
                        .map(|w| {
                            w.split('-')
                                .filter_map(|p| p.chars().next())
                                .map(|c| format!("{c}."))
                                .collect::<Vec<_>>()
                                .join("-")
                        })
                        .collect();
                    format!("{} {}", initials.join(" "), plain(last.trim()))
                }
                None => plain(n),
            }
        })
        .collect();
    names.join(", ")
}

/// A reference in full for Markdown: authors (year). *Title*. Where. URL.
pub fn markdown(e: &Entry) -> String {
    let mut out = String::new();
    if let Some(a) = e.get("author") {
        out.push_str(&authors(a));
    }
    if let Some(y) = e.get("year") {
        out.push_str(&format!(" ({y})"));
    }
    out.push_str(". ");
    if let Some(t) = e.get("title") {
        out.push_str(&format!("*{}*. ", plain(t)));
    }
    let mut place: Vec<String> = Vec::new();
    match e.kind.as_str() {
        "article" => {
            if let Some(j) = e.get("journal") {
                let mut s = plain(j);
                if let Some(v) = e.get("volume") {
                    s.push_str(&format!(" {v}"));
                }
                if let Some(p) = e.get("pages") {
                    s.push_str(&format!(", {}", plain(p)));
                }
                place.push(s);
            }
        }
        "inproceedings" => place.extend(e.get("booktitle").map(|b| format!("In {}", plain(b)))),
        "phdthesis" => place.extend(e.get("school").map(|s| format!("PhD thesis, {}", plain(s)))),
        "techreport" => {
            let inst = e.get("institution").map(plain);
            let num = e.get("number").map(plain);
            place.push(
                [inst, num]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        _ => {}
    }
    place.extend(e.get("note").map(plain));
    place.retain(|p| !p.is_empty());
    if !place.is_empty() {
        out.push_str(&format!("{}. ", place.join(". ")));
    }
    if let Some(d) = e.get("doi") {
        out.push_str(&format!("doi:{d}. "));
    }
    if let Some(u) = e.get("url") {
        out.push_str(&format!("<{}>", plain(u)));
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_parse_with_nested_braces_and_quotes() {
        let e = parse("@article{scarlat2022,\n  author = {Scarlat, Nicolae and Prussi, Matteo},\n  title = {Carbon intensity in {Europe}},\n  journal = \"Applied Energy\",\n  year = 2022\n}")
            .expect("an entry");
        assert_eq!(
            (e.kind.as_str(), e.key.as_str()),
            ("article", "scarlat2022")
        );
        assert_eq!(e.get("title"), Some("Carbon intensity in {Europe}"));
        assert_eq!(e.get("journal"), Some("Applied Energy"));
        assert_eq!(e.get("year"), Some("2022"));
        assert_eq!(
            markdown(&e),
            "N. Scarlat, M. Prussi (2022). *Carbon intensity in Europe*. Applied Energy."
        );
    }

    #[test]
    fn latex_accents_become_letters() {
        assert_eq!(plain("Universit{\\'e} Grenoble"), "Université Grenoble");
        assert_eq!(plain("Gr{\\\"o}ger"), "Gröger");
        assert_eq!(
            authors("Morand, Cl{\\'e}ment and Ligozat, Anne-Laure"),
            "C. Morand, A.-L. Ligozat"
        );
        assert_eq!(authors("{The mlca developers}"), "The mlca developers");
    }

    #[test]
    fn mlca_entry_is_complete() {
        let e = parse(&mlca_entry("0.1.0", "2026.11.0 (figures)")).expect("an entry");
        assert_eq!(e.get("author"), Some("{The mlca developers}"));
        assert!(e.get("title").is_some_and(|t| t.contains("version 0.1.0")));
        let y = e.get("year").expect("a year");
        assert!(y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()), "{y}");
        assert!(e.get("url").is_some_and(|u| u.starts_with("https://")));
    }
}
