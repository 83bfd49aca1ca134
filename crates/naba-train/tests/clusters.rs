//! Word classes on a tiny corpus written for this test.

use naba_train::{clusters, read_corpus, Sentence};

/// Person names after قال and before إن; city names after في and before
/// اليوم: each kind is used only in its own contexts.
fn corpus() -> Vec<Sentence> {
    let mut text = String::new();
    for _ in 0..3 {
        for name in ["سالم", "خالد", "ماجد"] {
            text.push_str(&format!("قال O\n{name} B-PERS\nإن O\n\n"));
        }
        for city in ["دبي", "بيروت", "طنجة"] {
            text.push_str(&format!("في O\n{city} B-LOC\nاليوم O\n\n"));
        }
    }
    read_corpus(&text)
}

fn class_of(cl: &[(String, u16)], w: &str) -> u16 {
    cl.iter().find(|(x, _)| x == w).map(|(_, c)| *c).unwrap()
}

#[test]
fn words_used_in_the_same_contexts_share_a_class() {
    let cl = clusters(&corpus(), 6, 1, 20);
    let person = class_of(&cl, "سالم");
    assert_eq!(class_of(&cl, "خالد"), person);
    assert_eq!(class_of(&cl, "ماجد"), person);
    let city = class_of(&cl, "دبي");
    assert_eq!(class_of(&cl, "بيروت"), city);
    assert_eq!(class_of(&cl, "طنجه"), city);
    assert_ne!(person, city);
}

#[test]
fn rare_words_get_no_class_and_clustering_is_deterministic() {
    let mut sents = corpus();
    sents.extend(read_corpus("قال O\nنادر B-PERS\nإن O\n"));
    let cl = clusters(&sents, 4, 2, 20);
    assert!(cl.iter().all(|(w, _)| w != "نادر"));
    assert_eq!(cl, clusters(&sents, 4, 2, 20));
}
