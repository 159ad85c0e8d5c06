//! W105: the worst case above `zinit check --max-duration`.

use crate::plan::lint::max_duration_lint;
use crate::plan::model::{Delay, PolicyKind, ScriptPolicy};
use crate::plan::testing::*;
use crate::plan::timing::plan_timing;
use crate::syntax::Span;
use std::time::Duration;

#[test]
fn a_worst_case_within_the_limit_is_fine() {
    let p = plan(
        vec![wait_tcp("db", "db:5432", secs(30))],
        ScriptPolicy::none(),
    );
    let timing = plan_timing(&p);
    assert_eq!(
        max_duration_lint(&p, &timing, secs(30), Span::new(0, 10)),
        None
    );
}

#[test]
fn a_longer_worst_case_warns_and_points_at_the_longest_step() {
    let mut migrate = run("migrate", "./migrate", secs(300));
    migrate.span = Span::new(20, 40);
    let steps = vec![wait_tcp("db", "db:5432", secs(30)), migrate];
    let policy = ScriptPolicy {
        kind: PolicyKind::Restart,
        retries: 1,
        delay: Delay::Fixed(Duration::from_millis(100)),
    };
    let p = plan(steps, policy);
    let timing = plan_timing(&p);
    let diagnostic = max_duration_lint(&p, &timing, secs(300), Span::new(0, 41)).expect("W105");
    assert_eq!(diagnostic.code, "W105");
    assert!(!diagnostic.is_error());
    assert_eq!(
        diagnostic.message,
        "worst case 11m10s100ms exceeds --max-duration 5m"
    );
    assert_eq!(diagnostic.primary.span, Span::new(0, 41));
    assert_eq!(
        diagnostic.primary.message.as_deref(),
        Some("this script can take up to 11m10s100ms (2 passes under its retry policy)")
    );
    assert_eq!(diagnostic.secondary.len(), 1);
    assert_eq!(diagnostic.secondary[0].span, Span::new(20, 40));
    assert_eq!(
        diagnostic.secondary[0].message.as_deref(),
        Some("the longest step, `migrate`: up to 5m5s")
    );
}
