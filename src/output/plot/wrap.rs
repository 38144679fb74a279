//! Labels wrapped to a width, never cut inside a word: lines break at spaces, and inside a
//! long name after the separators of its parts (`.`, `/`, `_`, `]`, `-`); a word longer than a
//! line stays whole on a line of its own (the plot widens its label area for it).

/// `text` in lines of at most `max` characters where it can break (see the module).
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        for piece in pieces(word, max) {
            let sep = if cur.is_empty() || piece.glued {
                ""
            } else {
                " "
            };
            if !cur.is_empty() && count(&cur) + sep.len() + count(&piece.text) > max {
                lines.push(std::mem::take(&mut cur));
                cur.push_str(&piece.text);
            } else {
                cur.push_str(sep);
                cur.push_str(&piece.text);
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

fn count(s: &str) -> usize {
    s.chars().count()
}

/// A part of a word; `glued` when it continues the previous part without a space.
struct Piece {
    text: String,
    glued: bool,
}

/// A word as it may break: whole when it fits, else after each separator of its parts.
fn pieces(word: &str, max: usize) -> Vec<Piece> {
    if count(word) <= max {
        return vec![Piece {
            text: word.to_string(),
            glued: false,
        }];
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in word.chars() {
        cur.push(c);
        if matches!(c, '.' | '/' | '_' | ']' | '-') {
            out.push(Piece {
                glued: !out.is_empty(),
                text: std::mem::take(&mut cur),
            });
        }
    }
    if !cur.is_empty() {
        out.push(Piece {
            glued: !out.is_empty(),
            text: cur,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_at_spaces_never_inside_a_word() {
        assert_eq!(
            wrap("embodied gpu NVIDIA A100 SXM4 80GB", 14),
            ["embodied gpu", "NVIDIA A100", "SXM4 80GB"]
        );
        assert_eq!(wrap("short", 40), ["short"]);
        assert_eq!(wrap("", 10), Vec::<String>::new());
        let long = "é".repeat(40);
        assert_eq!(wrap(&format!("a {long} b"), 10), ["a", long.as_str(), "b"]);
    }

    #[test]
    fn long_names_break_after_their_parts() {
        assert_eq!(
            wrap(
                "infrastructure[0].bom.ram[0].density_gb_per_cm2 (triangular)",
                20
            ),
            [
                "infrastructure[0].",
                "bom.ram[0].density_",
                "gb_per_cm2",
                "(triangular)"
            ]
        );
        // every character kept, in order
        let text = "energy.traces[0] energy (uniform)";
        assert_eq!(
            wrap(text, 8).join(" ").replace(". ", "."),
            "energy.traces[0] energy (uniform)"
        );
    }
}
