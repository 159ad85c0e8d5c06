//! Behaviour of each rule, through `check_source` as users see it.

use crate::check::diagnostic::{Diagnostic, Fix};
use crate::check::env::Env;
use crate::check::{CheckOptions, check_source};

fn diagnostics(src: &str) -> Vec<Diagnostic> {
    check_source(src, &CheckOptions::default()).diagnostics
}

fn codes(src: &str) -> Vec<&'static str> {
    diagnostics(src).iter().map(|d| d.code).collect()
}

fn only(src: &str, code: &str) -> Diagnostic {
    let found: Vec<Diagnostic> = diagnostics(src)
        .into_iter()
        .filter(|d| d.code == code)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {code} in {src:?}, got {found:#?}"
    );
    found.into_iter().next().expect("one")
}

fn apply(src: &str, fix: &Fix) -> String {
    let mut out = src.to_string();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start()));
    for edit in edits {
        out.replace_range(edit.span.start()..edit.span.end(), &edit.replacement);
    }
    out
}

/// Applies the diagnostic's fix and returns the fixed text.
fn fixed(src: &str, code: &str) -> String {
    let d = only(src, code);
    apply(src, d.fix.as_ref().expect("a fix"))
}

#[test]
fn clean_script_has_no_diagnostics() {
    let src = "wait tcp db:5432 as db\nwait http http://api:8080/health status 2xx\n\
               run \"./migrate\" env A=1 env B=2 retry 2\nparallel timeout 1m { sleep 1s; start 'x' }\n";
    assert_eq!(codes(src), Vec::<&str>::new());
}

#[test]
fn duplicate_explicit_ids_point_at_the_first_and_suggest_a_free_one() {
    let src = "wait tcp db:5432 as db\nparallel { run 'x' as db-2; run 'y' as db }\n";
    let d = only(src, "E100");
    assert_eq!(d.primary.span.slice(src), "db");
    assert_eq!(
        d.primary.span.start(),
        src.rfind("as db").expect("second") + 3
    );
    assert_eq!(
        d.secondary[0].span.start(),
        src.find("as db").expect("first") + 3
    );
    assert_eq!(
        apply(src, d.fix.as_ref().expect("fix"))
            .matches("as db-3")
            .count(),
        1
    );
}

#[test]
fn derived_ids_never_clash() {
    assert!(!codes("wait tcp db:5432\nwait tcp db:5432\n").contains(&"E100"));
}

#[test]
fn repeated_clause_fix_removes_the_repeat() {
    let src = "wait tcp db:5432 timeout 10s on-fail warn timeout 20s\n";
    let d = only(src, "E101");
    assert_eq!(d.primary.span.slice(src), "timeout 20s");
    assert_eq!(d.secondary[0].span.slice(src), "timeout 10s");
    let after = fixed(src, "E101");
    assert_eq!(after, "wait tcp db:5432 timeout 10s on-fail warn\n");
    assert!(codes(&after).is_empty());
}

#[test]
fn env_may_repeat_and_backoff_options_may_not() {
    assert!(codes("run 'x' env A=1 env B=2\n").is_empty());
    let src = "retry backoff 3 initial 1s initial 2s\n";
    assert_eq!(fixed(src, "E101"), "retry backoff 3 initial 1s\n");
    assert!(!codes("defaults env A=1 env B=2\n").contains(&"E101"));
}

#[test]
fn headers_and_json_checks_may_repeat_and_the_other_http_clauses_may_not() {
    let src = "wait http http://a/ header \"A: 1\" header \"A: 2\" json /a exists json /b == 1\n";
    assert!(codes(src).is_empty(), "{:?}", codes(src));
    assert!(codes("defaults header \"A: 1\" header \"B: 2\"\n").is_empty());
    for clause in [
        "method GET",
        "data x",
        "body matches x",
        "ca a.pem",
        "cert c key k",
        "follow 1",
    ] {
        let src = format!("wait http http://a/ {clause} {clause}\n");
        assert_eq!(codes(&src), ["E101"], "{src}");
    }
}

#[test]
fn misplaced_clause_names_its_owner_and_what_the_action_accepts() {
    let d = only("wait http http://api/health closed\n", "E102");
    let help = d.help.expect("help");
    assert!(help.contains("`closed` belongs to `wait tcp`"), "{help}");
    assert!(
        help.contains("`wait http` accepts: `as`, `timeout`"),
        "{help}"
    );
    let d = only("run 'x' every 5s\n", "E102");
    assert!(d.help.expect("help").contains("retry N every D"));
    assert_eq!(fixed("run 'x' every 5s\n", "E102"), "run 'x'\n");
}

