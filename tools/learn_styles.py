#!/usr/bin/env python3
"""
Learn tunec's style models from the training collections (DESIGN §6).

What it writes (committed; embedded in the binary with include_str!, see models/README.md):

* models/rhythm.tsv — bar rhythms: for each rhythm family and meter, how often each bar
  pattern occurs at each place in a strain (body, half = the end of an inner four-bar phrase,
  end = a strain's last bar), how often a bar repeats the rhythm of an earlier bar of the
  same place (by how many bars came before at it), how often a tune starts with a pickup and
  which pickups it uses, and where in the bar a note strikes the note before it again
  (`same-note`).
* models/melody.tsv — the melody's pitch habits per pitch family and mode class: the next
  note given the current one (scale degree above the tonic, in semitones, and the interval to
  the next note), the move after a move (by class; and by rhythm family, and for the fiddle
  kinds by the tune's habit with repeated notes: `habit`), the degrees of downbeat notes, the
  degrees tunes, inner sections and strains end on, the degrees tunes begin on and where in
  their compass; the chord each bar implies, per place and after the bar before, how notes
  sit on those chords by metric strength against chance (by the chord's quality, and by its
  root in the key: `on`), how often notes outside the chord are left by leap, and which way
  the melody moves in each half bar of a four-bar phrase (`contour`).
* models/form.tsv — which bar restates which: for each rhythm family and meter whose tunes
  run in two strains of eight bars (a song's first sixteen bars), every tune's pattern of exact repeats (a bar equal in
  notes and rhythm to an earlier one names the earliest such bar), with how many tunes have it.

Training collections only: O'Neill's 1850, Aird's Airs, miscFolk and the Essen collections
altdeu, ballad, boehme, dva, kinder, lot, irl, folkHaydn (not han: see OTHER_TRADITIONS). Ryan's Mammoth and Essen erk,
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
import statistics
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
from features import kept_after_repeats  # noqa: E402
MODELS = os.path.join(HERE, '..', 'models')
VERSION = 3
UNIT = 24  # ticks of a quarter note in the tables
MIN_TUNES = 30  # a (family, meter) table needs at least this many tunes
# Families whose tunes are written one of two ways, each tune keeping to its way: hornpipes
# run in even eighths or in dotted pairs (of O'Neill's 4/4 hornpipes, 71 have no dotted bar
# and 40 dot four bars in five or more; few lie between). A tune dotting half its bars or more
# teaches the family's `.dotted` table, the others its plain one.
DOTTED_HABIT = ('hornpipe',)
MINOR_MODES = {'minor', 'aeolian', 'dorian', 'phrygian', 'locrian'}
FAR = 13  # intervals beyond an octave are counted together
SMOOTHING = 20.0  # pseudo-counts pulling each degree's intervals to all degrees' intervals
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10)
TRIAD_TONES = {'maj': (0, 4, 7), 'min': (0, 3, 7)}
# A bar's implied chord is the triad whose tones its notes sound longest; ties go to I, then V,
# then IV (a small bonus, a few percent of a bar), then the lower degree.
CHORD_BONUS = {1: 0.06, 5: 0.04, 4: 0.03}
STRONG_WEIGHT = 1.5  # notes on the downbeat or the bar's middle count this much more
# Training collections of another tradition than the European songs and dances the tables
# describe: Essen's Han Chinese songs are pentatonic and end on any of its five notes (with them
# the songs' tables ended a tune on the tonic 46% of the time, where German songs do 80%).
OTHER_TRADITIONS = ('han',)
RHYTHM_PLACES = ('body', 'half', 'end', 'final', 'final-led')
# The tune's last bar, as tunes without a pickup end it (`final`) and as tunes led in by one
# end it, its last note held through the pickup's time (`final-led`): a table needs one.
FINAL_PLACES = ('final', 'final-led')
MOVE_STATES = 7  # the move classes, and a note repeated a second time, or more
HABITS = ('plain', 'runs')  # a tune's way with repeated notes (habit_of)
OWN_TURNS = ('jig', 'reel', 'hornpipe')  # as src/models/melody.rs: turns learned by kind
PHRASE_END_FAMILIES = OWN_TURNS + ('song',)  # the kinds whose inner phrase ends are learned
MIN_HABIT_TUNES = 20  # each habit needs this many tunes of a rhythm family to be learned
STRAIN_BARS = 8  # form.tsv describes tunes of two strains of this many bars
MIN_BLOCK = 4  # a repeated block of this many bars or more is a written-out repeat
# `repeats` rows count bars by how many bars came before at their place, up to this many (the
# last row holds this many or more).
REPEAT_DEPTH = 12
MIN_SAME_NOTES = 50  # an onset in the bar needs this many notes for its `same-note` record
PLACES = 5  # a tune's compass, lowest to highest note, in fifths, for where its first note lies
CONTOUR_PLACES = 8  # half bars of a four-bar phrase, for which way the melody moves there


def training_items(most):
    """(collection, ABC text) of every training tune, at most `most` per file (0: all), loaded as
    the measuring tools load them (tools/corpus.py). Collections: 'essen', 'oneills1850',
    'airdsAirs', and miscFolk's two files as 'fife' and 'minstrelsy'."""
    names = ('oneills1850', 'airdsAirs', 'miscFolk') + tuple(
        'essen:' + e for e in ESSEN_TRAINING if e not in OTHER_TRADITIONS)
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


