//! Every piece of interpolatable text in a script, for checks that look at
//! all of them (unresolved variables) whatever statement holds them.

use crate::syntax::ast::{Action, Clause, ClauseKind, CommandSpec, Script, Statement, Step, Text};

/// All texts in source order: action arguments and clause values, of steps,
/// parallel members and defaults.
pub fn texts(script: &Script) -> Vec<&Text> {
    let mut out = Vec::new();
    for statement in &script.statements {
        match statement {
            Statement::Policy(_) | Statement::ZLayer(_) => {}
            Statement::Defaults(d) => clauses(&d.clauses, &mut out),
            Statement::Step(step) => self::step(step, &mut out),
        }
    }
    out
}

fn step<'a>(step: &'a Step, out: &mut Vec<&'a Text>) {
    match &step.action {
        Action::WaitTcp { target: t }
        | Action::WaitHttp { url: t }
        | Action::WaitFile { path: t }
        | Action::WaitPostgres { target: t }
        | Action::WaitRedis { target: t }
        | Action::WaitMysql { target: t }
        | Action::WaitDns { name: t }
        | Action::WaitGrpc { target: t } => out.push(t),
        Action::Run { command } | Action::Start { command } | Action::WaitExec { command } => {
            match command {
                CommandSpec::Shell(t) => out.push(t),
                CommandSpec::Argv { args, .. } => out.extend(args),
            }
        }
        Action::Sleep { .. } | Action::WaitLog { .. } => {}
        Action::S3Pull {
            source,
            destination,
        }
        | Action::S3Push {
            source,
            destination,
        } => out.extend([&**source, &**destination]),
        Action::Parallel { .. } | Action::Any { .. } => {}
    }
    clauses(&step.clauses, out);
    if let Some(steps) = step.action.members() {
        for member in steps {
            self::step(member, out);
        }
    }
}

fn clauses<'a>(clauses: &'a [Clause], out: &mut Vec<&'a Text>) {
    for clause in clauses {
        match &clause.kind {
            ClauseKind::Env(pairs) => out.extend(pairs.iter().map(|p| &p.value)),
            ClauseKind::Cwd(t)
            | ClauseKind::BodyContains(t)
            | ClauseKind::Service(t)
            | ClauseKind::Endpoint(t)
            | ClauseKind::Region(t)
            | ClauseKind::RecordType(t)
            | ClauseKind::Server(t)
            | ClauseKind::Value(t)
            | ClauseKind::Contains(t)
            | ClauseKind::Matches(t)
            | ClauseKind::Header(t)
            | ClauseKind::Data(t)
            | ClauseKind::BodyMatches(t)
            | ClauseKind::Ca(t) => out.push(t),
            ClauseKind::Json(check) => {
                out.push(&check.pointer);
                if let crate::syntax::ast::JsonTest::Equals(v) = &check.test {
                    out.push(v);
                }
            }
            ClauseKind::Cert { cert, key } => {
                out.push(cert);
                out.extend(key.as_deref());
            }
            _ => {}
        }
    }
}
