// Tokenizes files with grammar/zinit.tmLanguage.json through vscode-textmate
// and vscode-oniguruma, the engine VS Code itself runs. Prints JSON:
// [{ file, lines: [[{ text, scopes }]] }] (scopes without the root scope).
// Usage: node textmate-tokens.cjs GRAMMAR FILE...
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const [grammarPath, ...files] = process.argv.slice(2);
const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));

async function main() {
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => scopeName === 'source.zinit'
      ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
      : null,
  });
  const grammar = await registry.loadGrammar('source.zinit');
  if (!grammar) throw new Error(`no grammar for source.zinit in ${grammarPath}`);
  const out = [];
  for (const file of files) {
    let stack = vsctm.INITIAL;
    const lines = [];
    for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
      const result = grammar.tokenizeLine(line, stack);
      lines.push(result.tokens.map((t) => ({
        text: line.slice(t.startIndex, t.endIndex),
        scopes: t.scopes.filter((s) => s !== 'source.zinit'),
      })));
      stack = result.ruleStack;
    }
    out.push({ file, lines });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
