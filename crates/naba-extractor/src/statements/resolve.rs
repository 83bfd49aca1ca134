//! From speaker phrases to speakers: entities, short names, titles, pronouns.
//!
//! Resolution runs once every statement of the article is read, in text order
//! (title first): a name is looked up among the article's entities (by the
//! mention it overlaps, or by its tokens inside a fuller name), a bare title
//! among the roles of earlier speakers and entities, and an implicit or
//! pronoun subject takes the most recent resolved speaker.

use super::{CueForm, Raw, RawSpeaker};
use crate::ner::coref::Cluster;
use crate::normalize::{fold, is_dropped, key};
use crate::text::Analysis;
use crate::Lang;
use naba_model::{EntityType, Field, Span, Speaker, Statement, StatementKind};

/// A name the article uses, with what it resolves to.
#[derive(Debug, Clone)]
struct Known {
    name: String,
    tokens: Vec<String>,
    entity: Option<usize>,
    role: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    /// Named, and found among the entities (or a fuller name of the article).
    Name,
    /// Named, but matched to nothing else in the article.
    NameAlone,
    /// A title matched to an earlier speaker or entity.
    Title,
    /// An unnamed description kept as written.
    Description,
    /// Pronoun or implicit subject, taken from the previous speaker.
    Previous,
    /// Pronoun or implicit subject with nobody before it.
    Unresolved,
}

/// The words of `s` in their matching form: the alphanumeric runs of its
/// [`key`], read in one pass without building the key (white space, which
/// `key` only tidies, separates words here like any other non-letter).
fn tokens_of(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in s.chars().filter(|&c| !is_dropped(c)).map(fold) {
        if crate::tokenize::is_alphanumeric(c) {
            word.push(c);
        } else if !word.is_empty() {
            out.push(strip_article(&word));
            word.clear();
        }
    }
    if !word.is_empty() {
        out.push(strip_article(&word));
    }
    out
}

/// The definite article and a proclitic preposition do not change a word's
/// identity for matching (الروسي ~ روسي, بالأمم ~ امم).
fn strip_article(w: &str) -> String {
    let w = w
        .strip_prefix("بال")
        .or_else(|| w.strip_prefix("لل"))
        .or_else(|| w.strip_prefix("وال"))
        .or_else(|| w.strip_prefix("ال"))
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(w);
    w.to_owned()
}

fn word_match(a: &str, b: &str) -> bool {
    // The prefix test first: it fails at once for most pairs, the count does not.
    a == b
        || (b.starts_with(a) && a.chars().count() >= 4)
        || (a.starts_with(b) && b.chars().count() >= 4)
}

/// Every token of `small` matches a token of `big`.
fn covered(small: &[String], big: &[String]) -> bool {
    !small.is_empty() && small.iter().all(|s| big.iter().any(|b| word_match(s, b)))
}

