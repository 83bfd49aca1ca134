//! Word profiles on a frequency list written for this test.

use naba_extractor::ner::gazetteer::Profile;
use naba_train::word_profiles;

/// Frequencies per word of text: a name seen only bare, a noun seen with the
/// article and with pronoun suffixes, a feminine noun whose suffixed forms
/// are spelt with ت, and a word too rare to be profiled.
fn list() -> Vec<(String, f64)> {
    [
        ("زيدون", 1e-5),
        ("وزيدون", 1e-6),
        ("كتاب", 1e-5),
        ("الكتاب", 2e-5),
        ("والكتاب", 1e-6),
        ("كتابها", 1e-6),
        ("كتابهم", 1e-6),
        ("مدرسة", 1e-5),
        ("المدرسة", 1e-5),
        ("مدرستها", 1e-6),
        ("نادرون", 1e-9),
    ]
    .into_iter()
    .map(|(w, f)| (w.to_owned(), f))
    .collect()
}

fn code(p: &[(String, u8)], w: &str) -> Option<u8> {
    p.iter().find(|(x, _)| x == w).map(|(_, c)| *c)
}

/// The code's parts, as the extractor reads them.
fn parts(c: u8) -> (u8, u8, u8) {
    let p = Profile::from_code(c).expect("a valid code");
    (p.band(), p.article(), p.suffix())
}

#[test]
fn a_name_never_takes_the_article_or_a_suffix_and_a_noun_does() {
    let p = word_profiles(&list(), 1e-7);
    let (_, article, suffix) = parts(code(&p, "زيدون").unwrap());
    assert_eq!((article, suffix), (1, 1));
    let (_, article, suffix) = parts(code(&p, "كتاب").unwrap());
    assert_eq!((article, suffix), (3, 3));
}

#[test]
fn a_feminine_noun_takes_its_suffixes_through_ta() {
    let p = word_profiles(&list(), 1e-7);
    // ة is folded to ه: the key is مدرسه, the suffixed form مدرستها.
    let (_, article, suffix) = parts(code(&p, "مدرسه").unwrap());
    assert_eq!((article, suffix), (3, 3));
}

#[test]
fn clitic_forms_pool_into_one_key_and_rare_words_get_none() {
    let p = word_profiles(&list(), 1e-7);
    // كتاب, الكتاب, والكتاب: 3.1e-5, Zipf 4.49, band 3 (the suffixed forms
    // are keys of their own).
    assert_eq!(parts(code(&p, "كتاب").unwrap()).0, 3);
    assert!(code(&p, "الكتاب").is_none() && code(&p, "والكتاب").is_none());
    assert!(code(&p, "نادرون").is_none());
    let keys: Vec<&str> = p.iter().map(|(w, _)| w.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted, "sorted by key, so the file is deterministic");
}
