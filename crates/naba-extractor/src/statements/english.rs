//! English reporting clauses: "X said (that) ...", "... , X said", "“...,”
//! said X", "X, the minister, said", "according to X", "X: ..." and
//! participles continuing a speaker (", adding that ...").

use super::cues::{lexicon, CueKind};
use super::speaker::{self, is_en_pronoun};
use super::{CueForm, Field2, Raw, RawSpeaker};
use crate::Lang;
use naba_model::StatementKind;

/// Words that may stand between a subject and its verb, or between a verb and
/// its content, without being either.
const ADVERBS: &[&str] = &[
    "also",
    "has",
    "have",
    "had",
    "later",
    "previously",
    "recently",
    "then",
    "once",
    "repeatedly",
    "reportedly",
    "publicly",
    "privately",
    "again",
    "further",
    "often",
    "frequently",
    "would",
    "will",
    "had",
    "has",
    "just",
    "already",
    "simply",
    "flatly",
    "falsely",
    "correctly",
    "even",
    "still",
    "firmly",
    "openly",
    "initially",
    "separately",
    "yesterday",
    "today",
    "tonight",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "never",
    "always",
    "last",
    "week",
    "month",
    "year",
    "earlier",
    "this",
    "on",
    "in",
    "a",
    "an",
    "the",
    "statement",
    "interview",
    "speech",
    "morning",
    "evening",
    "night",
    "afternoon",
    "recently",
    "tweet",
    "post",
    "at",
    "rally",
    "press",
    "conference",
    "briefing",
];

/// Words that end a subject noun phrase when scanning back from a verb.
const NP_BOUNDARIES: &[&str] = &[
    "that", "and", "but", "or", "which", "when", "as", "because", "if", "while", "so", "than",
    "where", "after", "before", "since", "though", "although", "what", "how", "why", "whether",
    "to", "for", "by", "with", "from", "about", "into", "on", "in", "at", "is", "was", "are",
    "were", "be", "been", "not", "n't", "said", "says", "told", "also", "has", "have", "had",
    "would", "will", "could", "should", "can", "may", "might", "did", "does", "do", "even", "yet",
];

/// Prepositions after which a verb does not introduce a clause ("said to be").
const NOT_CLAUSE: &[&str] = &[
    "to",
    "in",
    "on",
    "at",
    "about",
    "by",
    "for",
    "of",
    "with",
    "so",
    "nothing",
    "anything",
    "something",
    "little",
    "more",
    "no",
    "yes",
    "goodbye",
    "hello",
    "up",
    "out",
    "off",
    "down",
    "over",
    "back",
    "was",
    "is",
];

pub(crate) fn find(f: &Field2<'_, '_>) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::new();
    let lx = lexicon();
    for i in 0..f.n() {
        if f.q.inside[i].is_some() || f.boiler[i] || f.is_punct(i) {
            continue;
        }
        let w = f.norm(i);
        if w == "according" && f.norm(i + 1) == "to" {
            if let Some(r) = according(f, i) {
                out.push(r);
            }
            continue;
        }
        let Some(cue) = lx.get(w) else { continue };
        if !w.is_ascii() {
            continue;
        }
        let r = match cue.kind {
            CueKind::Verb => verb(f, i, cue.strong),
            CueKind::Participle => participle(f, i, cue.strong),
        };
        if let Some(r) = r {
            out.push(r);
        }
    }
    headline_colon(f, &mut out);
    out
}

/// The subject noun phrase before token `i`: its range, and what precedes it.
fn subject_back(f: &Field2<'_, '_>, i: usize) -> Option<(usize, usize)> {
    let mut e = i;
    while e > 0
        && matches!(
            f.norm(e - 1),
            "also" | "has" | "have" | "had" | "later" | "then"
        )
        || e > 0 && f.norm(e - 1).ends_with("ly") && !f.tok(e - 1).capitalized
    {
        e -= 1;
    }
    let mut s = e;
    while s > 0 && e - s < 8 {
        let k = s - 1;
        if f.tok(s).line_start && s < e {
            break;
        }
        let w = f.norm(k);
        let abbreviation =
            w == "." && k > 0 && f.tok(k - 1).capitalized && f.tok(k).start == f.tok(k - 1).end;
        let possessive = w == "'" && f.norm(k + 1) == "s";
        if w == ")" {
            // "Mike Pence (R-Ind.) said": step over the bracket.
            if let Some(open) = (k.saturating_sub(6)..k).rev().find(|&j| f.norm(j) == "(") {
                s = open;
                continue;
            }
        }
        if f.is_punct(k) && !abbreviation && !possessive && w != "-" {
            break;
        }
        if NP_BOUNDARIES.contains(&w) && !f.tok(k).capitalized {
            break;
        }
        if lexicon().get(w).is_some() && !f.tok(k).capitalized {
            break;
        }
        s = k;
    }
    if s == e {
        return None;
    }
    // A relative pronoun subject: "Trump, who said ..." speaks for Trump.
    if e == s + 1 && matches!(f.norm(s), "who") && s >= 2 && f.norm(s - 1) == "," {
        return subject_back(f, s - 1);
    }
    Some((s, e))
}