def tied_in(measure):
    """Whether the measure's first note holds on the last note of the measure before."""
    first = next(iter(measure.flatten().notes), None)
    return first is not None and first.tie is not None and first.tie.type in ('stop', 'continue')


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
            bars.append(dict(events=ev, end=ends_strain(m), tied_in=tied_in(m)))
        elif i == 0:
            pickup = ev
        elif closes and ev and ev[-1][1] is not None:
            # The bar a strain's end splits: its last note is held to the bar's end.
            held = ev[:-1] + [(ev[-1][0] + bar_units - length, ev[-1][1])]
            bars.append(dict(events=held, end=True, tied_in=tied_in(m)))
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


def dots(events):
    """Whether a bar pairs a dotted note with its short partner (3:1)."""
    lengths = [u for u, m in events if m is not None]
    return any(a == 3 * b for a, b in zip(lengths, lengths[1:]))


def rhythm_table(t):
    """The (family, meter) whose rhythm table a tune teaches: a dotted hornpipe its own."""
    family = t['rhythm']
    if family in DOTTED_HABIT and 2 * sum(dots(b['events']) for b in t['bars']) >= len(t['bars']):
        family += '.dotted'
    return (family, t['meter'])


def same_notes(t, table, struck, again):
    """Counts, by onset in the bar, the tune's struck notes and those that strike the note before
    them again (a note tied over a bar line is not struck; a rest does not part two notes)."""
    before = next((m for _, m in reversed(t['pickup'] or []) if m is not None), None)
    for b in t['bars']:
        at = 0
        for i, (units, midi) in enumerate(b['events']):
            if midi is not None and not (i == 0 and b['tied_in']):
                struck[table][at] += 1
                again[table][at] += midi == before
            before = midi if midi is not None else before
            at += units


