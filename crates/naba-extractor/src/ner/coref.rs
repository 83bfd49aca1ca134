//! Grouping mentions into entities under a canonical name.
//!
//! Two mentions name the same entity when their names agree after titles are
//! dropped and spelling variants are folded (سوريا/سورية, سيرغي/سيرجي), or,
//! for people, when one name's words are all in the other's (لافروف and
//! سيرغي لافروف, "Obama" and "Barack Obama"). The canonical name is the
//! fullest form used, as written, without proclitic or title.

use super::gazetteer::TITLES;
use super::Mention;
use crate::fxhash::FxHashSet as HashSet;
use crate::normalize::key;
use crate::text::Analysis;
use crate::tokenize::{Token, TokenKind};
use naba_model::{Entity, EntityType, Field};
use std::sync::OnceLock;

/// An entity of the article under construction.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Canonical name: the fullest form used, as written (no proclitic, no title).
    pub name: String,
    pub kind: EntityType,
    /// In text order (title mentions first).
    pub mentions: Vec<Mention>,
    /// Each mention's original text, in the order of `mentions`.
    pub texts: Vec<String>,
    /// Title phrases seen right before the entity's PER mentions, as written
    /// (وزير الخارجية الروسي), each once, in text order.
    pub roles: Vec<String>,
}

/// Title words in their matching keys: the built-in list and the lexicon's.
pub(crate) fn titles() -> &'static HashSet<String> {
    static T: OnceLock<HashSet<String>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: HashSet<String> = TITLES.iter().map(|w| key(w)).collect();
        t.extend(crate::lexicon::get().titles.iter().cloned());
        t
    })
}

/// A title word, also behind a conjunction (والرئيس).
fn is_title(w: &str) -> bool {
    let t = titles();
    t.contains(w)
        || ["و", "ف"]
            .iter()
            .any(|c| w.strip_prefix(c).is_some_and(|r| t.contains(r)))
}

/// Words between a title and a name that stop the title phrase.
const ROLE_STOP: &[&str] = &[
    "قال",
    "وقال",
    "اكد",
    "واكد",
    "اعلن",
    "واعلن",
    "في",
    "من",
    "الى",
    "على",
    "عن",
    "ان",
    "انه",
    "said",
    "says",
    "told",
    "the",
    "of",
];

/// A folded spelling of a name word for matching: Arabic loses the article,
/// long vowels and final ه/ا after the first letter, and غ/ج are one letter
/// (transliterated g); Latin is lower-case already.
fn loose(w: &str) -> String {
    let w = w.strip_suffix("'s").unwrap_or(w);
    if w.is_ascii() {
        return w.to_owned();
    }
    let w = w
        .strip_prefix("ال")
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(w);
    let mut out = String::with_capacity(w.len());
    for (i, c) in w.chars().enumerate() {
        let c = if c == 'غ' { 'ج' } else { c };
        if i > 0 && matches!(c, 'ا' | 'و' | 'ي' | 'ه') {
            continue;
        }
        out.push(c);
    }
    out
}

/// What grouping needs of one mention.
struct Named {
    text: String,
    /// The name as written, without title (and with ال restored after لل).
    name: String,
    /// Folded name words.
    words: Vec<String>,
    roles: Vec<String>,
}

/// Index of the first token that starts at or after `pos`.
fn token_at(tokens: &[Token], pos: usize) -> usize {
    tokens.partition_point(|t| t.end <= pos)
}

fn describe(m: &Mention, a: &Analysis<'_>) -> Named {
    let text = a.slice(m.start, m.end);
    let first = token_at(&a.tokens, m.start);
    let last = token_at(&a.tokens, m.end);
    let toks = &a.tokens[first..last.min(a.tokens.len())];
    // Leading titles (and the full stop of "Mr.") are not part of the name.
    let mut k = 0;
    while k + 1 < toks.len()
        && (is_title(&toks[k].norm)
            || (k > 0 && toks[k].kind == TokenKind::Punct && is_title(&toks[k - 1].norm)))
    {
        k += 1;
    }
    let (name_start, key_words): (usize, Vec<&str>) = if k == 0 {
        (m.start, m.key.split(' ').collect())
    } else {
        (
            toks[k].start,
            toks[k..].iter().map(|t| t.norm.as_str()).collect(),
        )
    };
    let mut name = a.slice(name_start.max(m.start), m.end);
    // للأمم المتحدة: the key restored the article, so does the name.
    if k == 0 && m.key.starts_with("ال") && name.starts_with("لل") {
        name = format!("ا{}", &name['ل'.len_utf8()..]);
    }
    let words = key_words
        .iter()
        .filter(|w| w.chars().any(crate::tokenize::is_alphanumeric))
        .map(|w| loose(w))
        .collect();
    let mut roles = Vec::new();
    if m.kind == EntityType::Person && k == 0 {
        if let Some(r) = role_before(a, first) {
            roles.push(r);
        }
    }
    Named {
        text,
        name,
        words,
        roles,
    }
}