pub(crate) fn resolve(
    raws: Vec<Raw>,
    body: &Analysis<'_>,
    title: Option<&Analysis<'_>>,
    clusters: &[Cluster],
) -> Vec<Statement> {
    // Nothing to resolve: skip tokenising every entity's name and role.
    if raws.is_empty() {
        return Vec::new();
    }
    let field_of = |f: Field| match f {
        Field::Title => title.unwrap_or(body),
        Field::Text => body,
    };
    let text = |f: Field, s: usize, e: usize| -> (usize, usize) {
        let a = field_of(f);
        if s >= e || e > a.tokens.len() {
            return (0, 0);
        }
        (a.tokens[s].start, a.tokens[e - 1].end)
    };

    // Names the article uses: entities first, then speaker names.
    let mut known: Vec<Known> = clusters
        .iter()
        .enumerate()
        .map(|(i, c)| Known {
            name: c.name.clone(),
            tokens: tokens_of(&c.name),
            entity: Some(i),
            // Title phrases seen before the entity's mentions.
            role: c.roles.iter().flat_map(|r| tokens_of(r)).collect(),
        })
        .collect();
    for r in &raws {
        if let RawSpeaker::Phrase {
            name: Some((s, e)),
            role,
            ..
        } = &r.speaker
        {
            let a = field_of(r.field);
            let (cs, ce) = text(r.field, *s, *e);
            let name = a.slice(cs, ce);
            let role_toks = role.map_or(Vec::new(), |(rs, re)| {
                let (x, y) = text(r.field, rs, re);
                tokens_of(&a.slice(x, y))
            });
            let tokens = tokens_of(&name);
            if tokens.is_empty() {
                continue;
            }
            if let Some(k) = known.iter_mut().find(|k| k.tokens == tokens) {
                if k.role.is_empty() {
                    k.role = role_toks;
                }
            } else {
                known.push(Known {
                    name,
                    tokens,
                    entity: None,
                    role: role_toks,
                });
            }
        }
    }

    let index = MentionIndex::new(clusters);
    let mut out: Vec<Statement> = Vec::with_capacity(raws.len());
    let mut last: Option<(Speaker, How)> = None;
    let mut last_named: Option<Speaker> = None;
    let mut last_at: Option<(Field, usize)> = None;
    for (idx, r) in raws.iter().enumerate() {
        let a = field_of(r.field);
        let span = |s: usize, e: usize| -> Span {
            let (x, y) = text(r.field, s, e);
            a.span(x, y, r.field)
        };
        let (speaker, how) = match &r.speaker {
            RawSpeaker::Implicit | RawSpeaker::Pronoun(..) => {
                let mention = match r.speaker {
                    RawSpeaker::Pronoun(s, e) => Some(span(s, e)),
                    _ => None,
                };
                let prev = match r.speaker {
                    RawSpeaker::Pronoun(s, _) => {
                        // A person named since the last statement is the
                        // nearer antecedent of "he"/"she".
                        let at = text(r.field, s, s + 1).0;
                        index
                            .nearest_person(clusters, r.field, last_at, at)
                            .or(last_named.clone())
                            .or(last.clone().map(|x| x.0))
                    }
                    _ => last.clone().map(|x| x.0),
                };
                match prev {
                    Some(p) => (Speaker { mention, ..p }, How::Previous),
                    None => {
                        let name = mention.as_ref().map_or(String::new(), |m| m.text.clone());
                        (
                            Speaker {
                                name,
                                entity: None,
                                role: None,
                                mention,
                            },
                            How::Unresolved,
                        )
                    }
                }
            }
            RawSpeaker::Phrase { all, name, role } => {
                let role_text = role.map(|(s, e)| span(s, e).text);
                let whole = span(all.0, all.1);
                match name {
                    Some((ns, ne)) => {
                        let m = span(*ns, *ne);
                        // The entity named by the name itself, not one named in
                        // an apposition after it ("X, chairman of the Y PAC").
                        let overlap = index.named(clusters, r.field, m.start, m.end);
                        let toks = tokens_of(&m.text);
                        let fuller = known
                            .iter()
                            .filter(|k| k.tokens.len() >= toks.len() && covered(&toks, &k.tokens))
                            .max_by_key(|k| (k.entity.is_some(), k.tokens.len()));
                        if let Some(ci) = overlap {
                            (
                                Speaker {
                                    name: clusters[ci].name.clone(),
                                    entity: Some(format!("e{ci}")),
                                    role: role_text,
                                    mention: Some(m),
                                },
                                How::Name,
                            )
                        } else if let Some(k) = fuller {
                            let how = if k.tokens.len() > toks.len() || k.entity.is_some() {
                                How::Name
                            } else {
                                How::NameAlone
                            };
                            (
                                Speaker {
                                    name: k.name.clone(),
                                    entity: k.entity.map(|e| format!("e{e}")),
                                    role: role_text,
                                    mention: Some(m),
                                },
                                how,
                            )
                        } else {
                            (
                                Speaker {
                                    name: m.text.clone(),
                                    entity: None,
                                    role: role_text,
                                    mention: Some(m),
                                },
                                How::NameAlone,
                            )
                        }
                    }
                    None => {
                        // A title alone, or a description.
                        let toks = tokens_of(&whole.text);
                        let titled = role.is_some()
                            && raws[..idx].iter().rev().any(|_| true)
                            && !toks.is_empty();
                        let by_role = if titled {
                            known
                                .iter()
                                .rev()
                                .find(|k| !k.role.is_empty() && covered(&toks, &k.role))
                        } else {
                            None
                        };
                        match by_role {
                            Some(k) => (
                                Speaker {
                                    name: k.name.clone(),
                                    entity: k.entity.map(|e| format!("e{e}")),
                                    role: Some(whole.text.clone()),
                                    mention: Some(whole),
                                },
                                How::Title,
                            ),
                            None => {
                                // The first `clusters.len()` names are the
                                // clusters', in order, tokenised once above.
                                let entity = known[..clusters.len()]
                                    .iter()
                                    .position(|k| k.tokens == toks)
                                    .map(|e| format!("e{e}"));
                                (
                                    Speaker {
                                        name: whole.text.clone(),
                                        entity,
                                        role: role_text.filter(|r| *r != whole.text),
                                        mention: Some(whole),
                                    },
                                    How::Description,
                                )
                            }
                        }
                    }
                }
            }
        };
        if !speaker.name.is_empty() {
            if matches!(how, How::Name | How::NameAlone | How::Title) {
                last_named = Some(speaker.clone());
            }
            last = Some((speaker.clone(), how));
        }
        let (cs, ce) = text(r.field, r.content.0, r.content.1);
        let content = a.span(cs, ce, r.field);
        last_at = Some((r.field, r.cue.1.max(ce)));
        let quotes = r
            .quotes
            .iter()
            .map(|&(s, e)| span(s, e))
            .filter(|q| q.start >= content.start && q.end <= content.end && q.start < q.end)
            .collect();
        let confidence = confidence(body.lang, &speaker, r);
        out.push(Statement {
            id: String::new(),
            speaker,
            cue: a.span(r.cue.0, r.cue.1, r.field),
            content,
            quotes,
            kind: r.kind,
            source: r.source.clone(),
            confidence,
        });
    }
    out.retain(|s| !s.speaker.name.is_empty() && !s.content.text.trim().is_empty());
    for (i, s) in out.iter_mut().enumerate() {
        s.id = format!("s{i}");
    }
    out
}

