use serde_json::{Map, Value};

/// An article as naba understands it, whatever scraper wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// As given by the producer; `None` means "detect it".
    pub language: Option<String>,
    pub published_at: Option<String>,
    pub source: Option<String>,
    pub authors: Vec<String>,
}

/// Limits applied while decoding, so one hostile message cannot exhaust memory.
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions {
    /// Messages longer than this many bytes are rejected before parsing.
    pub max_bytes: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            max_bytes: 4 * 1024 * 1024,
        }
    }
}

/// A short, stable machine-readable reason: it becomes the `naba-error-reason`
/// header of a dead letter and a metric label, so the set is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorReason {
    TooLarge,
    InvalidUtf8,
    InvalidJson,
    NotAnObject,
    MissingField,
    EmptyField,
    WrongType,
}

impl ErrorReason {
    /// Every reason, so that metrics can show each one at zero before it first happens.
    pub const ALL: [ErrorReason; 7] = [
        ErrorReason::TooLarge,
        ErrorReason::InvalidUtf8,
        ErrorReason::InvalidJson,
        ErrorReason::NotAnObject,
        ErrorReason::MissingField,
        ErrorReason::EmptyField,
        ErrorReason::WrongType,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorReason::TooLarge => "too_large",
            ErrorReason::InvalidUtf8 => "invalid_utf8",
            ErrorReason::InvalidJson => "invalid_json",
            ErrorReason::NotAnObject => "not_an_object",
            ErrorReason::MissingField => "missing_field",
            ErrorReason::EmptyField => "empty_field",
            ErrorReason::WrongType => "wrong_type",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("article is {size} bytes, above the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("article is not valid UTF-8 (first bad byte at offset {offset})")]
    InvalidUtf8 { offset: usize },
    #[error("article is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("article must be a JSON object, found {0}")]
    NotAnObject(&'static str),
    #[error("article has no `text` (nor `body`, `maintext` or `content`)")]
    MissingText,
    #[error("article field `{0}` is empty")]
    EmptyField(&'static str),
    #[error("article field `{field}` must be {expected}, found {found}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
        found: &'static str,
    },
}

impl DecodeError {
    pub fn reason(&self) -> ErrorReason {
        match self {
            DecodeError::TooLarge { .. } => ErrorReason::TooLarge,
            DecodeError::InvalidUtf8 { .. } => ErrorReason::InvalidUtf8,
            DecodeError::InvalidJson(_) => ErrorReason::InvalidJson,
            DecodeError::NotAnObject(_) => ErrorReason::NotAnObject,
            DecodeError::MissingText => ErrorReason::MissingField,
            DecodeError::EmptyField(_) => ErrorReason::EmptyField,
            DecodeError::WrongType { .. } => ErrorReason::WrongType,
        }
    }
}

/// Field names in order of preference: naba's own first, then news-please and
/// trafilatura, so that a scraper's output can be fed in unchanged.
const TEXT_FIELDS: &[&str] = &["text", "body", "maintext", "content"];
const DATE_FIELDS: &[&str] = &["published_at", "date_publish", "date"];
const SOURCE_FIELDS: &[&str] = &["source", "source_domain", "hostname"];

/// Decodes one article. `fallback_id` names the article when it carries
/// neither `id` nor `url` (the Kafka key, or topic/partition/offset).
pub fn decode_article(
    bytes: &[u8],
    fallback_id: &dyn Fn() -> String,
    opts: &DecodeOptions,
) -> Result<Article, DecodeError> {
    if bytes.len() > opts.max_bytes {
        return Err(DecodeError::TooLarge {
            size: bytes.len(),
            limit: opts.max_bytes,
        });
    }
    let s = std::str::from_utf8(bytes).map_err(|e| DecodeError::InvalidUtf8 {
        offset: e.valid_up_to(),
    })?;
    let value: Value =
        serde_json::from_str(s).map_err(|e| DecodeError::InvalidJson(e.to_string()))?;
    let obj = match value {
        Value::Object(o) => o,
        other => return Err(DecodeError::NotAnObject(type_name(&other))),
    };

    let (text_field, text) = first_string(&obj, TEXT_FIELDS)?.ok_or(DecodeError::MissingText)?;
    if text.trim().is_empty() {
        return Err(DecodeError::EmptyField(text_field));
    }
    let url = opt_string(&obj, "url")?;
    let id = match obj.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => return Err(DecodeError::EmptyField("id")),
        Some(Value::String(s)) => Some(s.clone()),
        // Numeric ids are common in scraper output; keep their JSON spelling.
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => return Err(wrong_type("id", "a string or number", other)),
    };
    let id = id
        .or_else(|| url.clone().filter(|u| !u.is_empty()))
        .unwrap_or_else(fallback_id);
    let language = opt_string(&obj, "language")?
        .or(opt_string(&obj, "lang")?)
        .filter(|l| !l.trim().is_empty());
    let authors = match obj.get("authors") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(wrong_type("authors", "a list of strings", other)),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(wrong_type("authors", "a list of strings", other)),
    };
    Ok(Article {
        id,
        text: text.to_owned(),
        title: opt_string(&obj, "title")?,
        url,
        language,
        published_at: first_string(&obj, DATE_FIELDS)?.map(|(_, s)| s.to_owned()),
        source: first_string(&obj, SOURCE_FIELDS)?.map(|(_, s)| s.to_owned()),
        authors,
    })
}

fn first_string<'a>(
    obj: &'a Map<String, Value>,
    names: &[&'static str],
) -> Result<Option<(&'static str, &'a str)>, DecodeError> {
    for &name in names {
        match obj.get(name) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => return Ok(Some((name, s))),
            Some(other) => return Err(wrong_type(name, "a string", other)),
        }
    }
    Ok(None)
}

