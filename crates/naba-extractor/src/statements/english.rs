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

/// Days and other time words that stand between a subject and its verb.
const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "earlier",
    "recently",
];

/// Conjunctions that open a clause before its subject.
const SUBORDINATORS: &[&str] = &[
    "while", "when", "if", "as", "although", "though", "because", "since", "after", "before",
    "but", "and", "so", "yet", "once", "whereas", "unless", "until",
];

/// Lemmas whose bare form is a noun more often than a verb ("the remark",
/// "a tweet", "his note"): the bare form counts only after a plural subject.
const NOUN_LIKE: &[&str] = &[
    "remark", "note", "tweet", "report", "state", "show", "call", "claim", "attack", "question",
    "demand", "estimate", "charge", "counter", "joke", "quip", "pledge", "promise", "vow", "echo",
    "praise", "blast", "find", "reply", "respond", "testify", "caution", "concede", "cite",
    "continue", "comment", "hope", "boast", "scoff", "stress", "mention", "insist", "add",
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
        if cue.kind == CueKind::Verb && NOUN_LIKE.contains(&w) && !plural_subject_before(f, i) {
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
    dash_signed(f, &mut out);
    transcript_labels(f, &mut out);
    out
}

/// Dashes that sign a quotation with its author: “...” ― Name.
fn is_dash(w: &str) -> bool {
    matches!(w, "―" | "—" | "–" | "-")
}

/// A run of capitalised name words from `s` that ends its line (a final
/// full stop allowed): its end, or `None`.
fn name_to_line_end(f: &Field2<'_, '_>, s: usize, max: usize) -> Option<usize> {
    let mut e = s;
    while e < f.n() && e < s + max && !(e > s && f.tok(e).line_start) {
        let t = f.tok(e);
        let dot = t.norm == "." && e > s && f.tok(e - 1).capitalized;
        if !(t.capitalized || dot || (t.norm == "-" && e > s)) {
            break;
        }
        e += 1;
    }
    let line_end = e >= f.n() || f.tok(e).line_start;
    let stop_then_end = e < f.n() && f.stop[e] && (e + 1 >= f.n() || f.tok(e + 1).line_start);
    (e > s && (line_end || stop_then_end)).then_some(e)
}

/// “...” ― Sonya Reyes: a quotation signed by the name after a dash at the
/// end of its line.
fn dash_signed(f: &Field2<'_, '_>, out: &mut Vec<Raw>) {
    for q in f.q.quotes.iter().filter(|q| q.depth == 0) {
        let Some(c) = q.close else { continue };
        let d = c + 1;
        if d + 1 >= f.n() || !is_dash(f.norm(d)) || f.tok(d + 1).line_start || f.boiler[d] {
            continue;
        }
        let Some(mut e) = name_to_line_end(f, d + 1, 6) else {
            continue;
        };
        while e > d + 2 && f.norm(e - 1) == "." && f.stop[e - 1] {
            e -= 1;
        }
        let (s, ie) = f.trim(q.first, q.last);
        let Some(speaker) = (s < ie).then(|| speaker::english(f, d + 1, e)).flatten() else {
            continue;
        };
        let sh = super::Shaped {
            content: (s, ie),
            quotes: vec![(s, ie)],
            kind: StatementKind::Direct,
        };
        out.push(raw(f, d, sh, speaker, true, CueForm::Colon));
    }
}

/// Labels that open a line with a colon without naming a speaker.
const NOT_SPEAKER_LABELS: &[&str] = &[
    "update",
    "updated",
    "note",
    "editor",
    "related",
    "watch",
    "read",
    "video",
    "photo",
    "photos",
    "breaking",
    "click",
    "source",
    "sources",
    "disclaimer",
    "correction",
    "q",
    "a",
    "more",
    "see",
    "also",
    "listen",
    "warning",
    "transcript",
    "advertisement",
];

/// Interview transcripts: "WALLACE: ..." or "Dana Whitt: ..." opening a line.
fn transcript_labels(f: &Field2<'_, '_>, out: &mut Vec<Raw>) {
    let n = f.n();
    let mut ls = 0;
    while ls < n {
        let le = f.line_end(ls);
        let line = ls;
        ls = le;
        if line == 0 || f.boiler[line] {
            continue; // the first line is the headline's business
        }
        let j = line + usize::from(f.is_quote_mark(line));
        let Some(c) = (j + 1..le.min(j + 4)).find(|&k| f.norm(k) == ":") else {
            continue;
        };
        let all_caps = |k: usize| {
            let t = f.tok(k);
            let text = &f.a.chars[t.start..t.end];
            text.len() >= 2 && text.iter().all(|ch| ch.is_uppercase() || *ch == '.')
        };
        let label_ok = (j..c).all(|k| f.tok(k).capitalized || f.norm(k) == ".")
            && (j..c).all(|k| !NOT_SPEAKER_LABELS.contains(&f.norm(k)))
            && ((j..c).all(|k| all_caps(k) || f.norm(k) == ".") || c - j >= 2);
        if !label_ok || c + 1 >= le {
            continue;
        }
        let Some(speaker) = speaker::english(f, j, c) else {
            continue;
        };
        let Some(mut sh) = f.shape(c + 1, le, false) else {
            continue;
        };
        if sh.kind == StatementKind::Indirect {
            sh.kind = StatementKind::Direct;
        }
        out.push(raw(f, c, sh, speaker, true, CueForm::Colon));
    }
}

/// Token `k` may be a function word or a cue despite a capital: it is
/// lower case, or it stands in a title-case line ("Obama Says Museum Will Tell").
fn plain(f: &Field2<'_, '_>, k: usize) -> bool {
    !f.tok(k).capitalized || f.title_case.get(k).copied().unwrap_or(false)
}

/// The word before `i` can be the plural subject of a bare verb ("they
/// claim", "critics note"), not a determiner or a possessive.
fn plural_subject_before(f: &Field2<'_, '_>, i: usize) -> bool {
    let Some(k) = i.checked_sub(1) else {
        return false;
    };
    let w = f.norm(k);
    matches!(w, "they" | "we" | "i" | "you")
        || w.len() > 3
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !f.is_punct(k)
            && !(k > 0 && f.norm(k - 1) == "'")
}

/// The subject noun phrase before token `i`: its range, and what precedes it.
fn subject_back(f: &Field2<'_, '_>, i: usize) -> Option<(usize, usize)> {
    let mut e = i;
    loop {
        let w = f.norm(e.wrapping_sub(1));
        if e == 0 {
            break;
        }
        if matches!(
            w,
            "also"
                | "has"
                | "have"
                | "had"
                | "later"
                | "then"
                | "did"
                | "does"
                | "do"
                | "not"
                | "never"
                | "would"
                | "will"
                | "could"
                | "should"
                | "may"
                | "might"
                | "must"
        ) || w.ends_with("ly") && !f.tok(e - 1).capitalized
            || TIME_WORDS.contains(&w)
        {
            if e >= 2 && f.norm(e - 2) == "on" && TIME_WORDS.contains(&w) {
                e -= 1; // "on Wednesday"
            }
            e -= 1;
        } else if w == "t" && e >= 3 && f.norm(e - 2) == "'" {
            e -= 3; // haven't, didn't
        } else {
            break;
        }
    }
    let mut s = e;
    // Bracketed affiliations ("(D-Wis.)") do not count towards the length.
    let mut skipped = 0;
    while s > 0 && e - s - skipped < 8 {
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
                skipped += s - open;
                s = open;
                continue;
            }
        }
        if f.is_punct(k) && !abbreviation && !possessive && w != "-" {
            break;
        }
        if NP_BOUNDARIES.contains(&w) && plain(f, k) {
            break;
        }
        if lexicon().get(w).is_some() && plain(f, k) {
            break;
        }
        s = k;
    }
    // "In one tweet", "While his advisers": a preposition or conjunction
    // opening the sentence is not part of the subject.
    while s < e && (PP_HEADS.contains(&f.norm(s)) || SUBORDINATORS.contains(&f.norm(s))) {
        s += 1;
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
    while s > 0 && comma - s < 32 {
        let k = s - 1;
        if f.stop[k] || f.tok(s).line_start || f.is_quote_mark(k) {
            break;
        }
        let w = f.norm(k);
        if plain(f, k)
            && matches!(
                w,
                "that" | "and" | "but" | "because" | "when" | "while" | "as"
            )
        {
            break;
        }
        if lexicon().get(w).is_some() && plain(f, k) {
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
            || (NP_BOUNDARIES.contains(&w) && plain(f, e))
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

/// The top-level quote whose closing mark is token `k`, found through the
/// quote its last inside token belongs to (one or two marks back).
fn is_closing_quote(f: &Field2<'_, '_>, k: usize) -> Option<usize> {
    (1..=2)
        .filter_map(|d| k.checked_sub(d))
        .filter_map(|j| f.q.inside.get(j).copied().flatten())
        .find(|&qi| f.q.quotes[qi].depth == 0 && f.q.quotes[qi].close == Some(k))
}

/// The closing mark of a quotation ending right before token `b` (commas and
/// dashes between them skipped): "“...,” X said".
fn quote_ending_before(f: &Field2<'_, '_>, mut b: usize) -> Option<usize> {
    while b > 0 && matches!(f.norm(b - 1), "," | "—" | "–" | "-") {
        b -= 1;
    }
    is_closing_quote(f, b.checked_sub(1)?)
}

/// A quotation as direct content, continued by the next quotation when the
/// same sentence goes on with one after the cue ("“A,” she said. “B.”",
/// "“A,” he said, “B.”"). `from` is the first token after the cue clause.
fn quoted_content(f: &Field2<'_, '_>, qi: usize, from: usize) -> Option<super::Shaped> {
    let q = &f.q.quotes[qi];
    let (s, e) = f.trim(q.first, q.last);
    if s >= e {
        return None;
    }
    let mut quotes = vec![(s, e)];
    let mut end = e;
    if let Some(q2) = continuation(f, from).map(|k| &f.q.quotes[k]) {
        let (s2, e2) = f.trim(q2.first, q2.last);
        if s2 < e2 {
            quotes.push((s2, e2));
            end = e2;
        }
    }
    Some(super::Shaped {
        content: (s, end),
        quotes,
        kind: StatementKind::Direct,
    })
}

/// The quotation that carries on a speaker's words after the cue clause that
/// starts at `from`: the next one in the same paragraph, opened right after
/// the clause's full stop or comma, with no other cue in between.
fn continuation(f: &Field2<'_, '_>, from: usize) -> Option<usize> {
    let n = f.n();
    let mut k = from;
    while k < n && k < from + 30 {
        if k > from && f.tok(k).line_start {
            return None;
        }
        if let Some(qi) = f.q.opens[k] {
            return (k > 0 && matches!(f.norm(k - 1), "," | "." | ":" | ";")).then_some(qi);
        }
        if f.stop[k] {
            let next = k + 1;
            return (next < n && !f.tok(next).line_start)
                .then(|| f.q.opens[next])
                .flatten();
        }
        if plain(f, k) && lexicon().get(f.norm(k)).is_some() {
            return None;
        }
        k += 1;
    }
    None
}

/// The subject of the sentence holding a coordinated verb ("Authorities
/// announced ... and said ..."): its leading name, pronoun or determiner
/// phrase.
fn sentence_subject(f: &Field2<'_, '_>, i: usize) -> Option<(usize, usize)> {
    let mut s = f.sentence_start(i);
    if s >= i || f.q.inside[s].is_some() || f.is_quote_mark(s) {
        return None;
    }
    if matches!(f.norm(s), "but" | "and" | "so" | "yet") {
        s += 1;
    }
    // "In his speech, Graham urged ... and criticized ...".
    if PP_HEADS.contains(&f.norm(s)) || SUBORDINATORS.contains(&f.norm(s)) {
        let comma = (s + 1..i.min(s + 14)).find(|&k| f.norm(k) == ",")?;
        s = comma + 1;
    }
    if s >= i || f.is_punct(s) {
        return None;
    }
    if is_en_pronoun(f.norm(s)) {
        return Some((s, s + 1));
    }
    let name_tok =
        |k: usize| f.tok(k).capitalized || (f.norm(k) == "." && k > s && f.tok(k - 1).capitalized);
    let mut e = s;
    if matches!(f.norm(s), "the" | "a" | "an") {
        e += 1;
        while e < i && e < s + 5 && name_tok(e) {
            e += 1;
        }
        if e < i && !f.is_punct(e) && !NP_BOUNDARIES.contains(&f.norm(e)) {
            e += 1; // "The president", "The Trump campaign"
        }
        return (e > s + 1).then_some((s, e));
    }
    while e < i && e < s + 6 && name_tok(e) {
        e += 1;
    }
    (e > s && f.tok(s).capitalized).then_some((s, e))
}

fn verb(f: &Field2<'_, '_>, i: usize, strong: bool) -> Option<Raw> {
    let n = f.n();
    let mut back = subject_back(f, i);
    let mut apposition = None;
    if back.is_none() && i > 1 && f.norm(i - 1) == "," {
        apposition = subject_with_apposition(f, i - 1);
        back = apposition.map(|(s, _, _)| (s, i - 1));
    }
    // "... and said ...": the verb shares the sentence's subject.
    let mut coordinated = false;
    if back.is_none() && i > 1 && matches!(f.norm(i - 1), "and" | "but") {
        back = sentence_subject(f, i);
        coordinated = back.is_some();
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
    let explicit = explicit_start(f, i);
    // "..., X told The Ledger.": the addressee ends the clause.
    let told_ends = explicit.is_none() && matches!(f.norm(i), "told" | "tells") && {
        let mut k = i + 1;
        while k < n && k < i + 7 && !f.is_punct(k) && !f.tok(k).line_start {
            k += 1;
        }
        k >= n || f.stop[k] || f.tok(k).line_start || f.norm(k) == ","
    };
    let ends_here = ends_here || told_ends;

    // "X added, “...”": the content follows after all.
    let quote_follows = back.is_some()
        && after < n
        && f.norm(after) == ","
        && f.q.opens.get(after + 1).copied().flatten().is_some();
    // "“...,” X said this month on CNBC.": the quotation before is the content.
    let quote_before = if coordinated || explicit.is_some() {
        None
    } else {
        quote_ending_before(f, before_subject)
    };
    // "“...,” said X." / "..., X said." / "..., said X, a former aide."
    if !quote_follows
        && !coordinated
        && (ends_here || quote_before.is_some() || (back.is_none() && preceded_by_break))
    {
        let inverted = back.is_none();
        if inverted && matches!(f.norm(i), "told" | "tell" | "tells" | "asked" | "asks") {
            return None; // "..., told The Post": the addressee follows
        }
        let spk_range = if inverted { subject_after(f, i) } else { back };
        let (ss, se) = spk_range?;
        let boundary = if inverted { i } else { ss };
        let speaker = match apposition {
            Some((s, ns, ne)) if !inverted => RawSpeaker::Phrase {
                all: (s, se),
                name: Some((ns, ne)),
                role: None,
            },
            _ => speaker::english(f, ss, se)?,
        };
        // "Said Ellis: “...”": an inverted cue opening the sentence.
        if inverted && f.norm(se) == ":" {
            let end = f.clause_end(se + 1, true, Lang::English);
            let mut sh = f.shape(se + 1, end, true)?;
            if sh.kind == StatementKind::Indirect {
                sh.kind = StatementKind::Direct;
            }
            return Some(raw(f, i, sh, speaker, strong, CueForm::Verb));
        }
        if boundary == 0 || !preceded_by_break && !inverted {
            return None;
        }
        let mut b = boundary;
        // Step back over the comma and dashes that end the content.
        while b > 0 && matches!(f.norm(b - 1), "," | "—" | "–" | "-") {
            b -= 1;
        }
        let from = se.max(i + 1);
        let sh = if let Some(qi) = quote_ending_before(f, boundary) {
            quoted_content(f, qi, from)?
        } else {
            let s = f.sentence_start(b.checked_sub(1)?);
            if b <= s + 2 {
                return None;
            }
            f.shape(s, b, false)?
        };
        return Some(raw(f, i, sh, speaker, strong, CueForm::Verb));
    }

    // "X said (that) ..." / "X told reporters that ..." / "X said: ...".
    let (ss, se) = back?;
    if f.norm(i).starts_with("call") && matches!(f.norm(ss), "a" | "an") {
        return None; // "a group called Rivers United": a name, not a call
    }
    if !preceded_by_break && !coordinated && !f.tok(ss).capitalized && !is_en_pronoun(f.norm(ss)) {
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
    let Some((m, colon)) = explicit.or_else(|| bare_start(f, i, strong)) else {
        // "“...,” Figueroa told USA Today.": the quotation before is the content.
        let qi = quote_ending_before(f, ss)?;
        let sh = quoted_content(f, qi, i + 1)?;
        return Some(raw(f, i, sh, speaker, strong, CueForm::Verb));
    };
    let end = f.clause_end(m, colon, Lang::English);
    let mut sh = f.shape(m, end, true)?;
    if colon && sh.kind == StatementKind::Indirect {
        sh.kind = StatementKind::Direct;
    }
    Some(raw(f, i, sh, speaker, strong, CueForm::Verb))
}

/// Prepositions that open a phrase a verb may carry before its content
/// ("said in the letter that ...", "says at a stop in Toledo, Ohio, that ...").
const PP_HEADS: &[&str] = &[
    "in", "at", "on", "during", "after", "before", "to", "with", "from", "outside", "inside",
    "about", "of", "over", "via", "through", "under", "while",
];

/// Wh-words that open a reported question or clause after "told X".
const WH: &[&str] = &[
    "how", "what", "why", "whether", "if", "when", "where", "who",
];

/// Where content starts after a verb at `i` when it is announced: "that", a
/// quotation, a colon, or (after "told X") a wh-word or a pronoun subject.
/// The bool is true after a colon.
fn explicit_start(f: &Field2<'_, '_>, i: usize) -> Option<(usize, bool)> {
    let n = f.n();
    let told = matches!(
        f.norm(i),
        "told" | "tell" | "tells" | "telling" | "wrote" | "write" | "writes" | "asked" | "asks"
    );
    let mut in_pp = false;
    let limit = i + 16;
    let mut k = i + 1;
    while k < n && k < limit {
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
        if w == "that" && !(k == i + 1 && f.norm(k + 1) == ",") {
            return Some((k, false));
        }
        if w == ":" {
            return Some((k + 1, true));
        }
        if w == "," && f.q.opens.get(k + 1).copied().flatten().is_some() {
            return Some((k + 1, false)); // He added, “...”
        }
        if told
            && k > i + 1
            && !f.is_punct(k - 1)
            && (WH.contains(&w) || is_en_pronoun(w))
            && !matches!(w, "who" | "which" | "it")
        {
            return Some((k, false));
        }
        if f.stop[k] || lexicon().get(w).is_some() && plain(f, k) {
            return None;
        }
        if k == i + 1 || !in_pp && (told || ADVERBS.contains(&f.norm(k - 1))) {
            in_pp = PP_HEADS.contains(&w);
        }
        // Between the verb and its content stand only adverbials, a
        // prepositional phrase or (after "told") the addressee.
        let allowed = ADVERBS.contains(&w) || in_pp || told && k <= i + 6;
        if !allowed || w == "," && !in_pp && !told {
            return None;
        }
        if !in_pp && !told && k >= i + 9 {
            return None;
        }
        k += 1;
    }
    None
}

/// A bare clause right after a strong verb ("said the bill would pass"),
/// or the object of a verb of calling ("called for calm").
fn bare_start(f: &Field2<'_, '_>, i: usize, strong: bool) -> Option<(usize, bool)> {
    let n = f.n();
    let w = f.norm(i);
    let told = matches!(
        w,
        "told" | "tell" | "tells" | "telling" | "wrote" | "write" | "writes"
    );
    if !strong || told {
        return None;
    }
    let mut k = i + 1;
    if w.starts_with("call") && matches!(f.norm(k), "for" | "on" | "upon") {
        k += 1;
    }
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
    let (m, colon) = explicit_start(f, i).or_else(|| bare_start(f, i, strong))?;
    let end = f.clause_end(m, colon, Lang::English);
    let sh = f.shape(m, end, true)?;
    // "Reid mocked Romney ..., claiming ...": the sentence's subject speaks;
    // after a quotation ("“...,” she said, adding ...") the last speaker does.
    let speaker = sentence_subject(f, i)
        .and_then(|(s, e)| speaker::english(f, s, e))
        .filter(|sp| !matches!(sp, RawSpeaker::Pronoun(..)))
        .unwrap_or(RawSpeaker::Implicit);
    Some(raw(f, i, sh, speaker, strong, CueForm::Participle))
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
