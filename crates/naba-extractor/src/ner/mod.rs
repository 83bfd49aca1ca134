//! Named-entity mentions: PER, ORG, LOC.
//!
//! Arabic: the trained tagger ([`tagger`], weights in `data/model/ar-ner.bin`)
//! proposes BIO runs over tokens; gazetteer and organisation-head rules add
//! what it missed; then each run becomes a [`Mention`] whose span leaves out
//! separable proclitics (و ف ب ل ك) and leading titles. English goes to
//! [`english`].

pub mod clitics;
pub mod coref;
pub mod doclayer;
pub mod english;
pub mod gazetteer;
pub mod tagger;

use crate::fxhash::{FxHashMap as HashMap, FxHashSet as HashSet};
use crate::text::Analysis;
use crate::tokenize::{Token, TokenKind};
use crate::LoadError;
use clitics::StemSet;
use doclayer::DocView;
use gazetteer::Gazetteer;
use naba_model::{EntityType, Field};
use tagger::{Model, O};

/// The B-MISC tag: MISC and above are never reported.
const MISC: u8 = 7;

/// One mention of an entity, in one field of the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Original code-point range (proclitics excluded).
    pub start: usize,
    pub end: usize,
    pub field: Field,
    pub kind: EntityType,
    /// Normalised form, used to group mentions and look names up.
    pub key: String,
}

/// The committed Arabic model (see `data/model/README.md`).
const MODEL: &[u8] = include_bytes!("../../../../data/model/ar-ner.bin");

/// The NER models and lexicons, loaded once.
pub struct Ner {
    model: Model,
    gaz: Gazetteer,
    /// The heads the organisation rule trusts (a narrower list than the lexicon's).
    org_heads: StemSet,
    facility_heads: StemSet,
    division_heads: StemSet,
    descriptor_heads: StemSet,
    role_nouns: StemSet,
    team_nouns: StemSet,
    /// Multi-word titles (normalised words), left out of person names.
    title_phrases: Vec<Vec<String>>,
}

/// Words that end a run of genitive words after an organisation head.
const STOP: &[&str] = &[
    "في",
    "من",
    "الى",
    "على",
    "عن",
    "مع",
    "ان",
    "الذي",
    "التي",
    "الذين",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "او",
    "ثم",
    "قد",
    "لا",
    "لم",
    "لن",
    "ما",
    "بعد",
    "قبل",
    "خلال",
    "منذ",
    "حول",
    "عند",
    "كان",
    "كانت",
    "قال",
    "اليوم",
    "امس",
    "الان",
    "ايضا",
    // A genitive that makes the head the generic body of whatever it
    // belongs to: مجلس الإدارة, مجلس الأمناء (a company's board).
    "الاداره",
    "الامناء",
    // Adjectives of relation and time qualify the phrase, not the name
    // (مجلس الأمن التابع للأمم المتحدة, مجلس الوزراء الجديد).
    "التابع",
    "التابعه",
    "الجديد",
    "الجديده",
    "الحالي",
    "الحاليه",
    "السابق",
    "السابقه",
    "المقبل",
    "المقبله",
    "الماضي",
    "الماضيه",
    "الاسبوعي",
    "الاسبوعيه",
    "السنوي",
    "السنويه",
];

/// Heads of movements and armed groups, which are often named after a
/// person: once the article names حركة نور الدين الزنكي, the bare نور الدين
/// الزنكي elsewhere in it is the movement too (مؤسسة or جامعة + a person's
/// name are left alone: the person is often named in the same article).
const MOVEMENT_HEADS: &[&str] = &[
    "حركه",
    "جيش",
    "تنظيم",
    "جماعه",
    "حزب",
    "جبهه",
    "كتايب",
    "الويه",
    "سرايا",
];

fn movements_named_after_people(out: &mut [Mention]) {
    let named: HashSet<String> = out
        .iter()
        .filter(|m| m.kind == EntityType::Organisation)
        .filter_map(|m| {
            let (head, rest) = m.key.split_once(' ')?;
            MOVEMENT_HEADS.contains(&head).then(|| rest.to_owned())
        })
        .collect();
    if named.is_empty() {
        return;
    }
    for m in out.iter_mut() {
        if m.kind == EntityType::Person && named.contains(&m.key) {
            m.kind = EntityType::Organisation;
        }
    }
}

/// A nisba adjective with the article (الإسلامي, المركزي, العسكرية).
fn is_nisba(w: &str) -> bool {
    w.starts_with("ال") && w.chars().count() >= 5 && (w.ends_with('ي') || w.ends_with("يه"))
}

/// Words that describe an outlet or a team before its name (صحيفة الحياة,
/// قناة المحور, فريق الغرافة): the name is the organisation, the word
/// stays out of it, as in both annotations.
const DESCRIPTOR_HEADS: &[&str] = &["صحيفة", "جريدة", "مجلة", "قناة", "فريق"];

/// Role nouns that stand before a person's name (الحارس هيلتون, الفنانة
/// مها أحمد): a name-like word after one is the person.
const ROLE_NOUNS: &[&str] = &[
    "اللاعب",
    "اللاعبة",
    "الحارس",
    "المدافع",
    "المهاجم",
    "المدرب",
    "الفنان",
    "الفنانة",
    "المطرب",
    "المطربة",
    "الممثل",
    "الممثلة",
    "المخرج",
    "الشاعر",
    "الشاعرة",
    "الروائي",
    "المذيع",
    "المذيعة",
    "المواطن",
    "المواطنة",
    "الطبيب",
    "الباحث",
    "الصحافي",
    "الصحفي",
];

/// Nouns of time, without the article (normalised: فتره).
const TIME_NOUNS: &[&str] = &[
    "فتره",
    "مده",
    "عام",
    "سنه",
    "سنوات",
    "اعوام",
    "يوم",
    "ايام",
    "شهر",
    "اشهر",
    "اسبوع",
    "موسم",
];

