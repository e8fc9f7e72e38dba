//! What the site profiles share: a layout as data (selectors), an
//! element's text with inline markup joined and scripts left out, and the
//! page's language when the url does not say.
//!
//! Must not touch: anything one site alone knows (datelines, url keys,
//! counters): those stay in `rodong.rs` and `kcna.rs`.

use scraper::{ElementRef, Html, Selector};
use tealeaf_model::text::collapse_ws;

/// Compiles a selector literal. A literal that does not parse is a bug in
/// this crate, caught by the tests that compile every layout.
pub(crate) fn sel(css: &'static str) -> Selector {
    Selector::parse(css)
        .unwrap_or_else(|e| panic!("selector literal `{css}` does not parse: {e:?}"))
}

/// One layout of a site, as selectors. Adding a layout is adding one of
/// these to the site's list (docs/html.md, "Adding a layout").
pub(crate) struct Layout {
    /// Named in warnings and docs (`rodong-2023`).
    pub name: &'static str,
    /// Present on this layout's article pages and on no earlier layout's
    /// (with the container, when there is one).
    pub marker: &'static str,
    /// The headline; the first match is taken.
    pub title: &'static str,
    /// Body paragraphs, in document order. The headline element is never a
    /// paragraph even when it matches (old rodong centres its headline in
    /// a `p.ArticleContent`).
    pub paragraphs: &'static str,
    /// The article's container: its text is the body when no paragraph
    /// element matches, and the gallery counter and media icons are looked
    /// for in it. Empty: none.
    pub container: &'static str,
    /// The element holding the printed date. Empty: none.
    pub date: &'static str,
    /// When no paragraph element matches, the container's whole text is
    /// the one paragraph (kcna sets some items as text and `<br>`s; on
    /// rodong it would be the gallery's arrows and counter).
    pub whole_container: bool,
}

/// A [`Layout`] with its selectors compiled.
pub(crate) struct Compiled {
    pub name: &'static str,
    marker: Selector,
    title: Selector,
    paragraphs: Selector,
    container: Option<Selector>,
    date: Option<Selector>,
    whole_container: bool,
}

impl Compiled {
    pub fn new(layout: &Layout) -> Compiled {
        let opt = |css: &'static str| (!css.is_empty()).then(|| sel(css));
        Compiled {
            name: layout.name,
            marker: sel(layout.marker),
            title: sel(layout.title),
            paragraphs: sel(layout.paragraphs),
            container: opt(layout.container),
            date: opt(layout.date),
            whole_container: layout.whole_container,
        }
    }

    /// The page has this layout: its marker, and its container when the
    /// layout has one (a listing may share a headline style with articles,
    /// never the article body).
    pub fn matches(&self, doc: &Html) -> bool {
        doc.select(&self.marker).next().is_some()
            && self
                .container
                .as_ref()
                .is_none_or(|c| doc.select(c).next().is_some())
    }

    /// The first headline element with text, and its text.
    pub fn title<'a>(
        &self,
        doc: &'a Html,
        exclude: &[&Selector],
    ) -> Option<(ElementRef<'a>, String)> {
        doc.select(&self.title)
            .map(|e| (e, text_of(e, exclude)))
            .find(|(_, t)| !t.is_empty())
    }

    /// Body paragraphs (empty ones dropped), never the headline element;
    /// for `whole_container` layouts, the container's text (without the
    /// headline and date) when no paragraph element matches.
    pub fn paragraphs(
        &self,
        doc: &Html,
        title: Option<ElementRef>,
        exclude: &[&Selector],
    ) -> Vec<String> {
        let title_id = title.map(|t| t.id());
        let found: Vec<ElementRef> = doc
            .select(&self.paragraphs)
            .filter(|e| Some(e.id()) != title_id)
            .collect();
        if found.is_empty() {
            if !self.whole_container {
                return Vec::new();
            }
            let mut exclude = exclude.to_vec();
            exclude.push(&self.title);
            exclude.extend(self.date.as_ref());
            return self
                .container(doc)
                .map(|c| text_of(c, &exclude))
                .filter(|t| !t.is_empty())
                .into_iter()
                .collect();
        }
        found
            .into_iter()
            .map(|e| text_of(e, exclude))
            .filter(|t| !t.is_empty())
            .collect()
    }

    pub fn container<'a>(&self, doc: &'a Html) -> Option<ElementRef<'a>> {
        doc.select(self.container.as_ref()?).next()
    }

    /// The printed date's text (first non-empty match).
    pub fn date_text(&self, doc: &Html) -> Option<String> {
        doc.select(self.date.as_ref()?)
            .map(|e| text_of(e, &[]))
            .find(|t| !t.is_empty())
    }
}

