//! Behaviour of Arabic mentions and their grouping, on sentences written for
//! these tests.

use super::coref::{group, to_entities};
use super::*;
use crate::{Document, Extractor, Lang};

fn ner() -> Ner {
    Ner::load().unwrap()
}

/// The mention the tagger would build for the tokens `i..j` of `text`.
fn mention_of(text: &str, i: usize, j: usize, kind: EntityType) -> (Mention, String) {
    let a = Analysis::new(text, Lang::Arabic);
    let mut words = None;
    let m = ner()
        .mention(&a, &a.tokens, i, j, kind, Field::Text, &mut words)
        .unwrap();
    let t = a.slice(m.start, m.end);
    (m, t)
}

fn mention_at(text: &str, start: usize, len: usize, kind: EntityType, key: &str) -> Mention {
    let _ = text;
    Mention {
        start,
        end: start + len,
        field: Field::Text,
        kind,
        key: crate::normalize::key(key),
    }
}

#[test]
fn clitic_waw_is_not_part_of_the_mention() {
    let (m, text) = mention_of("زار الوفد مصر وإسبانيا أمس", 3, 4, EntityType::Location);
    assert_eq!(text, "إسبانيا");
    assert_eq!(m.key, "اسبانيا");
}

#[test]
fn fused_lam_lam_keeps_the_whole_word_and_restores_the_article() {
    let (m, text) = mention_of("قدم طلبا للأمم المتحدة", 2, 4, EntityType::Organisation);
    assert_eq!(text, "للأمم المتحدة");
    assert_eq!(m.key, "الامم المتحده");
    let a = Analysis::new("قدم طلبا للأمم المتحدة", Lang::Arabic);
    let c = group(vec![m], &a, None);
    assert_eq!(c[0].name, "الأمم المتحدة");
}

#[test]
fn preposition_before_a_multiword_name_is_left_out() {
    let (m, text) = mention_of(
        "قال مسؤول لوكالة الصحافة الفرنسية",
        2,
        5,
        EntityType::Organisation,
    );
    assert_eq!(text, "وكالة الصحافة الفرنسية");
    assert_eq!(m.key, "وكاله الصحافه الفرنسيه");
}

#[test]
fn a_name_that_starts_with_a_clitic_letter_keeps_it() {
    let (_, text) = mention_of("وصل الوفد إلى واشنطن أمس", 3, 4, EntityType::Location);
    assert_eq!(text, "واشنطن");
    let (_, text) = mention_of("وصل الوفد إلى بغداد أمس", 3, 4, EntityType::Location);
    assert_eq!(text, "بغداد");
}

#[test]
fn a_leading_title_is_not_part_of_a_person_mention() {
    let (m, text) = mention_of("قال الرئيس بشار الأسد", 1, 4, EntityType::Person);
    assert_eq!(text, "بشار الأسد");
    assert_eq!(m.key, "بشار الاسد");
}

#[test]
fn organisation_head_and_its_genitive_form_one_name() {
    assert_eq!(ruled("أصدرت وزارة الخارجية بيانا").1, [O, 3, 4, O]);
}

#[test]
fn model_loads_and_tags_a_simple_sentence() {
    let n = ner();
    let a = Analysis::new(
        "وقال الرئيس الأمريكي باراك أوباما في واشنطن إن المحادثات مستمرة.",
        Lang::Arabic,
    );
    let ms = n.mentions(&a, Field::Text);
    let found: Vec<(String, EntityType)> = ms
        .iter()
        .map(|m| (a.slice(m.start, m.end), m.kind))
        .collect();
    assert!(
        found.contains(&("باراك أوباما".to_owned(), EntityType::Person)),
        "{found:?}"
    );
    assert!(
        found.contains(&("واشنطن".to_owned(), EntityType::Location)),
        "{found:?}"
    );
}