/// "Phil Lovas, the chairman," / "Trump, speaking in Ohio," before a verb:
/// the subject is the first name of the stretch back to the clause start.
/// Returns (start of the stretch, name start, name end).
fn subject_with_apposition(f: &Field2<'_, '_>, comma: usize) -> Option<(usize, usize, usize)> {
    let mut s = comma;
    while s > 0 && comma - s < 16 {
        let k = s - 1;
        if f.stop[k] || f.tok(s).line_start || f.is_quote_mark(k) {
            break;
        }
        let w = f.norm(k);
        if !f.tok(k).capitalized
            && matches!(
                w,
                "that" | "and" | "but" | "because" | "when" | "while" | "as"
            )
        {
            break;
        }
        if lexicon().get(w).is_some() && !f.tok(k).capitalized {
            return None;
        }
        s = k;
    }
    if s == comma {
        return None;
    }
    let cap = |k: usize| {
        let t = f.tok(k);
        t.capitalized
            && !matches!(
                t.norm.as_str(),
                "the" | "a" | "an" | "his" | "her" | "their"
            )
            || (t.norm == "." && k > s && f.tok(k - 1).capitalized)
    };
    let ns = (s..comma).find(|&k| cap(k))?;
    let mut ne = ns;
    while ne < comma && cap(ne) {
        ne += 1;
    }
    // The name is the start of the stretch or comes right after its first comma.
    let first_comma = (s..comma).find(|&k| f.norm(k) == ",").unwrap_or(comma);
    (ns < first_comma + 2).then_some((s, ns, ne))
}

/// The subject after an inverted verb ("said Caddell", "said the official").
fn subject_after(f: &Field2<'_, '_>, i: usize) -> Option<(usize, usize)> {
    let s = i + 1;
    let mut e = s;
    while e < f.n() && e < s + 8 {
        if f.tok(e).line_start {
            break;
        }
        let w = f.norm(e);
        let abbreviation = w == "."
            && e > s
            && f.tok(e - 1).capitalized
            && f.tok(e).start == f.tok(e - 1).end
            && !f.stop[e];
        if (f.is_punct(e) && !abbreviation && w != "-")
            || (NP_BOUNDARIES.contains(&w) && !f.tok(e).capitalized)
            || matches!(w, "in" | "on" | "at" | "during" | "who")
        {
            break;
        }
        e += 1;
    }
    (e > s).then_some((s, e))
}

/// Skips time and manner adverbials after a verb ("said Friday in a statement").
fn skip_adverbials(f: &Field2<'_, '_>, mut k: usize) -> usize {
    let start = k;
    while k < f.n() && k < start + 6 && ADVERBS.contains(&f.norm(k)) && !f.tok(k).line_start {
        k += 1;
    }
    k
}

fn is_closing_quote(f: &Field2<'_, '_>, k: usize) -> Option<usize> {
    f.q.quotes
        .iter()
        .position(|q| q.depth == 0 && q.close == Some(k))
}

