#!/usr/bin/env python3
"""
Learn how Bach's chorales voice and lead their chords: models/chorale.tsv (DESIGN §6).

Bach's chorales are a training collection (tools/corpus.py 'bach-chorales'); nothing held
out is read here (asserted below). What it counts, on every beat where all four voices sound
(soprano, alto, tenor, bass: the chorales of exactly four parts):

* the chord: the scale degree whose triad (or seventh chord) holds every sounding pitch class,
  its root and third sounding; beats with no such chord are left out;
* progressions: the chord on one beat after the chord on the beat before, by the metric
  strength of the second beat (3 downbeat, 2 the middle of a bar of an even number of beats,
  1 another beat) or `cadence` where the soprano holds a fermata;
* which chord tone the bass takes (root, third, fifth, seventh) and which tone a triad in four
  voices doubles;
* the spacing between neighbouring voices and how far the alto, the tenor and the bass move
  from beat to beat;
* parallel fifths and octaves between soprano and bass (consecutive onsets of either, both
  moving the same way from a perfect fifth or octave to the same), per chorale: the reference
  figure of issue "Music a player would take for real".

Usage:  python3 tools/learn_chorales.py [--workers K]
Runs in a few minutes on two cores; the same music21 version gives the same bytes.
"""
import argparse
import collections
import os
import sys
import warnings
from multiprocessing import Pool

warnings.filterwarnings('ignore')

from music21 import corpus as m21corpus, expressions  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from corpus import HELD_OUT, collection_items  # noqa: E402
MODELS = os.path.join(HERE, '..', 'models')
VERSION = 3
COLLECTION = 'bach-chorales'
assert COLLECTION not in HELD_OUT, 'Bach chorales are a training collection'

MAJOR = [0, 2, 4, 5, 7, 9, 11]
MINOR = [0, 2, 3, 5, 7, 8, 10]
MEMBERS = ('root', 'third', 'fifth', 'seventh')


def lines_of(score):
    """Each part as (start, end, midi, fermata) notes in quarters, rests left out."""
    out = []
    for part in score.parts:
        notes = []
        for n in part.flatten().notes:
            if n.isChord:
                continue
            fermata = any(isinstance(e, expressions.Fermata) for e in n.expressions)
            start = float(n.getOffsetInHierarchy(score))
            notes.append((start, start + float(n.quarterLength), n.pitch.midi, fermata))
        out.append(sorted(notes))
    return out


def sounding(notes, t):
    for n in notes:
        if n[0] <= t < n[1]:
            return n
    return None


def beats_of(score):
    """(offset, strength) of every beat, from the soprano's measures."""
    out = []
    for m in score.parts[0].getElementsByClass('Measure'):
        length = m.barDuration.quarterLength
        pad = m.paddingLeft
        beats = int(round(length))
        for b in range(beats):
            if b < pad:
                continue
            strength = 3 if b == 0 else (2 if beats % 2 == 0 and 2 * b == beats else 1)
            out.append((float(m.getOffsetInHierarchy(score)) + b - pad, strength))
    return out


def chord_of(pcs, scale):
    """(degree 1..7, {pc: member}) of the chord whose tones hold every pitch class in `pcs`
    (relative to the tonic), or None."""
    for d in range(7):
        root = scale[d]
        rel = {(pc - root) % 12 for pc in pcs}
        if 0 not in rel or not rel & {3, 4}:
            continue
        if rel <= {0, 3, 4, 6, 7, 10, 11} and len(rel & {3, 4}) == 1 and len(rel & {6, 7}) <= 1 \
                and len(rel & {10, 11}) <= 1:
            member = {0: 'root', 3: 'third', 4: 'third', 6: 'fifth', 7: 'fifth',
                      10: 'seventh', 11: 'seventh'}
            return d + 1, {(root + r) % 12: member[r] for r in rel}
    return None


def parallels(upper, lower):
    onsets = sorted({n[0] for n in upper} | {n[0] for n in lower})
    pairs = []
    for t in onsets:
        u, lo = sounding(upper, t), sounding(lower, t)
        if u and lo:
            pairs.append((u[2], lo[2]))
    count = 0
    for (u1, l1), (u2, l2) in zip(pairs, pairs[1:]):
        p1, p2 = abs(u1 - l1) % 12, abs(u2 - l2) % 12
        same_way = (u2 > u1) == (l2 > l1)
        if u1 != u2 and l1 != l2 and same_way and p1 in (0, 7) and p1 == p2:
            count += 1
    return count


