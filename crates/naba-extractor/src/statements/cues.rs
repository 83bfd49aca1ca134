//! The reporting lexicon: verbs, participles and nouns that attribute speech.
//!
//! Arabic verbs are listed once, as a perfect stem, an imperfect stem and a
//! participle stem; every person, gender and number is generated from them by
//! the regular suffix and prefix patterns, so that قال yields قالت، قالوا،
//! يقول، تقولون... without listing them. English verbs are generated the same
//! way from their lemma (plus the irregular past where there is one).

use crate::fxhash::FxHashMap;
use crate::normalize::key;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A finite verb: its subject is the speaker (قال، أكدت، said).
    Verb,
    /// A participle or gerund continuing the previous speaker (مضيفا، adding).
    Participle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    pub kind: CueKind,
    /// Strong cues (say, قال) take a bare clause; weak ones (believe, رأى)
    /// count only before a complementizer, a quotation or a colon.
    pub strong: bool,
}

/// (perfect 3ms, imperfect stem without the person prefix, participle stem or "",
/// strong). Defective verbs (دعا، نفى) give their perfect forms explicitly in
/// [`AR_DEFECTIVE`].
const AR_VERBS: &[(&str, &str, &str, bool)] = &[
    ("قال", "قول", "قائل", true),
    ("أكد", "ؤكد", "مؤكد", true),
    ("أضاف", "ضيف", "مضيف", true),
    ("أوضح", "وضح", "موضح", true),
    ("أشار", "شير", "مشير", true),
    ("أعلن", "علن", "معلن", true),
    ("ذكر", "ذكر", "", true),
    ("صرح", "صرح", "مصرح", true),
    ("شدد", "شدد", "مشدد", true),
    ("طالب", "طالب", "مطالب", false),
    ("اعتبر", "عتبر", "معتبر", true),
    ("تابع", "تابع", "", true),
    ("لفت", "لفت", "لافت", true),
    ("كشف", "كشف", "كاشف", true),
    ("حذر", "حذر", "محذر", true),
    ("وصف", "صف", "واصف", false),
    ("أفاد", "فيد", "", true),
    ("بين", "بين", "مبين", true),
    ("زعم", "زعم", "زاعم", true),
    ("نقل", "نقل", "ناقل", false),
    ("أبلغ", "بلغ", "", true),
    ("كتب", "كتب", "", false),
    ("أردف", "ردف", "مردف", true),
    ("أقر", "قر", "", true),
    ("اعترف", "عترف", "معترف", true),
    ("أعرب", "عرب", "معرب", false),
    ("أشاد", "شيد", "مشيد", false),
    ("نوه", "نوه", "منوه", true),
    ("اتهم", "تهم", "", false),
    ("أفصح", "فصح", "", true),
    ("استطرد", "ستطرد", "مستطرد", true),
    ("شرح", "شرح", "شارح", false),
    ("تساءل", "تساءل", "متسائل", false),
    ("أورد", "ورد", "", false),
    ("أعتبر", "عتبر", "", true),
    ("ختم", "ختم", "", false),
    ("أبدى", "بدي", "", false),
    ("توقع", "توقع", "", false),
    ("حث", "حث", "", false),
    ("ناشد", "ناشد", "مناشد", false),
    ("أجاب", "جيب", "مجيب", false),
    ("رد", "رد", "", false),
];

/// Defective verbs: (perfect forms, imperfect stem, participle stem, strong).
const AR_DEFECTIVE: &[(&[&str], &str, &str, bool)] = &[
    (&["دعا", "دعت", "دعوا", "دعتا"], "دعو", "داعي", true),
    (&["نفى", "نفت", "نفوا", "نفتا"], "نفي", "نافي", true),
    (&["رأى", "رأت", "رأوا", "رأتا"], "رى", "", false),
    (&["ادعى", "ادعت", "ادعوا"], "دعي", "مدعي", true),
];

/// Participles that are nouns or adjectives more often than cues are left out
/// above (متابعة is a byline word, مقر a headquarters).
const AR_PERFECT_SUFFIXES: &[&str] = &["", "ت", "وا", "ا", "تا", "ن", "نا"];
const AR_IMPERFECT_PREFIXES: &[&str] = &["ي", "ت", "ن", "أ"];
const AR_IMPERFECT_SUFFIXES: &[&str] = &["", "ون", "ان", "ين", "ن"];
const AR_PARTICIPLE_SUFFIXES: &[&str] = &["ا", "ة", "ين", "ون", "ات", "تين"];

/// Forms that are more often another word: بين (between), رد (a reply) are
/// still cues when inflected (بينت، ردت).
const AR_AMBIGUOUS_BARE: &[&str] = &["بين", "رد", "كتب", "حث", "ذكر"];

