#!/usr/bin/env python3
"""
Measures the defining features of each genre (issue 16) in tunec's MIDI files.

MEASUREMENT ONLY: runs the release binary over N seeds of each genre's prompt, reads the MIDI
with mido, and prints one row per genre: every check's figure and whether it meets the issue's
threshold. Nothing in src/ reads these figures.

    cargo build --release --locked
    python3 tools/genre_features.py --seeds 200            # every genre
    python3 tools/genre_features.py --seeds 50 rock jazz   # some of them

A check passes when it holds in at least its share of the seeds' measurements: each check
measures one figure per seed (a share of bars, a tempo, a ratio) and the genre's row says what
each seed's figure must reach; the row shows how many seeds met it (all must, unless the check
names a share of the seeds: rock's bVII need not sound in every piece). "Bars" are bars where the part plays. GM programs and drum keys are
the standard's 1-based program numbers and note numbers.

Exit status 0 when every genre passes, 1 otherwise.
"""
import argparse
import collections
import os
import statistics
import subprocess
import sys
import tempfile

import mido

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get('TUNEC_BINARY', os.path.join(ROOT, 'target', 'release', 'tunec'))

KICK, SNARE, RIM, CLAP, HAT, PEDAL_HAT, OPEN_HAT, RIDE = 36, 38, 37, 39, 42, 44, 46, 51
CLAVE, CONGAS = 75, (62, 63, 64)
SNARES = (38, 40, 37, 39)
BELLS = (9, 10, 15)  # celesta, glockenspiel, tubular bells (1-based)
PADS = range(89, 97)

# Chord qualities by pitch classes above the root.
QUALITIES = {
    (0, 7): 'power', (0, 4, 7): 'maj', (0, 3, 7): 'min', (0, 3, 6): 'dim',
    (0, 4, 7, 11): 'maj7', (0, 4, 7, 10): '7', (0, 3, 7, 10): 'm7', (0, 3, 6, 10): 'm7b5',
    (0, 2, 4, 7, 10): '9', (0, 2, 3, 7, 10): 'm9', (0, 2, 4, 7, 11): 'maj9',
    (0, 4, 10): '7', (0, 3, 10): 'm7', (0, 4, 11): 'maj7', (0, 2, 4, 10): '9',
}


