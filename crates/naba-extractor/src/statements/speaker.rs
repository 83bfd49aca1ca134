//! Reading the phrase that names a speaker: where the name is, where the
//! title or affiliation is, or that there is no name (مسؤول أمني, officials).
//!
//! Arabic speaker phrases are [title] NAME [apposition] or a description
//! (مصدر قريب من ...). Without a tagger the name is told apart from its title
//! by the grammar of titles: a title head (وزير، رئيس، المتحدث) governs the
//! definite words after it (الخارجية الروسي), and the name starts at the first
//! indefinite word (سيرغي). English names are runs of capitalised words.

use super::{Field2, RawSpeaker};
use crate::fxhash::FxHashSet as HashSet;
use crate::lexicon;
use crate::normalize::key;
use std::sync::OnceLock;

/// Title heads and roles (normalised keys), beyond the shared title lexicon.
const AR_ROLES: &[&str] = &[
    "وزير",
    "الوزير",
    "وزيرة",
    "الوزيرة",
    "رئيس",
    "الرئيس",
    "رئيسة",
    "الرئيسة",
    "نائب",
    "النائب",
    "مندوب",
    "المندوب",
    "المتحدث",
    "متحدث",
    "المتحدثة",
    "متحدثة",
    "الناطق",
    "ناطق",
    "الناطقة",
    "عضو",
    "العضو",
    "مدير",
    "المدير",
    "مديرة",
    "المديرة",
    "أمين",
    "الأمين",
    "سفير",
    "السفير",
    "قائد",
    "القائد",
    "زعيم",
    "الزعيم",
    "أمير",
    "الأمير",
    "الملك",
    "الشيخ",
    "الدكتور",
    "الدكتورة",
    "د",
    "المهندس",
    "اللواء",
    "العميد",
    "العقيد",
    "الفريق",
    "العماد",
    "المستشار",
    "مستشار",
    "المرشد",
    "محافظ",
    "المحافظ",
    "السيناتور",
    "المبعوث",
    "مبعوث",
    "المفوض",
    "مفوض",
    "الأستاذ",
    "المحامي",
    "محامي",
    "الخبير",
    "خبير",
    "عميد",
    "عميدة",
    "المشرف",
    "مشرف",
    "المسؤول",
    "مسؤول",
    "مسؤولة",
    "المسؤولة",
    "قاضي",
    "القاضي",
    "ولي",
    "رئيسا",
    "الممثل",
    "ممثل",
    "ممثلة",
    "سكرتير",
    "السكرتير",
    "المدعي",
    "مساعد",
    "نقيب",
    "النقيب",
    "مفتي",
    "المفتي",
    "الإمام",
    "إمام",
    "البابا",
    "المطران",
    "الجنرال",
    "الأميرال",
    "وكيل",
    "الوكيل",
    "المحلل",
    "محلل",
    "الباحث",
    "باحث",
    "الكاتب",
    "كاتب",
    "الصحفي",
    "الصحافي",
    "مراسل",
    "المراسل",
    "المتهم",
    "الملحق",
    "رئيس",
];

/// Heads of descriptions that name nobody (kept as the speaker's name).
const AR_DESCRIPTIONS: &[&str] = &[
    "مسؤول",
    "مسؤولة",
    "مسؤولان",
    "مسؤولون",
    "مسؤولين",
    "مصدر",
    "مصادر",
    "مصدران",
    "شهود",
    "شاهد",
    "سكان",
    "خبراء",
    "خبير",
    "محللون",
    "محللين",
    "مراقبون",
    "ناشطون",
    "ناشطين",
    "تقارير",
    "تقرير",
    "وسائل",
    "مصادر",
    "دبلوماسي",
    "دبلوماسيون",
    "مسؤولو",
    "متحدث",
    "متحدثة",
    "بيان",
    "البيان",
    "التقرير",
    "المصدر",
    "المصادر",
    "أحد",
    "عدد",
    "مواطنون",
    "مواطن",
    "مقيم",
    "سيدات",
    "الحكومة",
    "الجيش",
    "الشرطة",
    "الوزارة",
    "السلطات",
    "مسؤولي",
    "أطباء",
    "طبيب",
    "قيادي",
    "قياديون",
    "نواب",
    "أعضاء",
    "عضو",
    "جدول",
    "المسؤول",
];

