//! Date expressions, Arabic and English, resolved to ISO 8601 where possible.
//!
//! The grammar works on [`Analysis`] tokens, so spans are original code points
//! whatever the digits (٥ or 5) and diacritics. Month and weekday names come
//! from the CLDR-derived lexicons, which carry every regional Arabic variant
//! (يناير, كانون الثاني, جانفي, غشت...).
//!
//! Resolution:
//! - a date without a year takes it from the anchor (`published_at`): of the
//!   anchor's year and its neighbours, the one closest to the anchor that puts
//!   the date at most ~6 months after it (news reports the past and the near future);
//! - a weekday alone is the most recent such day on or before the anchor;
//! - اليوم/أمس/غدا, today/yesterday/tomorrow are relative to the anchor;
//! - Hijri dates with a year are converted with the tabular (civil) Islamic
//!   calendar, which can differ by a day or two from Umm al-Qura or sighting;
//!   a Hijri date without a year gets no value.
//!
//! Without an anchor, anything that needs one is reported with a null value.

use crate::fxhash::FxHashSet;
use crate::lexicon::{self, Lexicons};
use crate::text::Analysis;
use crate::tokenize::{Token, TokenKind};
use naba_model::{DateMention, Field};

/// A calendar date (year, month, day) used to resolve relative expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ymd {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Reads the leading `YYYY-MM-DD` of a `published_at` value.
pub fn parse_anchor(s: &str) -> Option<Ymd> {
    let s = s.trim();
    let year = s.get(0..4)?.parse().ok()?;
    let month = s.get(5..7)?.parse().ok()?;
    let day = s.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Ymd { year, month, day })
}

/// The first words of the month, Hijri month and weekday names: almost no
/// token of an article starts one, and this set says so with one lookup
/// instead of building and hashing every phrase of up to four tokens.
struct FirstWords {
    months: FxHashSet<String>,
    hijri_months: FxHashSet<String>,
    weekdays: FxHashSet<String>,
    /// Every word that can begin a date at a word token: the three sets
    /// above, the relative days, the year cues and the ordinal days. Most
    /// words of an article are in none of them, and [`Parser::at`] then
    /// stops after this one lookup instead of trying each grammar rule.
    any: FxHashSet<String>,
}

/// The leading run of word characters of a lexicon key: what a phrase
/// starting with a word token must have as that token (a token glued to a
/// word always starts with a non-word character, else it would be part of it).
fn first_word(k: &str) -> &str {
    let end = k
        .char_indices()
        .find(|&(_, c)| !crate::tokenize::is_word_char(c))
        .map_or(k.len(), |(i, _)| i);
    &k[..end]
}

/// Builds the date-word tables now rather than on the first article.
pub(crate) fn warm_up() {
    first_words();
}

fn first_words() -> &'static FirstWords {
    static FIRST: std::sync::OnceLock<FirstWords> = std::sync::OnceLock::new();
    FIRST.get_or_init(|| {
        let lx = lexicon::get();
        let set = |m: &lexicon::LexMap<u32>| -> FxHashSet<String> {
            m.keys().map(|k| first_word(k).to_owned()).collect()
        };
        let (months, hijri_months, weekdays) =
            (set(&lx.months), set(&lx.hijri_months), set(&lx.weekdays));
        let mut any: FxHashSet<String> = months
            .iter()
            .chain(&hijri_months)
            .chain(&weekdays)
            .cloned()
            .collect();
        let words = RELATIVE.iter().map(|(w, _)| w);
        let words = words.chain(YEAR_CUES).chain(ORDINAL_UNITS);
        let words = words.chain(ORDINAL_OTHERS.iter().map(|(w, _)| w));
        any.extend(words.chain(&["اول", "بعد"]).map(|w| (*w).to_owned()));
        FirstWords {
            months,
            hijri_months,
            weekdays,
            any,
        }
    })
}