class Piece:
    """One MIDI file as bars, parts and chords."""

    def __init__(self, path):
        mid = mido.MidiFile(path)
        self.tpq = mid.ticks_per_beat
        self.tempos, self.meters, self.keys, self.markers = [], [], [], []
        self.parts = {}
        for track in mid.tracks:
            tick, on, notes, program, name = 0, {}, [], None, track.name
            for msg in track:
                tick += msg.time
                if msg.type == 'set_tempo':
                    self.tempos.append((tick, msg.tempo))
                elif msg.type == 'time_signature':
                    self.meters.append((tick, msg.numerator, msg.denominator))
                elif msg.type == 'key_signature':
                    self.keys.append((tick, msg.key))
                elif msg.type == 'marker':
                    self.markers.append((tick, msg.text))
                elif msg.type == 'program_change':
                    program = msg.program + 1
                elif msg.type == 'note_on' and msg.velocity > 0:
                    on[msg.note] = (tick, msg.velocity)
                elif msg.type in ('note_off', 'note_on') and msg.note in on:
                    start, velocity = on.pop(msg.note)
                    notes.append((start, tick - start, msg.note, velocity))
            if notes:
                self.parts[name] = (program, sorted(notes))
        self.end = max(s + d for _, notes in self.parts.values() for s, d, _, _ in notes)
        self.bars = self._bars()

    def _bars(self):
        """(start, length, numerator, denominator) of every bar, from the time signatures."""
        bars, meters = [], sorted(self.meters) or [(0, 4, 4)]
        for i, (at, num, den) in enumerate(meters):
            until = meters[i + 1][0] if i + 1 < len(meters) else self.end
            length = self.tpq * 4 * num // den
            while at < until:
                bars.append((at, length, num, den))
                at += length
        # A pickup (a short first bar) is not a bar of the piece; the short last bar that gives
        # its time back is one, but not a whole one (`whole`).
        if len(bars) > 1 and bars[0][1] < bars[1][1]:
            bars = bars[1:]
        self.whole = [True] * len(bars)
        if len(bars) > 1 and (bars[-1][1] < bars[-2][1] or bars[-1][0] + bars[-1][1] > self.end):
            self.whole[-1] = False
        return bars

    def meter(self):
        _, _, num, den = self.bars[0]
        return '%d/%d' % (num, den)

    def bpm(self):
        """Beats a minute of the meter's beat."""
        quarter = 60e6 / self.tempos[0][1]
        _, _, num, den = self.bars[0]
        if den == 8 and num % 3 == 0 and num > 3:
            return quarter * 2 / 3
        return quarter * den / 4

    def tonic_minor(self):
        key = self.keys[0][1] if self.keys else 'C'
        minor = key.endswith('m')
        name = key[:-1] if minor else key
        pcs = {'C': 0, 'D': 2, 'E': 4, 'F': 5, 'G': 7, 'A': 9, 'B': 11}
        pc = pcs[name[0]] + name[1:].count('#') - name[1:].count('b')
        return pc % 12, minor

    def notes(self, part):
        return self.parts.get(part, (None, []))[1]

    def program(self, part):
        return self.parts.get(part, (None, []))[0]

    def by_whole_bar(self, part):
        """The notes of each whole bar (not the short last bar after a pickup)."""
        return [b for b, whole in zip(self.by_bar(part), self.whole) if whole]

    def by_bar(self, part):
        """Each bar's notes of a part, as (offset in the bar, duration, key, velocity)."""
        out = [[] for _ in self.bars]
        starts = [b[0] for b in self.bars]
        i = 0
        for s, d, k, v in self.notes(part):
            while i + 1 < len(starts) and starts[i + 1] <= s:
                i += 1
            if s >= starts[0]:
                out[i].append((s - starts[i], d, k, v))
        return out

    def beat(self):
        _, length, num, _ = self.bars[0]
        beats = num // 3 if num % 3 == 0 and num > 3 else num
        return length // beats

    def step(self, offset, per_beat=4):
        """The nearest step of `per_beat` a beat (swung off-beats land on the nearest)."""
        return round(offset * per_beat / self.beat())

    def chords(self):
        """Each bar's chord as (root, quality) from the chords part's pitch classes, or None.
        Heard over the bass: where the bar's first bass note and the chords' classes fit a
        template with that note as the root, that is the chord (a rootless ninth, D F# G# B
        over E, is E9); otherwise the chords part's classes alone name it."""
        out = []
        for notes, bass in zip(self.by_bar('chords'), self.by_bar('bass')):
            pcs = sorted({k % 12 for _, _, k, _ in notes})
            heard = over_bass(pcs, bass) if pcs and bass else None
            out.append(heard or (name_chord(pcs, notes) if pcs else None))
        return out


def over_bass(pcs, bass):
    """The chord of classes `pcs` with the bar's first bass note as its root, if one fits."""
    root = min(bass, key=lambda n: (n[0], n[2]))[2] % 12
    rel = tuple(sorted({(p - root) % 12 for p in pcs} | {0}))
    return (root, QUALITIES[rel]) if rel in QUALITIES else None


def name_chord(pcs, notes):
    """The root and quality whose template the classes fit; the lowest note first."""
    lowest = min(notes, key=lambda n: n[2])[2] % 12
    roots = [lowest] + [r for r in pcs if r != lowest]
    for r in roots:
        rel = tuple(sorted((p - r) % 12 for p in pcs))
        if rel in QUALITIES:
            return r, QUALITIES[rel]
    return lowest, 'other'


def share(hits, total):
    return hits / total if total else 0.0


