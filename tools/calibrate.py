#!/usr/bin/env python
"""
Calibrates the melody model so that composed lines make each move (a repeated note, each
interval up or down to four semitones, a leap either way) as often as the training tunes do, and
sound each degree of a major key as often (models/calibration.tsv). The multipliers are the
major tunes': a dance tune whose key is drawn (models/keys.tsv) and comes out minor or modal is
left out, and minor fiddle tunes use no move multipliers (their own moves repeat the tonic
more).

The learned moves (models/melody.tsv) say how real melodies move from note to note, but tunec
multiplies them by further factors — where notes sit on their chords, the off-chord rule, the
range — and those tilt the composed lines towards steps and repeated notes. This script finds a
multiplier per move (eleven: a leap down of five semitones or more, each interval from four down
to four up, a leap up; by direction, since the chord tones pull whole steps up and half steps
down differently) for each pitch family, by iterative scaling: compose the default `reel`, `jig`
and `hornpipe` (fiddle) and `folk`, `waltz` and `lullaby` (song), 40 seeds each, compare their
shares (`--emit text`) with the shares in the training tunes' move counts, scale each multiplier
by (training / composed)^0.6, rebuild, and repeat. Degrees likewise: their shares of the
composed melodies' notes (`--emit text`) against the training major tunes' notes. And the turns:
after each memory state (the class of the last move, src/models/melody.rs), how often each class
of move follows in the composed melodies against the training tunes' `turn` counts.

TRAINING ONLY (DESIGN.md §6): the targets are the move counts tools/learn_styles.py wrote from
the training collections; nothing held out is read.

Usage:  python3 tools/calibrate.py [--rounds 3] [--only degrees]   (rebuilds tunec each round)
"""
import argparse
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(ROOT, 'models', 'calibration.tsv')
STYLES = {'fiddle': ('reel', 'jig', 'hornpipe'), 'song': ('folk', 'waltz', 'lullaby')}
# The rhythm families that turn as their own tunes do (OWN_TURNS in src/models/melody.rs):
# their turns are calibrated on their style alone, against their own tunes' `turn-in` counts.
OWN_TURNS = ('jig', 'reel', 'hornpipe')
FAR = 13  # models/melody.tsv counts intervals -13 .. 13


# The moves calibrated one by one: a leap down (five semitones or more), each interval from
# four semitones down to four up, a leap up.
NEAR = 4
MOVES = 2 * NEAR + 3


def move_index(interval):
    return max(-NEAR - 1, min(NEAR + 1, interval)) + NEAR + 1


# The least share of notes a degree outside the scale needs, on both sides, to be calibrated:
# the colours of src/models/melody.rs (COLOUR_SHARE) sound about this often.
COLOUR_FLOOR = 0.002


# A move's class and the memory state after it, as src/models/melody.rs has them.
STATES = 7


def move_class(interval):
    if interval == 0:
        return 2
    if -2 <= interval <= -1:
        return 1
    if 1 <= interval <= 2:
        return 3
    return 0 if interval < 0 else 4


def move_state(state, klass):
    if klass == 2 and state in (5, 6):
        return 6
    return 5 if state == 2 and klass == 2 else klass


