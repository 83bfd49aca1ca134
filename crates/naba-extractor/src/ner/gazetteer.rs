//! Name lists matched over token sequences: ANERGazet (embedded copy under
//! `data/gazetteer/`), the shared lexicons (`crate::lexicon`), and the cue
//! words (titles, organisation heads) that signal a name next to them.
//!
//! Entries are stored as hashes of their normalised word sequences, so a
//! lookup hashes borrowed token text and allocates nothing.

use super::clitics;
use super::tagger::{
    TokView, LEX_FAMILY, LEX_GIVEN, LEX_LOC, LEX_NATIONALITY, LEX_ORG, LEX_ORG_HEAD, LEX_TITLE,
};
use crate::fxhash::FxHashSet;
use crate::normalize::key;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A gazetteer tag per token, coded like the tagger's BIO tags (0 = none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GazTag(pub u8);

impl GazTag {
    pub const NONE: GazTag = GazTag(0);
}

pub const PER: u8 = 1;
pub const ORG: u8 = 2;
pub const LOC: u8 = 4;
/// In `seqs`: the hash is a proper prefix of some entry, so a longer match
/// may follow; a hash absent from `seqs` ends the search.
const PREFIX: u8 = 8;

/// Keys are already hashes: pass them through.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// Titles and roles that stand before a person's name. Their presence is a
/// cue for the tagger, and they are kept out of canonical names.
pub const TITLES: &[&str] = &[
    "الرئيس",
    "رئيس",
    "الرئيسة",
    "رئيسة",
    "وزير",
    "الوزير",
    "وزيرة",
    "الوزيرة",
    "الشيخ",
    "الشيخة",
    "الأمير",
    "الأميرة",
    "الملك",
    "الملكة",
    "ولي",
    "المتحدث",
    "متحدث",
    "الناطق",
    "ناطق",
    "عضو",
    "السفير",
    "سفير",
    "الدكتور",
    "المهندس",
    "النائب",
    "نائب",
    "اللواء",
    "العميد",
    "العقيد",
    "الجنرال",
    "الفريق",
    "المشير",
    "السيد",
    "السيدة",
    "السيناتور",
    "زعيم",
    "قائد",
    "القائد",
    "مدير",
    "المدير",
    "مستشار",
    "المستشار",
    "المستشارة",
    "المبعوث",
    "مبعوث",
    "الأمين",
    "أمين",
    "المفتي",
    "الإمام",
    "القاضي",
    "الحاكم",
    "حاكم",
    "محافظ",
    "المحافظ",
    "المرشد",
    "البابا",
    "المراسل",
    "مراسل",
    "اللاعب",
    "المدرب",
    "الفنان",
    "الفنانة",
    "الممثل",
    "الكاتب",
    "الصحفي",
    "الداعية",
    "العاهل",
    "الجنرال",
    "الأستاذ",
    "البروفيسور",
    "المطرب",
    "المطربة",
    "الإعلامي",
    "رئيسا",
    "وزيرا",
    "سمو",
    "معالي",
    "فخامة",
    "السلطان",
    "الخليفة",
    "القيادي",
    "الزعيم",
];

/// Words that head an organisation name when followed by its genitive.
pub const ORG_HEADS: &[&str] = &[
    "وزارة",
    "هيئة",
    "حركة",
    "وكالة",
    "مجلس",
    "جامعة",
    "نادي",
    "جيش",
    "حزب",
    "منظمة",
    "شركة",
    "بنك",
    "مصرف",
    "اتحاد",
    "جمعية",
    "مؤسسة",
    "لجنة",
    "تنظيم",
    "جبهة",
    "صندوق",
    "مركز",
    "محكمة",
    "كتائب",
    "ألوية",
    "سرايا",
    "رابطة",
    "نقابة",
    "ديوان",
    "مكتب",
    "صحيفة",
    "مجموعة",
    "إدارة",
    "مديرية",
    "الهيئة",
    "جماعة",
    "تحالف",
    "اتحاد",
    "أكاديمية",
    "معهد",
    "برلمان",
    "الحرس",
];

const LOC_TXT: &str = include_str!("../../../../data/gazetteer/loc.txt");
const ORG_TXT: &str = include_str!("../../../../data/gazetteer/org.txt");
const PERS_TXT: &str = include_str!("../../../../data/gazetteer/pers.txt");

