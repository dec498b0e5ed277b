"""An outside client for `tunec mcp`: the official MCP Python SDK (`mcp` on PyPI) starts the
server over stdio, lists the tools, composes a prompt and reads back a valid MIDI file, then
sends a broken prompt and reads its diagnostics. Usage: python mcp_client.py PATH/TO/tunec
(exit status 1 on a failed check). Run by tests/mcp.rs."""

import asyncio
import base64
import json
import sys

from mcp import ClientSession, StdioServerParameters, stdio_client


def texts(result):
    return [block.text for block in result.content if block.type == "text"]


async def main(tunec):
    server = StdioServerParameters(command=tunec, args=["mcp"])
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            assert sorted(tools) == ["check", "compose", "vocabulary"], sorted(tools)
            assert "source" in tools["compose"].input_schema["properties"], tools["compose"]
            print("tools:", sorted(tools))

            prompt = "Write me a lively jig in G with an AABB form, for fiddle."
            result = await session.call_tool("compose", {"source": prompt, "seed": 3})
            assert not result.is_error, texts(result)
            summary, canonical, abc = texts(result)[:3]
            assert "32 bars" in summary and "seed 3" in summary, summary
            assert canonical.startswith("canonical program:\nlively jig tune"), canonical
            assert "M:6/8" in abc, abc
            (midi,) = [b.resource for b in result.content if b.type == "resource"]
            data = base64.b64decode(midi.blob)
            assert midi.mime_type == "audio/midi" and data.startswith(b"MThd"), midi.mime_type
            print("compose:", summary, "| MIDI bytes:", len(data))

            broken = "folk tuen in D\nmelody: fiddle, stepwize\n"
            result = await session.call_tool("check", {"source": broken})
            assert result.is_error, texts(result)
            report = json.loads(texts(result)[0])
            found = [(d["code"], d["line"], d["column"], d["hint"]) for d in report["diagnostics"]]
            assert found == [
                ("E0101", 1, 6, "did you mean `tune`?"),
                ("E0101", 2, 17, "did you mean `stepwise`?"),
            ], found
            print("check of a broken prompt:", found)

            result = await session.call_tool("compose", {"source": broken})
            assert result.is_error and "did you mean `tune`?" in texts(result)[0]

            result = await session.call_tool("vocabulary", {"kind": "mode"})
            modes = [w["word"] for w in json.loads(texts(result)[0])]
            assert "dorian" in modes, modes
            print("vocabulary of modes:", modes)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