#[test]
fn clauses_per_action() {
    for (src, bad) in [
        ("start 'x' timeout 1s\n", true),
        ("start 'x' env A=1 cwd /srv on-fail warn\n", false),
        ("sleep 1s on-fail warn\n", true),
        ("sleep 1s as pause\n", false),
        ("wait file /tmp/x gone every 1s\n", false),
        ("wait file /tmp/x env A=1\n", true),
        (
            "s3 pull s3://b/k to /x endpoint http://minio:9000 region eu\n",
            false,
        ),
        (
            "parallel as g timeout 1m on-fail warn { sleep 1s }\n",
            false,
        ),
        ("parallel every 1s { sleep 1s }\n", true),
        ("defaults as x\n", true),
        ("defaults timeout 5s on-fail warn closed insecure\n", false),
    ] {
        assert_eq!(codes(src).contains(&"E102"), bad, "{src}");
    }
}

#[test]
fn one_script_policy() {
    let src = "retry restart 2\nwait tcp db:5432\nretry none\n";
    let d = only(src, "E103");
    assert_eq!(d.primary.span.slice(src), "retry none");
    assert_eq!(d.secondary[0].span.slice(src), "retry restart 2");
}

#[test]
fn statuses() {
    let status = |s: &str| codes(&format!("wait http http://a/ status {s}\n"));
    assert!(status("200,204,300..399,5xx").is_empty());
    assert_eq!(status("700"), ["E108"]);
    assert_eq!(status("99..200"), ["E108"]);
    assert_eq!(status("6xx"), ["E108"]);
    assert_eq!(status("299..200"), ["E109"]);
    assert_eq!(
        fixed("wait http http://a/ status 299..200\n", "E109"),
        "wait http http://a/ status 200..299\n"
    );
}

#[test]
fn retry_bounds() {
    assert!(codes("retry restart 100\nrun 'x' retry 100\n").is_empty());
    assert_eq!(codes("retry restart 101\nrun 'x'\n"), ["E110"]);
    assert_eq!(codes("run 'x' retry 101\n"), ["E110"]);
    assert_eq!(fixed("retry backoff 500\n", "E110"), "retry backoff 100\n");
    assert_eq!(codes("defaults retry 101\n"), ["E110"]);
}

#[test]
fn backoff_options() {
    let step = "run 'x'\n";
    let with_step = |policy: &str| codes(&format!("{policy}\n{step}"));
    assert!(with_step("retry backoff factor 1 jitter 0%").is_empty());
    assert!(codes("run 'x' retry 2 backoff factor 100 jitter 100%\n").is_empty());
    assert_eq!(with_step("retry backoff factor 0.5"), ["E111"]);
    assert_eq!(codes("run 'x' retry 1 backoff factor 101\n"), ["E111"]);
    assert_eq!(with_step("retry backoff jitter 150%"), ["E112"]);
    assert_eq!(with_step("retry backoff initial 2m max 30s"), ["E113"]);
    // Against the defaults: max 60s, initial 1s.
    assert_eq!(with_step("retry backoff initial 2m"), ["E113"]);
    assert_eq!(with_step("retry backoff max 500ms"), ["E113"]);
    assert!(with_step("retry backoff initial 1m").is_empty());
}

#[test]
fn durations() {
    assert!(codes("sleep 365d\nsleep 0s\nrun 'x' retry 2 every 0s\n").is_empty());
    assert_eq!(codes("sleep 366d\n"), ["E114"]);
    assert_eq!(codes("wait tcp db:1 timeout 0s\n"), ["E115"]);
    assert_eq!(codes("wait tcp db:1 every 0ms\n"), ["E115"]);
    assert_eq!(codes("defaults timeout 0s\n"), ["E115"]);
}

#[test]
fn empty_parallel() {
    let src = "parallel as g { }\n";
    assert_eq!(only(src, "E116").primary.span.slice(src), "{ }");
}

