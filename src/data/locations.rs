//! Locations as users and trackers write them: countries by ISO 3166-1 alpha-2 code (`FR`, as
//! CodeCarbon and eco2ai write it), alpha-3 code (`FRA`, as the electricity data keys its mixes)
//! or English name (`France`, official and common names too), in any case; and cloud provider
//! regions (`aws us-east-1`, `gcp europe-west1`, `azure westeurope`), each mapped to the country
//! whose mix it draws (`countries.csv`, `cloud-regions.csv`, each row with its source).
//!
//! An unknown name is an error listing the closest codes and names; nothing falls back to a
//! default country.

use super::names::{suggest, NameIndex};
use crate::error::{Diagnostic, ErrorKind, Result};
use serde::Deserialize;

/// The embedded country table.
pub(super) const COUNTRIES_CSV: &str = include_str!("../../impact-data/countries.csv");
/// The embedded cloud-region table.
pub(super) const CLOUD_REGIONS_CSV: &str = include_str!("../../impact-data/cloud-regions.csv");

/// A country of ISO 3166-1.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct CountryCode {
    /// Two-letter code (FR).
    pub alpha2: String,
    /// Three-letter code (FRA), the key of the electricity mixes.
    pub alpha3: String,
    /// English short name (France).
    pub name: String,
    /// Common and official names (`|`-separated in the file).
    #[serde(deserialize_with = "super::rows::split_aliases")]
    pub aliases: Vec<String>,
    pub source_id: String,
    pub year: String,
}

/// A cloud provider's region and the country (ISO 3166-1 alpha-3) whose electricity it draws.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct CloudRegion {
    /// Provider id as the data writes it (aws, azure, gcp, ovhcloud, scaleway).
    pub provider: String,
    /// Region id as the provider writes it (us-east-1, westeurope, europe-west1).
    pub region: String,
    /// ISO 3166-1 alpha-3 code of the region's country.
    pub country: String,
    pub source_id: String,
    pub year: String,
}

impl std::fmt::Display for CloudRegion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.provider, self.region)
    }
}

/// How a country was written: the code kind or name that matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    Alpha2,
    Alpha3,
    Name,
}

impl Spelling {
    /// As a report says it.
    pub fn label(self) -> &'static str {
        match self {
            Spelling::Alpha2 => "ISO 3166-1 alpha-2 code",
            Spelling::Alpha3 => "ISO 3166-1 alpha-3 code",
            Spelling::Name => "country name",
        }
    }
}

/// Lower case with runs of white space as one space, for comparing names.
pub(super) fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The country and cloud-region tables, indexed for lookups.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    pub countries: Vec<CountryCode>,
    pub regions: Vec<CloudRegion>,
    /// Country names and codes, for suggestions.
    names: NameIndex,
}

impl Locations {
    pub fn new(countries: Vec<CountryCode>, regions: Vec<CloudRegion>) -> Self {
        let names = NameIndex::new(
            "country",
            countries.iter().map(|c| {
                [c.name.as_str(), c.alpha3.as_str(), c.alpha2.as_str()]
                    .into_iter()
                    .chain(c.aliases.iter().map(String::as_str))
            }),
        );
        Locations {
            countries,
            regions,
            names,
        }
    }

    /// The country written `query`: an alpha-2 or alpha-3 code or a name, in any case; `None`
    /// when nothing matches (the caller suggests).
    pub fn country(&self, query: &str) -> Option<(&CountryCode, Spelling)> {
        let q = fold(query);
        self.countries.iter().find_map(|c| {
            if c.alpha2.eq_ignore_ascii_case(&q) {
                Some((c, Spelling::Alpha2))
            } else if c.alpha3.eq_ignore_ascii_case(&q) {
                Some((c, Spelling::Alpha3))
            } else if fold(&c.name) == q || c.aliases.iter().any(|a| fold(a) == q) {
                Some((c, Spelling::Name))
            } else {
                None
            }
        })
    }

    /// The country of ISO 3166-1 written `query` (alpha-2, alpha-3 or name, any case), or an
    /// error listing the closest. For readers whose files carry a country column.
    pub fn find_country(&self, query: &str) -> Result<&CountryCode> {
        if query.trim().is_empty() {
            return Err(Diagnostic::of(ErrorKind::EmptyName {
                kind: "country".into(),
            })
            .hint("write an ISO 3166-1 code (FR or FRA) or a country name (France)")
            .into());
        }
        match self.country(query) {
            Some((c, _)) => Ok(c),
            None => Err(self.unknown_country(query, &[])),
        }
    }