/// Every date expression in `a`, in text order, non-overlapping.
pub fn find(a: &Analysis<'_>, anchor: Option<Ymd>, field: Field) -> Vec<DateMention> {
    let p = Parser {
        toks: &a.tokens,
        chars: &a.chars,
        lx: lexicon::get(),
        first: first_words(),
        anchor,
        arabic_text: a.lang == crate::Lang::Arabic,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.toks.len() {
        match p.at(i) {
            Some(m) => {
                let (start, end) = (p.toks[m.first].start, p.toks[m.last].end);
                out.push(DateMention {
                    text: a.slice(start, end),
                    start,
                    end,
                    value: m.value,
                    field: (field == Field::Title).then_some(Field::Title),
                });
                i = m.last + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// A match: first and last token (inclusive) and the resolved value.
struct Found {
    first: usize,
    last: usize,
    value: Option<String>,
}

/// A day, month and maybe year, before resolution.
#[derive(Clone, Copy)]
struct Partial {
    year: Option<i32>,
    month: u32,
    day: Option<u32>,
}

struct Parser<'t> {
    toks: &'t [Token],
    chars: &'t [char],
    lx: &'static Lexicons,
    first: &'static FirstWords,
    anchor: Option<Ymd>,
    arabic_text: bool,
}

/// In Arabic text a year in this range is a Hijri year (30/8/1436, عام 1436هـ).
const HIJRI_YEARS: std::ops::RangeInclusive<u32> = 1300..=1500;

/// Words before a bare year that make it a date ("عام 2016", "in 2016").
const YEAR_CUES: &[&str] = &[
    "عام",
    "العام",
    "لعام",
    "بعام",
    "سنه",
    "السنه",
    "لسنه",
    "بسنه",
    "in",
    "since",
    "by",
    "until",
    "during",
    "before",
    "after",
    "through",
    "of",
    "early",
    "late",
    "mid",
];

/// Arabic ordinal units, the first word of an ordinal day (الخامس، الحادي عشر).
const ORDINAL_UNITS: &[&str] = &[
    "الحادي",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
];

/// The other Arabic ordinal days [`Parser::ordinal_day`] reads.
const ORDINAL_OTHERS: &[(&str, u32)] = &[
    ("الاول", 1),
    ("العاشر", 10),
    ("العشرين", 20),
    ("الثلاثين", 30),
];

/// Arabic and English relative days and their offset from the anchor.
const RELATIVE: &[(&str, i64)] = &[
    ("اليوم", 0),
    ("امس", -1),
    ("الامس", -1),
    ("البارحه", -1),
    ("غدا", 1),
    ("today", 0),
    ("yesterday", -1),
    ("tomorrow", 1),
];

impl Parser<'_> {
    fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i)
    }

    fn norm(&self, i: usize) -> &str {
        self.tok(i).map_or("", |t| t.norm.as_str())
    }

    /// Token `i + 1` follows token `i` with no space between them.
    fn glued(&self, i: usize) -> bool {
        match (self.tok(i), self.tok(i + 1)) {
            (Some(a), Some(b)) => a.nend == b.nstart,
            _ => false,
        }
    }

    /// A plain number token (digits only) and its value.
    fn number(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tok(i).filter(|t| t.kind == TokenKind::Number)?;
        if t.norm.len() > 4 || !t.norm.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((t.norm.parse().ok()?, t.norm.len()))
    }

    fn day(&self, i: usize) -> Option<u32> {
        self.number(i)
            .filter(|&(n, len)| len <= 2 && (1..=31).contains(&n))
            .map(|(n, _)| n)
    }

    fn year(&self, i: usize, range: std::ops::RangeInclusive<u32>) -> Option<i32> {
        self.number(i)
            .filter(|&(n, len)| len == 4 && range.contains(&n))
            .and_then(|(n, _)| i32::try_from(n).ok())
    }

    /// The phrase of tokens `i..i + n` as a lexicon key: tokens separated by a
    /// space in the text are joined by one space, glued ones (al-Awwal) are not.
    fn phrase(&self, i: usize, n: usize) -> Option<String> {
        let toks = self.toks.get(i..i + n)?;
        let mut s = String::new();
        for (j, t) in toks.iter().enumerate() {
            if j > 0 && toks[j - 1].nend != t.nstart {
                s.push(' ');
            }
            s.push_str(&t.norm);
        }
        Some(s)
    }

    /// A name from `map` starting at `i`, longest first: (value, last token).
    fn name_in(
        &self,
        map: &lexicon::LexMap<u32>,
        firsts: &FxHashSet<String>,
        i: usize,
    ) -> Option<(u32, usize)> {
        let first = self.tok(i).filter(|t| t.kind == TokenKind::Word)?;
        // Latin month and weekday names are proper nouns: "may" is not May.
        if (first.norm.is_ascii() && !first.capitalized) || !firsts.contains(first.norm.as_str()) {
            return None;
        }
        (1..=4)
            .rev()
            .find_map(|n| Some((*map.get(&self.phrase(i, n)?)?, i + n - 1)))
    }

    fn month_name(&self, i: usize) -> Option<(u32, usize)> {
        self.name_in(&self.lx.months, &self.first.months, i)
    }

    /// A month name, possibly doubled as in "كانون الأول/ديسمبر" or
    /// "ديسمبر (كانون الأول)": (month, last token).
    fn month(&self, i: usize) -> Option<(u32, usize)> {
        let (m, mut last) = self.month_name(i)?;
        match self.norm(last + 1) {
            // سبتمبر أيلول (Reuters style), آذار - مارس
            _ if self.month_name(last + 1).is_some_and(|(m2, _)| m2 == m) => {
                if let Some((_, l2)) = self.month_name(last + 1) {
                    last = l2;
                }
            }
            "/" | "-" => {
                if let Some((m2, l2)) = self.month_name(last + 2) {
                    if m2 == m {
                        last = l2;
                    }
                }
            }
            "(" => {
                if let Some((m2, l2)) = self.month_name(last + 2) {
                    if m2 == m && self.norm(l2 + 1) == ")" {
                        last = l2 + 1;
                    }
                }
            }
            _ => {}
        }
        // "Dec." keeps its period.
        if self.norm(last + 1) == "." && self.glued(last) && self.norm(last).is_ascii() {
            if let Some(t) = self.tok(last) {
                if t.norm.len() <= 4 {
                    last += 1;
                }
            }
        }
        Some((m, last))
    }

    /// An English ordinal suffix glued to a day number (5th).
    fn ordinal_end(&self, i: usize) -> usize {
        let suffix = matches!(self.norm(i + 1), "st" | "nd" | "rd" | "th");
        if suffix && self.glued(i) {
            i + 1
        } else {
            i
        }
    }

    /// A comma (Arabic or Latin) at `i`.
    fn comma(&self, i: usize) -> bool {
        self.norm(i) == ","
    }

    /// A year after the token `last`, with an optional comma and Gregorian
    /// marker (2016م): (year, last token).
    fn year_after(&self, last: usize) -> Option<(i32, usize)> {
        let at = if self.comma(last + 1) {
            last + 2
        } else {
            last + 1
        };
        let y = self.year(at, 1000..=2100)?;
        Some((y, self.era_marker(at, "م")))
    }

    /// Includes a glued or following era marker (م, هـ) after the year at `at`.
    fn era_marker(&self, at: usize, marker: &str) -> usize {
        let is_marker = self.norm(at + 1) == marker;
        // The marker is the whole next token, glued or not ("1437 هـ", "2015 م").
        if is_marker {
            at + 1
        } else {
            at
        }
    }

    /// An Arabic ordinal day (الخامس, الحادي عشر, الثاني والعشرين): (day, last token).
    fn ordinal_day(&self, i: usize) -> Option<(u32, usize)> {
        let n = self.norm(i);
        let unit = ORDINAL_UNITS
            .iter()
            .position(|u| *u == n)
            .map(|p| p as u32 + 1);
        let next = self.norm(i + 1);
        let (day, last) = match (n, unit) {
            (_, Some(u)) if next == "عشر" => (10 + u, i + 1),
            (_, Some(u)) if next == "والعشرين" => (20 + u, i + 1),
            (_, Some(u)) if next == "والثلاثين" && u == 1 => (31, i + 1),
            ("الحادي", _) => return None,
            (_, Some(u)) => (u, i),
            _ => (ORDINAL_OTHERS.iter().find(|(w, _)| *w == n)?.1, i),
        };
        Some((day, last))
    }

    /// A Gregorian date starting at `i` (no weekday).
    fn gregorian(&self, i: usize) -> Option<(Partial, usize)> {
        // الخامس من ديسمبر: an ordinal day needs من before the month.
        if let Some((day, l)) = self.ordinal_day(i) {
            if self.norm(l + 1) == "من" {
                let (month, last) = self.month(l + 2)?;
                let (year, last) = match self.year_after(last) {
                    Some((y, l)) => (Some(y), l),
                    None => (None, last),
                };
                return Some((
                    Partial {
                        year,
                        month,
                        day: Some(day),
                    },
                    last,
                ));
            }
            return None;
        }
        // 5 كانون الأول/ديسمبر 2016, 5 December 2016, 5th of December
        if let Some(day) = self.day(i) {
            let mut j = self.ordinal_end(i) + 1;
            if matches!(self.norm(j), "من" | "of") {
                j += 1;
            }
            if let Some((month, last)) = self.month(j) {
                let (year, last) = match self.year_after(last) {
                    Some((y, l)) => (Some(y), l),
                    None => (None, last),
                };
                return Some((
                    Partial {
                        year,
                        month,
                        day: Some(day),
                    },
                    last,
                ));
            }
            return None;
        }
        let (month, last) = self.month(i)?;
        // December 5, 2016 / Dec. 5 (Latin script only: an Arabic month
        // followed by a small number is usually something else).
        if self.norm(i).is_ascii() {
            if let Some(day) = self.day(last + 1) {
                let dl = self.ordinal_end(last + 1);
                let (year, l) = match self.year_after(dl) {
                    Some((y, l)) => (Some(y), l),
                    None => (None, dl),
                };
                return Some((
                    Partial {
                        year,
                        month,
                        day: Some(day),
                    },
                    l,
                ));
            }
        }
        // ديسمبر 2016, December 2016
        let (year, l) = self.year_after(last)?;
        Some((
            Partial {
                year: Some(year),
                month,
                day: None,
            },
            l,
        ))
    }

    /// 2016-12-05, 05/12/2016, 2016/12/05, 05.12.2016.
    fn numeric(&self, i: usize) -> Option<(Partial, usize)> {
        let t = self.tok(i).filter(|t| t.kind == TokenKind::Number)?;
        if let Some(y) = self.year(i, 1000..=2100) {
            // ISO: year - month - day, all glued.
            let glued_run = (i..i + 4).all(|k| self.glued(k));
            if glued_run && self.norm(i + 1) == "-" && self.norm(i + 3) == "-" {
                let m = self
                    .number(i + 2)
                    .filter(|&(n, l)| l <= 2 && (1..=12).contains(&n))?;
                let d = self.day(i + 4)?;
                return Some((
                    Partial {
                        year: Some(y),
                        month: m.0,
                        day: Some(d),
                    },
                    i + 4,
                ));
            }
            return None;
        }
        let sep = if t.norm.contains('/') { '/' } else { '.' };
        let parts: Vec<&str> = t.norm.split(sep).collect();
        if parts.len() != 3
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        // All digits, but possibly too many for a u32 (found by fuzzing):
        // such a token is no date.
        let n: Vec<u32> = parts
            .iter()
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let (y, m, d) = if parts[0].len() == 4 {
            (n[0], n[1], n[2])
        } else if parts[2].len() == 4 {
            // Day first in Arabic (and most of the world); month first in
            // English text unless the first number cannot be a month.
            if self.arabic_text || n[0] > 12 {
                (n[2], n[1], n[0])
            } else {
                (n[2], n[0], n[1])
            }
        } else {
            return None;
        };
        if !(1000..=2100).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let year = i32::try_from(y).ok()?;
        if self.arabic_text && HIJRI_YEARS.contains(&y) {
            let g = hijri_to_gregorian(year, m, d)?;
            return Some((
                Partial {
                    year: Some(g.year),
                    month: g.month,
                    day: Some(g.day),
                },
                i,
            ));
        }
        Some((
            Partial {
                year: Some(year),
                month: m,
                day: Some(d),
            },
            i,
        ))
    }

    /// 5 رمضان 1437 هـ, رمضان 1437: (value, last token).
    fn hijri(&self, i: usize) -> Option<(Option<String>, usize)> {
        let day = self.day(i);
        let j = if day.is_some() { i + 1 } else { i };
        let (month, last) = self.name_in(&self.lx.hijri_months, &self.first.hijri_months, j)?;
        let at = if self.comma(last + 1) {
            last + 2
        } else {
            last + 1
        };
        match self.year(at, 1300..=1600) {
            Some(y) => {
                let end = self.era_marker(at, "ه");
                let value = day.and_then(|d| {
                    let g = hijri_to_gregorian(y, month, d)?;
                    Some(iso(g.year, g.month, Some(g.day)))
                });
                Some((value, end))
            }
            // "5 رمضان": a date, unresolved; "رمضان" alone is a month (or a name).
            None => day.map(|_| (None, last)),
        }
    }

    /// A weekday at `i` (bare Arabic forms only after يوم): (ISO weekday, last).
    fn weekday(&self, i: usize) -> Option<(u32, usize)> {
        let (wd, last) = self.name_in(&self.lx.weekdays, &self.first.weekdays, i)?;
        let n = self.norm(i);
        if !n.is_ascii() && !n.starts_with("ال") && (i == 0 || self.norm(i - 1) != "يوم") {
            return None;
        }
        Some((wd, last))
    }

    fn resolve(&self, p: Partial) -> Option<String> {
        match (p.year, p.day) {
            (Some(y), d) => d
                .is_none_or(|d| d <= days_in_month(y, p.month))
                .then(|| iso(y, p.month, d)),
            (None, Some(d)) => {
                let a = self.anchor?;
                let y = infer_year(a, p.month, d)?;
                Some(iso(y, p.month, Some(d)))
            }
            (None, None) => None,
        }
    }

    /// The longest date expression starting at token `i`.
    fn at(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        if t.kind == TokenKind::Number {
            if let Some((p, last)) = self.numeric(i) {
                return Some(Found {
                    first: i,
                    last,
                    value: self.resolve(p),
                });
            }
            if let Some((value, last)) = self.hijri(i) {
                return Some(Found {
                    first: i,
                    last,
                    value,
                });
            }
            let (p, last) = self.gregorian(i)?;
            return Some(Found {
                first: i,
                last,
                value: self.resolve(p),
            });
        }
        if t.kind != TokenKind::Word || !self.first.any.contains(t.norm.as_str()) {
            return None;
        }
        if let Some((wd, last)) = self.weekday(i) {
            // الإثنين، 5 كانون الأول / Monday, Dec. 5: the weekday heads the date.
            let mut j = last + 1;
            if self.comma(j) || matches!(self.norm(j), "الموافق" | "الماضي" | "المقبل")
            {
                j += 1;
            }
            if let Some((p, l)) = self.gregorian(j).filter(|(p, _)| p.day.is_some()) {
                return Some(Found {
                    first: i,
                    last: l,
                    value: self.resolve(p),
                });
            }
            let value = self.anchor.map(|a| {
                let back = (weekday(a) + 7 - wd) % 7;
                let d = from_days(to_days(a) - i64::from(back));
                iso(d.year, d.month, Some(d.day))
            });
            return Some(Found {
                first: i,
                last,
                value,
            });
        }
        if let Some(found) = self.relative(i) {
            return Some(found);
        }
        if YEAR_CUES.contains(&t.norm.as_str()) {
            if let Some(y) = self.year(i + 1, 1000..=2100) {
                // "عام 2016" is a noun phrase; "in 2016" is a preposition, left out.
                let first = if t.norm.is_ascii() { i + 1 } else { i };
                let hijri =
                    self.arabic_text && u32::try_from(y).is_ok_and(|y| HIJRI_YEARS.contains(&y));
                let last = self.era_marker(i + 1, if hijri { "ه" } else { "م" });
                if !self.followed_by_month_or_number(last) {
                    // A Hijri year spans two Gregorian years: no single value.
                    let value = (!hijri).then(|| format!("{y:04}"));
                    return Some(Found { first, last, value });
                }
            }
        }
        if let Some((p, last)) = self.gregorian(i) {
            return Some(Found {
                first: i,
                last,
                value: self.resolve(p),
            });
        }
        let (value, last) = self.hijri(i)?;
        Some(Found {
            first: i,
            last,
            value,
        })
    }

    /// A year followed by more digits or a month is part of something else.
    fn followed_by_month_or_number(&self, last: usize) -> bool {
        self.tok(last + 1)
            .is_some_and(|t| t.kind == TokenKind::Number)
            || self.norm(last + 1) == "-" && self.glued(last)
    }

    fn relative(&self, i: usize) -> Option<Found> {
        let n = self.norm(i);
        // أول أمس / أول من أمس: the day before yesterday; بعد غد: the day after tomorrow.
        if n == "اول" {
            let j = if self.norm(i + 1) == "من" {
                i + 2
            } else {
                i + 1
            };
            if matches!(self.norm(j), "امس" | "الامس") {
                return Some(Found {
                    first: i,
                    last: j,
                    value: self.shift(-2),
                });
            }
        }
        if n == "بعد" && self.norm(i + 1) == "غد" {
            return Some(Found {
                first: i,
                last: i + 1,
                value: self.shift(2),
            });
        }
        let &(_, offset) = RELATIVE.iter().find(|(w, _)| *w == n)?;
        let t = self.tok(i)?;
        // USA TODAY is a newspaper.
        if n.is_ascii()
            && ((i > 0 && self.norm(i - 1) == "usa") || (t.end - t.start > 1 && self.is_upper(i)))
        {
            return None;
        }
        // اليوم الاثنين, أمس الجمعة: the weekday restates the day.
        if let Some((_, last)) = self.weekday(i + 1) {
            return Some(Found {
                first: i,
                last,
                value: self.shift(offset),
            });
        }
        if n == "اليوم" {
            // اليوم التالي / اليوم الوطني: "the next day", "the national day", not today.
            let next = self.tok(i + 1);
            if next.is_some_and(|t| t.kind == TokenKind::Word && t.norm.starts_with("ال")) {
                return None;
            }
        }
        if n == "امس" && self.norm(i + 1) == "الاول" {
            return Some(Found {
                first: i,
                last: i + 1,
                value: self.shift(-2),
            });
        }
        Some(Found {
            first: i,
            last: i,
            value: self.shift(offset),
        })
    }

    /// Every letter of token `i` is upper-case (TODAY), as in a masthead.
    fn is_upper(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| {
            self.chars
                .get(t.start..t.end)
                .is_some_and(|cs| cs.iter().all(|c| !c.is_lowercase()))
        })
    }

    fn shift(&self, days: i64) -> Option<String> {
        let d = from_days(to_days(self.anchor?) + days);
        Some(iso(d.year, d.month, Some(d.day)))
    }
}

