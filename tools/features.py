#!/usr/bin/env python
"""
Per-tune melodic features (about 130) for telling tunec's tunes from real ones.

MEASUREMENT ONLY (DESIGN.md §6): used by tools/classify.py to measure how far tunec's melodies
are from real held-out tunes; nothing in src/ reads them and no composing table is fitted to them.

Input: a melody dict from tools/corpus.py (parse_melody / parse_generated). Output:
features(mel) -> list of floats in the order of FEATURE_NAMES, or None when the tune has no
usable bar grid (no time signature, an overfull measure, fewer than 4 bars or 8 notes).

Conventions
-----------
* Degrees are pitch classes relative to the tonic of the K: field (0 = tonic, 7 = fifth ...).
* Durations are counted in beats (corpus.beat_ql: quarter in 2/4 3/4 4/4 C|; dotted quarter in
  6/8); Ryan's 2/4-with-sixteenths reels and hornpipes arrive renotated in 4/4 (corpus.py).
* Written-out repeats: tunec writes AABB out in full, real collections use repeat signs. So that
  bar-repetition features compare notation with notation, a block of 4 or more bars that
  exactly repeats (pitches and rhythm) the block right before it is removed, on both sides.
* Alternative endings (`|1 ... :|2 ...`): only a strain's last ending is read (as a tune written
  without endings has one last bar); reference_stats.first_endings.
* Phrases are 4-bar windows from bar 1 (after the pickup), sections 8-bar windows.
"""
import math
import statistics

EPS = 1e-6
INTERVAL_RANGE = range(-12, 13)
DUR_EDGES = [  # upper edges of duration bins, in beats
    (0.2, 'le_1/5'), (0.29, '1/4'), (0.4, '1/3'), (0.6, '1/2'), (0.7, '2/3'), (0.9, '3/4'),
    (1.1, '1'), (1.6, '1.5'), (2.1, '2'), (3.1, '3'), (1e9, 'gt_3')]

FEATURE_NAMES = (
    ['iv_%+d' % i for i in INTERVAL_RANGE]
    + ['deg_%d' % d for d in range(12)]
    + ['strong_deg_%d' % d for d in range(12)]
    + ['final_deg_%d' % d for d in range(12)]
    + ['phrase_end_deg_%d' % d for d in range(12)]
    + ['section_end_tonic', 'section_end_fifth', 'section_end_third']
    + ['first_is_tonic', 'first_is_fifth', 'first_is_third']
    + ['dur_%s' % n for _, n in DUR_EDGES]
    + ['mean_dur_beats', 'distinct_lengths', 'rest_share', 'rests_per_bar', 'has_pickup',
       'pickup_beats', 'notes_per_bar_mean', 'notes_per_bar_std', 'notes_per_beat',
       'bar_rhythm_repeat', 'distinct_bar_rhythms_share', 'bar_repeat_exact',
       'range', 'pitch_std', 'first_pos_in_range', 'final_pos_in_range', 'mean_pos_in_range',
       'up_share', 'down_share', 'repeat_share', 'step_share', 'skip_share', 'leap_share',
       'mean_abs_interval', 'max_abs_interval', 'direction_change', 'mean_run_same_direction',
       'leap_then_opposite', 'leap_then_step', 'scalar_run_share', 'max_repeated_notes',
       'peaks_per_phrase', 'phrase_unique_peak', 'phrase_peak_position',
       'phrase_long_last_note', 'phrase_span_mean', 'phrase_start_end_diff',
       'onbeat_share', 'syncopation', 'downbeat_dur_beats', 'last_dur_beats',
       'last_dur_vs_max', 'tonic_time_share', 'interval_entropy', 'degree_entropy',
       'beat_rhythm_distinct', 'beat_rhythm_top_share', 'degree_bigram_entropy',
       'tonic_on_downbeat', 'strong_tonic_or_fifth', 'second_half_higher'])


def _hist(values, bins):
    n = len(values)
    idx = {b: i for i, b in enumerate(bins)}
    h = [0.0] * len(bins)
    for v in values:
        if v in idx:
            h[idx[v]] += 1
    return [x / n for x in h] if n else h


def _entropy(values):
    n = len(values)
    if not n:
        return 0.0
    c = {}
    for v in values:
        c[v] = c.get(v, 0) + 1
    return -sum(k / n * math.log2(k / n) for k in c.values())


