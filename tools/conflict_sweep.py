#!/usr/bin/env python3
"""Sweep tunec's decisions and explanations (issue 14): prompts generated with a witness melody
that meets them must compose for every seed; refused prompts must name the user's lines, a
minimal conflicting set of clauses, and only ranges someone wrote.

Drives the release binary (`cargo build --release --locked` first):

    python3 tools/conflict_sweep.py [--witness 5000] [--random 2000] [--seeds 5] [--jobs 2]

Figures printed (each with its count):
- conflicts naming at least one user line;
- explanations that are minimal conflicting sets: the named clauses, kept alone (with the
  style words), are refused for every seed tried, and without any one of them compose;
- conflict messages citing a range nobody wrote (neither a `range X to Y` of the program nor a
  default named with its origin);
- prompts satisfiable by construction that are refused (for any seed);
- prompts whose acceptance depends on the seed;
- runs that ended in an internal error (E09xx), over these prompts and every style with forms
  whose last section returns (`STYLE_FORMS`).

The prompts come from a fixed random stream (`--sweep-seed`), so a sweep is repeatable.
"""

import argparse
import json
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "tunec"
args_binary = [BINARY]
CONFLICT_CODES = {"E0216", "E0217", "E0218", "E0219", "E0300"}

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
TONICS = {"C": 0, "G": 7, "D": 2, "A": 9, "E": 4, "F": 5, "Bb": 10, "Eb": 3}
MODES = {
    "major": [0, 2, 4, 5, 7, 9, 11],
    "minor": [0, 2, 3, 5, 7, 8, 10],
    "dorian": [0, 2, 3, 5, 7, 9, 10],
    "mixolydian": [0, 2, 4, 5, 7, 9, 10],
}
STYLES = ["folk tune", "jig", "reel", "waltz", "march", "hornpipe", "shanty", "lullaby",
          "pop song", "ballad"]
METERS = {"4/4": 4, "3/4": 3, "2/4": 2, "6/8": 2}
# Durations a bar of each meter can be filled with, as `rhythm` clauses, and notes per bar.
RHYTHMS = {
    "4/4": [("quarters", 4), ("eighths", 8), ("half notes", 2)],
    "3/4": [("quarters", 3), ("eighths", 6)],
    "2/4": [("quarters", 2), ("eighths", 4), ("half notes", 1)],
    "6/8": [("eighths", 6), ("dotted quarters", 2)],
}
FORMS = ["AB", "AABB", "ABA", "ABAC", "AABA", "ABCBA", "ABCAC'", "AA'", "AABA'"]
RANGE = re.compile(r"\b([A-G](?:#|b)?-?\d)\s*[–-]\s*([A-G](?:#|b)?-?\d)\b")


def midi(name):
    """MIDI number of a pitch name with octave (`C#4` = 61)."""
    m = re.fullmatch(r"([A-G])(#|b)?(-?\d)", name)
    base = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}[m.group(1)]
    shift = {"#": 1, "b": -1, None: 0}[m.group(2)]
    return 12 * (int(m.group(3)) + 1) + base + shift


def spell(p):
    return f"{NAMES[p % 12]}{p // 12 - 1}"


def sections_of(form):
    """The form's sections, a varied repeat written as its letter and a quote."""
    return re.findall(r"[A-Z]'?", form)


class Piece:
    """The piece line's choices, shared by witness and random prompts."""

    def __init__(self, rng):
        self.style = rng.choice(STYLES)
        self.tonic = rng.choice(list(TONICS))
        self.mode = rng.choice(list(MODES))
        self.meter = rng.choice(list(METERS))
        self.form = rng.choice(FORMS) if rng.random() < 0.4 else None
        count = len(sections_of(self.form)) if self.form else 1
        self.bars = count * rng.choice([1, 1, 2, 4] if count > 2 else [1, 2, 4, 8, 16])
        self.solo = rng.random() < 0.5

    def scale(self):
        t = TONICS[self.tonic]
        return sorted({(t + i) % 12 for i in MODES[self.mode]})

    def line(self):
        clauses = [self.style, f"in {self.tonic} {self.mode}", self.meter, f"{self.bars} bars"]
        if self.form:
            clauses.append(f"form {self.form}")
        if self.solo:
            clauses.append("solo")
        return ", ".join(clauses)


