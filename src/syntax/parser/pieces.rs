//! A large script is parsed in pieces, one thread each. The text is cut
//! after newlines, and each piece is parsed from its cut as if a statement
//! started there. A cut that falls inside a statement (a continued line, an
//! argv list or a `parallel` body over several lines) is noticed, and the
//! text after it is parsed again in sequence, so the result is always the
//! one a single pass gives.
//!
//! Why that is exact: at the top level, between two statements, the whole
//! state of the parser is its position. The parser before a cut stops at its
//! first statement at or after the cut; when that is where the next piece's
//! parser found its first statement, both would go on alike from there.

use super::cursor::Parser;
use crate::syntax::ast::Statement;
use crate::syntax::{SyntaxError, Trivia};

/// The statements, errors and (when collected) trivia of a parse.
type Pass = (Vec<Statement>, Vec<SyntaxError>, Trivia);

/// Below this many bytes a piece is not worth a thread: one thread parses a
/// 500 KB script in a few milliseconds.
const MIN_PIECE_LEN: usize = 1 << 20;

/// The top-level statements, the errors and the trivia, in the order a
/// single pass finds them.
pub(super) fn parse_statements(source: &str, collect_trivia: bool) -> Pass {
    parse_in_pieces(source, &cuts(source), collect_trivia)
}

/// Where to cut `source`, one piece per core: at the first line past each
/// equal share that looks like the start of a top-level statement.
fn cuts(source: &str) -> Vec<usize> {
    if source.len() < 2 * MIN_PIECE_LEN {
        return Vec::new();
    }
    let cores = crate::cores::count();
    let pieces = cores.min(source.len() / MIN_PIECE_LEN);
    let mut cuts: Vec<usize> = Vec::new();
    for k in 1..pieces {
        let share = source.len() * k / pieces;
        let Some(cut) = statement_line_after(source.as_bytes(), share) else {
            break;
        };
        if cut < source.len() && cuts.last().is_none_or(|&last| cut > last) {
            cuts.push(cut);
        }
    }
    cuts
}

/// How far past a share's end a cut looks for a statement's line before it
/// takes the first line there is.
const CUT_SEARCH_LEN: usize = 64 * 1024;

/// The start of the first line after `from` that begins with a keyword's
/// letter at its first column, after a line that leaves nothing open (no
/// final `\\`, `[`, `,` or `{`); else of the first line. Only a guess: a
/// cut inside a statement is exact too, but its piece is parsed twice.
fn statement_line_after(bytes: &[u8], from: usize) -> Option<usize> {
    let window = &bytes[from..bytes.len().min(from + CUT_SEARCH_LEN)];
    let opens = |text: &[u8]| {
        let last = text.trim_ascii_end().last();
        last.map(|&b| matches!(b, b'\\' | b'[' | b',' | b'{'))
    };
    // The verdict of the last line with something on it; blank lines keep
    // it. Each line is read once (looking back over all the text before
    // every newline made a text of blank lines quadratic).
    let mut leaves_open = opens(&bytes[..from]).unwrap_or(false);
    let mut line_start = from;
    let mut first = None;
    for newline in memchr::memchr_iter(b'\n', window) {
        let end = from + newline;
        leaves_open = opens(&bytes[line_start..end]).unwrap_or(leaves_open);
        let start = end + 1;
        line_start = start;
        if start >= bytes.len() {
            break;
        }
        first.get_or_insert(start);
        if bytes[start].is_ascii_lowercase() && !leaves_open {
            return Some(start);
        }
    }
    first.or_else(|| {
        let newline = memchr::memchr(b'\n', &bytes[from..])?;
        Some(from + newline + 1).filter(|&start| start < bytes.len())
    })
}

/// The text from one cut to the first statement at or after the next.
struct Piece {
    /// Where its first statement starts (after the blank lines and
    /// comments at the cut).
    first: usize,
    /// Where its next statement would start.
    end: usize,
    statements: Vec<Statement>,
    errors: Vec<SyntaxError>,
    /// From `first` on: the trivia before it are the previous piece's.
    trivia: Trivia,
}