fn verb(f: &Field2<'_, '_>, i: usize, strong: bool) -> Option<Raw> {
    let n = f.n();
    let mut back = subject_back(f, i);
    let mut apposition = None;
    if back.is_none() && i > 1 && f.norm(i - 1) == "," {
        apposition = subject_with_apposition(f, i - 1);
        back = apposition.map(|(s, _, _)| (s, i - 1));
    }
    let before_subject = back.map_or(i, |(s, _)| s);
    let preceded_by_break = before_subject == 0
        || f.tok(before_subject).line_start
        || matches!(
            f.norm(before_subject - 1),
            "," | "\"" | "'" | "—" | "–" | "-"
        )
        || f.stop[before_subject - 1];
    let after = skip_adverbials(f, i + 1);
    let ends_here = after >= n
        || f.stop[after]
        || f.tok(after).line_start
        || matches!(f.norm(after), "," | ";" | "—");

    // "X added, “...”": the content follows after all.
    let quote_follows = back.is_some()
        && after < n
        && f.norm(after) == ","
        && f.q.opens.get(after + 1).copied().flatten().is_some();
    // "“...,” said X." / "..., X said." / "..., said X, a former aide."
    if !quote_follows && (ends_here || (back.is_none() && preceded_by_break)) {
        let inverted = back.is_none();
        let spk_range = if inverted { subject_after(f, i) } else { back };
        let (ss, se) = spk_range?;
        let boundary = if inverted { i } else { ss };
        if boundary == 0 || !preceded_by_break && !inverted {
            return None;
        }
        let mut b = boundary;
        // Step back over the comma and closing mark(s) that end the content.
        while b > 0 && matches!(f.norm(b - 1), "," | "—" | "–" | "-") {
            b -= 1;
        }
        let speaker = speaker::english(f, ss, se)?;
        let content = if b > 0 {
            if let Some(qi) = is_closing_quote(f, b - 1) {
                let q = &f.q.quotes[qi];
                let (s, e) = f.trim(q.first, q.last);
                let mut quotes = vec![(s, e)];
                let mut end = e;
                // "“A,” she said. “B.”": the quotation goes on after the cue.
                let p = skip_adverbials(f, se.max(i + 1));
                if p + 1 < n && f.stop[p] && !f.tok(p + 1).line_start {
                    if let Some(q2) = f.q.opens[p + 1].map(|k| &f.q.quotes[k]) {
                        let (s2, e2) = f.trim(q2.first, q2.last);
                        if s2 < e2 {
                            quotes.push((s2, e2));
                            end = e2;
                        }
                    }
                }
                (s < e).then_some(super::Shaped {
                    content: (s, end),
                    quotes,
                    kind: StatementKind::Direct,
                })
            } else {
                let s = f.sentence_start(b - 1);
                if b <= s + 2 {
                    None
                } else {
                    f.shape(s, b, false)
                }
            }
        } else {
            None
        };
        let sh = content?;
        return Some(raw(f, i, sh, speaker, strong, CueForm::Verb));
    }

    // "X said (that) ..." / "X told reporters that ..." / "X said: ...".
    let (ss, se) = back?;
    if !preceded_by_break && !f.tok(ss).capitalized && !is_en_pronoun(f.norm(ss)) {
        // Mid-clause: the subject must at least look like one.
        if ss > 0
            && !matches!(
                f.norm(ss - 1),
                "that" | "and" | "but" | "because" | "as" | "when" | "while" | "since" | "after"
            )
        {
            return None;
        }
    }
    let speaker = match apposition {
        Some((s, ns, ne)) => RawSpeaker::Phrase {
            all: (s, se),
            name: Some((ns, ne)),
            role: None,
        },
        None => speaker::english(f, ss, se)?,
    };
    let Some((m, colon)) = content_start(f, i, strong) else {
        // "“...,” Figueroa told USA Today.": the quotation before is the content.
        let b = ss.checked_sub(1)?;
        let b = if f.norm(b) == "," {
            b.checked_sub(1)?
        } else {
            b
        };
        let qi = is_closing_quote(f, b)?;
        let q = &f.q.quotes[qi];
        let (s, e) = f.trim(q.first, q.last);
        if s >= e {
            return None;
        }
        let sh = super::Shaped {
            content: (s, e),
            quotes: vec![(s, e)],
            kind: StatementKind::Direct,
        };
        return Some(raw(f, i, sh, speaker, strong, CueForm::Verb));
    };
    let end = f.clause_end(m, colon, Lang::English);
    let mut sh = f.shape(m, end, true)?;
    if colon && sh.kind == StatementKind::Indirect {
        sh.kind = StatementKind::Direct;
    }
    Some(raw(f, i, sh, speaker, strong, CueForm::Verb))
}

