//! The record types that cross naba's boundaries.
//!
//! Two shapes live here and nowhere else: the [`Article`] a scraper writes
//! (decoded leniently, because scrapers disagree on field names) and the
//! [`EnrichedRecord`] naba publishes (encoded strictly, because downstream
//! consumers rely on `naba.enriched.v1` never changing under them).
//!
//! Every offset in an enriched record counts Unicode code points (not bytes,
//! not UTF-16 units) into the field it names, because that is how Python and
//! most consumers index strings.

mod article;
mod record;

pub use article::{decode_article, Article, DecodeError, DecodeOptions, ErrorReason};
pub use record::{
    DateMention, EnrichedRecord, Entity, EntityType, ExtractorInfo, Field, Span, Speaker,
    Statement, StatementKind, SCHEMA,
};