/// Every mention of every cluster, sorted by field and start, so that
/// statements find the entity a name overlaps, or the person mentioned last,
/// by binary search instead of a scan of the whole article.
struct MentionIndex {
    /// (field is the title, start, end, cluster).
    items: Vec<(bool, usize, usize, usize)>,
    /// The longest mention, bounding how far back an overlap can start.
    longest: usize,
}

impl MentionIndex {
    fn new(clusters: &[Cluster]) -> Self {
        let mut items: Vec<(bool, usize, usize, usize)> = clusters
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| {
                c.mentions
                    .iter()
                    .map(move |m| (m.field == Field::Title, m.start, m.end, ci))
            })
            .collect();
        items.sort_unstable();
        let longest = items
            .iter()
            .map(|x| x.2.saturating_sub(x.1))
            .max()
            .unwrap_or(0);
        MentionIndex { items, longest }
    }

    /// Index of the first item at or after (field, pos).
    fn lower(&self, field: Field, pos: usize) -> usize {
        let t = field == Field::Title;
        self.items.partition_point(|x| (x.0, x.1) < (t, pos))
    }

    /// The cluster a mention overlapping `start..end` belongs to, persons
    /// first, then the cluster listed first.
    fn named(&self, clusters: &[Cluster], field: Field, start: usize, end: usize) -> Option<usize> {
        let t = field == Field::Title;
        let from = self.lower(field, start.saturating_sub(self.longest));
        let (mut person, mut any): (Option<usize>, Option<usize>) = (None, None);
        for x in self.items[from..]
            .iter()
            .take_while(|x| x.0 == t && x.1 < end)
            .filter(|x| start < x.2)
        {
            if clusters[x.3].kind == EntityType::Person {
                person = Some(person.map_or(x.3, |p| p.min(x.3)));
            }
            any = Some(any.map_or(x.3, |a| a.min(x.3)));
        }
        person.or(any)
    }

    /// The person entity mentioned last before `at`, after the previous statement.
    fn nearest_person(
        &self,
        clusters: &[Cluster],
        field: Field,
        after: Option<(Field, usize)>,
        at: usize,
    ) -> Option<Speaker> {
        let from = match after {
            Some((f, p)) if f == field => p,
            _ => 0,
        };
        let t = field == Field::Title;
        let lo = self.lower(field, from).min(self.items.len());
        let hi = self.lower(field, at).max(lo);
        let ci = self.items[lo..hi]
            .iter()
            .rev()
            .find(|x| x.0 == t && x.2 <= at && clusters[x.3].kind == EntityType::Person)?
            .3;
        Some(Speaker {
            name: clusters[ci].name.clone(),
            entity: Some(format!("e{ci}")),
            role: None,
            mention: None,
        })
    }
}