/// Where content starts after a verb at `i`: "that", a quotation, a colon,
/// or (for strong verbs) a bare clause.
fn content_start(f: &Field2<'_, '_>, i: usize, strong: bool) -> Option<(usize, bool)> {
    let n = f.n();
    let told = matches!(
        f.norm(i),
        "told" | "tell" | "tells" | "telling" | "wrote" | "write" | "writes"
    );
    let mut k = i + 1;
    while k < n && k < i + 9 {
        if f.tok(k).line_start {
            if k > 0 && f.norm(k - 1) == ":" && f.q.opens[k].is_some() {
                return Some((k, false));
            }
            return None;
        }
        if f.q.opens[k].is_some() {
            return Some((k, false));
        }
        let w = f.norm(k);
        if w == "that" {
            return Some((k, false));
        }
        if w == ":" {
            return Some((k + 1, true));
        }
        if w == "," && f.q.opens.get(k + 1).copied().flatten().is_some() {
            return Some((k + 1, false)); // He added, “...”
        }
        if f.stop[k] || w == "," && !told {
            break;
        }
        // Between the verb and its content stand only adverbials (or, after
        // "told", the addressee): anything else is already the content.
        if !told && !ADVERBS.contains(&w) || told && k > i + 5 {
            break;
        }
        k += 1;
    }
    if !strong || told {
        return None;
    }
    let k = i + 1;
    if k >= n || f.is_punct(k) || f.tok(k).line_start || NOT_CLAUSE.contains(&f.norm(k)) {
        return None;
    }
    Some((k, false))
}

fn participle(f: &Field2<'_, '_>, i: usize, strong: bool) -> Option<Raw> {
    // Only after a comma: ", adding that", ", saying “...”".
    if i == 0 || !matches!(f.norm(i - 1), "," | "—") {
        return None;
    }
    let (m, colon) = content_start(f, i, strong)?;
    let end = f.clause_end(m, colon, Lang::English);
    let sh = f.shape(m, end, true)?;
    Some(raw(
        f,
        i,
        sh,
        RawSpeaker::Implicit,
        strong,
        CueForm::Participle,
    ))
}

/// "According to X, ..." or "..., according to X."
fn according(f: &Field2<'_, '_>, i: usize) -> Option<Raw> {
    let s = i + 2;
    let mut e = s;
    while e < f.n() && e < s + 8 && !f.is_punct(e) && !f.tok(e).line_start {
        e += 1;
    }
    let speaker = speaker::english(f, s, e)?;
    let sent = f.sentence_start(i);
    let sh = if i <= sent + 1 {
        let st = if f.norm(e) == "," { e + 1 } else { e };
        let end = f.clause_end(st, false, Lang::English);
        f.shape(st, end, true)?
    } else {
        let mut b = i;
        while b > sent && matches!(f.norm(b - 1), "," | "—") {
            b -= 1;
        }
        f.shape(sent, b, false)?
    };
    let mut r = raw(f, i, sh, speaker, true, CueForm::Attribution);
    r.cue = f.offsets(i, i + 2);
    r.source = super::arabic::agency_at(f, s).map(|x| x.1);
    Some(r)
}

fn raw(
    f: &Field2<'_, '_>,
    i: usize,
    sh: super::Shaped,
    speaker: RawSpeaker,
    strong: bool,
    form: CueForm,
) -> Raw {
    Raw {
        field: f.field,
        cue: f.offsets(i, i + 1),
        content: sh.content,
        quotes: sh.quotes,
        kind: sh.kind,
        speaker,
        source: None,
        strong,
        form,
    }
}

/// "Pat Caddell: Voters are worried" as a headline.
fn headline_colon(f: &Field2<'_, '_>, out: &mut Vec<Raw>) {
    let line_end = f.line_end(0);
    let Some(c) = (0..line_end.min(6)).find(|&k| f.norm(k) == ":") else {
        return;
    };
    if c == 0 || line_end < c + 3 || !(0..c).all(|k| f.tok(k).capitalized || f.norm(k) == ".") {
        return;
    }
    if (0..c).any(|k| lexicon().get(f.norm(k)).is_some()) {
        return;
    }
    let Some(speaker) = speaker::english(f, 0, c) else {
        return;
    };
    let Some(mut sh) = f.shape(c + 1, line_end, false) else {
        return;
    };
    if sh.kind == StatementKind::Indirect {
        sh.kind = StatementKind::Direct;
    }
    let mut r = raw(f, c, sh, speaker, true, CueForm::Colon);
    r.cue = f.offsets(c, c + 1);
    out.push(r);
}