def walk(rng, scale, length, start):
    """A melody of scale notes that moves mostly by step, from `start`."""
    pitches = [p for p in range(start - 14, start + 15) if p % 12 in scale]
    i = min(range(len(pitches)), key=lambda k: abs(pitches[k] - start))
    out = []
    for _ in range(length):
        out.append(pitches[i])
        move = rng.choice([0, 1, -1, 1, -1, 2, -2, 3, -4]) if rng.random() < 0.9 else 0
        i = max(0, min(len(pitches) - 1, i + move))
    return out


def witness_prompt(rng):
    """A prompt and a melody that meets it: every clause is read off the witness."""
    piece = Piece(rng)
    scale = piece.scale()
    form = sections_of(piece.form) if piece.form else ["A"]
    per_section = piece.bars // len(form)
    start = rng.randint(57, 76)
    tunes = {}
    for letter in dict.fromkeys(s[0] for s in form):
        # At most one note a bar, so any rhythm has room for it; repeats pad it out.
        length = rng.randint(1, per_section)
        tunes[letter] = walk(rng, scale, length, start)
        start = tunes[letter][-1]
    notes = [p for s in form for p in tunes[s[0]]]
    intervals = [abs(a - b) for a, b in zip(notes, notes[1:])]
    clauses = []
    low, high = min(notes), max(notes)
    if rng.random() < 0.6:
        clauses.append(f"range {spell(low - rng.randint(0, 3))} to {spell(high + rng.randint(0, 3))}")
    largest = max(intervals, default=0)
    roll = rng.random()
    if largest <= 2 and roll < 0.5:
        clauses.append("stepwise")
    elif roll < 0.7:
        clauses.append(f"no leaps larger than {largest + rng.randint(0, 2)} semitones")
    if intervals and sum(i <= 2 for i in intervals) >= 0.7 * len(intervals) and rng.random() < 0.3:
        clauses.append("mostly stepwise")
    for word, note in (("starts on", notes[0]), ("ends on", notes[-1])):
        if rng.random() < 0.5:
            tonic = note % 12 == TONICS[piece.tonic]
            clauses.append(f"{word} the tonic" if tonic and rng.random() < 0.5 else f"{word} {spell(note)}")
    used = sorted({p % 12 for p in notes})
    if rng.random() < 0.4:
        extra = [c for c in scale if c not in used and rng.random() < 0.4]
        clauses.append("using only " + " ".join(NAMES[c] for c in sorted(used + extra)))
    elif rng.random() < 0.3:
        unused = [c for c in range(12) if c not in used]
        clauses.append("avoiding " + " ".join(NAMES[c] for c in rng.sample(unused, min(2, len(unused)))))
    if rng.random() < 0.3:
        clauses.append("rhythm " + rng.choice(RHYTHMS[piece.meter])[0])
    lines = [piece.line()]
    if clauses:
        lines.append("melody: " + ", ".join(clauses))
    if piece.form and rng.random() < 0.3:
        letter = rng.choice(sorted(tunes))
        lo, hi = min(tunes[letter]), max(tunes[letter])
        lines.append(f"section {letter} melody: range {spell(lo)} to {spell(hi)}")
    return "\n".join(lines) + "\n"