#[test]
fn every_mention_text_is_the_original_slice() {
    let x = Extractor::new().unwrap();
    let text = "قـالَ وزيرُ الخارجيةِ الروسيُّ سيرغي لافروفُ في موسكو\u{200F} إنّ وفداً من الأممِ المتحدة سيزور سوريا ولبنان والأردنّ.";
    let out = x.extract(&Document {
        text,
        language: Some("ar"),
        ..Document::default()
    });
    let chars: Vec<char> = text.chars().collect();
    assert!(!out.entities.is_empty());
    for e in &out.entities {
        for m in &e.mentions {
            let s: String = chars[m.start..m.end].iter().collect();
            assert_eq!(s, m.text);
        }
        assert!(!e.name.starts_with('و'), "{}", e.name);
    }
}

#[test]
fn short_and_full_person_names_are_one_entity() {
    let text = "قال سيرغي لافروف إن المحادثات ستجري. وأضاف لافروف أن الموعد قريب.";
    let a = Analysis::new(text, Lang::Arabic);
    let full = text
        .find("سيرغي")
        .map(|b| text[..b].chars().count())
        .unwrap();
    let short = text
        .rfind("لافروف")
        .map(|b| text[..b].chars().count())
        .unwrap();
    let ms = vec![
        mention_at(text, short, 6, EntityType::Person, "لافروف"),
        mention_at(text, full, 12, EntityType::Person, "سيرغي لافروف"),
    ];
    let c = group(ms, &a, None);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].name, "سيرغي لافروف");
    // Mentions are in text order whatever order they came in.
    assert!(c[0].mentions[0].start < c[0].mentions[1].start);
}

#[test]
fn spelling_variants_of_a_place_are_one_entity() {
    let text = "زار سوريا ثم عاد إلى سورية";
    let a = Analysis::new(text, Lang::Arabic);
    let ms = vec![
        mention_at(text, 4, 5, EntityType::Location, "سوريا"),
        mention_at(text, 21, 5, EntityType::Location, "سورية"),
    ];
    let c = group(ms, &a, None);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].name, "سوريا");
}

#[test]
fn different_people_with_one_shared_name_stay_apart() {
    let text = "التقى محمد علي مع محمد حسن";
    let a = Analysis::new(text, Lang::Arabic);
    let ms = vec![
        mention_at(text, 6, 8, EntityType::Person, "محمد علي"),
        mention_at(text, 18, 8, EntityType::Person, "محمد حسن"),
    ];
    assert_eq!(group(ms, &a, None).len(), 2);
}

#[test]
fn english_names_with_and_without_title_are_one_entity() {
    let text = "Barack Obama spoke. Mr. Obama left. Obama smiled.";
    let a = Analysis::new(text, Lang::English);
    let ms = vec![
        mention_at(text, 0, 12, EntityType::Person, "barack obama"),
        mention_at(text, 20, 9, EntityType::Person, "mr. obama"),
        mention_at(text, 36, 5, EntityType::Person, "obama"),
    ];
    let c = group(ms, &a, None);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].name, "Barack Obama");
    let e = to_entities(&c);
    assert_eq!(e[0].mentions[1].text, "Mr. Obama");
}

#[test]
fn title_is_kept_as_a_role_not_in_the_name() {
    let text = "وقال وزير الخارجية الروسي سيرغي لافروف إن الهدنة ممكنة";
    let a = Analysis::new(text, Lang::Arabic);
    let start = text
        .find("سيرغي")
        .map(|b| text[..b].chars().count())
        .unwrap();
    let ms = vec![mention_at(
        text,
        start,
        12,
        EntityType::Person,
        "سيرغي لافروف",
    )];
    let c = group(ms, &a, None);
    assert_eq!(c[0].name, "سيرغي لافروف");
    assert_eq!(c[0].roles, ["وزير الخارجية الروسي"]);
}

#[test]
fn odd_inputs_do_not_panic() {
    let x = Extractor::new().unwrap();
    for text in ["", " ", "،،،", "«»", "و", "لل", "ال", "abc وال 123 ..."] {
        let _ = x.extract(&Document {
            text,
            language: Some("ar"),
            ..Document::default()
        });
    }
}

/// The organisation rules' tags over an untagged sentence.
fn ruled(text: &str) -> (Analysis<'_>, Vec<u8>) {
    let a = Analysis::new(text, Lang::Arabic);
    let mut tags = vec![O; a.tokens.len()];
    ner().apply_rules(&a.tokens, &mut tags);
    (a, tags)
}

