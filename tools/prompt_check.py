#!/usr/bin/env python3
"""Runs a prompt set written as Markdown (### Pnn / ### Rnn entries with ATTRS: or REFUSE:
lines, as /tmp/indep8/prompts.md) through tunec and checks each stated attribute in the MIDI.

Usage: tools/prompt_check.py PROMPTS.md [--tunec PATH] [-v]

Needs nothing but Python 3: the Standard MIDI File is read here. Attributes: key, meter, tempo,
bars, pitches, range, starts, ends, maxleap, instrument, chords (see the set's header).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
MODES = {
    "major": [0, 2, 4, 5, 7, 9, 11], "minor": [0, 2, 3, 5, 7, 8, 10],
    "dorian": [0, 2, 3, 5, 7, 9, 10], "phrygian": [0, 1, 3, 5, 7, 8, 10],
    "lydian": [0, 2, 4, 6, 7, 9, 11], "mixolydian": [0, 2, 4, 5, 7, 9, 10],
    "aeolian": [0, 2, 3, 5, 7, 8, 10], "locrian": [0, 1, 3, 5, 6, 8, 10],
    "harmonic minor": [0, 2, 3, 5, 7, 8, 11],
}
# Where each mode's tonic sits in its relative major (semitones above the major's tonic).
MODE_OFFSET = {"major": 0, "minor": 9, "harmonic minor": 9, "aeolian": 9, "dorian": 2, "phrygian": 4,
               "lydian": 5, "mixolydian": 7, "locrian": 11}
# Sharps (+) or flats (-) of each major key's signature, by tonic pitch class (flat spellings
# for the flat keys, as tunec writes them: F# major has 6 sharps, Gb would have 6 flats).
MAJOR_SIGNATURE = {0: 0, 7: 1, 2: 2, 9: 3, 4: 4, 11: 5, 6: 6, 1: -5, 5: -1, 10: -2, 3: -3, 8: -4}

GM = """Acoustic Grand Piano|Bright Acoustic Piano|Electric Grand Piano|Honky-tonk Piano|
Electric Piano 1|Electric Piano 2|Harpsichord|Clavinet|Celesta|Glockenspiel|Music Box|Vibraphone|
Marimba|Xylophone|Tubular Bells|Dulcimer|Drawbar Organ|Percussive Organ|Rock Organ|Church Organ|
Reed Organ|Accordion|Harmonica|Tango Accordion|Acoustic Guitar (nylon)|Acoustic Guitar (steel)|
Electric Guitar (jazz)|Electric Guitar (clean)|Electric Guitar (muted)|Overdriven Guitar|
Distortion Guitar|Guitar Harmonics|Acoustic Bass|Electric Bass (finger)|Electric Bass (pick)|
Fretless Bass|Slap Bass 1|Slap Bass 2|Synth Bass 1|Synth Bass 2|Violin|Viola|Cello|Contrabass|
Tremolo Strings|Pizzicato Strings|Orchestral Harp|Timpani|String Ensemble 1|String Ensemble 2|
Synth Strings 1|Synth Strings 2|Choir Aahs|Voice Oohs|Synth Voice|Orchestra Hit|Trumpet|Trombone|
Tuba|Muted Trumpet|French Horn|Brass Section|Synth Brass 1|Synth Brass 2|Soprano Sax|Alto Sax|
Tenor Sax|Baritone Sax|Oboe|English Horn|Bassoon|Clarinet|Piccolo|Flute|Recorder|Pan Flute|
Blown Bottle|Shakuhachi|Whistle|Ocarina|Lead 1 (square)|Lead 2 (sawtooth)|Lead 3 (calliope)|
Lead 4 (chiff)|Lead 5 (charang)|Lead 6 (voice)|Lead 7 (fifths)|Lead 8 (bass + lead)|Pad 1 (new age)|
Pad 2 (warm)|Pad 3 (polysynth)|Pad 4 (choir)|Pad 5 (bowed)|Pad 6 (metallic)|Pad 7 (halo)|
Pad 8 (sweep)|FX 1 (rain)|FX 2 (soundtrack)|FX 3 (crystal)|FX 4 (atmosphere)|FX 5 (brightness)|
FX 6 (goblins)|FX 7 (echoes)|FX 8 (sci-fi)|Sitar|Banjo|Shamisen|Koto|Kalimba|Bag pipe|Fiddle|Shanai|
Tinkle Bell|Agogo|Steel Drums|Woodblock|Taiko Drum|Melodic Tom|Synth Drum|Reverse Cymbal|
Guitar Fret Noise|Breath Noise|Seashore|Bird Tweet|Telephone Ring|Helicopter|Applause|Gunshot"""
GM_NAMES = [n.strip() for n in GM.replace("\n", "").split("|")]
SAME_INSTRUMENT = {"fiddle": "violin", "clavi": "clavinet"}


def norm_instrument(name):
    # Spaces left out: GM's "Bag pipe" is the set's "Bagpipe".
    name = name.strip().lower().replace(" ", "")
    return SAME_INSTRUMENT.get(name, name)


# ---- the MIDI file ----

def varint(data, at):
    value = 0
    while True:
        byte = data[at]
        at += 1
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at


def read_midi(path):
    """(ticks per quarter, tracks): each track a dict with name, program, notes, metas."""
    data = open(path, "rb").read()
    assert data[:4] == b"MThd"
    division = int.from_bytes(data[12:14], "big")
    at, tracks = 14, []
    while at < len(data):
        length = int.from_bytes(data[at + 4:at + 8], "big")
        tracks.append(read_track(data[at + 8:at + 8 + length]))
        at += 8 + length
    return division, tracks


def read_track(data):
    track = {"name": "", "program": None, "notes": [], "meta": [], "end": 0, "channel": None}
    at, time, status, sounding = 0, 0, 0, {}
    while at < len(data):
        delta, at = varint(data, at)
        time += delta
        if data[at] & 0x80:
            status = data[at]
            at += 1
        if status == 0xFF:
            kind = data[at]
            length, at = varint(data, at + 1)
            body = data[at:at + length]
            at += length
            if kind == 0x03:
                track["name"] = body.decode("latin-1")
            elif kind == 0x2F:
                track["end"] = time
            else:
                track["meta"].append((time, kind, body))
        elif status in (0xF0, 0xF7):
            length, at = varint(data, at)
            at += length
        else:
            kind, channel = status & 0xF0, status & 0x0F
            track["channel"] = channel
            if kind in (0xC0, 0xD0):
                if kind == 0xC0 and track["program"] is None:
                    track["program"] = data[at]
                at += 1
                continue
            key, velocity = data[at], data[at + 1]
            at += 2
            if kind == 0x90 and velocity > 0:
                sounding[key] = time
            elif kind in (0x80, 0x90) and key in sounding:
                track["notes"].append((sounding.pop(key), time, key))
    track["notes"].sort()
    return track


# ---- names ----

def pitch_class(name):
    name = name.strip().replace("♯", "#").replace("♭", "b")
    m = re.fullmatch(r"([A-Ga-g])(#|b)?(?:\s*(sharp|flat))?(-?\d+)?", name)
    if not m:
        raise ValueError(name)
    pc = LETTERS[m.group(1).upper()] + {"#": 1, "b": -1, None: 0}[m.group(2)]
    pc += {"sharp": 1, "flat": -1, None: 0}[m.group(3)]
    octave = int(m.group(4)) if m.group(4) else None
    midi = None if octave is None else 12 * (octave + 1) + pc
    return pc % 12, midi


CHORD_TONES = {"": [0, 4, 7], "m": [0, 3, 7], "7": [0, 4, 7, 10], "m7": [0, 3, 7, 10],
               "maj7": [0, 4, 7, 11], "dim": [0, 3, 6], "aug": [0, 4, 8], "6": [0, 4, 7, 9],
               "m6": [0, 3, 7, 9]}


def chord(symbol):
    # A slash chord (`D/F#`) sounds its bass under the chord: one of the tones, or added.
    m = re.fullmatch(r"([A-G][#b]?)([^/]*)(?:/([A-G][#b]?))?", symbol.strip())
    root, _ = pitch_class(m.group(1))
    tones = {(root + t) % 12 for t in CHORD_TONES[m.group(2)]}
    if m.group(3):
        tones.add(pitch_class(m.group(3))[0])
    return root, tones


# ---- the checks ----

def facts(path):
    division, tracks = read_midi(path)
    conductor = tracks[0]
    meters = [(t, b[0], 2 ** b[1]) for t, k, b in conductor["meta"] if k == 0x58]
    tempi = [(t, int.from_bytes(b, "big")) for t, k, b in conductor["meta"] if k == 0x51]
    keys = [(t, int.from_bytes(b[:1], "big", signed=True), b[1]) for t, k, b in conductor["meta"]
            if k == 0x59]
    pickup = 0
    if len(meters) > 1 and meters[1][0] > 0 and meters[0][0] == 0:
        bar0 = meters[0][1] * division * 4 // meters[0][2]
        if meters[1][0] < bar0 or meters[1][1:] != meters[0][1:]:
            pickup = meters[1][0]
    main = meters[1] if pickup else meters[0]
    bar = main[1] * division * 4 // main[2]
    end = max([conductor["end"]] + [n[1] for t in tracks for n in t["notes"]])
    bars = -(-(end - pickup) // bar)
    parts = {t["name"]: t for t in tracks[1:]}
    sections = sorted(t for t, k, _ in conductor["meta"] if k == 0x06)
    return {"sections": sections or [pickup], "division": division, "meter": (main[1], main[2]), "tempo": tempi, "keys": keys,
            "bars": bars, "bar": bar, "pickup": pickup, "parts": parts}


def beat_bpm(f, tempo_us, caption):
    quarter = 60_000_000 / tempo_us
    count, unit = f["meter"]
    if caption:
        return [quarter]
    if unit == 8 and count % 3 == 0 and count > 3:
        return [quarter * 2 / 3]
    if unit == 2:
        return [quarter / 2]
    if unit == 8:
        return [quarter, quarter * 2, quarter * 2 / 3]
    return [quarter]


def check(attr, value, f, caption, about):
    melody = f["parts"].get("melody")
    notes = melody["notes"] if melody else []
    if attr == "meter":
        return "%d/%d" % f["meter"] == value.strip()
    if attr == "bars":
        return f["bars"] == int(value)
    if attr == "tempo":
        want = float(value)
        slack = max(0.5, want * 0.05) if about else 0.5
        return any(abs(b - want) <= slack for _, us in f["tempo"][:1]
                   for b in beat_bpm(f, us, caption))
    if attr == "instrument":
        if not melody or melody["program"] is None:
            return False
        return norm_instrument(GM_NAMES[melody["program"]]) == norm_instrument(value)
    if attr == "pitches":
        allowed = {pitch_class(n)[0] for n in value.split()}
        return all(n[2] % 12 in allowed for n in notes)
    if attr == "range":
        low, high = [pitch_class(p)[1] for p in re.split(r"-(?=[A-G])", value)]
        return all(low <= n[2] <= high for n in notes)
    if attr in ("starts", "ends"):
        note = notes[0] if attr == "starts" else max(notes, key=lambda n: (n[0], n[2]))
        pc, midi = pitch_class(value)
        return note[2] == midi if midi is not None else note[2] % 12 == pc
    if attr == "maxleap":
        keys = [n[2] for n in notes]
        return all(abs(a - b) <= int(value) for a, b in zip(keys, keys[1:]))
    if attr == "key":
        return check_key(value, f, notes)
    if attr == "chords":
        return check_chords(value.split(), f)
    raise ValueError("unknown attribute " + attr)


def check_key(value, f, notes):
    if len(value.split()) == 1:
        return check_tonic(value, f, notes)
    tonic, mode = value.split(None, 1)
    pc, _ = pitch_class(tonic)
    major = (pc - MODE_OFFSET[mode]) % 12
    # The signature of the key as the set spells it (Gb major: 6 flats) or of its enharmonic
    # twin in the table (F# major: 6 sharps): either is the same key.
    sharps = {MAJOR_SIGNATURE[major], written_signature(tonic, mode)}
    if not f["keys"] or f["keys"][0][1] not in sharps:
        return False
    if mode in ("major", "minor", "harmonic minor") and f["keys"][0][2] != (mode != "major"):
        return False
    scale = {(pc + s) % 12 for s in MODES[mode]}
    chord_tones = f.get("written_chord_tones", set())
    return all(n[2] % 12 in scale | chord_tones for n in notes)


# Fifths from C major of each letter's major key, and of each mode from its major.
LETTER_FIFTHS = {"F": -1, "C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5}
MODE_FIFTHS = {"major": 0, "minor": -3, "harmonic minor": -3, "aeolian": -3, "dorian": -2,
               "phrygian": -4, "lydian": 1, "mixolydian": -1, "locrian": -5}


def written_signature(tonic, mode):
    """Sharps (+) or flats (-) of the key spelled as written: `Gb major` -6, `C# minor` +4."""
    name = tonic.strip().replace("♯", "#").replace("♭", "b")
    alter = name[1:].count("#") - name[1:].count("b")
    return LETTER_FIFTHS[name[0].upper()] + 7 * alter + MODE_FIFTHS[mode]


WORD_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4}


def bars_per_chord(prompt):
    """`two bars per chord`, `2 bars each chord`: how long each stated chord lasts."""
    m = re.search(r"\b(\d+|one|two|three|four) (?:bars?|measures?) (?:per|each|a|for each) chord",
                  prompt, re.I)
    if not m:
        return 1
    word = m.group(1).lower()
    return int(word) if word.isdigit() else WORD_COUNTS[word]


def check_tonic(value, f, notes):
    """A key given by its tonic alone (`a 12-bar blues in A`): the piece opens on it, in the
    bass if there is one (a blues may end on its turnaround; the mode is left open)."""
    pc, _ = pitch_class(value)
    bass = f["parts"].get("bass")
    line = bass["notes"] if bass and bass["notes"] else notes
    first = min(line, key=lambda n: (n[0], n[2]))
    return first[2] % 12 == pc


def check_chords(symbols, f):
    part = f["parts"].get("chords")
    if not part or not part["notes"]:
        return False
    # A chord the prompt holds for several bars is that chord in each of them.
    cycle = [chord(s) for s in symbols for _ in range(f.get("bars_per_chord", 1))]
    bass = f["parts"].get("bass") or {"notes": []}
    for i in range(f["bars"]):
        start = f["pickup"] + i * f["bar"]
        sounding = {n[2] % 12 for n in part["notes"] if start <= n[0] < start + f["bar"]}
        if not sounding:
            continue
        # The harmony is the chords part over the bass: a chorale's or a pianist's upper voices
        # leave the root to the bass (its other notes may pass, so only the root is taken).
        under = {n[2] % 12 for n in bass["notes"] if start <= n[0] < start + f["bar"]}
        # The progression starts again with each section (a marker in the MIDI).
        section = max([s for s in f["sections"] if s <= start] or [f["pickup"]])
        root, tones = cycle[(start - section) // f["bar"] % len(cycle)]
        # A root the prompt's own note set excludes cannot sound (`using only` wins).
        needs_root = root in f.get("allowed", set(range(12)))
        if (needs_root and root not in sounding | under) or not sounding <= tones:
            return False
    return True


def entries(text):
    # The register may name two things: `(refuse, chat)`.
    for m in re.finditer(r"^### ([PR]\d+) \(([^)\n]*)\)\n(.*?)(?=^### |\Z)", text, re.S | re.M):
        name, register, body = m.groups()
        # A Markdown rule or heading after the last entry of a part is the set's layout.
        lines = [l for l in body.strip().split("\n") if l.strip() != "---" and not l.startswith("## ")]
        tail = [l for l in lines if l.startswith(("ATTRS:", "REFUSE:"))]
        prompt = "\n".join(l for l in lines if not l.startswith(("ATTRS:", "REFUSE:"))) + "\n"
        yield name, register, prompt, tail[0] if tail else ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("prompts")
    parser.add_argument("--tunec", default="target/debug/tunec")
    parser.add_argument("-v", action="store_true")
    args = parser.parse_args()
    text = open(args.prompts).read()
    compiled = total = held = attrs = refused = refusals = 0
    compiled_attrs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, register, prompt, tail in entries(text):
            src, out = os.path.join(tmp, name + ".tune"), os.path.join(tmp, name + ".mid")
            open(src, "w").write(prompt)
            run = subprocess.run([args.tunec, src, "-o", out], capture_output=True, text=True)
            error = run.stderr.strip().split("\n")
            if tail.startswith("REFUSE:"):
                refusals += 1
                ok = run.returncode == 1 and "panicked" not in run.stderr
                refused += ok
                print("%s %s %s" % (name, "refused" if ok else "COMPILED", error[0] if ok else ""))
                if args.v and ok:
                    print("    " + "\n    ".join(error[:8]))
                continue
            total += 1
            pairs = [p.split("=", 1) for p in tail[len("ATTRS:"):].split(";") if "=" in p]
            if run.returncode != 0:
                attrs += len(pairs)
                print("%s FAILS (%d attrs) %s" % (name, len(pairs), " | ".join(error[:3])))
                continue
            compiled += 1
            f = facts(out)
            about = re.search(r"\b(about|around|maybe|something like)\b", prompt, re.I)
            stated = dict((k.strip(), v) for k, v in pairs)
            chords = stated.get("chords")
            if "pitches" in stated:
                f["allowed"] = {pitch_class(n)[0] for n in stated["pitches"].split()}
            f["bars_per_chord"] = bars_per_chord(prompt)
            if chords:
                f["written_chord_tones"] = set().union(*(chord(c)[1] for c in chords.split()))
            bad = []
            for key, value in pairs:
                attrs += 1
                compiled_attrs += 1
                try:
                    ok = check(key.strip(), value.strip(), f, register == "caption", about)
                except Exception as e:  # a malformed attribute counts as not held
                    ok, value = False, "%s (%s)" % (value, e)
                held += ok
                if not ok:
                    bad.append("%s=%s" % (key.strip(), value.strip()))
            print("%s ok%s" % (name, "" if not bad else "  NOT HELD: " + "; ".join(bad)))
    print()
    print("should compile: %d of %d compile (%.0f%%)" % (compiled, total, 100 * compiled / total))
    print("attributes held: %d of %d (%.1f%%; attributes of prompts that fail count as not held)"
          % (held, attrs, 100 * held / attrs))
    print("attributes held in the prompts that compile: %d of %d (%.1f%%)"
          % (held, compiled_attrs, 100 * held / max(compiled_attrs, 1)))
    print("should refuse: %d of %d refused (exit status 1)" % (refused, refusals))


if __name__ == "__main__":
    main()
