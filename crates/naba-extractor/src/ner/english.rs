//! English entity mentions: capitalisation, lexicons and context cues.
//!
//! A candidate is a run of capitalised words in one sentence, which may be
//! joined by glued hyphens and apostrophes (Al-Jazeera, O'Brien), initials
//! (George W. Bush), name particles (bin, al, de, van) and, inside an
//! organisation name only, by `of`, `the`, `and`, `for` (Department of Justice).
//! Leading function words, nationality adjectives and titles are peeled off;
//! a title is kept as a cue that what follows is a person. The rest is typed
//! by, in order: the lexicons (agencies, organisations, places), organisation
//! heads, the title cue, known given names, and reporting verbs around an
//! unknown two- or three-word name ("... said Jane Roe"). Single unknown words
//! are only kept when an earlier or later typed mention of the same document
//! contains them (Obama after Barack Obama), so sentence-initial capitals are
//! never guessed.

use super::Mention;
use crate::fxhash::FxHashMap as HashMap;
use crate::lexicon::{self, Lexicons};
use crate::normalize::key;
use crate::text::Analysis;
use crate::tokenize::{Token, TokenKind};
use naba_model::{EntityType, Field};

/// Every PER/ORG/LOC mention in an English (or other Latin-script) text.
pub fn mentions(a: &Analysis<'_>, field: Field) -> Vec<Mention> {
    let lx = lexicon::get();
    let s = Scanner { a, lx };
    let mut cands = Vec::new();
    for sent in &a.sentences {
        s.sentence(sent.start, sent.end.min(a.tokens.len()), &mut cands);
    }
    resolve_by_document(&mut cands);
    cands
        .into_iter()
        .filter_map(|c| {
            Some(Mention {
                start: a.tokens[c.first].start,
                end: a.tokens[c.last].end,
                field,
                kind: c.kind?,
                key: c.key,
            })
        })
        .collect()
}

/// Lower-case words that never start a name; peeled off the front of a run
/// (sentence-initial "But", "The", "In").
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "him",
    "them",
    "us",
    "me",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "if",
    "when",
    "while",
    "after",
    "before",
    "as",
    "at",
    "in",
    "on",
    "for",
    "of",
    "to",
    "from",
    "with",
    "by",
    "about",
    "under",
    "over",
    "since",
    "because",
    "although",
    "though",
    "there",
    "here",
    "what",
    "who",
    "whom",
    "whose",
    "which",
    "where",
    "why",
    "how",
    "not",
    "no",
    "yes",
    "all",
    "some",
    "many",
    "most",
    "more",
    "other",
    "another",
    "each",
    "every",
    "both",
    "few",
    "several",
    "such",
    "one",
    "two",
    "three",
    "last",
    "next",
    "first",
    "former",
    "then",
    "now",
    "also",
    "still",
    "even",
    "just",
    "only",
    "meanwhile",
    "however",
    "today",
    "yesterday",
    "tomorrow",
    "is",
    "was",
    "are",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "said",
    "says",
    "according",
    "during",
    "despite",
    "without",
    "within",
    "among",
    "between",
    "through",
    "until",
    "unless",
    "whether",
    "once",
    "instead",
    "later",
    "earlier",
    "again",
    "already",
    "perhaps",
    "maybe",
    "please",
    "thank",
    "thanks",
    "oh",
    "well",
    "like",
    "let",
    "acting",
    "deputy",
    "late",
    "chief",
    "senior",
    "top",
    "us-based",
    "dear",
    "hello",
    "read",
    "watch",
    "related",
    "photo",
    "image",
    "video",
    "copyright",
    "updated",
    "posted",
    "share",
    "breaking",
    "exclusive",
    "opinion",
    "editor",
    "note",
    "sources",
    "source",
    "any",
    "much",
    "very",
    "why",
    "yes",
    "ok",
    "okay",
    "sure",
    "indeed",
    "while",
    "whereas",
    "nor",
    "than",
    "into",
    "onto",
    "upon",
    "against",
    "across",
    "around",
    "toward",
    "towards",
    "behind",
    "beyond",
    "near",
    "via",
    "per",
    "amid",
    "unlike",
    "outside",
    "inside",
    "throughout",
    "above",
    "below",
    "up",
    "down",
    "out",
    "off",
    "never",
    "always",
    "often",
    "sometimes",
    "together",
    "overall",
];

