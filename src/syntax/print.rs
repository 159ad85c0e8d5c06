//! AST → canonical text: one statement per line, clauses in the canonical
//! order, parallel bodies indented by four spaces, values written so they
//! parse back to the same tree (with its clauses in that order). Not the
//! formatter (`crate::fmt`): comments are not in the tree, and values are
//! written from their meaning (`90s` as `1m30s`), not as written.

use super::ast::{
    Action, BackoffOption, BackoffOptionKind, Clause, ClauseKind, CommandSpec, DurationLit,
    Fallback, JsonTest, PolicyKind, PolicyStmt, Quote, RetrySchedule, Script, Statement,
    StatusItem, Step, Text, TextPart, VarRef,
};
use std::fmt::Write as _;

pub fn print(script: &Script) -> String {
    let mut out = String::new();
    for statement in &script.statements {
        match statement {
            Statement::Policy(policy) => out.push_str(&policy_text(policy)),
            Statement::ZLayer(zlayer) => {
                out.push_str("zlayer on-panic ");
                out.push_str(zlayer.on_panic.value.as_str());
            }
            Statement::Defaults(defaults) => {
                out.push_str("defaults");
                push_clauses(&mut out, &defaults.clauses);
            }
            Statement::Step(step) => push_step(&mut out, step, 0),
        }
        out.push('\n');
    }
    out
}

fn policy_text(policy: &PolicyStmt) -> String {
    match &policy.kind {
        PolicyKind::None => "retry none".into(),
        PolicyKind::Restart { count } => match count {
            Some(n) => format!("retry restart {}", n.value),
            None => "retry restart".into(),
        },
        PolicyKind::Backoff { count, options } => {
            let mut out = "retry backoff".to_string();
            if let Some(n) = count {
                let _ = write!(out, " {}", n.value);
            }
            push_backoff_options(&mut out, options);
            out
        }
    }
}

fn push_step(out: &mut String, step: &Step, indent: usize) {
    out.push_str(&" ".repeat(indent));
    match &step.action {
        Action::WaitTcp { target } => push_words(out, &["wait tcp ", &text(target)]),
        Action::WaitHttp { url } => push_words(out, &["wait http ", &text(url)]),
        Action::WaitFile { path } => push_words(out, &["wait file ", &text(path)]),
        Action::WaitPostgres { target } => push_words(out, &["wait postgres ", &text(target)]),
        Action::WaitRedis { target } => push_words(out, &["wait redis ", &text(target)]),
        Action::WaitMysql { target } => push_words(out, &["wait mysql ", &text(target)]),
        Action::WaitDns { name } => push_words(out, &["wait dns ", &text(name)]),
        Action::WaitGrpc { target } => push_words(out, &["wait grpc ", &text(target)]),
        Action::WaitExec { command } => push_words(out, &["wait exec ", &command_text(command)]),
        Action::WaitLog { service } => push_words(out, &["wait log ", &service.value]),
        Action::Run { command } => push_words(out, &["run ", &command_text(command)]),
        Action::Start { command } => push_words(out, &["start ", &command_text(command)]),
        Action::Sleep { duration: d } => push_words(out, &["sleep ", &duration(d)]),
        Action::S3Pull {
            source,
            destination,
        } => {
            push_words(
                out,
                &["s3 pull ", &text(source), " to ", &text(destination)],
            );
        }
        Action::S3Push {
            source,
            destination,
        } => {
            push_words(
                out,
                &["s3 push ", &text(source), " to ", &text(destination)],
            );
        }
        Action::Parallel { steps, .. } | Action::Any { steps, .. } => {
            out.push_str(step.action.name());
            push_clauses(out, &step.clauses);
            out.push_str(" {\n");
            for member in steps {
                push_step(out, member, indent + 4);
                out.push('\n');
            }
            out.push_str(&" ".repeat(indent));
            out.push('}');
            return;
        }
    }
    push_clauses(out, &step.clauses);
}

fn push_words(out: &mut String, words: &[&str]) {
    words.iter().for_each(|w| out.push_str(w));
}

/// In the canonical order, which never puts a poll interval (`every D`)
/// right after a `retry N` that would take it as its delay.
fn push_clauses(out: &mut String, clauses: &[Clause]) {
    for clause in super::order::ordered(clauses) {
        push_clause(out, clause);
    }
}