def learn_rhythm(tunes):
    counts = collections.defaultdict(collections.Counter)
    struck, again = collections.defaultdict(collections.Counter), collections.defaultdict(
        collections.Counter)
    repeats = collections.defaultdict(lambda: [0, 0])  # by (family, meter, place, earlier)
    pickups = collections.defaultdict(collections.Counter)
    tunes_of = collections.Counter()
    for t in tunes:
        if t['rhythm'] is None:
            continue
        table = rhythm_table(t)
        tunes_of[table] += 1
        same_notes(t, table, struck, again)
        pickups[table][pattern(t['pickup']) if t['pickup'] else '-'] += 1
        seen = collections.defaultdict(list)
        # The tune's last bar is also a place of its own: a strain's end may run back into its
        # repeat, the tune's last bar holds its last note. A last bar whose last note is shorter
        # than a beat (or a quarter note, in cut time) runs back to the top for another round:
        # how the tune goes on, not how it ends, so it is not counted as a close.
        last = t['bars'][-1]['events']
        if last[-1][1] is not None and last[-1][0] >= min(t['beat_units'], UNIT):
            counts[table + ('final-led' if t['pickup'] else 'final',)][pattern(last)] += 1
        for b, place in zip(t['bars'], places(t['bars'])):
            p = pattern(b['events'])
            counts[table + (place,)][p] += 1
            if seen[place]:
                # The more bars came before at its place, the likelier a bar repeats one.
                earlier = min(len(seen[place]), REPEAT_DEPTH)
                repeats[table + (place, earlier)][0] += p in seen[place]
                repeats[table + (place, earlier)][1] += 1
            seen[place].append(p)
    lines = []
    for table in sorted(tunes_of):
        denominator = int(table[1].split('/')[1])
        common = {place: [p for p, n in counts[table + (place,)].items() if n >= 2]
                  for place in RHYTHM_PLACES}
        needed = [common[place] for place in RHYTHM_PLACES if place not in FINAL_PLACES]
        needed.append([p for place in FINAL_PLACES for p in common[place]])
        # tunec writes meters over 2, 4, 8 or 16, and needs bars for every place.
        if tunes_of[table] < MIN_TUNES or denominator not in (2, 4, 8, 16) or not all(needed):
            continue
        family, metre = table
        lines.append('tunes\t%s\t%s\t%d' % (family, metre, tunes_of[table]))
        for pat, n in sorted(pickups[table].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append('pickup\t%s\t%s\t%d\t%s' % (family, metre, n, pat))
        for place in RHYTHM_PLACES:
            for earlier in range(1, REPEAT_DEPTH + 1):
                same, of = repeats[table + (place, earlier)]
                if of:
                    lines.append('repeats\t%s\t%s\t%s\t%d\t%d\t%d' % (
                        family, metre, place, earlier, same, of))
            for pat, n in sorted(counts[table + (place,)].items(),
                                 key=lambda kv: (-kv[1], kv[0])):
                if n >= 2:  # a rhythm heard once is one tune's, not the style's
                    lines.append('bar\t%s\t%s\t%s\t%d\t%s' % (family, metre, place, n, pat))
        for at in sorted(struck[table]):
            if struck[table][at] >= MIN_SAME_NOTES:
                lines.append('same-note\t%s\t%s\t%d\t%d\t%d' % (
                    family, metre, at, struck[table][at], again[table][at]))
    return lines



def triads(mode):
    """(degree 1-7, root in semitones above the tonic, 'maj' | 'min') of the mode's major and
    minor triads; a minor key also has the major V of its raised seventh."""
    scale = MAJOR_SCALE if mode == 'major' else MINOR_SCALE
    out = []
    for d in range(7):
        root, third, fifth = scale[d], scale[(d + 2) % 7], scale[(d + 4) % 7]
        shape = ((third - root) % 12, (fifth - root) % 12)
        quality = {(4, 7): 'maj', (3, 7): 'min'}.get(shape)
        if quality:
            out.append((d + 1, root, quality))
    if mode == 'minor':
        out.append((5, 7, 'maj'))
    return out


def strength(at, t):
    """tunec's metric strength (src/theory/meter.rs): 3 downbeat, 2 the middle of a bar of an
    even number of beats, 1 another beat, 0 between beats."""
    beat, bar_units = t['beat_units'], t['bar_units']
    if at == 0:
        return 3
    if at % beat:
        return 0
    beats = bar_units // beat
    return 2 if beats % 2 == 0 and at == beat * beats // 2 else 1


def bar_notes(b, t):
    """(midi, strength) of a bar's notes."""
    out, at = [], 0
    for units, midi in b['events']:
        if midi is not None:
            out.append((midi, strength(at, t)))
        at += units
    return out


def phrase_note(b, t):
    """The note an inner phrase ends on in its last bar: the last one sounding at or before the
    bar's last strong beat (its middle in a bar of an even number of beats, else its downbeat),
    as tools/features.py reads phrase ends; None for a bar of rests there."""
    beats = t['bar_units'] // t['beat_units']
    last_strong = t['beat_units'] * beats // 2 if beats % 2 == 0 else 0
    at, note = 0, None
    for units, midi in b['events']:
        if at > last_strong:
            break
        note = midi if midi is not None else note
        at += units
    return note


def new_notes(b, t):
    """`bar_notes` without a first note tied over from the bar before: the same note held."""
    notes = bar_notes(b, t)
    held = b['tied_in'] and b['events'] and b['events'][0][1] is not None
    return notes[1:] if held else notes


def implied_chord(b, t, candidates):
    """The triad a bar's notes imply, or None for a bar of rests."""
    score = collections.Counter()
    at = 0
    for units, midi in b['events']:
        if midi is not None:
            degree = (midi - t['tonic']) % 12
            weight = units * (STRONG_WEIGHT if strength(at, t) >= 2 else 1.0)
            for c in candidates:
                if (degree - c[1]) % 12 in TRIAD_TONES[c[2]]:
                    score[c] += weight
        at += units
    if not score:
        return None
    return max(candidates, key=lambda c: (score[c] + CHORD_BONUS.get(c[0], 0) * t['bar_units'],
                                          -candidates.index(c)))


def move_class(interval):
    """0 a leap down, 1 a step down, 2 a repeated note, 3 a step up, 4 a leap up (a step is at
    most two semitones)."""
    if interval == 0:
        return 2
    step = abs(interval) <= 2
    return (1 if step else 0) if interval < 0 else (3 if step else 4)


def move_state(state, cls):
    """What the melody remembers after a move of class `cls` from `state` (None before any
    move): the class, except that a repeated note after a repeated note is state 5, and after
    two or more, state 6 (src/models/melody.rs `move_state`)."""
    if cls == 2 and state in (5, 6):
        return 6
    return 5 if cls == 2 and state == 2 else cls


def closes(bars):
    """Indices of the bars that close an inner section: strain ends and every eighth bar, the
    tune's last bar left out."""
    ends = {i for i, place in enumerate(places(bars)) if place == 'end'}
    ends |= set(range(7, len(bars), 8))
    return sorted(ends - {len(bars) - 1})


def learn_harmony(t, table, counts):
    """Counts a tune's implied chords, how its notes sit on them, and its leaps."""
    candidates = triads(t['mode'])
    chords = [implied_chord(b, t, candidates) for b in t['bars']]
    for c, place, before in zip(chords, places(t['bars']), [None] + chords):
        if c is not None:
            counts['chord'][table + (place,)][c[0]] += 1
            if before is not None:
                counts['progression'][table + (before[0],)][c[0]] += 1
    sounding = collections.Counter(c for c in chords if c is not None)
    total = sum(sounding.values())
    notes = [(midi, s, c) for b, c in zip(t['bars'], chords) for midi, s in bar_notes(b, t)]
    for midi, s, c in notes:
        if c is None:
            continue
        degree = (midi - t['tonic']) % 12
        counts['tone'][table + (c[2], s)][(degree - c[1]) % 12] += 1
        counts['on'][table + (c[1], c[2], s)][degree] += 1
        # The same note under the tune's chords drawn at random: what chance alone gives.
        for other, n in sounding.items():
            counts['chance'][table + (other[2], s)][(degree - other[1]) % 12] += n / total
    foreign = lambda midi, c: (midi - t['tonic'] - c[1]) % 12 not in TRIAD_TONES[c[2]]
    played = [(midi, s, c) for b, c in zip(t['bars'], chords) for midi, s in new_notes(b, t)]
    for (x, _, cx), (y, _, cy) in zip(played, played[1:]):
        if cx is not None and cy is not None:
            distance = 0 if y == x else 1 if abs(y - x) <= 2 else 2
            counts['leap'][table][3 * (foreign(x, cx) or foreign(y, cy)) + distance] += 1


def learn_strains(t, table, counts):
    """How far a tune's second strain lies above its first (mean pitch, in tenths of a semitone,
    summed as `up` or `down`), for tunes of two strains or more."""
    strains, current = [], []
    for b in t['bars']:
        current += [midi for _, midi in b['events'] if midi is not None]
        if b['end']:
            strains.append(current)
            current = []
    strains = [s for s in strains if len(s) >= 8]
    if len(strains) < 2:
        return
    first, second = strains[0], strains[1]
    shift = 10 * (statistics.fmean(second) - statistics.fmean(first))
    counts[table]['tunes'] += 1
    counts[table]['up' if shift > 0 else 'down'] += abs(shift)


def learn_contour(t, table, counts):
    """Counts the moves down and up into each note of the tune's bars (not its pickup), by the
    half bar of its four-bar phrase the note starts in (phrases counted from each strain's
    start, as `places` counts them); a repeated note or a tied one is no move."""
    before = next((m for _, m in reversed(t['pickup'] or []) if m is not None), None)
    in_strain = 0
    for b in t['bars']:
        at = 0
        for i, (units, midi) in enumerate(b['events']):
            if midi is not None and not (i == 0 and b['tied_in']):
                place = (in_strain % 4) * 2 + (2 * at >= t['bar_units'])
                if before is not None and midi != before:
                    counts[table][(place, midi > before)] += 1
            before = midi if midi is not None else before
            at += units
        in_strain = 0 if b['end'] else in_strain + 1


def learn_melody(tunes):
    moves = collections.defaultdict(collections.Counter)
    degrees = {kind: collections.defaultdict(collections.Counter)
               for kind in ('downbeat', 'final', 'close', 'first')}
    harmony = {kind: collections.defaultdict(collections.Counter)
               for kind in ('chord', 'progression', 'tone', 'chance', 'on', 'leap', 'turn',
                            'start', 'start-led', 'ending', 'strain', 'habit', 'half',
                            'contour')}
    for t in tunes:
        if t['pitch'] is None:
            continue
        table = (t['pitch'], t['mode'])
        of = lambda midi: (midi - t['tonic']) % 12
        notes = [midi for _, midi in t['pickup'] or [] if midi is not None]
        inner = set(closes(t['bars']))
        if t['rhythm'] in PHRASE_END_FAMILIES:
            for b, place in zip(t['bars'], places(t['bars'])):
                note = place == 'half' and phrase_note(b, t)
                if note:
                    harmony['half'][table + (t['rhythm'],)][of(note)] += 1
        for i, b in enumerate(t['bars']):
            notes += [midi for midi, _ in new_notes(b, t)]
            for midi, s in bar_notes(b, t):
                if s == 3:
                    degrees['downbeat'][table][of(midi)] += 1
            if i in inner and notes:
                degrees['close'][table][of(notes[-1])] += 1
        if notes:
            degrees['first'][table][of(notes[0])] += 1
            degrees['final'][table][of(notes[-1])] += 1
            low, high = min(notes), max(notes)
            if high > low:
                place = lambda midi: min(PLACES - 1, PLACES * (midi - low) // (high - low))
                harmony['start'][table][place(notes[0])] += 1
                led = sum(m is not None for _, m in t['pickup'] or [])
                if led and len(notes) > led:
                    harmony['start-led'][table][place(notes[led])] += 1
                harmony['ending'][table][place(notes[-1])] += 1
        learn_strains(t, table, harmony['strain'])
        learn_contour(t, table, harmony['contour'])
        for x, y in zip(notes, notes[1:]):
            moves[table][(of(x), max(-FAR, min(FAR, y - x)))] += 1
        habit = habit_of(notes)
        harmony['habit'][table + (t['rhythm'], habit)]['tunes'] += 1
        state = None
        for interval in (y - x for x, y in zip(notes, notes[1:])):
            if state is not None:
                for key in (table, table + (t['rhythm'],), table + (t['rhythm'], habit)):
                    harmony['turn'][key][(state, move_class(interval))] += 1
            state = move_state(state, move_class(interval))
        learn_harmony(t, table, harmony)
    lines = []
    row = lambda counts, keys: ' '.join('%d' % round(counts[k]) for k in keys)
    for table in sorted(moves):
        family, mode = table
        lines.append('notes\t%s\t%s\t%d' % (family, mode, sum(moves[table].values())))
        for degree in range(12):
            counts = [moves[table][(degree, iv)] for iv in range(-FAR, FAR + 1)]
            lines.append('move\t%s\t%s\t%d\t%s' % (family, mode, degree,
                                                   ' '.join(map(str, counts))))
        for kind in ('downbeat', 'final', 'close', 'first'):
            lines.append('%s\t%s\t%s\t%s' % (kind, family, mode,
                                               row(degrees[kind][table], range(12))))
        for kind in ('start', 'start-led', 'ending'):
            lines.append('%s\t%s\t%s\t%s' % (kind, family, mode,
                                               row(harmony[kind][table], range(PLACES))))
        for place in ('body', 'half', 'end'):
            lines.append('chord\t%s\t%s\t%s\t%s' % (
                family, mode, place, row(harmony['chord'][table + (place,)], range(1, 8))))
        for before in range(1, 8):
            lines.append('progression\t%s\t%s\t%d\t%s' % (
                family, mode, before, row(harmony['progression'][table + (before,)],
                                          range(1, 8))))
        for kind in ('tone', 'chance'):
            for quality in ('maj', 'min'):
                for s in range(4):
                    lines.append('%s\t%s\t%s\t%s\t%d\t%s' % (
                        kind, family, mode, quality, s,
                        row(harmony[kind][table + (quality, s)], range(12))))
        for root, quality in sorted({k[2:4] for k in harmony['on'] if k[:2] == table}):
            for s in range(4):
                lines.append('on\t%s\t%s\t%d\t%s\t%d\t%s' % (
                    family, mode, root, quality, s,
                    row(harmony['on'][table + (root, quality, s)], range(12))))
        for kind in sorted(k[2] for k in harmony['half'] if k[:2] == table):
            lines.append('half\t%s\t%s\t%s\t%s' % (family, mode, kind,
                                                     row(harmony['half'][table + (kind,)], range(12))))
        lines.append('leap\t%s\t%s\t%s' % (family, mode, row(harmony['leap'][table], range(6))))
        lines.append('strain\t%s\t%s\t%s' % (
            family, mode, row(harmony['strain'][table], ('tunes', 'up', 'down'))))
        lines.append('contour\t%s\t%s\t%s' % (family, mode, row(
            harmony['contour'][table], [(p, up) for p in range(CONTOUR_PLACES) for up in (0, 1)])))
        for before in range(MOVE_STATES):
            lines.append('turn\t%s\t%s\t%d\t%s' % (
                family, mode, before, row(harmony['turn'][table], [(before, c) for c in range(5)])))
        # The same turns by the tunes' rhythm family: reels run on where jigs repeat a note.
        for kind in sorted(k[2] for k in harmony['turn'] if len(k) == 3 and k[:2] == table
                           and k[2] is not None):
            for before in range(MOVE_STATES):
                lines.append('turn-in\t%s\t%s\t%s\t%d\t%s' % (
                    family, mode, kind, before,
                    row(harmony['turn'][table + (kind,)], [(before, c) for c in range(5)])))
        lines += habit_lines(table, harmony)
    return lines


def habit_of(notes):
    """A tune's way with repeated notes: `runs` if it ever sounds one note three times running
    (most reels never do; the tunes that do, do it often), else `plain`."""
    return 'runs' if any(a == b == c for a, b, c in zip(notes, notes[1:], notes[2:])) else 'plain'


def habit_lines(table, harmony):
    """The turns of each rhythm family's tunes by their habit, where both habits have at least
    MIN_HABIT_TUNES tunes."""
    lines = []
    for kind in sorted({k[2] for k in harmony['habit'] if k[:2] == table and k[2] in OWN_TURNS}):
        tunes = {h: harmony['habit'][table + (kind, h)]['tunes'] for h in HABITS}
        if min(tunes.values()) < MIN_HABIT_TUNES:
            continue
        for h in HABITS:
            for before in range(MOVE_STATES):
                lines.append('habit\t%s\t%s\t%s\t%s\t%d\t%d\t%s' % (
                    table[0], table[1], kind, h, tunes[h], before,
                    ' '.join('%d' % harmony['turn'][table + (kind, h)][(before, c)]
                             for c in range(5))))
    return lines


def bar_key(b):
    return (tuple(b['events']), b['tied_in'])


def collapse_repeats(bars):
    """`bars` without written-out repeats (tools/features.py's rule)."""
    return [bars[i] for i in kept_after_repeats([bar_key(b) for b in bars], MIN_BLOCK)]


def restatements(t):
    """A tune's first two strains as a pattern of repeats (`-` or the 1-based bar a bar
    repeats), or None when the tune does not open with two strains of STRAIN_BARS bars. Songs
    mark no strains (Essen writes few repeat signs): a song's first sixteen bars stand for two
    eight-bar sections, as tunec writes a song's."""
    bars = collapse_repeats(t['bars'])
    if len(bars) < 2 * STRAIN_BARS:
        return None
    strains = all(bars[n * STRAIN_BARS - 1]['end'] for n in (1, 2))
    if t['rhythm'] != 'song' and (not strains or any(b['end'] for b in bars[:STRAIN_BARS - 1])):
        return None
    keys = [bar_key(b) for b in bars[:2 * STRAIN_BARS]]
    return ' '.join(next((str(i + 1) for i in range(j) if keys[i] == keys[j]), '-')
                    for j in range(len(keys)))


def learn_form(tunes):
    patterns = collections.defaultdict(collections.Counter)
    for t in tunes:
        pattern = restatements(t) if t['rhythm'] is not None else None
        if pattern is not None:
            patterns[(t['rhythm'], t['meter'])][pattern] += 1
    lines = []
    for (family, metre), counts in sorted(patterns.items()):
        if sum(counts.values()) < MIN_TUNES:
            continue
        lines.append('tunes\t%s\t%s\t%d' % (family, metre, sum(counts.values())))
        for pattern, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append('restate\t%s\t%s\t%d\t%s' % (family, metre, n, pattern))
    return lines


KEY_MODES = {'': 'major', 'maj': 'major', 'ion': 'major', 'm': 'minor', 'min': 'minor',
             'aeo': 'minor', 'dor': 'dorian', 'mix': 'mixolydian', 'lyd': 'lydian',
             'phr': 'phrygian'}


def key_of_field(text):
    """The key a tune's K: field names, as (tonic, mode), or None (`Bn`, `Hp`, …)."""
    m = re.fullmatch(r'([A-Ga-g])([#b]?)\s*([A-Za-z]*)', field(text, 'K'))
    mode = m and KEY_MODES.get(m.group(3).lower()[:3])
    return (m.group(1).upper() + m.group(2), mode) if mode else None


def learn_keys(items):
    """The keys the fiddle kinds' training tunes are written in, from their K: fields (the
    songs' K: fields name key signatures, not modes, and are not counted)."""
    counts = collections.defaultdict(collections.Counter)
    for collection, text in items:
        family, key_ = rhythm_family(collection, text), key_of_field(text)
        if family in OWN_TURNS and key_ is not None:
            counts[family][key_] += 1
    lines = []
    for family in sorted(counts):
        for (tonic, mode), n in sorted(counts[family].items(), key=lambda kv: (-kv[1], kv[0])):
            if n >= 2:  # a key one tune is in is that tune's, not the kind's
                lines.append('key\t%s\t%s\t%s\t%d' % (family, tonic, mode, n))
    return lines


MIN_COMPASS_TUNES = 20  # a key's own compass rows need this many tunes of the kind in it


def compass_of(t):
    """The lowest and highest MIDI notes a tune sounds, pickup included."""
    notes = [p for b in t['bars'] for _, p in b['events'] if p is not None]
    notes += [p for _, p in t['pickup'] or [] if p is not None]
    return (min(notes), max(notes)) if notes else None


def learn_compass(tunes):
    """The compass (lowest, highest note) of the fiddle kinds' training tunes: for each key
    (tonic pitch class, major or minor) with enough tunes, and over all keys (`*`)."""
    groups = collections.defaultdict(collections.Counter)
    for t in tunes:
        compass = t['rhythm'] in OWN_TURNS and compass_of(t)
        if compass:
            groups[(t['rhythm'], '*', '*')][compass] += 1
            groups[(t['rhythm'], str(t['tonic']), t['mode'])][compass] += 1
    lines = []
    for (family, tonic, mode), counts in sorted(groups.items()):
        if tonic != '*' and sum(counts.values()) < MIN_COMPASS_TUNES:
            continue
        for (low, high), n in sorted(counts.items()):
            lines.append('compass\t%s\t%s\t%s\t%d\t%d\t%d' % (family, tonic, mode, low, high, n))
    return lines


HEADER_NOTE = {
    'keys': '# key: the tonic and mode of the K: field; compass: the tune\'s lowest and highest'
            ' MIDI notes, by tonic pitch class and major/minor (* = all keys); counts of training'
            ' tunes',
    'rhythm': '# durations in 24ths of a quarter note; r marks a rest',
    'melody': '# degrees in semitones above the tonic; intervals -13 (or lower) .. 13',
    'form': '# bars of two %d-bar strains: - or the earlier bar (1-based) a bar repeats exactly'
            % STRAIN_BARS,
}


def header(what, columns):
    return ['# tunec style model v%d: %s' % (VERSION, what),
            '# written by tools/learn_styles.py from the training collections (DESIGN §6);'
            ' do not edit by hand',
            HEADER_NOTE[what],
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
    melody = header('melody', 'notes|move|downbeat|final|close|first|start|start-led|ending|chord|progression|tone|chance|on|half|leap|strain|contour|turn|turn-in|habit  family  mode  ...') + learn_melody(tunes)
    form = header('form', 'tunes|restate  family  meter  ...') + learn_form(tunes)
    keys = (header('keys', 'key|compass  family  tonic  mode  [low  high]  tunes')
            + learn_keys(items) + learn_compass(tunes))
    for name, lines in (('rhythm.tsv', rhythm), ('melody.tsv', melody), ('form.tsv', form),
                        ('keys.tsv', keys)):
        with open(os.path.join(MODELS, name), 'w', encoding='utf-8', newline='\n') as fh:
            fh.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