/// Party labels before a name ("Republican Donald Trump"): not part of it.
const PARTY_MEMBERS: &[&str] = &["republican", "republicans", "democrat", "democrats"];

/// Joiners allowed inside an organisation name only.
const ORG_JOINERS: &[&str] = &["of", "the", "and", "for", "on", "&"];

/// Lower-case particles inside personal and place names.
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "abu", "de", "da", "del", "della", "di", "du", "dos", "van",
    "von", "der", "den", "la", "le", "ben",
];

/// Verbs of saying that mark the name next to them as a person.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "asked",
    "stated",
    "noted",
    "explained",
    "wrote",
    "argued",
    "insisted",
    "warned",
    "claimed",
    "tweeted",
    "announced",
    "confirmed",
    "declared",
    "responded",
    "replied",
    "testified",
    "acknowledged",
    "contended",
    "suggested",
    "predicted",
    "recalled",
    "continued",
    "concluded",
    "admitted",
    "urged",
    "vowed",
    "countered",
    "added",
    "writes",
    "tells",
    "adds",
    "thinks",
    "believes",
    "believed",
    "thought",
];

/// Words that end a place name.
const LOC_SUFFIXES: &[&str] = &[
    "city",
    "county",
    "province",
    "island",
    "islands",
    "river",
    "valley",
    "mountains",
    "street",
    "avenue",
    "square",
    "strait",
    "sea",
    "ocean",
    "lake",
    "bay",
    "gulf",
    "peninsula",
    "desert",
    "heights",
    "district",
    "region",
];

struct Candidate {
    first: usize,
    last: usize,
    kind: Option<EntityType>,
    key: String,
    words: usize,
}

struct Scanner<'a, 'b> {
    a: &'b Analysis<'a>,
    lx: &'static Lexicons,
}

impl Scanner<'_, '_> {
    fn tok(&self, i: usize) -> Option<&Token> {
        self.a.tokens.get(i)
    }

    fn norm(&self, i: usize) -> &str {
        self.tok(i).map_or("", |t| t.norm.as_str())
    }

    fn glued(&self, i: usize) -> bool {
        match (self.tok(i), self.tok(i + 1)) {
            (Some(a), Some(b)) => a.nend == b.nstart && !b.line_start,
            _ => false,
        }
    }