/// Single-word entries too common as ordinary words to be names on their own
/// (ANERGazet lists newspapers such as اليوم and الوطن, and places such as
/// عمان that are also common words); they still count inside longer matches.
const AMBIGUOUS: &[&str] = &[
    "اليوم",
    "الوطن",
    "الحياة",
    "الشرق",
    "الرياض",
    "محيط",
    "نسيج",
    "السياسة",
    "بيت",
    "الخليج",
    "البيان",
    "الثورة",
    "الاتحاد",
    "الشعب",
    "الوسط",
    "الأيام",
    "النهار",
    "الصباح",
    "الجزيرة",
    "العرب",
    "الدستور",
    "الرأي",
    "الأنباء",
    "السفير",
    "الوقت",
    "الغد",
];

pub struct Gazetteer {
    seqs: IdMap<u8>,
    max_len: usize,
    lex: IdMap<u8>,
    names: FxHashSet<String>,
    ambiguous: FxHashSet<String>,
    common: IdMap<u8>,
}

const WORD_SEED: u64 = 0x77;

#[inline]
fn word_hash(w: &str) -> u64 {
    super::tagger::hash_word(WORD_SEED, w)
}

#[inline]
fn seq_step(h: u64, wh: u64) -> u64 {
    (h.rotate_left(7) ^ wh).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A gazetteer hit at a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Tokens covered.
    pub len: usize,
    /// Type bits (`PER | ORG | LOC`).
    pub types: u8,
    /// The reading of the first token that matched.
    pub strip: usize,
    pub fused: bool,
}

impl Gazetteer {
    /// Builds the lists; `name_words` are the words the tagger saw in names.
    pub fn new(name_words: &[String], common_words: &[(String, u8)]) -> Gazetteer {
        let mut g = Gazetteer {
            seqs: IdMap::default(),
            max_len: 1,
            lex: IdMap::default(),
            names: FxHashSet::default(),
            ambiguous: AMBIGUOUS.iter().map(|w| key(w)).collect(),
            common: common_words
                .iter()
                .map(|(w, c)| (word_hash(w), *c))
                .collect(),
        };
        for (txt, bits) in [(LOC_TXT, LOC), (ORG_TXT, ORG), (PERS_TXT, PER)] {
            for line in txt.lines() {
                g.add_seq(&key(line), bits);
            }
        }
        let lx = crate::lexicon::get();
        for k in &lx.loc {
            g.add_seq(k, LOC);
        }
        for k in lx.org.iter().chain(lx.agencies.keys()) {
            g.add_seq(k, ORG);
        }
        for k in lx.given.iter().chain(&lx.family) {
            g.add_seq(k, PER);
        }
        for (set, bit) in [
            (&lx.given, LEX_GIVEN),
            (&lx.family, LEX_FAMILY),
            (&lx.titles, LEX_TITLE),
            (&lx.org_heads, LEX_ORG_HEAD),
            (&lx.loc, LEX_LOC),
            (&lx.org, LEX_ORG),
        ] {
            for k in set {
                g.add_lex(k, bit);
            }
        }
        for k in lx.nationalities.keys() {
            g.add_lex(k, LEX_NATIONALITY);
        }
        for t in TITLES {
            g.add_lex(&key(t), LEX_TITLE);
        }
        for t in ORG_HEADS {
            g.add_lex(&key(t), LEX_ORG_HEAD);
        }
        for w in name_words {
            g.names.insert(w.clone());
        }
        g
    }

    fn add_seq(&mut self, k: &str, bits: u8) {
        if k.is_empty() {
            return;
        }
        let mut h = 0u64;
        let mut n = 0;
        for w in k.split(' ') {
            if n > 0 {
                *self.seqs.entry(h).or_default() |= PREFIX;
            }
            h = seq_step(h, word_hash(w));
            n += 1;
            self.names.insert(w.to_owned());
        }
        self.max_len = self.max_len.max(n);
        *self.seqs.entry(h).or_default() |= bits;
    }

    fn add_lex(&mut self, k: &str, bit: u8) {
        if !k.contains(' ') {
            *self.lex.entry(word_hash(k)).or_default() |= bit;
        }
    }

