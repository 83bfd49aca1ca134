//! The tagger's second pass: what the rest of the article says about a word.
//!
//! The first pass ([`super::tagger`]) decides from five words around each
//! token, so one article may tag a name as a person in one sentence and miss
//! it, or cut it short, in the next (طلعت زكريا, then زكريا alone). The
//! second pass adds to each token's first-pass scores a few features of the
//! first-pass tags that the same word got elsewhere in the article (and
//! that its neighbours' words got): the two-stage non-local NER of Krishnan
//! and Manning (2006), with one weight table for both stages. `naba-train`
//! learns every training sentence twice, once without these features and
//! once with those that a first pass trained on the other folds of the
//! corpus gives it, so that the same weights tag without them (the first
//! pass) and with them (the second).
//!
//! Only tokens near a name the first pass found get features
//! ([`DocView::informative`]); a sentence without one keeps its first-pass
//! tags. The second pass reuses the first pass's scores, adds its features'
//! rows, and runs one more Viterbi: +11 % instructions on Arabic entities,
//! which the first pass's per-token hashes (`tagger::TokHashes`) paid back.

use super::clitics;
use super::tagger::{hash_word, NT};
use crate::fxhash::FxHashMap;

/// What the first pass said about a token and its word elsewhere in the
/// article: bit `t` of a set is on when some *other* occurrence got tag `t`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocView {
    /// This token's first-pass tag.
    pub own: u8,
    pub elsewhere: u16,
    /// The sets of the previous and the next token (0 at the edges).
    pub prev: u16,
    pub next: u16,
}

/// The forms under which a word is found again: as written, without the
/// article (and what stands before it), without one separable proclitic.
/// Only words of three letters or more, with a letter first: punctuation
/// and particles say nothing about names.
fn keys(norm: &str) -> impl Iterator<Item = &str> {
    // Arabic letters first: `is_alphabetic` is a table search outside ASCII.
    let letter = |c: char| matches!(c, '\u{621}'..='\u{64a}') || c.is_alphabetic();
    let ok = norm.chars().next().is_some_and(letter) && norm.chars().nth(2).is_some();
    let s = clitics::split(norm);
    let (a, b, c) = (norm, s.nal, s.c1);
    [
        Some(a),
        (b != a).then_some(b),
        (c != a && c != b).then_some(c),
    ]
    .into_iter()
    .flatten()
    .filter(move |_| ok)
}

/// A token as [`doc_views`] reads it: its normalised form.
pub trait Word {
    fn norm(&self) -> &str;
}

impl Word for crate::tokenize::Token {
    fn norm(&self) -> &str {
        &self.norm
    }
}

impl Word for String {
    fn norm(&self) -> &str {
        self
    }
}

impl Word for &str {
    fn norm(&self) -> &str {
        self
    }
}

/// The [`DocView`]s of every token of an article, from the first pass's
/// tags: `sents[k]` are sentence `k`'s normalised tokens, `tags[k]` their tags.
///
/// Only words the first pass put in an entity somewhere are followed: the
/// others have no second-pass features (see [`DocView::informative`]).
pub fn doc_views<S: AsRef<[W]>, W: Word>(sents: &[S], tags: &[Vec<u8>]) -> Vec<Vec<DocView>> {
    const NONE: u32 = u32::MAX;
    let mut index: FxHashMap<&str, u32> = FxHashMap::default();
    for (words, ts) in sents.iter().zip(tags) {
        for (w, &t) in words.as_ref().iter().zip(ts) {
            if t != 0 {
                for k in keys(w.norm()) {
                    let n = index.len() as u32;
                    index.entry(k).or_insert(n);
                }
            }
        }
    }
    let mut counts = vec![[0u16; NT]; index.len()];
    // Each token's entries in `counts`, found once.
    let mut found: Vec<[u32; 3]> = Vec::new();
    if !index.is_empty() {
        for (words, ts) in sents.iter().zip(tags) {
            for (w, &t) in words.as_ref().iter().zip(ts) {
                let mut f = [NONE; 3];
                for (slot, k) in f.iter_mut().zip(keys(w.norm())) {
                    if let Some(&e) = index.get(k) {
                        *slot = e;
                        let c = &mut counts[e as usize][usize::from(t)];
                        *c = c.saturating_add(1);
                    }
                }
                found.push(f);
            }
        }
    }
    let mut at = 0;
    let mut out = Vec::with_capacity(sents.len());
    for ts in tags {
        let mut v: Vec<DocView> = ts
            .iter()
            .map(|&own| {
                let mut elsewhere = 0u16;
                for &e in found.get(at).into_iter().flatten() {
                    if let Some(c) = counts.get(e as usize) {
                        for (t, &n) in c.iter().enumerate() {
                            let others = if t == usize::from(own) { n - 1 } else { n };
                            if others > 0 {
                                elsewhere |= 1 << t;
                            }
                        }
                    }
                }
                at += 1;
                DocView {
                    own,
                    elsewhere,
                    prev: 0,
                    next: 0,
                }
            })
            .collect();
        for i in 0..v.len() {
            if i > 0 {
                v[i].prev = v[i - 1].elsewhere;
            }
            if i + 1 < v.len() {
                v[i].next = v[i + 1].elsewhere;
            }
        }
        out.push(v);
    }
    out
}

