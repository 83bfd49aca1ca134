//! Arabic reporting clauses.
//!
//! The common orders are VSO (وقال الوزير إن ...), SVO (الوزير قال إن ...),
//! the participle continuing a speaker (مضيفا أن ...), content before the cue
//! (...، وفق ما أكد مسؤولان) and the colon (الوزير: ...). Reported content
//! starts at a complementizer (إن، أن، بأن، إنه)، a quotation mark or a colon.

use super::cues::{lexicon, CueKind};
use super::speaker::{self, is_ar_stop};
use super::{is_lead, CueForm, Field2, Raw, RawSpeaker};
use crate::lexicon as lex;
use crate::Lang;
use naba_model::StatementKind;

/// How far after a cue the content may start (speaker and adjuncts between).
const WINDOW: usize = 22;

/// Impersonal formulas of the journalist (يذكر أن، يشار إلى أن): no speaker.
const JOURNALIST_FORMULAS: &[&str] = &[
    "يذكر",
    "ويذكر",
    "يشار",
    "ويشار",
    "يذكر",
    "والجدير",
    "الجدير",
];

/// Attribution words: حسب، بحسب، وفق، وفقا، نقلا (عن)، طبقا، (على) لسان.
pub(crate) fn is_attribution(f: &Field2<'_, '_>, i: usize) -> bool {
    let att = |w: &str| matches!(w, "حسب" | "بحسب" | "وفق" | "وفقا" | "طبقا" | "نقلا");
    let w = f.norm(i);
    att(w) || w.strip_prefix('و').is_some_and(att) || (w == "علي" && f.norm(i + 1) == "لسان")
}

pub(crate) fn find(f: &Field2<'_, '_>) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::new();
    let n = f.n();
    let lx = lexicon();
    for i in 0..n {
        if f.q.inside[i].is_some() || f.boiler[i] || f.is_punct(i) {
            continue;
        }
        let w = f.norm(i);
        if JOURNALIST_FORMULAS.contains(&w) {
            continue;
        }
        // Each lexicon lookup once, and after the cheaper tests beside it.
        let cue = lx.get(w);
        if cue.is_some() && i > 0 && matches!(f.norm(i - 1), "كما" | "وكما") {
            // "كما نقلت رويترز": credits an outlet for the statement before.
            if let Some((_, name)) = agency_at(f, i + 1) {
                if let Some(last) = out.last_mut().filter(|r| r.field == f.field) {
                    last.source.get_or_insert(name);
                }
                continue;
            }
        }
        if let Some(cue) = cue {
            let r = match cue.kind {
                CueKind::Verb => verb(f, i, cue.strong, false, &out),
                CueKind::Participle => participle(f, i, cue.strong),
            };
            if let Some(r) = r {
                out.push(r);
            }
        } else if (f.tok(i).line_start || i > 0 && f.stop[i - 1]) && lx.get_clipped(w).is_some() {
            // A cue missing its first letter, trusted only at a sentence start
            // before a named subject and a complementizer.
            if let Some(r) = verb(f, i, true, true, &out) {
                out.push(r);
            }
        } else if is_attribution(f, i) {
            attribution(f, i, &mut out);
        }
    }
    headline_colon(f, &mut out);
    out
}

/// The cue's original span, without a proclitic و or ف.
fn cue_span(f: &Field2<'_, '_>, i: usize) -> (usize, usize) {
    let t = f.tok(i);
    let w = t.norm.as_str();
    if !lexicon().has_exact(w) && (w.starts_with('و') || w.starts_with('ف')) {
        return f.a.norm.to_original(t.nstart + 1, t.nend);
    }
    (t.start, t.end)
}

/// Where reported content starts after a speaker zone beginning at `s`:
/// the token index of the marker and whether it is a colon.
fn content_start(f: &Field2<'_, '_>, s: usize, allow_colon: bool) -> Option<(usize, bool)> {
    content_start_at(f, s, allow_colon, false, WINDOW)
}

