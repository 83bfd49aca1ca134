//! The Arabic sequence tagger: an averaged perceptron over BIO tags with
//! Viterbi decoding over tag bigrams.
//!
//! Features are hashed (no feature dictionary to store or look up): each
//! feature string is hashed straight from the token's borrowed text into a
//! bucket of a fixed-size weight table, so tagging allocates nothing per
//! token. The same [`features`] function serves training (`naba-train`) and
//! tagging, which is what keeps the two consistent.
//!
//! Model file (little endian), written by [`Model::to_bytes`]:
//! `NABANER1`, u8 bucket bits, u8 tag count, f32 scale, transition weights
//! ((tags + 1) x tags f32, the last row is the sentence start), u32 length +
//! UTF-8 name-word list (one per line), u32 length + common-word list, u32
//! entry count, then per non-zero weight a varint index delta and a zigzag
//! varint quantised weight. A `NABANER2` file is the same with weights for
//! the document features of the second pass ([`super::doclayer`]).

use super::clitics;
use super::doclayer::{self, DocView};
use super::gazetteer::{GazTag, Gazetteer, Profile, WordHashes};
use crate::tokenize::{Token, TokenKind};
use crate::LoadError;
use naba_model::EntityType;

/// BIO tags. MISC is learnt (so that the model does not confuse it with
/// the other types) but never reported.
pub const TAGS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];
pub const NT: usize = TAGS.len();
pub const O: u8 = 0;

/// Parses a corpus tag (`B-PERS`, `I-LOC`, `O`...) into a tag index.
pub fn tag_index(s: &str) -> Option<u8> {
    let s = s.replace("PERS", "PER");
    TAGS.iter().position(|t| *t == s).map(|i| i as u8)
}

pub fn is_begin(t: u8) -> bool {
    t != O && t % 2 == 1
}

/// The entity type of a tag; `None` for O and MISC.
pub fn tag_type(t: u8) -> Option<EntityType> {
    match t {
        1 | 2 => Some(EntityType::Person),
        3 | 4 => Some(EntityType::Organisation),
        5 | 6 => Some(EntityType::Location),
        _ => None,
    }
}

/// An I- tag may only continue its own type.
pub fn allowed(prev: Option<u8>, cur: u8) -> bool {
    if cur == O || is_begin(cur) {
        return true;
    }
    matches!(prev, Some(p) if p == cur || p + 1 == cur)
}

const K: u64 = 0x517c_c1b7_2722_0a95;

#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

#[inline]
pub fn hash_word(mut h: u64, s: &str) -> u64 {
    let b = s.as_bytes();
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = mix(
            h,
            crate::fxhash::load_le(rest) ^ ((rest.len() as u64) << 59),
        );
    }
    mix(h, b.len() as u64)
}

/// What the features need to know about one token, computed once per sentence.
#[derive(Clone, Copy)]
pub struct TokView<'a> {
    pub norm: &'a str,
    /// After the definite article (and any proclitic before it), or the word.
    pub nal: &'a str,
    /// After one separable proclitic letter, or the word.
    pub c1: &'a str,
    pub kind: TokenKind,
    pub has_al: bool,
    pub gaz: GazTag,
    pub lex: u8,
    /// How common the word was in the training corpus (0 rare/unseen, 1, 2):
    /// learnt on rare training words, it carries over to unseen names.
    pub freq: u8,
    /// Token kind and length class, read by several features of this token
    /// and its neighbours: computed once here.
    pub shape: u64,
    /// Word classes (fine, coarse) of [`cluster_key`], 0 for a word too rare
    /// in the training text to have one.
    pub cluster: (u8, u8),
    /// The word's profile in general text ([`Gazetteer::key_info`]): how
    /// common it is, how often it takes the article or a pronoun suffix.
    /// Names seldom take either, so it tells an unseen foreign name from
    /// an unseen ordinary word.
    pub profile: Profile,
    /// Hashes of `norm`, `nal`, `c1` and the last two letters of `norm`:
    /// the features of this token and of its four neighbours read them, so
    /// each string is hashed once rather than five times.
    pub h: TokHashes,
}

#[derive(Clone, Copy)]
pub struct TokHashes {
    pub norm: u64,
    pub nal: u64,
    pub c1: u64,
    pub suf2: u64,
}

impl TokHashes {
    fn of(norm: &str, nal: &str, c1: &str) -> TokHashes {
        TokHashes {
            norm: hash_word(0, norm),
            nal: hash_word(0, nal),
            c1: hash_word(0, c1),
            suf2: hash_word(0, suffix(norm, 2)),
        }
    }