def training_shares():
    """Per family, the shares of each move (`move_index`) in the training major tunes' move
    counts, of each degree among their notes, and of each class of move after each memory
    state (their `turn` counts)."""
    moves = {family: [0.0] * MOVES for family in STYLES}
    degrees = {family: [0.0] * 12 for family in STYLES}
    turns = {group: [[0.0] * 5 for _ in range(STATES)] for group in ('song',) + OWN_TURNS}
    with open(os.path.join(ROOT, 'models', 'melody.tsv'), encoding='utf-8') as fh:
        for line in fh:
            fields = line.rstrip('\n').split('\t')
            if len(fields) < 3 or fields[2] != 'major':
                continue  # the multipliers are the major tunes' (composed_shares)
            if fields[0] == 'move' and fields[1] in moves:
                for k, n in enumerate(fields[4].split()):
                    moves[fields[1]][move_index(k - FAR)] += float(n)
                    degrees[fields[1]][int(fields[3])] += float(n)
            if fields[0] == 'turn' and fields[1] == 'song':
                row = turns['song'][int(fields[3])]
            elif fields[0] == 'turn-in' and fields[1] == 'fiddle' and fields[3] in OWN_TURNS:
                row = turns[fields[3]][int(fields[4])]
            else:
                continue
            for k, n in enumerate(fields[-1].split()):
                row[k] += float(n)
    shares = lambda counts: {f: [n / sum(c) for n in c] for f, c in counts.items()}
    return shares(moves), shares(degrees), {f: [[n / sum(r) for n in r] for r in rows]
                                             for f, rows in turns.items()}


def read_table():
    """{(kind, family): multipliers} of models/calibration.tsv."""
    table = {}
    with open(TABLE, encoding='utf-8') as fh:
        for line in fh:
            fields = line.rstrip('\n').split('\t')
            if fields[0] in ('moves', 'degrees', 'turns'):
                table[tuple(fields[:-1])] = [int(n) / 1000 for n in fields[-1].split()]
    return table


def write_table(table):
    lines = ['# tunec style model v3: calibration',
             '# written by tools/calibrate.py: the composed lines\' moves'
             ' and their degrees in major keys, brought to the training tunes\''
             ' shares (DESIGN §6); do not edit by hand',
             '# moves  family  a leap down (5 semitones or more), -4 .. 4 semitones, a leap up'
             ' (thousandths)',
             '# degrees  family  12 multipliers, tonic first (thousandths)',
             '# turns  family  state  5 multipliers of the turn lifts, by class (thousandths)']
    for key in sorted(table):
        lines.append('\t'.join(key) + '\t' + ' '.join(
            '%d' % round(1000 * m) for m in table[key]))
    with open(TABLE, 'w', encoding='utf-8', newline='\n') as fh:
        fh.write('\n'.join(lines) + '\n')


NOTE = re.compile(r'^([A-G])([#b]?)-?\d+$')
LETTERS = {'C': 0, 'D': 2, 'E': 4, 'F': 5, 'G': 7, 'A': 9, 'B': 11}


def pitch_class(name):
    m = NOTE.match(name)
    return (LETTERS[m.group(1)] + {'#': 1, 'b': -1, '': 0}[m.group(2)]) % 12


def midi(name):
    """The MIDI number of a note name such as C#5."""
    octave = int(re.search(r'-?\d+$', name).group(0))
    m = NOTE.match(name)
    return 12 * (octave + 1) + LETTERS[m.group(1)] + {'#': 1, 'b': -1, '': 0}[m.group(2)]


# A memory state whose moves the composed lines make fewer times than this keeps its multipliers:
# a run's fourth note is rare, and 40 seeds' share of what follows it is noise.
MIN_SEEN = 300


def composed_shares(binary, styles, workdir):
    """The default `styles`' shares of each move (`move_index`), of each degree among their
    melodies' notes and of each class of move after each memory state (from --emit text),
    over 40 seeds."""
    moves, degrees = [0.0] * MOVES, [0.0] * 12
    turns = [[0.0] * 5 for _ in range(STATES)]
    for style in styles:
        path = os.path.join(workdir, style + '.tune')
        with open(path, 'w', encoding='utf-8') as fh:
            fh.write(style + '\n')
        for seed in range(40):
            text = subprocess.run([binary, path, '--seed', str(seed), '--emit', 'text'],
                                  capture_output=True, text=True, check=True).stdout
            key = re.search(r'key: (\S+) (\S+)', text)
            if key.group(2) != 'major':
                continue  # the multipliers are the major tunes' (a dance tune's key is drawn)
            tonic = pitch_class(key.group(1) + '4')
            line_notes = [name for line in text.splitlines() if line.startswith('  melody ')
                          for name in line.split()[1:] if NOTE.match(name)]
            state = None
            for name, after in zip(line_notes, line_notes[1:] + [None]):
                degrees[(pitch_class(name) - tonic) % 12] += 1
                if after is None:
                    break
                moves[move_index(midi(after) - midi(name))] += 1
                klass = move_class(midi(after) - midi(name))
                if state is not None:
                    turns[state][klass] += 1
                state = klass if state is None else move_state(state, klass)
    return ([n / sum(moves) for n in moves], [n / sum(degrees) for n in degrees],
            [[n / sum(r) for n in r] if sum(r) >= MIN_SEEN else None for r in turns])