fn repaired(text: &str, tags: &[u8]) -> Vec<u8> {
    let n = ner();
    let a = Analysis::new(text, Lang::Arabic);
    let mut tags = tags.to_vec();
    assert_eq!(tags.len(), a.tokens.len());
    n.apply_rules(&a.tokens, &mut tags);
    n.repair_runs(&a.tokens, &mut tags);
    tags
}

#[test]
fn a_conjoined_given_name_starts_a_second_person() {
    let tags = repaired("التقى حسن غزواني ويحيى سالم", &[O, 1, 2, 2, 2]);
    assert_eq!(tags, [O, 1, 2, 1, 2]);
}

#[test]
fn a_person_name_broken_in_two_is_one_name_unless_a_conjunction_parts_them() {
    assert_eq!(
        repaired("غنّت سلمى يوسف في الحفل", &[O, 1, 1, O, O]),
        [O, 1, 2, O, O]
    );
    assert_eq!(
        repaired("غنّت سلمى ويوسف في الحفل", &[O, 1, 1, O, O]),
        [O, 1, 1, O, O]
    );
    assert_eq!(
        repaired("غنّت سلمى ، يوسف في الحفل", &[O, 1, O, 1, O, O]),
        [O, 1, O, 1, O, O]
    );
}

#[test]
fn ali_spelt_with_ya_begins_a_name_where_the_preposition_is_spelt_with_alif_maqsura() {
    assert!(tells_ali_from_ala("ردّ علي رضا على السؤال"));
    assert!(!tells_ali_from_ala("ردّ علي رضا علي السؤال"));
    let n = ner();
    let a = Analysis::new("ردّ علي رضا على السؤال", Lang::Arabic);
    let mut tags = vec![O, O, 1, O, O];
    n.people_named_ali(&a, &a.tokens, &mut tags);
    assert_eq!(tags, [O, 1, 2, O, O]);
    // The preposition, spelt with ى, is left alone.
    let a = Analysis::new("ردّ على رضا أمس", Lang::Arabic);
    let mut tags = vec![O, O, 1, O];
    n.people_named_ali(&a, &a.tokens, &mut tags);
    assert_eq!(tags, [O, O, 1, O]);
}

#[test]
fn a_person_name_goes_on_through_a_patronymic_and_a_family_name() {
    assert_eq!(
        repaired("وصل عثمان بن ناصر أمس", &[O, 1, O, O, O]),
        [O, 1, 2, 2, O]
    );
    assert_eq!(
        repaired("استقبل محمد الشمري الوفد", &[O, 1, O, O]),
        [O, 1, 2, O]
    );
}

#[test]
fn an_organisation_name_goes_on_through_its_complement() {
    let tags = repaired(
        "افتتحت الهيئة العامة للسياحة والتراث الوطني في جدة",
        &[O, 3, 4, O, O, O, O, 5],
    );
    assert_eq!(tags, [O, 3, 4, 4, 4, 4, O, 5]);
}

#[test]
fn a_weekday_ends_an_organisation_name() {
    assert_eq!(repaired("اجتمع مجلس الأمن الاثنين", &[O; 4]), [O, 3, 4, O]);
}

#[test]
fn adjectives_of_relation_and_time_and_complements_of_time_end_an_organisation_name() {
    assert_eq!(
        repaired("قرار مجلس الأمن التابع للأمم المتحدة", &[O, O, O, O, 3, 4]),
        [O, 3, 4, O, 3, 4]
    );
    assert_eq!(repaired("اجتمع مجلس الوزراء الجديد", &[O; 4]), [O, 3, 4, O]);
    assert_eq!(
        repaired("دعم الاتحاد الأوروبي للفترة المقبلة", &[O, 3, 4, O, O]),
        [O, 3, 4, O, O]
    );
}