/// `content_start`, where `nested` marks the scan that checks whether a
/// participle met on the way has its own marker. That scan stops at any cue
/// instead of checking participles in turn: the mutual recursion with
/// `participle_marker` was exponential in the length of a run of
/// participles (the fuzzer found a 1.3 KB text that never finished).
/// The scan looks at `window` tokens from `s`.
fn content_start_at(
    f: &Field2<'_, '_>,
    s: usize,
    allow_colon: bool,
    nested: bool,
    window: usize,
) -> Option<(usize, bool)> {
    let n = f.n();
    let mut k = s;
    while k < n && k < s + window {
        if k > s && f.tok(k).line_start {
            // A colon at the end of a line introduces the next paragraph.
            if allow_colon && k > 0 && f.norm(k - 1) == ":" && f.q.opens[k].is_some() {
                return Some((k, false));
            }
            return None;
        }
        if f.q.opens[k].is_some() {
            return Some((k, false));
        }
        let w = f.norm(k);
        if is_lead(w) {
            return Some((k, false));
        }
        if w == ":" && allow_colon {
            return Some((k + 1, true));
        }
        if f.stop[k] {
            return None;
        }
        if k > s {
            if let Some(c) = lexicon().get(w) {
                // Another cue before any content: this one reports nothing
                // here, unless it is a participle of manner (مشيرا إلى فلان).
                if nested || c.kind != CueKind::Participle || marker_after(f, k, true).is_some() {
                    return None;
                }
            }
        }
        k += 1;
    }
    None
}

fn verb(f: &Field2<'_, '_>, i: usize, strong: bool, clipped: bool, prev: &[Raw]) -> Option<Raw> {
    // "...، وفق ما أكد X": the content is the clause before.
    if i >= 2 && f.norm(i - 1) == "ما" && is_attribution_or_kama(f, i - 2) {
        return content_before(f, i, i - 2, strong, prev);
    }
    let (m, colon) = content_start(f, i + 1, !clipped)?;
    let lead = !colon && f.q.opens[m].is_none();
    if clipped && !lead {
        return None;
    }
    let mut zone_end = if colon { m - 1 } else { m };
    // شدد على أن، أشار إلى أن: the preposition belongs to the verb.
    while zone_end > i + 1 && matches!(f.norm(zone_end - 1), "علي" | "الي" | "عن" | "ب") {
        zone_end -= 1;
    }
    let mut spk = speaker::arabic(f, i + 1, zone_end);
    if clipped && !matches!(spk, Some(RawSpeaker::Phrase { .. })) {
        return None;
    }
    if spk.is_none() && i > 0 {
        spk = subject_before(f, i);
    }
    let speaker = spk.unwrap_or(RawSpeaker::Implicit);
    let end = f.clause_end(m, colon, Lang::Arabic);
    let sh = if colon {
        colon_content(f, m, end)?
    } else {
        f.shape(m, end, true)?
    };
    let source = source_in(f, i + 1, zone_end);
    Some(Raw {
        field: f.field,
        cue: cue_span(f, i),
        content: sh.content,
        quotes: sh.quotes,
        kind: sh.kind,
        speaker,
        source,
        strong,
        form: if clipped {
            CueForm::Clipped
        } else {
            CueForm::Verb
        },
    })
}

/// Content after a colon: a quotation, or first-person words without marks
/// (direct either way).
fn colon_content(f: &Field2<'_, '_>, s: usize, e: usize) -> Option<super::Shaped> {
    if let Some(qi) = f.q.opens.get(s).copied().flatten() {
        let q = &f.q.quotes[qi];
        let (qs, qe) = f.trim(q.first, q.last);
        if qs < qe {
            return Some(super::Shaped {
                content: (qs, qe),
                quotes: vec![(qs, qe)],
                kind: StatementKind::Direct,
            });
        }
    }
    let mut sh = f.shape(s, e, false)?;
    if sh.kind == StatementKind::Indirect {
        sh.kind = StatementKind::Direct;
    }
    Some(sh)
}

fn is_attribution_or_kama(f: &Field2<'_, '_>, i: usize) -> bool {
    is_attribution(f, i) || matches!(f.norm(i), "كما" | "وكما" | "مثلما")
}

