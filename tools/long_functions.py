#!/usr/bin/env python3
"""
The longest functions in src/, from `fn` to its closing brace, both lines counted.

Usage:  python3 tools/long_functions.py [--top N] [--max LINES]
    --top N      list the N longest functions (default 15)
    --max LINES  exit with status 1 if any function is longer (default 100)

rustfmt puts a body's closing brace alone on a line at the indent of its `fn`, so a function
runs from its `fn` line to the first line that is that indent and `}`. Signatures that end in
`;` (trait methods without a body) are skipped. Functions inside a `#[cfg(test)]` module count
too, marked as tests.
"""

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
FN = re.compile(r"^(\s*)(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:unsafe\s+)?fn\s+(\w+)")
OWNER = re.compile(r"^(\s*)(?:unsafe\s+)?(?:impl|trait|pub\s+trait|mod)\b(.*?)\{?\s*$")


def owner_name(header):
    """`impl<'a> Foo<'a> {` -> `Foo`; `impl fmt::Display for Bar {` -> `Bar`; `mod tests` -> `tests`."""
    header = re.sub(r"<[^<>]*(?:<[^<>]*>[^<>]*)*>", "", header)
    header = header.split(" for ")[-1].split(" where ")[0]
    words = re.findall(r"[\w:]+", header)
    return words[-1].split("::")[-1] if words else "?"


def functions(path):
    lines = path.read_text().splitlines()
    owners, test_depth = [], None
    for n, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        while owners and indent <= owners[-1][0] and stripped == "}":
            owners.pop()
            break
        if "#[cfg(test)]" in stripped and test_depth is None:
            test_depth = indent
        m = OWNER.match(line)
        if m and stripped.endswith("{") and not FN.match(line):
            owners.append((indent, owner_name(m.group(2))))
            continue
        m = FN.match(line)
        if not m:
            continue
        pad, name = m.group(1), m.group(2)
        end = None
        for k in range(n, len(lines)):
            text = lines[k].rstrip()
            if k == n and text.endswith("}") and "{" in text:
                end = k
                break
            if text.endswith(";") and not any(l.rstrip().endswith("{") for l in lines[n:k]):
                break  # a signature without a body
            if k > n and text == pad + "}":
                end = k
                break
        if end is None:
            continue
        qualified = "::".join([o for _, o in owners if o != "tests"] + [name])
        in_tests = any(o == "tests" for _, o in owners)
        yield end - n + 1, qualified, n + 1, in_tests


def main():
    args = sys.argv[1:]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 15
    most = int(args[args.index("--max") + 1]) if "--max" in args else 100
    found = []
    for path in sorted(SRC.rglob("*.rs")):
        rel = path.relative_to(SRC.parent)
        for length, name, line, in_tests in functions(path):
            found.append((length, f"{rel}:{line}", name, in_tests))
    found.sort(key=lambda f: (-f[0], f[1]))
    for length, where, name, in_tests in found[:top]:
        print(f"{length:5}  {name}{'  (test)' if in_tests else ''}  {where}")
    over = [f for f in found if f[0] > most]
    length, where, name, _ = found[0]
    print(f"{len(found)} functions; {len(over)} over {most} lines; "
          f"the longest is {name} ({where}) with {length} lines")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
