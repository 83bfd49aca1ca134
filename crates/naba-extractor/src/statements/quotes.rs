//! Quotation marks: pairing " “” «» „“ ‹› and single quotes into quoted spans.
//!
//! Pairing is done per paragraph with a stack, so one stray mark can at worst
//! swallow the rest of its own paragraph, never the rest of the article. A
//! quote left open at the end of a paragraph continues when the next paragraph
//! opens with a mark of the same family (the English convention for long
//! quotations); otherwise it ends with its paragraph.

use crate::tokenize::{Token, TokenKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// Straight marks and curly marks used both ways: decided by context.
    Either,
}

/// A quoted stretch of text, as token indices and original offsets of its inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Token index of the opening mark.
    pub open: usize,
    /// Token index of the closing mark; `None` when the paragraph ended first.
    pub close: Option<usize>,
    /// First and one-past-last token of the inside.
    pub first: usize,
    pub last: usize,
    /// Nesting depth: 0 for a quote that is not inside another one.
    pub depth: usize,
}

impl Quote {
    /// The token after the quote (past its closing mark, if any).
    pub fn after(&self) -> usize {
        self.close.map_or(self.last, |c| c + 1)
    }
}

/// The quotes of one field, and for each token the top-level quote it lies in.
#[derive(Debug, Default)]
pub struct Quotes {
    pub quotes: Vec<Quote>,
    /// `inside[t]`: index in `quotes` of the depth-0 quote whose inside holds token `t`.
    pub inside: Vec<Option<usize>>,
    /// `opens[t]`: index of the depth-0 quote opened by the mark at token `t`.
    pub opens: Vec<Option<usize>>,
}

fn classify(c: char) -> Option<(Family, Role)> {
    Some(match c {
        '«' | '„' => (Family::Double, Role::Open),
        '»' => (Family::Double, Role::Close),
        '“' | '”' | '"' | '‟' | '″' => (Family::Double, Role::Either),
        '‹' | '‚' => (Family::Single, Role::Open),
        '›' => (Family::Single, Role::Close),
        '‘' | '’' | '\'' | '‛' | '`' | '´' => (Family::Single, Role::Either),
        _ => return None,
    })
}

struct Open {
    family: Family,
    tok: usize,
    /// Tokens the opening mark spans (2 for a doubled apostrophe '').
    width: usize,
    depth: usize,
}

/// Finds the quotes among `tokens`; `chars` is the original text.
pub fn find(tokens: &[Token], chars: &[char]) -> Quotes {
    let n = tokens.len();
    let mut quotes: Vec<Quote> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut skip = false;
    for i in 0..n {
        if std::mem::take(&mut skip) {
            continue;
        }
        let t = &tokens[i];
        if t.line_start && !stack.is_empty() {
            // A paragraph ends with quotes still open: continue the outermost
            // one if this paragraph reopens it, close the rest here.
            let doubled = doubled_mark(tokens, chars, i);
            let reopens = t.kind == TokenKind::Punct
                && chars
                    .get(t.start)
                    .and_then(|&c| classify(c))
                    .is_some_and(|(f, r)| {
                        let f = if doubled { Family::Double } else { f };
                        r != Role::Close && f == stack[0].family
                    });
            if reopens && stack.len() == 1 {
                skip = doubled;
                continue;
            }
            while let Some(o) = stack.pop() {
                quotes.push(Quote {
                    open: o.tok,
                    close: None,
                    first: o.tok + o.width,
                    last: i,
                    depth: o.depth,
                });
            }
        }
        if t.kind != TokenKind::Punct {
            continue;
        }
        let Some((mut family, role)) = chars.get(t.start).and_then(|&c| classify(c)) else {
            continue;
        };
        // Two apostrophes typed for a double mark (''quoted'') are one mark.
        let doubled = family == Family::Single && doubled_mark(tokens, chars, i);
        let width = if doubled { 2 } else { 1 };
        let t = if doubled {
            family = Family::Double;
            &tokens[i + 1]
        } else {
            t
        };
        let i_end = i + width - 1;
        let glued_left = i > 0 && tokens[i - 1].end == tokens[i].start && !tokens[i].line_start;
        let glued_right =
            i_end + 1 < n && tokens[i_end + 1].start == t.end && !tokens[i_end + 1].line_start;
        let word_left = glued_left && tokens[i - 1].kind != TokenKind::Punct;
        let word_right = glued_right && tokens[i_end + 1].kind != TokenKind::Punct;
        if family == Family::Single && word_left && word_right {
            continue; // an apostrophe inside a word: it's, don’t
        }
        let open_of_family = stack.iter().rposition(|o| o.family == family);
        let role = match role {
            Role::Either => {
                if word_right && !word_left {
                    // A glued-right mark also closes a quote typed with the
                    // same mark on both sides ("“word “"), when one is open.
                    if open_of_family.is_some() && !glued_right_only_opens(tokens, i) {
                        Role::Close
                    } else {
                        Role::Open
                    }
                } else if (word_left && !word_right) || open_of_family.is_some() {
                    Role::Close
                } else {
                    Role::Open
                }
            }
            r => r,
        };
        match role {
            Role::Open => {
                if family == Family::Single && !word_right {
                    continue; // a lone ‘ or ' between spaces quotes nothing
                }
                let depth = stack.len();
                stack.push(Open {
                    family,
                    tok: i,
                    width,
                    depth,
                });
                skip = doubled;
            }
            _ => {
                let Some(k) = open_of_family else {
                    continue; // a closing mark with nothing open: ignore it (voters’)
                };
                skip = doubled;
                // Anything opened inside and not closed ends here too.
                while stack.len() > k + 1 {
                    if let Some(o) = stack.pop() {
                        quotes.push(Quote {
                            open: o.tok,
                            close: None,
                            first: o.tok + o.width,
                            last: i,
                            depth: o.depth,
                        });
                    }
                }
                if let Some(o) = stack.pop() {
                    quotes.push(Quote {
                        open: o.tok,
                        close: Some(i_end),
                        first: o.tok + o.width,
                        last: i,
                        depth: o.depth,
                    });
                }
            }
        }
    }
    while let Some(o) = stack.pop() {
        quotes.push(Quote {
            open: o.tok,
            close: None,
            first: o.tok + o.width,
            last: n,
            depth: o.depth,
        });
    }
    // Single-quote "quotes" with nothing but an apostrophe-like fragment, or
    // open single quotes that ran to the end of the paragraph, are most often
    // apostrophes (the ’90s, rock ’n’ roll): drop them.
    quotes.retain(|q| {
        !(q.close.is_none()
            && is_single(tokens, chars, q.open)
            && !doubled_mark(tokens, chars, q.open))
    });
    quotes.retain(|q| q.last > q.first);
    quotes.sort_by_key(|q| q.open);

    let mut inside = vec![None; n];
    let mut opens = vec![None; n];
    for (k, q) in quotes.iter().enumerate() {
        if q.depth != 0 {
            continue;
        }
        opens[q.open] = Some(k);
        for slot in &mut inside[q.first..q.last] {
            if slot.is_none() {
                *slot = Some(k);
            }
        }
    }
    Quotes {
        quotes,
        inside,
        opens,
    }
}

