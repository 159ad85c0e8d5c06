//! The book's clause table (`book/src/reference/clauses.md`), rendered
//! from the table so a test can compare the page with it.

use super::{ACTIONS, ActionClauses, CLAUSES, Name};

/// The book's clause table, rendered from [`CLAUSES`] and [`ACTIONS`].
pub fn markdown_table() -> String {
    let mut out =
        String::from("| clause | steps | meaning | default |\n| --- | --- | --- | --- |\n");
    for info in &CLAUSES {
        let form = info.form.replace('|', "\\|");
        let default = info.default.replace('|', "\\|");
        let steps = steps_taking(info.name);
        out.push_str(&format!(
            "| `{form}` | {steps} | {} | {default} |\n",
            info.meaning
        ));
    }
    out
}

/// "all", "all but `sleep`" or "`run`, `start`": the actions taking `name`.
fn steps_taking(name: Name) -> String {
    let quoted = |rows: Vec<&ActionClauses>| {
        rows.iter()
            .map(|r| format!("`{}`", r.action))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (taking, refusing): (Vec<_>, Vec<_>) =
        ACTIONS.iter().partition(|row| row.accepts.contains(name));
    match refusing.len() {
        0 => "all".to_string(),
        n if n <= 3 && taking.len() > n => format!("all but {}", quoted(refusing)),
        _ => quoted(taking),
    }
}