def calibrate_turns(table, group, got, target, round_):
    """Scales the turn multipliers of each memory state so that the composed lines' next move
    follows it as often as in the training tunes; a state's multipliers average 1 over the
    training tunes' moves after it, so a state as a whole weighs as before."""
    for state in range(STATES):
        key = ('turns', group, str(state))
        old = table.get(key, [1.0] * 5)
        if got[state] is None:
            print('round %d %s turns after %d: too few moves, kept' % (round_, group, state))
            continue
        scaled = [m * (t / g) ** 0.6 if min(t, g) >= 0.01 else m
                  for m, t, g in zip(old, target[state], got[state])]
        mean = sum(m * t for m, t in zip(scaled, target[state]))
        table[key] = [m / mean for m in scaled]
        print('round %d %s turns after %d: composed %s, training %s' % (
            round_, group, state, ' '.join('%.3f' % g for g in got[state]),
            ' '.join('%.3f' % t for t in target[state])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--only', choices=('degrees',),
                    help='calibrate the degrees alone, keeping the moves and turns (new notes '
                         'in the scale, such as the chromatic colours, move nothing else)')
    args = ap.parse_args()
    kinds = ('degrees',) if args.only else ('moves', 'degrees')
    target_moves, target_degrees, target_turns = training_shares()
    binary = os.path.join(ROOT, 'target', 'release', 'tunec')
    with tempfile.TemporaryDirectory() as workdir:
        for round_ in range(args.rounds):
            subprocess.run(['cargo', 'build', '--release', '--locked', '--quiet'], cwd=ROOT,
                           check=True)
            table = read_table()
            for group in OWN_TURNS * (not args.only):
                _, _, turns = composed_shares(binary, (group,), workdir)
                calibrate_turns(table, group, turns, target_turns[group], round_)
            table = {k: v for k, v in table.items() if k[:2] != ('turns', 'fiddle')}
            for family in sorted(STYLES):
                moves, degrees, turns = composed_shares(binary, STYLES[family], workdir)
                if family == 'song' and not args.only:
                    calibrate_turns(table, family, turns, target_turns[family], round_)
                for kind, got, target in (('moves', moves, target_moves[family]),
                                          ('degrees', degrees, target_degrees[family])):
                    if kind not in kinds:
                        continue
                    old = table.get((kind, family), [1.0] * len(got))
                    # Degrees neither side sounds (outside the scale) keep their weight; a
                    # dance tune's chromatic notes (its key's colour) are calibrated too.
                    floor = 0.01 if kind == 'moves' else COLOUR_FLOOR
                    scaled = [m * (t / g) ** 0.6 if min(t, g) >= floor else m
                              for m, t, g in zip(old, target, got)]
                    # A step up, and the tonic, weigh 1.
                    one = move_index(1) if kind == 'moves' else 0
                    table[kind, family] = [m / scaled[one] for m in scaled]
                    print('round %d %s %s: composed %s, training %s' % (
                        round_, family, kind, ' '.join('%.3f' % g for g in got),
                        ' '.join('%.3f' % t for t in target)))
            write_table(table)


if __name__ == '__main__':
    main()