#[test]
fn any_groups() {
    let src = "any as g { }\n";
    assert_eq!(only(src, "E145").primary.span.slice(src), "{ }");
    // A start at any depth of an `any`, but a nested `any` reports its own.
    let src = "any { start 'a'; parallel { start 'b' }; any { start 'c' } }\n";
    let starts: Vec<&str> = diagnostics(src)
        .iter()
        .filter(|d| d.code == "E146")
        .map(|d| d.primary.span.slice(src))
        .collect();
    assert_eq!(starts, ["start", "start", "start"]);
    assert!(codes("parallel { start 'a' }\nany { wait tcp a:1 }\n").is_empty());
    // A member's own on-fail, not a nested group member's.
    let src = "any { wait tcp a:1 on-fail warn; parallel { wait tcp b:1 on-fail warn } }\n";
    let on_fail = only(src, "E147");
    assert_eq!(on_fail.primary.span.slice(src), "on-fail warn");
    assert_eq!(
        fixed(src, "E147"),
        "any { wait tcp a:1; parallel { wait tcp b:1 on-fail warn } }\n"
    );
    assert!(codes("any on-fail warn timeout 1m as g { wait tcp a:1 }\n").is_empty());
    assert_eq!(codes("any retry 2 { wait tcp a:1 }\n"), ["E102"]);
}

#[test]
fn retry_on_waits_only() {
    assert_eq!(codes("wait file /x retry 2\n"), ["W102"]);
    assert!(codes("run 'x' retry 2\n").is_empty());
}

#[test]
fn insecure_on_plain_http() {
    let src = "wait http http://api/ insecure status 200\n";
    assert_eq!(fixed(src, "W104"), "wait http http://api/ status 200\n");
    assert!(codes("wait http https://api/ insecure\n").is_empty());
    assert!(codes("wait http ${URL} insecure\n").is_empty());
}

#[test]
fn unresolved_variables_only_with_an_environment() {
    let src = "wait tcp ${HOST}:${PORT}\nrun \"echo ${A:-x} ${B:?need B}\" cwd ${DIR}\n";
    assert!(codes(src).is_empty());
    let mut env = Env::empty();
    env.set("PORT", "5432");
    let options = CheckOptions { env: Some(env) };
    let found = check_source(src, &options).diagnostics;
    let names: Vec<&str> = found.iter().map(|d| d.primary.span.slice(src)).collect();
    assert_eq!(names, ["${HOST}", "${B:?need B}", "${DIR}"]);
    assert!(found.iter().all(|d| d.code == "E150"));
    assert_eq!(found[1].primary.message.as_deref(), Some("need B"));
}

#[test]
fn diagnostics_come_sorted_by_position() {
    let found = diagnostics("wait tcp db timeout 0s\nwait tcp db:0 retry 2\nretry restart 999\n");
    let starts: Vec<usize> = found.iter().map(|d| d.primary.span.start()).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    assert_eq!(found.len(), 5);
}

#[test]
fn syntax_errors_keep_their_fields() {
    use crate::check::from_syntax_error;
    use crate::syntax::{Span, SyntaxError};
    let error = SyntaxError::new("E020", Span::new(3, 5), "no unit")
        .with_label("here")
        .with_secondary(Span::new(0, 1), "there")
        .with_help("add one")
        .with_safe_fix(Span::new(3, 5), "30s");
    let d = from_syntax_error(error);
    assert_eq!(
        (d.code, d.is_error(), d.message.as_str()),
        ("E020", true, "no unit")
    );
    assert_eq!(d.primary.message.as_deref(), Some("here"));
    assert_eq!(d.secondary[0].span, Span::new(0, 1));
    assert_eq!(d.help.as_deref(), Some("add one"));
    let fix = d.fix.expect("fix");
    assert_eq!(
        (fix.edits[0].span, fix.edits[0].replacement.as_str()),
        (Span::new(3, 5), "30s")
    );
    assert!(fix.is_safe());
    let removal = from_syntax_error(
        SyntaxError::new("E001", Span::new(0, 1), "x").with_unsafe_fix(Span::new(0, 1), ""),
    );
    assert_eq!(removal.fix.expect("fix").message, "remove it");
}

#[test]
fn renames_suggested_for_repeated_ids_are_all_free_and_distinct() {
    let src = "sleep 1ms as x\nsleep 1ms as x-3\nsleep 1ms as x\nsleep 1ms as x\nsleep 1ms as x\n";
    let renames: Vec<String> = diagnostics(src)
        .iter()
        .filter(|d| d.code == "E100")
        .map(|d| {
            d.fix.as_ref().expect("a rename").edits[0]
                .replacement
                .clone()
        })
        .collect();
    assert_eq!(renames, ["x-2", "x-4", "x-5"]);
}

#[test]
fn misplaced_clause_help_reads_the_clause_table() {
    let d = only("sleep 1s retry 3\n", "E102");
    let help = d.help.expect("help");
    assert!(help.contains("a pause cannot fail or time out"), "{help}");
    assert!(help.contains("`sleep` accepts: `as`"), "{help}");
    let d = only("start \"srv\" timeout 1s\n", "E102");
    assert!(d.help.expect("help").contains("has no timeout"));
}

mod http;
mod values;
