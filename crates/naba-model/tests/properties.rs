//! Properties of article decoding: any bytes give an article or a typed
//! error (never a panic), the reason always matches the error, and a
//! well-formed article survives a JSON round trip unchanged. The `decode`
//! fuzz target explores the first property on unstructured bytes.

use naba_model::{decode_article, Article, DecodeError, DecodeOptions, ErrorReason};
use proptest::prelude::*;

fn decode(bytes: &[u8], max_bytes: usize) -> Result<Article, DecodeError> {
    decode_article(bytes, &|| "fallback".into(), &DecodeOptions { max_bytes })
}

/// JSON values of every type, nested a little, as the fields of hostile articles.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..40).prop_map(|v| v.into_iter().collect()),
        prop::sample::select(vec!["", " ", "\u{200b}", "قال الوزير", "Text.", "\"\"\""])
            .prop_map(str::to_owned),
    ]
}

/// The names decoding looks at, plus one it ignores.
fn field_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "id",
        "text",
        "body",
        "maintext",
        "content",
        "title",
        "url",
        "language",
        "lang",
        "published_at",
        "date_publish",
        "date",
        "source",
        "source_domain",
        "hostname",
        "authors",
        "other",
    ])
    .prop_map(str::to_owned)
}

fn object() -> impl Strategy<Value = serde_json::Value> {
    prop::collection::btree_map(field_name(), json_value(), 0..8)
        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_decode_or_fail_with_a_matching_reason(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
        max in 0usize..300,
    ) {
        match decode(&bytes, max) {
            Ok(a) => {
                prop_assert!(!a.text.trim().is_empty());
                prop_assert!(!a.id.is_empty());
            }
            Err(e) => {
                let expected = match &e {
                    DecodeError::TooLarge { size, limit } => {
                        prop_assert!(size > limit);
                        ErrorReason::TooLarge
                    }
                    DecodeError::InvalidUtf8 { offset } => {
                        prop_assert!(std::str::from_utf8(&bytes[..*offset]).is_ok());
                        prop_assert!(std::str::from_utf8(&bytes).is_err());
                        ErrorReason::InvalidUtf8
                    }
                    DecodeError::InvalidJson(_) => ErrorReason::InvalidJson,
                    DecodeError::NotAnObject(_) => ErrorReason::NotAnObject,
                    DecodeError::MissingText => ErrorReason::MissingField,
                    DecodeError::EmptyField(_) => ErrorReason::EmptyField,
                    DecodeError::WrongType { .. } => ErrorReason::WrongType,
                };
                prop_assert_eq!(e.reason(), expected);
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn any_json_object_decodes_or_names_its_problem(obj in object()) {
        let bytes = serde_json::to_vec(&obj).unwrap();
        match decode(&bytes, usize::MAX) {
            Ok(a) => {
                let text = ["text", "body", "maintext", "content"]
                    .iter()
                    .find_map(|k| obj.get(*k).and_then(|v| v.as_str()));
                prop_assert_eq!(Some(a.text.as_str()), text);
            }
            Err(e) => prop_assert!(
                matches!(
                    e.reason(),
                    ErrorReason::MissingField | ErrorReason::EmptyField | ErrorReason::WrongType
                ),
                "a JSON object can only lack or mistype fields, got {e}"
            ),
        }
    }

    #[test]
    fn a_well_formed_article_round_trips(
        id in "[a-z0-9:/._-]{1,30}",
        body in text().prop_filter("non-empty", |t| !t.trim().is_empty()),
        title in prop::option::of(text()),
        authors in prop::collection::vec(text(), 0..3),
    ) {
        let v = serde_json::json!({
            "id": id, "text": body, "title": title, "authors": authors, "language": "ar",
        });
        let a = decode(&serde_json::to_vec(&v).unwrap(), usize::MAX).unwrap();
        prop_assert_eq!(a.id, id);
        prop_assert_eq!(a.text, body);
        prop_assert_eq!(a.title, title);
        prop_assert_eq!(a.authors, authors);
        prop_assert_eq!(a.language.as_deref(), Some("ar"));
    }

    #[test]
    fn the_size_limit_is_checked_before_anything_else(
        bytes in prop::collection::vec(any::<u8>(), 1..200),
    ) {
        let e = decode(&bytes, bytes.len() - 1).unwrap_err();
        prop_assert_eq!(e.reason(), ErrorReason::TooLarge);
    }
}
