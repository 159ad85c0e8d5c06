// Highlights files with the book's highlight.js language definition
// (book/theme/zinit-highlight.js) on highlight.js 10, the version mdBook
// ships. Prints JSON: [{ file, html }].
// Usage: node hljs-highlight.cjs LANGUAGE_JS FILE...
'use strict';
const fs = require('fs');
const path = require('path');
const hljs = require('highlight.js/lib/core');

const [language, ...files] = process.argv.slice(2);
hljs.registerLanguage('zinit', require(path.resolve(language)));
const out = files.map((file) => {
  const result = hljs.highlight(fs.readFileSync(file, 'utf8'), { language: 'zinit', ignoreIllegals: false });
  return { file, html: result.value };
});
process.stdout.write(JSON.stringify(out));
