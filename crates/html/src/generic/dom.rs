//! Flattens a parsed page into what the extractor scores: an arena of the
//! body's elements (parent, tag, class/id verdict, subtree text and link
//! lengths) and the page's text blocks (one per run of text between block
//! boundaries), in document order.
//!
//! One iterative walk over the tree (ego_tree's `traverse`), so markup
//! nested a hundred thousand deep costs no stack.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::rules::{self, ClassVerdict};

/// No parent (the arena's roots).
pub const NONE: u32 = u32::MAX;

/// One element of the page's body.
#[derive(Debug, Clone)]
pub struct Elem {
    pub parent: u32,
    pub tag: Tag,
    pub class: ClassVerdict,
    /// Characters of text in the subtree (collapsed whitespace).
    pub text_len: u32,
    /// Of those, characters inside links.
    pub link_len: u32,
    /// `<p>` elements in the subtree.
    pub paragraphs: u32,
    /// Readability's content score, filled by the scorer.
    pub score: f32,
    /// Whether the scorer initialised `score`.
    pub candidate: bool,
}

/// The tags the extractor tells apart; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Html,
    Body,
    P,
    Div,
    Section,
    Article,
    Main,
    Header,
    Footer,
    Nav,
    Aside,
    Form,
    Heading(u8),
    List,
    Li,
    Dl,
    Dd,
    Dt,
    Table,
    Tr,
    Td,
    Th,
    Blockquote,
    Pre,
    Figure,
    Figcaption,
    Address,
    Menu,
    Details,
    Caption,
    /// Any other block-level element (`center`, `fieldset`, `hr`, ...).
    OtherBlock,
    A,
    Img,
    /// An inline element.
    Other,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "html" => Tag::Html,
            "body" => Tag::Body,
            "p" => Tag::P,
            "div" => Tag::Div,
            "section" => Tag::Section,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "header" => Tag::Header,
            "footer" => Tag::Footer,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "form" => Tag::Form,
            "h1" => Tag::Heading(1),
            "h2" => Tag::Heading(2),
            "h3" => Tag::Heading(3),
            "h4" => Tag::Heading(4),
            "h5" => Tag::Heading(5),
            "h6" => Tag::Heading(6),
            "ul" | "ol" => Tag::List,
            "li" => Tag::Li,
            "dl" => Tag::Dl,
            "dd" => Tag::Dd,
            "dt" => Tag::Dt,
            "table" => Tag::Table,
            "tr" => Tag::Tr,
            "td" => Tag::Td,
            "th" => Tag::Th,
            "blockquote" => Tag::Blockquote,
            "pre" => Tag::Pre,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "address" => Tag::Address,
            "menu" => Tag::Menu,
            "details" => Tag::Details,
            "caption" => Tag::Caption,
            "center" | "fieldset" | "hr" | "legend" | "summary" | "tbody" | "thead" | "tfoot"
            | "dialog" | "hgroup" | "output" => Tag::OtherBlock,
            "a" => Tag::A,
            "img" => Tag::Img,
            _ => Tag::Other,
        }
    }

    /// Whether the tag starts and ends a text block.
    pub fn is_block(self) -> bool {
        !matches!(self, Tag::A | Tag::Img | Tag::Other)
    }
}

/// A run of text between two block boundaries.
#[derive(Debug, Clone)]
pub struct Block {
    /// The innermost element the text sits in that is a block.
    pub elem: u32,
    pub text: String,
    /// Characters of `text` (not bytes).
    pub len: u32,
    /// Characters inside links.
    pub link_len: u32,
}

/// The flattened page.
#[derive(Debug, Default)]
pub struct Flat {
    pub elems: Vec<Elem>,
    pub blocks: Vec<Block>,
    /// The `<img>` and `<video>` elements of the body.
    pub images: Vec<u32>,
    pub videos: Vec<u32>,
}

/// Elements whose content is never text a reader sees.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "select"
            | "option"
            | "textarea"
            | "button"
            | "input"
            | "canvas"
            | "audio"
            | "map"
            | "title"
            | "datalist"
            | "dialog"
            | "label"
    )
}

/// Whether inline style or attributes hide the element.
fn hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

/// Accumulates the text of the block being read, collapsing whitespace.
#[derive(Default)]
struct Buffer {
    text: String,
    len: u32,
    link_len: u32,
    /// A space is due before the next visible character.
    space: bool,
}

