//! JSON Lines input shared by `naba extract` and `naba produce`: the named
//! files or standard input, read one line at a time (an article can be
//! megabytes, a file gigabytes), each line tagged with where it came from so
//! that a rejected line can be found again.

use anyhow::Context;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

/// A named input: the name appears in error messages as `name:line`.
pub type Source = (String, Box<dyn Read>);

/// The files, in the order given, or standard input when there are none.
/// Every file is opened before any is read, so a wrong path fails at once.
pub fn open(files: &[PathBuf]) -> anyhow::Result<Vec<Source>> {
    if files.is_empty() {
        return Ok(vec![("<stdin>".into(), Box::new(std::io::stdin().lock()))]);
    }
    files
        .iter()
        .map(|f| {
            let file =
                std::fs::File::open(f).with_context(|| format!("opening {}", f.display()))?;
            Ok((f.display().to_string(), Box::new(file) as Box<dyn Read>))
        })
        .collect()
}

/// Calls `each(origin, number, line)` for every line that is not blank, in
/// order, without its line ending. Numbers count blank lines too, so they
/// match an editor's. Stops at the first error, from reading or from `each`.
pub fn for_each_line(
    sources: Vec<Source>,
    mut each: impl FnMut(&str, usize, Vec<u8>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    for (origin, reader) in sources {
        let mut reader = BufReader::new(reader);
        let mut number = 0usize;
        loop {
            let mut line = Vec::new();
            let n = reader
                .read_until(b'\n', &mut line)
                .with_context(|| format!("reading {origin}"))?;
            if n == 0 {
                break;
            }
            number += 1;
            for end in [b'\n', b'\r'] {
                if line.last() == Some(&end) {
                    line.pop();
                }
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            each(&origin, number, line)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(inputs: &[(&str, &'static str)]) -> Vec<(String, usize, String)> {
        let sources = inputs
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    Box::new(std::io::Cursor::new(text.as_bytes())) as Box<dyn Read>,
                )
            })
            .collect();
        let mut seen = Vec::new();
        for_each_line(sources, |origin, number, line| {
            seen.push((origin.to_string(), number, String::from_utf8(line)?));
            Ok(())
        })
        .unwrap();
        seen
    }

    #[test]
    fn blank_lines_are_skipped_but_counted_and_line_endings_dropped() {
        let seen = lines(&[
            ("a", "{\"id\":1}\r\n\n  \n{\"id\":2}"),
            ("b", "{\"id\":3}\n"),
        ]);
        assert_eq!(
            seen,
            [
                ("a".into(), 1, "{\"id\":1}".into()),
                ("a".into(), 4, "{\"id\":2}".into()),
                ("b".into(), 1, "{\"id\":3}".into()),
            ]
        );
    }

    #[test]
    fn a_missing_file_fails_naming_it() {
        let Err(e) = open(&[PathBuf::from("/nonexistent/naba-input.jsonl")]) else {
            panic!("opened a missing file");
        };
        assert!(format!("{e:#}").contains("naba-input.jsonl"), "{e:#}");
    }
}