def _bar_key(bar):
    s, _, ns = bar
    return tuple((round(o - s, 4), mi, round(q, 4)) for o, mi, q, _ in ns)


def kept_after_repeats(keys, min_block=4):
    """The indices of `keys` (one per bar) left when every block of >= min_block bars that
    exactly repeats the block just before it (a written-out repeat) is removed, largest blocks
    first, until none is left."""
    kept = list(range(len(keys)))
    while True:
        ks = [keys[i] for i in kept]
        n = len(ks)
        found = next(((i, k) for k in range(n // 2, min_block - 1, -1)
                      for i in range(0, n - 2 * k + 1) if ks[i:i + k] == ks[i + k:i + 2 * k]),
                     None)
        if found is None:
            return kept
        i, k = found
        del kept[i + k:i + 2 * k]


def collapse_repeats(bars, min_block=4):
    """Remove every block of >= min_block bars that exactly repeats the block just before it
    (written-out repeats), largest blocks first, until none is left."""
    bars = [bars[i] for i in kept_after_repeats([_bar_key(b) for b in bars], min_block)]
    # close the gaps left by removed blocks: bars start where the previous one ends
    out, t = [], 0.0
    for s, l, ns in bars:
        out.append((t, l, [(o - s + t, mi, q, u) for o, mi, q, u in ns]))
        t += l
    return out


def strong_positions(meter, bar_ql):
    """Offsets in the bar counted as strong: the downbeat, and the bar's middle in duple and
    quadruple meters (2/4 4/4 2/2 6/8 12/8 ...)."""
    try:
        num = int(meter.split('/')[0])
    except (ValueError, AttributeError):
        num = 0
    if num in (2, 4, 6, 12):
        return [0.0, bar_ql / 2]
    return [0.0]


def _sounding(bars, bi, pos):
    """The (midi, ql, onset-in-bar) note sounding at offset pos of bar bi, or None."""
    s, _, ns = bars[bi]
    for o, mi, q, _ in ns:
        if o - s <= pos + EPS and pos < o - s + q - EPS:
            return mi
    if bi > 0:
        ps, pl, pns = bars[bi - 1]
        if pns:
            o, mi, q, _ = pns[-1]
            if o - ps + q > pl + pos + EPS:
                return mi
    return None


def features(mel):
    if not mel.get('ok') or mel.get('bars') is None or mel.get('overfull'):
        return None
    bar_ql, beat = mel['bar_ql'], mel['beat_ql']
    bars = collapse_repeats(mel['bars'])
    if len(bars) < 4:
        return None
    tonic = mel['tonic_pc']
    pickup = [(o, mi, q) for o, mi, q in mel['notes'] if o < mel['pickup_ql'] - EPS] \
        if mel['pickup_ql'] > 0 else []
    seq = [(mi, q) for _, mi, q in pickup] + [(mi, q) for b in bars for _, mi, q, _ in b[2]]
    if len(seq) < 8:
        return None
    pitches = [p for p, _ in seq]
    durs = [q / beat for _, q in seq]
    degs = [(p - tonic) % 12 for p in pitches]
    ivs = [b - a for a, b in zip(pitches, pitches[1:])]
    f = []

    # interval histogram (signed, clipped), degree histograms
    f += _hist([max(-12, min(12, i)) for i in ivs], list(INTERVAL_RANGE))
    f += _hist(degs, list(range(12)))
    positions = strong_positions(mel['meter'], bar_ql)
    strong = []
    for bi, b in enumerate(bars):
        if b[1] < bar_ql - EPS:
            continue
        for pos in positions:
            mi = _sounding(bars, bi, pos)
            if mi is not None:
                strong.append((mi - tonic) % 12)
    f += _hist(strong, list(range(12)))
    f += _hist([degs[-1]], list(range(12)))

    # phrase and section ends: the cadence note, i.e. the last note that begins at or before
    # the last strong beat of the window's last bar. Notes after it lead into the next phrase,
    # however the tune writes them: collections often put a strain's lead-in in a bar of its
    # own after a short last bar (`e3 d2 || a|`), others (and tunec) inside the last bar
    # (`e3 d2a`); build_bars joins the split bars, so both read alike.
    last_strong = positions[-1]

    def window_notes(w):
        out = []
        for i in range(0, len(bars) - w + 1, w):
            ns = [n for b in bars[i:i + w] for n in b[2]]
            cut = bars[i + w - 1][0] + last_strong + EPS
            core = [n for n in ns if n[0] <= cut] or ns
            out.append(core)
        return out
    phrases = [ns for ns in window_notes(4) if ns]

    def last_note(ns):
        return ns[-1]
    f += _hist([(last_note(ns)[1] - tonic) % 12 for ns in phrases], list(range(12)))
    sections = [ns for ns in window_notes(8) if ns] or phrases
    sec_end = [(last_note(ns)[1] - tonic) % 12 for ns in sections]
    f += [sum(d == 0 for d in sec_end) / len(sec_end), sum(d == 7 for d in sec_end) / len(sec_end),
          sum(d in (3, 4) for d in sec_end) / len(sec_end)]
    f += [float(degs[0] == 0), float(degs[0] == 7), float(degs[0] in (3, 4))]

    # durations, rests, pickup, density
    def dbin(d):
        for i, (edge, _) in enumerate(DUR_EDGES):
            if d <= edge:
                return i
        return len(DUR_EDGES) - 1
    f += _hist([dbin(d) for d in durs], list(range(len(DUR_EDGES))))
    f += [statistics.fmean(durs), float(len({round(d, 3) for d in durs}))]
    total = mel['total_ql'] or 1.0
    f += [mel['rest_ql'] / total, 0.0]          # rests per bar filled below
    full = [b for b in bars if b[1] >= bar_ql - EPS]
    f += [float(mel['pickup_ql'] > 0), mel['pickup_ql'] / beat]
    npb = [len(b[2]) for b in full] or [0]
    f += [statistics.fmean(npb), statistics.pstdev(npb), statistics.fmean(npb) / (bar_ql / beat)]
    n_rests = 0
    # a stretch of a bar where no note sounds counts as a rest
    for b in bars:
        t = b[0]
        for o, _, q, _ in b[2]:
            if o > t + EPS:
                n_rests += 1
            t = max(t, o + q)
        if t < b[0] + b[1] - EPS:
            n_rests += 1
    f[FEATURE_NAMES.index('rests_per_bar')] = n_rests / len(bars)

    # bar rhythm repetition
    rhythms = [tuple((round(o - b[0], 4), round(q, 4)) for o, _, q, _ in b[2]) for b in full]
    seen, rep = set(), 0
    for r in rhythms:
        if r in seen:
            rep += 1
        seen.add(r)
    f += [rep / max(1, len(rhythms) - 1), len(seen) / max(1, len(rhythms))]
    keys = [_bar_key(b) for b in full]
    seen, rep = set(), 0
    for k in keys:
        if k in seen:
            rep += 1
        seen.add(k)
    f += [rep / max(1, len(keys) - 1)]

    # range and position
    lo, hi = min(pitches), max(pitches)
    rng = hi - lo
    f += [float(rng), statistics.pstdev(pitches),
          (pitches[0] - lo) / rng if rng else 0.5, (pitches[-1] - lo) / rng if rng else 0.5,
          (statistics.fmean(pitches) - lo) / rng if rng else 0.5]

    # contour
    n_iv = len(ivs)
    a = [abs(i) for i in ivs]
    f += [sum(i > 0 for i in ivs) / n_iv, sum(i < 0 for i in ivs) / n_iv,
          sum(i == 0 for i in ivs) / n_iv, sum(1 <= x <= 2 for x in a) / n_iv,
          sum(3 <= x <= 4 for x in a) / n_iv, sum(x >= 5 for x in a) / n_iv,
          statistics.fmean(a), float(max(a))]
    nz = [i for i in ivs if i]
    changes = sum((x > 0) != (y > 0) for x, y in zip(nz, nz[1:]))
    f += [changes / max(1, len(nz) - 1)]
    runs, cur = [], 1
    for x, y in zip(nz, nz[1:]):
        if (x > 0) == (y > 0):
            cur += 1
        else:
            runs.append(cur)
            cur = 1
    runs.append(cur)
    f += [statistics.fmean(runs) if nz else 0.0]
    leaps = [(x, y) for x, y in zip(ivs, ivs[1:]) if abs(x) >= 5]
    f += [sum(1 for x, y in leaps if y * x < 0) / len(leaps) if leaps else 0.0,
          sum(1 for x, y in leaps if 1 <= abs(y) <= 2) / len(leaps) if leaps else 0.0]
    pairs = list(zip(ivs, ivs[1:]))
    f += [sum(1 for x, y in pairs if 1 <= abs(x) <= 2 and 1 <= abs(y) <= 2 and x * y > 0)
          / max(1, len(pairs))]
    mr, cur = 1, 1
    for i in ivs:
        cur = cur + 1 if i == 0 else 1
        mr = max(mr, cur)
    f += [float(mr)]

    # phrases: peaks, peak position, long last note, span, start-end
    peaks, uniq, ppos, longlast, spans, se = [], [], [], [], [], []
    for wi, ns in enumerate(window_notes(4)):
        if len(ns) < 3:
            continue
        ps = [n[1] for n in ns]
        # local maxima with plateaus collapsed
        comp = [p for i, p in enumerate(ps) if i == 0 or p != ps[i - 1]]
        peaks.append(sum(1 for i in range(1, len(comp) - 1)
                         if comp[i] > comp[i - 1] and comp[i] > comp[i + 1]))
        mx = max(ps)
        uniq.append(float(ps.count(mx) == 1))
        length = sum(b[1] for b in bars[wi * 4:wi * 4 + 4]) or 1.0
        ppos.append((ns[ps.index(mx)][0] - bars[wi * 4][0]) / length)
        longlast.append(float(ns[-1][2] >= max(n[2] for n in ns[:-1]) - EPS))
        spans.append(float(mx - min(ps)))
        se.append(float(ns[-1][1] - ns[0][1]))
    f += [statistics.fmean(peaks) if peaks else 0.0, statistics.fmean(uniq) if uniq else 0.0,
          statistics.fmean(ppos) if ppos else 0.5, statistics.fmean(longlast) if longlast else 0.0,
          statistics.fmean(spans) if spans else 0.0, statistics.fmean(se) if se else 0.0]

    # metre: on-beat onsets, syncopation, downbeat durations
    onbeat = sync = 0
    db_durs = []
    nb = 0
    for b in bars:
        for o, _, q, _ in b[2]:
            rel = o - b[0]
            nb += 1
            k = rel / beat
            on = abs(k - round(k)) < EPS
            onbeat += on
            if not on:
                nxt = (math.floor(k + EPS) + 1) * beat
                if rel + q > nxt + EPS:
                    sync += 1
            if abs(rel) < EPS:
                db_durs.append(q / beat)
    f += [onbeat / max(1, nb), sync / max(1, nb),
          statistics.fmean(db_durs) if db_durs else 0.0, durs[-1], durs[-1] / max(durs)]
    tdur = sum(q for p, q in seq if (p - tonic) % 12 == 0)
    f += [tdur / sum(q for _, q in seq)]
    f += [_entropy([max(-12, min(12, i)) for i in ivs]), _entropy(degs)]

    # beat rhythms: the onset pattern inside each beat
    beat_pats = []
    for b in full:
        nbeats = int(round(bar_ql / beat))
        for k in range(nbeats):
            t0 = b[0] + k * beat
            pat = tuple(round((o - t0) / beat, 3) for o, _, q, _ in b[2]
                        if t0 - EPS <= o < t0 + beat - EPS)
            beat_pats.append(pat)
    if beat_pats:
        c = {}
        for p in beat_pats:
            c[p] = c.get(p, 0) + 1
        f += [len(c) / len(beat_pats), max(c.values()) / len(beat_pats)]
    else:
        f += [0.0, 0.0]
    f += [_entropy(list(zip(degs, degs[1:])))]
    downbeat_degs = []
    for bi, b in enumerate(full):
        if b[2] and abs(b[2][0][0] - b[0]) < EPS:
            downbeat_degs.append((b[2][0][1] - tonic) % 12)
    f += [sum(d == 0 for d in downbeat_degs) / len(downbeat_degs) if downbeat_degs else 0.0]
    f += [sum(d in (0, 7) for d in strong) / len(strong) if strong else 0.0]
    half = len(pitches) // 2
    f += [float(statistics.fmean(pitches[half:]) > statistics.fmean(pitches[:half]))]

    assert len(f) == len(FEATURE_NAMES), (len(f), len(FEATURE_NAMES))
    return f