/// Whether the page names a site (`names` in lower case) in its text or in
/// an attribute a reader or a link shows (href, src, alt, title, content).
pub(crate) fn names_site(doc: &Html, names: &[&str]) -> bool {
    let hit = |s: &str| {
        let lower = s.to_lowercase();
        names.iter().any(|n| lower.contains(n))
    };
    let root = doc.root_element();
    root.text().any(hit)
        || root.descendent_elements().any(|e| {
            ["href", "src", "alt", "title", "content"]
                .iter()
                .filter_map(|a| e.value().attr(a))
                .any(hit)
        })
}

/// Elements whose content is never text a reader sees.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "head", "title"];

/// Elements that end a line when rendered: their text is kept apart from
/// the text around them by a space.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
];

/// An element's text as a reader sees it: inline markup (`<font>`,
/// `<nobr>`, `<span>`) joins without a break, `<br>` and block elements
/// are a space, scripts, styles and anything matching `exclude` are left
/// out, and every run of white space (`&nbsp;` included) is one space.
pub(crate) fn text_of(el: ElementRef, exclude: &[&Selector]) -> String {
    enum Step<'a> {
        Elem(ElementRef<'a>),
        Text(&'a str),
        Space,
    }
    // An explicit stack rather than recursion: a page may nest thousands of
    // `<font>`s, and a deep recursion would overflow the thread's stack.
    let mut out = String::new();
    let mut stack = vec![Step::Elem(el)];
    let root = el.id();
    while let Some(step) = stack.pop() {
        match step {
            Step::Text(t) => out.push_str(t),
            Step::Space => out.push(' '),
            Step::Elem(e) => {
                let name = e.value().name();
                if e.id() != root
                    && (HIDDEN.contains(&name) || exclude.iter().any(|s| s.matches(&e)))
                {
                    continue;
                }
                if name == "br" {
                    out.push(' ');
                    continue;
                }
                if BLOCKS.contains(&name) {
                    out.push(' ');
                    stack.push(Step::Space);
                }
                let at = stack.len();
                for child in e.children() {
                    if let Some(t) = child.value().as_text() {
                        stack.push(Step::Text(t));
                    } else if let Some(c) = ElementRef::wrap(child) {
                        stack.push(Step::Elem(c));
                    }
                }
                stack[at..].reverse();
            }
        }
    }
    collapse_ws(&out)
}

/// The language a page declares (`<html lang="ko-KP">` → `ko`), or else
/// the one its text is written in.
pub(crate) fn language(doc: &Html, title: &str, paragraphs: &[String]) -> Option<String> {
    static HTML_LANG: std::sync::LazyLock<Selector> =
        std::sync::LazyLock::new(|| sel("html[lang]"));
    let declared = doc
        .select(&HTML_LANG)
        .next()
        .and_then(|e| e.value().attr("lang"))
        .and_then(normalize_language);
    declared.or_else(|| guess_language(title, paragraphs).map(str::to_string))
}

/// `ko-KP`, `KO`, `kor` → `ko`; the sites' own path codes (`kr`, `kp`,
/// `cn`, `jp`) → ISO 639-1; anything else that is not two letters → None.
pub(crate) fn normalize_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let code = match primary.as_str() {
        "kr" | "kp" | "kor" => "ko",
        "cn" | "zho" | "chi" => "zh",
        "jp" | "jpn" => "ja",
        "eng" => "en",
        "rus" => "ru",
        "spa" => "es",
        "fra" | "fre" => "fr",
        "ara" => "ar",
        other => other,
    };
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())).then(|| code.to_string())
}