/// Words that end a speaker phrase: prepositions, time words, adverbs.
const AR_STOPS: &[&str] = &[
    "في",
    "من",
    "خلال",
    "على",
    "إلى",
    "عن",
    "مع",
    "أمام",
    "عبر",
    "حول",
    "عقب",
    "أثناء",
    "بعد",
    "قبل",
    "عند",
    "اليوم",
    "أمس",
    "الإثنين",
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
    "مساء",
    "صباح",
    "أيضا",
    "أيضًا",
    "كذلك",
    "الليلة",
    "أول",
    "صباحا",
    "مساءا",
    "ظهر",
    "لاحقا",
    "سابقا",
    "مؤخرا",
    "بدوره",
    "بدورها",
    "حينها",
    "حين",
    "عندما",
    "إذ",
    "ردا",
    "تعليقا",
    "لدى",
    "يوم",
    "الذي",
    "التي",
    "الذين",
    "إنه",
    "قد",
    "لقد",
    "كان",
    "كانت",
    "أنه",
    "أمس",
    "بينما",
    "فيما",
    "ضمن",
    "بحسب",
    "حسب",
    "وفق",
    "وفقا",
    "نقلا",
    "خاص",
    "فقط",
    "بوضوح",
    "كثيرا",
    "أكثر",
    "مجددا",
    "مرارا",
    "لوكالة",
    "لصحيفة",
    "لقناة",
    "لموقع",
    "بيان",
    "تصريح",
    "تصريحات",
    "كلمة",
    "مقابلة",
];

/// Prepositions that may continue an unnamed description (مصدر قريب من الاتحاد).
const AR_DESCRIPTION_LINKS: &[&str] = &["في", "من", "لدى", "عن", "داخل"];

struct Sets {
    roles: HashSet<String>,
    descriptions: HashSet<String>,
    stops: HashSet<String>,
    links: HashSet<String>,
}

/// Builds the word sets now rather than on the first article.
pub(super) fn warm_up() {
    sets();
}

fn sets() -> &'static Sets {
    static S: OnceLock<Sets> = OnceLock::new();
    S.get_or_init(|| {
        let k = |l: &[&str]| l.iter().map(|w| key(w)).collect::<HashSet<String>>();
        let mut roles = k(AR_ROLES);
        roles.extend(lexicon::get().titles.iter().cloned());
        Sets {
            roles,
            descriptions: k(AR_DESCRIPTIONS),
            stops: k(AR_STOPS),
            links: k(AR_DESCRIPTION_LINKS),
        }
    })
}

pub(crate) fn is_ar_role(w: &str) -> bool {
    sets().roles.contains(w)
}

pub(crate) fn is_ar_stop(w: &str) -> bool {
    sets().stops.contains(w)
}

/// Token `i` ends a speaker phrase. The name علي and the preposition على
/// share a normalised form: the original spelling decides.
fn is_stop_tok(f: &Field2<'_, '_>, i: usize) -> bool {
    let w = f.norm(i);
    if w == "علي" {
        let t = f.tok(i);
        return f.a.chars.get(t.end.saturating_sub(1)) == Some(&'ى');
    }
    sets().stops.contains(w)
}

/// An adverbial participle (موجها حديثه، متحدثا): a circumstance, not a name.
fn is_adverbial_participle(w: &str) -> bool {
    w.starts_with('م') && w.ends_with('ا') && w.chars().count() >= 5
}

