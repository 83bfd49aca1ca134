//! Training on a tiny corpus written for this test.

use naba_extractor::ner::gazetteer::Gazetteer;
use naba_extractor::ner::tagger::{self, Model};
use naba_train::{common_words, name_words, read_corpus, samples, shuffle_state, train, Options};

const CORPUS: &str = "\
زار B-PERS
أحمد I-PERS
سالم I-PERS
مدينة O
عمان B-LOC
. O

وقال O
سالم B-PERS
إن O
وزارة B-ORG
الصحة I-ORG
ستفتح O
مركزا O
في O
دبي B-LOC
. O

وصل O
أحمد B-PERS
إلى O
دبي B-LOC
. O
";

fn model() -> Model {
    let sents = read_corpus(CORPUS);
    let words = name_words(&sents);
    let common = common_words(&sents);
    let gaz = Gazetteer::new(&words, &common);
    let s = samples(&sents, &gaz);
    let opts = Options {
        bits: 12,
        epochs: 5,
        ..Options::default()
    };
    train(&s, &opts, words, common, |_, _| {})
}

#[test]
fn training_is_deterministic() {
    assert_eq!(model().to_bytes(), model().to_bytes());
}

#[test]
fn a_trained_model_round_trips_and_learns_its_corpus() {
    let m = Model::from_bytes(&model().to_bytes()).unwrap();
    assert!(m.name_words.iter().any(|w| w == "دبي"));
    let sents = read_corpus(CORPUS);
    let gaz = Gazetteer::new(&m.name_words, &m.common_words);
    let s = samples(&sents[2..], &gaz);
    let mut em = vec![[0f32; tagger::NT]; s[0].feats.len()];
    for (e, f) in em.iter_mut().zip(&s[0].feats) {
        m.emission(f, e);
    }
    assert_eq!(tagger::viterbi(&em, &m.trans), s[0].gold);
}

#[test]
fn corpus_reader_skips_lines_without_a_token() {
    let s = read_corpus(" O\nقال O\n\n\nدبي B-LOC\n");
    assert_eq!(s.len(), 2);
    assert_eq!(s[1][0], ("دبي".to_owned(), "B-LOC".to_owned()));
}

#[test]
fn every_seed_gives_its_own_shuffle_and_the_default_keeps_the_committed_one() {
    let states: Vec<u64> = (0..6).map(shuffle_state).collect();
    for (i, a) in states.iter().enumerate() {
        assert_ne!(*a, 0, "seed {i}: xorshift never leaves a zero state");
        for b in &states[i + 1..] {
            assert_ne!(a, b, "two seeds share a shuffle");
        }
    }
    // scripts/train-ner.sh must still rebuild data/model/ar-ner.bin byte for byte.
    let default = Options::default().seed;
    assert_eq!(shuffle_state(default), default | 1);
}
