// Starts `tunec lsp` for .tune files; everything the editor shows comes from the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function start() {
  const command = vscode.workspace.getConfiguration("tunec").get("path") || "tunec";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "tunec",
    "tunec",
    { run: server, debug: server },
    { documentSelector: [{ language: "tune" }] }
  );
  return client.start();
}

// The canonical program (`tunec --emit tune`) is the server's `source.canonical` code action;
// this command asks for it and applies it, so it runs only when asked, never on save.
async function canonical() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "tune") return;
  const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
  const actions = await vscode.commands.executeCommand(
    "vscode.executeCodeActionProvider",
    editor.document.uri,
    whole,
    "source.canonical"
  );
  const rewrite = (actions || []).find((a) => a.kind && a.kind.value === "source.canonical");
  if (!rewrite || !rewrite.edit) {
    vscode.window.showInformationMessage("tunec: the program has errors, or is canonical already.");
    return;
  }
  await vscode.workspace.applyEdit(rewrite.edit);
}

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("tunec.canonical", canonical),
    vscode.commands.registerCommand("tunec.restart", async () => {
      if (client) await client.stop();
      await start();
    })
  );
  return start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