    /// The closest country names to `query`, as "FRA (France)".
    pub fn closest_countries(&self, query: &str, n: usize) -> Vec<String> {
        self.names
            .closest(query, n)
            .iter()
            .filter_map(|name| self.countries.iter().find(|c| &c.name == name))
            .map(|c| format!("{} ({})", c.alpha3, c.name))
            .collect()
    }

    /// An unknown-country error for `query`, with the closest countries (and `more`, codes of
    /// other tables) as suggestions.
    pub fn unknown_country(&self, query: &str, more: &[String]) -> crate::error::Error {
        let q = query.trim();
        let mut close = more.to_vec();
        for c in self.closest_countries(q, 3) {
            if !close.contains(&c) {
                close.push(c);
            }
        }
        close.truncate(3);
        let region = self.region_of_text(q).is_some();
        let hint = if region {
            "this is a cloud region: write it as electricity.cloud_region (e.g. \"aws us-east-1\")"
                .to_string()
        } else if close.is_empty() {
            "write an ISO 3166-1 code (FR, FRA) or a country name; WOR is the world average, EEE Europe's; `mlca mix list` shows them all".to_string()
        } else {
            format!(
                "did you mean {}? `mlca mix list` shows every code",
                close.join(", ")
            )
        };
        Diagnostic::of(ErrorKind::UnknownName {
            kind: "country".into(),
            name: q.to_string(),
            candidates: close,
        })
        .message(format!("unknown country \"{q}\" in the electricity data"))
        .hint(hint)
        .into()
    }

    /// The providers of the region table, in order of first appearance.
    pub fn providers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.regions {
            if !out.contains(&r.provider.as_str()) {
                out.push(&r.provider);
            }
        }
        out
    }

    /// Whether `query` starts with a provider of the region table (`aws ...`): it is meant as a
    /// cloud region.
    pub fn names_provider(&self, query: &str) -> bool {
        split_region(query)
            .is_some_and(|(p, _)| self.providers().iter().any(|x| x.eq_ignore_ascii_case(p)))
    }

    /// The region written `query` exactly (any case), if it is one.
    fn region_of_text(&self, query: &str) -> Option<&CloudRegion> {
        let (p, r) = split_region(query)?;
        self.regions
            .iter()
            .find(|x| x.provider.eq_ignore_ascii_case(p) && x.region.eq_ignore_ascii_case(r))
    }

    /// The cloud region written `query`: a provider and its region id, separated by a space, a
    /// slash or a colon (`aws us-east-1`, `gcp/europe-west1`), in any case. An unknown provider
    /// or region is an error with the closest names.
    pub fn find_region(&self, query: &str) -> Result<&CloudRegion> {
        let q = query.trim();
        let providers = self.providers();
        let Some((p, r)) = split_region(q) else {
            return Err(Diagnostic::of(ErrorKind::UnknownName {
                kind: "cloud region".into(),
                name: q.to_string(),
                candidates: Vec::new(),
            })
            .hint(format!(
                "write the provider and the region, e.g. \"aws us-east-1\" (providers: {})",
                providers.join(", ")
            ))
            .into());
        };
        let Some(provider) = providers
            .iter()
            .copied()
            .find(|x| x.eq_ignore_ascii_case(p))
        else {
            let lower = p.to_lowercase();
            let hint = match suggest(&lower, &providers) {
                Some(s) => format!(
                    "did you mean {s}? The providers are {}",
                    providers.join(", ")
                ),
                None => format!("the providers are {}", providers.join(", ")),
            };
            return Err(Diagnostic::of(ErrorKind::UnknownName {
                kind: "cloud provider".into(),
                name: p.to_string(),
                candidates: providers.iter().map(|s| s.to_string()).collect(),
            })
            .hint(hint)
            .into());
        };
        if let Some(x) = self.region_of_text(q) {
            return Ok(x);
        }
        let of: Vec<&str> = self
            .regions
            .iter()
            .filter(|x| x.provider == provider)
            .map(|x| x.region.as_str())
            .collect();
        let lower = r.to_lowercase();
        let mut close: Vec<(f64, &str)> = of
            .iter()
            .map(|x| (strsim::normalized_damerau_levenshtein(&lower, x), *x))
            .filter(|(s, _)| *s > 0.5)
            .collect();
        close.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let close: Vec<String> = close
            .into_iter()
            .take(3)
            .map(|(_, x)| format!("{provider} {x}"))
            .collect();
        let hint = if close.is_empty() {
            format!(
                "{provider} regions in the data: {}",
                of.iter().take(12).copied().collect::<Vec<_>>().join(", ")
                    + if of.len() > 12 { ", ..." } else { "" }
            )
        } else {
            format!("did you mean {}?", close.join(", "))
        };
        Err(Diagnostic::of(ErrorKind::UnknownName {
            kind: "cloud region".into(),
            name: q.to_string(),
            candidates: close,
        })
        .hint(format!(
            "{hint} (`mlca mix list` lists the regions; regions.csv of BoaviztAPI 2.5.0)"
        ))
        .into())
    }
}

