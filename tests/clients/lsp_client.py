"""An outside client for `tunec lsp`: pygls' LanguageClient (from PyPI) starts the server,
opens a program with errors on three lines, fixes one, hovers, completes, applies a quick
fix, and runs the `tunec.canonical` command, applying the edit the server asks for
(`workspace/applyEdit`), checking each answer. Usage: python lsp_client.py PATH/TO/tunec  (exit status 1 on a
failed check). Run by tests/lsp_outside_client.rs."""

import asyncio
import sys

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

URI = "file:///tmp/outside.tune"
TEXT = "folk tuen, in D\nmelody: fiddle, stepwize\nfolk tune, 16 barz\n"


def ranges(diagnostics):
    return [
        (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)
        for d in diagnostics
    ]


def apply(text, edit):
    """`text` with one TextEdit applied (the server's ranges are within one line here)."""
    lines = text.split("\n")
    start, end = edit.range.start, edit.range.end
    assert start.line == end.line, edit
    line = lines[start.line]
    lines[start.line] = line[: start.character] + edit.new_text + line[end.character :]
    return "\n".join(lines)


async def main(tunec):
    client = LanguageClient("tunec-outside-client", "1")
    published = {}
    arrived = asyncio.Condition()

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    async def on_diagnostics(params):
        async with arrived:
            published[params.version] = params.diagnostics
            arrived.notify_all()

    async def diagnostics(version):
        async with arrived:
            await asyncio.wait_for(arrived.wait_for(lambda: version in published), 10)
        return published[version]

    asked = []

    @client.feature(t.WORKSPACE_APPLY_EDIT)
    def on_apply_edit(params):
        asked.append(params.edit)
        return t.ApplyWorkspaceEditResult(applied=True)

    await client.start_io(tunec, "lsp")
    result = await client.initialize_async(
        t.InitializeParams(capabilities=t.ClientCapabilities(), process_id=None)
    )
    assert result.capabilities.hover_provider, result
    client.initialized(t.InitializedParams())

    document = t.TextDocumentItem(uri=URI, language_id="tune", version=1, text=TEXT)
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=document))
    found = await diagnostics(1)
    assert ranges(found) == [(0, 5, 0, 9), (1, 16, 1, 24), (2, 14, 2, 18)], ranges(found)
    assert [d.code for d in found] == ["E0101"] * 3
    print("open: three diagnostics at", ranges(found))

    fixed = TEXT.replace("tuen", "tune")
    change = t.TextDocumentContentChangeWholeDocument(text=fixed)
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[change],
        )
    )
    found = await diagnostics(2)
    assert ranges(found) == [(1, 16, 1, 24), (2, 14, 2, 18)], ranges(found)
    print("change: two diagnostics at", ranges(found))

    here = t.TextDocumentIdentifier(uri=URI)
    hover = await client.text_document_hover_async(
        t.HoverParams(text_document=here, position=t.Position(line=1, character=10))
    )
    assert "program 41, violin" in hover.contents.value, hover
    print("hover on fiddle:", hover.contents.value.splitlines()[0])

    completion = await client.text_document_completion_async(
        t.CompletionParams(text_document=here, position=t.Position(line=1, character=8))
    )
    labels = [item.label for item in completion]
    assert "range" in labels and "fiddle" in labels, labels[:20]
    print("completion after `melody:`:", len(labels), "items, e.g.", labels[:5])

    everything = t.Range(start=t.Position(line=0, character=0), end=t.Position(line=3, character=0))
    actions = await client.text_document_code_action_async(
        t.CodeActionParams(
            text_document=here, range=everything, context=t.CodeActionContext(diagnostics=found)
        )
    )
    fix = next(a for a in actions if a.title == "Replace `stepwize` with `stepwise`")
    after = apply(fixed, fix.edit.changes[URI][0])
    change = t.TextDocumentContentChangeWholeDocument(text=after)
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=URI, version=3),
            content_changes=[change],
        )
    )
    found = await diagnostics(3)
    assert ranges(found) == [(2, 14, 2, 18)], ranges(found)
    print("quick fix applied:", fix.title, "-> one diagnostic left")

    commands = result.capabilities.execute_command_provider.commands
    assert list(commands) == ["tunec.canonical"], commands
    last = after.replace("barz", "bars")
    change = t.TextDocumentContentChangeWholeDocument(text=last)
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=URI, version=4),
            content_changes=[change],
        )
    )
    found = await diagnostics(4)
    assert list(found) == [], found
    await client.workspace_execute_command_async(
        t.ExecuteCommandParams(command="tunec.canonical", arguments=[URI])
    )
    assert len(asked) == 1, asked
    canonical = asked[0].changes[URI][0].new_text
    assert canonical == "folk tune, in D, 16 bars\nmelody: violin, stepwise\n", repr(canonical)
    print("canonical program applied by command:", repr(canonical))

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
