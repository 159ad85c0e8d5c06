//! Statements onto lines: one statement per line (`;`-joined statements
//! stay on their line), clauses in the canonical order, group bodies and
//! continued lines indented, argv lists over several lines one item a line.

use super::INDENT;
use super::writer::Writer;
use crate::syntax::ast::{Action, Clause, CommandSpec, Script, Statement, Step, Text};
use crate::syntax::{Span, Trivia, blank_end, closing_quote, line_len, order, word_end};

pub(super) fn script(src: &str, script: &Script, trivia: &Trivia) -> String {
    let mut w = Writer::new(src, trivia);
    if src.starts_with('\u{feff}') {
        w.out.push('\u{feff}');
        w.read = 3;
    }
    let statements: Vec<(Span, &Statement)> =
        script.statements.iter().map(|s| (s.span(), s)).collect();
    sequence(&mut w, &statements, 0, |w, s, indent| {
        statement(w, s, indent)
    });
    w.end_line(src.len());
    w.own_line_comments(src.len(), 0);
    w.out
}

/// The statements of one block, each on its own line, except that one
/// written after another's `;` on the same line stays there.
fn sequence<T>(
    w: &mut Writer<'_>,
    items: &[(Span, T)],
    indent: usize,
    print: impl Fn(&mut Writer<'_>, &T, usize),
) {
    let mut previous_end = None;
    for (span, item) in items {
        let joined =
            previous_end.is_some_and(|end: usize| !w.src[end..span.start()].contains('\n'));
        if joined {
            w.push("; ");
        } else {
            w.start_line(span.start(), indent);
        }
        print(w, item, indent);
        w.read = span.end();
        previous_end = Some(span.end());
    }
}

fn statement(w: &mut Writer<'_>, statement: &Statement, indent: usize) {
    match statement {
        Statement::Policy(policy) => Line::new(indent).tokens(w, policy.span),
        Statement::ZLayer(zlayer) => Line::new(indent).tokens(w, zlayer.span),
        Statement::Defaults(defaults) => {
            let mut line = Line::new(indent);
            line.tokens(w, defaults.keyword);
            line.clauses(w, &defaults.clauses);
        }
        Statement::Step(step) => self::step(w, step, indent),
    }
}

fn step(w: &mut Writer<'_>, step: &Step, indent: usize) {
    let mut line = Line::new(indent);
    let (head_end, argv) = match &step.action {
        Action::WaitTcp { target: t }
        | Action::WaitHttp { url: t }
        | Action::WaitFile { path: t }
        | Action::WaitPostgres { target: t }
        | Action::WaitRedis { target: t }
        | Action::WaitMysql { target: t }
        | Action::WaitDns { name: t }
        | Action::WaitGrpc { target: t } => (t.span.end(), None),
        Action::Run { command } | Action::Start { command } | Action::WaitExec { command } => {
            match command {
                CommandSpec::Shell(t) => (t.span.end(), None),
                CommandSpec::Argv { args, span } => (span.end(), Some((*span, &args[..]))),
            }
        }
        Action::Sleep { duration } => (duration.span.end(), None),
        Action::WaitLog { service } => (service.span.end(), None),
        Action::S3Pull { destination, .. } | Action::S3Push { destination, .. } => {
            (destination.span.end(), None)
        }
        Action::Parallel { .. } | Action::Any { .. } => (step.head.end(), None),
    };
    match argv {
        Some((span, args)) => {
            line.tokens(w, Span::new(step.span.start(), span.start()));
            line.argv(w, span, args);
        }
        None => line.tokens(w, Span::new(step.span.start(), head_end)),
    }
    line.clauses(w, &step.clauses);
    if let Action::Parallel { steps, body } | Action::Any { steps, body } = &step.action {
        w.push(" {");
        w.read = body.start() + 1;
        let outer = w.open_block();
        let members: Vec<(Span, &Step)> = steps.iter().map(|s| (s.span, s)).collect();
        sequence(w, &members, indent + INDENT, |w, s, indent| {
            self::step(w, s, indent)
        });
        // The `}` is the body's last byte, unless the file ended first.
        let close = if w.src[..body.end()].ends_with('}') {
            body.end() - 1
        } else {
            body.end()
        };
        w.close_block(close, indent, outer, "}");
        w.read = body.end();
    }
}

/// One statement's tokens, on a line at `indent` and the lines a `\`
/// continues (one level deeper).
struct Line {
    indent: usize,
    /// Where the last token written ends in the source.
    last_end: Option<usize>,
}

impl Line {
    fn new(indent: usize) -> Self {
        Line {
            indent,
            last_end: None,
        }
    }

    /// The indent of the line being written.
    fn current_indent(&self, w: &Writer<'_>) -> usize {
        let line = &w.out[w.out.rfind('\n').map_or(0, |i| i + 1)..];
        line.len() - line.trim_start_matches(' ').len()
    }

    /// The blank before a token starting at `start`: none where it is glued
    /// to the one before, a `\` and a new line where one was written.
    fn separate(&mut self, w: &mut Writer<'_>, start: usize) {
        match self.last_end {
            None => {}
            Some(end) if end == start => {}
            Some(_) if continued_before(w.src, start) => {
                w.push(" \\\n");
                w.push(&" ".repeat(self.indent + INDENT));
            }
            Some(_) => w.push(" "),
        }
    }

    /// The tokens of `span` as written, one blank between each.
    fn tokens(&mut self, w: &mut Writer<'_>, span: Span) {
        let mut at = span.start();
        loop {
            at = blank_end(w.src, at);
            if at >= span.end() {
                return;
            }
            let end = token_end(w.src, at).min(span.end());
            self.separate(w, at);
            w.push(&w.src[at..end]);
            self.last_end = Some(end);
            at = end;
        }
    }

    fn clauses(&mut self, w: &mut Writer<'_>, clauses: &[Clause]) {
        for clause in order::ordered(clauses) {
            self.tokens(w, clause.span);
        }
    }

    /// `["a", "b"]` on one line, or, written over several lines, one item
    /// a line with a trailing comma (so comments between items stay put).
    fn argv(&mut self, w: &mut Writer<'_>, span: Span, args: &[Text]) {
        self.separate(w, span.start());
        let multiline = span.slice(w.src).contains('\n');
        if !multiline {
            let items: Vec<&str> = args.iter().map(|a| a.span.slice(w.src)).collect();
            w.push("[");
            w.push(&items.join(", "));
            w.push("]");
        } else {
            let indent = self.current_indent(w);
            w.push("[");
            w.read = span.start() + 1;
            let outer = w.open_block();
            for arg in args {
                w.start_line(arg.span.start(), indent + INDENT);
                w.push(arg.span.slice(w.src));
                w.push(",");
                w.read = arg.span.end();
            }
            w.close_block(span.end() - 1, indent, outer, "]");
        }
        w.read = span.end();
        self.last_end = Some(span.end());
    }
}

/// The end of the token at `at`: a quoted string or a bare word, as the
/// parser reads them.
fn token_end(src: &str, at: usize) -> usize {
    if matches!(src.as_bytes()[at], b'"' | b'\'') {
        return closing_quote(src, at).map_or(at + line_len(&src[at..]), |close| close + 1);
    }
    let end = word_end(src, at);
    if end > at {
        end
    } else {
        at + src[at..].chars().next().map_or(1, char::len_utf8)
    }
}

/// Whether a line continuation ends right before `at` (blanks between).
fn continued_before(src: &str, at: usize) -> bool {
    let before = src[..at].trim_end_matches([' ', '\t']);
    match before.strip_suffix('\n') {
        Some(line) => line.trim_end_matches([' ', '\t', '\r']).ends_with('\\'),
        None => false,
    }
}
