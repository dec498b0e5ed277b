#!/usr/bin/env python3
"""
Learn tunec's style models from the training collections (DESIGN §6).

What it writes (committed; embedded in the binary with include_str!, see models/README.md):

* models/rhythm.tsv — bar rhythms: for each rhythm family and meter, how often each bar
  pattern occurs at each place in a strain (body, half = the end of an inner four-bar phrase,
  end = a strain's last bar), how often a bar repeats the rhythm of an earlier bar of the
  same place, how often a tune starts with a pickup and which pickups it uses.
* models/melody.tsv — the melody's pitch habits per pitch family and mode class: the next
  note given the current one (scale degree above the tonic, in semitones, and the interval to
  the next note), the degrees of downbeat notes, the degrees strains end on and the degrees
  tunes begin on.

Training collections only: O'Neill's 1850, Aird's Airs, miscFolk and the Essen collections
altdeu, ballad, boehme, dva, kinder, lot, irl, folkHaydn, han. Ryan's Mammoth and Essen erk,
fink, lux and zuccal are held out for measuring and are never read here (asserted below).

Usage:  python3 tools/learn_styles.py [--max N] [--workers K]
    --max N   at most N tunes per file (for quick trials; the committed tables use all).
The tunes read are cached in /tmp/tunec-learn-styles-N.pickle; delete it after changing how
tunes are read.
Runs in 7–11 minutes on two cores; the same music21 version gives the same bytes.

Reading rules (the tables' README repeats them):
* A tune is the text from one X: line to the next, with the file's header and '%abc-2.1'
  (so accidentals carry through the bar as ABC 2.1 says).
* The melody is the first part; grace notes and chord symbols are ignored; a chord gives its
  top note; a note tied to the note before it in the same bar lengthens that note.
* Durations are counted in 24ths of a quarter note; a bar with any other length is skipped.
* A first measure shorter than the bar is the pickup. A later short measure that ends a
  strain (a repeat or a double bar line splits the bar) has its last note held to the bar's
  end; one that follows such a split is the next strain's pickup and is left out.
* Strains end at repeat signs, double and final bar lines and the tune's end.
"""
import argparse
import collections
import os
import pickle
import re
import sys
import warnings
from multiprocessing import Pool

warnings.filterwarnings('ignore')

from music21 import bar, chord, converter, harmony, key, meter  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# The collections and their loading are the measuring tools' (one list of what is held out).
from corpus import ESSEN_TRAINING, HELD_OUT, collection_items  # noqa: E402
MODELS = os.path.join(HERE, '..', 'models')
VERSION = 1
UNIT = 24  # ticks of a quarter note in the tables
MIN_TUNES = 30  # a (family, meter) table needs at least this many tunes
MINOR_MODES = {'minor', 'aeolian', 'dorian', 'phrygian', 'locrian'}
FAR = 13  # intervals beyond an octave are counted together
SMOOTHING = 20.0  # pseudo-counts pulling each degree's intervals to all degrees' intervals


def training_items(most):
    """(collection, ABC text) of every training tune, at most `most` per file (0: all), loaded as
    the measuring tools load them (tools/corpus.py). Collections: 'essen', 'oneills1850',
    'airdsAirs', and miscFolk's two files as 'fife' and 'minstrelsy'."""
    names = ('oneills1850', 'airdsAirs', 'miscFolk') + tuple('essen:' + e for e in ESSEN_TRAINING)
    assert not set(names) & set(HELD_OUT), 'a held-out collection among the training ones'
    items = []
    for name in names:
        for _, source, text in collection_items(name):
            if most and int(source.rsplit('#', 1)[1]) >= most:
                continue
            if name == 'miscFolk':
                name_of_file = 'fife' if 'fife' in source else 'minstrelsy'
            else:
                name_of_file = 'essen' if name.startswith('essen:') else name
            items.append((name_of_file, text))
    return items


def field(text, name):
    m = re.search(r'(?m)^%s:\s*(.*)$' % name, text)
    return m.group(1).strip() if m else ''


def rhythm_family(collection, text):
    """Which rhythm table a tune teaches, or None."""
    kind = field(text, 'R').lower().replace(' ', '')
    if collection == 'oneills1850':
        if kind in ('jig', 'doublejig'):
            return 'jig'
        if kind in ('reel', 'hornpipe'):
            return kind
        if kind == 'air':
            return 'song'
        return None
    if collection == 'fife':
        return 'march'
    if collection in ('essen', 'minstrelsy'):
        return 'song'
    return None


def pitch_family(collection, text):
    kind = field(text, 'R').lower().replace(' ', '')
    if collection in ('essen', 'minstrelsy') or (collection == 'oneills1850' and kind == 'air'):
        return 'song'
    if collection == 'airdsAirs' or (collection == 'oneills1850' and kind in (
            'jig', 'doublejig', 'reel', 'hornpipe', 'slipjig')):
        return 'fiddle'
    return None


