// Evaluates a tree-sitter grammar.js with the grammar DSL (seq, choice,
// token, prec, ...) and prints the rules as `tree-sitter generate` writes
// them to src/grammar.json, so a test can tell that the committed generated
// files are not stale. Only the DSL functions grammar.js uses are defined;
// any other one fails loudly.
// Usage: node tree-sitter-grammar-json.cjs GRAMMAR_JS
'use strict';
const path = require('path');

function rule(value) {
  if (typeof value === 'string') return { type: 'STRING', value };
  if (value instanceof RegExp) {
    return value.flags ? { type: 'PATTERN', value: value.source, flags: value.flags }
      : { type: 'PATTERN', value: value.source };
  }
  if (value && typeof value.type === 'string') return value;
  throw new TypeError(`not a rule: ${value}`);
}
const precedence = (type) => (number, content) => content === undefined
  ? { type, value: 0, content: rule(number) }
  : { type, value: number, content: rule(content) };

const dsl = {
  blank: () => ({ type: 'BLANK' }),
  seq: (...members) => ({ type: 'SEQ', members: members.map(rule) }),
  choice: (...members) => ({ type: 'CHOICE', members: members.map(rule) }),
  optional: (value) => ({ type: 'CHOICE', members: [rule(value), { type: 'BLANK' }] }),
  repeat: (value) => ({ type: 'REPEAT', content: rule(value) }),
  repeat1: (value) => ({ type: 'REPEAT1', content: rule(value) }),
  field: (name, value) => ({ type: 'FIELD', name, content: rule(value) }),
  alias: (value, to) => typeof to === 'string'
    ? { type: 'ALIAS', content: rule(value), named: false, value: to }
    : { type: 'ALIAS', content: rule(value), named: true, value: to.name },
  token: Object.assign((value) => ({ type: 'TOKEN', content: rule(value) }), {
    immediate: (value) => ({ type: 'IMMEDIATE_TOKEN', content: rule(value) }),
  }),
  prec: Object.assign(precedence('PREC'), {
    left: precedence('PREC_LEFT'),
    right: precedence('PREC_RIGHT'),
    dynamic: precedence('PREC_DYNAMIC'),
  }),
  grammar(options) {
    const supported = new Set(['name', 'extras', 'word', 'rules']);
    for (const key of Object.keys(options)) {
      if (!supported.has(key)) throw new Error(`grammar option ${key} is not supported here`);
    }
    const $ = new Proxy({}, { get: (_, name) => ({ type: 'SYMBOL', name }) });
    const rules = {};
    for (const [name, build] of Object.entries(options.rules)) rules[name] = rule(build($));
    return {
      name: options.name,
      word: options.word ? options.word($).name : undefined,
      rules,
      extras: (options.extras ? options.extras($) : [/\s/]).map(rule),
      conflicts: [],
      precedences: [],
      externals: [],
      inline: [],
      supertypes: [],
      reserved: {},
    };
  },
};
Object.assign(globalThis, dsl);
process.stdout.write(JSON.stringify(require(path.resolve(process.argv[2]))));
