use super::format;

fn fmt(source: &str) -> String {
    let once = format(source).unwrap_or_else(|d| panic!("{source:?}: {d:#?}"));
    let twice = format(&once).unwrap_or_else(|d| panic!("{once:?}: {d:#?}"));
    assert_eq!(twice, once, "not idempotent for {source:?}");
    once
}

#[test]
fn spacing_order_and_values_as_written() {
    assert_eq!(
        fmt("wait   tcp db:5432 on-fail warn   timeout 90s as db\n"),
        "wait tcp db:5432 as db timeout 90s on-fail warn\n"
    );
}

#[test]
fn cases() {
    for (input, expected) in [
        (
            "\n\n# a\n\n\n# b\nsleep 1s   # c\n\n\n",
            "# a\n\n# b\nsleep 1s # c\n",
        ),
        (
            "wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3",
            "wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3\n",
        ),
        (
            "parallel as g { wait tcp a:1; sleep 1s }\n",
            "parallel as g {\n    wait tcp a:1; sleep 1s\n}\n",
        ),
        (
            "parallel {\n\n  # top\n  wait tcp a:1 # t\n\n  parallel {\n sleep 1s\n }\n  # end\n\n}\n",
            "parallel {\n    # top\n    wait tcp a:1 # t\n\n    parallel {\n        sleep 1s\n    }\n    # end\n}\n",
        ),
        (
            "run \"x\" timeout 5s \\\n  env A=1\n",
            "run \"x\" \\\n    env A=1 timeout 5s\n",
        ),
        (
            "run [ # open\n  \"a\",   # item\n  # own\n 'b'\n] timeout 1s\n",
            "run [ # open\n    \"a\", # item\n    # own\n    'b',\n] timeout 1s\n",
        ),
        ("run [ \"a\" ,'b' ]", "run [\"a\", 'b']\n"),
        (
            "parallel # h\n{ # o\nsleep 1s\n} # c\n",
            "parallel { # h\n    # o\n    sleep 1s\n} # c\n",
        ),
        ("parallel {\n}\n", "parallel {\n}\n"),
        (
            "retry backoff 5   max 30s initial 2s\n",
            "retry backoff 5 max 30s initial 2s\n",
        ),
        (
            "defaults every 1s timeout 2m retry 3 backoff initial 500ms\n",
            "defaults timeout 2m every 1s retry 3 backoff initial 500ms\n",
        ),
        (
            "run 'a' env A=\"x y\"  B=2 retry 2 every 1s\n",
            "run 'a' env A=\"x y\" B=2 retry 2 every 1s\n",
        ),
        ("wait file /x\\ ; sleep 1s\n", "wait file /x\\; sleep 1s\n"),
        (
            "parallel { wait file /x\\ }\n",
            "parallel {\n    wait file /x\\;\n}\n",
        ),
        (
            "\u{feff}sleep 1s\r\n\r\nsleep 2s\r\n",
            "\u{feff}sleep 1s\r\n\r\nsleep 2s\r\n",
        ),
        ("", ""),
        ("# only\n", "# only\n"),
    ] {
        assert_eq!(fmt(input), expected, "for {input:?}");
    }
}
