//! The `wait http` request and answer clauses (E135–E142): spans, fixes,
//! and values left to `zinit run` when they hold variables (judged there:
//! tests/it/run_http_request.rs).

use super::*;

#[test]
fn each_value_is_pointed_at_where_it_breaks() {
    let src = "wait http http://a/ body matches \"ok (v2\"\n";
    assert_eq!(only(src, "E135").primary.span.slice(src), "(");
    let src = "wait http http://a/ header \"Bad Name: 1\"\n";
    assert_eq!(only(src, "E138").primary.span.slice(src), " ");
    let src = "wait http http://a/ json /a~2 exists\n";
    assert_eq!(only(src, "E137").primary.span.slice(src), "~");
    let src = "wait http http://a/ cert c.pem timeout 5s\n";
    assert_eq!(only(src, "E140").primary.span.slice(src), "cert c.pem");
    let src = "wait http http://a/ follow 21\n";
    assert_eq!(only(src, "E141").primary.span.slice(src), "21");
    assert!(codes("wait http http://a/ follow 20\n").is_empty());
}

#[test]
fn fixes_write_what_was_meant() {
    assert_eq!(
        fixed("wait http http://a/ method post\n", "E139"),
        "wait http http://a/ method POST\n"
    );
    assert_eq!(
        fixed("wait http http://a/ json .checks[0].ok == true\n", "E137"),
        "wait http http://a/ json /checks/0/ok == true\n"
    );
    let after = fixed("wait http http://a/ json /status == up\n", "E136");
    assert_eq!(after, "wait http http://a/ json /status == \"up\"\n");
    assert!(codes(&after).is_empty());
    assert_eq!(
        fixed("wait http http://a/ header 'Accept=text/plain'\n", "E138"),
        "wait http http://a/ header 'Accept: text/plain'\n"
    );
}

#[test]
fn json_values_in_double_quotes_are_strings_and_otherwise_json() {
    for value in [
        "\"up\"",
        "3",
        "-2.5e3",
        "true",
        "null",
        "'[1, {\"a\": 2}]'",
        "'\"up\"'",
    ] {
        let src = format!("wait http http://a/ json /v == {value}\n");
        assert!(codes(&src).is_empty(), "{src}");
    }
    for value in ["up", "'[1,'", "TRUE", "'{a: 1}'"] {
        let src = format!("wait http http://a/ json /v == {value}\n");
        assert_eq!(codes(&src), ["E136"], "{src}");
    }
}

#[test]
fn values_with_variables_are_left_to_the_run() {
    let src = "wait http http://a/ header \"${H}\" body matches \"${RE}\" json ${P} == ${V}\n";
    assert!(codes(src).is_empty(), "{:?}", codes(src));
}

#[test]
fn a_body_check_on_head_is_an_error_and_head_alone_is_not() {
    assert!(codes("wait http http://a/ method HEAD status 204\n").is_empty());
    let src = "wait http http://a/ method HEAD body contains ok\n";
    let d = only(src, "E142");
    assert_eq!(d.primary.span.slice(src), "body contains ok");
    assert_eq!(d.secondary[0].span.slice(src), "HEAD");
}
