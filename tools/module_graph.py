#!/usr/bin/env python3
"""
Import circles between sibling modules of src/.

Usage:  python3 tools/module_graph.py [--edges]      (exit status 1 when a circle is found)

Every path a module names outside its tests -- `use crate::a::b`, `use super::{x, y}`, and
inline paths such as `super::chain::pick(..)` -- is resolved to the longest known module
prefix. An edge between two modules is lifted to the children of their nearest common
ancestor (`crate::compose::line -> crate::resolve::plan` becomes `compose -> resolve`), so
each parent's children form one graph; a strongly connected component of more than one child
is a circle. A child naming its own parent (`super::Conflict`) is not a sibling edge and is
not counted: `mod.rs` holds what its children share.
"""

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def module_of(path):
    """`src/compose/form.rs` -> ('compose', 'form'); `src/compose/mod.rs` -> ('compose',)."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "mod" or parts == ["lib"] or parts == ["main"]:
        parts = parts[:-1]
    return tuple(parts)


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def strip_test_modules(text):
    """Drop every `#[cfg(test)]` item (a `mod tests { .. }` block or a single `use`)."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        j = m.end()
        semi, brace = text.find(";", j), text.find("{", j)
        if brace == -1 or (semi != -1 and semi < brace):
            i = semi + 1
            continue
        depth, k = 0, brace
        while k < len(text):
            depth += {"{": 1, "}": -1}.get(text[k], 0)
            k += 1
            if depth == 0:
                break
        i = k
    out.append(text[i:])
    return "".join(out)


def expand_use_tree(tree):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e'] (`self` keeps the prefix)."""
    tree = re.sub(r"\s+", "", tree)
    depth, start = 0, None
    for k, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = k
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix, inner = tree[:start], tree[start + 1 : k]
                items, depth2, last = [], 0, 0
                for n, c in enumerate(inner + ","):
                    depth2 += {"{": 1, "}": -1}.get(c, 0)
                    if c == "," and depth2 == 0:
                        if inner[last:n]:
                            items.append(inner[last:n])
                        last = n + 1
                paths = []
                for item in items:
                    for sub in expand_use_tree(item):
                        paths.append(prefix.rstrip(":") if sub == "self" else prefix + sub)
                return paths
    return [re.sub(r"\bas\w+$", "", tree)]


def absolute(path, here):
    """Resolve `crate::`, `super::` and `self::` against the module `here`."""
    segs = path.split("::")
    if segs[0] == "crate":
        return tuple(segs[1:])
    base = list(here)
    while segs and segs[0] in ("super", "self"):
        if segs.pop(0) == "super":
            base.pop()
    return tuple(base + segs)


def references(text, here):
    paths = []
    for m in re.finditer(r"\buse\s+((?:crate|super|self)::[^;]*);", text):
        paths += expand_use_tree(m.group(1))
    body = re.sub(r"\buse\s+[^;]*;", "", text)
    paths += re.findall(r"\b(?:crate|super|self)(?:::\w+)+", body)
    return {absolute(p, here) for p in paths}


def graph():
    files = sorted(SRC.rglob("*.rs"))
    modules = {module_of(f) for f in files}
    edges = {}
    for f in files:
        here = module_of(f)
        text = strip_test_modules(strip_comments_and_strings(f.read_text()))
        for target in references(text, here):
            while target and target not in modules:
                target = target[:-1]
            n = 0
            while n < min(len(here), len(target)) and here[n] == target[n]:
                n += 1
            if n == len(here) or n == len(target):
                continue  # self, an ancestor or a descendant: not between siblings
            parent, a, b = here[:n], here[n], target[n]
            edges.setdefault(parent, {}).setdefault(a, {}).setdefault(b, set()).add(
                "::".join(here) + " -> " + "::".join(target)
            )
    return edges


def circles(adjacency):
    """Tarjan's strongly connected components with more than one member."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in adjacency.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(adjacency):
        if v not in index:
            visit(v)
    return found


def main():
    edges = graph()
    bad = 0
    for parent in sorted(edges):
        name = "::".join(("crate",) + parent)
        adjacency = edges[parent]
        if "--edges" in sys.argv:
            for a in sorted(adjacency):
                print(f"{name}: {a} -> {', '.join(sorted(adjacency[a]))}")
        for component in circles(adjacency):
            bad += 1
            print(f"circle in {name}: {' <-> '.join(component)}")
            for a in component:
                for b in component:
                    for why in sorted(adjacency[a].get(b, ())):
                        print(f"    {why}")
    groups = len(edges)
    print(f"{bad} circle(s) among the children of {groups} modules" if bad else
          f"no circles: the children of each of {groups} modules form a DAG")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
