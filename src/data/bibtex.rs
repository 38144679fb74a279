//! The entries of a BibTeX file (`references.bib`): std only, as `build.rs` also includes this
//! file to split the embedded references.bib at build time.

/// The entries of a .bib file with their keys, in the file's order (an entry runs from
/// `@type{key,` to the next `@` at a line start).
pub fn entries(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(String, String)> = None;
    for line in text.lines() {
        if line.starts_with('@') {
            if let Some((k, v)) = cur.take() {
                out.push((k, v.trim_end().to_string()));
            }
            let key = line
                .split_once('{')
                .map(|(_, r)| r.trim_end_matches(',').trim().to_string())
                .unwrap_or_default();
            cur = Some((key, format!("{line}\n")));
        } else if let Some((_, v)) = cur.as_mut() {
            v.push_str(line);
            v.push('\n');
        }
    }
    if let Some((k, v)) = cur {
        out.push((k, v.trim_end().to_string()));
    }
    out
}
