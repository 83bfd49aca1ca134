//! Named-entity mentions: PER, ORG, LOC.

pub mod coref;
pub mod english;

use crate::text::Analysis;
use crate::LoadError;
use naba_model::{EntityType, Field};

/// One mention of an entity, in one field of the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Original code-point range (proclitics excluded).
    pub start: usize,
    pub end: usize,
    pub field: Field,
    pub kind: EntityType,
    /// Normalised form, used to group mentions and look names up.
    pub key: String,
}

/// The NER models and lexicons, loaded once.
pub struct Ner {}

impl Ner {
    pub fn load() -> Result<Ner, LoadError> {
        Ok(Ner {})
    }

    /// Every entity mention in `a`, in text order, non-overlapping.
    pub fn mentions(&self, a: &Analysis<'_>, field: Field) -> Vec<Mention> {
        match a.lang {
            crate::Lang::Arabic => Vec::new(),
            _ => english::mentions(a, field),
        }
    }
}
