/**
 * tree-sitter grammar for zinit scripts, following grammar/zinit.ebnf (the
 * normative grammar). It is stricter than the EBNF where zinit's parser
 * reports a syntax error that the EBNF leaves to the parser (an empty argv
 * list, E043), and more lenient where tree-sitter's lexer cannot see what
 * zinit's can (value sizes, nesting depth, tokens glued without a blank);
 * the list is in tests/it/tree_sitter_grammar.rs and the book's decisions.
 * Comments, `\` continuations and `#` inside words are all regular, so
 * there is no external scanner.
 *
 * @file zinit grammar for tree-sitter
 * @license MIT OR Apache-2.0
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

// A bare-word character: anything but the four blanks (space, tab, CR, LF;
// not `\s`, which holds other spaces that zinit reads as word characters),
// `;`, `{`, `}`, quotes; `$` and `\` are handled apart so that `${...}` and
// `\`-newline are seen.
const WORD_CHAR = /[^ \t\r\n;{}"'$\\]/.source;
// `$$` is a literal `$`; a single `$` is literal unless it opens `${`; `\`
// is literal unless a blank follows (then it is a line continuation).
// `$${NAME}` is a literal `${NAME}`, braces included.
const DOLLARS = /\$\$|\$[^ \t\r\n;{}"'$\\]|\$\$\{[A-Za-z_][A-Za-z0-9_]*(:[-?][^}\n]*)?\}/.source;
// A `\` before a `$` is literal and leaves the `$` its own meaning: `\$$`
// and `\$x` are pieces, `\${...}` a literal `\` then an interpolation.
const BACKSLASH = `\\\\[^ \\t\\r\\n;{}"'$]|\\\\(${DOLLARS})`;
const PIECE = `(${WORD_CHAR}|${DOLLARS}|${BACKSLASH})`;
// A word never starts with `#`: there it starts a comment.
const FIRST = `([^ \\t\\r\\n;{}"'$\\\\#]|${DOLLARS}|${BACKSLASH})`;

// `\u{...}`: one to six hex digits naming a Unicode scalar value (at most
// 10FFFF, not a surrogate D800–DFFF), so E012 is lexical here as in zinit.
const SCALAR = (() => {
  const H = '[0-9a-fA-F]';
  const significant = [
    `[1-9a-fA-F]`,
    `[1-9a-fA-F]${H}`,
    `[1-9a-fA-F]${H}{2}`,
    `([1-9a-cA-CeEfF]${H}{3}|[dD][0-7]${H}{2})`,
    `[1-9a-fA-F]${H}{4}`,
    `10${H}{4}`,
  ];
  const forms = significant.map((digits, i) => `0{0,${5 - i}}${digits}`);
  return `(0{1,6}|${forms.join('|')})`;
})();

const INTERPOLATION = /\$\{[A-Za-z_][A-Za-z0-9_]*(:[-?][^}\n]*)?\}/;
// In a bare word: `\${...}` is a literal `\` glued to the interpolation.
const WORD_INTERPOLATION = new RegExp(`\\\\?${INTERPOLATION.source}`);

module.exports = grammar({
  name: 'zinit',

  extras: $ => [/[ \t\r]/, $.line_continuation, $.comment],

  word: $ => $._word_start,

  rules: {
    source_file: $ => seq(
      optional('\uFEFF'),
      optional($._statement),
      repeat(seq($._separator, optional($._statement))),
    ),

    _separator: $ => choice($._newline, ';'),
    _newline: _ => /\n/,
    _newlines: $ => repeat1($._newline),

    comment: _ => token(seq('#', /[^\n]*/)),
    line_continuation: _ => token(seq('\\', /[ \t\r]*\n/)),

    _statement: $ => choice($.policy, $.defaults, $.zlayer, $._step),

    // --- the script policy -------------------------------------------------
    policy: $ => seq(
      'retry',
      choice(
        'none',
        seq('restart', optional(field('count', $.count))),
        seq('backoff', optional(field('count', $.count)), repeat($.backoff_option)),
      ),
    ),

    backoff_option: $ => choice(
      seq('initial', $.duration),
      seq('max', $.duration),
      seq('factor', $.decimal),
      seq('jitter', $.percent),
    ),

    defaults: $ => seq('defaults', repeat($.clause)),

    // A ZLayer setting only `plan --format zlayer` writes.
    zlayer: $ => seq('zlayer', 'on-panic', choice('restart', 'shutdown', 'isolate')),

    // --- steps ---------------------------------------------------------------
    _step: $ => choice($.step, $.parallel, $.any),

    step: $ => seq(field('action', $._action), repeat($.clause)),

    _action: $ => choice(
      $.wait_tcp,
      $.wait_http,
      $.wait_file,
      $.wait_postgres,
      $.wait_redis,
      $.wait_mysql,
      $.wait_dns,
      $.wait_exec,
      $.wait_log,
      $.wait_grpc,
      $.run,
      $.start,
      $.sleep,
      $.s3_pull,
      $.s3_push,
    ),

    wait_tcp: $ => seq('wait', 'tcp', field('target', $._text)),
    wait_http: $ => seq('wait', 'http', field('url', $._text)),
    wait_file: $ => seq('wait', 'file', field('path', $._text)),
    wait_postgres: $ => seq('wait', 'postgres', field('target', $._text)),
    wait_redis: $ => seq('wait', 'redis', field('target', $._text)),
    wait_mysql: $ => seq('wait', 'mysql', field('target', $._text)),
    wait_dns: $ => seq('wait', 'dns', field('name', $._text)),
    wait_exec: $ => seq('wait', 'exec', field('command', $._command)),
    // A `start` step's id; what to look for is a clause (`contains`, `matches`).
    wait_log: $ => seq('wait', 'log', field('service', $.step_id)),
    wait_grpc: $ => seq('wait', 'grpc', field('target', $._text)),
    run: $ => seq('run', field('command', $._command)),
    start: $ => seq('start', field('command', $._command)),
    sleep: $ => seq('sleep', field('duration', $.duration)),
    s3_pull: $ => seq('s3', 'pull', field('source', $._text), 'to', field('destination', $._text)),
    s3_push: $ => seq('s3', 'push', field('source', $._text), 'to', field('destination', $._text)),

    parallel: $ => seq(
      'parallel',
      repeat($.clause),
      optional($._newlines),
      field('body', $.block),
    ),

    // The first member to succeed wins; the others are cancelled.
    any: $ => seq(
      'any',
      repeat($.clause),
      optional($._newlines),
      field('body', $.block),
    ),

    block: $ => seq(
      '{',
      optional($._step),
      repeat(seq($._separator, optional($._step))),
      '}',
    ),

    // --- clauses -------------------------------------------------------------
    // Every clause parses on every step; the checker decides where it belongs.
    clause: $ => choice(
      seq('as', field('id', $.step_id)),
      seq('timeout', $.duration),
      seq('on-fail', $.on_fail_action),
      $._retry_clause,
      seq('every', $.duration),
      seq('env', repeat1($.env_pair)),
      seq('cwd', $._text),
      'closed',
      'gone',
      'insecure',
      seq('service', $._text),
      'tls',
      seq('status', $.status),
      seq('body', 'contains', $._text),
      seq('body', 'matches', $._text),
      seq('method', $.word),
      seq('header', $._text),
      seq('data', $._text),
      seq('json', field('pointer', $._text), choice('exists', seq('==', field('value', $._text)))),
      seq('ca', $._text),
      prec.right(seq('cert', $._text, optional(seq('key', $._text)))),
      seq('follow', $.count),
      seq('endpoint', $._text),
      seq('region', $._text),
      seq('type', $._text),
      seq('server', $._text),
      seq('value', $._text),
      seq('contains', $._text),
      seq('matches', $._text),
      seq('times', $.count),
      seq('by', field('service', $.step_id)),
    ),

    // `every D` right after `retry N` belongs to the retry (as in the EBNF).
    _retry_clause: $ => prec.right(seq(
      'retry',
      field('count', $.count),
      optional(choice(
        seq('every', $.duration),
        seq('backoff', repeat($.backoff_option)),
      )),
    )),

    on_fail_action: _ => choice('fail', 'warn', 'continue'),

    env_pair: $ => seq(
      field('key', $.env_key),
      optional(field('value', $._env_value)),
    ),
    // `NAME=` with its `=`: a word holds a `=` exactly when it is another
    // pair, so `env A=1 B=2 timeout 5s` needs no lookahead. Preferred over a
    // bare word, which would also match `A=1`.
    env_key: _ => token(prec(2, /[A-Za-z_][A-Za-z0-9_]*=/)),
    _env_value: $ => choice(
      alias($._glued_word, $.word),
      alias($._glued_string, $.string),
      alias($._glued_raw_string, $.raw_string),
    ),

    // --- commands --------------------------------------------------------------
    _command: $ => choice($.string, $.raw_string, $.argv),

    // A list may span lines; it holds at least one quoted argument (E043).
    argv: $ => seq(
      '[',
      optional($._newlines),
      $._quoted,
      optional($._newlines),
      repeat(seq(',', optional($._newlines), $._quoted, optional($._newlines))),
      optional(seq(',', optional($._newlines))),
      ']',
    ),
    _quoted: $ => choice($.string, $.raw_string),

    // --- text --------------------------------------------------------------------
    _text: $ => choice($.word, $.string, $.raw_string),

    word: $ => seq(
      choice($._word_start, alias($._word_interpolation, $.interpolation)),
      repeat($._word_rest),
    ),
    _glued_word: $ => seq(
      choice($._env_word_glued, alias($._word_interpolation_glued, $.interpolation)),
      repeat($._word_rest),
    ),
    _word_rest: $ => choice(
      $._word_glued,
      alias($._word_interpolation_glued, $.interpolation),
    ),
    // A lone `$` (or `\$`) at the end of a word is literal.
    _word_start: _ => token(new RegExp(`${FIRST}${PIECE}*|\\\\?\\$`)),
    _word_glued: _ => token.immediate(new RegExp(`${PIECE}+|\\\\?\\$`)),
    // An env value's first piece, preferred over `NAME=`: in `env A=B=1` the
    // value is `B=1`.
    _env_word_glued: _ => token.immediate(prec(3, new RegExp(`${PIECE}+|\\\\?\\$`))),

    interpolation: _ => token(INTERPOLATION),
    _interpolation_glued: _ => token.immediate(prec(3, INTERPOLATION)),
    _word_interpolation: _ => token(WORD_INTERPOLATION),
    _word_interpolation_glued: _ => token.immediate(prec(3, WORD_INTERPOLATION)),

    string: $ => seq('"', repeat($._string_part), $._string_end),
    _glued_string: $ => seq(token.immediate('"'), repeat($._string_part), $._string_end),
    // A literal `$` just before the closing quote ends the string with it.
    _string_end: _ => token.immediate(/\$?"/),
    _string_part: $ => choice(
      $._string_content,
      $._string_hash,
      $.escape_sequence,
      alias($._interpolation_glued, $.interpolation),
    ),
    // A `$` that does not open a valid `${...}` is literal; `${` must. A `#`
    // is a token of its own so that a comment never wins inside a string:
    // the lexer stops at a `#` it has accepted rather than read on as `#...`.
    _string_content: _ => token.immediate(prec(1, /([^"\\$\n#]|\$[^{"$\n])+/)),
    _string_hash: _ => token.immediate(prec(1, '#')),
    escape_sequence: _ => token.immediate(prec(1, new RegExp(`\\\\(["\\\\ntr0$]|u\\{${SCALAR}\\})|\\$\\$`))),

    raw_string: _ => token(/'[^'\n]*'/),
    _glued_raw_string: _ => token.immediate(/'[^'\n]*'/),

    // --- literal values ------------------------------------------------------------
    duration: _ => token(prec(1, /([0-9]+(\.[0-9]+)?(ms|s|m|h|d))+/)),
    count: _ => token(prec(1, /[0-9]+/)),
    decimal: _ => token(prec(1, /[0-9]+(\.[0-9]+)?/)),
    percent: _ => token(prec(1, /[0-9]+(\.[0-9]+)?%/)),
    status: _ => token(prec(1, /([0-9]xx|[0-9]+(\.\.[0-9]+)?)(,([0-9]xx|[0-9]+(\.\.[0-9]+)?))*/)),
    step_id: _ => token(prec(1, /[A-Za-z0-9][A-Za-z0-9_.-]*/)),
  },
});
