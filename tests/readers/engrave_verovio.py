#!/usr/bin/env python3
"""Engraves MusicXML files with verovio (PyPI), an engraver independent of tunec and MuseScore.

Usage: engrave_verovio.py FILE.musicxml...

Each file must load, lay out on at least one page, and render every page to an SVG with
notes in it, with no error in verovio's log. Prints one line per failure and
`checked N files: P passed, F failed`; exits 1 if any failed, 2 on misuse, 3 without verovio.
"""

import sys

try:
    import verovio
except ImportError as error:  # pragma: no cover - depends on the environment
    print(
        f"engrave_verovio.py needs the Python package verovio ({error}); "
        "install it with `pip install verovio` and point TUNEC_PYTHON at that python",
        file=sys.stderr,
    )
    sys.exit(3)


def problem(path):
    """What is wrong with engraving `path`, or None."""
    toolkit = verovio.toolkit()
    toolkit.setOptions({"pageHeight": 2970, "pageWidth": 2100})
    if not toolkit.loadFile(path):
        return "verovio cannot load it"
    pages = toolkit.getPageCount()
    if pages < 1:
        return "no page"
    for page in range(1, pages + 1):
        svg = toolkit.renderToSVG(page)
        if "<svg" not in svg or 'class="note"' not in svg:
            return f"page {page} has no notes"
    errors = [line for line in toolkit.getLog().splitlines() if "rror" in line]
    return f"verovio's log: {errors[0]}" if errors else None


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        reason = problem(path)
        if reason:
            failed += 1
            print(f"FAIL {path}: {reason}")
    print(f"checked {len(paths)} files: {len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
