//! The values an action names, judged by `crate::values` (E104–E107,
//! E117, E119, E170), and repeated `env` keys (E118).

use super::*;

#[test]
fn tcp_targets() {
    for (target, code) in [
        ("db:5432", None),
        ("[::1]:5432", None),
        ("10.0.0.7:1", None),
        ("db:65535", None),
        ("db", Some("E104")),
        (":5432", Some("E104")),
        ("db:", Some("E104")),
        ("db:pg", Some("E104")),
        ("::1:5432", Some("E104")),
        ("[db]:5432", Some("E104")),
        ("[::1]", Some("E104")),
        ("http://db:5432", Some("E104")),
        ("db:0", Some("E105")),
        ("db:65536", Some("E105")),
        ("db:99999999999999999999999", Some("E105")),
        ("${HOST}:5432", None),
        ("db:${PORT}", None),
    ] {
        let found = codes(&format!("wait tcp {target}\n"));
        assert_eq!(found, code.into_iter().collect::<Vec<_>>(), "{target}");
    }
}

#[test]
fn tcp_fixes() {
    assert_eq!(
        fixed("wait tcp ::1:5432\n", "E104"),
        "wait tcp [::1]:5432\n"
    );
    assert_eq!(
        fixed("wait tcp http://db:5432/x\n", "E104"),
        "wait tcp db:5432\n"
    );
    let src = "wait tcp db:70000\n";
    assert_eq!(only(src, "E105").primary.span.slice(src), "70000");
}

#[test]
fn urls() {
    for (url, code) in [
        ("http://api:8080/health", None),
        ("https://api/#frag", None),
        ("HTTP://API/", None),
        ("http://${HOST}/", None),
        ("api:8080/health", Some("E106")),
        ("ftp://files/x", Some("E106")),
        ("http:///health", Some("E106")),
        ("http://[::1/x", Some("E106")),
        ("http://api:0/", Some("E105")),
        ("http://api:70000/", Some("E105")),
        ("http://api:port/", Some("E106")),
    ] {
        let found = codes(&format!("wait http {url}\n"));
        assert_eq!(found, code.into_iter().collect::<Vec<_>>(), "{url}");
    }
    assert_eq!(
        fixed("wait http api/health\n", "E106"),
        "wait http http://api/health\n"
    );
    assert_eq!(
        codes("s3 pull s3://bkt/k to /x endpoint minio:9000\n"),
        ["E106"]
    );
}

#[test]
fn s3_locations() {
    assert!(codes("s3 pull s3://bkt/k/x.tar to /x\ns3 push /x to s3://bkt/k\n").is_empty());
    // Prefixes, to and from folders.
    assert!(codes("s3 pull s3://bkt/dir/ to /tmp/x\ns3 push /x/ to s3://bkt/\n").is_empty());
    assert_eq!(codes("s3 pull s3://bkt/k to /x/\n"), ["E180"]);
    assert_eq!(
        fixed("s3 push ./site/ to s3://bkt/www\n", "E181"),
        "s3 push ./site/ to s3://bkt/www/\n"
    );
    for src in [
        "s3 pull s3://AB_x/key to /tmp/x\n",
        "s3 pull s3://b/k to /tmp/x\n",
        "s3 pull S3://bucket/key to /tmp/x\n",
        "s3 pull s3://bucket/dir// to /tmp/x\n",
        "s3 pull s3://bucket to /x\n",
        "s3 pull s3:///key to /x\n",
        "s3 pull bucket/key to /x\n",
        "s3 push /x to bucket/key\n",
    ] {
        assert_eq!(codes(src), ["E107"], "{src}");
    }
    assert_eq!(
        fixed("s3 pull S3://bucket/key to /x\n", "E107"),
        "s3 pull s3://bucket/key to /x\n"
    );
    let swapped = only("s3 pull /x to s3://b/k\n", "E107");
    assert!(
        swapped
            .help
            .expect("help")
            .contains("did you mean `s3 push`")
    );
}

#[test]
fn values_that_can_never_work() {
    for (src, code) in [
        ("run [\"\"]\n", "E170"),
        ("start [\"\", \"x\"]\n", "E170"),
        ("run \"\"\n", "E170"),
        ("run '  '\n", "E170"),
        ("run \"x\" cwd \"\"\n", "E117"),
        ("defaults cwd ''\n", "E117"),
        ("wait file \"\"\n", "E117"),
        ("s3 pull s3://bucket/k to ''\n", "E117"),
        ("run \"x\" env A=1 B=2 A=3\n", "E118"),
        ("run \"x\" env A=1 env A=1\n", "E118"),
        ("defaults env A=1 A=2\n", "E118"),
    ] {
        assert_eq!(codes(src), [code], "{src}");
    }
    assert!(codes("defaults env A=1\nrun \"x\" env A=2 cwd /tmp\nrun [\"${P}\"]\n").is_empty());
    let src = "run \"x\" env A=1 B=2 A=3\n";
    let d = only(src, "E118");
    assert_eq!(d.primary.span.slice(src), "A");
    assert_eq!(d.primary.span.start(), 20);
    assert_eq!(d.secondary[0].span.start(), 12);
}

#[test]
fn fixes_and_parts_need_the_value_spelled_as_written() {
    assert_eq!(
        fixed("wait tcp '::1:5432'\n", "E104"),
        "wait tcp '[::1]:5432'\n"
    );
    // An escape means the source does not spell the value: no fix, and the
    // whole text is pointed at rather than a guessed part.
    let src = "wait tcp \"db:\\u{37}0000\"\n";
    let d = only(src, "E105");
    assert!(d.fix.is_none());
    assert_eq!(d.primary.span.slice(src), "\"db:\\u{37}0000\"");
    let src = "wait tcp 'db:70000'\n";
    assert_eq!(only(src, "E105").primary.span.slice(src), "70000");
    // A capital scheme has one meaning; brackets around `::1:5432` are a guess.
    let certain = |src: &str, code: &str| only(src, code).fix.expect("a fix").is_safe();
    assert!(certain("s3 pull S3://bucket/key to /x\n", "E107"));
    assert!(!certain("wait tcp ::1:5432\n", "E104"));
    assert!(!certain("wait http api/health\n", "E106"));
}
