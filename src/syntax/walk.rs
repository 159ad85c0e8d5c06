//! One walk over every span of a tree, parent before children. Used to check
//! that spans nest (tests, editors) and to compare trees ignoring positions.

use super::Span;
use super::ast::{
    Action, BackoffOption, BackoffOptionKind, Clause, ClauseKind, CommandSpec, JsonTest,
    PolicyKind, RetrySchedule, Script, Statement, Step, Text, TextPart,
};

/// Call `visit(parent, span)` for every span in the tree; `parent` is the
/// span of the enclosing node (the script's own span has itself as parent).
pub fn walk_spans_mut(script: &mut Script, visit: &mut dyn FnMut(Span, &mut Span)) {
    let root = script.span;
    visit(root, &mut script.span);
    for statement in &mut script.statements {
        match statement {
            Statement::Policy(policy) => {
                let parent = node(root, &mut policy.span, visit);
                visit(parent, &mut policy.keyword);
                match &mut policy.kind {
                    PolicyKind::None => {}
                    PolicyKind::Restart { count } => {
                        if let Some(count) = count {
                            visit(parent, &mut count.span);
                        }
                    }
                    PolicyKind::Backoff { count, options } => {
                        if let Some(count) = count {
                            visit(parent, &mut count.span);
                        }
                        backoff_options(parent, options, visit);
                    }
                }
            }
            Statement::ZLayer(zlayer) => {
                let parent = node(root, &mut zlayer.span, visit);
                visit(parent, &mut zlayer.keyword);
                visit(parent, &mut zlayer.setting);
                visit(parent, &mut zlayer.on_panic.span);
            }
            Statement::Defaults(defaults) => {
                let parent = node(root, &mut defaults.span, visit);
                visit(parent, &mut defaults.keyword);
                clauses(parent, &mut defaults.clauses, visit);
            }
            Statement::Step(step) => walk_step(root, step, visit),
        }
    }
}

/// A copy of the tree with every span set to `0..0`, to compare trees by
/// meaning alone (e.g. after printing and parsing again).
#[doc(hidden)]
pub fn erase_spans(script: &Script) -> Script {
    let mut erased = script.clone();
    walk_spans_mut(&mut erased, &mut |_, span| *span = Span::default());
    erased
}

/// Visit a node's span; returns it as the parent of the node's children.
fn node(parent: Span, span: &mut Span, visit: &mut dyn FnMut(Span, &mut Span)) -> Span {
    let own = *span;
    visit(parent, span);
    own
}

fn walk_step(parent: Span, step: &mut Step, visit: &mut dyn FnMut(Span, &mut Span)) {
    let parent = node(parent, &mut step.span, visit);
    visit(parent, &mut step.head);
    match &mut step.action {
        Action::WaitTcp { target: t }
        | Action::WaitHttp { url: t }
        | Action::WaitFile { path: t }
        | Action::WaitPostgres { target: t }
        | Action::WaitRedis { target: t }
        | Action::WaitMysql { target: t }
        | Action::WaitDns { name: t }
        | Action::WaitGrpc { target: t } => {
            text(parent, t, visit);
        }
        Action::Run { command } | Action::Start { command } | Action::WaitExec { command } => {
            match command {
                CommandSpec::Shell(t) => text(parent, t, visit),
                CommandSpec::Argv { args, span } => {
                    let list = node(parent, span, visit);
                    args.iter_mut().for_each(|arg| text(list, arg, visit));
                }
            }
        }
        Action::Sleep { duration } => visit(parent, &mut duration.span),
        Action::WaitLog { service } => visit(parent, &mut service.span),
        Action::S3Pull {
            source,
            destination,
        }
        | Action::S3Push {
            source,
            destination,
        } => {
            text(parent, source, visit);
            text(parent, destination, visit);
        }
        Action::Parallel { steps, body } | Action::Any { steps, body } => {
            let body = node(parent, body, visit);
            steps
                .iter_mut()
                .for_each(|member| walk_step(body, member, visit));
        }
    }
    clauses(parent, &mut step.clauses, visit);
}

fn clauses(parent: Span, clauses: &mut [Clause], visit: &mut dyn FnMut(Span, &mut Span)) {
    for clause in clauses {
        let parent = node(parent, &mut clause.span, visit);
        visit(parent, &mut clause.keyword);
        match &mut clause.kind {
            ClauseKind::As(id) | ClauseKind::By(id) => visit(parent, &mut id.span),
            ClauseKind::Times(n) => visit(parent, &mut n.span),
            ClauseKind::Timeout(d) | ClauseKind::Every(d) => visit(parent, &mut d.span),
            ClauseKind::OnFail(value) => visit(parent, &mut value.span),
            ClauseKind::Retry(retry) => {
                visit(parent, &mut retry.count.span);
                match &mut retry.schedule {
                    None => {}
                    Some(RetrySchedule::Every(d)) => visit(parent, &mut d.span),
                    Some(RetrySchedule::Backoff { keyword, options }) => {
                        visit(parent, keyword);
                        backoff_options(parent, options, visit);
                    }
                }
            }
            ClauseKind::Env(pairs) => {
                for pair in pairs {
                    let parent = node(parent, &mut pair.span, visit);
                    visit(parent, &mut pair.key.span);
                    text(parent, &mut pair.value, visit);
                }
            }
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
            | ClauseKind::Ca(t) => text(parent, t, visit),
            ClauseKind::Method(m) => visit(parent, &mut m.span),
            ClauseKind::Follow(n) => visit(parent, &mut n.span),
            ClauseKind::Json(check) => {
                text(parent, &mut check.pointer, visit);
                match &mut check.test {
                    JsonTest::Equals(v) => text(parent, v, visit),
                    JsonTest::Exists(span) => visit(parent, span),
                }
            }
            ClauseKind::Cert { cert, key } => {
                text(parent, cert, visit);
                if let Some(key) = key {
                    text(parent, key, visit);
                }
            }
            ClauseKind::Status(status) => {
                let parent = node(parent, &mut status.span, visit);
                status
                    .items
                    .iter_mut()
                    .for_each(|item| visit(parent, &mut item.span));
            }
            ClauseKind::Closed | ClauseKind::Gone | ClauseKind::Insecure | ClauseKind::Tls => {}
        }
    }
}

fn backoff_options(
    parent: Span,
    options: &mut [BackoffOption],
    visit: &mut dyn FnMut(Span, &mut Span),
) {
    for option in options {
        let parent = node(parent, &mut option.span, visit);
        visit(parent, &mut option.keyword);
        match &mut option.kind {
            BackoffOptionKind::Initial(d) | BackoffOptionKind::Max(d) => visit(parent, &mut d.span),
            BackoffOptionKind::Factor(n) | BackoffOptionKind::Jitter(n) => {
                visit(parent, &mut n.span)
            }
        }
    }
}

fn text(parent: Span, t: &mut Text, visit: &mut dyn FnMut(Span, &mut Span)) {
    let parent = node(parent, &mut t.span, visit);
    for part in &mut t.parts {
        if let TextPart::Var(var) = part {
            visit(parent, &mut var.span);
        }
    }
}
