//! Semantic checks and lints on the AST (codes E100–E149, W100–W149). The
//! parser accepts every clause on every step; these rules decide what makes
//! sense, with the defaults in force at each step.

mod clauses;
mod durations;
mod groups;
mod http;
mod ids;
mod log;
mod retry;
mod status;
mod targets;
mod zlayer;

use super::diagnostic::Diagnostic;
use crate::syntax::Span;
use crate::syntax::Spanned;
use crate::syntax::ast::{
    Action, Clause, ClauseKind, Literal, PolicyStmt, Script, Statement, Step, ZLayerStmt,
};
use crate::syntax::clauses::Name;

/// Every semantic diagnostic of the script (unsorted). Conclusions about
/// the whole script's failures (W101) are the plan's (`plan::lint`).
pub(super) fn check(script: &Script, text: &str) -> Vec<Diagnostic> {
    let statements = &script.statements;
    // Each statement is judged on its own: a large script's shares are
    // checked at once, their findings joined in source order. What the
    // checks of the whole script need (ids, policies, `zlayer` settings)
    // is gathered on the way, while each statement is at hand.
    let shares = crate::cores::in_shares(statements.len(), |share| {
        let mut cx = Context {
            text,
            out: Vec::new(),
        };
        let mut found = Whole::default();
        for statement in &statements[share] {
            self::statement(&mut cx, statement);
            match statement {
                Statement::Step(step) => ids::collect(step, &mut found.ids),
                Statement::Policy(p) => found.policies.push(p),
                Statement::ZLayer(z) => found.zlayer.push(z),
                Statement::Defaults(_) => {}
            }
        }
        (cx.out, found)
    });
    let (mut out, mut whole) = (Vec::new(), Whole::default());
    for (diagnostics, found) in shares {
        out.extend(diagnostics);
        whole.ids.extend(found.ids);
        whole.policies.extend(found.policies);
        whole.zlayer.extend(found.zlayer);
    }
    let mut cx = Context { text, out };
    retry::one_policy(&mut cx, &whole.policies);
    zlayer::one_setting(&mut cx, &whole.zlayer);
    ids::duplicates(&mut cx, &whole.ids);
    cx.out
}

/// What the checks of the whole script read, in source order.
#[derive(Default)]
struct Whole<'s> {
    ids: Vec<&'s Spanned<Literal>>,
    policies: Vec<&'s PolicyStmt>,
    zlayer: Vec<&'s ZLayerStmt>,
}

fn statement(cx: &mut Context, statement: &Statement) {
    match statement {
        Statement::ZLayer(_) => {}
        Statement::Policy(p) => retry::policy(cx, p),
        Statement::Defaults(d) => {
            clauses::defaults(cx, d);
            for clause in &d.clauses {
                self::clause(cx, clause);
            }
        }
        Statement::Step(step) => self::step(cx, step),
    }
}

fn step(cx: &mut Context, step: &Step) {
    clauses::step(cx, step);
    targets::action(cx, step);
    log::step(cx, step);
    for clause in &step.clauses {
        self::clause(cx, clause);
        if let ClauseKind::Retry(_) = &clause.kind {
            retry::on_wait(cx, step, clause);
        }
    }
    targets::insecure_on_http(cx, step);
    targets::insecure_without_tls(cx, step);
    http::body_on_head(cx, step);
    match &step.action {
        Action::Sleep { duration } => durations::check(cx, duration, false),
        Action::Parallel { steps, .. } | Action::Any { steps, .. } => {
            groups::group(cx, step);
            for member in steps {
                self::step(cx, member);
            }
        }
        _ => {}
    }
}

/// Checks of a clause's own values, wherever it is written (step or defaults).
fn clause(cx: &mut Context, clause: &Clause) {
    match &clause.kind {
        ClauseKind::Timeout(d) | ClauseKind::Every(d) => durations::check(cx, d, true),
        ClauseKind::Status(spec) => status::check(cx, spec),
        ClauseKind::Endpoint(url) => targets::url(cx, "the `endpoint` URL", url),
        ClauseKind::Cwd(dir) => targets::path(cx, "the `cwd` directory", dir),
        ClauseKind::RecordType(kind) => targets::record_type(cx, kind),
        ClauseKind::Server(server) => targets::dns_server(cx, server),
        ClauseKind::Service(name) => targets::grpc_service(cx, name),
        ClauseKind::Env(pairs) => {
            for pair in pairs {
                let what = format!("the `env` value of `{}`", pair.key.value);
                targets::argument(cx, &what, &pair.value);
            }
        }
        ClauseKind::Retry(retry) => retry::step_retry(cx, retry),
        ClauseKind::Times(times) => log::times(cx, times),
        ClauseKind::Matches(pattern) => log::regex(cx, pattern),
        _ => http::clause(cx, clause),
    }
}

/// Where diagnostics collect, with the text for fixes that need it.
struct Context<'t> {
    text: &'t str,
    out: Vec<Diagnostic>,
}

impl Context<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    fn report(&mut self, verdict: crate::check::values::Verdict<()>) {
        if let Err(diagnostic) = verdict {
            self.push(*diagnostic);
        }
    }

    /// The span to delete to remove `span` cleanly: with the blanks before it.
    fn removal(&self, span: Span) -> Span {
        let before = &self.text[..span.start().min(self.text.len())];
        let trimmed = before.trim_end_matches([' ', '\t']);
        Span::new(trimmed.len(), span.end())
    }
}

/// The step's own clause `name` (the first, if repeated).
fn own(step: &Step, name: Name) -> Option<&Clause> {
    step.clauses.iter().find(|c| Name::of(&c.kind) == name)
}

#[cfg(test)]
mod tests;