    /// The sentence edges' stand-in.
    const PAD: TokHashes = TokHashes {
        norm: 0x5eed_0001,
        nal: 0x5eed_0002,
        c1: 0x5eed_0003,
        suf2: 0x5eed_0004,
    };
}

/// The form of a word that word classes are computed on and looked up by:
/// without the article and what stands before it, or else without a leading
/// conjunction و/ف (when three letters remain), so that a word's clitic forms
/// pool their contexts.
pub fn cluster_key(norm: &str) -> &str {
    cluster_key_of(norm, &clitics::split(norm))
}

/// [`cluster_key`] from the word's split, when the caller has it already.
fn cluster_key_of<'a>(norm: &'a str, s: &clitics::Split<'a>) -> &'a str {
    if s.has_al {
        return s.nal;
    }
    let mut cs = norm.chars();
    match cs.next() {
        Some('و' | 'ف') if cs.clone().nth(2).is_some() => cs.as_str(),
        _ => norm,
    }
}

/// Lexicon membership bits of [`TokView::lex`].
pub const LEX_TITLE: u8 = 1;
pub const LEX_ORG_HEAD: u8 = 2;
pub const LEX_GIVEN: u8 = 4;
pub const LEX_FAMILY: u8 = 8;
pub const LEX_NATIONALITY: u8 = 16;
pub const LEX_LOC: u8 = 32;
pub const LEX_ORG: u8 = 64;
pub const LEX_PERSON: u8 = 128;

/// Builds the per-token views of a sentence.
pub fn views<'t>(tokens: &'t [Token], gaz: &Gazetteer) -> Vec<TokView<'t>> {
    let mut buf = String::new();
    let hashes: Vec<WordHashes> = tokens
        .iter()
        .map(|t| WordHashes::new(&t.norm, &mut buf))
        .collect();
    let mut out: Vec<TokView<'t>> = tokens
        .iter()
        .zip(&hashes)
        .map(|(t, h)| {
            let s = clitics::split(&t.norm);
            let (lex, freq) = gaz.lex_bits_and_freq_of(h);
            let (cluster, profile) = gaz.key_info(&t.norm, cluster_key_of(&t.norm, &s), h);
            TokView {
                norm: &t.norm,
                nal: s.nal,
                c1: s.c1,
                kind: t.kind,
                has_al: s.has_al,
                gaz: GazTag::NONE,
                lex,
                freq,
                shape: shape(t.kind, &t.norm),
                cluster,
                profile,
                h: TokHashes::of(&t.norm, s.nal, s.c1),
            }
        })
        .collect();
    let tags = gaz.tag_sentence(&out, &hashes);
    for (v, g) in out.iter_mut().zip(tags) {
        v.gaz = g;
    }
    out
}

fn shape(kind: TokenKind, norm: &str) -> u64 {
    let kind = match kind {
        TokenKind::Number => 1,
        TokenKind::Punct => 2,
        TokenKind::Word => {
            if norm.is_ascii() {
                3
            } else {
                4
            }
        }
    };
    let n = norm.chars().count();
    let len = match n {
        0..=2 => n as u64,
        3..=4 => 3,
        5..=7 => 4,
        _ => 5,
    };
    kind * 8 + len
}

