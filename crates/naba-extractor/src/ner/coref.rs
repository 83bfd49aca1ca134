//! Grouping mentions into entities under a canonical name.

use super::Mention;
use crate::text::Analysis;
use naba_model::{Entity, EntityType, Field};

/// An entity of the article under construction.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Canonical name: the fullest form used, as written (no proclitic, no title).
    pub name: String,
    pub kind: EntityType,
    /// In text order (title mentions first).
    pub mentions: Vec<Mention>,
    /// The canonical name's original text, per mention field.
    pub texts: Vec<String>,
}

/// Groups mentions that name the same entity.
pub fn group(
    mentions: Vec<Mention>,
    body: &Analysis<'_>,
    title: Option<&Analysis<'_>>,
) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    for m in mentions {
        let a = match m.field {
            Field::Title => title.unwrap_or(body),
            Field::Text => body,
        };
        let text = a.slice(m.start, m.end);
        if let Some(c) = clusters
            .iter_mut()
            .find(|c| c.kind == m.kind && c.mentions[0].key == m.key)
        {
            c.texts.push(text);
            c.mentions.push(m);
        } else {
            clusters.push(Cluster {
                name: text.clone(),
                kind: m.kind,
                mentions: vec![m],
                texts: vec![text],
            });
        }
    }
    clusters
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