/// Nouns of a team's people and play (لاعب, حارس, جماهير, مرمى, فوز).
/// Without the article and followed by a definite nisba word, such a noun
/// is in construct with a club's name (لاعب العربي, جماهير الأهلي): an
/// adjective would agree with it and be indefinite (لاعب عربي).
const TEAM_NOUNS: &[&str] = &[
    "لاعب",
    "لاعبو",
    "لاعبي",
    "حارس",
    "حارسا",
    "مدرب",
    "مهاجم",
    "مهاجمو",
    "مدافع",
    "مدافعو",
    "جماهير",
    "جمهور",
    "مشجعي",
    "مرمى",
    "شباك",
    "هدف",
    "هدفي",
    "أهداف",
    "فوز",
    "خسارة",
    "تعادل",
    "مباراة",
    "مباراتي",
    "صفوف",
    "نادي",
    "فريق",
];

/// Nisba words that name a national team after a team noun (لاعبي
/// الأولمبي): national teams are not annotated, clubs are.
const NATIONAL_TEAMS: &[&str] = &["الاولمبي", "الوطني", "الدولي"];

/// Heads of facility names, which are places.
const FACILITY_HEADS: &[&str] = &[
    "مطار",
    "ميناء",
    "منفذ",
    "مستشفى",
    "مسجد",
    "جامع",
    "ملعب",
    "استاد",
    "قصر",
    "قاعدة",
    "فندق",
    "سجن",
    "معبر",
];

/// Administrative divisions and settlements: the word or quoted words
/// after one name a place (بمحافظة «الحديدة», مديرية حيس), the head itself
/// staying out of the name as in both annotations.
const DIVISION_HEADS: &[&str] = &[
    "محافظة",
    "مديرية",
    "ولاية",
    "إقليم",
    "مقاطعة",
    "مدينة",
    "بلدة",
    "قرية",
    "ناحية",
    "قضاء",
    "منطقة",
    "مخيم",
    "حي",
    "شارع",
    // Duals, which name two places (بلدتي الباذان وطلوزة).
    "محافظتي",
    "ولايتي",
    "مدينتي",
    "بلدتي",
    "قريتي",
    "منطقتي",
    "مخيمي",
];

/// The end of the run that begins at `i`: the inside tags of its type that
/// follow it.
fn run_end(tags: &[u8], i: usize) -> usize {
    let inside = tags[i] + 1;
    tags[i + 1..]
        .iter()
        .position(|&t| t != inside)
        .map_or(tags.len(), |k| i + 1 + k)
}

/// A tag the rules may overwrite: O, or MISC, which is learnt but never
/// reported.
fn free(t: u8) -> bool {
    t == O || t >= MISC
}

/// `w` is one of `heads`, as written or after a separable proclitic
/// (بمحافظة, لمطار).
fn is_head(heads: &StemSet, w: &str) -> bool {
    heads.contains_through_proclitics(w)
}

/// Normalised, the name علي and the preposition على are one word. A writer
/// who spells the preposition with ى somewhere tells them apart, and then
/// علي written with ي is the name; many (ANERcorp's Egyptian sources among
/// them) write both with ي.
fn tells_ali_from_ala(text: &str) -> bool {
    // Found as a substring first: a test of every character's class would
    // cost as much as a tenth of the tagging.
    text.match_indices("على").any(|(k, w)| {
        let before = text[..k].chars().next_back();
        let after = text[k + w.len()..].chars().next();
        !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
    })
}

/// Weekdays and months end a genitive chain (مجلس الأمن الاثنين).
fn is_date_word(w: &str) -> bool {
    let lx = crate::lexicon::get();
    lx.weekdays.contains_key(w) || lx.months.contains_key(w) || lx.hijri_months.contains_key(w)
}

impl Ner {
    pub fn load() -> Result<Ner, LoadError> {
        Self::from_model_bytes(MODEL)
    }