def drum_bars(p):
    return [b for b in p.by_whole_bar('drums') if b]


def on_steps(bar, keys, p, per_beat=4):
    return {p.step(o, per_beat) for o, _, k, _ in bar if k in keys}


# Each check: a function of a Piece returning one figure, and a test of the figure.
def backbeat(p):
    """Kick on 1, snare on 2 and 4."""
    bars = drum_bars(p)
    ok = [b for b in bars if 0 in on_steps(b, (KICK,), p)
          and {4, 12} <= on_steps(b, SNARES, p)]
    return share(len(ok), len(bars))


def kick_steps(n):
    def f(p):
        bars = drum_bars(p)
        return share(sum(len(on_steps(b, (KICK,), p)) >= n for b in bars), len(bars))
    f.__doc__ = 'kick on >= %d of 16 steps' % n
    return f


def kick_every_beat(p):
    bars = drum_bars(p)
    beats = p.bars[0][2]
    full = set(range(0, 4 * beats, 4))
    return share(sum(full <= on_steps(b, (KICK,), p) for b in bars), len(bars))


def kick_on_one(p):
    bars = drum_bars(p)
    return share(sum(0 in on_steps(b, (KICK,), p) for b in bars), len(bars))


def one_drop(p):
    """Kick with snare or rim on beat 3, no kick on 1."""
    bars = drum_bars(p)
    ok = [b for b in bars if 8 in on_steps(b, (KICK,), p) and 8 in on_steps(b, (SNARE, RIM), p)
          and 0 not in on_steps(b, (KICK,), p)]
    return share(len(ok), len(bars))


def open_hat_offbeat(p):
    bars = drum_bars(p)
    beats = p.bars[0][2]
    offs = set(range(2, 4 * beats, 4))
    return share(sum(offs <= on_steps(b, (OPEN_HAT,), p) for b in bars), len(bars))


def hat_sixteenths(p):
    bars = drum_bars(p)
    return share(sum(len(on_steps(b, (HAT,), p)) >= 14 for b in bars), len(bars))


def key_every_bar(keys, name):
    def f(p):
        bars = drum_bars(p)
        return share(sum(bool(on_steps(b, keys, p)) for b in bars), len(bars))
    f.__doc__ = name + ' in every bar'
    return f


def son_clave(p):
    """Pairs of bars where the clave plays a son clave, 3-2 or 2-3 (1, the and of 2, 4; 2, 3)."""
    bars = [on_steps(b, (CLAVE,), p) for b in drum_bars(p)]
    three, two = {0, 6, 12}, {4, 8}
    pairs = list(zip(bars[0::2], bars[1::2]))
    return share(sum(pair in ((three, two), (two, three)) for pair in pairs), len(pairs))


def no_drums(p):
    return 1.0 if not p.notes('drums') else 0.0


def pair_ratio(onsets, span):
    """Median long-short ratio of the pairs that split a `span` (a beat, or an eighth) starting
    on it: straight (1/2) or swung (2/3), not dotted (3/4). Straight is 1, swung 2."""
    have, ratios = set(onsets), []
    for s in onsets:
        if s % span == 0 and s + span in have:
            mids = [t for t in onsets if s < t < s + span]
            if len(mids) == 1 and 0.45 <= (mids[0] - s) / span <= 0.72:
                ratios.append((mids[0] - s) / (s + span - mids[0]))
    return statistics.median(ratios) if ratios else 1.0


def swing_ratio(part):
    def f(p):
        """Median long-short ratio of the part's off-beat pairs (straight is 1, swung 2)."""
        origin = p.bars[0][0]
        return pair_ratio(sorted({s - origin for s, _, _, _ in p.notes(part) if s >= origin}),
                          p.tpq)
    f.__doc__ = part + ' swing ratio'
    return f


