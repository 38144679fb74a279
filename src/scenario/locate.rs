//! Find the line and column of a field path (`infrastructure[0].bom.gpus[1].model`) in YAML
//! text, for errors found after parsing. Block style is followed key by key and item by item;
//! inside flow style (`[{...}]`) the search stops at the nearest line found.

#[derive(Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            if b > 0 {
                out.push(Seg::Key(rest[..b].to_string()));
            }
            rest = &rest[b..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let end = stripped.find(']').unwrap_or(stripped.len());
                if let Ok(i) = stripped[..end].parse() {
                    out.push(Seg::Index(i));
                }
                rest = stripped.get(end + 1..).unwrap_or("");
            }
        } else if !rest.is_empty() {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

struct Line<'a> {
    indent: usize,
    /// Column where the key starts, after indentation and any "- " markers.
    key_col: usize,
    text: &'a str,
    dash: bool,
}

fn analyse(raw: &str) -> Option<Line<'_>> {
    let indent = raw.len() - raw.trim_start_matches(' ').len();
    let body = &raw[indent..];
    if body.is_empty() || body.starts_with('#') {
        return None;
    }
    let mut rest = body;
    while let Some(r) = rest
        .strip_prefix("- ")
        .or_else(|| if rest == "-" { Some("") } else { None })
    {
        rest = r.trim_start_matches(' ');
    }
    let key_col = raw.len() - rest.len();
    Some(Line {
        indent,
        key_col,
        text: raw,
        dash: body.starts_with('-'),
    })
}

fn key_at(l: &Line, key: &str) -> bool {
    let t = &l.text[l.key_col..];
    t.strip_prefix(key)
        .or_else(|| t.strip_prefix(&format!("\"{key}\"")))
        .is_some_and(|r| r.trim_start().starts_with(':'))
}

/// 1-based (line, column) of the last segment of `path` that could be found.
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    walk(text, path).0
}

/// 1-based (line, column) of `path` itself, only when every segment was found.
pub fn locate_exact(text: &str, path: &str) -> Option<(usize, usize)> {
    match walk(text, path) {
        (found, true) => found,
        _ => None,
    }
}

/// 1-based (line, column) of the second `key` of the mapping at `parent` (a duplicate key),
/// block style only.
pub fn locate_duplicate(text: &str, parent: &str, key: &str) -> Option<(usize, usize)> {
    let path = if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    };
    let (first, col) = locate_exact(text, &path)?;
    let lines: Vec<&str> = text.lines().collect();
    for (i, raw) in lines.iter().enumerate().skip(first) {
        let Some(l) = analyse(raw) else { continue };
        if l.indent < col - 1 && !(l.dash && l.key_col == col - 1) {
            return None;
        }
        if l.key_col == col - 1 && key_at(&l, key) {
            return Some((i + 1, col));
        }
    }
    None
}

/// The last location found along `path`, and whether it is the whole path's.
fn walk(text: &str, path: &str) -> (Option<(usize, usize)>, bool) {
    let lines: Vec<Option<Line>> = text.lines().map(analyse).collect();
    let mut start = 0usize;
    let mut end = lines.len();
    let mut found: Option<(usize, usize)> = None;
    for seg in parse_path(path) {
        let Some(first_line) = (start..end).find_map(|i| lines[i].as_ref()) else {
            // flow style (`key: {a: 1}`): look for the key on the line found last
            if let (Seg::Key(k), Some((li, c))) = (&seg, found) {
                let line = text.lines().nth(li - 1).unwrap_or("");
                if let Some(off) = line.get(c..).and_then(|t| t.find(&format!("{k}:"))) {
                    return (Some((li, c + off + 1)), false);
                }
            }
            return (found, false);
        };
        match seg {
            Seg::Key(k) => {
                let col = first_line.key_col;
                let hit = (start..end).find(|&i| {
                    lines[i]
                        .as_ref()
                        .is_some_and(|l| l.key_col == col && key_at(l, &k))
                });
                let Some(i) = hit else {
                    // flow style: look for `key:` on the line found last
                    if let Some((li, c)) = found {
                        if let Some(off) = text
                            .lines()
                            .nth(li - 1)
                            .and_then(|t| t.get(c..))
                            .and_then(|t| t.find(&format!("{k}:")))
                        {
                            return (Some((li, c + off + 1)), false);
                        }
                    }
                    return (found, false);
                };
                found = Some((i + 1, col + 1));
                let next = (i + 1..end)
                    .find(|&j| {
                        lines[j]
                            .as_ref()
                            .is_some_and(|l| l.indent < col || (l.indent == col && !l.dash))
                    })
                    .unwrap_or(end);
                start = i + 1;
                end = next;
            }
            Seg::Index(n) => {
                if !first_line.dash {
                    return (found, false);
                }
                let col = first_line.indent;
                let items: Vec<usize> = (start..end)
                    .filter(|&i| lines[i].as_ref().is_some_and(|l| l.dash && l.indent == col))
                    .collect();
                let Some(&i) = items.get(n) else {
                    return (found, false);
                };
                found = Some((i + 1, col + 1));
                let next = items.get(n + 1).copied().unwrap_or(end);
                // the item's own keys start on its dash line
                start = i;
                end = next;
            }
        }
    }
    (found, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y: &str = "\
functional_unit:
  name: x
infrastructure:
  - name: a
    bom:
      gpus:
        - model: A100
          units: 8
        - model: H100
          units: 2
  - name: b
    catalog: Jetson
electricity:
  country: FRX
  pue: 1
";

    #[test]
    fn finds_nested_keys_and_items() {
        assert_eq!(locate(Y, "electricity.country"), Some((14, 3)));
        assert_eq!(locate(Y, "infrastructure[1].catalog"), Some((12, 5)));
        assert_eq!(
            locate(Y, "infrastructure[0].bom.gpus[1].model"),
            Some((9, 11))
        );
        assert_eq!(
            locate(Y, "infrastructure[0].bom.gpus[0].units"),
            Some((8, 11))
        );
    }

    #[test]
    fn flow_style_stops_at_nearest() {
        let y = "a:\n  gpus: [{model: X, units: 1}]\n";
        assert_eq!(locate(y, "a.gpus[0].model"), Some((2, 3)));
        let y = "electricity: {country: FRX, pue: 1}\n";
        assert_eq!(locate(y, "electricity.country"), Some((1, 15)));
    }

    #[test]
    fn exact_and_duplicate_keys() {
        assert_eq!(locate_exact(Y, "electricity.pue"), Some((15, 3)));
        assert_eq!(locate_exact(Y, "electricity.nope"), None);
        let y = "a: 1\nelectricity:\n  pue: 1\n  country: X\n  pue: 2\nb: 2\n";
        assert_eq!(locate_duplicate(y, "electricity", "pue"), Some((5, 3)));
        let y = "infrastructure:\n  - name: a\n    nodes: 1\n    nodes: 2\n  - name: b\n";
        assert_eq!(
            locate_duplicate(y, "infrastructure[0]", "nodes"),
            Some((4, 5))
        );
        assert_eq!(
            locate_duplicate("a: 1\nb: 2\na: 3\n", "", "a"),
            Some((3, 1))
        );
    }
}