#[test]
fn an_outlet_or_a_team_is_named_without_the_word_that_describes_it() {
    assert_eq!(repaired("نشرت صحيفة الوطن تقريرا", &[O; 4]), [O, O, 3, O]);
    assert_eq!(repaired("قالت لقناة المحور أمس", &[O; 4]), [O, O, 3, O]);
    assert_eq!(repaired("وفاز فريق الوحدة أمس", &[O; 4]), [O, O, 3, O]);
}

#[test]
fn a_place_name_with_a_masculine_nationality_adjective_is_a_club() {
    assert_eq!(
        repaired("فاز ميلان الإيطالي على ليون الفرنسي", &[O, 5, O, O, O, O]),
        [O, 3, O, O, 3, O]
    );
    // A town takes the feminine: it stays a place.
    assert_eq!(repaired("زار ميلانو الإيطالية", &[O, 5, O]), [O, 5, O]);
}

#[test]
fn a_definite_nisba_in_construct_with_a_team_noun_is_a_club() {
    assert_eq!(repaired("تألق حارس الوحداوي أمس", &[O; 4]), [O, O, 3, O]);
    // An adjective agrees with its noun: indefinite after an indefinite one.
    assert_eq!(repaired("تألق حارس دولي أمس", &[O; 4]), [O; 4]);
    // The club itself and national teams are not a club's name.
    assert_eq!(repaired("هتفت جماهير النادي أمس", &[O; 4]), [O; 4]);
    assert_eq!(repaired("شارك لاعبو الأولمبي أمس", &[O; 4]), [O; 4]);
}

#[test]
fn a_conjoined_known_place_starts_a_second_name() {
    assert_eq!(
        repaired("تعادل أرسنال وموناكو أمس", &[O, 3, 4, O]),
        [O, 3, 3, O]
    );
    // An organisation's own conjunct carries the article.
    assert_eq!(
        repaired("وقعت حركة العدل والمساواة", &[O, 3, 4, 4]),
        [O, 3, 4, 4]
    );
}

#[test]
fn a_head_or_an_adjective_alone_is_no_name() {
    assert_eq!(
        repaired("التقى رئيس نادي أرسنال", &[O, O, 3, 5]),
        [O, O, O, 5]
    );
    assert_eq!(repaired("فاز النادي الكاتالوني أمس", &[O, O, 3, O]), [O; 4]);
    // A family name after a title looks like an adjective and stays.
    assert_eq!(repaired("وقال الشيخ الغزالي", &[O, O, 1]), [O, O, 1]);
}

#[test]
fn a_place_at_the_head_of_a_person_run_is_a_name_of_its_own() {
    assert_eq!(
        repaired("الخرطوم - عبدالواحد لبيني", &[1, 2, 2, 2]),
        [5, O, 1, 2]
    );
    assert_eq!(
        repaired("قالت رئيسة لاتفيا فايرا فيكي", &[O, O, 1, 2, 2]),
        [O, O, 5, 1, 2]
    );
}

#[test]
fn an_unknown_word_after_an_administrative_head_is_a_place() {
    assert_eq!(repaired("وقع في مخيم بلاطة شرقا", &[O; 5]), [O, O, O, 5, O]);
    // A dual head names two.
    assert_eq!(
        repaired("بين بلدتي الباذان وطلوزة جنوبا", &[O; 5]),
        [O, O, 5, 5, O]
    );
    // An adjective is no name: ولاية is also a term of office.
    assert_eq!(repaired("فاز بولاية خامسة", &[O; 3]), [O; 3]);
}

#[test]
fn a_name_like_word_after_a_role_noun_is_a_person() {
    assert_eq!(
        repaired("وتصدى الحارس كوفالسكي للكرة", &[O; 4]),
        [O, O, 1, O]
    );
    // An adjective or a function word after the role is no name.
    assert_eq!(repaired("وصل المدرب الجديد أمس", &[O; 4]), [O; 4]);
    assert_eq!(repaired("وقال المواطن إن الطريق مغلق", &[O; 5]), [O; 5]);
}