def swung_sixteenths(keys):
    def f(p):
        """Median long-short ratio of the sixteenth pairs within each eighth (straight is 1)."""
        origin = p.bars[0][0]
        return pair_ratio(sorted({s - origin for s, _, k, _ in p.notes('drums')
                                  if k in keys and s >= origin}), p.tpq // 2)
    f.__doc__ = 'swung sixteenths of %s' % sorted(keys)
    return f


def program_in(part, programs):
    def f(p):
        return 1.0 if p.program(part) in programs else 0.0
    f.__doc__ = '%s program in %s' % (part, sorted(programs))
    return f


def any_program(programs):
    def f(p):
        return 1.0 if any(p.program(t) in programs for t in p.parts) else 0.0
    f.__doc__ = 'a part plays %s' % sorted(programs)
    return f


def chord_share(qualities):
    def f(p):
        chords = [c for c in p.chords() if c]
        return share(sum(c[1] in qualities for c in chords), len(chords))
    f.__doc__ = 'chords ' + '/'.join(sorted(qualities))
    return f


def four_classes(p):
    bars = [b for b in p.by_bar('chords') if b]
    return share(sum(len({k % 12 for _, _, k, _ in b}) >= 4 for b in bars), len(bars))


def roots_in(degrees):
    def f(p):
        tonic, _ = p.tonic_minor()
        chords = [c for c in p.chords() if c]
        return share(sum((c[0] - tonic) % 12 in degrees for c in chords), len(chords))
    f.__doc__ = 'chord roots in %s' % sorted(degrees)
    return f


def has_root(degree):
    def f(p):
        tonic, _ = p.tonic_minor()
        return 1.0 if any((c[0] - tonic) % 12 == degree for c in p.chords() if c) else 0.0
    f.__doc__ = 'a chord on %d semitones over the tonic' % degree
    return f


def power_chords(p):
    """Every chord-part onset sounds a root and its fifth (octaves allowed) and no third."""
    groups = collections.defaultdict(set)
    for s, _, k, _ in p.notes('chords'):
        groups[s].add(k % 12)
    ok = [g for g in groups.values() if len(g) == 2 and any((b - a) % 12 == 7 for a in g for b in g)]
    return share(len(ok), len(groups))


def bass_root_eighths(p):
    chords, eighth = p.chords(), p.tpq // 2
    notes = [(c, n) for c, bar in zip(chords, p.by_bar('bass')) for n in bar if c]
    ok = [n for c, n in notes if n[2] % 12 == c[0] and abs(n[1] - eighth) <= eighth // 4]
    return share(len(ok), len(notes))


def bass_every_beat(p):
    bars = [b for b in p.by_whole_bar('bass') if b]
    beats = p.bars[0][2]
    full = set(range(0, 4 * beats, 4))
    return share(sum(full <= {p.step(o) for o, _, _, _ in b} for b in bars), len(bars))


def bass_half_step_arrivals(p):
    """Chord changes the bass reaches by a half step from the note before."""
    chords, notes = p.chords(), p.notes('bass')
    starts = [b[0] for b in p.bars]
    hits = total = 0
    for i in range(1, len(chords)):
        if not chords[i] or not chords[i - 1] or chords[i] == chords[i - 1]:
            continue
        before = [n for n in notes if n[0] < starts[i]]
        at = [n for n in notes if n[0] == starts[i]]
        if before and at:
            total += 1
            hits += abs(before[-1][2] - at[0][2]) == 1
    return share(hits, total)


def bass_bossa(p):
    """Bass on beat 1 (the root) and on the and of 2 (before beat 3)."""
    chords, bars = p.chords(), p.by_bar('bass')
    played = [(c, b) for c, b, w in zip(chords, bars, p.whole) if b and c and w]
    ok = [b for c, b in played if any(p.step(o) == 0 and k % 12 == c[0] for o, _, k, _ in b)
          and any(p.step(o) == 6 for o, _, _, _ in b)]
    return share(len(ok), len(played))


def bass_alternating(p):
    """A bass note on every beat, alternating the chord's root and fifth."""
    chords, bars = p.chords(), p.by_bar('bass')
    played = [(c, b) for c, b, w in zip(chords, bars, p.whole) if b and c and w]
    ok = 0
    for c, b in played:
        rel = [(k - c[0]) % 12 for o, _, k, _ in sorted(b) if p.step(o) % 4 == 0]
        ok += len(rel) == p.bars[0][2] and all(r in (0, 7) for r in rel) and \
            all(rel[i] != rel[i + 1] for i in range(len(rel) - 1))
    return share(ok, len(played))


def bass_sixteenths(p):
    """Bars whose bass has an onset on a sixteenth between the eighths."""
    bars = [b for b in p.by_whole_bar('bass') if b]
    return share(sum(any(p.step(o) % 2 == 1 for o, _, _, _ in b) for b in bars), len(bars))


def no_bass_on_one(p):
    bars = [b for b in p.by_whole_bar('bass') if b]
    return share(sum(all(p.step(o) != 0 for o, _, _, _ in b) for b in bars), len(bars))


def bass_anticipations(p):
    """Bars whose bass strikes the and of 2 and beat 4 (the tumbao's anticipations)."""
    bars = [b for b in p.by_whole_bar('bass') if b]
    return share(sum({6, 12} <= {p.step(o) for o, _, _, _ in b} for b in bars), len(bars))


def chords_off_beat(p):
    notes = p.notes('chords')
    starts = [b[0] for b in p.bars]
    beat = p.beat()
    on = [s for s, _, _, _ in notes if (s - starts[0]) % beat == 0]
    return 1.0 - share(len(on), len(notes))


def chords_short(p):
    notes = p.notes('chords')
    return share(sum(d <= p.tpq // 2 for _, d, _, _ in notes), len(notes))


def chords_held(p):
    """Chord notes lasting a bar or more (but the short last bar's)."""
    notes = [n for b in p.by_whole_bar('chords') for n in b]
    bar = p.bars[0][1]
    return share(sum(d >= bar for _, d, _, _ in notes), len(notes))


def chords_broken(p):
    """Chord-part onsets that strike one note (a broken chord)."""
    groups = collections.Counter(s for s, _, _, _ in p.notes('chords'))
    return share(sum(n == 1 for n in groups.values()), len(groups))


def chords_sixteenth_arpeggio(p):
    notes, sixteenth = p.notes('chords'), p.tpq // 4
    groups = collections.Counter(s for s, _, _, _ in notes)
    single = share(sum(n == 1 for n in groups.values()), len(groups))
    short = share(sum(d <= sixteenth for _, d, _, _ in notes), len(notes))
    return min(single, short)


def melody_notes_a_bar(p):
    counts = [len(b) for b in p.by_bar('melody')]
    return statistics.median(counts) if counts else 0


def repeating_bar(part):
    def f(p):
        rhythms = [tuple(o for o, _, _, _ in b) for b in p.by_bar(part) if b]
        common = collections.Counter(rhythms).most_common(1)
        return share(common[0][1], len(rhythms)) if common else 0.0
    f.__doc__ = part + ' bars repeating one rhythm'
    return f


def ii_v_i_every_8(p):
    """Each 8-bar block holds ii–V–I (roots 2, 7, 0 over the tonic) in a row."""
    tonic, _ = p.tonic_minor()
    roots = [None if c is None else (c[0] - tonic) % 12 for c in p.chords()]
    blocks = [roots[i:i + 8] for i in range(0, len(roots) - 7, 8)]
    ok = [b for b in blocks if any(b[j:j + 3] == [2, 7, 0] for j in range(len(b) - 2))]
    return share(len(ok), len(blocks))


def authentic_periods(p):
    """Each 8-bar period ends V–I."""
    tonic, _ = p.tonic_minor()
    roots = [None if c is None else (c[0] - tonic) % 12 for c in p.chords()]
    ends = [roots[i - 2:i] for i in range(8, len(roots) + 1, 8)]
    return share(sum(e == [7, 0] for e in ends), len(ends))


def plagal_end(p):
    tonic, _ = p.tonic_minor()
    roots = [(c[0] - tonic) % 12 for c in p.chords() if c]
    return 1.0 if roots[-2:] == [5, 0] else 0.0


def minor(p):
    return 1.0 if p.tonic_minor()[1] else 0.0


def major(p):
    return 0.0 if p.tonic_minor()[1] else 1.0


def crescendo(p):
    """Mean velocity of the last quarter of the piece over the first's."""
    notes = [n for _, ns in p.parts.values() for n in ns]
    span = p.end - p.bars[0][0]
    first = [v for s, _, _, v in notes if s - p.bars[0][0] < span / 4]
    last = [v for s, _, _, v in notes if s - p.bars[0][0] >= 3 * span / 4]
    return statistics.mean(last) - statistics.mean(first)


def tempo(p):
    return p.bpm()


def meter(p):
    return p.meter()


# A check: (name, function, test of one seed's figure, share of seeds that must pass).
def at_least(x):
    return lambda v: v >= x, '>= %g' % x


def at_most(x):
    return lambda v: v <= x, '<= %g' % x


def between(lo, hi):
    return lambda v: lo <= v <= hi, '%g-%g' % (lo, hi)


def one_of(*xs):
    return lambda v: v in xs, '/'.join(xs)


def is_true():
    return lambda v: v >= 1.0, 'yes'


def metered(*xs):
    return check('meter', meter, one_of(*xs))


def tempo_in(lo, hi):
    return check('bpm', tempo, between(lo, hi))


def check(name, f, test, seeds=1.0):
    """A check whose test holds in `seeds` (a share) of the seeds at least: all by default."""
    return (name, f, test, seeds)


GENRES = [
    ('rock', 'rock song', [
        metered('4/4'), tempo_in(100, 150),
        check('backbeat', backbeat, at_least(0.9)),
        check('guitar', program_in('chords', {30, 31}), is_true()),
        check('power', power_chords, at_least(0.9)),
        check('bass program', program_in('bass', {34, 35}), is_true()),
        check('bass root 8ths', bass_root_eighths, at_least(0.7)),
        check('I IV V bVII vi', roots_in({0, 5, 7, 10, 9}), at_least(1.0)),
        check('a bVII', has_root(10), is_true(), seeds=0.8),
    ]),
    ('metal', 'heavy metal song', [
        metered('4/4'), tempo_in(100, 200),
        check('guitar', program_in('chords', {31}), is_true()),
        check('power', power_chords, at_least(0.9)),
        check('minor', minor, is_true()),
        check('kick >= 8/16', kick_steps(8), at_least(0.8)),
    ]),
    ('jazz', 'jazz tune', [
        check('swing', swing_ratio('drums'), at_least(1.5)),
        check('4+ classes', four_classes, at_least(0.8)),
        check('ii-V-I / 8 bars', ii_v_i_every_8, at_least(1.0)),
        check('walk every beat', bass_every_beat, at_least(0.9)),
        check('half-step arrivals', bass_half_step_arrivals, at_least(0.3)),
        check('ride', key_every_bar((RIDE,), 'ride'), at_least(0.9)),
    ]),
    ('jazz blues', 'jazz blues', [
        metered('4/4'),
        check('swing', swing_ratio('drums'), at_least(1.5)),
        check('4+ classes', four_classes, at_least(0.8)),
        check('walk every beat', bass_every_beat, at_least(0.9)),
        check('ride', key_every_bar((RIDE,), 'ride'), at_least(0.9)),
    ]),
    ('jazz waltz', 'jazz waltz', [
        metered('3/4'),
        check('swing', swing_ratio('drums'), at_least(1.5)),
        check('4+ classes', four_classes, at_least(0.8)),
        check('walk every beat', bass_every_beat, at_least(0.9)),
        check('ride', key_every_bar((RIDE,), 'ride'), at_least(0.9)),
    ]),
    ('bossa nova', 'bossa nova', [
        metered('4/4', '2/2'), tempo_in(110, 145),
        check('straight', swing_ratio('melody'), at_most(1.1)),
        check('nylon', program_in('chords', {25}), is_true()),
        check('bass 1 and 2&', bass_bossa, at_least(0.9)),
        check('rim clave', key_every_bar((RIM,), 'rim'), at_least(1.0)),
        check('7th chords', chord_share({'maj7', 'm7', '7'}), at_least(0.7)),
    ]),
    ('reggae', 'reggae song', [
        metered('4/4'), tempo_in(60, 90),
        check('one drop', one_drop, at_least(0.9)),
        check('stabs off beat', chords_off_beat, at_least(1.0)),
    ]),
    ('funk', 'funk', [
        metered('4/4'), tempo_in(90, 120),
        check('hat 16ths', hat_sixteenths, at_least(0.8)),
        check('kick on 1', kick_on_one, at_least(1.0)),
        check('bass 16ths', bass_sixteenths, at_least(0.8)),
        check('chords short', chords_short, at_least(1.0)),
        check('dom 7/9', chord_share({'7', '9'}), at_least(0.5)),
        check('dom 9', chord_share({'9'}), at_least(0.5)),
    ]),
    ('house', 'house track', [
        metered('4/4'), tempo_in(118, 130),
        check('four on floor', kick_every_beat, at_least(0.95)),
        check('open hat off', open_hat_offbeat, at_least(0.9)),
        check('synth bass', program_in('bass', set(range(39, 41))), is_true()),
        check('pads/piano', program_in('chords', set(PADS) | {1, 2, 5}), is_true()),
    ]),
    ('techno', 'techno track', [
        metered('4/4'), tempo_in(125, 140),
        check('four on floor', kick_every_beat, at_least(0.95)),
        check('open hat off', open_hat_offbeat, at_least(0.9)),
        check('synth bass', program_in('bass', set(range(39, 41))), is_true()),
        check('motif repeats', repeating_bar('bass'), at_least(0.8)),
    ]),
    ('trance', 'trance track', [
        metered('4/4'), tempo_in(128, 142),
        check('four on floor', kick_every_beat, at_least(0.95)),
        check('open hat off', open_hat_offbeat, at_least(0.9)),
        check('synth bass', program_in('bass', set(range(39, 41))), is_true()),
        check('16th arpeggio', chords_sixteenth_arpeggio, at_least(0.9)),
        check('i VI III VII', roots_in({0, 8, 3, 10}), at_least(0.8)),
    ]),
    ('ambient', 'ambient piece', [
        tempo_in(50, 90),
        check('no drums', no_drums, is_true()),
        check('pads', program_in('chords', set(PADS)), is_true()),
        check('chords >= bar', chords_held, at_least(1.0)),
        check('melody notes/bar', melody_notes_a_bar, at_most(2)),
    ]),
    ('hip hop', 'hip hop beat', [
        metered('4/4'), tempo_in(80, 100),
        check('backbeat', backbeat, at_least(0.9)),
        check('swung 16th hats', swung_sixteenths((HAT,)), at_least(1.3)),
        check('e-piano', program_in('chords', {5, 6}), is_true()),
        check('7th chords', chord_share({'maj7', 'm7', '7', 'm7b5', '9', 'm9', 'maj9'}),
              at_least(0.7)),
    ]),
    ('lo-fi', 'lofi beat', [
        metered('4/4'), tempo_in(65, 90),
        check('backbeat', backbeat, at_least(0.9)),
        check('swung 16th hats', swung_sixteenths((HAT,)), at_least(1.3)),
        check('e-piano', program_in('chords', {5, 6}), is_true()),
        check('7th chords', chord_share({'maj7', 'm7', '7', 'm7b5', '9', 'm9', 'maj9'}),
              at_least(0.7)),
    ]),
    ('classical', 'classical piece', [
        check('no drums', no_drums, is_true()),
        check('piano/strings', program_in('chords', {1, 41, 42, 43, 49}), is_true()),
        check('broken chords', chords_broken, at_least(0.9)),
        check('V-I periods', authentic_periods, at_least(1.0)),
    ]),
    ('film', 'cinematic piece', [
        check('no drums', no_drums, is_true()),
        check('strings', program_in('chords', {49, 50}), is_true()),
        check('brass', any_program(set(range(57, 65))), is_true()),
        check('timpani', any_program({48}), is_true()),
        check('minor', minor, is_true()),
        check('chords >= bar', chords_held, at_least(0.9)),
        check('crescendo', crescendo, at_least(8)),
    ]),
    ('country', 'country song', [
        metered('4/4', '3/4'), tempo_in(90, 130),
        check('bass root-fifth beats', bass_alternating, at_least(0.8)),
        check('fiddle/steel', program_in('melody', {41, 26}), is_true()),
        check('I IV V', roots_in({0, 5, 7}), at_least(1.0)),
    ]),
    ('gospel', 'gospel song', [
        metered('4/4', '6/8', '12/8'),
        check('organ', any_program({17, 18, 19, 20}), is_true()),
        check('piano', any_program({1, 2}), is_true()),
        check('plagal end', plagal_end, is_true()),
    ]),
    ('latin', 'salsa', [
        tempo_in(160, 220),
        check('clave', key_every_bar((CLAVE,), 'clave'), at_least(1.0)),
        check('son clave 3-2/2-3', son_clave, at_least(1.0)),
        check('tumbao', no_bass_on_one, at_least(0.9)),
        check('2& and 4', bass_anticipations, at_least(0.9)),
        check('congas', key_every_bar(CONGAS, 'congas'), at_least(0.9)),
        check('piano', program_in('chords', {1, 2}), is_true()),
    ]),
    ('christmas', 'Christmas song', [
        metered('4/4', '3/4'),
        check('major', major, is_true()),
        check('bells', any_program(set(BELLS)), is_true()),
    ]),
]


def measure(prompt, seeds, checks):
    """Per check: the figures over the seeds and how many passed."""
    figures = {name: [] for name, _, _, _ in checks}
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, 'g.tune')
        with open(source, 'w') as f:
            f.write(prompt + '\n')
        for seed in range(seeds):
            out = os.path.join(tmp, 'g.mid')
            run = subprocess.run([BINARY, source, '-o', out, '--seed', str(seed)],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                return None, run.stderr.strip().splitlines()[0] if run.stderr else 'failed'
            piece = Piece(out)
            for name, f, _, _ in checks:
                figures[name].append(f(piece))
    return figures, None


def show(figures):
    if isinstance(figures[0], str):
        common = collections.Counter(figures).most_common(1)[0][0]
        return common
    return '%.2f' % statistics.median(figures)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--seeds', type=int, default=200)
    ap.add_argument('genres', nargs='*', help='genre names (default: all)')
    args = ap.parse_args()
    rows = [g for g in GENRES if not args.genres or g[0] in args.genres]
    all_pass = True
    for genre, prompt, checks in rows:
        figures, error = measure(prompt, args.seeds, checks)
        if error:
            print('%-11s FAIL  (%s)' % (genre, error))
            all_pass = False
            continue
        cells, ok = [], True
        for name, _, (test, wanted), seeds in checks:
            passed = sum(bool(test(v)) for v in figures[name])
            good = passed >= seeds * args.seeds
            ok &= good
            need = '' if seeds == 1.0 else ' (>= %g of seeds)' % seeds
            cells.append('%s %s [%s] %d/%d%s%s' % (name, show(figures[name]), wanted, passed,
                                                  args.seeds, need, '' if good else ' ✗'))
        all_pass &= ok
        print('%-11s %s  %s' % (genre, 'pass' if ok else 'FAIL', ' | '.join(cells)))
    sys.exit(0 if all_pass else 1)


if __name__ == '__main__':
    main()
