// Starts `zinit lsp` for zinit files through vscode-languageclient, the
// generic LSP client VS Code's own language extensions use.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const command = vscode.workspace.getConfiguration('zinit').get('server.path', 'zinit');
  client = new LanguageClient(
    'zinit',
    'zinit language server',
    { command, args: ['lsp'] },
    { documentSelector: [{ scheme: 'file', language: 'zinit' }] },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