fn iso(y: i32, m: u32, d: Option<u32>) -> String {
    match d {
        Some(d) => format!("{y:04}-{m:02}-{d:02}"),
        None => format!("{y:04}-{m:02}"),
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian), after H. Hinnant's `days_from_civil`.
fn to_days(d: Ymd) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`to_days`].
fn from_days(z: i64) -> Ymd {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Ymd { year, month, day }
}

/// ISO weekday of a date, Monday = 1 .. Sunday = 7 (1970-01-01 was a Thursday).
fn weekday(d: Ymd) -> u32 {
    ((to_days(d) + 3).rem_euclid(7) + 1) as u32
}

/// The year for a day and month given without one (see the module doc).
fn infer_year(anchor: Ymd, month: u32, day: u32) -> Option<i32> {
    let a = to_days(anchor);
    (anchor.year - 1..=anchor.year + 1)
        .filter(|&y| day <= days_in_month(y, month))
        .map(|y| {
            (
                y,
                to_days(Ymd {
                    year: y,
                    month,
                    day,
                }) - a,
            )
        })
        .filter(|&(_, diff)| diff <= 183)
        .min_by_key(|&(_, diff)| diff.abs())
        .map(|(y, _)| y)
}

/// Tabular (civil, epoch 16 July 622 Julian) Islamic date to Gregorian.
fn hijri_to_gregorian(year: i32, month: u32, day: u32) -> Option<Ymd> {
    if !(1..=12).contains(&month) || !(1..=30).contains(&day) || year < 1 {
        return None;
    }
    let (y, m, d) = (i64::from(year), i64::from(month), i64::from(day));
    // Julian day number of 1 Muharram 1 AH is 1948440; 1970-01-01 is 2440588.
    let jdn = d + (59 * (m - 1) + 1) / 2 + (y - 1) * 354 + (3 + 11 * y) / 30 + 1_948_439;
    Some(from_days(jdn - 2_440_588))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn dates(text: &str, lang: Lang, anchor: Option<&str>) -> Vec<(String, Option<String>)> {
        let a = Analysis::new(text, lang);
        let found = find(&a, anchor.and_then(parse_anchor), Field::Text);
        for d in &found {
            let slice: String = a.chars[d.start..d.end].iter().collect();
            assert_eq!(slice, d.text, "span text equals the original slice");
        }
        found.into_iter().map(|d| (d.text, d.value)).collect()
    }

    fn ar(text: &str, anchor: Option<&str>) -> Vec<(String, Option<String>)> {
        dates(text, Lang::Arabic, anchor)
    }

    fn en(text: &str, anchor: Option<&str>) -> Vec<(String, Option<String>)> {
        dates(text, Lang::English, anchor)
    }

    fn one(text: &str, value: Option<&str>) -> Vec<(String, Option<String>)> {
        vec![(text.to_owned(), value.map(str::to_owned))]
    }

    #[test]
    fn levantine_and_egyptian_month_names_together_give_a_full_date() {
        assert_eq!(
            ar("وصل الوفد في 5 كانون الأول/ديسمبر 2016 إلى المدينة.", None),
            one("5 كانون الأول/ديسمبر 2016", Some("2016-12-05"))
        );
        assert_eq!(
            ar("عقد الاجتماع في ٥ ديسمبر (كانون الأول) ٢٠١٦ في الرياض", None),
            one("٥ ديسمبر (كانون الأول) ٢٠١٦", Some("2016-12-05"))
        );
    }

    #[test]
    fn a_weekday_heading_a_date_is_part_of_it_and_the_year_comes_from_the_anchor() {
        assert_eq!(
            ar(
                "قال الوزير الإثنين، 5 كانون الأول/ديسمبر إن المحادثات مستمرة",
                Some("2016-12-06T10:00:00Z")
            ),
            one("الإثنين، 5 كانون الأول/ديسمبر", Some("2016-12-05"))
        );
    }

    #[test]
    fn a_day_and_month_without_anchor_has_no_value() {
        assert_eq!(
            ar("اجتمعوا في 5 ديسمبر الماضي", None),
            one("5 ديسمبر", None)
        );
    }

    #[test]
    fn missing_year_is_the_closest_one_not_far_after_the_anchor() {
        // Published in January: a December date is last December.
        assert_eq!(
            ar("في 5 ديسمبر", Some("2017-01-10")),
            one("5 ديسمبر", Some("2016-12-05"))
        );
        // Published in late December: a January date is next January.
        assert_eq!(
            en("on January 5", Some("2016-12-20")),
            one("January 5", Some("2017-01-05"))
        );
        assert_eq!(
            en("on March 3", Some("2016-06-01")),
            one("March 3", Some("2016-03-03"))
        );
    }

    #[test]
    fn maghrebi_month_names_resolve() {
        assert_eq!(
            ar("صدر القرار يوم 12 جانفي 2020", None),
            one("12 جانفي 2020", Some("2020-01-12"))
        );
        assert_eq!(
            ar("تنطلق الدورة في 15 أوت", Some("2019-07-01")),
            one("15 أوت", Some("2019-08-15"))
        );
        assert_eq!(
            ar("في 3 غشت 2018", None),
            one("3 غشت 2018", Some("2018-08-03"))
        );
    }

    #[test]
    fn hijri_dates_convert_with_the_tabular_calendar() {
        // 5 Ramadan 1437 AH was 10 June 2016 by Umm al-Qura; the tabular
        // calendar runs a day later in these years (1 Muharram 1438 = 3 October
        // 2016, by hand from the Calendrical Calculations formula).
        assert_eq!(
            ar("في 5 رمضان 1437 هـ", None),
            one("5 رمضان 1437 هـ", Some("2016-06-11"))
        );
        assert_eq!(
            ar("1 محرم 1438", None),
            one("1 محرم 1438", Some("2016-10-03"))
        );
        assert_eq!(
            ar("في 10 ذو الحجة 1440هـ", None),
            one("10 ذو الحجة 1440هـ", Some("2019-08-12"))
        );
        assert_eq!(ar("حتى 5 رمضان", None), one("5 رمضان", None));
        // A month name alone is not a date (رمضان is also a given name).
        assert_eq!(ar("قال رمضان إن", None), vec![]);
    }

    #[test]
    fn weekday_alone_is_the_last_such_day_on_or_before_the_anchor() {
        // 2016-12-07 was a Wednesday.
        let anchor = Some("2016-12-07");
        assert_eq!(
            ar("أعلن الإثنين أن", anchor),
            one("الإثنين", Some("2016-12-05"))
        );
        assert_eq!(
            ar("وقع الهجوم يوم الثلاثاء", anchor),
            one("الثلاثاء", Some("2016-12-06"))
        );
        assert_eq!(
            ar("صباح الأربعاء", anchor),
            one("الأربعاء", Some("2016-12-07"))
        );
        assert_eq!(
            en("He spoke on Tuesday.", anchor),
            one("Tuesday", Some("2016-12-06"))
        );
        assert_eq!(en("He spoke on Tuesday.", None), one("Tuesday", None));
    }

    #[test]
    fn bare_arabic_weekday_forms_need_yawm() {
        // أحد is "one" and اثنين "two" unless يوم precedes them.
        assert_eq!(
            ar("قال أحد المسؤولين إن اثنين قتلا", Some("2016-12-07")),
            vec![]
        );
        assert_eq!(
            ar("يوم أحد", Some("2016-12-07")),
            one("أحد", Some("2016-12-04"))
        );
    }

    #[test]
    fn relative_days_resolve_against_the_anchor() {
        let anchor = Some("2016-03-01");
        assert_eq!(ar("قال اليوم إن", anchor), one("اليوم", Some("2016-03-01")));
        assert_eq!(ar("وصل أمس", anchor), one("أمس", Some("2016-02-29")));
        assert_eq!(ar("يصل غداً", anchor), one("غداً", Some("2016-03-02")));
        assert_eq!(
            ar("وصل أول أمس", anchor),
            one("أول أمس", Some("2016-02-28"))
        );
        assert_eq!(
            en("said yesterday that", anchor),
            one("yesterday", Some("2016-02-29"))
        );
        assert_eq!(
            en("will vote tomorrow", anchor),
            one("tomorrow", Some("2016-03-02"))
        );
        assert_eq!(en("today", None), one("today", None));
    }

    #[test]
    fn the_definite_day_with_an_adjective_is_not_today() {
        assert_eq!(ar("في اليوم التالي وصل الوفد", Some("2016-03-01")), vec![]);
    }

    #[test]
    fn english_month_first_and_day_first_dates() {
        assert_eq!(
            en("On December 5, 2016, he said", None),
            one("December 5, 2016", Some("2016-12-05"))
        );
        assert_eq!(
            en("on 5 December 2016", None),
            one("5 December 2016", Some("2016-12-05"))
        );
        assert_eq!(
            en("on Dec. 5 he", Some("2016-12-10")),
            one("Dec. 5", Some("2016-12-05"))
        );
        assert_eq!(
            en("by December 5th", Some("2016-12-01")),
            one("December 5th", Some("2016-12-05"))
        );
        assert_eq!(
            en("Monday, Dec. 5, 2016", None),
            one("Monday, Dec. 5, 2016", Some("2016-12-05"))
        );
    }

    #[test]
    fn lower_case_may_is_not_a_month() {
        assert_eq!(en("they may 5 times", None), vec![]);
        assert_eq!(en("in May 2016", None), one("May 2016", Some("2016-05")));
    }

    #[test]
    fn a_dotted_number_too_long_for_any_date_is_not_one() {
        // Three all-digit parts, one beyond u32: this panicked (fuzzing).
        assert_eq!(en("version 576.44444444444444444444.10 out", None), vec![]);
        assert_eq!(ar("الرقم 1.99999999999.2016", None), vec![]);
    }

    #[test]
    fn numeric_dates_are_day_first_in_arabic() {
        assert_eq!(
            en("published 2016-12-05 at noon", None),
            one("2016-12-05", Some("2016-12-05"))
        );
        assert_eq!(
            ar("بتاريخ 05/12/2016", None),
            one("05/12/2016", Some("2016-12-05"))
        );
        assert_eq!(
            ar("بتاريخ ٠٥/١٢/٢٠١٦", None),
            one("٠٥/١٢/٢٠١٦", Some("2016-12-05"))
        );
        assert_eq!(
            en("on 12/05/2016", None),
            one("12/05/2016", Some("2016-12-05"))
        );
        assert_eq!(
            en("on 25/12/2016", None),
            one("25/12/2016", Some("2016-12-25"))
        );
        assert_eq!(
            ar("بتاريخ 2016/12/05", None),
            one("2016/12/05", Some("2016-12-05"))
        );
    }

    #[test]
    fn years_alone_need_a_cue() {
        assert_eq!(
            ar("منذ عام 2016 والحرب مستمرة", None),
            one("عام 2016", Some("2016"))
        );
        assert_eq!(ar("في العام ٢٠١٥م", None), one("العام ٢٠١٥م", Some("2015")));
        assert_eq!(en("elected in 2016 after", None), one("2016", Some("2016")));
        assert_eq!(en("about 2016 people", None), vec![]);
    }

    #[test]
    fn month_and_year_give_a_month_value() {
        assert_eq!(
            ar("في ديسمبر 2016", None),
            one("ديسمبر 2016", Some("2016-12"))
        );
        assert_eq!(
            ar("في كانون الأول 2016", None),
            one("كانون الأول 2016", Some("2016-12"))
        );
    }

    #[test]
    fn reuters_style_doubled_months_and_ordinal_days() {
        assert_eq!(
            ar("في 26 سبتمبر أيلول.", None),
            one("26 سبتمبر أيلول", None)
        );
        assert_eq!(
            ar("في 26 سبتمبر أيلول 2015.", None),
            one("26 سبتمبر أيلول 2015", Some("2015-09-26"))
        );
        assert_eq!(
            ar("في تموز - يوليو 2014", None),
            one("تموز - يوليو 2014", Some("2014-07"))
        );
        assert_eq!(
            ar("أعلن في الثاني من يونيو حزيران 2015", None),
            one("الثاني من يونيو حزيران 2015", Some("2015-06-02"))
        );
        assert_eq!(
            ar("في الحادي والعشرين من مارس 2015", None),
            one("الحادي والعشرين من مارس 2015", Some("2015-03-21"))
        );
        assert_eq!(ar("الفصل الثاني من الكتاب", None), vec![]);
    }

    #[test]
    fn a_relative_day_with_its_weekday_is_one_date() {
        let anchor = Some("2015-07-19");
        assert_eq!(
            ar("قال نتنياهو اليوم الأحد إن", anchor),
            one("اليوم الأحد", Some("2015-07-19"))
        );
        assert_eq!(
            ar("وكان قال أمس السبت إن", anchor),
            one("أمس السبت", Some("2015-07-18"))
        );
    }

    #[test]
    fn hijri_years_in_arabic_text_are_not_gregorian() {
        // Umm al-Qura: 17 June 2015; the tabular calendar is a day later here.
        assert_eq!(
            ar("بتاريخ 30/8/1436", None),
            one("30/8/1436", Some("2015-06-18"))
        );
        assert_eq!(ar("في العام 1436 هـ", None), one("العام 1436 هـ", None));
        assert_eq!(ar("لصيف العام الحالي 2015 م", None), vec![]);
        assert_eq!(ar("منذ عام 2015 م", None), one("عام 2015 م", Some("2015")));
    }

    #[test]
    fn the_usa_today_masthead_is_not_a_date() {
        assert_eq!(en("told USA TODAY that", Some("2016-01-01")), vec![]);
        assert_eq!(en("TODAY: the news", Some("2016-01-01")), vec![]);
    }

    #[test]
    fn impossible_days_have_no_value() {
        assert_eq!(ar("في 31 فبراير 2016", None), one("31 فبراير 2016", None));
    }

    #[test]
    fn calendar_arithmetic_round_trips() {
        for z in [-800_000_i64, -1, 0, 1, 17_000, 20_000, 60_000] {
            assert_eq!(to_days(from_days(z)), z);
        }
        assert_eq!(
            from_days(0),
            Ymd {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            weekday(Ymd {
                year: 2016,
                month: 12,
                day: 5
            }),
            1
        );
        assert_eq!(
            hijri_to_gregorian(1, 1, 1),
            Some(Ymd {
                year: 622,
                month: 7,
                day: 19
            })
        );
    }

    #[test]
    fn no_input_makes_it_panic() {
        for s in [
            "",
            " ",
            "،",
            "5",
            "2016-",
            "2016-12-",
            "/",
            "5 كانون",
            "Dec.",
            "عام",
            "أول",
            "يوم",
            "99/99/9999",
        ] {
            let _ = ar(s, Some("2016-01-01"));
            let _ = en(s, None);
        }
    }
}