    /// How common `w` was in the training corpus (0: rare or unseen).
    pub fn freq_class(&self, w: &str) -> u8 {
        self.common.get(&word_hash(w)).copied().unwrap_or(0)
    }

    /// A word known to be (part of) a name, as written.
    pub fn is_name_word(&self, w: &str) -> bool {
        self.names.contains(w)
    }

    /// A title word (الرئيس, وزير), proclitics allowed.
    pub fn is_title(&self, w: &str) -> bool {
        self.lex_bits(w) & LEX_TITLE != 0
    }

    pub fn lex_bits(&self, w: &str) -> u8 {
        let mut bits = self.lex.get(&word_hash(w)).copied().unwrap_or(0);
        if bits == 0 {
            let mut buf = String::new();
            for r in clitics::readings(w) {
                bits |= self
                    .lex
                    .get(&word_hash(r.base(&mut buf)))
                    .copied()
                    .unwrap_or(0);
            }
        }
        bits
    }

    /// The longest entry starting at token `i` of `words` (normalised token
    /// texts), trying the first word as written and then without proclitics.
    pub fn longest_at(&self, words: &[&str], i: usize) -> Option<Hit> {
        let max = self.max_len.min(words.len() - i);
        let mut buf = String::new();
        let mut best: Option<Hit> = None;
        let first = std::iter::once(clitics::Reading {
            strip: 0,
            fused: false,
            rest: words[i],
        })
        .chain(clitics::readings(words[i]));
        for r in first {
            let base = r.base(&mut buf);
            let mut h = seq_step(0, word_hash(base));
            for len in 1..=max {
                if len > 1 {
                    h = seq_step(h, word_hash(words[i + len - 1]));
                }
                // No entry starts with these words: none is longer either.
                let Some(&bits) = self.seqs.get(&h) else {
                    break;
                };
                let types = bits & (PER | ORG | LOC);
                if types == 0 || best.is_some_and(|b| b.len >= len) {
                    continue;
                }
                if len == 1 && self.ambiguous.contains(base) {
                    continue;
                }
                best = Some(Hit {
                    len,
                    types,
                    strip: r.strip,
                    fused: r.fused,
                });
            }
        }
        best
    }

    /// Longest-match gazetteer tags over a sentence, for the tagger's features.
    pub fn tag_sentence(&self, v: &[TokView<'_>]) -> Vec<GazTag> {
        let words: Vec<&str> = v.iter().map(|t| t.norm).collect();
        let mut out = vec![GazTag::NONE; v.len()];
        let mut i = 0;
        while i < words.len() {
            match self.longest_at(&words, i) {
                Some(hit) => {
                    let b = type_tag(hit.types);
                    out[i] = GazTag(b);
                    for o in &mut out[i + 1..i + hit.len] {
                        *o = GazTag(b + 1);
                    }
                    i += hit.len;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// The B- tag of the preferred type among `types` (places, then organisations, then people).
pub fn type_tag(types: u8) -> u8 {
    if types & LOC != 0 {
        5
    } else if types & ORG != 0 {
        3
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gazetteer_matches_through_proclitics() {
        let g = Gazetteer::new(&[], &[]);
        let words = ["زار", "والاردن"];
        let hit = g.longest_at(&words, 1).unwrap();
        assert_eq!(hit.strip, 1);
        assert_ne!(hit.types & LOC, 0);
        assert!(g.longest_at(&words, 0).is_none());
    }

    #[test]
    fn every_multiword_entry_is_matched_whole() {
        let g = Gazetteer::new(&[], &[]);
        let mut checked = 0;
        for line in ORG_TXT
            .lines()
            .chain(LOC_TXT.lines())
            .chain(PERS_TXT.lines())
        {
            let k = key(line);
            let words: Vec<&str> = k.split(' ').collect();
            if words.len() < 2 {
                continue;
            }
            let hit = g.longest_at(&words, 0);
            assert_eq!(hit.map(|h| h.len), Some(words.len()), "{k}");
            checked += 1;
        }
        assert!(checked > 100);
    }

    #[test]
    fn titles_are_recognised_behind_a_conjunction() {
        let g = Gazetteer::new(&[], &[]);
        assert!(g.is_title(&key("والرئيس")));
        assert!(!g.is_title(&key("لافروف")));
    }
}
