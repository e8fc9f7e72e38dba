//! Finds the main text among a flattened page's blocks.
//!
//! Structural and class/id boilerplate is dropped first (as readability
//! and trafilatura do). The article is the element holding the most prose
//! net of link-heavy text; siblings join it when readability's score
//! (commas, length, link density, tag and class weights) or their own net
//! prose says they belong. Then, as jusText does, the blocks inside are
//! kept or dropped one by one by length, link density and context.

use super::dom::{Flat, Tag, NONE};
use super::rules;

/// Blocks shorter than this (characters) score nothing.
const MIN_SCORED_LEN: u32 = 25;

/// How the extractor may use the page's class and id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classes {
    Use,
    /// A retry for pages whose names hide everything (a wrapper named
    /// after its sidebar, say).
    Ignore,
}

/// The indices of `flat.blocks` that are the page's main text, in order.
pub fn select(flat: &mut Flat, classes: Classes) -> Vec<usize> {
    let n = flat.elems.len();
    if n == 0 {
        return Vec::new();
    }
    let dropped = dropped(flat, classes);
    let use_classes = classes == Classes::Use;

    for e in flat.elems.iter_mut() {
        e.score = 0.0;
        e.candidate = false;
    }
    for b in &flat.blocks {
        if dropped[b.elem as usize] || b.len < MIN_SCORED_LEN {
            continue;
        }
        let owner = &flat.elems[b.elem as usize];
        let factor = match owner.tag {
            Tag::Li | Tag::Dt | Tag::Th | Tag::Caption | Tag::Figcaption => 0.5,
            Tag::Heading(_) => 0.25,
            _ => 1.0,
        };
        let commas = b
            .text
            .chars()
            .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
            .count() as f32;
        let ld = b.link_len as f32 / b.len.max(1) as f32;
        let score = (1.0 + commas + (b.len as f32 / 100.0).floor().min(3.0)) * factor * (1.0 - ld);
        let mut at = owner.parent;
        // The owner itself counts as readability's paragraph, its parent
        // as level 0.
        let mut level = 0u32;
        while at != NONE && level < 5 {
            let e = &mut flat.elems[at as usize];
            if !e.candidate {
                e.candidate = true;
                e.score = tag_base(e.tag) + if use_classes { e.class.weight() } else { 0.0 };
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            e.score += score / divider;
            at = e.parent;
            level += 1;
        }
    }
    for e in flat.elems.iter_mut().filter(|e| e.candidate) {
        e.score *= 1.0 - e.link_len as f32 / e.text_len.max(1) as f32;
    }
    let (top, net) = densest(flat, &dropped, use_classes);
    if top == NONE {
        return Vec::new();
    }

    // The article, its siblings that score near it (readability) and its
    // siblings and its parent's siblings with prose of their own (a lead
    // above the body, say).
    let mut selected = vec![false; n];
    selected[top as usize] = true;
    let best = flat.elems[top as usize].score;
    let parent = flat.elems[top as usize].parent;
    if parent != NONE {
        let threshold = (best * 0.2).max(10.0);
        for (i, e) in flat.elems.iter().enumerate() {
            if e.parent != parent || i as u32 == top || dropped[i] {
                continue;
            }
            let ld = e.link_len as f32 / e.text_len.max(1) as f32;
            let same_class = use_classes && e.class == flat.elems[top as usize].class;
            let bonus = if same_class { best * 0.2 } else { 0.0 };
            if (e.candidate && e.score + bonus >= threshold)
                || (e.tag == Tag::P && e.text_len > 80 && ld < 0.25)
                || net[i] > SIBLING_NET
            {
                selected[i] = true;
            }
        }
        let grand = flat.elems[parent as usize].parent;
        if grand != NONE {
            for (i, e) in flat.elems.iter().enumerate() {
                if e.parent != grand || i as u32 == parent || dropped[i] {
                    continue;
                }
                if net[i] > SIBLING_NET {
                    selected[i] = true;
                }
            }
        }
    }

    // Preorder: a parent's index is below its children's.
    let mut inside = vec![false; n];
    let mut link_list = vec![false; n];
    for i in 0..n {
        let e = &flat.elems[i];
        let p = e.parent as usize;
        let (p_inside, p_list) = if e.parent == NONE {
            (false, false)
        } else {
            (inside[p], link_list[p])
        };
        inside[i] = selected[i] || p_inside;
        let ld = e.link_len as f32 / e.text_len.max(1) as f32;
        link_list[i] =
            p_list || (matches!(e.tag, Tag::List | Tag::Table | Tag::Dl | Tag::Menu) && ld > 0.5);
    }

    let mut kept = Vec::new();
    let mut kinds = Vec::new();
    for (i, b) in flat.blocks.iter().enumerate() {
        let at = b.elem as usize;
        if !inside[at] || dropped[at] {
            continue;
        }
        let ld = b.link_len as f32 / b.len.max(1) as f32;
        let caption = matches!(flat.elems[at].tag, Tag::Figcaption | Tag::Figure);
        // The headline is the page's title, not its text; as a bad block
        // it also bounds the context, so kickers and datelines glued
        // above it go with it.
        let headline = flat.elems[at].tag == Tag::Heading(1);
        // A heading over links (its section is mostly links) heads
        // teasers of other pages.
        let over_links = matches!(flat.elems[at].tag, Tag::Heading(_)) && {
            // The heading's section: its first ancestor with text of
            // its own besides the heading.
            let mut p = flat.elems[at].parent;
            while p != NONE && flat.elems[p as usize].text_len < b.len * 3 + SECTION_MIN {
                p = flat.elems[p as usize].parent;
            }
            p != NONE && {
                let pe = &flat.elems[p as usize];
                pe.link_len as f32 > OVER_LINKS * pe.text_len as f32
            }
        };
        let kind = if ld > 0.5
            || over_links
            || link_list[at]
            || caption
            || headline
            || rules::credit_line(&b.text, b.len)
        {
            Kind::Bad
        } else if b.len < SHORT {
            Kind::Short
        } else if b.len >= GOOD && ld < 0.3 {
            Kind::Good
        } else {
            Kind::NearGood
        };
        kept.push(i);
        kinds.push(Judged {
            kind,
            heading: matches!(flat.elems[at].tag, Tag::Heading(_)),
            cell: b.link_len == 0
                && matches!(
                    flat.elems[at].tag,
                    Tag::Td | Tag::Th | Tag::Li | Tag::Dd | Tag::Dt
                ),
            len: b.len,
            sentence: ends_sentence(&b.text),
        });
    }
    let decided = in_context(&kinds);
    kept.into_iter()
        .zip(decided)
        .filter_map(|(i, good)| good.then_some(i))
        .collect()
}

/// Blocks at least this long with few links count as prose when looking
/// for the article.
const PROSE_LEN: u32 = 60;
/// Net prose (characters) that makes a sibling of the article join it.
const SIBLING_NET: f32 = 100.0;
/// Share of link text in a heading's section that makes it a heading of
/// links.
const OVER_LINKS: f32 = 0.4;
/// Text (characters) beside a heading that makes an ancestor its section.
const SECTION_MIN: u32 = 100;
/// Blocks shorter than this are judged by their neighbours.
const SHORT: u32 = 35;
/// Blocks at least this long with few links are prose.
const GOOD: u32 = 80;
/// How far (characters) after a heading prose must start for the heading
/// to belong to it.
const HEADING_REACH: u32 = 100;

/// A block's class before context, as jusText has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Good,
    NearGood,
    Short,
    Bad,
}

