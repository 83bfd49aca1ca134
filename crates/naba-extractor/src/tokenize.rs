//! Words, numbers and punctuation over the normalised text.
//!
//! Proclitics are *not* split here: whether the و of "وزير" is a conjunction
//! depends on the lexicon, so the tagger and lexicon matchers decide (see
//! `ner`). A token remembers both its normalised and its original extent.

use crate::normalize::Normalized;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Normalised form (folded letters, lower-case Latin).
    pub norm: String,
    /// Range in the normalised text.
    pub nstart: usize,
    pub nend: usize,
    /// Range in the original text (code points).
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// The original first character is upper-case (English proper-noun cue).
    pub capitalized: bool,
    /// A line break separates this token from the previous one.
    pub line_start: bool,
}

/// Letters (any script) and non-ASCII digits. ASCII and the Arabic letters
/// are answered before `char::is_alphanumeric`, whose table search showed
/// in profiles.
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    if matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}') {
        return true;
    }
    c.is_alphanumeric()
}

/// `char::is_alphanumeric`, with the same fast answers as [`is_word_char`]
/// for ASCII and the Arabic letters.
pub(crate) fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_digit() || is_word_char(c)
}

/// `char::is_uppercase`, answered for ASCII and the Arabic letters (which
/// have no case) before std's table search.
fn is_uppercase(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    if matches!(c, '\u{0600}'..='\u{06FF}') {
        return false;
    }
    c.is_uppercase()
}

pub fn tokenize(original: &[char], n: &Normalized) -> Vec<Token> {
    let cs = &n.chars;
    let mut out = Vec::with_capacity(cs.len() / 5 + 1);
    let mut i = 0;
    let mut newline = true;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            if c == '\n' || c == '\r' || c == '\u{2029}' || c == '\u{2028}' {
                newline = true;
            }
            i += 1;
            continue;
        }
        let start = i;
        let kind = if c.is_ascii_digit() {
            // 1,000.5 and 2016/12/05 stay one number; a trailing separator does not.
            i += 1;
            while i < cs.len()
                && (cs[i].is_ascii_digit()
                    || (matches!(cs[i], '.' | ',' | '/' | ':')
                        && i + 1 < cs.len()
                        && cs[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            TokenKind::Number
        } else if is_word_char(c) {
            i += 1;
            while i < cs.len() && is_word_char(cs[i]) {
                i += 1;
            }
            TokenKind::Word
        } else {
            i += 1;
            TokenKind::Punct
        };
        let (ostart, oend) = n.to_original(start, i);
        let first = original[ostart];
        // Sized exactly: collecting chars one by one grew each string a few times.
        let word = &cs[start..i];
        // Two bytes a character fits Arabic exactly and ASCII with room to
        // spare, without a pass to count the bytes first.
        let mut norm = String::with_capacity(2 * word.len());
        norm.extend(word);
        out.push(Token {
            norm,
            nstart: start,
            nend: i,
            start: ostart,
            end: oend,
            kind,
            capitalized: is_uppercase(first),
            line_start: newline,
        });
        newline = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    #[test]
    fn word_characters_are_letters_and_non_ascii_digits_in_every_script_and_alphanumerics_agree_with_std(
    ) {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric() && !c.is_ascii_digit(),
                "{c:?}"
            );
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_uppercase(c), c.is_uppercase(), "{c:?}");
        }
    }

    #[test]
    fn tokens_point_into_the_original_text() {
        let s = "وقالَ لافروف: «نعم» في 5 كانون الأول/ديسمبر، 2016.";
        let orig: Vec<char> = s.chars().collect();
        let toks = tokenize(&orig, &normalize(&orig));
        let words: Vec<String> = toks
            .iter()
            .map(|t| orig[t.start..t.end].iter().collect())
            .collect();
        assert_eq!(
            words,
            [
                "وقالَ",
                "لافروف",
                ":",
                "«",
                "نعم",
                "»",
                "في",
                "5",
                "كانون",
                "الأول",
                "/",
                "ديسمبر",
                "،",
                "2016",
                "."
            ]
        );
        assert_eq!(toks[0].norm, "وقال");
        assert_eq!(toks[7].kind, TokenKind::Number);
    }
}