/// A subject before the verb (SVO): وكان خامنئي قال، لكن المصدر ذاته قال.
fn subject_before(f: &Field2<'_, '_>, i: usize) -> Option<RawSpeaker> {
    let mut k = i;
    while k > 0 && i - k < 6 {
        let w = f.norm(k - 1);
        if f.is_punct(k - 1)
            || f.tok(k).line_start
            || matches!(
                w,
                "وكان"
                    | "مضي"
                    | "ومضي"
                    | "عاد"
                    | "وعاد"
                    | "راح"
                    | "وراح"
                    | "كان"
                    | "وكانت"
                    | "كانت"
                    | "لكن"
                    | "ولكن"
                    | "قد"
                    | "وقد"
                    | "بعدما"
                    | "فيما"
            )
            || is_ar_stop(w)
            || lexicon().get(w).is_some()
        {
            break;
        }
        k -= 1;
    }
    if k == i || i - k > 3 {
        return None;
    }
    // "وحول لقاءات مع جماهير النادي أوضح": a noun governed by a preposition
    // is a fronted topic, not the subject; the verb's subject is implicit.
    if k > 0 && is_preposition(f.norm(k - 1)) {
        return None;
    }
    speaker::arabic(f, k, i).filter(|s| matches!(s, RawSpeaker::Phrase { .. }))
}

/// Prepositions (normalised, with و/ف attached or not) that govern the noun after them.
fn is_preposition(w: &str) -> bool {
    let bare = w
        .strip_prefix('و')
        .or_else(|| w.strip_prefix('ف'))
        .unwrap_or(w);
    [w, bare].iter().any(|x| {
        matches!(
            *x,
            "في" | "من"
                | "علي"
                | "الي"
                | "عن"
                | "مع"
                | "حول"
                | "عبر"
                | "امام"
                | "خلال"
                | "لدي"
                | "ضمن"
                | "تجاه"
                | "بشان"
                | "بين"
        )
    })
}

/// The content marker right after a participle (مضيفا أن، مشيرا إلى أن،
/// مؤكدا على أن، قائلا: ...), with only a governed preposition between.
fn participle_marker(f: &Field2<'_, '_>, i: usize) -> Option<(usize, bool)> {
    marker_after(f, i, false)
}

fn marker_after(f: &Field2<'_, '_>, i: usize, nested: bool) -> Option<(usize, bool)> {
    // Only a marker at i + 1 or i + 2 is accepted below: the scan need not
    // look further.
    let (m, colon) = content_start_at(f, i + 1, true, nested, 2)?;
    let gap_end = if colon { m - 1 } else { m };
    let governed = (i + 1..gap_end).all(|k| matches!(f.norm(k), "الي" | "علي" | "عن" | "ب" | "في"));
    (gap_end <= i + 2 && governed).then_some((m, colon))
}

fn participle(f: &Field2<'_, '_>, i: usize, strong: bool) -> Option<Raw> {
    let (m, colon) = participle_marker(f, i)?;
    let end = f.clause_end(m, colon, Lang::Arabic);
    let sh = if colon {
        colon_content(f, m, end)?
    } else {
        f.shape(m, end, true)?
    };
    Some(Raw {
        field: f.field,
        cue: cue_span(f, i),
        content: sh.content,
        quotes: sh.quotes,
        kind: sh.kind,
        speaker: RawSpeaker::Implicit,
        source: None,
        strong,
        form: CueForm::Participle,
    })
}

/// "CLAUSE، وفق ما أكد X لوكالة Y": content is the clause before the phrase.
fn content_before(
    f: &Field2<'_, '_>,
    i: usize,
    att: usize,
    strong: bool,
    prev: &[Raw],
) -> Option<Raw> {
    let mut e = i + 1;
    while e < f.n() && !f.stop[e] && !f.tok(e).line_start && e < i + 14 {
        e += 1;
    }
    let spk = speaker::arabic(f, i + 1, e);
    let source = source_in(f, i + 1, e);
    // "كما نقلت رويترز": only credits an outlet for what came before.
    if agency_at(f, i + 1).is_some() {
        if let Some(last) = prev.last() {
            if last.field == f.field && f.sentence_start(att) <= last.content.1 + 3 {
                return None;
            }
        }
    }
    let s = f.sentence_start(att);
    let sh = f.shape(s, att, false)?;
    Some(Raw {
        field: f.field,
        cue: cue_span(f, i),
        content: sh.content,
        quotes: sh.quotes,
        kind: sh.kind,
        speaker: spk.unwrap_or(RawSpeaker::Implicit),
        source,
        strong,
        form: CueForm::Verb,
    })
}

