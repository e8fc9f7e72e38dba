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
        // Most styles hide nothing: no copy unless one could.
        let could = style
            .as_bytes()
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"none") || w.eq_ignore_ascii_case(b"hidd"));
        if !could {
            return false;
        }
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
    let mut walker = Walker::default();
    walker.walk(doc.tree.root(), true);
    let Walker {
        mut flat,
        blocks,
        mut buf,
        ..
    } = walker;
    if let Some(b) = buf.take(blocks.last().copied().unwrap_or(NONE)) {
        flat.blocks.push(b);
    }
    flat
}

/// The walk's state.
#[derive(Default)]
struct Walker {
    flat: Flat,
    /// Open elements' arena indices.
    stack: Vec<u32>,
    /// Innermost open block elements.
    blocks: Vec<u32>,
    /// Depth inside a skipped subtree (0: not skipping).
    skip_depth: usize,
    link_depth: usize,
    pre_depth: usize,
    buf: Buffer,
}

impl Walker {
    /// Walks the tree under `root`; `noscript` says whether markup inside
    /// `<noscript>` is parsed and walked too (html5ever, scripting on,
    /// keeps it as text; Blogger and lazy-loading sites put the article
    /// there). Fragments are walked once, not their own noscripts.
    fn walk(&mut self, root: ego_tree::NodeRef<'_, Node>, noscript: bool) {
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(el) => {
                        if noscript && self.skip_depth == 0 && el.name() == "noscript" {
                            self.noscript(node);
                        }
                        self.open(el);
                    }
                    Node::Text(t) => self.text(t),
                    _ => {}
                },
                Edge::Close(node) => {
                    if let Node::Element(_) = node.value() {
                        self.close();
                    }
                }
            }
        }
    }

    /// Walks the markup a `<noscript>` holds as text when it holds prose.
    fn noscript(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        if self.stack.is_empty() {
            return;
        }
        let text: String = node
            .children()
            .filter_map(|c| c.value().as_text().map(|t| &**t))
            .collect();
        if !(text.contains("<p>") || text.contains("<p ")) {
            return;
        }
        let fragment = Html::parse_fragment(&text);
        self.walk(fragment.tree.root(), false);
    }

    fn open(&mut self, el: &scraper::node::Element) {
        let name = el.name();
        if self.skip_depth > 0 || skipped(name) || hidden(el) {
            self.skip_depth += 1;
            return;
        }
        let tag = Tag::of(name);
        let class = rules::class_verdict(el);
        // An inline element named as boilerplate (a credit, a share link)
        // is dropped here: its text would otherwise join the paragraph
        // around it.
        if !tag.is_block() && class.dropped() {
            self.skip_depth += 1;
            return;
        }
        if name == "br" {
            self.buf.line_break();
        }
        if tag.is_block() {
            if let Some(b) = self.buf.take(self.blocks.last().copied().unwrap_or(NONE)) {
                self.flat.blocks.push(b);
            }
        }
        let index = self.flat.elems.len() as u32;
        self.flat.elems.push(Elem {
            parent: self.stack.last().copied().unwrap_or(NONE),
            tag,
            class,
            text_len: 0,
            link_len: 0,
            paragraphs: u32::from(tag == Tag::P),
            score: 0.0,
            candidate: false,
        });
        if tag == Tag::Img {
            self.flat.images.push(index);
        } else if name == "video" {
            self.flat.videos.push(index);
        }
        self.stack.push(index);
        if tag.is_block() {
            self.blocks.push(index);
        }
        if tag == Tag::A {
            self.link_depth += 1;
        }
        if tag == Tag::Pre {
            self.pre_depth += 1;
        }
    }

    fn text(&mut self, t: &str) {
        if self.skip_depth > 0 {
            return;
        }
        if let Some(&top) = self.stack.last() {
            let in_link = self.link_depth > 0;
            let added = self.buf.push(t, in_link, self.pre_depth > 0);
            if let Some(e) = self.flat.elems.get_mut(top as usize) {
                e.text_len += added;
                if in_link {
                    e.link_len += added;
                }
            }
        }
    }

    fn close(&mut self) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            return;
        }
        let Some(index) = self.stack.pop() else {
            return;
        };
        let Some(e) = self.flat.elems.get(index as usize) else {
            return;
        };
        let (tag, parent, text_len, link_len, paragraphs) =
            (e.tag, e.parent, e.text_len, e.link_len, e.paragraphs);
        if tag.is_block() {
            if let Some(b) = self.buf.take(index) {
                self.flat.blocks.push(b);
            }
            self.blocks.pop();
        }
        if tag == Tag::A {
            self.link_depth = self.link_depth.saturating_sub(1);
        }
        if tag == Tag::Pre {
            self.pre_depth = self.pre_depth.saturating_sub(1);
        }
        if let Some(p) = self.flat.elems.get_mut(parent as usize) {
            p.text_len += text_len;
            p.link_len += link_len;
            p.paragraphs += paragraphs;
        }
    }
}
