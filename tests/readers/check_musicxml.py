#!/usr/bin/env python3
"""An outside reader of tunec's MusicXML (DESIGN section 4), built on music21.

Usage: check_musicxml.py FILE.musicxml...

Each file is read with music21's converter.parse, its repeats expanded (expandRepeats) and its
ties joined (stripTies). Beside each file, FILE.json says what tunec meant to write:

  {"title": "...", "composer": "tunec, seed 0", "tempo": [139, 1.5],
   "parts": [{"name": "melody", "instrument": "flute", "notes": [[key, onset, length], ...]}, ...],
   "drums": {"name": "drums", "notes": [["F4", onset, length], ...]}}

The file must have that title and composer, a metronome mark of that many beats a minute on a
beat of that many quarters, the parts in that order with those names and
instruments, and exactly those notes: MIDI key (for the drums, the staff position they are
written at), onset and length in ticks at 480 a quarter (a staccato note's length is half its
written value, as it is played).

Prints one line per failure and `checked N files: P passed, F failed`; exits 1 if any file
failed, 2 on misuse, 3 if music21 cannot be imported.
"""

import json
import os
import sys

try:
    from music21 import articulations, chord, converter, harmony, note, tempo
except ImportError as error:  # pragma: no cover - depends on the environment
    print(
        f"check_musicxml.py needs the Python package music21 ({error}); install it with "
        "`pip install music21` (a venv is fine) and point TUNEC_PYTHON at that python",
        file=sys.stderr,
    )
    sys.exit(3)

PPQ = 480


class Failure(Exception):
    pass


def require(condition, message):
    if not condition:
        raise Failure(message)


def ticks(quarter_length):
    value = quarter_length * PPQ
    require(value == int(value), f"{quarter_length} quarters is off the 480 grid")
    return int(value)


def heads(element):
    """The (pitch or staff position) of each head of a note, chord or percussion chord."""
    if isinstance(element, note.Unpitched):
        return [f"{element.displayStep}{element.displayOctave}"]
    if isinstance(element, note.Note):
        return [element.pitch.midi]
    if isinstance(element, chord.ChordBase):
        return [h for n in element.notes for h in heads(n)]
    raise Failure(f"an unexpected {type(element).__name__}")


def played(part):
    notes = []
    for element in part.stripTies().flatten().notes:
        # Chord symbols are chords to music21, of no length.
        if isinstance(element, harmony.ChordSymbol) or element.duration.isGrace:
            continue
        onset, length = ticks(element.offset), ticks(element.quarterLength)
        # A staccato note sounds half its written value (tunec writes a sixteenth followed by
        # a rest as a staccato eighth); the MIDI file has that half.
        if any(isinstance(a, articulations.Staccato) for a in element.articulations):
            length //= 2
        notes.extend([head, onset, length] for head in heads(element))
    return sorted(notes, key=lambda n: (str(n[0]), n[1], n[2]))


def compare(label, got, want):
    want = sorted(want, key=lambda n: (str(n[0]), n[1], n[2]))
    if got == want:
        return
    first = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w), min(len(got), len(want)))
    raise Failure(
        f"{label}: {len(got)} notes, expected {len(want)}; first difference at #{first}: "
        f"read {got[first] if first < len(got) else None}, "
        f"expected {want[first] if first < len(want) else None} (key, onset, length)"
    )


def check_file(path):
    with open(os.path.splitext(path)[0] + ".json", encoding="utf-8") as f:
        expected = json.load(f)
    score = converter.parse(path, format="musicxml")
    require(score.metadata.title == expected["title"], f"title {score.metadata.title!r}")
    require(
        score.metadata.composer == expected["composer"], f"composer {score.metadata.composer!r}"
    )
    marks = list(score.parts[0].recurse().getElementsByClass(tempo.MetronomeMark))
    require(marks, "no metronome mark")
    number, beat = expected["tempo"]
    mark = (marks[0].number, marks[0].referent.quarterLength)
    require(mark == (number, beat), f"metronome {mark}, expected {(number, beat)}")
    # Transposing parts (piccolo, glockenspiel, bass guitar) are written an octave or two
    # from where they sound: compare what they play.
    score = score.expandRepeats().toSoundingPitch()
    parts = list(score.parts)
    wanted = expected["parts"] + ([expected["drums"]] if expected.get("drums") else [])
    names = [p.partName for p in parts]
    require(names == [w["name"] for w in wanted], f"parts {names}")
    for part, want in zip(parts, wanted):
        # music21 takes the program from the instrument it recognises by name, not from
        # <midi-program> (tests/musicxml.rs checks that one), so the name is checked here.
        if "instrument" in want:
            instrument = part.getInstrument().instrumentName
            require(instrument == want["instrument"], f"{want['name']}: instrument {instrument!r}")
        compare(want["name"], played(part), want["notes"])


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        try:
            check_file(path)
        except Failure as failure:
            failed += 1
            print(f"FAIL {path}: {failure}")
        except Exception as error:  # music21 raises many kinds; each is a failed file
            failed += 1
            print(f"FAIL {path}: cannot read it: {type(error).__name__}: {error}")
    print(f"checked {len(paths)} files: {len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