    /// Loads a model other than the embedded one (training and tests).
    pub fn from_model_bytes(bytes: &[u8]) -> Result<Ner, LoadError> {
        let model = Model::from_bytes(bytes)?;
        let gaz = Gazetteer::new(&model.name_words, &model.common_words);
        let keys = |words: &[&str]| words.iter().map(|w| crate::normalize::key(w)).collect();
        let title_phrases = crate::lexicon::get()
            .titles
            .iter()
            .filter(|t| t.contains(' '))
            .map(|t| t.split(' ').map(str::to_owned).collect())
            .collect();
        Ok(Ner {
            model,
            gaz,
            org_heads: keys(gazetteer::ORG_HEADS),
            facility_heads: keys(FACILITY_HEADS),
            division_heads: keys(DIVISION_HEADS),
            descriptor_heads: keys(DESCRIPTOR_HEADS),
            role_nouns: keys(ROLE_NOUNS),
            team_nouns: keys(TEAM_NOUNS),
            title_phrases,
        })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// Every entity mention in `a`, in text order, non-overlapping.
    pub fn mentions(&self, a: &Analysis<'_>, field: Field) -> Vec<Mention> {
        match a.lang {
            crate::Lang::Arabic => self.arabic(a, field),
            _ => english::mentions(a, field),
        }
    }

    /// The tagger's BIO tags for every sentence of one text: the first pass,
    /// then, when the model has one, the second pass that looks at how the
    /// first tagged the same words elsewhere in the text.
    pub fn tag_text(&self, sents: &[&[Token]]) -> Vec<Vec<u8>> {
        let mut ems = Vec::with_capacity(sents.len());
        let mut first = Vec::with_capacity(sents.len());
        for toks in sents {
            let v = tagger::views(toks, &self.gaz);
            let em = self.model.emissions(&v);
            first.push(tagger::viterbi(&em, &self.model.trans));
            ems.push(em);
        }
        if !self.model.stacked {
            return first;
        }
        let docs = doclayer::doc_views(sents, &first);
        ems.iter()
            .zip(&docs)
            .zip(first)
            .map(|((em, d), first)| {
                if d.iter().any(DocView::informative) {
                    tagger::viterbi(&self.model.with_doc(em, d), &self.model.trans)
                } else {
                    first
                }
            })
            .collect()
    }

    fn arabic(&self, a: &Analysis<'_>, field: Field) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut words: Option<HashSet<&str>> = None;
        let sents: Vec<&[Token]> = a.sentences.iter().map(|s| &a.tokens[s.clone()]).collect();
        let mut tagged = self.tag_text(&sents);
        let names_ali = tells_ali_from_ala(a.text);
        for (toks, tags) in sents.iter().zip(tagged.iter_mut()) {
            let toks: &[Token] = toks;
            self.apply_rules(toks, tags);
            self.repair_runs(toks, tags);
            if names_ali {
                self.people_named_ali(a, toks, tags);
            }
            let mut i = 0;
            while i < tags.len() {
                let Some(kind) = tagger::tag_type(tags[i]).filter(|_| tagger::is_begin(tags[i]))
                else {
                    i += 1;
                    continue;
                };
                let j = run_end(tags, i);
                if let Some(m) = self.mention(a, toks, i, j, kind, field, &mut words) {
                    out.push(m);
                }
                i = j;
            }
        }
        if !out.is_empty() {
            self.repeat_names(a, field, &mut tagged, &mut out, &mut words);
            movements_named_after_people(&mut out);
        }
        out
    }

    /// A name found once is a name wherever the article repeats it: the
    /// tagger decides from a window of five words and misses some repeats.
    fn repeat_names<'a>(
        &self,
        a: &'a Analysis<'_>,
        field: Field,
        tagged: &mut [Vec<u8>],
        out: &mut Vec<Mention>,
        words: &mut Option<HashSet<&'a str>>,
    ) {
        let mut names: HashMap<String, Vec<(Vec<String>, EntityType)>> = HashMap::default();
        for m in out.iter() {
            let mut ws = m.key.split(' ');
            let Some(first) = ws.next() else { continue };
            let rest: Vec<String> = ws.map(str::to_owned).collect();
            if rest.is_empty()
                && (first.chars().count() < 3
                    || self.gaz.freq_class(first) == 2
                    || self.is_not_a_name(first))
            {
                continue;
            }
            let e = names.entry(first.to_owned()).or_default();
            if !e.iter().any(|(r, _)| *r == rest) {
                e.push((rest, m.kind));
            }
        }
        let before = out.len();
        let mut buf = String::new();
        for (s, tags) in a.sentences.iter().zip(tagged.iter_mut()) {
            let toks = &a.tokens[s.clone()];
            let mut i = 0;
            while i < toks.len() {
                if tags[i] != O || toks[i].kind != TokenKind::Word {
                    i += 1;
                    continue;
                }
                let w = toks[i].norm.as_str();
                let mut best: Option<(usize, EntityType)> = None;
                let firsts = std::iter::once((w, false))
                    .chain(clitics::readings(w).map(|r| (r.rest, r.fused)));
                for (f, fused) in firsts {
                    let f = if fused {
                        buf.clear();
                        buf.push('ا');
                        buf.push_str(&f['ل'.len_utf8()..]);
                        buf.as_str()
                    } else {
                        f
                    };
                    for (rest, kind) in names.get(f).into_iter().flatten() {
                        let len = rest.len() + 1;
                        let fits = i + len <= toks.len()
                            && tags[i..i + len].iter().all(|&t| t == O)
                            && rest.iter().zip(&toks[i + 1..]).all(|(r, t)| *r == t.norm);
                        if fits && best.is_none_or(|(l, _)| len > l) {
                            best = Some((len, *kind));
                        }
                    }
                }
                match best {
                    Some((len, kind)) => {
                        if let Some(m) = self.mention(a, toks, i, i + len, kind, field, words) {
                            out.push(m);
                        }
                        tags[i..i + len].fill(1);
                        i += len;
                    }
                    None => i += 1,
                }
            }
        }
        if out.len() > before {
            out.sort_by_key(|m| m.start);
        }
    }

    /// Organisation heads with their genitive (وزارة الخارجية, مجلس الأمن)
    /// where the tagger saw nothing: its training corpus often leaves the
    /// head out, the project's annotation keeps it in.
    fn apply_rules(&self, toks: &[Token], tags: &mut [u8]) {
        self.quoted_outlets(toks, tags);
        let mut i = 0;
        while i + 1 < toks.len() {
            let described = is_head(&self.descriptor_heads, &toks[i].norm);
            if !free(tags[i]) || !(described || self.is_org_head(&toks[i].norm)) {
                i += 1;
                continue;
            }
            // Where the name begins: at the head, or after a descriptor.
            let begin = i + usize::from(described);
            // A head before a name the tagger took for a person names the
            // organisation (حركة نور الدين الزنكي, جامعة الملك سعود), with
            // its nisba adjectives (مؤسسة ... الخيرية).
            if tags[i + 1] == 1 {
                let mut j = run_end(tags, i + 1);
                while j < toks.len()
                    && j - i < 8
                    && free(tags[j])
                    && is_nisba(&toks[j].norm)
                    && !self.gaz.is_title(&toks[j].norm)
                {
                    j += 1;
                }
                tags[begin] = 3;
                tags[begin + 1..j].fill(4);
                i = j;
                continue;
            }
            if !free(tags[i + 1]) {
                i += 1;
                continue;
            }
            // After an outlet's descriptor, a rare word that is no
            // adjective (صحيفة يومية) is the outlet's foreign name (صحيفة
            // تايمز, قناة فوكس).
            // Not after فريق: a team is described by adjectives (فريق خطير).
            if described && !toks[i].norm.ends_with("فريق") && self.is_foreign_name(&toks[i + 1])
            {
                let mut j = i + 2;
                while j < toks.len()
                    && j - i <= 3
                    && free(tags[j])
                    && self.is_foreign_name(&toks[j])
                {
                    j += 1;
                }
                tags[i + 1] = 3;
                tags[i + 2..j].fill(4);
                i = j;
                continue;
            }
            let mut j = i + 1;
            while j < toks.len() && j - i <= 4 && free(tags[j]) {
                let w = toks[j].norm.as_str();
                // A conjoined genitive after a genitive goes on with the
                // name (هيئة التحقيق والادعاء العام), unless it heads an
                // organisation of its own or is a function word (والتي).
                let conjoined = j > i + 1
                    && toks[j - 1].norm.starts_with("ال")
                    && w.strip_prefix('و').is_some_and(|r| {
                        r.strip_prefix("ال").is_some_and(|n| !self.is_org_head(n))
                            && !STOP.contains(&r)
                    });
                let genitive = toks[j].kind == TokenKind::Word
                    && (w.starts_with("ال") || conjoined)
                    && !STOP.contains(&w)
                    && !self.gaz.is_title(w)
                    && !is_date_word(w);
                if !genitive {
                    break;
                }
                j += 1;
            }
            if j > i + 1 {
                tags[begin] = 3;
                tags[begin + 1..j].fill(4);
            }
            i = j;
        }
    }