def meter_name(ts):
    """2/2 and cut time are written as 4/4: the same bar, counted in quarters."""
    name = ts.ratioString
    return '4/4' if name == '2/2' else name


def events(measure):
    """[(quarter length in UNITs, midi or None for a rest)] of one measure, or None when a
    duration is not a whole number of UNITs."""
    out = []
    for n in measure.flatten().notesAndRests:
        if isinstance(n, harmony.Harmony):
            continue
        ql = float(n.quarterLength)
        if ql <= 0:
            continue
        units = ql * UNIT
        if abs(units - round(units)) > 1e-6:
            return None
        units = int(round(units))
        if n.isRest:
            midi = None
        elif isinstance(n, chord.Chord):
            midi = int(round(max(p.ps for p in n.pitches)))
        else:
            midi = int(round(n.pitch.ps))
        tied_on = n.tie is not None and n.tie.type in ('stop', 'continue')
        if tied_on and out and out[-1][1] == midi and midi is not None:
            out[-1] = (out[-1][0] + units, midi)
        else:
            out.append((units, midi))
    return out


def ends_strain(measure):
    right = measure.rightBarline
    if isinstance(right, bar.Repeat):
        return True
    return right is not None and right.type in ('final', 'double', 'light-light',
                                                'light-heavy', 'heavy-heavy')


def starts_strain(measure):
    return isinstance(measure.leftBarline, bar.Repeat)


def read_tune(item):
    """The bars, pickup and key of one tune, or None."""
    collection, text = item
    try:
        score = converter.parse(text, format='abc')
        part = score.parts[0] if hasattr(score, 'parts') and len(score.parts) else score
        measures = list(part.getElementsByClass('Measure'))
        signatures = list(part.recurse().getElementsByClass(meter.TimeSignature))
        keys = list(part.recurse().getElementsByClass(key.KeySignature))
    except Exception:  # noqa: BLE001 — music21 cannot read every tune; such tunes are skipped
        return None
    if not measures or len(signatures) != 1 or not keys:
        return None
    ts = signatures[0]
    k = keys[0] if isinstance(keys[0], key.Key) else keys[0].asKey()
    bar_units = int(round(float(ts.barDuration.quarterLength) * UNIT))
    bars, pickup = [], None
    for i, m in enumerate(measures):
        ev = events(m)
        if ev is None:
            return None
        length = sum(u for u, _ in ev)
        if length > bar_units:
            return None
        if starts_strain(m) and bars:
            bars[-1]['end'] = True
        last = i + 1 == len(measures)
        closes = ends_strain(m) or last or starts_strain(measures[i + 1])
        if length == bar_units:
            bars.append(dict(events=ev, end=ends_strain(m)))
        elif i == 0:
            pickup = ev
        elif closes and ev and ev[-1][1] is not None:
            # The bar a strain's end splits: its last note is held to the bar's end.
            held = ev[:-1] + [(ev[-1][0] + bar_units - length, ev[-1][1])]
            bars.append(dict(events=held, end=True))
        # Any other short measure is the pickup into the next strain: not a bar.
    if len(bars) < 4:
        return None
    bars[-1]['end'] = True
    mode = 'minor' if k.mode in MINOR_MODES else 'major'
    return dict(collection=collection, rhythm=rhythm_family(collection, text),
                pitch=pitch_family(collection, text), meter=meter_name(ts),
                beat_units=int(round(float(ts.beatDuration.quarterLength) * UNIT)),
                bar_units=bar_units, tonic=k.tonic.pitchClass, mode=mode,
                bars=bars, pickup=pickup)


def places(bars):
    """Each bar's place in its strain: 'end', 'half' (an inner four-bar phrase's end) or
    'body'."""
    out, in_strain = [], 0
    for b in bars:
        in_strain += 1
        if b['end']:
            out.append('end')
            in_strain = 0
        else:
            out.append('half' if in_strain % 4 == 0 else 'body')
    return out


def pattern(ev):
    return ' '.join(('%d' % u) if m is not None else 'r%d' % u for u, m in ev)


