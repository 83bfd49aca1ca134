//! Reported statements: quotes, cues, content spans, speakers.
//!
//! One pass over each field's tokens finds the reporting cues (verbs,
//! participles, attribution phrases, the headline colon); each cue is then
//! read with the grammar of reporting clauses of its language (Arabic VSO and
//! SVO, English "X said" / "said X" / "..., X said") to find its content and
//! the phrase naming its speaker. Speakers are resolved afterwards, once both
//! fields are read, so that a headline's "لافروف" can reach the body's
//! "سيرغي لافروف" and an implicit وتابع the previous speaker.

mod arabic;
mod cues;
mod english;
mod quotes;
mod resolve;
mod speaker;

use crate::ner::coref::Cluster;
use crate::text::Analysis;
use crate::tokenize::{Token, TokenKind};
use crate::Lang;
use naba_model::{Field, Statement, StatementKind};
use quotes::Quotes;

/// Builds the tables that statements would otherwise build on the first
/// article (the cue lexicon alone is ~5 M instructions), so that the first
/// article is not slower than the others.
pub(crate) fn warm_up() {
    cues::lexicon();
    speaker::warm_up();
    arabic::agency_first_words();
}

/// Every statement in the article, in text order (title first).
pub fn find(
    body: &Analysis<'_>,
    title: Option<&Analysis<'_>>,
    entities: &[Cluster],
) -> Vec<Statement> {
    let mut raws = Vec::new();
    if let Some(t) = title {
        raws.extend(find_in(t, Field::Title));
    }
    raws.extend(find_in(body, Field::Text));
    resolve::resolve(raws, body, title, entities)
}

/// How the speaker phrase of a statement reads, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawSpeaker {
    /// No subject: وتابع، مضيفا, adding.
    Implicit,
    /// A pronoun subject (he, she, they); token range.
    Pronoun(usize, usize),
    /// A phrase: its whole token range, the name inside it (if any) and the
    /// title or affiliation around the name (if any), as token ranges.
    Phrase {
        all: (usize, usize),
        name: Option<(usize, usize)>,
        role: Option<(usize, usize)>,
    },
}

/// A statement as read from one field, with token ranges.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub field: Field,
    /// Original code-point range of the cue (proclitic excluded).
    pub cue: (usize, usize),
    /// Token range of the content.
    pub content: (usize, usize),
    /// Token ranges of the quoted parts (insides, without the marks).
    pub quotes: Vec<(usize, usize)>,
    pub kind: StatementKind,
    pub speaker: RawSpeaker,
    pub source: Option<String>,
    pub strong: bool,
    /// The cue is a headline colon or an attribution phrase, not a verb.
    pub form: CueForm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueForm {
    Verb,
    Participle,
    Colon,
    Attribution,
    /// A cue recognised despite a missing first letter.
    Clipped,
}

/// One field under reading: its analysis, its quotes and per-token facts.
pub(crate) struct Field2<'x, 'a> {
    pub a: &'x Analysis<'a>,
    pub field: Field,
    pub q: Quotes,
    /// The token ends a sentence (. ! ? outside quotes).
    pub stop: Vec<bool>,
    /// The token lies on a boilerplate line (tags, captions, contact lines).
    pub boiler: Vec<bool>,
    /// The token lies on a line in title case (most words capitalised), where
    /// a capital tells nothing about names.
    pub title_case: Vec<bool>,
}

