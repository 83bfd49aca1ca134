//! Properties of the extractor on generated text: it never panics, and every
//! span it returns is a code-point slice of the field it names. The fuzz
//! target `extract` checks the same invariant on unstructured bytes; these
//! generators aim at what news text is made of (Arabic and Latin words,
//! reporting verbs, quotation marks, invisible characters) so that the
//! interesting code paths (quotes, cues, names) are reached in few cases.

mod invariants;

use invariants::Fields;
use naba_extractor::{Document, Extractor};
use proptest::prelude::*;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static X: OnceLock<Extractor> = OnceLock::new();
    X.get_or_init(|| Extractor::new().unwrap())
}

/// Pieces of news-like text; generated text is a sequence of these, joined
/// with nothing, so that quotes and clitics also touch words directly.
const FRAGMENTS: &[&str] = &[
    "قال",
    "وقال",
    "أكد",
    "أضاف",
    "الرئيس",
    "وزير الخارجية",
    "محمد",
    "لبنان",
    "بيروت",
    "الأمم المتحدة",
    "إن",
    "أن",
    "«",
    "»",
    "\"",
    "'",
    "“",
    "”",
    "„",
    "‹",
    "›",
    "،",
    ".",
    "؟",
    "!",
    ":",
    "-",
    "(",
    ")",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\t",
    "said",
    "told",
    "John Carter",
    "Maria Lopez",
    "the United Nations",
    "Reuters",
    "Geneva",
    "on Monday",
    "5 December 2016",
    "٥ كانون الأول ٢٠١٦",
    "يوم الإثنين",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{200f}",
    "\u{202b}",
    "\u{202c}",
    "\u{2066}",
    "\u{feff}",
    "\u{0640}",
    "\u{064e}",
    "\u{0651}",
    "é",
    "e\u{301}",
    "😀",
    "👩\u{200d}💻",
    "中国",
    "Ω",
    "ـ",
    "123",
    "٣٤٥",
];

fn news_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..200).prop_map(|v| v.into_iter().collect())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![3 => news_like(), 1 => any_text()]
}

fn language() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        Some("ar"),
        Some("en"),
        Some("ar-SA"),
        Some("xx"),
        Some(""),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_span_is_the_slice_of_its_field(
        body in text(),
        title in prop::option::of(text()),
        lang in language(),
    ) {
        let doc = Document {
            text: &body,
            title: title.as_deref(),
            language: lang,
            published_at: Some("2016-12-05"),
        };
        let x = extractor().extract(&doc);
        let fields = Fields::new(&body, title.as_deref());
        if let Err(e) = fields.check_extraction(&x) {
            return Err(TestCaseError::fail(e));
        }
    }

    #[test]
    fn extraction_is_deterministic(body in news_like()) {
        let doc = Document { text: &body, ..Document::default() };
        let a = extractor().extract(&doc);
        let b = extractor().extract(&doc);
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn invalid_publication_dates_do_not_break_extraction(
        body in news_like(),
        date in any_text(),
    ) {
        let doc = Document { text: &body, published_at: Some(&date), ..Document::default() };
        let x = extractor().extract(&doc);
        if let Err(e) = Fields::new(&body, None).check_extraction(&x) {
            return Err(TestCaseError::fail(e));
        }
    }
}

#[test]
fn the_invariant_check_catches_a_wrong_slice() {
    // A checker that accepts everything would make the properties above
    // vacuous: feed it a span whose text does not match its range.
    let x = naba_extractor::Extraction {
        dates: vec![naba_model::DateMention {
            text: "Monday".into(),
            start: 0,
            end: 3,
            value: None,
            field: None,
        }],
        ..Default::default()
    };
    assert!(Fields::new("Monday", None).check_extraction(&x).is_err());
    let x = naba_extractor::Extraction {
        dates: vec![naba_model::DateMention {
            text: "ay".into(),
            start: 4,
            end: 6,
            value: None,
            field: None,
        }],
        ..Default::default()
    };
    assert!(Fields::new("Monday", None).check_extraction(&x).is_ok());
    assert!(Fields::new("Mon", None).check_extraction(&x).is_err());
}
