//! What class and id names say about an element: boilerplate (comments,
//! sharing, navigation, cookie banners, related links), main content
//! (article, entry, story), or nothing. The word lists follow the
//! conventions readability and trafilatura rely on, as whole words or
//! word parts of the `class` and `id` names, ASCII case ignored.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// The verdict of an element's class and id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassVerdict {
    /// Names boilerplate that is dropped whole (unless also `positive`).
    pub boilerplate: bool,
    /// Names something that is rarely the article (header, meta, tools).
    pub negative: bool,
    /// Names the article or its text.
    pub positive: bool,
    /// `itemprop=articleBody` or the like: the page says where its text is.
    pub article_body: bool,
    /// Another of its names marks the article ("entry-content" beside
    /// "has-sidebar"): not dropped for a boilerplate name.
    pub rescued: bool,
    /// Names a teaser: another article's headline and lead, or this
    /// article's own lead (dropped only when it links away).
    pub teaser: bool,
}

impl ClassVerdict {
    /// Readability's class weight.
    pub fn weight(self) -> f32 {
        let mut w = 0.0;
        if self.boilerplate || self.negative {
            w -= 25.0;
        }
        if self.positive {
            w += 25.0;
        }
        if self.article_body {
            w += 50.0;
        }
        w
    }

    /// Whether the element is dropped with its subtree.
    pub fn dropped(self) -> bool {
        self.boilerplate && !self.rescued && !self.article_body
    }
}

/// Word parts that mark boilerplate wherever they appear in a name.
const BOILERPLATE_PARTS: &[&str] = &[
    "comment",
    "kommentar",
    "sidebar",
    "footer",
    "breadcrumb",
    "cookie",
    "consent",
    "gdpr",
    "newsletter",
    "social",
    "sharing",
    "share-",
    "-share",
    "shariff",
    "related",
    "recommend",
    "outbrain",
    "taboola",
    "disqus",
    "sponsor",
    "promo",
    "subscri",
    "popup",
    "modal",
    "pagination",
    "pager",
    "masthead",
    "navbar",
    "navigation",
    "menu",
    "skiplink",
    "skip-link",
    "advert",
    "werbung",
    "anzeige",
    "tagcloud",
    "tag-cloud",
    "signup",
    "login",
    "paywall",
    "author-bio",
    "authorbio",
    "more-articles",
    "read-more",
    "most-popular",
    "mostpopular",
    "meistgelesen",
    "teaser-list",
    "toolbar",
    "rating",
    "reply",
    "respond",
    "follow-us",
    "offcanvas",
    "off-canvas",
    "dropdown",
    "caption",
    "credit",
    "copyright",
    "author-box",
    "authorbox",
    "about-the-author",
    "next-post",
    "nextpost",
    "prev-next",
    "post-nav",
    "factbox",
    "newsticker",
    "author-desc",
    "author-info",
    "author-profile",
    "author-card",
    "post-author",
    "saboxplugin",
    "mini-bio",
    "tooltip",
    "disclosure",
    "disclaimer",
    "donation",
    "affiliate",
    "licence",
    "license",
    "postmetadata",
    "entry-utility",
    "upsell",
    "nextstory",
    "next-story",
    "listposts",
    "link-list",
    "reading-time",
    "readingtime",
    "ez-toc",
    "flyout",
    "callout",
    "appstore",
    "legend",
    "bilduntertitel",
    "imagedescription",
    "image-description",
    "img-metadata",
    "notice",
    "-cta",
    "cta-",
    "weiterlesen",
];

/// Words that mark boilerplate only as whole words of a name (as parts
/// they are in too many content names: "nav" in "canvas", "ad" in "head").
const BOILERPLATE_WORDS: &[&str] = &[
    "ad",
    "adv",
    "tags",
    "tag",
    "share",
    "shares",
    "foot",
    "banner",
    "sitemap",
    "byline-share",
    "overlay",
    "contact",
    "legal",
    "copyright",
    "sns",
    "tools",
    "bio",
    "cta",
    "topics",
    "alert",
];

/// Word parts of names that are rarely the article.
const NEGATIVE_PARTS: &[&str] = &[
    "header",
    "meta",
    "tool",
    "caption",
    "combx",
    "shoutbox",
    "skyscraper",
    "shopping",
    "scroll",
    "aside",
    "author",
    "date",
    "info",
];

/// Word parts of a name that keep an element with another, boilerplate
/// name (readability's "maybe a candidate" list).
const RESCUE_PARTS: &[&str] = &["article", "body", "content", "main", "entry", "story"];

/// Word parts of names of the article and its text.
const POSITIVE_PARTS: &[&str] = &[
    "article", "content", "entry", "post", "body", "text", "story", "main", "blog", "artikel",
    "beitrag", "inhalt", "column",
];

/// Word parts of names of teasers.
const TEASER_PARTS: &[&str] = &["teaser"];