fn opt_string(obj: &Map<String, Value>, name: &'static str) -> Result<Option<String>, DecodeError> {
    Ok(first_string(obj, &[name])?.map(|(_, s)| s.to_owned()))
}

fn wrong_type(field: &'static str, expected: &'static str, found: &Value) -> DecodeError {
    DecodeError::WrongType {
        field,
        expected,
        found: type_name(found),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Result<Article, DecodeError> {
        decode_article(
            s.as_bytes(),
            &|| "fallback".into(),
            &DecodeOptions::default(),
        )
    }

    #[test]
    fn news_please_fields_are_accepted() {
        let a = decode(
            r#"{"maintext":"Body.","title":"T","url":"https://x.test/a","date_publish":"2016-12-05 10:00:00","source_domain":"x.test","authors":["A B"]}"#,
        )
        .unwrap();
        assert_eq!(a.text, "Body.");
        assert_eq!(a.id, "https://x.test/a");
        assert_eq!(a.published_at.as_deref(), Some("2016-12-05 10:00:00"));
        assert_eq!(a.source.as_deref(), Some("x.test"));
        assert_eq!(a.authors, vec!["A B".to_string()]);
    }

    #[test]
    fn trafilatura_fields_are_accepted() {
        let a =
            decode(r#"{"text":"Body.","date":"2020-01-02","hostname":"h.test","id":7}"#).unwrap();
        assert_eq!(a.id, "7");
        assert_eq!(a.published_at.as_deref(), Some("2020-01-02"));
        assert_eq!(a.source.as_deref(), Some("h.test"));
    }

    #[test]
    fn id_falls_back_when_no_id_nor_url() {
        assert_eq!(
            decode(r#"{"text":"x","extra":{"a":1}}"#).unwrap().id,
            "fallback"
        );
    }

    #[test]
    fn missing_text_is_an_error_naming_the_field() {
        let e = decode(r#"{"title":"t"}"#).unwrap_err();
        assert_eq!(e.reason(), ErrorReason::MissingField);
        assert!(e.to_string().contains("`text`"));
    }

    #[test]
    fn empty_text_is_rejected() {
        assert_eq!(
            decode(r#"{"text":"  "}"#).unwrap_err(),
            DecodeError::EmptyField("text")
        );
    }

    #[test]
    fn wrong_type_names_field_and_types() {
        let e = decode(r#"{"text":"x","title":5}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "article field `title` must be a string, found a number"
        );
    }

    #[test]
    fn non_object_and_bad_bytes_are_rejected() {
        assert_eq!(
            decode("[1]").unwrap_err().reason(),
            ErrorReason::NotAnObject
        );
        assert_eq!(decode("{").unwrap_err().reason(), ErrorReason::InvalidJson);
        let bad = decode_article(
            b"{\"text\":\"\xff\"}",
            &|| "f".into(),
            &DecodeOptions::default(),
        );
        assert_eq!(bad.unwrap_err(), DecodeError::InvalidUtf8 { offset: 9 });
    }

    #[test]
    fn oversized_article_is_rejected_before_parsing() {
        let opts = DecodeOptions { max_bytes: 10 };
        let e = decode_article(b"{\"text\":\"0123456789\"}", &|| "f".into(), &opts).unwrap_err();
        assert_eq!(e.reason(), ErrorReason::TooLarge);
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let s = format!(
            "{{\"text\":\"x\",\"a\":{}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(decode(&s).unwrap_err().reason(), ErrorReason::InvalidJson);
    }
}
