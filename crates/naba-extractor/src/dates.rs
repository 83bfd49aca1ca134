//! Date expressions, Arabic and English, resolved to ISO 8601 where possible.

use crate::text::Analysis;
use naba_model::{DateMention, Field};

/// A calendar date (year, month, day) used to resolve relative expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ymd {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Reads the leading `YYYY-MM-DD` of a `published_at` value.
pub fn parse_anchor(s: &str) -> Option<Ymd> {
    let s = s.trim();
    let year = s.get(0..4)?.parse().ok()?;
    let month = s.get(5..7)?.parse().ok()?;
    let day = s.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Ymd { year, month, day })
}

pub fn find(_a: &Analysis<'_>, _anchor: Option<Ymd>, _field: Field) -> Vec<DateMention> {
    Vec::new()
}
