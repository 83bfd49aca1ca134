use serde::{Deserialize, Serialize};

/// The schema name every enriched record carries; bump it on any breaking change.
pub const SCHEMA: &str = "naba.enriched.v1";

/// Which field of the article an offset points into. Absent means `text`,
/// which keeps the common case compact on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Text,
    Title,
}

impl Field {
    fn is_text(f: &Option<Field>) -> bool {
        matches!(f, None | Some(Field::Text))
    }
}

/// A half-open range `[start, end)` of code points, with the text it covers so
/// that consumers need not re-slice (and can check that they slice the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(default, skip_serializing_if = "Field::is_text")]
    pub field: Option<Field>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    #[serde(rename = "PER")]
    Person,
    #[serde(rename = "ORG")]
    Organisation,
    #[serde(rename = "LOC")]
    Location,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PER",
            EntityType::Organisation => "ORG",
            EntityType::Location => "LOC",
        }
    }
}

/// One real-world entity of the article: all its mentions under one canonical name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// `e0`, `e1`, ... in order of first mention; statements point here.
    pub id: String,
    /// The fullest form used in the article, without proclitics or titles.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub mentions: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateMention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// ISO 8601 (`2016-12-05`, or `2016-12` when the day is unknown) when it
    /// can be resolved, else null.
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Field::is_text")]
    pub field: Option<Field>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speaker {
    /// The canonical entity name when resolved, else the describing phrase as written.
    pub name: String,
    /// The id of the entity in `entities`, or null for an unnamed speaker.
    pub entity: Option<String>,
    /// Title or affiliation as written (`وزير الخارجية الروسي`), if any.
    pub role: Option<String>,
    /// Where the speaker is named for this statement; null when implicit.
    pub mention: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatementKind {
    Direct,
    Indirect,
    Mixed,
}

impl StatementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Direct => "direct",
            StatementKind::Indirect => "indirect",
            StatementKind::Mixed => "mixed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub id: String,
    pub speaker: Speaker,
    pub cue: Span,
    pub content: Span,
    /// The verbatim quoted sub-spans of the content (without the marks).
    pub quotes: Vec<Span>,
    pub kind: StatementKind,
    /// The agency or outlet the article credits, if any.
    pub source: Option<String>,
    /// Estimated probability that the statement and its speaker are right.
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractorInfo {
    pub version: String,
    pub elapsed_us: u64,
}

/// What naba publishes for one article: schema `naba.enriched.v1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichedRecord {
    pub schema: String,
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub language: String,
    pub published_at: Option<String>,
    pub source: Option<String>,
    pub extractor: ExtractorInfo,
    pub entities: Vec<Entity>,
    pub dates: Vec<DateMention>,
    pub statements: Vec<Statement>,
}
