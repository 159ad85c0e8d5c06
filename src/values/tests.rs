use super::*;

fn problem<T: std::fmt::Debug>(result: Result<T, Invalid>) -> (Problem, String) {
    let invalid = result.expect_err("rejected");
    (invalid.problem, invalid.reason)
}

#[test]
fn host_ports_accept_names_ipv4_and_bracketed_ipv6() {
    let t = parse_host_port("db:5432").unwrap();
    assert_eq!((t.host.as_str(), t.port, t.ip), ("db", 5432, None));
    let t = parse_host_port("[::1]:80").unwrap();
    assert_eq!(
        (t.host.as_str(), t.ip),
        ("::1", Some("::1".parse().unwrap()))
    );
    assert_eq!(t.to_string(), "[::1]:80");
    let t = parse_host_port("127.0.0.1:9").unwrap();
    assert_eq!(t.ip, Some("127.0.0.1".parse().unwrap()));
    assert_eq!(parse_host_port("my_db.local-1:00080").unwrap().port, 80);
}

#[test]
fn host_ports_reject_with_the_code_of_the_rule() {
    use Problem::*;
    for (value, want, reason) in [
        ("db", TcpTarget, "has no port"),
        ("db:", TcpTarget, "has no port"),
        (":80", TcpTarget, "names no host"),
        ("db:pg", TcpTarget, "not a number"),
        ("db:+80", TcpTarget, "not a number"),
        ("db:0", PortRange, "outside"),
        ("db:70000", PortRange, "outside"),
        ("db:99999999999999999999", PortRange, "outside"),
        ("::1:80", TcpTarget, "not in brackets"),
        ("[db]:80", TcpTarget, "not an IPv6"),
        ("[::1]80", TcpTarget, "has no port"),
        ("[::1:80", TcpTarget, "never closed"),
        ("a b:80", TcpTarget, "no host name"),
        ("user@db:80", TcpTarget, "no host name"),
        ("http://db:80", TcpTarget, "is a URL"),
    ] {
        let (problem, why) = problem(parse_host_port(value));
        assert_eq!(problem, want, "{value}");
        assert!(why.contains(reason), "{value}: {why}");
    }
}

#[test]
fn host_port_fixes_are_offered_only_when_they_are_valid() {
    let fix = |v: &str| parse_host_port(v).expect_err(v).fix;
    assert_eq!(fix("::1:5432").as_deref(), Some("[::1]:5432"));
    assert_eq!(fix("tcp://db:5432/x").as_deref(), Some("db:5432"));
    assert_eq!(fix("http://db/health"), None);
    assert_eq!(fix("fe80::1"), None);
    let port = parse_host_port("db:99999").expect_err("range").part;
    assert_eq!(port, Some(3..8));
}

#[test]
fn urls_need_http_or_https_and_a_host() {
    assert!(check_http_url("http://api:8080/health").is_ok());
    assert!(check_http_url("HTTPS://[::1]/").is_ok());
    for (value, want) in [
        ("ftp://x/", Problem::Url),
        ("http//x", Problem::Url),
        ("http:///health", Problem::Url),
        ("http://", Problem::Url),
        ("http://[::1/", Problem::Url),
        ("http://x:0/", Problem::PortRange),
        ("http://x:70000/", Problem::PortRange),
    ] {
        assert_eq!(problem(check_http_url(value)).0, want, "{value}");
    }
    let fix = check_http_url("api:8080/health")
        .expect_err("no scheme")
        .fix;
    assert_eq!(fix.as_deref(), Some("http://api:8080/health"));
}

#[test]
fn s3_locations_split_bucket_from_key_at_the_first_slash() {
    let t = parse_s3_location("s3://fixtures/dumps/2024/seed.sql").unwrap();
    assert_eq!(
        (t.bucket.as_str(), t.key.as_str()),
        ("fixtures", "dumps/2024/seed.sql")
    );
    assert_eq!(t.to_string(), "s3://fixtures/dumps/2024/seed.sql");
    assert_eq!(
        parse_s3_location("s3://my.bucket-1/k").unwrap().bucket,
        "my.bucket-1"
    );
    assert_eq!(
        parse_s3_location("s3://abc/données é.txt").unwrap().key,
        "données é.txt"
    );
}

#[test]
fn s3_locations_follow_the_bucket_naming_rules() {
    for (value, reason) in [
        ("http://b/k", "not an s3:// location"),
        ("s3://bucket", "no object key"),
        ("s3:///k", "no bucket"),
        ("s3://ab/k", "3 to 63"),
        ("s3://b/k", "3 to 63"),
        ("s3://My-Bucket/k", "lowercase"),
        ("s3://AB_x/key", "lowercase"),
        ("s3://my_bucket/k", "lowercase"),
        ("s3://-bucket/k", "begin and end"),
        ("s3://bucket./k", "begin and end"),
        ("s3://a..b/k", "adjacent periods"),
        ("s3://192.168.1.1/k", "IP address"),
        ("s3://xn--bucket/k", "reserved prefix"),
        ("s3://bucket-s3alias/k", "reserved suffix"),
        ("s3://bucket//", "empty path segment"),
        ("s3://bucket/a/./", "`..`"),
        ("s3://bucket//k", "empty path segment"),
        ("s3://bucket/a/../b", "`..`"),
        ("s3://bucket/a\tb", "control character"),
        ("S3://bucket/key", "capitals"),
    ] {
        let (problem, why) = problem(parse_s3_location(value));
        assert_eq!(problem, Problem::S3Location, "{value}");
        assert!(why.contains(reason), "{value}: {why}");
    }
    let long = format!("s3://{}/k", "a".repeat(64));
    assert!(problem(parse_s3_location(&long)).1.contains("3 to 63"));
    assert!(parse_s3_location(&format!("s3://{}/k", "a".repeat(63))).is_ok());
    let key = |n| format!("s3://bucket/{}", "k".repeat(n));
    assert!(parse_s3_location(&key(1024)).is_ok());
    assert!(problem(parse_s3_location(&key(1025))).1.contains("1024"));
}

