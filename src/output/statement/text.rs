//! The statement's text as typed pieces (words, figures, units, quotes, citations), written
//! out per format: LaTeX escapes the words and typesets `CO$_2$`, `cm$^2$`, ``quotes'' and
//! `\cite`; Markdown writes `CO₂`, `cm²`, “quotes” and numbered references.

use super::numbers::{self, Printed};
use crate::output::tex as escape_tex;
use crate::quantity::interval::Interval;

/// One piece of a sentence.
#[derive(Clone, Debug)]
pub enum Piece {
    /// Words, written as they are (escaped per format).
    Words(String),
    /// A figure by the print rule ([`numbers`]): at most 4 significant digits.
    Figure(f64),
    /// A figure and its range, value and bounds at the decimal place of the range.
    Range(Interval),
    /// The value of a figure with a range, alone, at the decimal place of the range.
    Value(Interval),
    /// A unit, typeset (`kgCO2eq` as kgCO$_2$eq, `GB/cm2` as GB/cm$^2$), after a fixed space.
    Unit(String),
    /// Text the user wrote, in quotes.
    Quoted(String),
    /// The multiplication sign.
    Times,
    /// Citations of BibTeX keys.
    Cite(Vec<String>),
    /// A reference to the statement's table ("Table 1" in LaTeX, "The table below" in
    /// Markdown).
    TableRef,
}

/// A sentence or a line of the statement.
#[derive(Clone, Debug, Default)]
pub struct Line(pub Vec<Piece>);

impl Line {
    pub fn new() -> Self {
        Line(Vec::new())
    }
    pub fn words(mut self, s: impl Into<String>) -> Self {
        self.0.push(Piece::Words(s.into()));
        self
    }
    pub fn figure(mut self, x: f64) -> Self {
        self.0.push(Piece::Figure(x));
        self
    }
    pub fn range(mut self, i: Interval) -> Self {
        self.0.push(Piece::Range(i));
        self
    }
    /// The value of `i` and its unit, with the digits its range supports: `0.313 kgCO2eq`.
    pub fn value(mut self, i: Interval, unit: &str) -> Self {
        self.0.push(Piece::Value(i));
        self.unit(unit)
    }
    /// A figure and its unit: `1.61 kWh`.
    pub fn amount(self, x: f64, unit: &str) -> Self {
        self.figure(x).unit(unit)
    }
    /// A figure with its range and its unit: `1.24 (0.63 to 2.38) GB/cm2`.
    pub fn ranged(self, i: Interval, unit: &str) -> Self {
        self.range(i).unit(unit)
    }
    pub fn unit(mut self, u: &str) -> Self {
        self.0.push(Piece::Unit(u.to_string()));
        self
    }
    pub fn quoted(mut self, s: impl Into<String>) -> Self {
        self.0.push(Piece::Quoted(s.into()));
        self
    }
    pub fn times(mut self) -> Self {
        self.0.push(Piece::Times);
        self
    }
    pub fn cite(mut self, keys: &[String]) -> Self {
        if !keys.is_empty() {
            self.0.push(Piece::Cite(keys.to_vec()));
        }
        self
    }
    pub fn table_ref(mut self) -> Self {
        self.0.push(Piece::TableRef);
        self
    }
    pub fn then(mut self, other: Line) -> Self {
        self.0.extend(other.0);
        self
    }
    /// The BibTeX keys cited, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().flat_map(|p| match p {
            Piece::Cite(k) => k.as_slice(),
            _ => &[],
        })
    }
    /// The number of words, as a reader counts them (a figure with its unit is two).
    pub fn word_count(&self) -> usize {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Words(s) | Piece::Quoted(s) => s
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count(),
                Piece::Figure(_) | Piece::Range(_) | Piece::Value(_) | Piece::Unit(_) => 1,
                Piece::Times | Piece::Cite(_) => 0,
                Piece::TableRef => 2,
            })
            .sum()
    }
}

/// The two written forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Latex,
    Markdown,
}

/// A range's bounds, rounded at the value's place.
fn bounds(i: Interval) -> [Printed; 3] {
    let p = numbers::place(i);
    [i.value, i.min, i.max].map(|x| numbers::at_place(x, p))
}

impl Style {
    /// A printed number in this style.
    pub fn number(self, p: &Printed) -> String {
        match self {
            Style::Latex => numbers::tex(p),
            Style::Markdown => numbers::markdown(p),
        }
    }

    /// `0.214 (0.190–0.250)`, or the value alone when exact.
    pub fn range(self, i: Interval) -> String {
        if i.is_exact() {
            return self.number(&numbers::figure(i.value));
        }
        let [v, lo, hi] = bounds(i);
        if lo == v && hi == v {
            // a range narrower than the digits printed: the value alone
            return self.number(&numbers::figure(i.value));
        }
        let dash = match self {
            Style::Latex => "--",
            Style::Markdown => "–",
        };
        format!(
            "{} ({}{dash}{})",
            self.number(&v),
            self.number(&lo),
            self.number(&hi)
        )
    }

    /// The value of `i` alone, at the decimal place of its range.
    pub fn value(self, i: Interval) -> String {
        let [v, lo, hi] = bounds(i);
        if i.is_exact() || (lo == v && hi == v) {
            self.number(&numbers::figure(i.value))
        } else {
            self.number(&v)
        }
    }