/// A block as the context rule sees it.
#[derive(Debug, Clone, Copy)]
struct Judged {
    kind: Kind,
    heading: bool,
    /// A table cell or list item without links: data, not navigation.
    cell: bool,
    len: u32,
    /// Ends as a sentence does (full stop, question or exclamation mark,
    /// closing quote after one).
    sentence: bool,
}

/// Whether `text` ends as a sentence does.
fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '»' | '«' | '“' | '”' | '’' | ')')
    });
    t.ends_with(['.', '!', '?', '。', '！', '？', '…', '।', '؟'])
}

/// jusText's context rule: short and near-good blocks take their class
/// from the nearest good or bad blocks around them (the container's edges
/// count as bad); headings followed closely by prose are good; table
/// cells and list items without links are data and stay.
fn in_context(kinds: &[Judged]) -> Vec<bool> {
    let n = kinds.len();
    // Nearest decided neighbour on each side: true good, false bad.
    let mut prev = vec![false; n];
    let mut last = false;
    for i in 0..n {
        prev[i] = last;
        match kinds[i].kind {
            Kind::Good => last = true,
            Kind::Bad => last = false,
            _ => {}
        }
    }
    let mut next = vec![false; n];
    // Whether a good block starts within HEADING_REACH characters after.
    let mut near = vec![false; n];
    let mut last = false;
    let mut to_good: Option<u32> = None;
    for i in (0..n).rev() {
        next[i] = last;
        near[i] = to_good.is_some_and(|d| d <= HEADING_REACH);
        match kinds[i].kind {
            Kind::Good => {
                last = true;
                to_good = Some(0);
            }
            Kind::Bad => {
                last = false;
                to_good = to_good.map(|d| d.saturating_add(kinds[i].len));
            }
            _ => to_good = to_good.map(|d| d.saturating_add(kinds[i].len)),
        }
    }
    // Whether a good block follows somewhere: past the last one is the
    // article's tail, where teasers, prompts and credits gather.
    let mut after_good = vec![false; n];
    let mut seen = false;
    for i in (0..n).rev() {
        after_good[i] = seen;
        seen |= kinds[i].kind == Kind::Good;
    }
    (0..n)
        .map(|i| {
            let j = kinds[i];
            match j.kind {
                Kind::Good => true,
                Kind::Bad => false,
                _ if j.cell => true,
                Kind::NearGood if !j.sentence && !after_good[i] && j.len < 120 => false,
                Kind::NearGood => prev[i] || next[i],
                Kind::Short => (prev[i] && next[i]) || (j.heading && next[i] && near[i]),
            }
        })
        .collect()
}

