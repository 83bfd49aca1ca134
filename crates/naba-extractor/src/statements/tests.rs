//! Behaviour tests on sentences written for them.

use super::*;
use crate::text::Analysis;

fn run(text: &str, lang: Lang) -> Vec<Statement> {
    let a = Analysis::new(text, lang);
    find(&a, None, &[])
}

#[test]
fn smoke() {
    let s = run("وقال الوزير سامي الخطيب إن الاجتماع انتهى.", Lang::Arabic);
    assert_eq!(s.len(), 1);
}