def learn_rhythm(tunes):
    counts = collections.defaultdict(collections.Counter)
    repeats = collections.defaultdict(lambda: [0, 0])
    pickups = collections.defaultdict(collections.Counter)
    tunes_of = collections.Counter()
    for t in tunes:
        if t['rhythm'] is None:
            continue
        table = (t['rhythm'], t['meter'])
        tunes_of[table] += 1
        pickups[table][pattern(t['pickup']) if t['pickup'] else '-'] += 1
        seen = collections.defaultdict(set)
        for b, place in zip(t['bars'], places(t['bars'])):
            p = pattern(b['events'])
            counts[table + (place,)][p] += 1
            if seen[place]:
                repeats[table + (place,)][0] += p in seen[place]
                repeats[table + (place,)][1] += 1
            seen[place].add(p)
    lines = []
    for table in sorted(tunes_of):
        denominator = int(table[1].split('/')[1])
        common = [[p for p, n in counts[table + (place,)].items() if n >= 2]
                  for place in ('body', 'half', 'end')]
        # tunec writes meters over 2, 4, 8 or 16, and needs bars for every place.
        if tunes_of[table] < MIN_TUNES or denominator not in (2, 4, 8, 16) or not all(common):
            continue
        family, metre = table
        lines.append('tunes\t%s\t%s\t%d' % (family, metre, tunes_of[table]))
        for pat, n in sorted(pickups[table].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append('pickup\t%s\t%s\t%d\t%s' % (family, metre, n, pat))
        for place in ('body', 'half', 'end'):
            same, of = repeats[table + (place,)]
            lines.append('repeats\t%s\t%s\t%s\t%d\t%d' % (family, metre, place, same, of))
            for pat, n in sorted(counts[table + (place,)].items(),
                                 key=lambda kv: (-kv[1], kv[0])):
                if n >= 2:  # a rhythm heard once is one tune's, not the style's
                    lines.append('bar\t%s\t%s\t%s\t%d\t%s' % (family, metre, place, n, pat))
    return lines


def learn_melody(tunes):
    moves = collections.defaultdict(collections.Counter)
    downbeats = collections.defaultdict(collections.Counter)
    finals = collections.defaultdict(collections.Counter)
    firsts = collections.defaultdict(collections.Counter)
    for t in tunes:
        if t['pitch'] is None:
            continue
        table = (t['pitch'], t['mode'])
        notes = [midi for _, midi in t['pickup'] or [] if midi is not None]
        for b, place in zip(t['bars'], places(t['bars'])):
            at = 0
            for units, midi in b['events']:
                if midi is not None:
                    notes.append(midi)
                    if at == 0:
                        downbeats[table][(midi - t['tonic']) % 12] += 1
                at += units
            if place == 'end' and notes:
                finals[table][(notes[-1] - t['tonic']) % 12] += 1
        if notes:
            firsts[table][(notes[0] - t['tonic']) % 12] += 1
        for x, y in zip(notes, notes[1:]):
            moves[table][((x - t['tonic']) % 12, max(-FAR, min(FAR, y - x)))] += 1
    lines = []
    for table in sorted(moves):
        family, mode = table
        lines.append('notes\t%s\t%s\t%d' % (family, mode, sum(moves[table].values())))
        for degree in range(12):
            row = [moves[table][(degree, iv)] for iv in range(-FAR, FAR + 1)]
            lines.append('move\t%s\t%s\t%d\t%s' % (family, mode, degree,
                                                   ' '.join(map(str, row))))
        lines.append('downbeat\t%s\t%s\t%s' % (
            family, mode, ' '.join(str(downbeats[table][d]) for d in range(12))))
        lines.append('final\t%s\t%s\t%s' % (
            family, mode, ' '.join(str(finals[table][d]) for d in range(12))))
        lines.append('first\t%s\t%s\t%s' % (
            family, mode, ' '.join(str(firsts[table][d]) for d in range(12))))
    return lines


def header(what, columns):
    return ['# tunec style model v%d: %s' % (VERSION, what),
            '# written by tools/learn_styles.py from the training collections (DESIGN §6);'
            ' do not edit by hand',
            '# durations in 24ths of a quarter note; r marks a rest' if 'rhythm' in what
            else '# degrees in semitones above the tonic; intervals -13 (or lower) .. 13',
            '# ' + columns]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--max', type=int, default=0)
    ap.add_argument('--workers', type=int, default=2)
    args = ap.parse_args()
    items = training_items(args.max)
    cache = '/tmp/tunec-learn-styles-%d.pickle' % args.max
    if os.path.exists(cache):
        with open(cache, 'rb') as fh:
            tunes = pickle.load(fh)
    else:
        with Pool(args.workers) as pool:
            tunes = [t for t in pool.map(read_tune, items, chunksize=16) if t is not None]
        with open(cache, 'wb') as fh:
            pickle.dump(tunes, fh)
    print('read %d of %d training tunes' % (len(tunes), len(items)), file=sys.stderr)
    os.makedirs(MODELS, exist_ok=True)
    rhythm = header('rhythm', 'tunes|pickup|repeats|bar  family  meter  ...') + learn_rhythm(tunes)
    melody = header('melody', 'notes|move|downbeat|final|first  family  mode  ...') + learn_melody(tunes)
    for name, lines in (('rhythm.tsv', rhythm), ('melody.tsv', melody)):
        with open(os.path.join(MODELS, name), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
