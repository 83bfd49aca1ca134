//! The span invariant every extraction must keep, checked by the property
//! tests (`tests/properties.rs`) and by the `extract` fuzz target
//! (`fuzz/fuzz_targets/extract.rs` includes this file), so both test the
//! same promise: every offset is a code-point index inside the field it
//! points into, and every span's `text` is exactly that slice.

use naba_extractor::Extraction;
use naba_model::{Field, Span};

/// The code points of the two fields a span can point into.
pub struct Fields {
    text: Vec<char>,
    title: Vec<char>,
}

impl Fields {
    pub fn new(text: &str, title: Option<&str>) -> Fields {
        Fields {
            text: text.chars().collect(),
            title: title.unwrap_or_default().chars().collect(),
        }
    }

    fn check(
        &self,
        what: &str,
        start: usize,
        end: usize,
        text: &str,
        field: Option<Field>,
    ) -> Result<(), String> {
        let chars = match field {
            None | Some(Field::Text) => &self.text,
            Some(Field::Title) => &self.title,
        };
        if start > end || end > chars.len() {
            return Err(format!(
                "{what}: range {start}..{end} outside its field ({} code points, {field:?})",
                chars.len()
            ));
        }
        let slice: String = chars[start..end].iter().collect();
        if slice != text {
            return Err(format!(
                "{what}: text {text:?} differs from the slice {start}..{end} = {slice:?}"
            ));
        }
        Ok(())
    }

    fn span(&self, what: &str, s: &Span) -> Result<(), String> {
        self.check(what, s.start, s.end, &s.text, s.field)
    }

    /// Every span of `x`, or the first one that breaks the invariant.
    pub fn check_extraction(&self, x: &Extraction) -> Result<(), String> {
        for e in &x.entities {
            if e.name.trim().is_empty() {
                return Err(format!("entity {} has an empty name", e.id));
            }
            for m in &e.mentions {
                self.span(&format!("entity {} mention", e.id), m)?;
            }
        }
        for d in &x.dates {
            self.check("date", d.start, d.end, &d.text, d.field)?;
        }
        for s in &x.statements {
            self.span(&format!("statement {} cue", s.id), &s.cue)?;
            self.span(&format!("statement {} content", s.id), &s.content)?;
            for q in &s.quotes {
                self.span(&format!("statement {} quote", s.id), q)?;
            }
            if let Some(m) = &s.speaker.mention {
                self.span(&format!("statement {} speaker", s.id), m)?;
            }
            if let Some(e) = &s.speaker.entity {
                if !x.entities.iter().any(|x| &x.id == e) {
                    return Err(format!("statement {} points at unknown entity {e}", s.id));
                }
            }
            if !(0.0..=1.0).contains(&s.confidence) {
                return Err(format!("statement {} confidence {}", s.id, s.confidence));
            }
        }
        Ok(())
    }
}
