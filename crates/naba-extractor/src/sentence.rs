//! Sentence boundaries: line breaks, and . ! ? ؟ followed by a space, except
//! after abbreviations and initials (Mr., U.S., J.).

use crate::tokenize::{Token, TokenKind};
use std::ops::Range;

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "maj", "capt", "sgt",
    "st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "e.g", "i.e", "etc", "rev",
    "hon", "pres", "sept", "ft", "mt", "dept", "univ", "assn", "bros", "ave",
];

/// Splits tokens into sentences; returns ranges of token indices.
pub fn split(tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        if i > start && tokens[i].line_start {
            out.push(start..i);
            start = i;
        }
        let t = &tokens[i];
        if t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "." | "!" | "?") {
            let prev = if i > 0 { Some(&tokens[i - 1]) } else { None };
            let abbrev = t.norm == "."
                && prev.is_some_and(|p| {
                    p.nend == t.nstart
                        && (ABBREVIATIONS.contains(&p.norm.as_str())
                            || (p.norm.chars().count() == 1 && p.capitalized))
                });
            // Closing quotes and brackets right after the stop belong to this sentence.
            let mut end = i + 1;
            while end < tokens.len()
                && !tokens[end].line_start
                && tokens[end].kind == TokenKind::Punct
                && matches!(tokens[end].norm.as_str(), "\"" | "'" | ")" | "]")
            {
                end += 1;
            }
            if !abbrev && end < tokens.len() && !tokens[end].line_start {
                out.push(start..end);
                start = end;
            }
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}
