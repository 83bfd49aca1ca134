//! Arabic-aware normalisation that never loses track of where a character came from.
//!
//! Matching (lexicons, the tagger, coreference) runs on the normalised form;
//! every span reported to users is mapped back through [`Normalized::map`] to
//! the text as received. Normalisation only deletes or substitutes characters
//! one-for-one, so the map is monotonic and a normalised range always maps to
//! a contiguous original range.

/// A normalised string and, for each of its characters, the index of the
/// original character it came from.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub chars: Vec<char>,
    /// `map[i]` is the original code-point index of `chars[i]`; one extra entry
    /// at the end holds the original length, so `map[end]` is a valid end.
    pub map: Vec<usize>,
    /// `ends[i]` is the original end of `chars[i]`: past any diacritics and
    /// tatweel that follow it, so that a word's span keeps its harakat.
    pub ends: Vec<usize>,
}

impl Normalized {
    /// Maps a normalised half-open range to the original one.
    pub fn to_original(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end {
            let s = self.map[start.min(self.map.len() - 1)];
            return (s, s);
        }
        (self.map[start], self.ends[end - 1])
    }
}

/// Characters that carry no letter: Arabic diacritics, tatweel, and invisible
/// formatting marks (zero-width, bidi controls, BOM).
pub fn is_dropped(c: char) -> bool {
    // Below the soft hyphen nothing is dropped: ASCII and Latin-1 text stops here.
    if c < '\u{00AD}' || is_base_arabic_letter(c) {
        return false;
    }
    matches!(c,
        '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}' | '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// The letters of the basic Arabic block (hamza to yeh, tatweel and the
/// diacritics left out): most characters of an Arabic article, answered
/// first by the hot per-character functions.
#[inline]
fn is_base_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
}

/// Diacritics and tatweel: dropped for matching, but part of the word they follow.
fn is_attached_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}')
}

/// The one-for-one substitution applied to a kept character.
pub fn fold(c: char) -> char {
    // ASCII, most of English text, answered before the table below.
    if c.is_ascii() {
        return if c == '`' {
            '\''
        } else {
            c.to_ascii_lowercase()
        };
    }
    if is_base_arabic_letter(c) {
        return match c {
            'أ' | 'إ' | 'آ' => 'ا',
            'ى' | 'ئ' => 'ي',
            'ة' => 'ه',
            'ؤ' => 'و',
            c => c,
        };
    }
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        'ئ' => 'ي',
        'ک' => 'ك',
        'ی' | 'ې' => 'ي',
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        '“' | '”' | '«' | '»' | '„' | '‟' | '″' => '"',
        '‘' | '’' | '‹' | '›' | '‚' | '‛' | '`' | '´' => '\'',
        '،' => ',',
        '؛' => ';',
        '؟' => '?',
        c if c.is_ascii_uppercase() => c.to_ascii_lowercase(),
        c => c,
    }
}

pub fn normalize(original: &[char]) -> Normalized {
    let mut chars = Vec::with_capacity(original.len());
    let mut map = Vec::with_capacity(original.len() + 1);
    let mut ends = Vec::with_capacity(original.len());
    for (i, &c) in original.iter().enumerate() {
        if is_dropped(c) {
            // Marks that belong to the letter before them extend its span;
            // invisible formatting characters do not.
            if is_attached_mark(c) {
                if let Some(e) = ends.last_mut() {
                    if *e == i {
                        *e = i + 1;
                    }
                }
            }
            continue;
        }
        chars.push(fold(c));
        map.push(i);
        ends.push(i + 1);
    }
    map.push(original.len());
    Normalized { chars, map, ends }
}

/// Normalises a short string (a lexicon entry, a name) to its matching key.
/// One pass, no offset map: [`normalize`], then runs of white space made
/// one space and the ends trimmed. Called per token by some matchers.
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().filter(|&c| !is_dropped(c)).map(fold) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_and_tatweel_vanish_but_offsets_survive() {
        let orig: Vec<char> = "قـالَ لافروفُ".chars().collect();
        let n = normalize(&orig);
        let s: String = n.chars.iter().collect();
        assert_eq!(s, "قال لافروف");
        // "لافروف" in the normalised text maps back to "لافروفُ", harakat included.
        let (a, b) = n.to_original(4, 10);
        let back: String = orig[a..b].iter().collect();
        assert_eq!(back, "لافروفُ");
    }

    #[test]
    fn letter_variants_digits_and_marks_fold() {
        assert_eq!(key("إسبانيا"), "اسبانيا");
        assert_eq!(key("سورية"), "سوريه");
        assert_eq!(key("مستشفى ٥"), "مستشفي 5");
        assert_eq!(key("«نعم»"), "\"نعم\"");
        assert_eq!(key("a\u{200F}b\u{00A0}c"), "ab c");
        assert_eq!(key("  وزارة \t\n الخارجية  "), "وزاره الخارجيه");
        assert_eq!(key(" \u{00A0} "), "");
    }

    #[test]
    fn every_character_of_the_arabic_block_folds_and_drops_as_listed() {
        for c in ('\u{0600}'..='\u{06FF}').chain('\u{0000}'..='\u{00FF}') {
            let want = match c {
                'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
                'ى' | 'ئ' | 'ی' | 'ې' => 'ي',
                'ة' => 'ه',
                'ؤ' => 'و',
                'ک' => 'ك',
                '٠'..='٩' => char::from(b'0' + (c as u32 - 0x0660) as u8),
                '۰'..='۹' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
                '،' => ',',
                '؛' => ';',
                '؟' => '?',
                '\u{00A0}' => ' ',
                '«' | '»' => '"',
                '`' | '´' => '\'',
                'A'..='Z' => c.to_ascii_lowercase(),
                c => c,
            };
            assert_eq!(fold(c), want, "{c:?}");
            let dropped = matches!(c as u32,
                0x0610..=0x061A | 0x061C | 0x0640 | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x00AD);
            assert_eq!(is_dropped(c), dropped, "{c:?}");
        }
    }
}