    /// Boundary repairs on the tagger's runs, from the grammar of names:
    /// a person's name goes on through a family name (ال...) or a
    /// patronymic (بن + name); a conjoined given name (ويحيى) starts a new
    /// person; an organisation's name goes on through its ل-complement and
    /// conjoined genitives (الهيئة العامة للسياحة والتراث الوطني).
    fn repair_runs(&self, toks: &[Token], tags: &mut [u8]) {
        self.facilities(toks, tags);
        self.divisions(toks, tags);
        self.clubs_named_after_places(toks, tags);
        self.clubs_after_team_nouns(toks, tags);
        self.banks(toks, tags);
        // A given name before a rare word with the article is a person with
        // a family name (نواف الزعاقي); given names that are also common
        // words in the training corpus are left alone (علي is the
        // preposition على once normalised, خادم a noun).
        for i in 0..toks.len().saturating_sub(1) {
            let (w, n) = (toks[i].norm.as_str(), toks[i + 1].norm.as_str());
            if free(tags[i])
                && free(tags[i + 1])
                && toks[i].kind == TokenKind::Word
                && toks[i + 1].kind == TokenKind::Word
                && self.is_given(w)
                && self.gaz.freq_class(w) == 0
                && !w.starts_with("ال")
                && !self.gaz.is_title(w)
                && self.title_phrase_at(toks, i, toks.len()) == 0
                && n.starts_with("ال")
                && n.chars().count() > 4
                && self.gaz.freq_class(n) == 0
                && self.gaz.lex_bits(n)
                    & !(tagger::LEX_FAMILY | tagger::LEX_GIVEN | tagger::LEX_PERSON)
                    == 0
                && !STOP.contains(&n)
                && !is_date_word(n)
            {
                tags[i] = 1;
                tags[i + 1] = 2;
            }
        }
        let mut i = 0;
        while i < toks.len() {
            if !tagger::is_begin(tags[i]) || tags[i] >= MISC {
                i += 1;
                continue;
            }
            let b = tags[i];
            let mut j = i + 1;
            while j < toks.len() && tags[j] == b + 1 {
                if b == 1 && j > i + 1 && self.starts_conjoined_person(&toks[j].norm) {
                    tags[j] = 1;
                    break;
                }
                j += 1;
            }
            if j < toks.len() && tags[j] == 1 && b == 1 {
                i = j;
                continue;
            }
            let word = |k: usize| toks.get(k).filter(|t| t.kind == TokenKind::Word);
            match b {
                1 => {
                    while let Some(t) = word(j).filter(|_| free(tags[j])) {
                        let w = t.norm.as_str();
                        if matches!(w, "بن" | "ابن" | "بنت") {
                            match word(j + 1) {
                                Some(n) if free(tags[j + 1]) && self.is_given(&n.norm) => {
                                    tags[j..j + 2].fill(2);
                                    j += 2;
                                    continue;
                                }
                                _ => break,
                            }
                        }
                        let bits = self.gaz.lex_bits(w);
                        if w.starts_with("ال")
                            && bits & tagger::LEX_FAMILY != 0
                            && bits & (tagger::LEX_NATIONALITY | tagger::LEX_TITLE) == 0
                        {
                            tags[j] = 2;
                            j += 1;
                            continue;
                        }
                        break;
                    }
                }
                3 => {
                    let start = j;
                    while j - start < 4 {
                        let Some(t) = word(j).filter(|_| free(tags[j])) else {
                            break;
                        };
                        let w = t.norm.as_str();
                        let link = (j == start && w.starts_with("لل"))
                            || (j > start && w.starts_with("وال"))
                            || (j > start
                                && w.starts_with("ال")
                                && toks[j - 1].norm.starts_with("وال"));
                        // A complement of time is the phrase's (للفترة, للعام).
                        let of_time = w
                            .strip_prefix("لل")
                            .is_some_and(|r| TIME_NOUNS.contains(&r));
                        if !link
                            || of_time
                            || STOP.contains(&w)
                            || is_date_word(w)
                            || self.gaz.is_title(w)
                        {
                            break;
                        }
                        j += 1;
                    }
                    // Only through a ل-complement: a bare ال or وال word
                    // after a name is as often the next phrase (measured on
                    // both dev sets).
                    if j > start && toks[start].norm.starts_with("لل") {
                        tags[start..j].fill(4);
                    } else {
                        j = start;
                    }
                }
                _ => {}
            }
            i = j.max(i + 1);
        }
        self.people_after_roles(toks, tags);
        self.trim_runs(toks, tags);
        // One person's name written straight after another's, with no
        // conjunction or punctuation between them, is one name the tagger
        // broke (مها | أحمد, عزت | أبو عوف): lists of people take و or a comma.
        for k in 1..toks.len() {
            if tags[k] == 1
                && matches!(tags[k - 1], 1 | 2)
                && toks[k].kind == TokenKind::Word
                && !toks[k].norm.starts_with('و')
            {
                tags[k] = 2;
            }
        }
    }

