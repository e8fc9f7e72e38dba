//! The outlets tealeaf knows by name, and the masthead lines that name them.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Outlet {
    pub slug: &'static str,
    pub name: &'static str,
    pub languages: &'static [&'static str],
    /// Masthead lines printed at the top of a text page, compared
    /// case-insensitively after trimming.
    #[serde(skip)]
    pub mastheads: &'static [&'static str],
}

pub const OUTLETS: &[Outlet] = &[
    Outlet {
        slug: "rodong",
        name: "Rodong Sinmun",
        languages: &["ko", "en", "ru", "zh", "es", "fr", "ar", "ja"],
        mastheads: &["Rodong Sinmun", "Rodong Sinmun Online", "로동신문"],
    },
    Outlet {
        slug: "kcna",
        name: "Korean Central News Agency",
        languages: &["ko", "en", "es", "ru", "zh", "fr", "ja"],
        mastheads: &[
            "KCNA",
            "Korean Central News Agency",
            "Korean Central News Agency of DPRK",
            "KCNA Watch",
            "조선중앙통신",
            // The agency's full name, as its Korean pages sign off.
            "조선중앙통신사",
        ],
    },
];

impl Outlet {
    pub fn by_slug(slug: &str) -> Option<&'static Outlet> {
        OUTLETS
            .iter()
            .find(|o| o.slug.eq_ignore_ascii_case(slug.trim()))
    }

    pub fn by_masthead(line: &str) -> Option<&'static Outlet> {
        let line = crate::text::trim_all(line);
        OUTLETS
            .iter()
            .find(|o| o.mastheads.iter().any(|m| m.eq_ignore_ascii_case(line)))
    }

    /// Display name for a slug; unknown outlets (any `--outlet` is accepted)
    /// are shown by their slug.
    pub fn display_name(slug: &str) -> String {
        Outlet::by_slug(slug)
            .map(|o| o.name.to_string())
            .unwrap_or_else(|| slug.to_string())
    }
}

/// Checks a user-given outlet slug: lowercase letters, digits, `-` and `_`.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 40
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_mastheads() {
        assert_eq!(
            Outlet::by_masthead("로동신문").map(|o| o.slug),
            Some("rodong")
        );
        assert_eq!(
            Outlet::by_masthead(" 조선중앙통신 ").map(|o| o.slug),
            Some("kcna")
        );
        assert_eq!(
            Outlet::by_masthead("조선중앙통신사\u{3000}").map(|o| o.slug),
            Some("kcna")
        );
        assert_eq!(Outlet::by_masthead("신년사"), None);
    }
}
