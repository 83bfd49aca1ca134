//! naba's extractor: text in, entities, dates and statements out.
//!
//! This crate is pure on purpose: no I/O, no threads, no async. Everything it
//! needs (the tagger's weights, the lexicons) is compiled in, so that it can be
//! tested, fuzzed and benchmarked alone, and so that an [`Extractor`] is cheap
//! to share between worker threads (`&Extractor` is `Sync`).
//!
//! The pipeline for one field of an article:
//!
//! ```text
//! text ─► normalize (offset map) ─► tokens ─► sentences
//!                                      │
//!                                      ├─► ner (tagger + lexicons) ─► coref ─► entities
//!                                      ├─► dates
//!                                      └─► statements (quotes, cues, speakers → entities)
//! ```
//!
//! Invariant: every span this crate returns is a code-point range of the
//! string it was given, and its `text` equals that slice.

pub mod dates;
mod fxhash;
pub mod lang;
pub mod lexicon;
pub mod ner;
pub mod normalize;
pub mod sentence;
pub mod statements;
pub mod text;
pub mod tokenize;

use naba_model::{DateMention, Entity, Field, Statement};

pub use lang::Lang;
pub use text::Analysis;

/// The version written into every record's `extractor.version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    #[error("embedded model is corrupt: {0}")]
    Model(String),
    #[error("embedded lexicon `{name}` is corrupt at line {line}")]
    Lexicon { name: &'static str, line: usize },
}

/// The input of one extraction: an article's fields, borrowed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Document<'a> {
    pub text: &'a str,
    pub title: Option<&'a str>,
    /// A language tag from the producer (`ar`, `en`, `ar-SA`...); detected when `None`.
    pub language: Option<&'a str>,
    /// The publication date, used to resolve relative dates ("الإثنين", "Tuesday").
    pub published_at: Option<&'a str>,
}

/// What the extractor found in one article.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub language: String,
    pub entities: Vec<Entity>,
    pub dates: Vec<DateMention>,
    pub statements: Vec<Statement>,
}

/// What to run; the benchmarks measure each half alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tasks {
    pub entities: bool,
    pub dates: bool,
    pub statements: bool,
}

impl Tasks {
    pub const ALL: Tasks = Tasks {
        entities: true,
        dates: true,
        statements: true,
    };
}

/// The loaded models and lexicons. Build once, share by reference.
pub struct Extractor {
    ner: ner::Ner,
}

impl Extractor {
    /// Loads the embedded model and lexicons.
    pub fn new() -> Result<Self, LoadError> {
        // A corrupt lexicon must fail loudly at start, not extract with empty lists.
        lexicon::try_get().map_err(LoadError::clone)?;
        // Tables built lazily on first use, built here instead: start-up
        // pays for them once, not the first article.
        statements::warm_up();
        ner::coref::titles();
        dates::warm_up();
        Ok(Extractor {
            ner: ner::Ner::load()?,
        })
    }

    pub fn extract(&self, doc: &Document<'_>) -> Extraction {
        self.extract_with(doc, Tasks::ALL)
    }

    pub fn extract_with(&self, doc: &Document<'_>, tasks: Tasks) -> Extraction {
        let lang = doc
            .language
            .and_then(Lang::from_tag)
            .unwrap_or_else(|| lang::detect(doc.text));
        let mut out = Extraction {
            language: lang.tag().to_owned(),
            ..Extraction::default()
        };
        let body = Analysis::new(doc.text, lang);
        let title = doc
            .title
            .filter(|t| !t.trim().is_empty())
            .map(|t| Analysis::new(t, lang));

        // Entities are found per field, then grouped across both fields so that
        // the headline's "لافروف" and the body's "سيرغي لافروف" are one entity.
        let mut mentions = Vec::new();
        if tasks.entities || tasks.statements {
            mentions.extend(self.ner.mentions(&body, Field::Text));
            if let Some(t) = &title {
                mentions.extend(self.ner.mentions(t, Field::Title));
            }
        }
        let clusters = ner::coref::group(mentions, &body, title.as_ref());

        if tasks.dates {
            let anchor = doc.published_at.and_then(dates::parse_anchor);
            out.dates.extend(dates::find(&body, anchor, Field::Text));
            if let Some(t) = &title {
                out.dates.extend(dates::find(t, anchor, Field::Title));
            }
        }
        if tasks.statements {
            out.statements = statements::find(&body, title.as_ref(), &clusters);
        }
        if tasks.entities {
            out.entities = ner::coref::to_entities(&clusters);
        }
        out
    }
}

impl Extractor {
    /// Runs the whole extractor on an article and builds its enriched record.
    pub fn enrich(&self, article: &naba_model::Article) -> naba_model::EnrichedRecord {
        let started = std::time::Instant::now();
        let x = self.extract(&Document {
            text: &article.text,
            title: article.title.as_deref(),
            language: article.language.as_deref(),
            published_at: article.published_at.as_deref(),
        });
        naba_model::EnrichedRecord {
            schema: naba_model::SCHEMA.to_owned(),
            id: article.id.clone(),
            url: article.url.clone(),
            title: article.title.clone(),
            language: x.language,
            published_at: article.published_at.clone(),
            source: article.source.clone(),
            extractor: naba_model::ExtractorInfo {
                version: VERSION.to_owned(),
                elapsed_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            },
            entities: x.entities,
            dates: x.dates,
            statements: x.statements,
        }
    }
}