fn definite(w: &str) -> bool {
    // ال، بال، لل، وال: the article, possibly behind a preposition.
    w.starts_with("ال") || w.starts_with("بال") || w.starts_with("لل") || w.starts_with("وال")
}

/// The number of leading tokens in `s..e` that an Arabic speaker phrase can
/// cover, and its reading.
pub(crate) fn arabic(f: &Field2<'_, '_>, s: usize, e: usize) -> Option<RawSpeaker> {
    let st = sets();
    let e = e.min(f.n());
    if s >= e {
        return None;
    }
    let w0 = f.norm(s);
    if f.is_punct(s) || is_stop_tok(f, s) {
        return None;
    }
    // "اعتبرت غير مقبولة": a passive verb before an adjective names nobody.
    if w0 == "غير" {
        return None;
    }
    // Pronoun-only subjects.
    if matches!(w0, "هو" | "هي" | "هم") {
        return Some(RawSpeaker::Pronoun(s, s + 1));
    }
    let description = st.descriptions.contains(w0) && !is_ar_role_with_name(f, s, e);
    let mut i = s;
    let mut last_role_end: Option<usize> = None;
    let mut name: Option<(usize, usize)> = None;
    let mut role_start: Option<usize> = None;
    while i < e && i < s + 12 {
        let w = f.norm(i);
        if f.is_punct(i) {
            break;
        }
        if is_stop_tok(f, i) || is_adverbial_participle(w) {
            if description && st.links.contains(w) && name.is_none() {
                i += 1;
                continue;
            }
            break;
        }
        if name.is_some() && (w.starts_with("لل") || super::arabic::agency_at(f, i).is_some()) {
            // لوكالة، للصحفيين: the addressee, not the speaker.
            break;
        }
        if description {
            i += 1;
            continue;
        }
        if is_ar_role(w) {
            if name.is_some() {
                // An apposition after the name: ياسر اليوسف عضو المكتب السياسي.
                let r = i;
                let mut k = i + 1;
                while k < e && !f.is_punct(k) && !st.stops.contains(f.norm(k)) && k < i + 6 {
                    k += 1;
                }
                return Some(RawSpeaker::Phrase {
                    all: (s, k),
                    name,
                    role: Some((r, k)),
                });
            }
            role_start.get_or_insert(i);
            last_role_end = Some(i + 1);
            i += 1;
            continue;
        }
        match name {
            Some((ns, _)) => {
                if i - ns >= 5 {
                    break;
                }
                name = Some((ns, i + 1));
            }
            None => {
                if role_start.is_some() && definite(w) {
                    // Part of the title: وزير الخارجية الروسي.
                    last_role_end = Some(i + 1);
                } else if role_start.is_some() && w.starts_with('ب') && name.is_none() {
                    last_role_end = Some(i + 1);
                } else {
                    name = Some((i, i + 1));
                }
                // المطوفة سعاد الحربي: definite words before an indefinite
                // one are a description of the person, not the name.
                if role_start.is_none()
                    && i > s
                    && !definite(w)
                    && !w.starts_with('ل')
                    && !w.starts_with('ب')
                    && (s..i).all(|k| definite(f.norm(k)))
                    && i - s <= 2
                {
                    role_start = Some(s);
                    last_role_end = Some(i);
                    name = Some((i, i + 1));
                }
            }
        }
        i += 1;
    }
    let end = i;
    if end == s {
        return None;
    }
    // رئيس الوزراء الإسرائيلي، بنيامين نتنياهو، ...: a name between commas after a title.
    if name.is_none() && role_start.is_some() && end < e && matches!(f.norm(end), ",") {
        let mut k = end + 1;
        while k < e && k < end + 5 && !f.is_punct(k) && !st.stops.contains(f.norm(k)) {
            k += 1;
        }
        if k > end + 1 && k < e && f.norm(k) == "," && !definite(f.norm(end + 1)) {
            return Some(RawSpeaker::Phrase {
                all: (s, k),
                name: Some((end + 1, k)),
                role: Some((s, end)),
            });
        }
    }
    let role = role_start.map(|r| (r, last_role_end.unwrap_or(r + 1)));
    if description {
        return Some(RawSpeaker::Phrase {
            all: (s, end),
            name: None,
            role: None,
        });
    }
    Some(RawSpeaker::Phrase {
        all: (s, end),
        name,
        role,
    })
}