    /// A capitalised Latin word (the start of a name part).
    fn cap(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| {
            t.kind == TokenKind::Word
                && t.capitalized
                && t.norm
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
        })
    }

    /// The lexicon key of tokens `i..=j`: glued tokens joined without space.
    fn phrase(&self, i: usize, j: usize) -> String {
        let mut s = String::new();
        for k in i..=j {
            if k > i && !self.glued(k - 1) {
                s.push(' ');
            }
            s.push_str(self.norm(k));
        }
        s
    }

    /// Longest title (President, Secretary of State, Mr.) at `i`, within `end`:
    /// the index after it, its period included.
    fn title_at(&self, i: usize, end: usize) -> Option<usize> {
        (0..4).rev().find_map(|extra| {
            let j = i + extra;
            if j >= end || !self.lx.titles.contains(&self.phrase(i, j)) {
                return None;
            }
            Some(if self.norm(j + 1) == "." && self.glued(j) {
                j + 2
            } else {
                j + 1
            })
        })
    }

    /// After a run's last token `j`: the next name part, if the run continues.
    fn continue_run(&self, j: usize, end: usize) -> Option<(usize, bool)> {
        let next = j + 1;
        if next >= end || self.tok(next).is_some_and(|t| t.line_start) {
            return None;
        }
        let n = self.norm(next);
        // Al-Jazeera, O'Brien; but not Obama's.
        if matches!(n, "-" | "'") && self.glued(j) && self.glued(next) {
            if n == "'" && self.norm(next + 1) == "s" {
                return None;
            }
            let after = next + 1;
            let word = self.tok(after).is_some_and(|t| t.kind == TokenKind::Word);
            return (word
                && after < end
                && (self.cap(after) || PARTICLES.contains(&self.norm(after)) || n == "-"))
                .then_some((after, false));
        }
        // George W. Bush: an initial's period.
        if n == "." && self.glued(j) && self.norm(j).chars().count() == 1 && self.cap(j) {
            return self.cap(next + 1).then_some((next + 1, false));
        }
        if self.cap(next) && !self.is_calendar(next) {
            return Some((next, false));
        }
        // Bashar al-Assad
        if PARTICLES.contains(&n)
            && self.glued(next)
            && self.norm(next + 1) == "-"
            && self.glued(next + 1)
            && self.cap(next + 2)
            && next + 2 < end
        {
            return Some((next + 2, false));
        }
        let name_follows = self.cap(next + 1)
            && next + 1 < end
            && !self.is_calendar(next + 1)
            && !FUNCTION_WORDS.contains(&self.norm(next + 1));
        if (PARTICLES.contains(&n) || ORG_JOINERS.contains(&n)) && name_follows {
            return Some((next + 1, ORG_JOINERS.contains(&n)));
        }
        None
    }

    fn is_calendar(&self, i: usize) -> bool {
        let n = self.norm(i);
        self.lx.months.contains_key(n) || self.lx.weekdays.contains_key(n)
    }

    /// Peels function words, nationality adjectives, calendar words and titles
    /// off the front of a run: (first name token, a title was seen).
    fn peel(&self, mut i: usize, end: usize) -> (usize, bool) {
        let mut titled = false;
        while i < end && self.cap(i) {
            let n = self.norm(i);
            // "Justice Department", "Republican Party": a head right after the
            // word makes it part of an organisation name, not a title.
            let head_next = self.lx.org_heads.contains(self.norm(i + 1));
            if let Some(after) = self.title_at(i, end).filter(|_| !head_next) {
                titled = true;
                i = after;
            } else if head_next {
                break;
            } else if FUNCTION_WORDS.contains(&n)
                || PARTY_MEMBERS.contains(&n)
                || self.is_calendar(i)
                || self.nationality(i, i)
            {
                i += 1;
            } else {
                break;
            }
        }
        (i, titled)
    }

    fn nationality(&self, i: usize, j: usize) -> bool {
        self.lx.nationalities.contains_key(&self.phrase(i, j))
    }

    fn sentence(&self, start: usize, end: usize, out: &mut Vec<Candidate>) {
        let mut i = start;
        while i < end {
            if !self.cap(i) {
                i += 1;
                continue;
            }
            let (first, titled) = self.peel(i, end);
            if first >= end || !self.cap(first) {
                i = first.max(i + 1);
                continue;
            }
            // Grow the run; remember where an org-only joiner was used.
            let mut last = first;
            let mut joiner_at = None;
            let mut words = 1;
            while let Some((next, org_joiner)) = self.continue_run(last, end) {
                if org_joiner && joiner_at.is_none() {
                    joiner_at = Some(last);
                }
                last = next;
                words += 1;
            }
            // "U.S." keeps its final period.
            if self.norm(last + 1) == "."
                && self.glued(last)
                && self.norm(last).len() == 1
                && words > 1
            {
                last += 1;
            }
            let mut kind = self.classify(first, last, titled);
            if let Some(cut) = joiner_at {
                // The joiner only binds organisation names whose head comes
                // before it (Department of Justice, Bank of America): not
                // "Obama of Illinois" or "Shares of Acme Inc".
                let whole_known = {
                    let p = self.phrase(first, last);
                    self.lx.org.contains(&p)
                        || self.lx.agencies.contains_key(&p)
                        || self.lx.loc.contains(&p)
                };
                let head_before = self
                    .phrase(first, cut)
                    .split(' ')
                    .any(|w| self.lx.org_heads.contains(w));
                if !whole_known && (!head_before || kind != Some(EntityType::Organisation)) {
                    last = cut;
                    kind = self.classify(first, last, titled);
                }
            }
            let words = self.phrase(first, last).split(' ').count();
            if !(words == 1 && self.nationality(first, last)) {
                out.push(Candidate {
                    first,
                    last,
                    kind,
                    key: key(&self
                        .a
                        .slice(self.a.tokens[first].start, self.a.tokens[last].end)),
                    words,
                });
            }
            i = last + 1;
        }
    }

    fn classify(&self, first: usize, last: usize, titled: bool) -> Option<EntityType> {
        let p = self.phrase(first, last);
        let p = p.trim_end_matches('.');
        let lx = self.lx;
        if lx.agencies.contains_key(p) || lx.org.contains(p) {
            return Some(EntityType::Organisation);
        }
        if lx.loc.contains(p) {
            return Some(EntityType::Location);
        }
        let words: Vec<&str> = p.split(' ').collect();
        let n = words.len();
        if words.iter().any(|w| lx.org_heads.contains(*w)) && (n > 1 || !titled) {
            // "Ministry" alone is a common noun, "Foreign Ministry" a name.
            if n > 1 {
                return Some(EntityType::Organisation);
            }
        }
        if n > 1 && words.last().is_some_and(|w| LOC_SUFFIXES.contains(w)) {
            return Some(EntityType::Location);
        }
        if titled {
            return Some(EntityType::Person);
        }
        let first_word = words[0].split('-').next().unwrap_or("");
        if n > 1 && lx.given.contains(first_word) {
            return Some(EntityType::Person);
        }
        if (2..=3).contains(&n) && self.reporting_context(first, last) {
            return Some(EntityType::Person);
        }
        None
    }

    /// "Jane Roe said", "said Jane Roe", "Jane Roe, a lawyer, said", "according to Jane Roe".
    fn reporting_context(&self, first: usize, last: usize) -> bool {
        let after = self.norm(last + 1);
        if REPORTING.contains(&after) {
            return true;
        }
        if after == "," {
            // an appositive: look a few tokens ahead for a reporting verb
            // before the next comma closes it.
            let mut k = last + 2;
            let mut commas = 0;
            while k < last + 14 && k < self.a.tokens.len() {
                match self.norm(k) {
                    "," => commas += 1,
                    w if commas == 1 && REPORTING.contains(&w) => return true,
                    "." | "\"" | ";" => break,
                    _ => {}
                }
                if commas > 1 {
                    break;
                }
                k += 1;
            }
        }
        if first >= 1 && REPORTING.contains(&self.norm(first - 1)) {
            return true;
        }
        first >= 2 && self.norm(first - 2) == "according" && self.norm(first - 1) == "to"
    }
}