/// حسب / بحسب / وفقا لـ X not followed by ما: an agency credits the sentence's
/// statements; another source makes a statement of the clause before it.
fn attribution(f: &Field2<'_, '_>, i: usize, out: &mut Vec<Raw>) {
    if f.norm(i + 1) == "ما" {
        return; // handled with the verb that follows
    }
    let mut s = i + 1;
    if matches!(f.norm(s), "عن" | "ل" | "لسان") {
        s += 1;
    }
    if let Some((_, name)) = agency_at(f, s) {
        let sent = f.sentence_start(i);
        for r in out.iter_mut().rev() {
            if r.field != f.field || r.content.1 < sent.saturating_sub(1) {
                break;
            }
            r.source.get_or_insert_with(|| name.clone());
        }
        return;
    }
    // Speaker phrase up to the end of the sentence or a comma.
    let mut e = s;
    while e < f.n() && !f.stop[e] && !f.tok(e).line_start && !f.is_punct(e) && e < s + 10 {
        e += 1;
    }
    let Some(spk) = speaker::arabic(f, s, e) else {
        return;
    };
    let sent = f.sentence_start(i);
    let (cs, ce) = if sent + 1 < i {
        (sent, i)
    } else {
        // "بحسب المصادر، فإن ...": the content follows.
        let st = if f.norm(e) == "," { e + 1 } else { e };
        (st, f.clause_end(st, false, Lang::Arabic))
    };
    let Some(sh) = f.shape(cs, ce, true) else {
        return;
    };
    let t = f.tok(i);
    let w = t.norm.as_str();
    let cue = if w.starts_with('و') && w != "وفق" && w != "وفقا" {
        f.a.norm.to_original(t.nstart + 1, t.nend)
    } else {
        (t.start, t.end)
    };
    out.push(Raw {
        field: f.field,
        cue,
        content: sh.content,
        quotes: sh.quotes,
        kind: sh.kind,
        speaker: spk,
        source: None,
        strong: false,
        form: CueForm::Attribution,
    });
}

/// An outlet named at token `i` (لوكالة الصحافة الفرنسية، رويترز): its end
/// token and canonical name.
pub(crate) fn agency_at(f: &Field2<'_, '_>, i: usize) -> Option<(usize, String)> {
    let agencies = &lex::get().agencies;
    let skip_mark = usize::from(f.is_quote_mark(i));
    let i = i + skip_mark;
    // Most words start no outlet's name: answer them without building phrases.
    let w = f.norm(i);
    let bare = w.strip_prefix('ل').or_else(|| w.strip_prefix('ب'));
    let firsts = agency_first_words();
    if !firsts.contains(w) && !bare.is_some_and(|b| firsts.contains(b)) {
        return None;
    }
    // The longest lexicon entry first (up to four words).
    for len in (1..=4).rev() {
        if i + len > f.n() {
            continue;
        }
        let mut words: Vec<String> = (i..i + len).map(|k| f.norm(k).to_owned()).collect();
        for variant in 0..2 {
            if variant == 1 {
                let w0 = words[0].clone();
                let Some(r) = w0.strip_prefix('ل').or_else(|| w0.strip_prefix('ب')) else {
                    break;
                };
                words[0] = r.to_owned();
            }
            let k = words.join(" ");
            if let Some(name) = agencies.get(&k) {
                return Some((i + len, name.clone()));
            }
            if let Some(name) = builtin_agency(&k) {
                return Some((i + len, name.to_owned()));
            }
        }
    }
    // وكالة / صحيفة + up to three words.
    let w = f.norm(i);
    let head = w
        .strip_prefix('ل')
        .or_else(|| w.strip_prefix('ب'))
        .unwrap_or(w);
    if AGENCY_HEADS.contains(&head) {
        let mut e = i + 1;
        while e < f.n() && e < i + 4 && !f.is_punct(e) && !is_ar_stop(f.norm(e)) {
            e += 1;
        }
        if e > i + 1 {
            let (a, b) = f.offsets(i, e);
            let mut name = f.a.slice(a, b);
            if w != head {
                name = name.chars().skip(1).collect();
            }
            return Some((e, name));
        }
    }
    None
}

