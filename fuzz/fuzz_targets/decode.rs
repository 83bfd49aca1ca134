//! Any bytes given to the article decoder give an article or a typed error:
//! never a panic, a hang, or an article without text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use naba_model::{decode_article, DecodeOptions};

fuzz_target!(|data: &[u8]| {
    let opts = DecodeOptions::default();
    match decode_article(data, &|| "fallback".to_owned(), &opts) {
        Ok(a) => {
            assert!(!a.text.trim().is_empty(), "decoded an article with empty text");
            assert!(!a.id.is_empty(), "decoded an article with an empty id");
        }
        Err(e) => {
            // The reason is a header value and a metric label: always non-empty.
            assert!(!e.reason().as_str().is_empty());
            assert!(!e.to_string().is_empty());
        }
    }
});