def random_prompt(rng):
    """A prompt of clauses drawn independently: often unsatisfiable."""
    piece = Piece(rng)
    clauses = []
    low = rng.randint(55, 79)
    if rng.random() < 0.6:
        clauses.append(f"range {spell(low)} to {spell(low + rng.randint(0, 12))}")
    if rng.random() < 0.3:
        clauses.append("stepwise")
    elif rng.random() < 0.3:
        clauses.append(f"no leaps larger than {rng.randint(1, 7)} semitones")
    if rng.random() < 0.2:
        clauses.append("mostly stepwise")
    for word in ("starts on", "ends on"):
        if rng.random() < 0.5:
            choice = rng.random()
            target = "the tonic" if choice < 0.2 else "the dominant" if choice < 0.3 else spell(rng.randint(55, 84))
            clauses.append(f"{word} {target}")
    if rng.random() < 0.3:
        clauses.append("using only " + " ".join(NAMES[c] for c in sorted(rng.sample(range(12), rng.randint(1, 5)))))
    elif rng.random() < 0.3:
        clauses.append("avoiding " + " ".join(NAMES[c] for c in sorted(rng.sample(range(12), rng.randint(1, 3)))))
    if rng.random() < 0.2:
        clauses.append("rhythm " + rng.choice(RHYTHMS[piece.meter])[0])
    lines = [piece.line()]
    if clauses:
        lines.append("melody: " + ", ".join(clauses))
    if not piece.solo and rng.random() < 0.3:
        bass = f"range {spell(rng.randint(28, 45))} to {spell(rng.randint(40, 55))}"
        lines.append(f"bass: {bass}" + (", using only " + NAMES[rng.randrange(12)] if rng.random() < 0.3 else ""))
    if piece.form and rng.random() < 0.3:
        letter = rng.choice(sections_of(piece.form))[0]
        lo = rng.randint(60, 76)
        lines.append(f"section {letter} melody: range {spell(lo)} to {spell(lo + rng.randint(0, 5))}")
    return "\n".join(lines) + "\n"


# The reproducers of issue 14: satisfiable ones first, then ones to refuse.
REPRODUCERS_MET = [
    "folk tune in D major, 1 bar, solo\nmelody: stepwise, starts on D4, ends on D5\n",
    "folk tune in D major, ends with an authentic cadence, using only D A\n",
    "blues, ends with an authentic cadence\n",
    "folk tune in E major, solo, half cadence\nmelody: using only E\n",
    "folk tune in Bb major, 10 bars, form ABCBA, solo\nmelody: range D4 to D5, no leaps larger than 1 semitone\nsection C melody: range D5 to D5\n",
    "folk tune, 20 bars, form ABCAC'\nmelody: stepwise\n",
    "shanty, in C major, 3/8, form AABA\nsection A bass: range C2 to G2\nsection B: chords III\n",
    "jig, 3 bars, form ABA\nmelody: stepwise, starts on B5, ends on Eb4\n",
    "hornpipe, 5 bars, form ABACA\nmelody: stepwise, starts on C#4, ends on F#5\n",
    "reel, 5 bars, form ABACA\nmelody: stepwise, starts on D4, ends on Ab5\n",
    "folk tune, 4/4, 6 bars, form ABCDEA\nmelody: no leaps larger than 1 semitone, starts on D4, rhythm quarters\nsection C melody: range Bb4 to Bb4\n",
]
REPRODUCERS_REFUSED = [
    "folk tune\nmelody: range F4 to G4, stepwise, ends on G5\n",
    "pop song\nmelody: starts on the tonic\nbass: ends on the dominant, using only Bb\n",
    "happy march, in A minor\nmelody: mostly stepwise, ends on the dominant, avoiding Eb E\n",
    "folk tune, 16 bars, form AA\nsection A: 6 bars\n",
    "folk tune, 12 bars, form AABA, chords I IV V I ii V\n",
    "folk tune, solo\nbass: walking\n",
    "folk tune in C major, 2 bars, 4/4\nmelody: stepwise, range C4 to C6, starts on C4, ends on C6, rhythm half notes\n",
]

# Every style with forms whose last section returns, for the internal-error count: a style's
# ending (a last chord struck whole) must keep to the repeats the verifier checks.
ALL_STYLES = ["folk", "jig", "reel", "hornpipe", "waltz", "march", "polka", "lullaby", "blues",
              "chorale", "pop", "ballad", "shanty", "rock", "metal", "jazz", "jazz waltz",
              "bossa nova", "reggae", "funk", "house", "techno", "trance", "ambient", "hip hop",
              "lo-fi", "classical", "film", "country", "gospel", "latin", "christmas"]