impl<'x, 'a> Field2<'x, 'a> {
    fn new(a: &'x Analysis<'a>, field: Field) -> Self {
        let q = quotes::find(&a.tokens, &a.chars);
        let stop = a
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                t.kind == TokenKind::Punct
                    && matches!(t.norm.as_str(), "." | "!" | "?")
                    && q.inside[i].is_none()
                    && !is_abbreviation_dot(&a.tokens, i)
            })
            .collect();
        let boiler = boilerplate(&a.tokens);
        let title_case = title_case_lines(&a.tokens);
        Field2 {
            a,
            field,
            q,
            stop,
            boiler,
            title_case,
        }
    }

    pub fn tok(&self, i: usize) -> &Token {
        &self.a.tokens[i]
    }

    pub fn n(&self) -> usize {
        self.a.tokens.len()
    }

    pub fn norm(&self, i: usize) -> &str {
        self.a.tokens.get(i).map_or("", |t| t.norm.as_str())
    }

    /// The token is a punctuation mark that ends a clause for speaker phrases.
    pub fn is_punct(&self, i: usize) -> bool {
        self.a
            .tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct)
    }

    /// Token `i` is a quotation mark (of any family).
    pub fn is_quote_mark(&self, i: usize) -> bool {
        self.is_punct(i) && matches!(self.norm(i), "\"" | "'")
    }

    /// One past the last token of the line holding token `i`.
    pub fn line_end(&self, i: usize) -> usize {
        let mut k = i + 1;
        while k < self.n() && !self.a.tokens[k].line_start {
            k += 1;
        }
        k.min(self.n())
    }

    /// First token of the sentence holding `i`, jumping over quotes that
    /// began earlier so that a quoted passage is never cut in two.
    pub fn sentence_start(&self, i: usize) -> usize {
        let mut k = i;
        while k > 0 {
            if self.a.tokens[k].line_start || self.stop[k - 1] {
                break;
            }
            k -= 1;
        }
        if let Some(qi) = self.q.inside[k] {
            let q = &self.q.quotes[qi];
            if q.open < k && !self.a.tokens[k].line_start {
                return q.open;
            }
        }
        k
    }

    /// Original code-point range of a token range.
    pub fn offsets(&self, s: usize, e: usize) -> (usize, usize) {
        if s >= e || e > self.n() {
            let p = self.a.tokens.get(s).map_or(self.a.chars.len(), |t| t.start);
            return (p, p);
        }
        (self.a.tokens[s].start, self.a.tokens[e - 1].end)
    }

    /// Drops punctuation from both ends of a content range, keeping quote marks
    /// and closing brackets that belong to the content.
    pub fn trim(&self, mut s: usize, mut e: usize) -> (usize, usize) {
        while s < e && self.is_punct(s) && !self.is_quote_mark(s) && self.norm(s) != "(" {
            s += 1;
        }
        while e > s && self.is_punct(e - 1) && !self.is_quote_mark(e - 1) && self.norm(e - 1) != ")"
        {
            e -= 1;
        }
        (s, e)
    }

    /// The top-level quotes that lie wholly inside a token range.
    pub fn quotes_in(&self, s: usize, e: usize) -> Vec<(usize, usize)> {
        self.q
            .quotes
            .iter()
            .filter(|q| q.depth == 0 && q.open >= s && q.after() <= e.max(q.last) && q.last <= e)
            .map(|q| (q.first, q.last))
            .filter(|&(a, b)| a < b)
            .collect()
    }

    /// Kind and content of a clause running over tokens `s..e` (already trimmed):
    /// direct when it is one quotation and nothing else, mixed when it holds
    /// one, indirect otherwise. A leading complementizer before a full
    /// quotation is dropped (أن "..." is direct).
    pub fn shape(&self, s: usize, e: usize, lead_ok: bool) -> Option<Shaped> {
        let (s, e) = self.trim(s, e);
        if s >= e {
            return None;
        }
        let mut qs = s;
        if lead_ok {
            // أن / أنه / إن / that before a quotation.
            while qs < e && qs < s + 2 && !self.is_quote_mark(qs) && is_lead(self.norm(qs)) {
                qs += 1;
            }
        }
        if let Some(qi) = self.q.opens.get(qs).copied().flatten() {
            let q = &self.q.quotes[qi];
            let (is, ie) = self.trim(q.first, q.last);
            let rest = self.trim(q.after(), e);
            if rest.0 >= rest.1 && is < ie {
                return Some(Shaped {
                    content: (is, ie),
                    quotes: vec![(is, ie)],
                    kind: StatementKind::Direct,
                });
            }
        }
        let quotes = self.quotes_in(s, e);
        let kind = if quotes.is_empty() {
            StatementKind::Indirect
        } else {
            StatementKind::Mixed
        };
        Some(Shaped {
            content: (s, e),
            quotes,
            kind,
        })
    }

    /// The end of a reported clause starting at `s`: the end of the sentence
    /// (quotes are jumped over whole), or a comma before the next cue or
    /// attribution phrase, whichever comes first. `line` lets the clause run
    /// over sentence ends up to the end of the line (colon-introduced speech).
    pub fn clause_end(&self, s: usize, line: bool, lang: Lang) -> usize {
        let n = self.n();
        let mut e = s;
        while e < n {
            if e > s && self.a.tokens[e].line_start {
                break;
            }
            if let Some(qi) = self.q.opens[e] {
                e = self.q.quotes[qi].after().max(e + 1);
                continue;
            }
            if self.stop[e] && !line {
                break;
            }
            if e > s && self.q.inside[e].is_none() {
                let t = self.norm(e);
                let comma = matches!(t, "," | ";" | "-" | "–" | "—");
                let next = if comma { e + 1 } else { e };
                if (comma || e > s + 1) && self.starts_new_report(next, lang) {
                    break;
                }
            }
            e += 1;
        }
        e
    }

    /// Token `i` begins another report: a cue word or an attribution phrase.
    fn starts_new_report(&self, i: usize, lang: Lang) -> bool {
        let w = self.norm(i);
        if w.is_empty() || self.q.inside.get(i).copied().flatten().is_some() {
            return false;
        }
        match lang {
            Lang::Arabic => {
                if arabic::is_attribution(self, i) {
                    return true;
                }
                match cues::lexicon().get(w) {
                    Some(c) if c.kind == cues::CueKind::Participle => true,
                    Some(_) => w.starts_with('و') || w.starts_with('ف'),
                    None => w == "كما" && cues::lexicon().get(self.norm(i + 1)).is_some(),
                }
            }
            _ => {
                matches!(w, "according") && self.norm(i + 1) == "to"
                    || matches!(
                        cues::lexicon().get(w),
                        Some(c) if c.kind == cues::CueKind::Participle && c.strong
                    ) && matches!(self.norm(i + 1), "that" | "\"" | "'" | ":")
            }
        }
    }
}