/// The title phrase ending right before token `first`: a title word within
/// four words back, with only words between (وزير الخارجية الروسي سيرغي).
fn role_before(a: &Analysis<'_>, first: usize) -> Option<String> {
    let mut found = None;
    let mut j = first;
    while j > 0 && first - j < 4 {
        j -= 1;
        let t = &a.tokens[j];
        if t.kind != TokenKind::Word || ROLE_STOP.contains(&t.norm.as_str()) {
            break;
        }
        if is_title(&t.norm) {
            found = Some(j);
        }
    }
    let j = found?;
    let t = &a.tokens[j];
    // A conjunction before the title is not part of the role.
    let skip = usize::from(!titles().contains(&t.norm));
    let start = a.norm.map[t.nstart + skip];
    Some(a.slice(start, a.tokens[first - 1].end))
}

fn is_subset(a: &[String], b: &[String]) -> bool {
    !a.is_empty() && a.iter().all(|w| b.contains(w))
}

/// Groups mentions that name the same entity.
pub fn group(
    mentions: Vec<Mention>,
    body: &Analysis<'_>,
    title: Option<&Analysis<'_>>,
) -> Vec<Cluster> {
    let mut mentions = mentions;
    mentions.sort_by_key(|m| (m.field != Field::Title, m.start));
    struct Draft {
        members: Vec<(Mention, Named)>,
    }
    let mut drafts: Vec<Draft> = Vec::new();
    for m in mentions {
        let a = match m.field {
            Field::Title => title.unwrap_or(body),
            Field::Text => body,
        };
        let n = describe(&m, a);
        let same_name = |d: &Draft| d.members.iter().any(|(_, o)| o.words == n.words);
        let contains = |d: &Draft| {
            d.members.iter().any(|(om, o)| {
                let (short, long) = if n.words.len() <= o.words.len() {
                    (&n.words, &o.words)
                } else {
                    (&o.words, &n.words)
                };
                om.kind == m.kind
                    && match m.kind {
                        EntityType::Person => is_subset(short, long),
                        EntityType::Organisation => short.len() >= 2 && is_subset(short, long),
                        EntityType::Location => false,
                    }
            })
        };
        let pos = drafts
            .iter()
            .position(same_name)
            .or_else(|| drafts.iter().position(contains));
        match pos {
            Some(i) => drafts[i].members.push((m, n)),
            None => drafts.push(Draft {
                members: vec![(m, n)],
            }),
        }
    }
    drafts
        .into_iter()
        .map(|d| {
            // The type most mentions have; the first mention's on a tie.
            let count = |k: EntityType| d.members.iter().filter(|(m, _)| m.kind == k).count();
            let first_kind = d.members[0].0.kind;
            let kind = [
                EntityType::Person,
                EntityType::Organisation,
                EntityType::Location,
            ]
            .into_iter()
            .max_by_key(|&k| (count(k), k == first_kind))
            .unwrap_or(first_kind);
            let best = d
                .members
                .iter()
                .enumerate()
                .max_by_key(|(i, (_, n))| (n.words.len(), n.name.chars().count(), usize::MAX - i))
                .map(|(_, (_, n))| n.name.clone())
                .unwrap_or_default();
            let mut roles: Vec<String> = Vec::new();
            for (_, n) in &d.members {
                for r in &n.roles {
                    if !roles.contains(r) {
                        roles.push(r.clone());
                    }
                }
            }
            let (mentions, texts) = d.members.into_iter().map(|(m, n)| (m, n.text)).unzip();
            Cluster {
                name: best,
                kind,
                mentions,
                texts,
                roles,
            }
        })
        .collect()
}

pub fn to_entities(clusters: &[Cluster]) -> Vec<Entity> {
    clusters
        .iter()
        .enumerate()
        .map(|(i, c)| Entity {
            id: format!("e{i}"),
            name: c.name.clone(),
            kind: c.kind,
            mentions: c
                .mentions
                .iter()
                .zip(&c.texts)
                .map(|(m, t)| naba_model::Span {
                    start: m.start,
                    end: m.end,
                    text: t.clone(),
                    field: (m.field == Field::Title).then_some(Field::Title),
                })
                .collect(),
        })
        .collect()
}
