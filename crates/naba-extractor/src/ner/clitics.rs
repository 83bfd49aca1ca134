//! Arabic proclitics on normalised words: و ف (conjunctions), ب ل ك
//! (prepositions), س (future), the article ال, and the fused لل (ل + ال with
//! the alef dropped).
//!
//! Whether the first letter of a word is a proclitic cannot be decided from
//! the word alone (وليد, بغداد, لبنان, كندا start with the same letters), so
//! this module only proposes readings; `ner` decides with its word lists.

use crate::fxhash::FxHashSet;

/// Feature forms of one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The word after the definite article and whatever stood before it
    /// (والحزب → حزب, للأمم → امم), or the word itself.
    pub nal: &'a str,
    /// The word after one leading و ف ب ل ك when at least three letters
    /// remain, or the word itself.
    pub c1: &'a str,
    /// The word carries the definite article (possibly behind proclitics).
    pub has_al: bool,
}

fn strip_char<'a>(s: &'a str, set: &[char]) -> Option<&'a str> {
    let mut it = s.chars();
    let c = it.next()?;
    set.contains(&c).then_some(it.as_str())
}

fn long_enough(s: &str, n: usize) -> bool {
    s.chars().nth(n - 1).is_some()
}

const CONJ: &[char] = &['و', 'ف'];
const PREP: &[char] = &['ب', 'ل', 'ك'];

pub fn split(w: &str) -> Split<'_> {
    let c1 = strip_char(w, &['و', 'ف', 'ب', 'ل', 'ك'])
        .filter(|r| long_enough(r, 3))
        .unwrap_or(w);
    // Up to two proclitics, then ال (or the fused لل).
    let mut rest = w;
    let mut nal = None;
    for _ in 0..3 {
        if let Some(r) = rest.strip_prefix("ال").filter(|r| long_enough(r, 2)) {
            nal = Some(r);
            break;
        }
        if let Some(r) = rest.strip_prefix("لل").filter(|r| long_enough(r, 2)) {
            nal = Some(r);
            break;
        }
        match strip_char(rest, &['و', 'ف', 'ب', 'ك']) {
            Some(r) => rest = r,
            None => break,
        }
    }
    Split {
        nal: nal.unwrap_or(w),
        c1,
        has_al: nal.is_some(),
    }
}

/// One reading of a word: `strip` leading characters are proclitics; when
/// `fused` the word begins with لل and its base form restores the alef (ال).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading<'a> {
    pub strip: usize,
    pub fused: bool,
    /// The word after the stripped proclitics (still starting with لل when fused).
    pub rest: &'a str,
}

impl Reading<'_> {
    /// The base form: the rest, with لل turned back into ال (written into
    /// `buf` only then, so that the common case allocates nothing).
    pub fn base<'s>(&'s self, buf: &'s mut String) -> &'s str {
        if !self.fused {
            return self.rest;
        }
        buf.clear();
        buf.push('ا');
        buf.push_str(&self.rest['ل'.len_utf8()..]);
        buf
    }
}

/// Every reading of `w` with at least one proclitic, shortest first. The rest
/// keeps at least two letters.
pub fn readings(w: &str) -> impl Iterator<Item = Reading<'_>> {
    let fused = |r: &str| r.starts_with("لل") && long_enough(r, 4);
    let conj = strip_char(w, CONJ);
    let prep = if conj.is_none() {
        strip_char(w, PREP)
    } else {
        None
    };
    let candidates = [
        fused(w).then_some((0, true, w)),
        conj.map(|r| (1, false, r)),
        conj.filter(|r| fused(r)).map(|r| (1, true, r)),
        conj.and_then(|r| strip_char(r, PREP))
            .map(|r| (2, false, r)),
        prep.map(|r| (1, false, r)),
    ];
    candidates
        .into_iter()
        .flatten()
        .filter(|(_, _, r)| long_enough(r, 2))
        .map(|(strip, fused, rest)| Reading { strip, fused, rest })
}

/// A small set of words looked up as written and behind separable
/// proclitics ([`readings`] that are not fused), for every token of an
/// article: most tokens end in two letters that no member ends in, and are
/// answered from a bitmap without hashing the word and its readings.
#[derive(Debug, Clone)]
pub struct StemSet {
    words: FxHashSet<String>,
    /// Bit `tail_bit(w)` is set for every member `w`.
    tails: [u64; TAIL_WORDS],
}

impl Default for StemSet {
    fn default() -> Self {
        StemSet {
            words: FxHashSet::default(),
            tails: [0; TAIL_WORDS],
        }
    }
}

const TAIL_WORDS: usize = 64;

/// A bucket of the last two characters of `w` (all of a shorter word).
/// Every reading keeps at least two letters, so a reading of `w` and `w`
/// itself have the same bucket.
fn tail_bit(w: &str) -> usize {
    let start = w.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
    let h = crate::fxhash::load_le(&w.as_bytes()[start..]).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> (64 - TAIL_WORDS.trailing_zeros() - 6)) as usize
}

impl StemSet {
    pub fn contains(&self, w: &str) -> bool {
        self.words.contains(w)
    }

    /// `w` is a member as written or after separable proclitics (بمحافظة,
    /// لمطار).
    pub fn contains_through_proclitics(&self, w: &str) -> bool {
        let bit = tail_bit(w);
        if self.tails[bit / 64] & (1 << (bit % 64)) == 0 {
            return false;
        }
        std::iter::once(w)
            .chain(readings(w).filter(|r| !r.fused).map(|r| r.rest))
            .any(|b| self.words.contains(b))
    }
}

impl FromIterator<String> for StemSet {
    fn from_iter<I: IntoIterator<Item = String>>(iter: I) -> Self {
        let mut set = StemSet::default();
        for w in iter {
            let bit = tail_bit(&w);
            set.tails[bit / 64] |= 1 << (bit % 64);
            set.words.insert(w);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stem_set_finds_members_behind_proclitics_and_nothing_else() {
        let set: StemSet = ["محافظه", "مطار", "ab"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for w in ["محافظه", "بمحافظه", "وبمحافظه", "لمطار", "مطار", "ab"]
        {
            assert!(set.contains_through_proclitics(w), "{w}");
        }
        for w in ["محافظ", "المحافظه", "مطارات", "", "b", "xab"] {
            assert!(!set.contains_through_proclitics(w), "{w}");
        }
        // Fused لل readings are not proclitic readings here.
        let set: StemSet = ["لمطار"].iter().map(|s| s.to_string()).collect();
        assert!(set.contains_through_proclitics("لمطار"));
        assert!(set.contains("لمطار") && !set.contains("مطار"));
    }

    #[test]
    fn definite_article_behind_proclitics_is_found() {
        assert_eq!(split("والحزب").nal, "حزب");
        assert_eq!(split("بالعاصمه").nal, "عاصمه");
        assert_eq!(split("للامم").nal, "امم");
        assert!(!split("لافروف").has_al);
        assert_eq!(split("وزير").c1, "زير");
    }

    #[test]
    fn readings_offer_conjunction_preposition_and_fused_article() {
        let r: Vec<_> = readings("واسبانيا").map(|r| (r.strip, r.rest)).collect();
        assert!(r.contains(&(1, "اسبانيا")));
        let fused = readings("للامم").find(|r| r.fused).unwrap();
        let mut buf = String::new();
        assert_eq!(fused.base(&mut buf), "الامم");
        assert_eq!(fused.strip, 0);
        let r: Vec<_> = readings("وللامم")
            .filter(|r| r.fused)
            .map(|r| r.strip)
            .collect();
        assert_eq!(r, [1]);
    }
}