/// `cuts`: increasing offsets, each just after a newline. The first piece is
/// parsed on this thread, the others each on their own.
fn parse_in_pieces(source: &str, cuts: &[usize], collect_trivia: bool) -> Pass {
    // Piece `i` ends where piece `i + 1` starts.
    let stop = |i: usize| cuts.get(i).copied().unwrap_or(usize::MAX);
    std::thread::scope(|scope| {
        let pieces: Vec<_> = (0..cuts.len())
            .map(|i| scope.spawn(move || parse_piece(source, cuts[i], stop(i + 1), collect_trivia)))
            .collect();
        let mut parser = Parser::new(source);
        parser.collect_trivia = collect_trivia;
        let mut statements = statement_list(statements_at_most(source));
        parser.parse_sequence_into(&mut statements, 0, Parser::parse_statement, stop(0));
        for (i, piece) in pieces.into_iter().enumerate() {
            let piece = piece
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if parser.pos == piece.first {
                statements.extend(piece.statements);
                parser.errors.extend(piece.errors);
                parser.trivia.extend(piece.trivia);
                parser.pos = piece.end;
            } else {
                // The cut fell inside a statement: go on from here instead.
                parser.parse_sequence_into(
                    &mut statements,
                    0,
                    Parser::parse_statement,
                    stop(i + 1),
                );
            }
        }
        (statements, parser.errors, parser.trivia)
    })
}

fn parse_piece(source: &str, cut: usize, stop: usize, collect_trivia: bool) -> Piece {
    let mut parser = Parser::new(source);
    parser.pos = cut;
    // The previous piece's parser records what lies between the cut and
    // `first`: it reads up to `first` before it stops.
    parser.skip_separators();
    parser.collect_trivia = collect_trivia;
    let first = parser.pos;
    let text = &source[cut..stop.min(source.len())];
    let mut statements = statement_list(statements_at_most(text));
    parser.parse_sequence_into(&mut statements, 0, Parser::parse_statement, stop);
    Piece {
        first,
        end: parser.pos,
        statements,
        errors: parser.errors,
        trivia: parser.trivia,
    }
}

/// An empty list with room for `capacity` statements, on huge pages where
/// the command allows them (a large script's list is megabytes).
fn statement_list(capacity: usize) -> Vec<Statement> {
    let list: Vec<Statement> = Vec::with_capacity(capacity);
    crate::pages::prefer_huge(list.as_ptr().cast(), capacity * size_of::<Statement>());
    list
}