/// The element whose subtree holds the most prose net of boilerplate:
/// characters of prose blocks minus twice the characters of link-heavy
/// blocks.
/// Returns it and every element's net prose.
fn densest(flat: &Flat, dropped: &[bool], use_classes: bool) -> (u32, Vec<f32>) {
    let n = flat.elems.len();
    let mut net = vec![0f32; n];
    for b in &flat.blocks {
        let at = b.elem as usize;
        if dropped[at] {
            continue;
        }
        let ld = b.link_len as f32 / b.len.max(1) as f32;
        let v = if ld > 0.5 {
            -2.0 * b.len as f32
        } else if b.len >= PROSE_LEN && ld < 0.3 {
            b.len as f32 * (1.0 - ld)
        } else {
            0.0
        };
        net[at] += v;
    }
    for i in (1..n).rev() {
        let p = flat.elems[i].parent;
        if p != NONE && !dropped[i] {
            net[p as usize] += net[i];
        }
    }
    let mut top = NONE;
    let mut best = f32::MIN;
    for i in 0..n {
        if dropped[i] {
            continue;
        }
        let mut v = net[i];
        // The page saying where its text is (itemprop=articleBody, a
        // class named after the article or its content) breaks near ties.
        if use_classes && v > 0.0 {
            let class = flat.elems[i].class;
            if class.article_body {
                v *= 1.2;
            } else if class.positive {
                v *= 1.1;
            }
        }
        if v > best {
            best = v;
            top = i as u32;
        }
    }
    (top, net)
}

/// Readability's initial score by tag.
fn tag_base(tag: Tag) -> f32 {
    match tag {
        Tag::Div => 5.0,
        Tag::Article => 10.0,
        Tag::Main => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::Address | Tag::List | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form => -3.0,
        Tag::Heading(_) | Tag::Th => -5.0,
        _ => 0.0,
    }
}

/// Which elements are dropped with their subtree: navigation, asides,
/// footers, page headers, forms without prose, and boilerplate names.
fn dropped(flat: &Flat, classes: Classes) -> Vec<bool> {
    let n = flat.elems.len();
    let mut dropped = vec![false; n];
    let mut in_article = vec![false; n];
    let body_len = flat.elems.first().map_or(0.0, |e| e.text_len as f32);
    // Prose (long blocks with few links) under each element.
    let mut prose = vec![0f32; n];
    for b in &flat.blocks {
        if b.len >= GOOD && b.link_len * 10 < b.len * 3 {
            prose[b.elem as usize] += b.len as f32;
        }
    }
    for i in (1..n).rev() {
        let p = flat.elems[i].parent;
        if p != NONE {
            prose[p as usize] += prose[i];
        }
    }
    let total_prose = prose.first().copied().unwrap_or(0.0);
    for i in 0..n {
        let e = &flat.elems[i];
        let (p_dropped, p_article) = if e.parent == NONE {
            (false, false)
        } else {
            (dropped[e.parent as usize], in_article[e.parent as usize])
        };
        in_article[i] = p_article || matches!(e.tag, Tag::Article | Tag::Main);
        // A header, nav or aside left unclosed swallows the page, and
        // some pages name their wrapper after a menu or sidebar: an
        // element that holds most of the page's text or prose is not
        // dropped.
        let wrapper = (e.paragraphs >= 3 && e.text_len as f32 > 0.6 * body_len)
            || (prose[i] > 0.6 * total_prose && prose[i] >= 500.0);
        let own = match e.tag {
            Tag::Nav | Tag::Aside | Tag::Footer | Tag::Menu => !wrapper,
            // A page's header is links and logos; an article's header
            // outside `<article>` is a headline and a lead.
            Tag::Header => {
                let ld = e.link_len as f32 / e.text_len.max(1) as f32;
                !p_article && !wrapper && (e.paragraphs == 0 || ld > 0.33)
            }
            Tag::Form => e.paragraphs < 3 && e.text_len < 1000,
            Tag::Html | Tag::Body | Tag::Article | Tag::Main => false,
            _ => match classes {
                Classes::Use => {
                    (e.class.dropped() || (e.class.teaser && e.link_len * 30 > e.text_len))
                        && !wrapper
                }
                Classes::Ignore => false,
            },
        };
        dropped[i] = p_dropped || own;
    }
    dropped
}
