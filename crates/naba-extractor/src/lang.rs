//! Language identification by script and function words: cheap, and enough to
//! choose between naba's two pipelines.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Arabic,
    English,
    /// Neither: entities and statements are still attempted with the English
    /// rules if the script is Latin, and nothing is invented otherwise.
    Undetermined,
}

impl Lang {
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Arabic => "ar",
            Lang::English => "en",
            Lang::Undetermined => "und",
        }
    }

    /// Accepts BCP 47-ish tags from producers (`ar`, `AR`, `ar-SA`, `en_US`, `arabic`).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        let primary = t.split(['-', '_']).next().unwrap_or("");
        match primary {
            "ar" | "ara" | "arabic" => Some(Lang::Arabic),
            "en" | "eng" | "english" => Some(Lang::English),
            _ => None,
        }
    }
}

pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{06FA}'..='\u{06FC}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

const EN_FUNCTION_WORDS: &[&str] = &[
    "the", "and", "of", "to", "in", "a", "is", "that", "for", "on", "was", "with", "he", "she",
    "said", "it", "as", "by", "at", "from", "his", "her", "have", "has", "are", "were", "be",
];

/// Detects the language of `text` from (at most) its first 4,000 characters.
pub fn detect(text: &str) -> Lang {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in text.chars().take(4000) {
        if is_arabic_letter(c) {
            arabic += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if arabic == 0 && latin == 0 {
        return Lang::Undetermined;
    }
    if arabic >= latin {
        return Lang::Arabic;
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(600)
        .map(|w| w.to_lowercase())
        .collect();
    let hits = words
        .iter()
        .filter(|w| EN_FUNCTION_WORDS.contains(&w.as_str()))
        .count();
    if !words.is_empty() && (hits * 100 / words.len() >= 8 || (words.len() < 12 && hits > 0)) {
        Lang::English
    } else {
        Lang::Undetermined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_english_are_told_apart() {
        assert_eq!(detect("قال وزير الخارجية إن المحادثات ستجري"), Lang::Arabic);
        assert_eq!(
            detect("The minister said that the talks would go ahead."),
            Lang::English
        );
        assert_eq!(
            detect("Der Minister sagte, die Gespräche würden stattfinden."),
            Lang::Undetermined
        );
        assert_eq!(detect("12345 !!!"), Lang::Undetermined);
    }

    #[test]
    fn producer_tags_are_understood() {
        assert_eq!(Lang::from_tag("ar-SA"), Some(Lang::Arabic));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::English));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