/// English reporting verbs: (lemma, irregular past or "", strong).
const EN_VERBS: &[(&str, &str, bool)] = &[
    ("say", "said", true),
    ("tell", "told", true),
    ("add", "", true),
    ("note", "", true),
    ("write", "wrote", true),
    ("argue", "", true),
    ("warn", "", true),
    ("claim", "", true),
    ("announce", "", true),
    ("report", "", true),
    ("acknowledge", "", true),
    ("insist", "", true),
    ("explain", "", true),
    ("stress", "", true),
    ("suggest", "", true),
    ("state", "", true),
    ("declare", "", true),
    ("assert", "", true),
    ("contend", "", true),
    ("maintain", "", false),
    ("predict", "", true),
    ("admit", "", true),
    ("confirm", "", true),
    ("reveal", "", true),
    ("recall", "", true),
    ("emphasize", "", true),
    ("emphasise", "", true),
    ("observe", "", true),
    ("respond", "", false),
    ("reply", "", false),
    ("tweet", "", true),
    ("testify", "", true),
    ("complain", "", true),
    ("concede", "", true),
    ("allege", "", true),
    ("estimate", "", false),
    ("indicate", "", false),
    ("mention", "", false),
    ("promise", "", false),
    ("vow", "", true),
    ("pledge", "", true),
    ("agree", "", false),
    ("conclude", "", false),
    ("caution", "", true),
    ("charge", "", false),
    ("believe", "", false),
    ("think", "thought", false),
    ("continue", "", false),
    ("deny", "", false),
    ("ask", "", true),
    ("announce", "", true),
    ("boast", "", false),
    ("counter", "", false),
    ("remark", "", true),
    ("scoff", "", false),
    ("quip", "", true),
    ("joke", "", false),
    ("predict", "", true),
    ("find", "found", true),
    ("show", "", true),
    ("feel", "felt", false),
    ("know", "knew", false),
    ("hope", "", false),
    // Verbs whose object is what was said or claimed: "called the charges
    // fabricated", "called for calm", "cited the remarks as ...".
    ("call", "", true),
    ("cite", "", true),
    ("attack", "", true),
    ("describe", "", true),
    ("question", "", true),
    ("criticize", "", true),
    ("criticise", "", true),
    ("blast", "", true),
    ("reject", "", true),
    ("praise", "", true),
    ("condemn", "", true),
    ("urge", "", true),
    ("echo", "", true),
    ("endorse", "", true),
    ("accuse", "", true),
    ("demand", "", true),
];

/// Third-person forms that are plural nouns far more often than verbs
/// ("one of the states suing", "the calls").
const EN_NOUN_PLURALS: &[&str] = &[
    "states",
    "reports",
    "calls",
    "questions",
    "attacks",
    "demands",
    "charges",
    "counters",
    "jokes",
    "remarks",
    "promises",
    "pledges",
    "tweets",
];

#[derive(Default)]
pub struct CueLexicon {
    map: FxHashMap<String, Cue>,
    /// Arabic cue forms with their first letter dropped (a common typo:
    /// علن for أعلن), trusted only before a complementizer.
    clipped: FxHashMap<String, Cue>,
}

impl CueLexicon {
    fn insert(&mut self, form: &str, cue: Cue) {
        let k = key(form);
        let clip: String = k.chars().skip(1).collect();
        if !k.is_empty() {
            self.map.entry(k).or_insert(cue);
        }
        if clip.chars().count() >= 3 {
            self.clipped.entry(clip).or_insert(cue);
        }
    }

    /// The cue a normalised word is, if any (proclitic و/ف removed for Arabic).
    pub fn get(&self, norm: &str) -> Option<Cue> {
        if let Some(c) = self.map.get(norm) {
            return Some(*c);
        }
        let rest = norm.strip_prefix('و').or_else(|| norm.strip_prefix('ف'))?;
        self.map.get(rest).copied()
    }

    /// The word is a cue as it stands, with no proclitic removed.
    pub fn has_exact(&self, norm: &str) -> bool {
        self.map.contains_key(norm)
    }

    /// Like [`Self::get`], for a form missing its first letter.
    pub fn get_clipped(&self, norm: &str) -> Option<Cue> {
        if self.map.contains_key(norm) {
            return None;
        }
        self.clipped.get(norm).copied()
    }
}

fn verb(strong: bool) -> Cue {
    Cue {
        kind: CueKind::Verb,
        strong,
    }
}

fn participle(strong: bool) -> Cue {
    Cue {
        kind: CueKind::Participle,
        strong,
    }
}