#[test]
fn a_key_ending_with_a_slash_is_a_prefix() {
    let t = parse_s3_location("s3://fixtures/dumps/2024/").unwrap();
    assert_eq!((t.key.as_str(), t.is_prefix()), ("dumps/2024/", true));
    assert_eq!(t.below("a/b.sql").key, "dumps/2024/a/b.sql");
    let bucket = parse_s3_location("s3://fixtures/").unwrap();
    assert_eq!((bucket.key.as_str(), bucket.is_prefix()), ("", true));
    assert_eq!(bucket.below("x").key, "x");
    let object = parse_s3_location("s3://fixtures/dump").unwrap();
    assert!(!object.is_prefix());
    assert_eq!(object.below("x").key, "dump/x");
}

#[test]
fn one_object_and_a_folder_path_do_not_mix() {
    use super::{check_shapes, names_folder};
    for folder in ["/data/", ".", "..", "out/.", "a/.."] {
        assert!(names_folder(folder), "{folder}");
    }
    for file in ["/data", "./x", "a..b", ".env"] {
        assert!(!names_folder(file), "{file}");
    }
    let object = parse_s3_location("s3://fixtures/dumps/seed.sql").unwrap();
    let prefix = parse_s3_location("s3://fixtures/dumps/").unwrap();
    let pull = check_shapes(true, &object, "/data/").unwrap_err();
    assert_eq!(pull.problem, Problem::S3ObjectToFolder);
    assert_eq!(pull.fix.as_deref(), Some("/data/seed.sql"));
    assert!(!pull.fix_is_certain);
    let push = check_shapes(false, &object, "/data/").unwrap_err();
    assert_eq!(push.problem, Problem::S3FolderToObject);
    assert_eq!(push.fix.as_deref(), Some("s3://fixtures/dumps/seed.sql/"));
    assert!(push.fix_is_certain);
    // Prefixes take folders; a path that may be either is left to run time.
    assert!(check_shapes(true, &prefix, "/data/").is_ok());
    assert!(check_shapes(false, &prefix, ".").is_ok());
    assert!(check_shapes(true, &object, "/data").is_ok());
    assert!(check_shapes(false, &object, "/data").is_ok());
}

#[test]
fn a_capital_scheme_is_fixed_only_when_the_rest_is_valid() {
    let fix = |v: &str| parse_s3_location(v).expect_err(v).fix;
    assert_eq!(fix("S3://bucket/key").as_deref(), Some("s3://bucket/key"));
    assert_eq!(fix("S3://AB/key"), None);
}

#[test]
fn paths_and_commands_are_not_empty() {
    assert_eq!(problem(check_path("")).0, Problem::EmptyPath);
    assert!(check_path("/tmp/x").is_ok());
    assert_eq!(problem(check_program("")).0, Problem::EmptyCommand);
    assert!(check_program("./migrate").is_ok());
    assert_eq!(problem(check_shell(" \t")).0, Problem::EmptyCommand);
    assert!(check_shell("true").is_ok());
    assert_eq!(problem(check_local_path("s3://b/k")).0, Problem::S3Location);
    assert_eq!(problem(check_local_path("")).0, Problem::EmptyPath);
}

#[test]
fn what_reaches_the_os_holds_no_nul_byte() {
    for result in [
        check_path("/tmp/a\0b"),
        check_program("./x\0"),
        check_shell("true\0"),
        check_argument("a\0"),
    ] {
        assert_eq!(problem(result).0, Problem::NulByte);
    }
    assert_eq!(check_argument("a\0b").expect_err("nul").part, Some(1..2));
    assert!(check_argument("").is_ok() && check_argument("é\t").is_ok());
}

#[test]
fn reasons_never_quote_the_value() {
    let secret = "Pa55w0rd";
    let values = [
        format!("postgres://app:{secret}@db"),
        secret.to_string(),
        format!("{secret}:x"),
        format!("s3://{secret}/k"),
        format!("http://app:{secret}@db:0/"),
    ];
    for value in &values {
        let errors = [
            parse_host_port(value).err(),
            check_http_url(value).err(),
            parse_s3_location(value).err(),
        ];
        for invalid in errors.into_iter().flatten() {
            let said = format!("{} {:?}", invalid.reason, invalid.help);
            assert!(!said.contains(secret), "{value}: {said}");
        }
    }
}