/// Gives untyped candidates the type of a typed one they are part of:
/// "Obama" after "Barack Obama" (PER), "Clinton" before "Hillary Clinton".
fn resolve_by_document(cands: &mut [Candidate]) {
    let mut known: HashMap<String, EntityType> = HashMap::default();
    for c in cands.iter().filter(|c| c.kind.is_some()) {
        if let Some(kind) = c.kind {
            known.entry(c.key.clone()).or_insert(kind);
            if kind == EntityType::Person && c.words > 1 {
                for w in c.key.split(' ').filter(|w| w.len() > 1) {
                    known.entry(w.to_owned()).or_insert(kind);
                }
            }
        }
    }
    for c in cands.iter_mut().filter(|c| c.kind.is_none()) {
        c.kind = known.get(&c.key).copied();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn ents(text: &str) -> Vec<(String, &'static str)> {
        let a = Analysis::new(text, Lang::English);
        mentions(&a, Field::Text)
            .into_iter()
            .map(|m| {
                assert_eq!(m.key, key(&a.slice(m.start, m.end)));
                (a.slice(m.start, m.end), m.kind.as_str())
            })
            .collect()
    }

    fn pairs(expected: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        expected.iter().map(|&(s, k)| (s.to_owned(), k)).collect()
    }

    #[test]
    fn a_known_given_name_makes_a_person() {
        assert_eq!(
            ents("Barack Obama said the talks failed."),
            pairs(&[("Barack Obama", "PER")])
        );
    }

    #[test]
    fn of_joins_an_organisation_name() {
        assert_eq!(
            ents("He sued the Department of Justice on Friday."),
            pairs(&[("Department of Justice", "ORG")])
        );
    }

    #[test]
    fn city_and_country_are_two_places() {
        assert_eq!(
            ents("Fighting resumed in Aleppo, Syria."),
            pairs(&[("Aleppo", "LOC"), ("Syria", "LOC")])
        );
    }

    #[test]
    fn a_title_is_a_person_cue_and_not_part_of_the_mention() {
        assert_eq!(
            ents("The bill was signed by Mr. Obama."),
            pairs(&[("Obama", "PER")])
        );
        assert_eq!(
            ents("Secretary of State John Kerry arrived."),
            pairs(&[("John Kerry", "PER")])
        );
        assert_eq!(
            ents("Russian President Vladimir Putin spoke."),
            pairs(&[("Vladimir Putin", "PER")])
        );
    }

    #[test]
    fn an_unknown_name_next_to_a_reporting_verb_is_a_person() {
        assert_eq!(
            ents("\"No,\" said Zorblat Quenk."),
            pairs(&[("Zorblat Quenk", "PER")])
        );
        assert_eq!(
            ents("Zorblat Quenk, a local farmer, said the well was dry."),
            pairs(&[("Zorblat Quenk", "PER")])
        );
    }

    #[test]
    fn a_surname_alone_takes_the_type_of_the_full_name() {
        assert_eq!(
            ents("Hillary Clinton won. Later Clinton spoke."),
            pairs(&[("Hillary Clinton", "PER"), ("Clinton", "PER")])
        );
    }

    #[test]
    fn sentence_initial_and_calendar_words_are_not_entities() {
        assert_eq!(
            ents("Yesterday the vote failed. On Monday, nothing happened in March."),
            pairs(&[])
        );
        assert_eq!(
            ents("Russian forces advanced. They said it was over."),
            pairs(&[])
        );
    }

    #[test]
    fn a_title_word_before_an_organisation_head_is_part_of_the_name() {
        assert_eq!(
            ents("The Justice Department declined."),
            pairs(&[("Justice Department", "ORG")])
        );
        assert_eq!(
            ents("He backed Republican Donald Trump and the Republican Party."),
            pairs(&[("Donald Trump", "PER"), ("Republican Party", "ORG")])
        );
    }

    #[test]
    fn possessive_is_not_part_of_the_name() {
        assert_eq!(
            ents("It was Barack Obama's decision."),
            pairs(&[("Barack Obama", "PER")])
        );
    }

    #[test]
    fn organisation_suffixes_and_agencies() {
        assert_eq!(
            ents("Shares of Acme Widgets Inc. fell, Reuters reported."),
            pairs(&[("Acme Widgets Inc", "ORG"), ("Reuters", "ORG")])
        );
        assert_eq!(
            ents("The Republican Party met."),
            pairs(&[("Republican Party", "ORG")])
        );
        assert_eq!(
            ents("He spoke to the New York Times."),
            pairs(&[("New York Times", "ORG")])
        );
    }

    #[test]
    fn hyphenated_and_initialled_names_stay_whole() {
        assert_eq!(
            ents("George W. Bush met Bashar al-Assad."),
            pairs(&[("George W. Bush", "PER"), ("Bashar al-Assad", "PER")])
        );
    }

    #[test]
    fn no_input_makes_it_panic() {
        for s in [
            "",
            " ",
            "A",
            "Mr.",
            "Mr",
            "U.S.",
            "O'",
            "-",
            "Al-",
            "of The",
            "\"Said\"",
            "President",
        ] {
            let _ = ents(s);
        }
    }
}