impl DocView {
    /// The token, a neighbour, or another occurrence of its word, was put
    /// in an entity by the first pass. Other tokens have no second-pass
    /// features, so a sentence without one keeps its first-pass tags.
    pub fn informative(&self) -> bool {
        const ENTITY: u16 = !1;
        self.own != 0 || (self.elsewhere | self.prev | self.next) & ENTITY != 0
    }
}

#[inline]
fn f(id: u64, x: u64) -> u64 {
    hash_word(0xd0c0_0000 + id, "") ^ x.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The document features of one token, hashed into the same table as
/// the first pass's (they are learnt together: see `naba-train`).
pub fn features(d: &DocView, out: &mut Vec<u64>) {
    if !d.informative() {
        return;
    }
    let own = u64::from(d.own);
    out.push(f(1, own));
    out.push(f(2, u64::from(d.elsewhere)));
    out.push(f(3, u64::from(d.elsewhere) << 8 | own));

    for t in 0..NT as u64 {
        if d.elsewhere & (1 << t) != 0 {
            out.push(f(4, t));
            out.push(f(5, t << 8 | own));
        }
        if d.prev & (1 << t) != 0 {
            out.push(f(6, t));
        }
        if d.next & (1 << t) != 0 {
            out.push(f(7, t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_sees_the_tags_of_its_other_occurrences_not_its_own() {
        // زكريا is I-PER (2) in sentence 0 and O in sentence 1.
        let sents = vec![vec!["طلعت", "زكريا", "قال"], vec!["وزكريا", "."]];
        let tags = vec![vec![1, 2, 0], vec![0, 0]];
        let d = doc_views(&sents, &tags);
        // The second زكريا, found through its proclitic, sees I-PER.
        assert_eq!(d[1][0].elsewhere, 1 << 2);
        // The first sees the O of the second, and not its own I-PER.
        assert_eq!(d[0][1].elsewhere, 1 << 0);
        // طلعت occurs once: nothing elsewhere; its neighbour's set is there.
        assert_eq!(d[0][0].elsewhere, 0);
        assert_eq!(d[0][0].next, 1 << 0);
        // Punctuation and short words are never looked up, but the full
        // stop follows a name found elsewhere: it has features.
        assert_eq!(d[1][1].elsewhere, 0);
        assert_eq!(d[1][1].prev, 1 << 2);
        assert!(d[1][1].informative());
    }

    #[test]
    fn words_never_in_an_entity_are_not_followed() {
        let sents = vec![vec!["قال", "الوزير"], vec!["قال", "سالم"]];
        let tags = vec![vec![0, 0], vec![0, 1]];
        let d = doc_views(&sents, &tags);
        // قال is O twice: nothing is recorded for it, and the words of the
        // first sentence have no second-pass features.
        assert_eq!(d[0][0].elsewhere, 0);
        assert!(!d[0][0].informative() && !d[0][1].informative());
        // سالم is tagged; it occurs once, so its neighbour learns nothing.
        assert!(d[1][1].informative());
        assert!(!d[1][0].informative());
        let mut f = Vec::new();
        features(&d[1][0], &mut f);
        assert!(f.is_empty());
    }
}