/// Token `i` and the next are the same single mark typed twice, glued ('').
fn doubled_mark(tokens: &[Token], chars: &[char], i: usize) -> bool {
    let (Some(t), Some(u)) = (tokens.get(i), tokens.get(i + 1)) else {
        return false;
    };
    t.kind == TokenKind::Punct
        && u.kind == TokenKind::Punct
        && u.start == t.end
        && t.end == t.start + 1
        && !u.line_start
        && chars.get(u.start) == chars.get(t.start)
        && chars
            .get(t.start)
            .and_then(|&c| classify(c))
            .is_some_and(|(f, _)| f == Family::Single)
}

fn is_single(tokens: &[Token], chars: &[char], i: usize) -> bool {
    tokens
        .get(i)
        .and_then(|t| chars.get(t.start))
        .and_then(|&c| classify(c))
        .is_some_and(|(f, _)| f == Family::Single)
}

/// A glued-right mark at the start of a paragraph or after an opening
/// bracket or colon can only open.
fn glued_right_only_opens(tokens: &[Token], i: usize) -> bool {
    tokens[i].line_start || (i > 0 && matches!(tokens[i - 1].norm.as_str(), ":" | "(" | "[" | ","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::text::Analysis;

    fn quoted(s: &str) -> Vec<String> {
        let a = Analysis::new(s, Lang::Undetermined);
        let q = find(&a.tokens, &a.chars);
        q.quotes
            .iter()
            .filter(|q| q.depth == 0)
            .map(|q| a.slice(a.tokens[q.first].start, a.tokens[q.last - 1].end))
            .collect()
    }

    #[test]
    fn every_double_quote_family_pairs() {
        assert_eq!(
            quoted("a «one two» b “three” c „four“ d \"five\" e"),
            ["one two", "three", "four", "five"]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert_eq!(
            quoted("The voters’ choice, it’s said, is ‘clear’ now."),
            ["clear"]
        );
    }

    #[test]
    fn an_unclosed_quote_ends_with_its_paragraph() {
        let got = quoted("He said «never again\nShe said «yes» today.");
        assert_eq!(got, ["never again", "yes"]);
    }

    #[test]
    fn a_quote_reopened_in_the_next_paragraph_continues() {
        let got = quoted("He said: “First part.\n“Second part.” Then more.");
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("First part.") && got[0].ends_with("Second part."));
    }

    #[test]
    fn nested_quotes_stay_inside_the_outer_one() {
        let a = Analysis::new(
            "He said “they told me ‘go home’ and left” today.",
            Lang::English,
        );
        let q = find(&a.tokens, &a.chars);
        assert_eq!(q.quotes.len(), 2);
        assert_eq!(q.quotes.iter().filter(|q| q.depth == 0).count(), 1);
    }

    #[test]
    fn same_mark_on_both_sides_still_pairs() {
        assert_eq!(quoted("وصلت إلى “مليون م2 “، وقال"), ["مليون م2"]);
    }

    #[test]
    fn a_stray_closing_mark_does_not_break_later_quotes() {
        assert_eq!(quoted("odd » mark then «real one» here"), ["real one"]);
    }
}