    /// Words at the edges of a run that no name has: a future verb before
    /// it (وسيترأس ميناوي), or making all of it (سيقاومون), and an
    /// indefinite accusative noun after a person's name (مها أحمد برنامجا),
    /// both told by their stem's use in general text. The tagger, deciding
    /// from a window of words, takes them in.
    fn trim_runs(&self, toks: &[Token], tags: &mut [u8]) {
        let mut i = 0;
        while i < toks.len() {
            if !tagger::is_begin(tags[i]) || tags[i] >= MISC {
                i += 1;
                continue;
            }
            let b = tags[i];
            let j = run_end(tags, i);
            if j == i + 1 && self.is_bare_description(toks, tags, i) {
                tags[i] = O;
                i = j;
                continue;
            }
            if self.is_future_verb(&toks[i].norm) {
                tags[i] = O;
                i += 1;
                if i < j {
                    tags[i] = b;
                }
            }
            // A place at the head of a person's run is a name of its own
            // (رئيسة لاتفيا فايرا فيكي; a dateline: الخرطوم - عبدالواحد لبيني).
            if b == 1 && j - i >= 3 && self.is_place_not_person(&toks[i].norm) {
                tags[i] = 5;
                i += 1;
                while i < j && toks[i].kind == TokenKind::Punct {
                    tags[i] = O;
                    i += 1;
                }
                if i < j {
                    tags[i] = 1;
                }
            }
            if b == 1 && j - i >= 2 && self.is_accusative_noun(&toks[j - 1].norm) {
                tags[j - 1] = O;
            }
            // Nor after a person's name: the verb the name is the subject of
            // (مناوي سيتولى). Not after other names: مانشستر سيتي.
            if b == 1 && j - i >= 2 && self.is_future_verb(&toks[j - 1].norm) {
                tags[j - 1] = O;
            }
            // A conjoined known place inside an organisation's or a place's
            // run starts a second name (أرسنال وموناكو): a name's own
            // conjuncts carry the article (حركة العدل والمساواة).
            if b != 1 {
                for k in i + 1..j {
                    let known = toks[k].norm.strip_prefix('و').is_some_and(|r| {
                        !r.starts_with("ال")
                            && r.chars().count() >= 3
                            && self.gaz.lex_bits(r) & tagger::LEX_LOC != 0
                    });
                    if known {
                        tags[k] = b;
                    }
                }
            }
            i = j;
        }
    }

    /// A one-word run that is no name: an organisation's head or
    /// descriptor alone (نادي before the club's name), or a nisba adjective
    /// after the definite noun it qualifies (النادي الكاتالوني). Family names
    /// look like nisbas (الغزالي) and follow titles: those stay.
    fn is_bare_description(&self, toks: &[Token], tags: &[u8], i: usize) -> bool {
        let w = toks[i].norm.as_str();
        if self.is_org_head(w) || is_head(&self.descriptor_heads, w) {
            return true;
        }
        let names = tagger::LEX_GIVEN | tagger::LEX_FAMILY | tagger::LEX_PERSON | tagger::LEX_LOC;
        let after_noun = i.checked_sub(1).is_some_and(|k| {
            let p = &toks[k];
            free(tags[k])
                && p.kind == TokenKind::Word
                && p.norm.starts_with("ال")
                && !self.gaz.is_title(&p.norm)
        });
        after_noun && is_nisba(w) && self.gaz.lex_bits(w) & names == 0 && !self.gaz.is_name_word(w)
    }

    /// س before an imperfect (ستبعد, وسيتولى) whose imperfect is a common
    /// word never written with the article, and not a known name (سيرغي:
    /// يرغي is a verb too).
    fn is_future_verb(&self, w: &str) -> bool {
        let bare = w
            .strip_prefix(['و', 'ف'])
            .filter(|r| r.starts_with('س'))
            .unwrap_or(w);
        let Some(rest) = bare.strip_prefix('س') else {
            return false;
        };
        if !rest.starts_with(['ي', 'ت', 'ن']) || rest.chars().count() < 4 {
            return false;
        }
        let p = self.gaz.profile(rest);
        let names = tagger::LEX_GIVEN | tagger::LEX_FAMILY | tagger::LEX_PERSON;
        p.is_known()
            && p.article() <= 1
            && self.gaz.lex_bits(w) & names == 0
            && !self.gaz.is_name_word(w)
    }

    /// A word in the indefinite accusative (برنامجا): its stem without the
    /// ا is a common noun, mostly written with the article.
    fn is_accusative_noun(&self, w: &str) -> bool {
        w.strip_suffix('ا')
            .is_some_and(|stem| stem.chars().count() >= 3 && self.gaz.profile(stem).article() >= 3)
    }

    /// The length of the multi-word title (آية الله, خادم الحرمين الشريفين)
    /// at token `i` of the run `..j`, or 0.
    fn title_phrase_at(&self, toks: &[Token], i: usize, j: usize) -> usize {
        self.title_phrases
            .iter()
            .filter(|p| i + p.len() <= j && p.iter().zip(&toks[i..]).all(|(w, t)| *w == t.norm))
            .map(Vec::len)
            .max()
            .unwrap_or(0)
    }

    /// The word after an administrative head names the place: a known
    /// place, or a word the training text does not know that is not an
    /// adjective or a function word (بلدة الباذان, مخيم بلاطة).
    fn place_after_head(&self, w: &str) -> bool {
        let bits = self.gaz.lex_bits(w);
        bits & tagger::LEX_LOC != 0
            || (self.gaz.freq_class(w) == 0
                && self.gaz.profile(tagger::cluster_key(w)).article() <= 2
                && w.chars().count() >= 3
                && !is_nisba(w)
                && !STOP.contains(&w)
                && !is_date_word(w)
                && bits & (tagger::LEX_TITLE | tagger::LEX_NATIONALITY | tagger::LEX_ORG_HEAD) == 0)
    }