/// Classifies an element by its class, id and a few attributes.
pub fn class_verdict(el: &scraper::node::Element) -> ClassVerdict {
    let mut verdict = ClassVerdict::default();
    let (mut class, mut id) = ("", "");
    // One pass over the attributes: this runs for every element.
    for (name, value) in el.attrs() {
        match name {
            "class" => class = value,
            "id" => id = value,
            "itemprop"
                if value.eq_ignore_ascii_case("articleBody")
                    || value.eq_ignore_ascii_case("text") =>
            {
                verdict.article_body = true
            }
            "role" => match value.to_ascii_lowercase().as_str() {
                "navigation" | "banner" | "contentinfo" | "complementary" | "search" | "menu"
                | "menubar" | "dialog" | "alertdialog" => verdict.boilerplate = true,
                "main" | "article" => verdict.positive = true,
                _ => {}
            },
            _ => {}
        }
    }
    // Judged name by name: "related-post-content" names a related post,
    // while "entry-content has-sidebar" names the article in a layout
    // with a sidebar.
    for name in class
        .split_ascii_whitespace()
        .chain(id.split_ascii_whitespace())
    {
        let mut found = [false; 5];
        for m in PARTS.find_overlapping_iter(name) {
            found[category(m.pattern().as_usize())] = true;
        }
        let boilerplate = found[BOILERPLATE]
            || name
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| BOILERPLATE_WORDS.iter().any(|b| b.eq_ignore_ascii_case(w)));
        if boilerplate {
            verdict.boilerplate = true;
        } else if found[RESCUE] {
            verdict.rescued = true;
        }
        verdict.negative |= found[NEGATIVE] || found[TEASER];
        verdict.teaser |= found[TEASER] && !found[RESCUE];
        verdict.positive |= found[POSITIVE] || found[RESCUE];
    }
    verdict
}

const BOILERPLATE: usize = 0;
const RESCUE: usize = 1;
const NEGATIVE: usize = 2;
const POSITIVE: usize = 3;
const TEASER: usize = 4;

/// The word lists in one automaton (aho-corasick, as the regex crate
/// uses): a substring test per list and name costs a fifth of the whole
/// extraction otherwise.
static PARTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(
            BOILERPLATE_PARTS
                .iter()
                .chain(RESCUE_PARTS)
                .chain(NEGATIVE_PARTS)
                .chain(POSITIVE_PARTS)
                .chain(TEASER_PARTS),
        )
        .expect("static word lists")
});

/// Which list the automaton's pattern `i` comes from.
fn category(i: usize) -> usize {
    let lists = [
        BOILERPLATE_PARTS.len(),
        RESCUE_PARTS.len(),
        NEGATIVE_PARTS.len(),
        POSITIVE_PARTS.len(),
        TEASER_PARTS.len(),
    ];
    let mut end = 0;
    for (c, len) in lists.iter().enumerate() {
        end += len;
        if i < end {
            return c;
        }
    }
    TEASER
}

/// Lines that credit a photo or claim copyright, in the languages of the
/// pages tealeaf reads most ("Foto: dpa", "© 2021 ...", "All rights
/// reserved"): never the article's text however they are marked up.
static CREDIT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\(?(?:©|\(c\)|copyright(?-u:\b)|(?:foto|fotos|photo|photos|bild|bilder|image|images|quelle|source|credit|credits|crédit|crédito|zdjęcie|titelbild|beitragsbild|bildquelle|headerbild|fotonachweis|bildnachweis)\s*:|(?:photo|photograph|image|picture)s?\s+(?:by|courtesy)(?-u:\b)|(?:abbildung|abb\.|figure|fig\.|grafik|schaubild)\s*\d+\s*:)|all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados",
    )
    .expect("static regex")
});

/// Whether a short block is a credit or copyright line, or asks the
/// reader to subscribe, follow or read on elsewhere.
pub fn credit_line(text: &str, len: u32) -> bool {
    len < 160 && (CREDIT.is_match(text.trim_start()) || PROMPT.is_match(text.trim_start()))
}

/// Lines that ask the reader to subscribe, follow or read on elsewhere,
/// label an advertisement, or date the page ("Aktualisiert: 11.04.2020").
/// Word boundaries are ASCII ones, so the regex runs as a DFA.
static PROMPT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^(?:subscribe(?-u:\b)|sign up(?-u:\b)|follow (?:us|the)(?-u:\b)|folgen sie(?-u:\b)|abonnieren sie(?-u:\b)|jetzt abonnieren|lesen sie (?:auch|mehr)(?-u:\b)|mehr zum thema(?-u:\b)|weiterlesen(?-u:\b)|siehe auch(?-u:\b)|see also(?-u:\b)|read more(?-u:\b)|zum weiterlesen|ähnliche beiträge|das könnte (?:dich|sie) auch|you may also like|related (?:articles|posts|stories)(?-u:\b)|\*?(?:werbung|anzeige|advertisement|sponsored)(?-u:\b)|(?:aktualisiert|updated|last updated|veröffentlicht|published|publié|publicado|pubblicato|opublikowano)(?:\s+(?:am|on|le|el|il))?\s*:?\s*\d)|newsletter",
    )
    .expect("static regex")
});
