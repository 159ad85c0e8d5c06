// highlight.js language definition for zinit, so the book's ```zinit blocks
// read like the editor (the same kinds as grammar/zinit.tmLanguage.json).
// mdBook runs its own highlight.js before `additional-js` scripts load, so
// this file registers the language and then highlights the zinit blocks
// itself. Works with highlight.js 10 (mdBook's) and 11.
(function () {
  'use strict';

  // A token starts at a blank, `;`, `{`, `}`, `[`, `,` or the line start...
  var START = '(?<![^\\s;{}\\[,])';
  // ...and ends before one of them (or `]`).
  var END = '(?![^\\s;{}\\],])';

  function zinit(hljs) {
    var INTERPOLATION = {
      className: 'variable',
      begin: /\$\{[A-Za-z_][A-Za-z0-9_]*(?::[-?][^}\n]*)?\}/,
    };
    var ESCAPE = {
      className: 'symbol',
      begin: /\\(?:["\\ntr0$]|u\{[0-9a-fA-F]{1,6}\})|\$\$/,
    };
    return {
      name: 'zinit',
      aliases: ['zinit'],
      case_insensitive: false,
      keywords: {
        $pattern: /[a-z][a-z0-9-]*/,
        keyword: 'wait run start sleep s3 parallel retry defaults none restart backoff to',
        built_in: 'tcp http file pull push',
        attribute: 'as timeout on-fail every env cwd closed gone insecure status body contains matches ' +
          'method header data json exists ca cert key follow ' +
          'endpoint region initial max factor jitter',
        literal: 'fail warn continue',
      },
      contains: [
        hljs.COMMENT(new RegExp('(?<![^\\s;{}])#'), /$/),
        {
          className: 'string',
          begin: /"/,
          end: /"|$/,
          contains: [ESCAPE, INTERPOLATION],
        },
        { className: 'string', begin: /'/, end: /'|$/ },
        { className: 'meta', begin: /\\[ \t\r]*$/ },
        // `wait tcp HOST:PORT`: the host, then the port.
        {
          className: 'string',
          begin: /(?<=\btcp[ \t]+)(?:\[[^\]\s]*\]|[^\s;{}:"'#$]|\$(?!\{))+(?=:)/,
        },
        { className: 'number', begin: /(?<=\btcp[ \t]+\S*:)[0-9]+(?![^\s;{}])/ },
        {
          className: 'link',
          begin: new RegExp(START + '[A-Za-z][A-Za-z0-9+.-]*://'),
          end: /(?=[\s;{}"'])/,
          contains: [INTERPOLATION],
        },
        {
          className: 'string',
          begin: new RegExp(START + '\\.{0,2}/'),
          end: /(?=[\s;{}"'])/,
          contains: [INTERPOLATION],
        },
        // `as ID`: the step id.
        {
          begin: new RegExp(START + 'as[ \\t]+(?=[A-Za-z0-9])'),
          keywords: { $pattern: /as/, attribute: 'as' },
          starts: { className: 'title', end: /(?=[\s;{}])/ },
        },
        {
          className: 'number',
          begin: new RegExp(START + '(?:[0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h|d))+' + END),
        },
        {
          className: 'number',
          begin: new RegExp(START +
            '(?:[0-9]xx|[0-9]+(?:\\.[0-9]+)?%?(?:\\.\\.[0-9]+)?)(?:,(?:[0-9]xx|[0-9]+(?:\\.\\.[0-9]+)?))*' + END),
        },
        {
          className: 'variable',
          begin: new RegExp(START + '[A-Za-z_][A-Za-z0-9_]*(?==)'),
        },
        INTERPOLATION,
      ],
    };
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = zinit;
  }
  if (typeof hljs !== 'undefined' && typeof document !== 'undefined') {
    hljs.registerLanguage('zinit', zinit);
    var highlight = hljs.highlightElement || hljs.highlightBlock;
    document.querySelectorAll('code.language-zinit').forEach(function (block) {
      // Undo a failed first pass (an unknown language) before highlighting.
      block.textContent = block.textContent;
      highlight.call(hljs, block);
    });
  }
})();