    /// A role noun (`ROLE_NOUNS`, proclitics allowed) before words that
    /// read as a name: unseen in training, in no lexicon but of names, and
    /// seldom with the article or a suffix in general text.
    fn people_after_roles(&self, toks: &[Token], tags: &mut [u8]) {
        for i in 0..toks.len().saturating_sub(1) {
            // Every role noun has the article: the cheap test first.
            let w = toks[i].norm.as_str();
            if !free(tags[i])
                || !free(tags[i + 1])
                || !w.contains("ال")
                || !is_head(&self.role_nouns, w)
            {
                continue;
            }
            let mut j = i + 1;
            while j < toks.len() && j - i <= 3 && free(tags[j]) && self.reads_as_name(&toks[j]) {
                j += 1;
            }
            if j > i + 1 {
                tags[i + 1] = 1;
                tags[i + 2..j].fill(2);
            }
        }
    }

    /// A word rare in the training text (or a name it had a few times:
    /// تايمز), with no article and no adjective or accusative ending: how a
    /// transliterated foreign name looks.
    fn is_foreign_name(&self, t: &Token) -> bool {
        let w = t.norm.as_str();
        t.kind == TokenKind::Word
            && w.chars().count() >= 3
            && self.gaz.freq_class(w) <= 1
            && !w.starts_with("ال")
            && !w.ends_with('ي')
            && !w.ends_with("يه")
            && !w.ends_with('ا')
            && !STOP.contains(&w)
    }

    fn reads_as_name(&self, t: &Token) -> bool {
        let w = t.norm.as_str();
        let bits = self.gaz.lex_bits(w);
        let names = tagger::LEX_GIVEN | tagger::LEX_FAMILY | tagger::LEX_PERSON;
        let p = self.gaz.profile(tagger::cluster_key(w));
        t.kind == TokenKind::Word
            && w.chars().count() >= 3
            && !w.starts_with(['و', 'ف'])
            && !STOP.contains(&w)
            && !is_date_word(w)
            && bits & !names == 0
            && (bits & names != 0
                || (self.gaz.freq_class(w) == 0
                    && !w.starts_with("ال")
                    && (!p.is_known() || p.is_name_like())))
    }

    fn is_place_not_person(&self, w: &str) -> bool {
        self.gaz.longest_at(&[w], 0).is_some_and(|h| {
            h.len == 1 && h.types & gazetteer::LOC != 0 && h.types & gazetteer::PER == 0
        })
    }

    /// A news outlet or agency of the lexicon (عكاظ, واس) is named where it
    /// is set apart: in quotation marks («عكاظ»), between dashes, or alone
    /// at the end of a line (a dateline); elsewhere the words may be
    /// ordinary ones (الرياض, الوطن). Quoted on both sides, an outlet named
    /// after a place (« الشرق الأوسط ») is the outlet: places are not quoted.
    fn quoted_outlets(&self, toks: &[Token], tags: &mut [u8]) {
        let agencies = &crate::lexicon::get().agencies;
        let mark = |t: Option<&Token>| {
            t.is_some_and(|t| {
                t.kind == TokenKind::Punct
                    && matches!(
                        t.norm.as_str(),
                        "«" | "»" | "\"" | "“" | "”" | "-" | "–" | "—"
                    )
            })
        };
        // A descriptor before a quoted name (قناة " تي في 5 "): the whole
        // quotation is the outlet's or the team's name.
        for i in 0..toks.len().saturating_sub(3) {
            if !mark(toks.get(i + 1)) || !is_head(&self.descriptor_heads, &toks[i].norm) {
                continue;
            }
            let close = (i + 3..toks.len().min(i + 8)).find(|&k| mark(toks.get(k)));
            if let Some(close) = close {
                if toks[i + 2..close]
                    .iter()
                    .all(|t| t.kind != TokenKind::Punct)
                {
                    tags[i + 2] = 3;
                    tags[i + 3..close].fill(4);
                }
            }
        }
        let mut name = String::new();
        let mut i = 0;
        while i < toks.len() {
            let prev = i.checked_sub(1).and_then(|k| toks.get(k));
            // The longest outlet name starting here: of up to four words
            // after a quotation mark, else of one (names of several words
            // are looked up only where a mark opens them: the lookup is
            // per token).
            let longest = if mark(prev) { 4 } else { 1 };
            let mut found = 0;
            name.clear();
            for (k, t) in toks[i..].iter().take(longest).enumerate() {
                if t.kind != TokenKind::Word {
                    break;
                }
                if k > 0 {
                    name.push(' ');
                }
                name.push_str(&t.norm);
                if agencies.contains_key(&name) {
                    found = k + 1;
                }
            }
            let j = i + found;
            // الفرنسية (AFP) is first the adjective.
            if found == 0
                || (found == 1 && self.gaz.lex_bits(&toks[i].norm) & tagger::LEX_NATIONALITY != 0)
            {
                i += 1;
                continue;
            }
            let next = toks.get(j);
            let all_free = tags[i..j].iter().all(|&t| free(t));
            let place = tags[i] == 5 && tags[i + 1..j].iter().all(|&t| t == 6);
            let line_end = next.is_none_or(|n| n.line_start);
            if (all_free && (mark(prev) || mark(next) || line_end))
                || (place && mark(prev) && mark(next) && tags.get(j).is_none_or(|&t| t != 6))
            {
                tags[i] = 3;
                tags[i + 1..j].fill(4);
            }
            i = j;
        }
    }