/// The embedded country and cloud-region tables (their build-time tables), read once: for the readers of files that
/// carry a country column (CodeCarbon's `country_iso_code`, eco2ai's `country`), which have no
/// [`ImpactData`](super::ImpactData) at hand. Files given with `--data` are not seen here; the
/// embedded tables are checked by the loader's tests.
pub fn embedded() -> &'static Locations {
    static TABLES: std::sync::OnceLock<Locations> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        fn rows<T: serde::de::DeserializeOwned>(file: &str) -> Vec<T> {
            let table = super::embedded::table(file);
            let rows = table.and_then(|t| super::embedded::rows(t).ok());
            rows.unwrap_or_default()
                .into_iter()
                .map(|(_, r)| r)
                .collect()
        }
        Locations::new(rows("countries.csv"), rows("cloud-regions.csv"))
    })
}

/// The ISO 3166-1 country written `query` (FR, FRA, France; any case), from the embedded table,
/// or an error listing the closest.
pub fn country(query: &str) -> Result<&'static CountryCode> {
    embedded().find_country(query)
}

/// A region written "provider region", "provider/region" or "provider:region".
fn split_region(q: &str) -> Option<(&str, &str)> {
    let q = q.trim();
    let i = q.find(|c: char| c.is_whitespace() || c == '/' || c == ':')?;
    let (p, r) = (q[..i].trim(), q[i + 1..].trim());
    (!p.is_empty() && !r.is_empty()).then_some((p, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_tables_read_as_their_files() {
        fn rows<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
            csv::Reader::from_reader(text.as_bytes())
                .deserialize()
                .filter_map(std::result::Result::ok)
                .collect()
        }
        let l = embedded();
        assert_eq!(l.countries, rows::<CountryCode>(COUNTRIES_CSV));
        assert_eq!(l.regions, rows::<CloudRegion>(CLOUD_REGIONS_CSV));
        assert!(!l.regions.is_empty());
    }

    #[test]
    fn every_spelling_of_a_country_finds_it() {
        let l = embedded();
        assert_eq!(l.countries.len(), 249);
        assert_eq!(country("de").map(|c| c.alpha3.as_str()).ok(), Some("DEU"));
        for (q, alpha3, how) in [
            ("FR", "FRA", Spelling::Alpha2),
            ("fr", "FRA", Spelling::Alpha2),
            ("FRA", "FRA", Spelling::Alpha3),
            ("france", "FRA", Spelling::Name),
            ("DE", "DEU", Spelling::Alpha2),
            ("Germany", "DEU", Spelling::Name),
            ("US", "USA", Spelling::Alpha2),
            ("united  states", "USA", Spelling::Name),
            ("United States of America", "USA", Spelling::Name),
            ("South Korea", "KOR", Spelling::Name),
            ("Czechia", "CZE", Spelling::Name),
        ] {
            let (c, s) = l.country(q).unwrap_or_else(|| panic!("{q} not found"));
            assert_eq!((c.alpha3.as_str(), s), (alpha3, how), "{q}");
        }
        assert!(l.country("Atlantis").is_none());
        let e = l.find_country("Frnace").err().map(|e| e.to_string());
        assert!(
            e.as_deref().is_some_and(|e| e.contains("FRA (France)")),
            "{e:?}"
        );
    }

    #[test]
    fn cloud_regions_map_to_their_country() {
        let l = embedded();
        assert_eq!(l.regions.len(), 144);
        for (q, country) in [
            ("aws us-east-1", "USA"),
            ("AWS/eu-west-3", "FRA"),
            ("gcp europe-west1", "BEL"),
            ("azure westeurope", "NLD"),
            ("scaleway:fr-par", "FRA"),
        ] {
            let r = l
                .find_region(q)
                .unwrap_or_else(|e| panic!("{q} not found: {e}"));
            assert_eq!(r.country, country, "{q}");
        }
        let e = l
            .find_region("aws us-est-1")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("did you mean aws us-east-1"), "{e}");
        let e = l
            .find_region("amazon us-east-1")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("unknown cloud provider \"amazon\""), "{e}");
        assert!(e.contains("aws, "), "{e}");
        let e = l.unknown_country("aws us-east-1", &[]).to_string();
        assert!(e.contains("electricity.cloud_region"), "{e}");
    }
}