#[test]
fn a_future_verb_is_no_part_of_a_name() {
    assert_eq!(repaired("وسيترأس ميناوي السلطة", &[1, 2, O]), [O, 1, O]);
    assert_eq!(repaired("وسيقاومون الاحتلال", &[5, O]), [O, O]);
    // After a person's name it is the name's verb.
    assert_eq!(
        repaired("وقال رامي سيزور القرية", &[O, 1, 2, O]),
        [O, 1, O, O]
    );
    // A name that reads as one (يرغي is a verb) is known as a name.
    assert_eq!(repaired("التقى سيرغي لافروف", &[O, 1, 2]), [O, 1, 2]);
}

#[test]
fn an_indefinite_accusative_noun_ends_a_person_name() {
    assert_eq!(
        repaired("قدمت مها أحمد برنامجا", &[O, 1, 2, 2]),
        [O, 1, 2, O]
    );
}

#[test]
fn a_board_or_management_of_something_is_not_an_organisation_name() {
    assert_eq!(repaired("وافق مجلس الإدارة على الميزانية", &[O; 5]), [O; 5]);
    assert_eq!(repaired("وتتولى إدارة النادي التنظيم", &[O; 4]), [O; 4]);
    // The head's own name still is one.
    assert_eq!(
        repaired("وافق مجلس الوزراء على الميزانية", &[O; 5]),
        [O, 3, 4, O, O]
    );
}

#[test]
fn an_organisation_head_before_a_person_name_names_the_organisation() {
    let tags = repaired("أعلنت حركة نور الدين الزنكي", &[O, O, 1, 2, 2]);
    assert_eq!(tags, [O, 3, 4, 4, 4]);
}

#[test]
fn a_multiword_title_is_not_part_of_a_person_mention() {
    let (m, text) = mention_of("قال آية الله علي خامنئي إن", 1, 5, EntityType::Person);
    assert_eq!(text, "علي خامنئي");
    assert_eq!(m.kind, EntityType::Person);
}

#[test]
fn waw_before_an_unknown_name_is_a_conjunction() {
    let (_, text) = mention_of("التقى وبورخيتو مالانغا", 1, 3, EntityType::Person);
    assert_eq!(text, "بورخيتو مالانغا");
}

#[test]
fn a_given_name_before_a_rare_word_with_the_article_is_a_person() {
    assert_eq!(repaired("ضم المدرب نواف الزعاقي", &[O; 4]), [O, O, 1, 2]);
    // Not when the pair opens a title.
    assert_eq!(repaired("وجه خادم الحرمين الشريفين", &[O; 4]), [O; 4]);
}

#[test]
fn a_facility_with_its_name_and_nisba_adjective_is_a_place() {
    assert_eq!(
        repaired(
            "وصلت السفينة إلى ميناء جدة الإسلامي أمس",
            &[O, O, O, O, 5, O, O]
        ),
        [O, O, O, 5, 6, 6, O]
    );
    // An indefinite adjective after the head is no name.
    assert_eq!(repaired("نقل إلى مستشفى خاصا", &[O; 4]), [O; 4]);
    // Nor is a complement after a preposition.
    assert_eq!(repaired("صنع قاعدة للمصابيح", &[O; 3]), [O; 3]);
}

#[test]
fn a_preposition_before_a_facility_head_is_left_out() {
    let (_, text) = mention_of("وصل الفريق لملعب ليبرتي", 2, 4, EntityType::Location);
    assert_eq!(text, "ملعب ليبرتي");
}

#[test]
fn an_outlet_set_apart_by_quotes_or_a_dateline_is_an_organisation() {
    let (a, tags) = ruled("وقال في تصريح لـ«عكاظ» إن العمل مستمر");
    let i = a.tokens.iter().position(|t| t.norm == "عكاظ").unwrap();
    assert_eq!(tags[i], 3);
    // The same word inside a sentence is left to the tagger.
    assert_eq!(ruled("قرأت عكاظ صباحا").1, [O; 3]);
}

#[test]
fn a_bank_is_named_with_its_nisba_adjectives() {
    assert_eq!(repaired("أعلن البنك الزراعي أرباحه", &[O; 4]), [O, 3, 4, O]);
    assert_eq!(
        repaired("الخطة الجديدة للمصرف الصناعي", &[O; 4]),
        [O, O, 3, 4]
    );
    // Without an adjective it is any bank.
    assert_eq!(repaired("أعلن البنك أرباحه", &[O; 3]), [O; 3]);
}

