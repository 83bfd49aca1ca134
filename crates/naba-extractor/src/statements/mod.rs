//! Reported statements: quotes, cues, content spans, speakers.

use crate::ner::coref::Cluster;
use crate::text::Analysis;
use naba_model::Statement;

/// Every statement in the article, in text order (title first).
pub fn find(
    _body: &Analysis<'_>,
    _title: Option<&Analysis<'_>>,
    _entities: &[Cluster],
) -> Vec<Statement> {
    Vec::new()
}