/// A description head directly followed by a name-like word is a title
/// (المتحدث محمد ...), not a description.
fn is_ar_role_with_name(f: &Field2<'_, '_>, s: usize, e: usize) -> bool {
    is_ar_role(f.norm(s))
        && s + 1 < e
        && !definite(f.norm(s + 1))
        && !f.is_punct(s + 1)
        && {
            let w = f.norm(s + 1);
            !sets().stops.contains(w) && !sets().descriptions.contains(w) && !is_ar_role(w)
        }
        && !["مسؤول", "مصدر", "متحدث"]
            .iter()
            .any(|w| key(w) == f.norm(s))
}

/// English pronouns that can be a reporting verb's subject.
pub(crate) fn is_en_pronoun(w: &str) -> bool {
    matches!(
        w,
        "he" | "she" | "they" | "it" | "we" | "i" | "you" | "who" | "which"
    )
}

const EN_DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my",
    "another", "one", "some", "two", "three", "several", "many", "other", "both", "most",
];

/// English titles that precede a name and are not part of it.
const EN_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "president",
    "senator",
    "secretary",
    "minister",
    "prime",
    "governor",
    "representative",
    "judge",
    "justice",
    "chairman",
    "director",
    "attorney",
    "general",
    "vice",
    "speaker",
    "leader",
    "ambassador",
    "chancellor",
    "mayor",
    "candidate",
    "nominee",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "professor",
    "former",
    "chief",
    "deputy",
    "commissioner",
    "state",
    "house",
    "senate",
    "majority",
    "minority",
    "democratic",
    "republican",
    "u.s",
];

/// Reads an English noun phrase `s..e` (already delimited) as a speaker.
pub(crate) fn english(f: &Field2<'_, '_>, s: usize, e: usize) -> Option<RawSpeaker> {
    let e = e.min(f.n());
    if s >= e {
        return None;
    }
    if e == s + 1 && is_en_pronoun(f.norm(s)) {
        return Some(RawSpeaker::Pronoun(s, e));
    }
    // "the attack", "a call": a determiner alone names nobody.
    if (s..e).all(|k| EN_DETERMINERS.contains(&f.norm(k))) {
        return None;
    }
    // The name: the last run of capitalised words (with Mr. dots and 's inside).
    let cap = |i: usize| {
        let t = f.tok(i);
        (t.capitalized && !EN_DETERMINERS.contains(&t.norm.as_str()))
            || (t.norm == "." && i > s && f.tok(i - 1).capitalized)
            || (matches!(t.norm.as_str(), "of" | "-") && i > s && f.tok(i - 1).capitalized)
    };
    let mut k = e;
    while k > s && !cap(k - 1) {
        k -= 1;
    }
    let ne = k;
    while k > s && cap(k - 1) {
        k -= 1;
    }
    let mut ns = k;
    // Titles before the name stay in the role: "Secretary of State John Kerry".
    while ns < ne && ne - ns > 1 && {
        let w = f.norm(ns);
        EN_TITLES.contains(&w) || w == "." || w == "of"
    } {
        ns += 1;
    }
    if ns < ne && ne == e {
        let role = (ns > s).then_some((s, ns));
        return Some(RawSpeaker::Phrase {
            all: (s, e),
            name: Some((ns, ne)),
            role,
        });
    }
    Some(RawSpeaker::Phrase {
        all: (s, e),
        name: None,
        role: None,
    })
}
