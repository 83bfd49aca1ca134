//! English entity mentions: capitalisation, lexicons and context cues.

use super::Mention;
use crate::text::Analysis;
use naba_model::Field;

/// Every PER/ORG/LOC mention in an English (or other Latin-script) text.
pub fn mentions(_a: &Analysis<'_>, _field: Field) -> Vec<Mention> {
    Vec::new()
}
