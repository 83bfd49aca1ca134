//! Any string given to the extractor: no panic, every offset inside its
//! field, every span's text equal to its slice (the same check as the
//! property tests, included from the extractor's tests).
//!
//! Input layout: the first byte picks the language hint, then the rest is
//! read as UTF-8 (lossily, so every input reaches the extractor); text
//! before a `\x01` that contains no newline is used as the title.
#![no_main]

use libfuzzer_sys::fuzz_target;
use naba_extractor::{Document, Extractor};
use std::sync::OnceLock;

#[path = "../../crates/naba-extractor/tests/invariants/mod.rs"]
mod invariants;

fn extractor() -> &'static Extractor {
    static X: OnceLock<Extractor> = OnceLock::new();
    X.get_or_init(|| Extractor::new().expect("embedded model loads"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let language = match first % 4 {
        0 => None,
        1 => Some("ar"),
        2 => Some("en"),
        _ => Some("fr"),
    };
    let all = String::from_utf8_lossy(rest);
    let (title, text) = match all.split_once('\u{1}') {
        Some((t, b)) if !t.contains('\n') => (Some(t), b),
        _ => (None, &*all),
    };
    let doc = Document {
        text,
        title,
        language,
        published_at: Some("2016-12-05"),
    };
    let x = extractor().extract(&doc);
    if let Err(e) = invariants::Fields::new(text, title).check_extraction(&x) {
        panic!("{e}\ntext: {text:?}\ntitle: {title:?}");
    }
});