    /// Airports, ports, hospitals, mosques, stadiums, palaces and bases are
    /// places, named by the head and the name after it, with its nisba
    /// adjectives (ميناء جدة الإسلامي, مطار الملك عبدالعزيز, قصر نصيف).
    fn facilities(&self, toks: &[Token], tags: &mut [u8]) {
        let mut i = 0;
        while i + 1 < toks.len() {
            let head = free(tags[i]) && is_head(&self.facility_heads, &toks[i].norm);
            if !head {
                i += 1;
                continue;
            }
            let n = &toks[i + 1];
            let mut j = if tagger::is_begin(tags[i + 1]) && tags[i + 1] < MISC {
                run_end(tags, i + 1)
            } else if free(tags[i + 1])
                && n.kind == TokenKind::Word
                && self.gaz.freq_class(&n.norm) == 0
                && !STOP.contains(&n.norm.as_str())
                && n.norm.chars().count() >= 3
                // Not an indefinite adjective (مستشفى خاصا, قاعدة معرفية).
                && !n.norm.ends_with('ا')
                // Nor a complement after a preposition or a conjunction: a
                // facility's name is the head's genitive (قاعدة للأقلام).
                && !["لل", "بال", "وال", "فال", "كال"]
                    .iter()
                    .any(|p| n.norm.starts_with(p))
                && !n.norm.ends_with("يه")
            {
                i + 2
            } else {
                i += 1;
                continue;
            };
            while j < toks.len() && j - i < 7 && free(tags[j]) && is_nisba(&toks[j].norm) {
                j += 1;
            }
            tags[i] = 5;
            tags[i + 1..j].fill(6);
            i = j;
        }
    }