/// Precision per bucket (language, how the speaker was found, kind), measured
/// on the dev sets by `scripts/calibrate-confidence.py --rust` after
/// `scripts/eval.sh` (add-8 smoothing towards the language's precision; the
/// comments give right/predicted). A statement counts as right when its
/// content matches a gold statement and its speaker is the gold one.
const CALIBRATED: &[((&str, &str, &str), f32)] = &[
    (("ar", "previous", "indirect"), 0.75), // 18/25
    (("ar", "previous", "quoted"), 0.73),   // 32/45
    (("ar", "resolved", "indirect"), 0.89), // 12/13
    (("ar", "resolved", "quoted"), 0.94),   // 33/34
    (("ar", "written", "indirect"), 0.82),  // 26/32
    (("ar", "written", "quoted"), 0.89),    // 30/33
    (("en", "previous", "indirect"), 0.80), // 84/105
    (("en", "previous", "quoted"), 0.82),   // 133/162
    (("en", "resolved", "indirect"), 0.64), // 93/147
    (("en", "resolved", "quoted"), 0.71),   // 162/230
    (("en", "written", "indirect"), 0.76),  // 221/291
    (("en", "written", "quoted"), 0.79),    // 204/257
];

/// The bucket of a finished statement, read from the published fields the
/// same way the calibration script reads them.
fn bucket(
    lang: Lang,
    speaker: &Speaker,
    kind: StatementKind,
) -> (&'static str, &'static str, &'static str) {
    let lang = if lang == Lang::Arabic { "ar" } else { "en" };
    let mention = speaker.mention.as_ref().map(|m| key(&m.text));
    let class = match &mention {
        None => "previous",
        Some(m) if super::speaker::is_en_pronoun(m) || matches!(m.as_str(), "هو" | "هي" | "هم") => {
            "previous"
        }
        Some(m) if *m != key(&speaker.name) => "resolved",
        Some(_) => "written",
    };
    let kind = if kind == StatementKind::Indirect {
        "indirect"
    } else {
        "quoted"
    };
    (lang, class, kind)
}

/// Calibrated precision of the bucket, lowered for cues that are weaker
/// evidence than the bucket's typical verb (uncalibrated: too few on dev).
fn confidence(lang: Lang, speaker: &Speaker, r: &Raw) -> f32 {
    let b = bucket(lang, speaker, r.kind);
    let base = CALIBRATED
        .iter()
        .find(|(k, _)| *k == b)
        .map_or(0.7, |(_, v)| *v);
    let factor = match r.form {
        CueForm::Clipped => 0.8,
        CueForm::Verb if !r.strong => 0.9,
        _ => 1.0,
    };
    (base * factor).clamp(0.05, 0.99)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_words_are_the_alphanumeric_runs_of_the_matching_key() {
        for s in [
            "وزير الخارجية  الروسيُّ سيرغي لافروف",
            "بالأمم المتحدة، (نيويورك)",
            "Sen.\u{00A0}Elizabeth Warren, D-Mass.",
            "  \t ",
            "",
            "ال بال لل",
            "Ban Ki-moon\u{200F}'s 2nd term",
        ] {
            let via_key: Vec<String> = key(s)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(strip_article)
                .collect();
            assert_eq!(tokens_of(s), via_key, "{s:?}");
        }
        assert_eq!(tokens_of("الرئيس الروسي"), ["رييس", "روسي"]);
    }
}