STYLE_FORMS = [f"{style}, {form}\n" for style in ALL_STYLES
               for form in ("form AABA, 16 bars", "form ABA, 12 bars", "form AABB, 8 bars",
                            "form AA', 8 bars", "form ABCBA, 10 bars")]


def internal(runs):
    """Whether any run of a prompt ended in an internal error."""
    return any(str(d.get("code", "")).startswith("E09") for _, diags in runs for d in diags)


def run(program, seed):
    """`(accepted, diagnostics)` of one compile."""
    done = subprocess.run(
        [str(args_binary[0]), "-", "--check", "--seed", str(seed), "--error-format", "json"],
        input=program, capture_output=True, text=True, timeout=120,
    )
    if done.returncode == 0:
        return True, []
    try:
        return False, json.loads(done.stderr)
    except json.JSONDecodeError:
        return False, [{"code": "?", "message": done.stderr, "labels": []}]


def decide(program, seeds):
    """Acceptance per seed."""
    return [run(program, s) for s in seeds]


def clauses_of(program):
    """Each line as (prefix, [(clause, first column, last column)]), columns 1-based."""
    out = []
    for text in program.splitlines():
        prefix = ""
        rest_at = 0
        if ":" in text:
            rest_at = text.index(":") + 1
            prefix = text[:rest_at]
        clauses = []
        at = rest_at
        for piece in text[rest_at:].split(","):
            stripped = piece.strip()
            if stripped:
                first = at + piece.index(stripped) + 1
                clauses.append((stripped, first, first + len(stripped) - 1))
            at += len(piece) + 1
        out.append((prefix, clauses))
    return out


def blamed(program, diagnostic):
    """The (line, clause index) pairs the diagnostic's labels fall on."""
    lines = clauses_of(program)
    marks = set()
    for label in diagnostic.get("labels", []):
        line = label["line"] - 1
        if not 0 <= line < len(lines):
            continue
        for k, (_, first, last) in enumerate(lines[line][1]):
            if label["column"] <= last and label["end_column"] > first:
                marks.add((line, k))
    return marks


def program_with(program, keep):
    """The program with only the clauses in `keep` (and the piece line's style words)."""
    lines = clauses_of(program)
    out = []
    for i, (prefix, clauses) in enumerate(lines):
        kept = [c[0] for k, c in enumerate(clauses) if (i, k) in keep or (i == 0 and k == 0)]
        if kept:
            out.append(prefix + (" " if prefix else "") + ", ".join(kept))
    return "\n".join(out) + "\n"


def met(runs):
    """Whether a program is met for some seed, or refused only because a line names what the
    clauses dropped took away (E0214: a section line whose section only the dropped form had),
    which is no conflict; tunec's own deletion test (`src/minimal.rs`) counts it so."""
    return any(ok for ok, _ in runs) or all(
        d.get("code") == "E0214" for _, diags in runs for d in diags
    )


def minimal(program, diagnostic, seeds):
    """The deletion test: the named clauses conflict alone, and each one is needed."""
    marks = blamed(program, diagnostic)
    if not marks:
        return False
    if met(decide(program_with(program, marks), seeds)):
        return False
    for mark in sorted(marks):
        rest = marks - {mark}
        if not met(decide(program_with(program, rest), seeds)):
            return False
    return True


def unwritten_ranges(program, diagnostic):
    """Ranges the message or hint cites that no `range X to Y` wrote and no origin names."""
    written = {(midi(a), midi(b)) for a, b in re.findall(r"range ([A-G][#b]?-?\d) to ([A-G][#b]?-?\d)", program)}
    text = diagnostic.get("message", "") + " " + (diagnostic.get("hint") or "")
    bad = []
    for m in RANGE.finditer(text):
        pair = (midi(m.group(1)), midi(m.group(2)))
        named = re.match(r"\s*\((?:the [^)]*)?default", text[m.end():])
        if pair not in written and not named:
            bad.append(m.group(0))
    return bad