    /// The name after an administrative head is a place: quoted words
    /// whatever the tagger made of them (it often types a quoted word as
    /// an outlet), a run it typed as an organisation or MISC, or a known place.
    fn divisions(&self, toks: &[Token], tags: &mut [u8]) {
        let quote = |t: &Token| {
            t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "«" | "»" | "\"" | "“" | "”")
        };
        let mut i = 0;
        while i + 1 < toks.len() {
            let head = tags[i] == O && is_head(&self.division_heads, &toks[i].norm);
            if !head {
                i += 1;
                continue;
            }
            let name = if quote(&toks[i + 1]) {
                // Up to three words, then the closing mark.
                let s = i + 2;
                let e = (s..toks.len().min(s + 4)).find(|&k| toks[k].kind != TokenKind::Word);
                e.filter(|&e| e > s && quote(&toks[e])).map(|e| (s, e))
            } else if tagger::is_begin(tags[i + 1])
                && matches!(
                    tagger::tag_type(tags[i + 1]),
                    Some(EntityType::Organisation) | None
                )
            {
                Some((i + 1, run_end(tags, i + 1)))
            } else if tags[i + 1] == O
                && toks[i + 1].kind == TokenKind::Word
                && self.place_after_head(&toks[i + 1].norm)
            {
                Some((i + 1, i + 2))
            } else {
                None
            };
            match name {
                Some((s, mut e)) => {
                    tags[s] = 5;
                    tags[s + 1..e].fill(6);
                    // A dual head names a second place after و.
                    let dual = toks[i].norm.ends_with("تي") || toks[i].norm.ends_with("مي");
                    if dual && e < toks.len() && tags[e] == O {
                        let second = toks[e].kind == TokenKind::Word
                            && toks[e]
                                .norm
                                .strip_prefix('و')
                                .is_some_and(|r| self.place_after_head(r));
                        if second {
                            tags[e] = 5;
                            e += 1;
                        }
                    }
                    i = e;
                }
                None => i += 1,
            }
        }
    }

    /// و + a given name, the word itself not a known name (ويحيى, not وليد).
    /// A place name followed by a masculine nationality adjective with the
    /// article (ميلان الإيطالي, هامبورغ الألماني) is a club: a town or a
    /// country takes the feminine (ميلانو الإيطالية); the masculine agrees
    /// with the club (نادي) the name stands for. Facilities (ميناء مرسيليا
    /// الفرنسي) are tagged before this and keep their adjective.
    fn clubs_named_after_places(&self, toks: &[Token], tags: &mut [u8]) {
        let mut i = 0;
        while i < toks.len() {
            // A known place the tagger left out counts too (ليون الفرنسي);
            // the adjective after it, cheaper to check, is looked at first.
            let place = tags[i] == 5
                || (tags[i] == O
                    && toks[i].kind == TokenKind::Word
                    && toks
                        .get(i + 1)
                        .is_some_and(|n| n.norm.starts_with("ال") && n.norm.ends_with('ي'))
                    && self.gaz.lex_bits(&toks[i].norm) & tagger::LEX_LOC != 0);
            if !place {
                i += 1;
                continue;
            }
            let j = if tags[i] == 5 {
                run_end(tags, i)
            } else {
                i + 1
            };
            let club = toks.get(j).is_some_and(|t| {
                free(tags[j])
                    && t.kind == TokenKind::Word
                    && t.norm.starts_with("ال")
                    && t.norm.ends_with('ي')
                    && self.gaz.lex_bits(&t.norm) & tagger::LEX_NATIONALITY != 0
            });
            if club {
                tags[i] = 3;
                tags[i + 1..j].fill(4);
            }
            i = j;
        }
    }

    /// A definite nisba word after an indefinite [`TEAM_NOUNS`] noun is a
    /// club's name (حارس العربي, مرمى الأهلي).
    fn clubs_after_team_nouns(&self, toks: &[Token], tags: &mut [u8]) {
        // No article, nor one after a proclitic letter (ولاعب, not واللاعب).
        let indefinite = |w: &str| {
            let after_one = w.char_indices().nth(1).map_or("", |(k, _)| &w[k..]);
            !w.starts_with("ال") && !after_one.starts_with("ال")
        };
        for i in 1..toks.len() {
            let (p, w) = (&toks[i - 1].norm, &toks[i].norm);
            if tags[i] == O
                && toks[i].kind == TokenKind::Word
                && is_nisba(w)
                && !is_head(&self.team_nouns, &w["ال".len()..])
                && !self.is_org_head(w)
                && !NATIONAL_TEAMS.contains(&w.as_str())
                && free(tags[i - 1])
                && indefinite(p)
                && is_head(&self.team_nouns, p)
            {
                tags[i] = 3;
            }
        }
    }

    /// The bank with its nisba adjectives (البنك التجاري, المصرف الأهلي):
    /// a bank is named by what kind it is, and the article marks the one
    /// bank meant.
    fn banks(&self, toks: &[Token], tags: &mut [u8]) {
        for i in 0..toks.len().saturating_sub(1) {
            let w = toks[i].norm.as_str();
            let bank = ["البنك", "المصرف"]
                .iter()
                .any(|h| w.strip_suffix(h).is_some_and(|p| p.chars().count() <= 2))
                || matches!(w, "للبنك" | "للمصرف");
            if !bank || !free(tags[i]) {
                continue;
            }
            let mut j = i + 1;
            while j < toks.len() && j - i < 4 && free(tags[j]) && is_nisba(&toks[j].norm) {
                j += 1;
            }
            if j > i + 1 {
                tags[i] = 3;
                tags[i + 1..j].fill(4);
            }
        }
    }

    /// علي spelt with ي by a writer who spells the preposition على with ى
    /// begins the person's name after it (علي رضا ناطقي, علي الصادق).
    fn people_named_ali(&self, a: &Analysis<'_>, toks: &[Token], tags: &mut [u8]) {
        let names = tagger::LEX_GIVEN | tagger::LEX_FAMILY | tagger::LEX_PERSON;
        for i in 0..toks.len().saturating_sub(1) {
            let t = &toks[i];
            let Some(orig) = a.chars.get(t.start..t.end) else {
                continue;
            };
            let orig = orig.strip_prefix(&['و']).unwrap_or(orig);
            if !free(tags[i]) || orig != ['ع', 'ل', 'ي'] {
                continue;
            }
            // A person's name after it, or a name word the tagger left.
            let n = &toks[i + 1];
            let person = tags[i + 1] == 1
                || (free(tags[i + 1])
                    && n.kind == TokenKind::Word
                    && self.gaz.lex_bits(&n.norm) & names != 0
                    && !self.gaz.is_title(&n.norm)
                    && !STOP.contains(&n.norm.as_str()));
            if person {
                tags[i] = 1;
                tags[i + 1] = 2;
            }
        }
    }

    fn starts_conjoined_person(&self, w: &str) -> bool {
        !self.gaz.is_name_word(w)
            && w.strip_prefix('و')
                .is_some_and(|r| r.chars().count() >= 3 && self.is_given(r))
    }

    fn is_given(&self, w: &str) -> bool {
        self.gaz.lex_bits(w) & tagger::LEX_GIVEN != 0
    }

    fn is_org_head(&self, w: &str) -> bool {
        is_head(&self.org_heads, w)
    }

    /// Builds the mention of tokens `i..j`, leaving out titles and proclitics.
    #[allow(clippy::too_many_arguments)]
    fn mention<'a>(
        &self,
        a: &'a Analysis<'_>,
        toks: &[Token],
        mut i: usize,
        j: usize,
        kind: EntityType,
        field: Field,
        words: &mut Option<HashSet<&'a str>>,
    ) -> Option<Mention> {
        let start = i;
        // Titles are context, not part of the name.
        let mut kind = kind;
        if kind == EntityType::Person {
            loop {
                let phrase = self.title_phrase_at(toks, i, j);
                if phrase > 0 {
                    i += phrase;
                } else if j - i > 1 && self.gaz.is_title(&toks[i].norm) {
                    i += 1;
                } else {
                    break;
                }
            }
            if i >= j {
                return None;
            }
            // What is left after a title may be a place (أمير عسير).
            if i > start && j - i == 1 && self.is_place_not_person(&toks[i].norm) {
                kind = EntityType::Location;
            }
        }
        // Skip leading punctuation the tagger may have swept in.
        while i < j && toks[i].kind == TokenKind::Punct {
            i += 1;
        }
        if i >= j {
            return None;
        }
        let first = &toks[i];
        if j - i == 1 && self.is_not_a_name(&first.norm) {
            return None;
        }
        let (strip, fused) = self.proclitic(a, &first.norm, words);
        let mut key = String::with_capacity(32);
        if fused {
            key.push('ا');
            key.extend(first.norm.chars().skip(strip + 1));
        } else {
            key.extend(first.norm.chars().skip(strip));
        }
        for t in &toks[i + 1..j] {
            key.push(' ');
            key.push_str(&t.norm);
        }
        let start = a.norm.map[first.nstart + strip];
        let end = toks[j - 1].end;
        Some(Mention {
            start,
            end,
            field,
            kind,
            key,
        })
    }

    /// Titles, nationality adjectives and similar words are never a name alone.
    fn is_not_a_name(&self, w: &str) -> bool {
        let bits = self.gaz.lex_bits(w);
        bits & (tagger::LEX_TITLE | tagger::LEX_NATIONALITY | tagger::LEX_ORG_HEAD) != 0
            && !self.gaz.is_name_word(w)
    }

    /// How many leading characters of a name's first word are proclitics, and
    /// whether it begins with the fused لل. A letter is taken for a proclitic
    /// only when the word as written is not a known name and the rest is: in
    /// the name lists, after the article (والحزب), or elsewhere in the text
    /// on its own (ولافروف ... لافروف); and و before an unknown word.
    fn proclitic<'a>(
        &self,
        a: &'a Analysis<'_>,
        w: &str,
        words: &mut Option<HashSet<&'a str>>,
    ) -> (usize, bool) {
        if self.gaz.is_name_word(w) && !w.starts_with("لل") {
            return (0, false);
        }
        let mut buf = String::new();
        for r in clitics::readings(w) {
            let base = r.base(&mut buf);
            if r.fused
                || self.gaz.is_name_word(base)
                || self.facility_heads.contains(base)
                || self.org_heads.contains(base)
                || (r.strip > 0 && base.starts_with("ال"))
                || words
                    .get_or_insert_with(|| a.tokens.iter().map(|t| t.norm.as_str()).collect())
                    .contains(base)
            {
                return (r.strip, r.fused);
            }
        }
        // An unknown word after و: names that begin with و (وليد, واشنطن)
        // are in the lists; a new name after the conjunction is more likely
        // than a new name that begins with it.
        if w.strip_prefix('و').is_some_and(|r| r.chars().count() >= 3) {
            return (1, false);
        }
        (0, false)
    }
}

#[cfg(test)]
mod tests;
