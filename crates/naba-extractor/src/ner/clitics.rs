//! Arabic proclitics on normalised words: و ف (conjunctions), ب ل ك
//! (prepositions), س (future), the article ال, and the fused لل (ل + ال with
//! the alef dropped).
//!
//! Whether the first letter of a word is a proclitic cannot be decided from
//! the word alone (وليد, بغداد, لبنان, كندا start with the same letters), so
//! this module only proposes readings; `ner` decides with its word lists.

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

#[cfg(test)]
mod tests {
    use super::*;

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