/// The first words of every outlet name (lexicon and built-in) and of the
/// generic heads (وكالة، صحيفة ...), normalised.
pub(super) fn agency_first_words() -> &'static crate::fxhash::FxHashSet<String> {
    static FIRSTS: std::sync::OnceLock<crate::fxhash::FxHashSet<String>> =
        std::sync::OnceLock::new();
    FIRSTS.get_or_init(|| {
        let first = |k: &str| k.split(' ').next().unwrap_or("").to_owned();
        let mut set: crate::fxhash::FxHashSet<String> =
            lex::get().agencies.keys().map(|k| first(k)).collect();
        set.extend(BUILTIN_AGENCIES.iter().map(|(k, _)| first(k)));
        set.extend(AGENCY_HEADS.iter().map(|h| (*h).to_owned()));
        set
    })
}

/// Words that head an outlet's name followed by up to three more words.
const AGENCY_HEADS: &[&str] = &["وكاله", "صحيفه", "قناه", "موقع", "اذاعه", "تلفزيون"];

fn builtin_agency(k: &str) -> Option<&'static str> {
    BUILTIN_AGENCIES
        .iter()
        .find(|(a, _)| *a == k)
        .map(|(_, b)| *b)
}

const BUILTIN_AGENCIES: &[(&str, &str)] = &[
    ("وكاله الصحافه الفرنسيه", "وكالة الصحافة الفرنسية"),
    ("فرانس برس", "وكالة الصحافة الفرنسية"),
    ("ا ف ب", "وكالة الصحافة الفرنسية"),
    ("رويترز", "رويترز"),
    ("اسوشيتد برس", "أسوشيتد برس"),
    ("وكاله الانباء السعوديه", "وكالة الأنباء السعودية"),
    ("واس", "وكالة الأنباء السعودية"),
    ("الاناضول", "الأناضول"),
    ("reuters", "Reuters"),
    ("afp", "AFP"),
    ("associated press", "Associated Press"),
    ("the associated press", "Associated Press"),
    ("ap", "Associated Press"),
    ("bloomberg", "Bloomberg"),
];

/// An outlet named in a speaker zone (قال لوكالة الصحافة الفرنسية).
fn source_in(f: &Field2<'_, '_>, s: usize, e: usize) -> Option<String> {
    (s..e.min(f.n()))
        .filter(|&k| f.norm(k).starts_with('ل') || f.is_quote_mark(k))
        .find_map(|k| agency_at(f, k).map(|x| x.1))
}

/// "الوزير: ..." at the start of the headline (or the first line of a text
/// that carries its headline): the phrase before the colon said the rest.
fn headline_colon(f: &Field2<'_, '_>, out: &mut Vec<Raw>) {
    let n = f.n();
    if n == 0 {
        return;
    }
    let line_end = f.line_end(0);
    let Some(c) = (0..line_end.min(7)).find(|&k| f.norm(k) == ":") else {
        return;
    };
    if c == 0 || (0..c).any(|k| lexicon().get(f.norm(k)).is_some() || f.is_punct(k)) {
        return;
    }
    if line_end < c + 3 {
        return; // a byline ("متابعة فلان:") introduces nothing
    }
    let Some(spk) = speaker::arabic(f, 0, c) else {
        return;
    };
    let Some(sh) = colon_content(f, c + 1, line_end) else {
        return;
    };
    out.push(Raw {
        field: f.field,
        cue: f.offsets(c, c + 1),
        content: sh.content,
        quotes: sh.quotes,
        kind: sh.kind,
        speaker: spk,
        source: None,
        strong: true,
        form: CueForm::Colon,
    });
}