fn prefix(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The last `n` characters (all of a shorter word), found from the end.
fn suffix(s: &str, n: usize) -> &str {
    match n.checked_sub(1).and_then(|k| s.char_indices().rev().nth(k)) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

/// The token `j` places away from token `i`, if the sentence has one.
fn around<'v, 'a>(v: &'v [TokView<'a>], i: usize, j: isize) -> Option<&'v TokView<'a>> {
    i.checked_add_signed(j).and_then(|k| v.get(k))
}

/// Pushes the hashed features of token `i` of a sentence onto `out`.
pub fn features(v: &[TokView<'_>], i: usize, out: &mut Vec<u64>) {
    let hs = |j: isize| -> TokHashes { around(v, i, j).map_or(TokHashes::PAD, |t| t.h) };
    let t = &v[i];
    let f = |id: u64| mix(0x9e37_79b9, id);
    let (p1, p2, n1, n2) = (hs(-1), hs(-2), hs(1), hs(2));
    out.push(f(1));
    out.push(mix(f(2), t.h.norm));
    out.push(mix(f(3), p1.norm));
    out.push(mix(f(4), p2.norm));
    out.push(mix(f(5), n1.norm));
    out.push(mix(f(6), n2.norm));
    out.push(mix(mix(f(7), p1.norm), t.h.norm));
    out.push(mix(mix(f(8), t.h.norm), n1.norm));
    for n in 1..=3 {
        out.push(hash_word(f(10 + n as u64), prefix(t.norm, n)));
        out.push(hash_word(f(20 + n as u64), suffix(t.norm, n)));
    }
    out.push(mix(f(30), t.h.nal));
    out.push(mix(f(31), t.h.c1));
    out.push(mix(f(32), t.has_al as u64));
    out.push(mix(f(33), t.shape));
    let sh = |j: isize| -> u64 { around(v, i, j).map_or(99, |t| t.shape) };
    out.push(mix(mix(f(34), sh(-1)), t.shape));
    out.push(mix(mix(f(35), t.shape), sh(1)));
    if i > 0 {
        let p = &v[i - 1];
        out.push(mix(f(40), p.h.nal));
        out.push(mix(f(41), p.h.suf2));
        out.push(mix(f(42), p.gaz.0 as u64));
        out.push(mix(f(43), p.lex as u64));
    } else {
        out.push(f(44));
    }
    if i + 1 < v.len() {
        let n = &v[i + 1];
        out.push(mix(f(50), n.h.nal));
        out.push(mix(f(51), n.gaz.0 as u64));
        out.push(mix(f(52), n.lex as u64));
        out.push(mix(f(53), n.h.suf2));
    }
    if i > 1 {
        out.push(mix(f(45), v[i - 2].lex as u64));
    }
    out.push(mix(f(60), t.gaz.0 as u64));
    out.push(mix(mix(f(63), t.freq as u64), t.shape));
    out.push(mix(mix(f(64), t.freq as u64), t.has_al as u64));
    if i > 0 {
        out.push(mix(mix(f(65), t.freq as u64), v[i - 1].freq as u64));
    }
    if i + 1 < v.len() {
        out.push(mix(mix(f(66), t.freq as u64), v[i + 1].freq as u64));
    }
    // Letter bigrams of the stem: transliterated foreign names have their own.
    let mut prev: Option<usize> = None;
    let mut prev2: Option<usize> = None;
    for (k, _) in t.nal.char_indices().chain([(t.nal.len(), ' ')]) {
        if let Some(p2) = prev2 {
            out.push(hash_word(f(67), &t.nal[p2..k]));
        }
        prev2 = prev;
        prev = Some(k);
    }
    // The clitic-stripped stem's affixes and its context (the corpus keeps
    // proclitics attached, so the stem carries what the word shares with
    // its other written forms).
    for n in 1..=3 {
        out.push(hash_word(f(70 + n as u64), prefix(t.nal, n)));
        out.push(hash_word(f(75 + n as u64), suffix(t.c1, n)));
    }
    // Twice the weight of feature 31 in effect: kept because the model
    // selected on both dev sets was trained with it.
    out.push(mix(f(80), t.h.c1));
    out.push(mix(mix(f(81), p1.c1), t.h.c1));
    out.push(mix(mix(f(82), t.h.c1), n1.c1));
    out.push(mix(f(83), p2.c1));
    out.push(mix(f(84), n2.c1));
    out.push(mix(mix(f(85), p2.c1), p1.c1));
    out.push(mix(mix(f(86), n1.c1), n2.c1));
    out.push(mix(mix(f(87), p1.c1), t.gaz.0 as u64));
    out.push(mix(mix(f(88), t.gaz.0 as u64), t.lex as u64));
    // Word classes: a name unseen in training shares its class, and its
    // neighbours' classes, with the names used like it.
    let cl = |j: isize| around(v, i, j).map_or((255, 255), |t| t.cluster);
    let (pc, nc) = (cl(-1), cl(1));
    out.push(mix(f(90), t.cluster.0 as u64));
    out.push(mix(f(91), t.cluster.1 as u64));
    out.push(mix(f(92), pc.0 as u64));
    out.push(mix(f(93), nc.0 as u64));
    out.push(mix(mix(f(94), pc.1 as u64), t.cluster.1 as u64));
    out.push(mix(mix(f(95), t.cluster.1 as u64), nc.1 as u64));
    out.push(mix(f(98), cl(-2).1 as u64));
    out.push(mix(f(99), cl(2).1 as u64));
    out.push(mix(mix(f(100), t.cluster.0 as u64), t.has_al as u64));
    // The word's profile in general text, whole and without its frequency
    // band (how often the word takes the article and a pronoun suffix, in
    // `naba-train profiles`' code), and its neighbours' usage: what the
    // training corpus cannot say about a word it never saw.
    let (p, u) = (t.profile.code() as u64, t.profile.usage() as u64);
    let usage = |j: isize| around(v, i, j).map_or(255, |t| t.profile.usage()) as u64;
    out.push(mix(f(110), p));
    out.push(mix(f(111), u));
    out.push(mix(mix(f(112), p), t.has_al as u64));
    out.push(mix(mix(f(113), u), t.shape));
    out.push(mix(mix(f(114), usage(-1)), u));
    out.push(mix(mix(f(115), u), usage(1)));
    out.push(mix(mix(f(116), u), t.cluster.1 as u64));
    out.push(mix(f(61), t.lex as u64));
    for bit in 0..8 {
        if t.lex & (1 << bit) != 0 {
            out.push(mix(f(62), bit));
        }
    }
}

/// The non-zero rows of the hashed weight table, packed.
///
/// The dense table (2^bits buckets x NT tags of i16, 18 MB at 20 bits) is
/// more than 90 % zeros and far larger than the caches, and tagging reads it
/// at random: one cache miss per feature. Packed, a bucket is found through a
/// bitmap with a running count per 64 buckets (256 KB at 20 bits) and its
/// NT weights sit together in `rows` (1.5 MB for the committed model); a
/// feature that hit an empty bucket reads the zero row, which stays cached.
#[derive(Debug, Clone, PartialEq)]
struct Weights {
    blocks: Vec<Block>,
    /// The zero row, then one row per set bit of `blocks`, in bucket order.
    rows: Vec<[i16; NT]>,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            blocks: Vec::new(),
            rows: vec![[0; NT]],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Block {
    /// Bit `k` is set when bucket `64 * block + k` has a row.
    mask: u64,
    /// Index in `rows` of this block's first row.
    base: u32,
}

impl Weights {
    /// Packs `(index, weight)` pairs (index = bucket * NT + tag) given in
    /// increasing index order; zero weights are left out, a repeated index
    /// keeps its last weight, indices beyond the table are an error.
    fn from_sorted(
        bits: u32,
        pairs: impl IntoIterator<Item = (usize, i16)>,
    ) -> Result<Weights, LoadError> {
        let buckets = 1usize << bits;
        let mut w = Weights {
            blocks: vec![Block::default(); buckets.div_ceil(64)],
            ..Weights::default()
        };
        let mut last: Option<usize> = None;
        for (idx, x) in pairs {
            let bucket = idx / NT;
            if bucket >= buckets {
                return Err(LoadError::Model("weight index out of range".into()));
            }
            if last.is_some_and(|l| l > bucket) {
                return Err(LoadError::Model("weights out of order".into()));
            }
            if x == 0 {
                continue;
            }
            if last != Some(bucket) {
                w.blocks[bucket / 64].mask |= 1 << (bucket % 64);
                w.rows.push([0; NT]);
                last = Some(bucket);
            }
            if let Some(row) = w.rows.last_mut() {
                row[idx % NT] = x;
            }
        }
        let mut base = 1u32;
        for b in &mut w.blocks {
            b.base = base;
            base += b.mask.count_ones();
        }
        Ok(w)
    }

    /// The weights of one bucket (the zero row for an empty one).
    #[cfg(test)]
    fn row(&self, bucket: usize) -> &[i16; NT] {
        self.rows.get(self.rank(bucket)).unwrap_or(&[0; NT])
    }

    /// The index in `rows` of a bucket's row (0, the zero row, when empty).
    /// Without a branch on emptiness, which would be mispredicted often and
    /// hold back the loads that follow.
    #[inline]
    fn rank(&self, bucket: usize) -> usize {
        let b = self.blocks.get(bucket / 64).copied().unwrap_or_default();
        let bit = bucket % 64;
        let present = ((b.mask >> bit) & 1) as usize;
        let below = (b.mask & ((1u64 << bit) - 1)).count_ones() as usize;
        (b.base as usize + below) * present
    }

    /// Every non-zero weight as `(index, weight)`, in index order.
    fn pairs(&self) -> impl Iterator<Item = (usize, i16)> + '_ {
        let buckets = self.blocks.iter().enumerate().flat_map(|(k, b)| {
            (0..64)
                .filter(move |bit| b.mask & (1u64 << bit) != 0)
                .map(move |bit| k * 64 + bit)
        });
        buckets
            .zip(self.rows.iter().skip(1))
            .flat_map(|(bucket, row)| {
                row.iter()
                    .enumerate()
                    .filter(|(_, x)| **x != 0)
                    .map(move |(tag, x)| (bucket * NT + tag, *x))
            })
    }
}

/// The weights, ready to score.
pub struct Model {
    bits: u32,
    scale: f32,
    /// Quantised: weight = i16 x `scale`.
    weights: Weights,
    pub trans: [[f32; NT]; NT + 1],
    /// Words seen inside names at training time (normalised, without proclitics).
    pub name_words: Vec<String>,
    /// Training-corpus words with their frequency class (see [`TokView::freq`]).
    pub common_words: Vec<(String, u8)>,
    /// The processor has POPCNT (see [`Model::emission`]): asked once at load.
    popcnt: bool,
    /// The model was trained with document features: tag twice.
    pub stacked: bool,
}

/// Whether [`Model::emission_popcnt`] may run on this processor.
fn has_popcnt() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("popcnt")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

const MAGIC: &[u8; 8] = b"NABANER1";
const MAGIC2: &[u8; 8] = b"NABANER2";

/// Quantises `dense` to i16 steps of the returned scale.
fn quantise(dense: &[f32]) -> (f32, impl Iterator<Item = (usize, i16)> + '_) {
    let max = dense.iter().fold(0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    let q = dense
        .iter()
        .map(move |w| (w / scale).round().clamp(-32767.0, 32767.0) as i16)
        .enumerate();
    (scale, q)
}

fn put_trans(out: &mut Vec<u8>, trans: &[[f32; NT]; NT + 1]) {
    for row in trans {
        for w in row {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
}

/// Non-zero `(index, weight)` pairs in index order: a count, then index
/// deltas and zigzag weights as varints.
fn put_pairs(out: &mut Vec<u8>, pairs: impl Iterator<Item = (usize, i16)>) {
    let nz: Vec<(usize, i16)> = pairs.filter(|(_, w)| *w != 0).collect();
    out.extend_from_slice(&(nz.len() as u32).to_le_bytes());
    let mut last = 0usize;
    for (i, w) in nz {
        put_varint(out, (i - last) as u64);
        last = i;
        let z = ((i64::from(w) << 1) ^ (i64::from(w) >> 63)) as u64;
        put_varint(out, z);
    }
}

fn put_varint(out: &mut Vec<u8>, mut x: u64) {
    while x >= 0x80 {
        out.push((x as u8) | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], LoadError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| LoadError::Model("truncated".into()))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, LoadError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, LoadError> {
        let mut w = [0u8; 4];
        w.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(w))
    }
    fn f32(&mut self) -> Result<f32, LoadError> {
        Ok(f32::from_bits(self.u32()?))
    }
    fn varint(&mut self) -> Result<u64, LoadError> {
        let mut x = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            x |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(x);
            }
        }
        Err(LoadError::Model("varint too long".into()))
    }
    fn trans(&mut self) -> Result<[[f32; NT]; NT + 1], LoadError> {
        let mut trans = [[0f32; NT]; NT + 1];
        for row in &mut trans {
            for w in row.iter_mut() {
                *w = self.f32()?;
            }
        }
        Ok(trans)
    }
    /// The pairs [`put_pairs`] wrote.
    fn pairs(&mut self) -> Result<Vec<(usize, i16)>, LoadError> {
        let count = self.u32()?;
        let mut pairs = Vec::with_capacity((count as usize).min(self.b.len()));
        let mut idx = 0usize;
        for k in 0..count {
            let d = self.varint()? as usize;
            idx = if k == 0 { d } else { idx.saturating_add(d) };
            let z = self.varint()?;
            let w = ((z >> 1) as i64) ^ -((z & 1) as i64);
            let w = i16::try_from(w).map_err(|_| LoadError::Model("weight overflow".into()))?;
            pairs.push((idx, w));
        }
        Ok(pairs)
    }
}

impl Model {
    /// Quantises and prunes trained weights (`dense[bucket * NT + tag]`).
    pub fn from_dense(
        bits: u32,
        dense: &[f32],
        trans: [[f32; NT]; NT + 1],
        name_words: Vec<String>,
        common_words: Vec<(String, u8)>,
    ) -> Model {
        let (scale, quantised) = quantise(dense);
        // Training tables have exactly 2^bits x NT entries: nothing is out of range.
        let weights = Weights::from_sorted(bits, quantised).unwrap_or_default();
        Model {
            bits,
            scale,
            weights,
            trans,
            name_words,
            common_words,
            popcnt: has_popcnt(),
            stacked: false,
        }
    }

    /// Drops weights whose magnitude is below `min` (in model units).
    pub fn prune(&mut self, min: f32) {
        let q = (min / self.scale) as i32;
        let kept: Vec<(usize, i16)> = self
            .weights
            .pairs()
            .filter(|(_, w)| i32::from(*w).abs() >= q)
            .collect();
        // Already in order and in range: the same table, thinner.
        self.weights = Weights::from_sorted(self.bits, kept).unwrap_or_default();
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(if self.stacked { MAGIC2 } else { MAGIC });
        out.push(self.bits as u8);
        out.push(NT as u8);
        out.extend_from_slice(&self.scale.to_le_bytes());
        put_trans(&mut out, &self.trans);
        let words = self.name_words.join("\n");
        out.extend_from_slice(&(words.len() as u32).to_le_bytes());
        out.extend_from_slice(words.as_bytes());
        let common: Vec<String> = self
            .common_words
            .iter()
            .map(|(w, c)| format!("{c}{w}"))
            .collect();
        let common = common.join("\n");
        out.extend_from_slice(&(common.len() as u32).to_le_bytes());
        out.extend_from_slice(common.as_bytes());
        put_pairs(&mut out, self.weights.pairs());
        out
    }

    pub fn from_bytes(b: &[u8]) -> Result<Model, LoadError> {
        let mut r = Reader { b, pos: 0 };
        let stacked = match r.take(8)? {
            m if m == MAGIC => false,
            m if m == MAGIC2 => true,
            _ => return Err(LoadError::Model("bad magic".into())),
        };
        let bits = u32::from(r.u8()?);
        if !(8..=24).contains(&bits) || usize::from(r.u8()?) != NT {
            return Err(LoadError::Model("unsupported table shape".into()));
        }
        let scale = r.f32()?;
        let trans = r.trans()?;
        let n = r.u32()? as usize;
        let words = std::str::from_utf8(r.take(n)?)
            .map_err(|_| LoadError::Model("name words are not UTF-8".into()))?;
        let name_words = words
            .split('\n')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let n = r.u32()? as usize;
        let common = std::str::from_utf8(r.take(n)?)
            .map_err(|_| LoadError::Model("common words are not UTF-8".into()))?;
        let mut common_words = Vec::new();
        for line in common.split('\n').filter(|w| !w.is_empty()) {
            let mut cs = line.chars();
            let class = cs
                .next()
                .and_then(|c| c.to_digit(10))
                .ok_or_else(|| LoadError::Model("bad common-word line".into()))?;
            common_words.push((cs.as_str().to_owned(), class as u8));
        }
        let weights = Weights::from_sorted(bits, r.pairs()?)?;
        if r.pos != b.len() {
            return Err(LoadError::Model("trailing bytes".into()));
        }
        Ok(Model {
            bits,
            scale,
            weights,
            trans,
            name_words,
            common_words,
            popcnt: has_popcnt(),
            stacked,
        })
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// The weight-table bucket of a feature hash.
    #[inline]
    pub fn bucket(bits: u32, h: u64) -> usize {
        (mix(h, 0x2545_f491) >> (64 - bits)) as usize
    }

    /// Per-tag scores of one token's features.
    pub fn emission(&self, feats: &[u64], out: &mut [f32; NT]) {
        self.emission_with(feats, &mut Vec::with_capacity(feats.len()), out);
    }

    /// [`Model::emission`] with scratch space for the rows' places, reused
    /// from token to token.
    fn emission_with(&self, feats: &[u64], ranks: &mut Vec<usize>, out: &mut [f32; NT]) {
        // Finding a row counts the bits below it in its block, once per
        // feature. Built for baseline x86-64, that count is a dozen
        // instructions (8 % of the Arabic extractor's); with POPCNT, which
        // every x86-64 processor since 2008 has, it is one.
        #[cfg(target_arch = "x86_64")]
        if self.popcnt {
            // SAFETY: the processor supports POPCNT, checked when the model
            // was loaded; the function is otherwise the safe code of
            // `emission_any`.
            unsafe { self.emission_popcnt(feats, ranks, out) };
            return;
        }
        self.emission_any(feats, ranks, out);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "popcnt")]
    fn emission_popcnt(&self, feats: &[u64], ranks: &mut Vec<usize>, out: &mut [f32; NT]) {
        self.emission_any(feats, ranks, out);
    }

    /// [`Model::emission`] for any processor; inlined into its callers so
    /// that each compiles it with its own target features.
    #[inline(always)]
    fn emission_any(&self, feats: &[u64], ranks: &mut Vec<usize>, out: &mut [f32; NT]) {
        // Two passes: first every row's place (bitmap reads and bit
        // counting), then the sums, whose loads are independent and short
        // enough for the processor to have many cache misses in flight.
        ranks.clear();
        ranks.resize(feats.len(), 0);
        for (r, &h) in ranks.iter_mut().zip(feats) {
            *r = self.weights.rank(Self::bucket(self.bits, h));
        }
        let mut acc = [0i32; NT];
        for &r in ranks.iter() {
            let row = self.weights.rows.get(r).unwrap_or(&[0; NT]);
            for (a, w) in acc.iter_mut().zip(row) {
                *a += i32::from(*w);
            }
        }
        for (o, a) in out.iter_mut().zip(acc) {
            *o = a as f32 * self.scale;
        }
    }

    /// The first pass's per-tag scores of each token of a sentence.
    pub fn emissions(&self, v: &[TokView<'_>]) -> Vec<[f32; NT]> {
        let mut feats = Vec::with_capacity(96);
        let mut ranks = Vec::with_capacity(96);
        let mut em = vec![[0f32; NT]; v.len()];
        for (i, e) in em.iter_mut().enumerate() {
            feats.clear();
            features(v, i, &mut feats);
            self.emission_with(&feats, &mut ranks, e);
        }
        em
    }

    /// The scores of one sentence with its document features added to its
    /// first-pass scores `em`.
    pub fn with_doc(&self, em: &[[f32; NT]], docs: &[DocView]) -> Vec<[f32; NT]> {
        let mut feats = Vec::with_capacity(32);
        let mut ranks = Vec::with_capacity(32);
        em.iter()
            .zip(docs)
            .map(|(e, d)| {
                feats.clear();
                doclayer::features(d, &mut feats);
                let mut x = [0f32; NT];
                self.emission_with(&feats, &mut ranks, &mut x);
                let mut e = *e;
                for (a, b) in e.iter_mut().zip(x) {
                    *a += b;
                }
                e
            })
            .collect()
    }
}

/// The best tag sequence under emission and bigram transition scores, with
/// I- tags allowed only after their own type.
pub fn viterbi(em: &[[f32; NT]], trans: &[[f32; NT]; NT + 1]) -> Vec<u8> {
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    // Forbidden transitions cost -inf: the inner loop needs no test, and a
    // -inf candidate never beats the -inf a search starts from.
    let mut tr = [[f32::NEG_INFINITY; NT]; NT];
    for (p, row) in tr.iter_mut().enumerate() {
        for (t, w) in row.iter_mut().enumerate() {
            if allowed(Some(p as u8), t as u8) {
                *w = trans[p][t];
            }
        }
    }
    let mut score = vec![[f32::NEG_INFINITY; NT]; n];
    let mut back = vec![[0u8; NT]; n];
    for t in 0..NT {
        if allowed(None, t as u8) {
            score[0][t] = em[0][t] + trans[NT][t];
        }
    }
    for i in 1..n {
        // Previous tags outside, current tags inside: the inner loop runs
        // over independent lanes, which the compiler turns into vector
        // compares and blends. For each tag the previous ones are still
        // tried in increasing order and only a strictly better score wins,
        // so ties go to the lowest previous tag as before.
        let mut best = [f32::NEG_INFINITY; NT];
        let mut arg = [0u8; NT];
        let prev = score[i - 1];
        for (p, (&sp, row)) in prev.iter().zip(&tr).enumerate() {
            for t in 0..NT {
                let s = sp + row[t];
                if s > best[t] {
                    best[t] = s;
                    arg[t] = p as u8;
                }
            }
        }
        for t in 0..NT {
            score[i][t] = best[t] + em[i][t];
        }
        back[i] = arg;
    }
    let mut t = (0..NT)
        .max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b]).then(b.cmp(&a)))
        .unwrap_or(0) as u8;
    let mut out = vec![0u8; n];
    for i in (0..n).rev() {
        out[i] = t;
        t = back[i][t as usize];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL_BYTES: &[u8] = include_bytes!("../../../../data/model/ar-ner.bin");

    #[test]
    fn model_bytes_round_trip() {
        let bits = 8;
        let mut dense = vec![0f32; (1 << bits) * NT];
        dense[5] = 1.5;
        dense[700] = -0.25;
        let mut trans = [[0f32; NT]; NT + 1];
        trans[0][1] = 0.5;
        let m = Model::from_dense(
            bits,
            &dense,
            trans,
            vec!["لافروف".into()],
            vec![("قال".into(), 2)],
        );
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.weights, m.weights);
        assert_eq!(back.trans, trans);
        assert_eq!(back.name_words, ["لافروف"]);
        assert_eq!(back.common_words, m.common_words);
    }

    #[test]
    fn a_two_pass_model_keeps_its_second_pass_through_save_and_load() {
        let mut m = Model::from_dense(
            8,
            &vec![0.5f32; 256 * NT],
            [[0f32; NT]; NT + 1],
            vec![],
            vec![],
        );
        assert!(!Model::from_bytes(&m.to_bytes()).unwrap().stacked);
        m.stacked = true;
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert!(back.stacked);
        assert_eq!(back.weights, m.weights);
    }

    #[test]
    fn committed_model_survives_load_and_save_byte_for_byte() {
        let m = Model::from_bytes(MODEL_BYTES).unwrap();
        assert!(m.weights.rows.len() > 1000);
        assert!(m.to_bytes() == MODEL_BYTES);
    }

    #[test]
    fn packed_rows_are_the_dense_table() {
        let bits = 8;
        let mut dense = vec![0f32; (1 << bits) * NT];
        // Buckets 0, 63, 64 and the last one: block edges.
        for (bucket, tag, w) in [(0, 0, 1.0), (63, 8, -2.0), (64, 3, 0.5), (255, 1, 4.0)] {
            dense[bucket * NT + tag] = w;
        }
        let m = Model::from_dense(bits, &dense, [[0f32; NT]; NT + 1], vec![], vec![]);
        for bucket in 0..(1usize << bits) {
            let want: Vec<i16> = dense[bucket * NT..(bucket + 1) * NT]
                .iter()
                .map(|w| (w / m.scale).round() as i16)
                .collect();
            assert_eq!(m.weights.row(bucket).to_vec(), want, "bucket {bucket}");
        }
        assert_eq!(m.weights.rows.len(), 5);
    }

    #[test]
    fn emission_scores_are_the_same_whichever_bit_count_the_processor_has() {
        let m = Model::from_bytes(MODEL_BYTES).unwrap();
        // Enough features for several chunks, many of them in non-empty buckets.
        let feats: Vec<u64> = (0..300u64).map(|k| mix(k, 0x1234_5678)).collect();
        let (mut fast, mut any) = ([0f32; NT], [0f32; NT]);
        m.emission(&feats, &mut fast);
        m.emission_any(&feats, &mut Vec::new(), &mut any);
        assert_eq!(fast, any);
        assert!(any.iter().any(|&x| x != 0.0));
    }

    #[test]
    fn cluster_key_drops_the_article_or_a_leading_conjunction() {
        assert_eq!(cluster_key("والرييس"), "رييس");
        assert_eq!(cluster_key("وقال"), "قال");
        // Too short to be a conjunction and a word.
        assert_eq!(cluster_key("وزر"), "وزر");
        assert_eq!(cluster_key("و"), "و");
        assert_eq!(cluster_key(""), "");
    }

    #[test]
    fn common_words_have_a_word_class_and_unseen_ones_none() {
        let m = Model::from_bytes(MODEL_BYTES).unwrap();
        let g = Gazetteer::new(&m.name_words, &m.common_words);
        let (fine, coarse) = g.clusters("قال");
        assert!(fine > 0 && coarse > 0);
        assert_eq!(g.clusters("زززقققز"), (0, 0));
    }

    #[test]
    fn embedded_profiles_tell_a_name_from_a_common_noun() {
        let m = Model::from_bytes(MODEL_BYTES).unwrap();
        let g = Gazetteer::new(&m.name_words, &m.common_words);
        // The code's article part (see `naba-train profiles`): 1 when the
        // word is almost never written with ال, 3 or 4 when it mostly is.
        let article = |w: &str| g.profile(w).article();
        assert_eq!(article("محمد"), 1);
        assert_eq!(article("لندن"), 1);
        assert!(article("حكومه") >= 3);
        assert!(article("جديد") >= 3);
        assert!(!g.profile("زززقققز").is_known());
    }

    #[test]
    fn suffixes_count_characters_not_bytes() {
        assert_eq!(suffix("لافروف", 2), "وف");
        assert_eq!(suffix("لافروف", 6), "لافروف");
        assert_eq!(suffix("في", 3), "في");
        assert_eq!(suffix("", 2), "");
    }

    #[test]
    fn corrupt_model_is_a_load_error() {
        assert!(matches!(
            Model::from_bytes(b"NABANER1"),
            Err(LoadError::Model(_))
        ));
        assert!(matches!(
            Model::from_bytes(b"nonsense"),
            Err(LoadError::Model(_))
        ));
    }

    #[test]
    fn viterbi_never_starts_an_entity_with_i() {
        let mut em = vec![[0f32; NT]; 2];
        em[0][2] = 5.0; // I-PER first: not allowed
        em[1][2] = 5.0;
        let tags = viterbi(&em, &[[0f32; NT]; NT + 1]);
        assert_ne!(tags[0], 2);
    }
}