def read_chorale(item):
    """The beats of one four-part chorale: (mode, [(strength or 'cadence', pitches S A T B,
    chord or None)], parallels), or None."""
    _, _, name = item
    score = m21corpus.parse(name)
    if len(score.parts) != 4:
        return None
    k = score.analyze('key')
    mode = 'minor' if k.mode == 'minor' else 'major'
    tonic = k.tonic.pitchClass
    scale = MINOR if mode == 'minor' else MAJOR
    lines = lines_of(score)
    beats = []
    for t, strength in beats_of(score):
        notes = [sounding(line, t) for line in lines]
        if any(n is None for n in notes):
            beats.append(None)
            continue
        pitches = [n[2] for n in notes]
        if notes[0][3]:
            strength = 'cadence'
        chord = chord_of({(p - tonic) % 12 for p in pitches}, scale)
        rel = [(p - tonic) % 12 for p in pitches]
        beats.append((strength, pitches, rel, chord))
    return mode, beats, parallels(lines[0], lines[3])


def count(chorales):
    c = collections.defaultdict(collections.Counter)
    for mode, beats, par in chorales:
        c['chorales'][mode] += 1
        c['parallels'][mode] += par
        for before, beat in zip([None] + beats, beats):
            if beat is None:
                continue
            strength, pitches, rel, chord = beat
            for pair, (hi, lo) in (('sa', (0, 1)), ('at', (1, 2)), ('tb', (2, 3))):
                c['spacing'][(pair, min(max(pitches[hi] - pitches[lo], -1), 25))] += 1
            if before is not None:
                for voice, v in (('alto', 1), ('tenor', 2), ('bass', 3)):
                    c['inner'][(voice, min(abs(pitches[v] - before[1][v]), 12))] += 1
            if chord is None:
                continue
            degree, members = chord
            c['bass'][(mode, members[rel[3]])] += 1
            doubled = collections.Counter(members[r] for r in rel)
            if len(doubled) == 3 and 'seventh' not in doubled:
                c['doubling'][(mode, doubled.most_common(1)[0][0])] += 1
            elif len(doubled) == 2 and 'fifth' not in doubled and 'seventh' not in doubled:
                c['doubling'][(mode, 'nofifth')] += 1
            if before is not None and before[3] is not None:
                c['progression'][(mode, strength, before[3][0], degree)] += 1
    return c


def table(c):
    lines = []
    for mode in ('major', 'minor'):
        lines.append('chorales\t%s\t%d\t%d' % (mode, c['chorales'][mode], c['parallels'][mode]))
    for mode in ('major', 'minor'):
        for strength in (3, 2, 1, 'cadence'):
            for d in range(1, 8):
                row = [c['progression'][(mode, strength, d, e)] for e in range(1, 8)]
                lines.append('progression\t%s\t%s\t%d\t%s' % (
                    mode, strength, d, '\t'.join(map(str, row))))
    for mode in ('major', 'minor'):
        lines.append('bass\t%s\t%s' % (mode, '\t'.join(
            str(c['bass'][(mode, m)]) for m in MEMBERS)))
        lines.append('doubling\t%s\t%s' % (mode, '\t'.join(
            str(c['doubling'][(mode, m)]) for m in ('root', 'third', 'fifth', 'nofifth'))))
    for pair in ('sa', 'at', 'tb'):
        lines.append('spacing\t%s\t%s' % (pair, '\t'.join(
            str(c['spacing'][(pair, s)]) for s in range(-1, 26))))
    for voice in ('alto', 'tenor', 'bass'):
        lines.append('inner\t%s\t%s' % (voice, '\t'.join(
            str(c['inner'][(voice, s)]) for s in range(13))))
    return lines


HEADER = [
    '# tunec style model v%d: chorale' % VERSION,
    '# written by tools/learn_chorales.py from Bach\'s chorales (a training collection,'
    ' DESIGN §6); do not edit by hand',
    '# chorales  mode  count  outer-voice parallel fifths/octaves',
    '# progression  mode  strength(3|2|1|cadence)  from-degree  counts to degree 1..7',
    '# bass  mode  counts root third fifth seventh',
    '# doubling  mode  counts root third fifth doubled, fifth left out',
    '# spacing  sa|at|tb  counts of semitones -1 (crossed) 0 .. 25 (or more)',
    '# inner  alto|tenor|bass  counts of semitones moved from beat to beat 0 .. 12 (or more)',
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--workers', type=int, default=2)
    args = ap.parse_args()
    items = collection_items(COLLECTION)
    assert all(i[0] not in HELD_OUT for i in items)
    with Pool(args.workers) as pool:
        chorales = [c for c in pool.map(read_chorale, items, chunksize=8) if c is not None]
    print('read %d of %d chorales' % (len(chorales), len(items)), file=sys.stderr)
    with open(os.path.join(MODELS, 'chorale.tsv'), 'w', encoding='utf-8', newline='\n') as fh:
        fh.write('\n'.join(HEADER + table(count(chorales))) + '\n')


if __name__ == '__main__':
    main()
