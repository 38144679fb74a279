//! Host lists as Slurm writes them: `cn[1-6]`, `desktop[01-27]`, `cn[1-3,7],gpu[01-02],login`,
//! `r[1-2]n[1-3]` (brackets may repeat in one name). A range keeps the width of its first
//! number when that number has leading zeros (`desktop[01-27]` gives `desktop01` ...
//! `desktop27`), as Slurm's hostlist does.

/// The most host names one list may expand to (a typing slip like `cn[1-99999999]` is an
/// error, not a machine out of memory).
pub const MAX_HOSTS: usize = 1_000_000;

/// Why a host list cannot be read: the message, and the byte offset (0-based) where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct HostListError {
    pub message: String,
    pub offset: usize,
}

fn err<T>(message: impl Into<String>, offset: usize) -> Result<T, HostListError> {
    Err(HostListError {
        message: message.into(),
        offset,
    })
}

/// Split at the commas that are outside brackets, with each part's offset.
fn top_level_parts(s: &str) -> Result<Vec<(usize, &str)>, HostListError> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '[' if depth > 0 => return err("a bracket inside a bracket", i),
            '[' => depth = 1,
            ']' if depth == 0 => return err("a closing bracket without its opening one", i),
            ']' => depth = 0,
            ',' if depth == 0 => {
                parts.push((start, &s[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth > 0 {
        return err("a bracket is not closed", s.len());
    }
    parts.push((start, &s[start..]));
    Ok(parts)
}

/// The numbers of one bracket's content (`1-3,7`, `01-27`), written with their widths.
fn bracket_values(content: &str, at: usize) -> Result<Vec<String>, HostListError> {
    let mut out = Vec::new();
    let mut off = at;
    for item in content.split(',') {
        let digits = |t: &str, o: usize| -> Result<u64, HostListError> {
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 18 {
                return err(format!("\"{t}\" is not a whole number in a host range"), o);
            }
            t.parse::<u64>()
                .or_else(|_| err(format!("\"{t}\" is not a whole number"), o))
        };
        match item.split_once('-') {
            None => {
                digits(item, off)?;
                out.push(item.to_string());
            }
            Some((a, b)) => {
                let (lo, hi) = (digits(a, off)?, digits(b, off + a.len() + 1)?);
                if hi < lo {
                    return err(format!("the range {item} goes down"), off);
                }
                if hi - lo >= MAX_HOSTS as u64 {
                    return err(
                        format!("the range {item} has more than {MAX_HOSTS} hosts"),
                        off,
                    );
                }
                let width = if a.len() > 1 && a.starts_with('0') {
                    a.len()
                } else {
                    0
                };
                for v in lo..=hi {
                    out.push(format!("{v:0width$}"));
                }
            }
        }
        off += item.len() + 1;
    }
    Ok(out)
}

/// Expand one name with brackets (`r[1-2]n[1-3]`): the product of its parts, built part by
/// part (no recursion: a name of many brackets cannot exhaust the stack).
fn expand_name(name: &str, at: usize, out: &mut Vec<String>) -> Result<(), HostListError> {
    let mut names = vec![String::new()];
    let mut rest = name;
    let mut off = at;
    while !rest.is_empty() {
        let (values, used) = match rest.find('[') {
            Some(0) => {
                let close = rest
                    .find(']')
                    .map_or_else(|| err("a bracket is not closed", off + rest.len()), Ok)?;
                (bracket_values(&rest[1..close], off + 1)?, close + 1)
            }
            Some(open) => (vec![rest[..open].to_string()], open),
            None => (vec![rest.to_string()], rest.len()),
        };
        if names
            .len()
            .saturating_mul(values.len())
            .saturating_add(out.len())
            > MAX_HOSTS
        {
            return err(format!("the list has more than {MAX_HOSTS} hosts"), at);
        }
        if let [one] = values.as_slice() {
            for h in &mut names {
                h.push_str(one);
            }
        } else {
            names = names
                .iter()
                .flat_map(|h| values.iter().map(move |v| format!("{h}{v}")))
                .collect();
        }
        rest = &rest[used..];
        off += used;
    }
    out.extend(names);
    Ok(())
}

/// Expand a host list into host names, in the order written. `None assigned` (a job that
/// never ran) and the empty list give no host.
pub fn expand(list: &str) -> Result<Vec<String>, HostListError> {
    let list = list.trim();
    if list.is_empty() || list == "None assigned" || list == "(null)" {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (at, part) in top_level_parts(list)? {
        let part = part.trim();
        if part.is_empty() {
            return err("an empty host name between commas", at);
        }
        if let Some(i) = part.find(|c: char| c.is_whitespace()) {
            return err("a space inside a host name", at + i);
        }
        expand_name(part, at, &mut out)?;
        if out.len() > MAX_HOSTS {
            return err(format!("the list has more than {MAX_HOSTS} hosts"), at);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Vec<String> {
        expand(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn slurm_ranges() {
        assert_eq!(ok("cn[1-3]"), ["cn1", "cn2", "cn3"]);
        assert_eq!(ok("desktop[01-27]").len(), 27);
        assert_eq!(ok("desktop[01-27]")[0], "desktop01");
        assert_eq!(ok("desktop[01-27]")[26], "desktop27");
        assert_eq!(
            ok("cn[1-2,5],gpu[08-10],login"),
            ["cn1", "cn2", "cn5", "gpu08", "gpu09", "gpu10", "login"]
        );
        assert_eq!(ok("r[1-2]n[1-2]"), ["r1n1", "r1n2", "r2n1", "r2n2"]);
        assert_eq!(ok("cn1"), ["cn1"]);
        assert!(ok("None assigned").is_empty());
        assert!(ok("").is_empty());
        // width is that of the first number (Slurm's rule): 8-10 has none
        assert_eq!(ok("n[8-10]"), ["n8", "n9", "n10"]);
    }

    #[test]
    fn bad_lists_say_where() {
        assert_eq!(expand("cn[1-3").unwrap_err().offset, 6);
        assert_eq!(expand("cn[3-1]").unwrap_err().offset, 3);
        assert_eq!(expand("cn[a-b]").unwrap_err().offset, 3);
        assert_eq!(expand("cn1,,cn2").unwrap_err().offset, 4);
        assert!(expand("cn1]").is_err());
        assert!(expand("cn[1-99999999]").is_err());
        assert!(expand("cn[[1]]").is_err());
        // many brackets: no recursion, no stack to exhaust
        let many = "x[1]".repeat(200_000);
        assert_eq!(expand(&many).map(|h| h.len()), Ok(1));
    }
}