def percent(part, whole):
    return f"{part}/{whole} = {100.0 * part / whole:.1f}%" if whole else f"{part}/0"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--witness", type=int, default=1000, help="prompts with a witness melody")
    ap.add_argument("--random", type=int, default=1000, help="prompts of independent clauses")
    ap.add_argument("--seeds", type=int, default=5, help="seeds per prompt")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sweep-seed", type=int, default=14)
    ap.add_argument("--show", type=int, default=5, help="examples of each failure to print")
    ap.add_argument("--binary", type=Path, default=BINARY, help="the tunec to sweep")
    args = ap.parse_args()
    args_binary[0] = args.binary
    if not args.binary.exists():
        sys.exit(f"{args.binary} is missing: run `cargo build --release --locked` first")
    rng = random.Random(args.sweep_seed)
    witnesses = [witness_prompt(rng) for _ in range(args.witness)] + REPRODUCERS_MET
    randoms = [random_prompt(rng) for _ in range(args.random)] + REPRODUCERS_REFUSED
    seeds = list(range(args.seeds))
    with ThreadPoolExecutor(args.jobs) as pool:
        w_runs = list(pool.map(lambda p: decide(p, seeds), witnesses))
        r_runs = list(pool.map(lambda p: decide(p, seeds), randoms))
        s_runs = list(pool.map(lambda p: decide(p, seeds), STYLE_FORMS))
        broken = [p for p, rs in zip(witnesses + randoms + STYLE_FORMS, w_runs + r_runs + s_runs)
                  if internal(rs)]
        refused_w = [p for p, rs in zip(witnesses, w_runs) if not all(ok for ok, _ in rs)]
        mixed = [p for p, rs in zip(witnesses + randoms, w_runs + r_runs)
                 if len({ok for ok, _ in rs}) > 1]
        conflicts = []
        for p, rs in zip(witnesses + randoms, w_runs + r_runs):
            for ok, diags in rs:
                if not ok:
                    conflicts.extend((p, d) for d in diags if d.get("code") in CONFLICT_CODES)
                    break
        named = [(p, d) for p, d in conflicts if blamed(p, d)]
        tests = list(pool.map(lambda pd: minimal(pd[0], pd[1], seeds[:3]), named))
    unnamed = [(p, d) for p, d in conflicts if not blamed(p, d)]
    not_minimal = [pd for pd, ok in zip(named, tests) if not ok]
    ranges = [(p, d, unwritten_ranges(p, d)) for p, d in conflicts]
    cited = [r for r in ranges if r[2]]
    print(f"prompts: {len(witnesses)} with a witness, {len(randoms)} of independent clauses; seeds {seeds[0]}..{seeds[-1]}")
    print(f"conflicts naming at least one user line: {percent(len(named), len(conflicts))}")
    print(f"explanations that are minimal conflicting sets: {percent(sum(tests), len(named))}")
    print(f"conflicts citing a range nobody wrote: {percent(len(cited), len(conflicts))}")
    print(f"satisfiable-by-construction prompts refused: {percent(len(refused_w), len(witnesses))}")
    print(f"prompts whose acceptance depends on the seed: {percent(len(mixed), len(witnesses) + len(randoms))}")
    all_prompts = len(witnesses) + len(randoms) + len(STYLE_FORMS)
    print(f"prompts with an internal error for some seed: {percent(len(broken), all_prompts)}")

    def show(title, items):
        if items and args.show:
            print(f"\n--- {title} (first {min(args.show, len(items))} of {len(items)})")
            for item in items[: args.show]:
                program, rest = item[0], item[1:]
                print(program.rstrip())
                for r in rest:
                    if isinstance(r, dict):
                        print("   ->", r.get("message"), "|", r.get("hint"))
                    elif r:
                        print("   ->", r)
    show("refused though a witness meets them", [(p,) for p in refused_w])
    show("acceptance depends on the seed", [(p,) for p in mixed])
    show("conflicts naming no line", unnamed)
    show("named clauses that are no minimal conflicting set", not_minimal)
    show("ranges nobody wrote", cited)
    show("internal errors", [(p,) for p in broken])


if __name__ == "__main__":
    main()