fn push_clause(out: &mut String, clause: &Clause) {
    out.push(' ');
    let _ = match &clause.kind {
        ClauseKind::As(id) => write!(out, "as {}", id.value),
        ClauseKind::Timeout(d) => write!(out, "timeout {}", duration(d)),
        ClauseKind::OnFail(v) => write!(out, "on-fail {}", v.value.as_str()),
        ClauseKind::Retry(retry) => {
            let _ = write!(out, "retry {}", retry.count.value);
            match &retry.schedule {
                None => {}
                Some(RetrySchedule::Every(d)) => {
                    let _ = write!(out, " every {}", duration(d));
                }
                Some(RetrySchedule::Backoff { options, .. }) => {
                    out.push_str(" backoff");
                    push_backoff_options(out, options);
                }
            }
            Ok(())
        }
        ClauseKind::Every(d) => write!(out, "every {}", duration(d)),
        ClauseKind::Env(pairs) => {
            out.push_str("env");
            for pair in pairs {
                let _ = write!(out, " {}={}", pair.key.value, text(&pair.value));
            }
            Ok(())
        }
        ClauseKind::Cwd(t) => write!(out, "cwd {}", text(t)),
        ClauseKind::Closed => write!(out, "closed"),
        ClauseKind::Gone => write!(out, "gone"),
        ClauseKind::Insecure => write!(out, "insecure"),
        ClauseKind::Status(status) => {
            let items: Vec<String> = status.items.iter().map(|i| status_item(i.value)).collect();
            write!(out, "status {}", items.join(","))
        }
        ClauseKind::BodyContains(t) => write!(out, "body contains {}", text(t)),
        ClauseKind::Service(t) => write!(out, "service {}", text(t)),
        ClauseKind::Tls => write!(out, "tls"),
        ClauseKind::Endpoint(t) => write!(out, "endpoint {}", text(t)),
        ClauseKind::Region(t) => write!(out, "region {}", text(t)),
        ClauseKind::RecordType(t) => write!(out, "type {}", text(t)),
        ClauseKind::Server(t) => write!(out, "server {}", text(t)),
        ClauseKind::Value(t) => write!(out, "value {}", text(t)),
        ClauseKind::Contains(t) => write!(out, "contains {}", text(t)),
        ClauseKind::Matches(t) => write!(out, "matches {}", text(t)),
        ClauseKind::Times(n) => write!(out, "times {}", n.value),
        ClauseKind::By(service) => write!(out, "by {}", service.value),
        ClauseKind::Method(m) => write!(out, "method {}", m.value),
        ClauseKind::Header(t) => write!(out, "header {}", text(t)),
        ClauseKind::Data(t) => write!(out, "data {}", text(t)),
        ClauseKind::BodyMatches(t) => write!(out, "body matches {}", text(t)),
        ClauseKind::Json(check) => match &check.test {
            JsonTest::Equals(v) => write!(out, "json {} == {}", text(&check.pointer), text(v)),
            JsonTest::Exists(_) => write!(out, "json {} exists", text(&check.pointer)),
        },
        ClauseKind::Ca(t) => write!(out, "ca {}", text(t)),
        ClauseKind::Cert { cert, key } => {
            let _ = write!(out, "cert {}", text(cert));
            match key {
                Some(key) => write!(out, " key {}", text(key)),
                None => Ok(()),
            }
        }
        ClauseKind::Follow(n) => write!(out, "follow {}", n.value),
    };
}

fn push_backoff_options(out: &mut String, options: &[BackoffOption]) {
    for option in options {
        let _ = match &option.kind {
            BackoffOptionKind::Initial(d) => write!(out, " initial {}", duration(d)),
            BackoffOptionKind::Max(d) => write!(out, " max {}", duration(d)),
            BackoffOptionKind::Factor(f) => write!(out, " factor {}", f.value),
            BackoffOptionKind::Jitter(p) => write!(out, " jitter {}%", p.value),
        };
    }
}

fn status_item(item: StatusItem) -> String {
    match item {
        StatusItem::Code(code) => code.to_string(),
        StatusItem::Range(lo, hi) => format!("{lo}..{hi}"),
        StatusItem::Class(class) => format!("{class}xx"),
    }
}

/// Canonical duration text: `1h2m3s500ms`; `0s` for zero.
pub fn duration(d: &DurationLit) -> String {
    let Some(mut millis) = d.millis else {
        return "0s".into();
    };
    if millis == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
        if millis >= size {
            let _ = write!(out, "{}{unit}", millis / size);
            millis %= size;
        }
    }
    out
}

pub fn command_text(command: &CommandSpec) -> String {
    match command {
        CommandSpec::Shell(t) => text(t),
        CommandSpec::Argv { args, .. } => {
            let args: Vec<String> = args.iter().map(text).collect();
            format!("[{}]", args.join(", "))
        }
    }
}

/// A text value in its own quoting; a bare word that could not be read back
/// as one word is written double-quoted instead.
pub fn text(t: &Text) -> String {
    match t.quote {
        Quote::Single
            if t.parts
                .iter()
                .all(|p| matches!(p, TextPart::Literal(s) if !s.contains(['\'', '\n']))) =>
        {
            format!("'{}'", t.literal().unwrap_or_default())
        }
        Quote::Bare if bare_is_safe(t) => t.parts.iter().map(|p| part(p, false)).collect(),
        _ => format!(
            "\"{}\"",
            t.parts.iter().map(|p| part(p, true)).collect::<String>()
        ),
    }
}

fn bare_is_safe(t: &Text) -> bool {
    let printed: String = t.parts.iter().map(|p| part(p, false)).collect();
    let literal_ok = t.parts.iter().all(|p| match p {
        TextPart::Literal(s) => {
            !s.contains(|c: char| c.is_whitespace() || matches!(c, ';' | '{' | '}' | '"' | '\''))
        }
        TextPart::Var(_) => true,
    });
    literal_ok && !printed.starts_with('#') && !printed.ends_with('\\')
}

fn part(p: &TextPart, quoted: bool) -> String {
    match p {
        TextPart::Literal(s) => s.chars().map(|c| escape(c, quoted)).collect(),
        TextPart::Var(v) => var(v),
    }
}

fn escape(c: char, quoted: bool) -> String {
    match c {
        '$' => "$$".into(),
        _ if !quoted => c.to_string(),
        '"' => "\\\"".into(),
        '\\' => "\\\\".into(),
        '\n' => "\\n".into(),
        '\t' => "\\t".into(),
        '\r' => "\\r".into(),
        '\0' => "\\0".into(),
        c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
        c => c.to_string(),
    }
}

fn var(v: &VarRef) -> String {
    match &v.fallback {
        Fallback::None => format!("${{{}}}", v.name),
        Fallback::Default(d) => format!("${{{}:-{d}}}", v.name),
        Fallback::Error(m) => format!("${{{}:?{m}}}", v.name),
    }
}
