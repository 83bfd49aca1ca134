//! Training for naba's Arabic NER tagger: a structured averaged perceptron
//! over the extractor's own features ([`naba_extractor::ner::tagger`]), so
//! that what is learnt here is exactly what the extractor computes at run time.
//!
//! Training is deterministic: corpus order, a fixed-seed shuffle, and no
//! threads or hash-map iteration anywhere that affects the weights.

use naba_extractor::ner::clitics;
use naba_extractor::ner::doclayer;
use naba_extractor::ner::gazetteer::{Gazetteer, Profile};
use naba_extractor::ner::tagger::{self, Model, NT};
use naba_extractor::{Analysis, Lang};
use std::collections::BTreeSet;

/// One corpus sentence: (token, tag) pairs as written in the file.
pub type Sentence = Vec<(String, String)>;

/// Reads "token TAG" lines, sentences separated by blank lines. Lines
/// without a token (a stray tag) are skipped.
pub fn read_corpus(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let Some((word, tag)) = line.rsplit_once(' ') else {
            continue;
        };
        let word = word.trim();
        if word.is_empty() {
            continue;
        }
        cur.push((word.to_owned(), tag.trim().to_owned()));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Splits off the last `fraction` of sentences as the dev split.
pub fn split_dev(sents: &[Sentence], fraction: f64) -> (&[Sentence], &[Sentence]) {
    let n_dev = ((sents.len() as f64) * fraction).round() as usize;
    sents.split_at(sents.len() - n_dev.min(sents.len()))
}

/// Writes sentences back as CoNLL text.
pub fn to_conll(sents: &[Sentence]) -> String {
    let mut s = String::new();
    for sent in sents {
        for (w, t) in sent {
            s.push_str(w);
            s.push(' ');
            s.push_str(t);
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

/// A sentence as the extractor sees it: hashed features and gold tags per
/// extractor token.
#[derive(Clone)]
pub struct Sample {
    /// The index of the corpus sentence it comes from, in the slice given
    /// to [`samples`] (a corpus sentence may be several extractor sentences).
    pub src: usize,
    pub words: Vec<String>,
    pub feats: Vec<Vec<u64>>,
    pub gold: Vec<u8>,
}

/// Re-tokenises corpus sentences with the extractor's own tokenizer and
/// sentence splitter, carrying each corpus tag over to the tokens it covers.
pub fn samples(sents: &[Sentence], gaz: &Gazetteer) -> Vec<Sample> {
    let mut out = Vec::new();
    for (src, sent) in sents.iter().enumerate() {
        let mut text = String::new();
        let mut spans = Vec::new(); // code-point range of each corpus token
        let mut pos = 0;
        for (i, (w, _)) in sent.iter().enumerate() {
            if i > 0 {
                text.push(' ');
                pos += 1;
            }
            text.push_str(w);
            let n = w.chars().count();
            spans.push((pos, pos + n));
            pos += n;
        }
        let a = Analysis::new(&text, Lang::Arabic);
        for r in &a.sentences {
            let toks = &a.tokens[r.clone()];
            let v = tagger::views(toks, gaz);
            let mut gold = Vec::with_capacity(toks.len());
            let mut last_src = usize::MAX;
            for t in toks {
                let src = spans
                    .iter()
                    .position(|&(s, e)| t.start >= s && t.start < e)
                    .unwrap_or(0);
                let mut tag = tagger::tag_index(&sent[src].1).unwrap_or(tagger::O);
                if src == last_src && tagger::is_begin(tag) {
                    tag += 1;
                }
                if !tagger::allowed(gold.last().copied(), tag) {
                    tag -= 1; // an I- after O becomes B-
                }
                last_src = src;
                gold.push(tag);
            }
            let feats = (0..v.len())
                .map(|i| {
                    let mut f = Vec::with_capacity(48);
                    tagger::features(&v, i, &mut f);
                    f
                })
                .collect();
            out.push(Sample {
                src,
                words: toks.iter().map(|t| t.norm.clone()).collect(),
                feats,
                gold,
            });
        }
    }
    out
}

/// Words seen inside PER/ORG/LOC names, without the proclitics the corpus
/// leaves attached (وإسبانيا counts as إسبانيا when that form also occurs).
pub fn name_words(sents: &[Sentence]) -> Vec<String> {
    let mut all = BTreeSet::new();
    for sent in sents {
        for (w, t) in sent {
            let typed = tagger::tag_index(t).and_then(tagger::tag_type).is_some();
            if typed {
                let k = naba_extractor::normalize::key(w);
                if k.chars().count() >= 2 && k.chars().all(char::is_alphabetic) {
                    all.insert(k);
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    let mut buf = String::new();
    for w in &all {
        let base = clitics::readings(w)
            .find(|r| {
                let b = r.base(&mut buf);
                all.contains(b) || (r.strip > 0 && b.starts_with("ال"))
            })
            .map(|r| r.base(&mut buf).to_owned());
        out.insert(base.unwrap_or_else(|| w.clone()));
    }
    out.into_iter().collect()
}

/// The entity spans (first token, end, type tag) of a corpus sentence; an I-
/// tag after O or another type opens a span.
fn corpus_spans(sent: &Sentence) -> Vec<(usize, usize, u8)> {
    let tags: Vec<u8> = sent
        .iter()
        .map(|(_, t)| tagger::tag_index(t).unwrap_or(tagger::O))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        let t = tags[i];
        if t == tagger::O {
            i += 1;
            continue;
        }
        let b = if tagger::is_begin(t) { t } else { t - 1 };
        let mut j = i + 1;
        while j < tags.len() && tags[j] == b + 1 {
            j += 1;
        }
        out.push((i, j, b));
        i = j;
    }
    out
}

/// Names the corpus marks as PER, ORG or LOC, one `TYPE<tab>name` line each
/// (normalised; a leading proclitic dropped as in [`name_words`]), for the
/// gazetteer. Only unambiguous names are kept: one type in at least 90 % of
/// their marked occurrences (MISC counts against), and marked in at least
/// 70 % of all their occurrences in the corpus (so that a word that is
/// usually a common noun is left out).
pub fn corpus_names(sents: &[Sentence]) -> String {
    let words: BTreeSet<String> = name_words(sents).into_iter().collect();
    let mut buf = String::new();
    let base = |w: &str, buf: &mut String| -> String {
        let k = naba_extractor::normalize::key(w);
        if words.contains(&k) {
            return k;
        }
        let found = clitics::readings(&k)
            .find(|r| {
                let b = r.base(buf);
                words.contains(b) || (r.strip > 0 && b.starts_with("ال"))
            })
            .map(|r| r.base(buf).to_owned());
        found.unwrap_or(k)
    };
    const MAX: usize = 6;
    let mut typed = std::collections::BTreeMap::<String, [usize; 4]>::new();
    let keyed: Vec<(Vec<String>, Vec<String>)> = sents
        .iter()
        .map(|s| {
            let keys: Vec<String> = s
                .iter()
                .map(|(w, _)| naba_extractor::normalize::key(w))
                .collect();
            let bases = s.iter().map(|(w, _)| base(w, &mut buf)).collect();
            (keys, bases)
        })
        .collect();
    let name_of = |(keys, bases): &(Vec<String>, Vec<String>), i: usize, j: usize| {
        let mut n = bases[i].clone();
        for k in &keys[i + 1..j] {
            n.push(' ');
            n.push_str(k);
        }
        n
    };
    for (sent, kb) in sents.iter().zip(&keyed) {
        for (i, j, t) in corpus_spans(sent) {
            if j - i > MAX {
                continue;
            }
            // B-PER, B-ORG, B-LOC, B-MISC are 1, 3, 5, 7.
            let slot = usize::from((t - 1) / 2).min(3);
            typed.entry(name_of(kb, i, j)).or_default()[slot] += 1;
            // The words of a longer name count as names of its type on their own.
            if j - i > 1 {
                for k in i..j {
                    typed.entry(name_of(kb, k, k + 1)).or_default()[slot] += 1;
                }
            }
        }
    }
    let mut total = std::collections::BTreeMap::<&str, usize>::new();
    for kb in &keyed {
        for i in 0..kb.0.len() {
            for j in i + 1..=(i + MAX).min(kb.0.len()) {
                let n = name_of(kb, i, j);
                if let Some((k, _)) = typed.get_key_value(&n) {
                    *total.entry(k.as_str()).or_default() += 1;
                }
            }
        }
    }
    let mut out = String::new();
    for (name, counts) in &typed {
        let marked: usize = counts.iter().sum();
        let seen = total.get(name.as_str()).copied().unwrap_or(marked);
        let Some((slot, &best)) = counts[..3].iter().enumerate().max_by_key(|(_, c)| **c) else {
            continue;
        };
        if name.chars().count() < 3
            || !name.chars().all(|c| c.is_alphabetic() || c == ' ')
            || best * 10 < marked * 9
            || marked * 10 < seen * 7
        {
            continue;
        }
        out.push_str(["PER", "ORG", "LOC"][slot]);
        out.push('\t');
        out.push_str(name);
        out.push('\n');
    }
    out
}

/// Frequency classes of the words of the training sentences (as the
/// extractor normalises and tokenises them): 1 for 3 to 20 occurrences, 2 above.
pub fn common_words(sents: &[Sentence]) -> Vec<(String, u8)> {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for sent in sents {
        let text: Vec<&str> = sent.iter().map(|(w, _)| w.as_str()).collect();
        let joined = text.join(" ");
        let a = Analysis::new(&joined, Lang::Arabic);
        for t in a.tokens {
            *counts.entry(t.norm).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 3)
        .map(|(w, n)| (w, if n > 20 { 2 } else { 1 }))
        .collect()
}

/// The xorshift state a `--seed` starts from. Xorshift only needs a nonzero
/// state, so every other seed is used as given: the old `seed | 1` made seeds
/// 2 and 3 (4 and 5, ...) train the same model, which halved the seeds in a
/// "mean of several seeds" comparison without anyone noticing. Odd seeds,
/// the default among them, keep the shuffle they always had.
pub fn shuffle_state(seed: u64) -> u64 {
    if seed == 0 {
        0x9e37_79b9_7f4a_7c15
    } else {
        seed
    }
}

pub struct Options {
    pub bits: u32,
    pub epochs: usize,
    pub seed: u64,
    /// Weights below this magnitude are dropped from the model file.
    pub prune: f32,
    /// Perceptrons averaged into the model (see [`train`]).
    pub ensemble: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bits: 20,
            epochs: 10,
            seed: 0x6e61_6261,
            prune: 0.05,
            ensemble: 1,
        }
    }
}

/// Dense weights with lazy averaging (Daumé's trick: a weight's running sum
/// is brought up to date only when it changes).
struct Averaged {
    w: Vec<f32>,
    sum: Vec<f64>,
    stamp: Vec<u32>,
    step: u32,
}

impl Averaged {
    fn new(n: usize) -> Self {
        Averaged {
            w: vec![0.0; n],
            sum: vec![0.0; n],
            stamp: vec![0; n],
            step: 1,
        }
    }
    fn add(&mut self, i: usize, d: f32) {
        self.sum[i] += f64::from(self.step - self.stamp[i]) * f64::from(self.w[i]);
        self.stamp[i] = self.step;
        self.w[i] += d;
    }
    fn averaged(&self) -> Vec<f32> {
        (0..self.w.len())
            .map(|i| {
                let s = self.sum[i] + f64::from(self.step - self.stamp[i]) * f64::from(self.w[i]);
                (s / f64::from(self.step)) as f32
            })
            .collect()
    }
}

fn emissions(w: &[f32], bits: u32, s: &Sample) -> Vec<[f32; NT]> {
    s.feats
        .iter()
        .map(|fs| {
            let mut e = [0f32; NT];
            for &h in fs {
                let b = Model::bucket(bits, h) * NT;
                for (t, x) in e.iter_mut().enumerate() {
                    *x += w[b + t];
                }
            }
            e
        })
        .collect()
}

fn trans_of(w: &[f32], base: usize) -> [[f32; NT]; NT + 1] {
    let mut t = [[0f32; NT]; NT + 1];
    for (p, row) in t.iter_mut().enumerate() {
        for (c, x) in row.iter_mut().enumerate() {
            *x = w[base + p * NT + c];
        }
    }
    t
}

/// Trains on `train`; after each epoch calls `report(epoch, averaged model)`.
///
/// With `opts.ensemble` > 1, trains that many perceptrons on different
/// shuffles and averages their weights: one model of the same shape, with
/// less of the variance a single shuffle order gives. The reports are then
/// of the members trained so far averaged with the one in training.
pub fn train(
    train: &[Sample],
    opts: &Options,
    name_words: Vec<String>,
    common_words: Vec<(String, u8)>,
    mut report: impl FnMut(usize, &Model),
) -> Model {
    let buckets = 1usize << opts.bits;
    let tbase = buckets * NT;
    let members = opts.ensemble.max(1);
    let mut done: Vec<f32> = vec![0.0; tbase + (NT + 1) * NT];
    let model_of = |sum: &[f32], n: usize, cur: Option<&[f32]>| {
        let avg: Vec<f32> = match cur {
            Some(c) => sum
                .iter()
                .zip(c)
                .map(|(a, b)| (a + b) / (n + 1) as f32)
                .collect(),
            None => sum.iter().map(|a| a / n.max(1) as f32).collect(),
        };
        let mut m = Model::from_dense(
            opts.bits,
            &avg[..tbase],
            trans_of(&avg, tbase),
            name_words.clone(),
            common_words.clone(),
        );
        m.prune(opts.prune);
        m
    };
    for k in 0..members {
        // Member 0 keeps the single model's shuffle.
        let seed = opts
            .seed
            .wrapping_add((k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut p = Averaged::new(tbase + (NT + 1) * NT);
        let mut order: Vec<usize> = (0..train.len()).collect();
        let mut rng = shuffle_state(seed);
        for epoch in 1..=opts.epochs {
            // Fisher-Yates with a fixed xorshift: deterministic.
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            for &k in &order {
                let s = &train[k];
                let em = emissions(&p.w, opts.bits, s);
                let pred = tagger::viterbi(&em, &trans_of(&p.w, tbase));
                if pred != s.gold {
                    for i in 0..s.gold.len() {
                        let (g, q) = (s.gold[i] as usize, pred[i] as usize);
                        let gp = if i == 0 { NT } else { s.gold[i - 1] as usize };
                        let qp = if i == 0 { NT } else { pred[i - 1] as usize };
                        if (gp, g) != (qp, q) {
                            p.add(tbase + gp * NT + g, 1.0);
                            p.add(tbase + qp * NT + q, -1.0);
                        }
                        if g != q {
                            for &h in &s.feats[i] {
                                let b = Model::bucket(opts.bits, h) * NT;
                                p.add(b + g, 1.0);
                                p.add(b + q, -1.0);
                            }
                        }
                    }
                }
                p.step += 1;
            }
            let avg = p.averaged();
            if epoch == opts.epochs {
                for (d, a) in done.iter_mut().zip(&avg) {
                    *d += a;
                }
                report(epoch, &model_of(&done, k + 1, None));
            } else {
                report(epoch, &model_of(&done, k, Some(&avg)));
            }
        }
    }
    model_of(&done, members, None)
}

/// Corpus sentences per document for the second pass: the corpus has no
/// article boundaries, and `conll2jsonl.py` makes articles of ten sentences
/// for the dev evaluation.
pub const DOC_SENTENCES: usize = 10;

/// `samples` (in corpus order) with the document features the first pass
/// of `m` gives them appended to each token's features, a document being
/// [`DOC_SENTENCES`] corpus sentences.
pub fn with_doc_features(m: &Model, samples: &[Sample]) -> Vec<Sample> {
    let mut out = Vec::with_capacity(samples.len());
    let mut k = 0;
    while k < samples.len() {
        let doc = samples[k].src / DOC_SENTENCES;
        let end = samples[k..]
            .iter()
            .position(|s| s.src / DOC_SENTENCES != doc)
            .map_or(samples.len(), |n| k + n);
        let group = &samples[k..end];
        let tags: Vec<Vec<u8>> = group.iter().map(|s| tag_sample(m, s)).collect();
        let words: Vec<&[String]> = group.iter().map(|s| s.words.as_slice()).collect();
        let docs = doclayer::doc_views(&words, &tags);
        for (s, docs) in group.iter().zip(docs) {
            let mut s = s.clone();
            for (f, d) in s.feats.iter_mut().zip(&docs) {
                doclayer::features(d, f);
            }
            out.push(s);
        }
        k = end;
    }
    out
}

/// The tags `m` gives a sample from the sample's own features (the first
/// pass, or the second when they include the document features).
fn tag_sample(m: &Model, s: &Sample) -> Vec<u8> {
    let mut em = vec![[0f32; NT]; s.feats.len()];
    for (e, f) in em.iter_mut().zip(&s.feats) {
        m.emission(f, e);
    }
    tagger::viterbi(&em, &m.trans)
}

/// Micro precision, recall and F1 of both passes of a stacked model.
pub fn evaluate_two_pass(m: &Model, dev: &[Sample]) -> (f64, f64, f64) {
    evaluate(m, &with_doc_features(m, dev))
}

fn prf(tp: usize, np: usize, ng: usize) -> (f64, f64, f64) {
    let p = if np > 0 { tp as f64 / np as f64 } else { 0.0 };
    let r = if ng > 0 { tp as f64 / ng as f64 } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// Entity spans (start, end, type tag) of a BIO sequence, MISC left out.
fn spans(tags: &[u8]) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        if tagger::is_begin(tags[i]) && tagger::tag_type(tags[i]).is_some() {
            let mut j = i + 1;
            while j < tags.len() && tags[j] == tags[i] + 1 {
                j += 1;
            }
            out.push((i, j, tags[i]));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Micro precision, recall and F1 of exact PER/ORG/LOC spans, tagger alone.
pub fn evaluate(m: &Model, dev: &[Sample]) -> (f64, f64, f64) {
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    for s in dev {
        let pred = spans(&tag_sample(m, s));
        let gold = spans(&s.gold);
        np += pred.len();
        ng += gold.len();
        tp += pred.iter().filter(|x| gold.contains(x)).count();
        if std::env::var_os("NER_DEBUG").is_some() {
            let show = |v: &[(usize, usize, u8)], w: &[(usize, usize, u8)], what: &str| {
                for x in v.iter().filter(|x| !w.contains(x)) {
                    eprintln!(
                        "{what} {} {}",
                        tagger::TAGS[x.2 as usize],
                        s.words[x.0..x.1].join(" ")
                    );
                }
            };
            show(&gold, &pred, "MISS");
            show(&pred, &gold, "EXTRA");
        }
    }
    prf(tp, np, ng)
}

/// `x ln x`, the term the class-bigram likelihood is made of (0 at 0).
fn xlx(x: i64) -> f64 {
    if x <= 0 {
        0.0
    } else {
        let x = x as f64;
        x * x.ln()
    }
}

/// Word classes by the exchange algorithm (Kneser and Ney 1993, Martin et
/// al. 1998): each word in turn moves to the class that most raises the
/// likelihood of the corpus under a class-bigram model, until no word moves
/// or `iters` passes are done. Names of one kind share their contexts (after
/// قال, before a title, after في), so a name unseen in training still gets
/// the class of the names it is used like.
///
/// Words are the extractor's tokens of the training sentences, keyed with
/// [`tagger::cluster_key`]; words seen fewer than `min_count` times are one
/// pooled word whose class is not written out. Returns `(word, class)` sorted
/// by word. Deterministic: integer counts, fixed orders, ties to the lower class.
pub fn clusters(
    sents: &[Sentence],
    k: usize,
    min_count: usize,
    iters: usize,
) -> Vec<(String, u16)> {
    let k = k.clamp(2, usize::from(u16::MAX));
    let mut seqs: Vec<Vec<String>> = Vec::new();
    let mut counts = std::collections::BTreeMap::<String, i64>::new();
    for sent in sents {
        let text: Vec<&str> = sent.iter().map(|(w, _)| w.as_str()).collect();
        let joined = text.join(" ");
        let a = Analysis::new(&joined, Lang::Arabic);
        for r in &a.sentences {
            let s: Vec<String> = a.tokens[r.clone()]
                .iter()
                .map(|t| tagger::cluster_key(&t.norm).to_owned())
                .collect();
            for w in &s {
                *counts.entry(w.clone()).or_default() += 1;
            }
            seqs.push(s);
        }
    }
    // Ids by decreasing count (then by word); the rare words pooled last.
    let mut vocab: Vec<(&String, i64)> = counts
        .iter()
        .filter(|(_, n)| **n >= min_count as i64)
        .map(|(w, n)| (w, *n))
        .collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let id: std::collections::BTreeMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (w.as_str(), i))
        .collect();
    let unk = vocab.len();
    let nv = unk + 1;
    let mut wc = vec![0i64; nv];
    let mut bigrams = std::collections::BTreeMap::<(usize, usize), i64>::new();
    for s in &seqs {
        let ids: Vec<usize> = s
            .iter()
            .map(|w| id.get(w.as_str()).copied().unwrap_or(unk))
            .collect();
        for &i in &ids {
            wc[i] += 1;
        }
        for p in ids.windows(2) {
            *bigrams.entry((p[0], p[1])).or_default() += 1;
        }
    }
    let mut succ = vec![Vec::new(); nv];
    let mut pred = vec![Vec::new(); nv];
    let mut selfs = vec![0i64; nv];
    for (&(a, b), &n) in &bigrams {
        if a == b {
            selfs[a] = n;
        } else {
            succ[a].push((b, n));
            pred[b].push((a, n));
        }
    }
    // The k - 1 most frequent words start alone, the rest share the last class.
    let mut class: Vec<usize> = (0..nv).map(|i| i.min(k - 1)).collect();
    let mut size = vec![0usize; k];
    let mut cn = vec![0i64; k];
    for w in 0..nv {
        size[class[w]] += 1;
        cn[class[w]] += wc[w];
    }
    let mut cb = vec![0i64; k * k];
    for (&(a, b), &n) in &bigrams {
        cb[class[a] * k + class[b]] += n;
    }
    let (mut r, mut l) = (vec![0i64; k], vec![0i64; k]);
    let (mut rk, mut lk) = (Vec::new(), Vec::new());
    for _ in 0..iters {
        let mut moved = 0;
        for w in 0..nv {
            let a = class[w];
            if size[a] == 1 {
                continue;
            }
            for (x, n) in &succ[w] {
                let c = class[*x];
                if r[c] == 0 {
                    rk.push(c);
                }
                r[c] += n;
            }
            for (x, n) in &pred[w] {
                let c = class[*x];
                if l[c] == 0 {
                    lk.push(c);
                }
                l[c] += n;
            }
            // Take w out of its class.
            for &c in &rk {
                cb[a * k + c] -= r[c];
            }
            for &c in &lk {
                cb[c * k + a] -= l[c];
            }
            cb[a * k + a] -= selfs[w];
            cn[a] -= wc[w];
            size[a] -= 1;
            let gain = |x: i64, d: i64| xlx(x + d) - xlx(x);
            let mut best = (f64::NEG_INFINITY, a);
            for b in 0..k {
                let mut d = -2.0 * gain(cn[b], wc[w]);
                for &c in rk.iter().filter(|&&c| c != b) {
                    d += gain(cb[b * k + c], r[c]);
                }
                for &c in lk.iter().filter(|&&c| c != b) {
                    d += gain(cb[c * k + b], l[c]);
                }
                d += gain(cb[b * k + b], r[b] + l[b] + selfs[w]);
                // Stay unless another class is clearly better.
                let d = if b == a { d + 1e-9 } else { d };
                if d > best.0 {
                    best = (d, b);
                }
            }
            let b = best.1;
            for &c in &rk {
                cb[b * k + c] += r[c];
            }
            for &c in &lk {
                cb[c * k + b] += l[c];
            }
            cb[b * k + b] += selfs[w];
            cn[b] += wc[w];
            size[b] += 1;
            if b != a {
                class[w] = b;
                moved += 1;
            }
            for c in rk.drain(..) {
                r[c] = 0;
            }
            for c in lk.drain(..) {
                l[c] = 0;
            }
        }
        if moved == 0 {
            break;
        }
    }
    let mut out: Vec<(String, u16)> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| ((*w).clone(), class[i] as u16))
        .collect();
    out.sort();
    out
}

/// A word's profile in general Arabic text, from a frequency list of word
/// forms (`form`, frequency per word): how common the word is with all its
/// clitic forms, how often it takes the article, how often a pronoun suffix.
/// Names rarely take either (جوزيه, never الجوزيه or جوزيهها), common nouns
/// and adjectives do, so the profile separates an unseen foreign name from
/// an unseen ordinary word, which the training corpus alone cannot.
///
/// Returns `(cluster key, code)` sorted by key, for keys at or above
/// `min_freq`; the code is `band * 20 + article * 4 + suffix`: band 1..=5 by
/// Zipf value (2-3 ... 6+), article 0 (neither form seen) or 1..=4 (share of
/// the ال form under 2 %, 30 %, 80 %, above), suffix 1..=3 (no suffixed
/// form, under 2 %, more). Deterministic for a given list.
pub fn word_profiles(list: &[(String, f64)], min_freq: f64) -> Vec<(String, u8)> {
    use std::collections::{BTreeMap, HashMap};
    let mut forms: HashMap<String, f64> = HashMap::new();
    for (w, f) in list {
        let n = naba_extractor::normalize::key(w);
        if n.is_empty() || n.contains(' ') {
            continue;
        }
        *forms.entry(n).or_default() += f;
    }
    let mut total: BTreeMap<String, f64> = BTreeMap::new();
    for (n, f) in &forms {
        *total.entry(tagger::cluster_key(n).to_owned()).or_default() += f;
    }
    let get = |s: &str| forms.get(s).copied().unwrap_or(0.0);
    let mut out = Vec::new();
    for (k, t) in total {
        if t < min_freq || k.chars().count() < 2 {
            continue;
        }
        let zipf = t.log10() + 9.0;
        let band = (zipf - 1.0).floor().clamp(1.0, 5.0) as u8;
        let (bare, def) = (get(&k), get(&format!("ال{k}")));
        let article = if bare + def <= 0.0 {
            0
        } else {
            match def / (bare + def) {
                r if r < 0.02 => 1,
                r if r < 0.3 => 2,
                r if r < 0.8 => 3,
                _ => 4,
            }
        };
        // A feminine ه (ة) takes its suffixes as ت: مدرسه, مدرستها.
        let base = match k.strip_suffix('ه') {
            Some(b) => format!("{b}ت"),
            None => k.clone(),
        };
        let suffixed: f64 = ["ها", "هم", "هما", "كم", "نا", "هن"]
            .iter()
            .map(|s| get(&format!("{base}{s}")))
            .sum();
        let suffix = match suffixed / (bare + suffixed).max(f64::MIN_POSITIVE) {
            r if r <= 0.0 => 1,
            r if r < 0.02 => 2,
            _ => 3,
        };
        out.push((k, Profile::new(band, article, suffix).code()));
    }
    out
}