#[test]
fn a_foreign_word_after_an_outlet_descriptor_is_the_outlet() {
    assert_eq!(repaired("نشرت صحيفة غلوبوس تقريرا", &[O; 4]), [O, O, 3, O]);
    // An adjective describes the outlet; a team is described, not named.
    assert_eq!(repaired("نشرت صحيفة يومية تقريرا", &[O; 4]), [O; 4]);
    assert_eq!(repaired("إنه فريق خطير هجوميا", &[O; 4]), [O; 4]);
}

#[test]
fn a_quoted_name_after_a_descriptor_is_the_whole_quotation() {
    assert_eq!(
        repaired("بثت قناة « ريم 24 » تقريرا", &[O, O, O, 5, O, O, O]),
        [O, O, O, 3, 4, O, O]
    );
    // Unclosed, the quotation is left to the tagger.
    assert_eq!(repaired("بثت قناة « ريم", &[O; 4]), [O; 4]);
}

#[test]
fn an_outlet_named_after_a_place_is_the_outlet_when_quoted() {
    assert_eq!(
        repaired("وقال لـ « الشرق الأوسط » إن", &[O, O, O, 5, 6, O, O]),
        [O, O, O, 3, 4, O, O]
    );
    // Unquoted, the region stays a region.
    assert_eq!(repaired("زار الشرق الأوسط أمس", &[O, 5, 6, O]), [O, 5, 6, O]);
}

#[test]
fn a_movement_named_after_a_person_keeps_its_type_without_the_head() {
    let m = |start, len, kind, key: &str| mention_at("", start, len, kind, key);
    let mut out = vec![
        m(0, 10, EntityType::Organisation, "حركة نور الدين الزنكي"),
        m(20, 8, EntityType::Person, "نور الدين الزنكي"),
        m(40, 6, EntityType::Person, "ياسر اليوسف"),
    ];
    movements_named_after_people(&mut out);
    assert_eq!(out[1].kind, EntityType::Organisation);
    assert_eq!(out[2].kind, EntityType::Person);
}

#[test]
fn the_name_after_an_administrative_head_is_a_place_without_the_head() {
    let text = "وصل الوفد إلى بلدة «كفرنبل» في محافظة «إدلب» أمس";
    let a = Analysis::new(text, Lang::Arabic);
    let mut tags = vec![O; a.tokens.len()];
    let at = |w: &str| a.tokens.iter().position(|t| t.norm == w).unwrap();
    tags[at("كفرنبل")] = 3; // read as an outlet because of the quotes
    let n = ner();
    n.apply_rules(&a.tokens, &mut tags);
    n.repair_runs(&a.tokens, &mut tags);
    assert_eq!(tags[at("كفرنبل")], 5);
    assert_eq!(tags[at("ادلب")], 5);
    assert_eq!(tags[at("بلده")], O);
    assert_eq!(repaired("زار مدينة الرياض", &[O; 3]), [O, O, 5]);
    // An ordinary word after the head is no name.
    assert_eq!(repaired("يسكن في قرية صغيرة", &[O; 4]), [O; 4]);
}

#[test]
fn an_organisation_name_goes_on_through_a_conjoined_genitive() {
    assert_eq!(
        repaired("حققت هيئة الرقابة والتفتيش الإدارية في القضية", &[O; 7]),
        [O, 3, 4, 4, 4, O, O]
    );
    // Not through a relative pronoun or a second organisation.
    assert_eq!(
        repaired("شارك مجلس الشورى والتي عقدت", &[O; 5]),
        [O, 3, 4, O, O]
    );
    assert_eq!(
        repaired("دعم مركز الدراسات والمجلس الأعلى", &[O; 5])[..4],
        [O, 3, 4, O]
    );
}

#[test]
fn an_organisation_named_after_a_person_keeps_its_nisba_adjectives() {
    let tags = repaired("تبرعت مؤسسة سالم العمري الخيرية أمس", &[O, O, 1, 2, O, O]);
    assert_eq!(tags, [O, 3, 4, 4, 4, O]);
}
