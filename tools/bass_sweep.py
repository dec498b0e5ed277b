#!/usr/bin/env python3
"""Sweep bass line clauses (issue 14), which tools/conflict_sweep.py does not write: prompts of a
style and a bass line (leap limits, `mostly stepwise`, first and last notes, a pattern, a range)
drawn from a fixed stream, each compiled for seeds 0-4 by each binary given. Counts per binary
the prompts composed for every seed, refused for every seed, seed-dependent, with an internal
error (E09xx) and over the time limit, with examples of each but the first.

    python3 tools/bass_sweep.py --prompts 60 BINARY [BINARY ...]

`--rules N` adds N prompts from a second stream (so the first stream's stay as they were) of
the rules the joint chord-and-bass chain had to learn: a form the user wrote whose sections
play twice (AABA, ABAB, AABB, AABA'), `mostly stepwise` with a leap limit, the salsa's tumbao,
and styles that open with a pickup (jig, folk tune, waltz, polka, march).

`--varied` instead sweeps a fixed grid, no stream: forms with a varied repeat (AA', AABA', ABA',
ABAB') in four styles under ten bass rules (leap limits of 2-5 semitones with root-fifth,
walking, roots, stepwise, a range, first and last notes an octave apart), each for `--seeds` seeds, where whether a prompt
composes must never hang on the seed.

    python3 tools/bass_sweep.py --varied --seeds 10 BINARY [BINARY ...]
"""

import argparse
import json
import random
import subprocess
from collections import Counter

STYLES = ["folk tune", "jig", "reel", "waltz", "march", "hornpipe", "shanty", "lullaby", "pop song",
          "ballad", "blues", "jazz", "salsa", "chorale", "rock", "bossa nova", "polka", "funk"]
NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def spell(p):
    return f"{NAMES[p % 12]}{p // 12 - 1}"


def prompt(rng):
    piece = [rng.choice(STYLES)]
    if rng.random() < 0.5:
        tonic = rng.choice(["C", "D", "G", "A", "F", "Bb", "E"])
        piece.append(f"in {tonic} {rng.choice(['major', 'minor', 'dorian', 'mixolydian'])}")
    if rng.random() < 0.5:
        piece.append(f"{rng.choice([1, 2, 4, 8, 16])} bars")
    bass = []
    roll = rng.random()
    if roll < 0.25:
        bass.append("stepwise")
    elif roll < 0.5:
        bass.append(f"no leaps larger than {rng.randint(1, 7)} semitones")
    elif roll < 0.6:
        bass.append("mostly stepwise")
    for word in ("starts on", "ends on"):
        if rng.random() < 0.5:
            bass.append(f"{word} {spell(rng.randint(33, 52))}")
    if rng.random() < 0.2:
        bass.append(rng.choice(["walking", "roots", "root-fifth"]))
    if rng.random() < 0.2:
        low = rng.randint(31, 45)
        bass.append(f"range {spell(low)} to {spell(low + rng.randint(5, 15))}")
    return ", ".join(piece) + "\nbass: " + ", ".join(bass or ["stepwise"]) + "\n"


def rules_prompt(rng):
    style = rng.choice(["salsa", "jig", "folk tune", "waltz", "polka", "march", "pop song",
                        "blues", "reel", "shanty"])
    piece = [style]
    roll = rng.random()
    if roll < 0.5:
        form = rng.choice(["AABA", "ABAB", "AABB", "AABA'", "ABA"])
        piece.append(f"{4 * len(form.replace(chr(39), ''))} bars, form {form}")
    elif roll < 0.7:
        piece.append(f"{rng.choice([1, 2, 4, 8])} bars")
    bass = [f"no leaps larger than {rng.randint(1, 4)} semitones"]
    if rng.random() < 0.4:
        bass.append("mostly stepwise")
    if style == "salsa" and rng.random() < 0.5:
        bass.append("tumbao")
    elif rng.random() < 0.3:
        bass.append(rng.choice(["roots", "root-fifth", "walking"]))
    for word in ("starts on", "ends on"):
        if rng.random() < 0.3:
            bass.append(f"{word} {spell(rng.randint(36, 50))}")
    return ", ".join(piece) + "\nbass: " + ", ".join(bass) + "\n"


VARIED_FORMS = ["AA'", "AABA'", "ABA'", "ABAB'"]
VARIED_STYLES = ["salsa", "folk tune", "waltz", "pop song"]
VARIED_RULES = ["no leaps larger than 2 semitones, root-fifth",
                "no leaps larger than 3 semitones, root-fifth",
                "no leaps larger than 4 semitones, walking",
                "no leaps larger than 5 semitones, roots",
                "stepwise",
                "no leaps larger than 2 semitones, walking",
                "no leaps larger than 3 semitones, range E2 to C3",
                "no leaps larger than 3 semitones, root-fifth, ends on C3",
                "no leaps larger than 2 semitones, walking, starts on C2, ends on C3",
                "no leaps larger than 4 semitones, starts on C3, ends on C2"]


def varied_prompts():
    """Every style, form with a varied repeat and bass rule of the grid, four bars a section."""
    return [f"{style}, {4 * len(form.replace(chr(39), ''))} bars, form {form}\nbass: {rule}\n"
            for style in VARIED_STYLES for form in VARIED_FORMS for rule in VARIED_RULES]


def run(binary, program, seed, limit):
    try:
        done = subprocess.run([binary, "-", "--check", "--seed", str(seed), "--error-format", "json"],
                              input=program, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return "over the time limit"
    if done.returncode == 0:
        return "composed"
    try:
        codes = [str(d.get("code")) for d in json.loads(done.stderr)]
    except json.JSONDecodeError:
        codes = ["?"]
    return "internal error" if any(c.startswith("E09") or c == "?" for c in codes) else "refused"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--prompts", type=int, default=60)
    ap.add_argument("--sweep-seed", type=int, default=7)
    ap.add_argument("--rules", type=int, default=0, help="prompts of the joint chain's rules")
    ap.add_argument("--limit", type=float, default=15, help="seconds a compile may take")
    ap.add_argument("--varied", action="store_true", help="the grid of varied repeats instead")
    ap.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 per prompt")
    args = ap.parse_args()
    rng = random.Random(args.sweep_seed)
    prompts = [prompt(rng) for _ in range(args.prompts)]
    rules = random.Random(args.sweep_seed + 1)
    prompts += [rules_prompt(rules) for _ in range(args.rules)]
    if args.varied:
        prompts = varied_prompts()
    for binary in args.binaries:
        tally, examples = Counter(), {}
        for p in prompts:
            runs = [run(binary, p, seed, args.limit) for seed in range(args.seeds)]
            worst = [k for k in ("over the time limit", "internal error") if k in runs]
            kind = worst[0] if worst else runs[0] if len(set(runs)) == 1 else "seed-dependent"
            tally[kind] += 1
            examples.setdefault(kind, []).append(p.strip().replace("\n", " / "))
        print(binary, dict(tally))
        for kind, found in examples.items():
            if kind != "composed":
                for e in found[:5] if kind != "seed-dependent" else found:
                    print(f"  {kind}: {e}")


if __name__ == "__main__":
    main()
