//! [`Analysis`]: one field of an article, normalised, tokenised and split,
//! computed once and shared by every stage of the extractor.

use crate::lang::Lang;
use crate::normalize::{normalize, Normalized};
use crate::sentence;
use crate::tokenize::{tokenize, Token};
use naba_model::{Field, Span};
use std::ops::Range;

pub struct Analysis<'a> {
    pub text: &'a str,
    pub lang: Lang,
    /// The original text as code points: spans index into this.
    pub chars: Vec<char>,
    pub norm: Normalized,
    pub tokens: Vec<Token>,
    /// Sentences as ranges of token indices.
    pub sentences: Vec<Range<usize>>,
}

impl<'a> Analysis<'a> {
    pub fn new(text: &'a str, lang: Lang) -> Self {
        // Counted first: `collect` would grow the vector from a quarter of the byte length.
        let mut chars = Vec::with_capacity(text.chars().count());
        chars.extend(text.chars());
        let norm = normalize(&chars);
        let tokens = tokenize(&chars, &norm);
        let sentences = sentence::split(&tokens);
        Analysis {
            text,
            lang,
            chars,
            norm,
            tokens,
            sentences,
        }
    }

    /// The original text of a code-point range.
    pub fn slice(&self, start: usize, end: usize) -> String {
        // One byte per character (ASCII text): code points are byte offsets.
        if self.text.len() == self.chars.len() {
            if let Some(s) = self.text.get(start..end) {
                return s.to_owned();
            }
        }
        let cs = &self.chars[start..end];
        let mut s = String::with_capacity(cs.iter().map(|c| c.len_utf8()).sum());
        s.extend(cs);
        s
    }

    /// A [`Span`] over the original text; `field` is recorded only for the title.
    pub fn span(&self, start: usize, end: usize, field: Field) -> Span {
        Span {
            start,
            end,
            text: self.slice(start, end),
            field: (field == Field::Title).then_some(Field::Title),
        }
    }
}
