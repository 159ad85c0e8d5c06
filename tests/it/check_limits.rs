//! The checker mirrors a few plan defaults (it may not depend on the later
//! plan stage); they must agree, or E113 and W103 would judge scripts
//! against defaults the plan does not use.

use std::time::Duration;
use zinit::check::limits;
use zinit::plan::model;

#[test]
fn mirrored_defaults_agree_with_the_plan() {
    assert_eq!(
        Duration::from_millis(limits::DEFAULT_WAIT_TIMEOUT_MS),
        model::DEFAULT_WAIT_TIMEOUT
    );
    assert_eq!(
        Duration::from_millis(limits::DEFAULT_BACKOFF_INITIAL_MS),
        model::DEFAULT_BACKOFF_INITIAL
    );
    assert_eq!(
        Duration::from_millis(limits::DEFAULT_BACKOFF_MAX_MS),
        model::DEFAULT_BACKOFF_MAX
    );
}

#[test]
fn retry_limit_fits_the_plan_counts() {
    // Plans count retries in u32; every count the checker accepts must fit.
    assert!(u32::try_from(limits::MAX_RETRIES).is_ok());
}