pub(crate) struct Shaped {
    pub content: (usize, usize),
    pub quotes: Vec<(usize, usize)>,
    pub kind: StatementKind,
}

/// Complementizers and their pronoun-suffixed forms, normalised (إن، أن، بأن،
/// إنه، أنها، that).
pub(crate) fn is_lead(w: &str) -> bool {
    if w == "that" {
        return true;
    }
    let rest = w.strip_prefix('ب').unwrap_or(w);
    let rest = rest.strip_prefix("فان").map_or(rest, |r| r);
    matches!(
        rest,
        "ان" | "انه"
            | "انها"
            | "انهم"
            | "انهما"
            | "اننا"
            | "انني"
            | "اني"
            | "انهن"
            | "انك"
    ) || w == "فان"
}

fn is_abbreviation_dot(tokens: &[Token], i: usize) -> bool {
    i > 0
        && tokens[i].norm == "."
        && tokens[i - 1].nend == tokens[i].nstart
        && tokens[i - 1].kind == TokenKind::Word
        && (tokens[i - 1].norm.chars().nth(1).is_none()
            || matches!(
                tokens[i - 1].norm.as_str(),
                "mr" | "mrs" | "ms" | "dr" | "sen" | "rep" | "gov" | "gen" | "st" | "u.s" | "jr"
            ))
}

/// Lines that carry no reporting: keyword and tag lists, photo captions,
/// contact and sharing lines.
fn boilerplate(tokens: &[Token]) -> Vec<bool> {
    const HEADS: &[&str] = &[
        "سمات",
        "كلمات",
        "الكلمات",
        "وسوم",
        "الوسوم",
        "tags",
        "tag",
        "keywords",
        "الصوره",
        "صوره",
        "photo",
        "image",
        "caption",
        "شارك",
        "share",
        "اقرا",
        "read",
        "follow",
        "تابعونا",
        "تابعوا",
    ];
    const ANYWHERE: &[&[&str]] = &[
        &["التواصل", "معنا"],
        &["contact", "us"],
        &["all", "rights", "reserved"],
        &["جميع", "الحقوق"],
    ];
    let mut out = vec![false; tokens.len()];
    for (s, e) in lines(tokens) {
        let line = &tokens[s..e];
        let head = line
            .iter()
            .find(|t| t.kind != TokenKind::Punct)
            .map_or("", |t| t.norm.as_str());
        let lead_punct = line.first().is_some_and(|t| t.norm == "*");
        let has = |words: &[&str]| {
            line.windows(words.len())
                .any(|w| w.iter().zip(words).all(|(t, x)| t.norm == *x))
        };
        let caption_head = HEADS.contains(&head)
            && (lead_punct
                || line
                    .iter()
                    .skip(1)
                    .take(2)
                    .any(|t| matches!(t.norm.as_str(), ":" | "-")))
            || matches!(head, "سمات" | "كلمات" | "tags" | "keywords" | "وسوم");
        if caption_head || ANYWHERE.iter().any(|w| has(w)) {
            out[s..e].iter_mut().for_each(|b| *b = true);
        }
    }
    out
}

/// The token ranges `(start, end)` of the text's lines, in order.
fn lines(tokens: &[Token]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut s = 0;
    std::iter::from_fn(move || {
        if s >= tokens.len() {
            return None;
        }
        let mut e = s + 1;
        while e < tokens.len() && !tokens[e].line_start {
            e += 1;
        }
        let line = (s, e);
        s = e;
        Some(line)
    })
}

/// Lines of four words or more whose words (short function words aside)
/// are nearly all capitalised: headlines in title case.
fn title_case_lines(tokens: &[Token]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    for (s, e) in lines(tokens) {
        let words = tokens[s..e]
            .iter()
            .filter(|t| t.kind == TokenKind::Word && t.norm.chars().nth(3).is_some());
        let (mut all, mut caps) = (0, 0);
        for t in words {
            all += 1;
            caps += usize::from(t.capitalized);
        }
        if all >= 4 && caps * 10 >= all * 9 {
            out[s..e].iter_mut().for_each(|b| *b = true);
        }
    }
    out
}

fn find_in(a: &Analysis<'_>, field: Field) -> Vec<Raw> {
    let f = Field2::new(a, field);
    let mut out = match a.lang {
        Lang::Arabic => arabic::find(&f),
        Lang::English => english::find(&f),
        Lang::Undetermined => {
            if a.chars.iter().any(|c| c.is_ascii_alphabetic()) {
                english::find(&f)
            } else {
                Vec::new()
            }
        }
    };
    out.retain(|r| r.content.0 < r.content.1 && !f.boiler[r.content.0]);
    out.sort_by_key(|r| r.cue.0);
    out.dedup_by(|b, a| a.cue == b.cue);
    out
}

#[cfg(test)]
mod tests;