    /// Words escaped for the format.
    pub fn words(self, s: &str) -> String {
        match self {
            Style::Latex => escape_tex(s),
            Style::Markdown => markdown_escape(s),
        }
    }

    /// A unit typeset: `CO2` with a subscript, a power after a length unit as a superscript.
    pub fn unit(self, u: &str) -> String {
        let (sub2, sup): (&str, fn(char) -> String) = match self {
            Style::Latex => ("$_2$", |d| format!("$^{d}$")),
            Style::Markdown => ("₂", |d| numbers::superscript(d as i32 - '0' as i32)),
        };
        let mut out = String::new();
        let chars: Vec<char> = u.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == 'C' && chars.get(i + 1) == Some(&'O') && chars.get(i + 2) == Some(&'2') {
                out.push_str("CO");
                out.push_str(sub2);
                i += 3;
                continue;
            }
            // m2, cm2, mm2, m3: a digit right after a letter
            if c.is_ascii_digit() && i > 0 && chars[i - 1].is_ascii_alphabetic() {
                out.push_str(&sup(c));
            } else {
                out.push_str(&self.words(&c.to_string()));
            }
            i += 1;
        }
        out
    }

    /// The line written out; `cite` writes a citation of keys.
    pub fn line(self, l: &Line, cite: &dyn Fn(&[String]) -> String) -> String {
        let mut out = String::new();
        for p in &l.0 {
            match p {
                Piece::Words(s) => out.push_str(&self.words(s)),
                Piece::Figure(x) => out.push_str(&self.number(&numbers::figure(*x))),
                Piece::Range(i) => out.push_str(&self.range(*i)),
                Piece::Value(i) => out.push_str(&self.value(*i)),
                Piece::Unit(u) => {
                    out.push_str(match self {
                        Style::Latex => "~",
                        Style::Markdown => "\u{a0}",
                    });
                    out.push_str(&self.unit(u));
                }
                Piece::Quoted(s) => match self {
                    Style::Latex => out.push_str(&format!("``{}''", escape_tex(s))),
                    Style::Markdown => out.push_str(&format!("“{}”", markdown_escape(s))),
                },
                Piece::Times => out.push_str(match self {
                    Style::Latex => " $\\times$ ",
                    Style::Markdown => " × ",
                }),
                Piece::Cite(k) => out.push_str(&cite(k)),
                Piece::TableRef => out.push_str(match self {
                    Style::Latex => "Table~\\ref{tab:mlca-impacts}",
                    Style::Markdown => "The table below",
                }),
            }
        }
        out
    }
}

/// Markdown special characters of running text escaped.
pub fn markdown_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '<' | '|') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(l: &Line) -> (String, String) {
        let cite = |k: &[String]| format!("[{}]", k.join(","));
        (Style::Latex.line(l, &cite), Style::Markdown.line(l, &cite))
    }

    #[test]
    fn units_are_typeset() {
        assert_eq!(Style::Latex.unit("kgCO2eq/kWh"), "kgCO$_2$eq/kWh");
        assert_eq!(Style::Markdown.unit("kgCO2eq"), "kgCO₂eq");
        assert_eq!(Style::Latex.unit("GB/cm2"), "GB/cm$^2$");
        assert_eq!(Style::Markdown.unit("mm2/GB"), "mm²/GB");
        assert_eq!(Style::Latex.unit("m3"), "m$^3$");
        assert_eq!(Style::Latex.unit("1/cm2"), "1/cm$^2$");
        assert_eq!(Style::Latex.unit("W/GB"), "W/GB");
    }

    #[test]
    fn lines_per_format() {
        let l = Line::new()
            .words("Training ")
            .quoted("ResNet-50 to 75.9 % top_1")
            .words(" used ")
            .amount(1.605368, "kWh")
            .words(" and ")
            .amount(6.106e-6, "kgSbeq")
            .words(", ")
            .ranged(
                crate::quantity::interval::Interval::new(1.244, 0.625, 2.375),
                "GB/cm2",
            )
            .words(", 8")
            .times()
            .words("A100")
            .cite(&["mlca".to_string()]);
        let (t, m) = both(&l);
        assert_eq!(
            t,
            "Training ``ResNet-50 to 75.9 \\% top\\_1'' used 1.605~kWh and $6.106 \\times 10^{-6}$~kgSbeq, 1.2 (0.6--2.4)~GB/cm$^2$, 8 $\\times$ A100[mlca]"
        );
        assert_eq!(
            m,
            "Training “ResNet-50 to 75.9 % top\\_1” used 1.605\u{a0}kWh and 6.106 × 10⁻⁶\u{a0}kgSbeq, 1.2 (0.6–2.4)\u{a0}GB/cm², 8 × A100[mlca]"
        );
        assert_eq!(l.keys().collect::<Vec<_>>(), ["mlca"]);
        // Training, 4 quoted words (a lone % is no word), used, 1.605 kWh (2), and,
        // 6.106e-6 kgSbeq (2), the range and its unit (2), 8, A100
        assert_eq!(l.word_count(), 1 + 4 + 1 + 2 + 1 + 2 + 2 + 1 + 1);
    }
}