fn build() -> CueLexicon {
    let mut lx = CueLexicon::default();
    let add_imperfect = |lx: &mut CueLexicon, stem: &str, strong: bool| {
        for p in AR_IMPERFECT_PREFIXES {
            for s in AR_IMPERFECT_SUFFIXES {
                lx.insert(&format!("{p}{stem}{s}"), verb(strong));
            }
        }
    };
    for &(perf, imp, part, strong) in AR_VERBS {
        for s in AR_PERFECT_SUFFIXES {
            if s.is_empty() && AR_AMBIGUOUS_BARE.contains(&perf) {
                continue;
            }
            lx.insert(&format!("{perf}{s}"), verb(strong));
        }
        add_imperfect(&mut lx, imp, strong);
        if !part.is_empty() {
            for s in AR_PARTICIPLE_SUFFIXES {
                lx.insert(&format!("{part}{s}"), participle(strong));
            }
        }
    }
    for &(forms, imp, part, strong) in AR_DEFECTIVE {
        for f in forms {
            lx.insert(f, verb(strong));
        }
        add_imperfect(&mut lx, imp, strong);
        if !part.is_empty() {
            for s in ["", "ا", "ة", "ين"] {
                lx.insert(&format!("{part}{s}"), participle(strong));
            }
        }
    }
    for &(lemma, past, strong) in EN_VERBS {
        let (s, ed, ing) = english_forms(lemma);
        lx.insert(lemma, verb(strong));
        if !EN_NOUN_PLURALS.contains(&s.as_str()) {
            lx.insert(&s, verb(strong));
        }
        lx.insert(if past.is_empty() { &ed } else { past }, verb(strong));
        lx.insert(&ing, participle(strong));
    }
    lx
}

/// Regular English inflections: (3rd person -s, past -ed, gerund -ing).
fn english_forms(lemma: &str) -> (String, String, String) {
    let stem = lemma.strip_suffix('e');
    let s = if lemma.ends_with("ss") || lemma.ends_with("sh") || lemma.ends_with('x') {
        format!("{lemma}es")
    } else if let Some(b) = lemma
        .strip_suffix('y')
        .filter(|b| !b.ends_with(['a', 'e', 'o']))
    {
        format!("{b}ies")
    } else {
        format!("{lemma}s")
    };
    let ed = if lemma.ends_with('e') {
        format!("{lemma}d")
    } else if let Some(b) = lemma
        .strip_suffix('y')
        .filter(|b| !b.ends_with(['a', 'e', 'o']))
    {
        format!("{b}ied")
    } else {
        format!("{lemma}ed")
    };
    let ing = match stem {
        Some(b) if !lemma.ends_with("ee") => format!("{b}ing"),
        _ => format!("{lemma}ing"),
    };
    (s, ed, ing)
}

static LEXICON: OnceLock<CueLexicon> = OnceLock::new();

pub fn lexicon() -> &'static CueLexicon {
    LEXICON.get_or_init(build)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(w: &str) -> Option<CueKind> {
        lexicon().get(&key(w)).map(|c| c.kind)
    }

    #[test]
    fn arabic_verbs_are_generated_in_every_person_and_gender() {
        for w in [
            "قال",
            "قالت",
            "قالوا",
            "يقول",
            "تقول",
            "يقولون",
            "وقال",
            "فقالت",
            "أكدت",
            "يؤكد",
            "وأضافت",
            "أوضحوا",
            "تشير",
            "دعت",
            "ودعا",
            "نفوا",
            "ينفي",
            "بينت",
        ] {
            assert_eq!(cue(w), Some(CueKind::Verb), "{w}");
        }
    }

    #[test]
    fn arabic_participles_continue_a_speaker() {
        for w in ["مضيفا", "مضيفاً", "مشيرة", "موضحا", "قائلا", "مؤكدين", "لافتا"]
        {
            assert_eq!(cue(w), Some(CueKind::Participle), "{w}");
        }
    }

    #[test]
    fn ambiguous_bare_forms_and_bylines_are_not_cues() {
        for w in ["بين", "متابعة", "وزير", "قول"] {
            assert_eq!(cue(w), None, "{w}");
        }
    }

    #[test]
    fn english_verbs_are_inflected() {
        for w in [
            "say",
            "says",
            "said",
            "told",
            "tells",
            "added",
            "notes",
            "wrote",
            "argued",
            "warns",
            "claimed",
            "believes",
            "thinks",
            "insisted",
            "testified",
            "stressed",
        ] {
            assert_eq!(cue(w), Some(CueKind::Verb), "{w}");
        }
        assert_eq!(cue("saying"), Some(CueKind::Participle));
        assert_eq!(cue("adding"), Some(CueKind::Participle));
    }

    #[test]
    fn a_dropped_first_letter_is_recognised_only_as_a_clipped_form() {
        let k = key("علن");
        assert!(lexicon().get(&k).is_none());
        assert!(lexicon().get_clipped(&k).is_some());
    }
}
