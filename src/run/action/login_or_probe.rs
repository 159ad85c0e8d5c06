//! The shape of `wait postgres` and `wait mysql`: a target without a user
//! is asked by a small probe of the server's first exchange, one with a
//! user by a login; either way each check is bounded.

use super::{Attempt, AttemptCtx, Check, Probe, answered_within, poll_until};
use crate::values::ServiceTarget;
use std::time::Duration;

/// How one protocol asks: its probe, its login, and its bounds.
pub struct Asking<P, L> {
    /// One check gives up after this (or the time left, if less).
    pub limit: Duration,
    /// What a timeout names when no check has answered.
    pub pending: &'static str,
    pub probe: P,
    pub login: L,
}

/// A target with a user in a build without the login's feature fails at
/// once (no amount of waiting logs in), saying how to get one that can.
pub fn login_not_built(built: bool, feature: &str, target: &ServiceTarget) -> Option<Attempt> {
    (target.user.is_some() && !built).then(|| {
        Attempt::failed(format!(
            "this zinit was built without the `{feature}` feature, so it cannot log in \
             (build it with `--features {feature}`, or leave the user out of the URL \
             to wait for the server to take connections)"
        ))
    })
}

/// Checks `target` until ready: `login` when it names a user, else `probe`.
pub async fn wait<'a, P, L, PF, LF>(
    ctx: &AttemptCtx<'_>,
    target: &'a ServiceTarget,
    asking: Asking<P, L>,
) -> Attempt
where
    P: Fn(&'a ServiceTarget) -> PF,
    L: Fn(&'a ServiceTarget) -> LF,
    PF: Future<Output = Probe>,
    LF: Future<Output = Probe>,
{
    poll_until(ctx, &mut LoginOrProbe { target, asking }).await
}

struct LoginOrProbe<'a, P, L> {
    target: &'a ServiceTarget,
    asking: Asking<P, L>,
}

impl<'a, P, L, PF, LF> Check for LoginOrProbe<'a, P, L>
where
    P: Fn(&'a ServiceTarget) -> PF,
    L: Fn(&'a ServiceTarget) -> LF,
    PF: Future<Output = Probe>,
    LF: Future<Output = Probe>,
{
    async fn check(&mut self, _ctx: &AttemptCtx<'_>, budget: Duration) -> Probe {
        let limit = self.asking.limit.min(budget);
        let address = &self.target.address;
        if self.target.user.is_some() {
            answered_within(address, limit, (self.asking.login)(self.target)).await
        } else {
            answered_within(address, limit, (self.asking.probe)(self.target)).await
        }
    }

    fn pending(&self) -> &'static str {
        self.asking.pending
    }
}