/// How many statements `source` can hold: one per newline or `;`, and at
/// most one per 7 bytes (few are shorter than `sleep 1s;`). Reserved up
/// front, the list of a large script is written once; grown by doubling it
/// would be copied again and again. Room left unused is never touched, so
/// it costs address space, not memory.
fn statements_at_most(source: &str) -> usize {
    let separators = memchr::memchr2_iter(b'\n', b';', source.as_bytes()).count();
    (separators + 1).min(source.len() / 7 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every line start of `source` (and every pair of them) as cuts.
    fn assert_any_cut_gives_one_pass(source: &str) {
        let whole = parse_in_pieces(source, &[], true);
        let line_starts: Vec<usize> = source
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < source.len())
            .collect();
        for (n, &a) in line_starts.iter().enumerate() {
            assert_eq!(
                parse_in_pieces(source, &[a], true),
                whole,
                "cut at {a} in {source:?}"
            );
            for &b in &line_starts[n + 1..] {
                assert_eq!(
                    parse_in_pieces(source, &[a, b], true),
                    whole,
                    "cuts at {a}, {b} in {source:?}"
                );
            }
        }
    }

    #[test]
    fn cuts_inside_statements_change_nothing() {
        for source in [
            "wait tcp db:5432\nrun \"x\" \\\n  timeout 5s\nsleep 1s\n",
            "run [\n  \"a\",\n  \"b\",\n] env A=1\nsleep 1s\n",
            "parallel {\n  wait tcp a:1\n  sleep 1s\n}\nsleep 2s\n",
            "parallel {\nparallel {\nsleep 1s\n}\n}\n}\nsleep 1s\n",
            "# comment\n\n\nsleep 1s # more\n\n; ;\nwait file /x\n",
            "parallel {\nsleep 1s\n",
            "run \"unclosed\nsleep 1s\n}\nwiat tcp x:1\nretry backoff 3 initial 1s\n",
            "run [\"a\"\n\"b\"]\nsleep 1s\n",
            "\u{feff}sleep 1s\r\nsleep 2s\r\n",
            "run [ # a\n  \"a\", # b\n\n]\nsleep 1s # c\r\n\n  \n# d\nparallel # e\n{ # f\n}\n",
        ] {
            assert_any_cut_gives_one_pass(source);
        }
    }

    #[test]
    fn only_large_scripts_are_cut_after_newlines() {
        assert!(cuts(&"sleep 1s\n".repeat(1000)).is_empty());
        let large = "sleep 1s\n".repeat(3 * MIN_PIECE_LEN / 9);
        for cut in cuts(&large) {
            assert_eq!(large.as_bytes()[cut - 1], b'\n');
        }
    }

    #[test]
    fn cuts_fall_where_a_top_level_statement_starts() {
        let block = "parallel {\n    wait tcp a:1\n    sleep 1s\n}\nrun [\n  \"x\",\n]\n";
        let large = block.repeat(3 * MIN_PIECE_LEN / block.len());
        let cuts = cuts(&large);
        // One core: no cut to judge.
        assert_eq!(cuts.is_empty(), crate::cores::count() == 1);
        for cut in cuts {
            let line = &large[cut..large[cut..].find('\n').unwrap() + cut];
            assert!(line == "parallel {" || line == "run [", "cut at {line:?}");
        }
    }

    #[test]
    fn a_text_of_blank_lines_is_cut_in_one_look_per_line() {
        // Before, each newline looked back over every blank before it: this
        // text took minutes to cut.
        let blank = format!(
            "{}sleep 1s\n{}",
            "\n".repeat(3 * MIN_PIECE_LEN),
            " \n".repeat(MIN_PIECE_LEN)
        );
        let share = blank.len() / 2;
        let cut = statement_line_after(blank.as_bytes(), share).expect("a cut");
        assert_eq!(
            cut,
            share + 1,
            "no statement within the search: the first line"
        );
        let after_blank = "\n".repeat(3 * MIN_PIECE_LEN) + "run [\n\n\n\"x\",\n]\nsleep 1s\n";
        let from = 3 * MIN_PIECE_LEN - 10;
        let cut = statement_line_after(after_blank.as_bytes(), from).expect("a cut");
        assert_eq!(&after_blank[cut..], "run [\n\n\n\"x\",\n]\nsleep 1s\n");
        // Inside the list, blank lines keep `[` open: `]` and `"x"` are
        // not statements; the next one is after the list.
        let inside = statement_line_after(after_blank.as_bytes(), cut + 1).expect("a cut");
        assert_eq!(&after_blank[inside..], "sleep 1s\n");
    }

    proptest! {
        #[test]
        fn random_scripts_parse_alike_in_pieces(
            lines in proptest::collection::vec(
                prop::sample::select(vec![
                    "sleep 1s", "wait tcp db:5432 timeout 3s", "parallel {", "}", "{",
                    "run [", "\"a\",", "]", "run \"x\" \\", "  retry 2", "# c", "",
                    "start 'x' env A=\"1 2\"", "retry restart 2", "defaults timeout 1s",
                    "wait http http://h/#x status 2xx;", "run \"open", "wiat x", "]; sleep 2s", "sleep 1s # t", "\"b\", # c",
                ]),
                0..24,
            ),
            picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
        ) {
            let source = lines.join("\n");
            let line_starts: Vec<usize> = source
                .match_indices('\n')
                .map(|(i, _)| i + 1)
                .collect();
            let mut cuts: Vec<usize> = if line_starts.is_empty() {
                Vec::new()
            } else {
                picks.iter().map(|p| line_starts[p.index(line_starts.len())]).collect()
            };
            cuts.retain(|&c| c < source.len());
            cuts.sort_unstable();
            cuts.dedup();
            prop_assert_eq!(
                parse_in_pieces(&source, &cuts, true),
                parse_in_pieces(&source, &[], true)
            );
        }
    }
}