/// The language of a text by its script, and for Latin script by its
/// commonest function words (the sites publish English, Spanish and
/// French). None for a text without letters.
pub(crate) fn guess_language(title: &str, paragraphs: &[String]) -> Option<&'static str> {
    let text = || std::iter::once(title).chain(paragraphs.iter().map(String::as_str));
    let (mut hangul, mut han, mut kana, mut cyrillic, mut arabic, mut latin) = (0, 0, 0, 0, 0, 0);
    let mut letters = 0usize;
    for c in text()
        .flat_map(str::chars)
        .filter(|c| c.is_alphabetic())
        .take(4000)
    {
        letters += 1;
        match c {
            '\u{ac00}'..='\u{d7a3}' | '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' => {
                hangul += 1
            }
            '\u{3040}'..='\u{30ff}' => kana += 1,
            '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' => han += 1,
            '\u{0400}'..='\u{04ff}' => cyrillic += 1,
            '\u{0600}'..='\u{06ff}' => arabic += 1,
            c if c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c) => latin += 1,
            _ => {}
        }
    }
    if letters == 0 {
        return None;
    }
    let most = |n: usize| n * 2 > letters;
    Some(if most(hangul) {
        "ko"
    } else if kana > 0 && most(kana + han) {
        "ja"
    } else if most(han) {
        "zh"
    } else if most(cyrillic) {
        "ru"
    } else if most(arabic) {
        "ar"
    } else if most(latin) {
        latin_language(text())
    } else {
        return None;
    })
}

/// English, Spanish or French, by which language's function words are
/// commonest in the first few hundred words.
fn latin_language<'a>(text: impl Iterator<Item = &'a str>) -> &'static str {
    const EN: &[&str] = &["the", "of", "and", "to", "in", "is", "was", "on", "for"];
    const ES: &[&str] = &["el", "los", "las", "del", "y", "en", "por", "con", "que"];
    const FR: &[&str] = &["le", "les", "des", "du", "et", "est", "une", "dans", "au"];
    let (mut en, mut es, mut fr) = (0, 0, 0);
    for word in text.flat_map(str::split_whitespace).take(400) {
        let w = word
            .trim_matches(|c: char| !c.is_alphabetic())
            .to_lowercase();
        en += usize::from(EN.contains(&w.as_str()));
        es += usize::from(ES.contains(&w.as_str()));
        fr += usize::from(FR.contains(&w.as_str()));
    }
    if es > en && es >= fr {
        "es"
    } else if fr > en && fr > es {
        "fr"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        let doc = Html::parse_fragment(html);
        let root = doc.root_element();
        text_of(root, &[])
    }

    #[test]
    fn inline_markup_joins_and_scripts_stay_out() {
        assert_eq!(
            text("<p>Respected Comrade <nobr><font size=4>Kim&nbsp;Jong</font> Un</nobr>\n  Sends<br>Message<script>var a = 1;</script><style>p{}</style></p>"),
            "Respected Comrade Kim Jong Un Sends Message"
        );
        assert_eq!(text("<div><p>a</p><p>b</p></div>"), "a b");
        assert_eq!(
            text("<p>Kim Jong <span class='fSpecCs'>Un</span>'s</p>"),
            "Kim Jong Un's"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("{}deep{}", "<font>".repeat(20000), "</font>".repeat(20000));
        assert_eq!(text(&html), "deep");
    }

    #[test]
    fn languages() {
        assert_eq!(normalize_language("ko-KP").as_deref(), Some("ko"));
        assert_eq!(normalize_language("kr").as_deref(), Some("ko"));
        assert_eq!(normalize_language("x-klingon"), None);
        let p = |s: &str| vec![s.to_string()];
        assert_eq!(
            guess_language("신년사", &p("사랑하는 온 나라 인민들과 인민군장병들!")),
            Some("ko")
        );
        assert_eq!(
            guess_language(
                "Kim Jong Il",
                &p("The message said that the people of the country")
            ),
            Some("en")
        );
        assert_eq!(
            guess_language(
                "Kim Jong Il envia mensaje",
                &p("El Dirigente envio el dia primero un mensaje a los y las")
            ),
            Some("es")
        );
        assert_eq!(guess_language("金正恩", &p("朝鲜劳动党总书记")), Some("zh"));
        assert_eq!(guess_language("", &p("1 / 11")), None);
    }
}
