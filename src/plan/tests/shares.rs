//! A large script's rules and lints run one share of its statements per
//! core (`crate::cores`): what they find is what one pass finds, the
//! defaults before a share included, the checks across shares included.

use crate::check::CheckOptions;
use crate::plan::lint::check_text;
use crate::syntax::Span;

#[test]
fn a_script_checked_in_shares_reports_what_one_pass_does() {
    // Over twice the smallest share: two shares on two cores.
    let waits = 40_000;
    let head = "retry restart 2\nwait tcp a:1 as x on-fail warn\ndefaults every 10s\n";
    let wait = "wait tcp db:1 timeout 5s on-fail warn\n";
    let tail = "wait tcp b:1 as x on-fail continue\n";
    let text = format!("{head}{}{tail}", wait.repeat(waits));
    let at = |needle: &str, from: usize| {
        let start = from + text[from..].find(needle).expect("in the script");
        Span::new(start, start + needle.len())
    };
    let diagnostics = check_text(&text, &CheckOptions::default()).diagnostics;

    // W103 on every wait after the defaults, the last one's `every` from
    // the defaults written in the first share.
    let polls: Vec<_> = diagnostics.iter().filter(|d| d.code == "W103").collect();
    assert_eq!(polls.len(), waits);
    let every = at("every 10s", 0);
    let last_wait = text.len() - tail.len() - wait.len();
    let last = polls.last().expect("a W103");
    assert_eq!(last.primary.span, at("wait tcp", last_wait));
    assert!(last.secondary.iter().any(|l| l.span == every));

    // E100 across the shares: the last `as x` repeats the first.
    let repeat = diagnostics.iter().find(|d| d.code == "E100");
    let repeat = repeat.expect("the repeated id");
    assert_eq!(repeat.primary.span, at("x", text.len() - tail.len()));
    assert_eq!(
        repeat.secondary[0].span,
        at("x", head.find("as x").unwrap())
    );

    // W101 points at the first three lenient `on-fail` clauses, in order.
    let policy = diagnostics.iter().find(|d| d.code == "W101");
    let lenient: Vec<Span> = policy
        .expect("W101")
        .secondary
        .iter()
        .map(|l| l.span)
        .collect();
    let first_wait = head.len();
    assert_eq!(
        lenient,
        [
            at("on-fail warn", 0),
            at("on-fail warn", first_wait),
            at("on-fail warn", first_wait + wait.len()),
        ]
    );
    assert_eq!(diagnostics.len(), waits + 2);
}