impl Buffer {
    fn push(&mut self, s: &str, in_link: bool, pre: bool) -> u32 {
        let mut added = 0u32;
        for c in s.chars() {
            if pre && c == '\n' {
                self.text.push('\n');
                self.space = false;
                added += 1;
            } else if c.is_whitespace() {
                self.space = !self.text.is_empty();
            } else {
                if self.space {
                    self.text.push(' ');
                    added += 1;
                    self.space = false;
                }
                self.text.push(c);
                added += 1;
            }
        }
        self.len += added;
        if in_link {
            self.link_len += added;
        }
        added
    }

    fn line_break(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
            self.space = false;
        }
    }

    fn take(&mut self, elem: u32) -> Option<Block> {
        let text = self.text.trim_end();
        let block = if text.is_empty() || elem == NONE {
            None
        } else {
            Some(Block {
                elem,
                text: text.to_string(),
                len: self.len,
                link_len: self.link_len.min(self.len),
            })
        };
        *self = Buffer::default();
        block
    }
}

/// Walks `doc` once.
pub fn flatten(doc: &Html) -> Flat {
    let mut flat = Flat::default();
    // Open elements: arena index (or NONE for a skipped subtree's root).
    let mut stack: Vec<u32> = Vec::new();
    // Innermost open block elements.
    let mut blocks: Vec<u32> = Vec::new();
    let mut skip_depth = 0usize;
    let mut link_depth = 0usize;
    let mut pre_depth = 0usize;
    let mut buf = Buffer::default();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if skip_depth > 0 || skipped(name) || hidden(el) {
                        skip_depth += 1;
                        continue;
                    }
                    let tag = Tag::of(name);
                    let class = rules::class_verdict(el);
                    // An inline element named as boilerplate (a credit, a
                    // share link) is dropped here: its text would otherwise
                    // join the paragraph around it.
                    if !tag.is_block() && class.dropped() {
                        skip_depth += 1;
                        continue;
                    }
                    if name == "br" {
                        buf.line_break();
                    }
                    if tag.is_block() {
                        if let Some(b) = buf.take(blocks.last().copied().unwrap_or(NONE)) {
                            flat.blocks.push(b);
                        }
                    }
                    let index = flat.elems.len() as u32;
                    flat.elems.push(Elem {
                        parent: stack.last().copied().unwrap_or(NONE),
                        tag,
                        class,
                        text_len: 0,
                        link_len: 0,
                        paragraphs: u32::from(tag == Tag::P),
                        score: 0.0,
                        candidate: false,
                    });
                    if tag == Tag::Img {
                        flat.images.push(index);
                    } else if name == "video" {
                        flat.videos.push(index);
                    }
                    stack.push(index);
                    if tag.is_block() {
                        blocks.push(index);
                    }
                    if tag == Tag::A {
                        link_depth += 1;
                    }
                    if tag == Tag::Pre {
                        pre_depth += 1;
                    }
                }
                Node::Text(t) => {
                    if skip_depth > 0 {
                        continue;
                    }
                    if let Some(&top) = stack.last() {
                        let added = buf.push(t, link_depth > 0, pre_depth > 0);
                        if let Some(e) = flat.elems.get_mut(top as usize) {
                            e.text_len += added;
                            if link_depth > 0 {
                                e.link_len += added;
                            }
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Node::Element(_) = node.value() else {
                    continue;
                };
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                let Some(index) = stack.pop() else {
                    continue;
                };
                let Some(e) = flat.elems.get(index as usize) else {
                    continue;
                };
                let (tag, parent, text_len, link_len, paragraphs) =
                    (e.tag, e.parent, e.text_len, e.link_len, e.paragraphs);
                if tag.is_block() {
                    if let Some(b) = buf.take(index) {
                        flat.blocks.push(b);
                    }
                    blocks.pop();
                }
                if tag == Tag::A {
                    link_depth = link_depth.saturating_sub(1);
                }
                if tag == Tag::Pre {
                    pre_depth = pre_depth.saturating_sub(1);
                }
                if let Some(p) = flat.elems.get_mut(parent as usize) {
                    p.text_len += text_len;
                    p.link_len += link_len;
                    p.paragraphs += paragraphs;
                }
            }
        }
    }
    if let Some(b) = buf.take(blocks.last().copied().unwrap_or(NONE)) {
        flat.blocks.push(b);
    }
    flat
}
