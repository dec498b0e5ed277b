#!/usr/bin/env python
"""
Reference melodic statistics from real folk tunes (music21 bundled corpus).

Collections
-----------
* Essen folksong collection  (music21 corpus, 'essenFolksong/*.abc', many tunes per file)
* Ryan's Mammoth Collection  (music21 corpus, 'ryansMammoth/*.abc', one tune per file)

These are reference figures to measure tunec against, printed beside its own in
docs/style-statistics.md. Ryan's Mammoth and the Essen parts erk, fink, lux and zuccal are held
out (DESIGN §6): measure against them, never learn from or fit to them. Nothing in src/ reads
this script's output, and no table tunec composes with may be derived from it.

Usage:  python reference_stats.py [--max N] [--workers K]
    --max N      use at most N tunes per collection (deterministic random sample, seed 0);
                 default 0 = all tunes.
    --workers K  parallel worker processes (default: number of CPUs).

Prints a table and writes reference_stats.json next to this script.

Implementation notes (see also the CAVEATS printed at the end)
-------------------------------------------------------------
* ABC files are split into single tunes at 'X:' lines and each tune is parsed
  with converter.parse(text, format='abc').  A '%abc-2.1' line is prepended so
  that music21 applies the standard ABC rule "an accidental carries to the end
  of the bar" (without it music21 treats files as ABC 1.3 and does NOT carry
  accidentals, which gives wrong pitches in e.g. '_B2B2').
* Essen files test0/test1/testd/teste duplicate songs found in the other files
  and are skipped.
* Melody = first part; stripTies() first; notes with zero duration (grace
  notes) and chord symbols are ignored; a chord contributes its top pitch.
* Bars: Measures of the notated (unexpanded) score.  Measures shorter than the
  current time signature's bar are "partial": a leading partial measure is the
  pickup and is dropped; later consecutive partial measures (bars split by a
  repeat sign or, in Essen, by a phrase line-break) are merged until they fill
  one bar; a partial that cannot be completed (a full measure follows, or the next
  partial would overfill it) is kept as a short bar of its own ("orphan", e.g.
  the last bar of a section followed by a section without pickup).  A trailing
  partial measure is kept as the last bar.  Short bars count as one bar slot;
  window lengths use actual bar durations.
* Tunes containing an OVERFULL measure (longer than the time signature allows:
  irregular / unmetered encodings, meter changes not written in the ABC) are
  skipped because their bar grid is unreliable.
* Tunes without a time signature (Essen 'M: none') are skipped.
"""
import argparse
import json
import os
import random
import re
import statistics
import sys
import time
import warnings
from multiprocessing import Pool

warnings.filterwarnings('ignore')

from music21 import (converter, corpus, harmony, chord, meter, key, environment,  # noqa: E402
                     spanner, stream)

EPS = 1e-6
HERE = os.path.dirname(os.path.abspath(__file__))
ESSEN_SKIP = {'test0.abc', 'test1.abc', 'testd.abc', 'teste.abc'}


# ----------------------------------------------------------------------------
# Loading tunes as ABC text
# ----------------------------------------------------------------------------
def split_abc(path):
    """Split an ABC file into single-tune texts (file header prepended)."""
    with open(path, encoding='latin-1') as fh:
        text = fh.read()
    parts = re.split(r'(?m)^(?=X:)', text)
    header = parts[0] if parts and not parts[0].startswith('X:') else ''
    tunes = [p for p in parts if p.startswith('X:')]
    return ['%abc-2.1\n' + header + t for t in tunes]


def collection_tunes(name):
    paths = sorted(str(p) for p in corpus.getPaths() if name in str(p)
                   and str(p).endswith('.abc'))
    out = []
    for p in paths:
        if name == 'essenFolksong' and os.path.basename(p) in ESSEN_SKIP:
            continue
        for i, t in enumerate(split_abc(p)):
            out.append((os.path.basename(p), i, t))
    return out


# ----------------------------------------------------------------------------
# Melody extraction
# ----------------------------------------------------------------------------
def melody_events(container):
    """(offset, midi, diatonicNoteNum, quarterLength) for melody notes in a
    measure (offsets relative to the measure); chords -> top pitch."""
    ev = []
    for n in container.flatten().notes:
        if isinstance(n, harmony.Harmony):      # chord symbols, not melody
            continue
        ql = float(n.quarterLength)
        if ql <= 0:                             # grace notes
            continue
        if isinstance(n, chord.Chord):
            p = max(n.pitches, key=lambda x: x.ps)
        else:
            p = n.pitch
        ev.append((float(n.offset), int(round(p.ps)), p.diatonicNoteNum, ql))
    ev.sort()
    return ev


def upbeat_flags(m, ev):
    """Flag notes that are an upbeat to the NEXT phrase inside this measure:
    notes after the last rest of the measure, provided some note precedes that
    rest (e.g. Essen 'd4z2 | d2' joined into one measure 'd4 z2 d2')."""
    rests = [float(r.offset) for r in m.flatten().getElementsByClass('Rest')]
    flags = [False] * len(ev)
    if rests and ev:
        last_rest = max(rests)
        if any(o < last_rest for o, *_ in ev):
            flags = [o > last_rest for o, *_ in ev]
    return flags


def first_endings(part):
    """ids of the measures of every ending another ending follows (`|1 ... :|2 ...`): repeats
    are not expanded, so of a strain's alternative endings only the last is kept, as a tune
    written without them has one last bar (the lead-in back to the repeat left to the player).
    Counting both made a tune with endings one bar longer than the same music without."""
    brackets = list(part.recurse().getElementsByClass(spanner.RepeatBracket))
    spans = [[m for m in b.getSpannedElements() if isinstance(m, stream.Measure)]
             for b in brackets]
    spans = sorted((ms for ms in spans if ms), key=lambda ms: ms[0].number or 0)
    out = set()
    for ending, after in zip(spans, spans[1:]):
        if (ending[-1].number or 0) + 1 == (after[0].number or 0):
            out.update(id(m) for m in ending)
    return out


def build_bars(part):
    """Return (bars, info). Each bar = dict(start, length,
    notes[(abs_off, midi, dnn, ql, upbeat)]).  bars[0] is bar 1 (pickup removed);
    abs_off counts from the start of bar 1.  upbeat=True marks notes that begin
    the next phrase/section inside the bar slot (used only by the
    long_phrase_end_ex_upbeat variant)."""
    replaced = first_endings(part)
    measures = [m for m in part.getElementsByClass('Measure') if id(m) not in replaced]
    ts = None
    bars = []
    pending = None          # partial bar being assembled
    pos = 0.0               # running start offset of the next bar (bar 1 = 0)

    def flush(p):
        """Emit an assembled (possibly incomplete) bar; its length is the actual
        filled duration; returns the start offset of the following bar."""
        bars.append(dict(start=p['start'], length=p['fill'], notes=p['notes']))
        return p['start'] + p['fill']
    info = dict(pickup=False, orphans=0, overfull=0, merged=0)
    for idx, m in enumerate(measures):
        if m.timeSignature is not None:
            ts = m.timeSignature
        if ts is None:
            tss = list(m.recurse().getElementsByClass(meter.TimeSignature))
            if tss:
                ts = tss[0]
        if ts is None:
            return None, None
        bar_len = float(ts.barDuration.quarterLength)
        ev = melody_events(m)
        ub = upbeat_flags(m, ev)
        dur = float(m.duration.quarterLength)
        if ev:
            dur = max(dur, max(o + q for o, _, _, q in ev))
        dur = max(dur, float(m.highestTime))
        if idx == 0 and dur < bar_len - EPS:
            info['pickup'] = True           # anacrusis: drop
            continue
        if dur >= bar_len - EPS:            # full (or overfull) measure
            if pending is not None:         # incomplete partial (e.g. section-final
                pos = flush(pending)        # bar before a section without pickup)
                info['orphans'] += 1
                pending = None
            if dur > bar_len + EPS:
                info['overfull'] += 1
            bars.append(dict(start=pos, length=bar_len,
                             notes=[(pos + o, mi, dn, q, u) for (o, mi, dn, q), u in zip(ev, ub)]))
            pos += bar_len
        else:                               # partial measure: merge with neighbours
            if pending is not None and pending['fill'] + dur > bar_len + EPS:
                pos = flush(pending)        # would overfill: close the pending one
                info['orphans'] += 1
                pending = None
            if pending is None:
                pending = dict(start=pos, length=bar_len, fill=0.0, notes=[])
            # a partial measure appended to one that already has notes is the
            # pickup of the next section (e.g. 'G3 G2 :| |: d | g2g ...'): upbeat
            sect_pickup = bool(pending['notes'])
            pending['notes'] += [(pos + pending['fill'] + o, mi, dn, q, u or sect_pickup)
                                 for (o, mi, dn, q), u in zip(ev, ub)]
            pending['fill'] += dur
            if pending['fill'] >= bar_len - EPS:
                info['merged'] += 1
                pos = flush(pending)
                pending = None
    if pending is not None:                 # trailing partial: keep as last bar
        flush(pending)
    return bars, info


# ----------------------------------------------------------------------------
# Per-tune metrics
# ----------------------------------------------------------------------------
def windows(bars, w):
    """Consecutive complete w-bar windows aligned to bar 1."""
    out = []
    for i in range(0, len(bars) - w + 1, w):
        grp = bars[i:i + w]
        notes = [n for b in grp for n in b['notes']]
        out.append(dict(start=grp[0]['start'],
                        length=sum(b['length'] for b in grp), notes=notes))
    return out


def unique_peak(win):
    mx = max(n[1] for n in win['notes'])
    peaks = [n for n in win['notes'] if n[1] == mx]
    return len(peaks) == 1, peaks[0]


def diatonic_intervals(degs):
    return [b - a for a, b in zip(degs, degs[1:])]


def analyse_tune(item):
    fname, idx, text = item
    try:
        s = converter.parse(text, format='abc')
    except Exception as e:                       # noqa: BLE001
        return dict(ok=False, reason='parse: %s' % type(e).__name__)
    try:
        parts = list(s.parts) if hasattr(s, 'parts') and len(s.parts) else [s]
        part = parts[0].stripTies()
        # key -> tonic, so that degree index = octave*7 + degree relative to tonic
        ks = list(part.recurse().getElementsByClass(key.KeySignature))
        if ks:
            k = ks[0] if isinstance(ks[0], key.Key) else ks[0].asKey()
        else:
            k = part.analyze('key')
        tonic_dnn = k.tonic.diatonicNoteNum
        bars, info = build_bars(part)
    except Exception as e:                       # noqa: BLE001
        return dict(ok=False, reason='process: %s' % type(e).__name__)
    if bars is None:
        return dict(ok=False, reason='no time signature')
    if info['overfull']:
        return dict(ok=False, reason='overfull measure (irregular bar grid)')
    if len(bars) < 2:
        return dict(ok=False, reason='fewer than 2 bars')

    r = dict(ok=True, file=fname, idx=idx, nbars=len(bars), **info)

    # ---- 9. interval shares over all melody notes (incl. pickup) ----------
    seq = [e[1] for e in melody_events(part)]     # whole tune, incl. pickup
    iv = [abs(b - a) for a, b in zip(seq, seq[1:])]
    if iv:
        n = len(iv)
        r['int_repeat'] = sum(1 for x in iv if x == 0) / n
        r['int_step'] = sum(1 for x in iv if 1 <= x <= 2) / n
        r['int_skip'] = sum(1 for x in iv if 3 <= x <= 4) / n
        r['int_leap'] = sum(1 for x in iv if x >= 5) / n

    # ---- 1-3, 8. window metrics -------------------------------------------
    for w in (2, 4):
        ws = [x for x in windows(bars, w) if x['notes']]
        if not ws:
            continue
        uniq = [unique_peak(x) for x in ws]
        r['n_win%d' % w] = len(ws)
        r['n_uniq%d' % w] = sum(u for u, _ in uniq)
        r['unique_peak_%d' % w] = r['n_uniq%d' % w] / len(ws)
        if w == 4:
            pos = [(p[0] - x['start']) / x['length'] for x, (u, p) in zip(ws, uniq) if u]
            pos = [min(max(v, 0.0), 0.999999) for v in pos]
            r['peak_positions'] = pos
            if pos:
                r['peak_position_4'] = sum(pos) / len(pos)
            # 8. last note at least as long as the longest other note of the window
            #    (literal), and a variant ignoring upbeat notes of the next phrase
            for tag, drop_upbeat in (('', False), ('_ex_upbeat', True)):
                lpe = []
                for x in ws:
                    ns = sorted(n for n in x['notes'] if not (drop_upbeat and n[4]))
                    if len(ns) < 2:
                        continue
                    last, others = ns[-1], ns[:-1]
                    lpe.append(last[3] >= max(o[3] for o in others) - EPS)
                if lpe:
                    r['n_lpe' + tag] = len(lpe)
                    r['n_lpe_true' + tag] = sum(lpe)
                    r['long_phrase_end' + tag] = sum(lpe) / len(lpe)

    # ---- 4-7. motif relations of bar 1 within the first 8 bars ------------
    b1 = bars[0]['notes']
    if b1:
        m1 = [n[1] for n in b1]
        d1 = [n[2] - tonic_dnn for n in b1]
        i1 = diatonic_intervals(d1)
        transp = inv = rep = False
        bar2_seq = False
        for k in range(1, min(8, len(bars))):
            bk = bars[k]['notes']
            if len(bk) != len(b1):
                continue
            mk = [n[1] for n in bk]
            dk = [n[2] - tonic_dnn for n in bk]
            ik = diatonic_intervals(dk)
            if mk == m1:
                rep = True
                continue                     # identical bar: not a transposition
            if len(b1) >= 2 and ik == i1 and dk[0] != d1[0]:
                transp = True
                if k == 1:
                    bar2_seq = True
            if len(b1) >= 2 and any(i1) and ik == [-x for x in i1]:
                inv = True
        r['motif_repeated'] = float(rep)
        r['motif_transposed'] = float(transp)
        r['motif_inverted'] = float(inv)
        r['bar2_sequence'] = float(bar2_seq)
        r['bar1_notes'] = len(b1)
    return r


# ----------------------------------------------------------------------------
# Aggregation
# ----------------------------------------------------------------------------
METRICS = ['unique_peak_4', 'unique_peak_2', 'peak_position_4', 'motif_transposed',
           'motif_inverted', 'motif_repeated', 'bar2_sequence', 'long_phrase_end',
           'long_phrase_end_ex_upbeat',
           'int_repeat', 'int_step', 'int_skip', 'int_leap']


def summarise(results):
    ok = [r for r in results if r['ok']]
    summ = dict(tunes_total=len(results), tunes_used=len(ok),
                skipped={}, metrics={})
    for r in results:
        if not r['ok']:
            summ['skipped'][r['reason']] = summ['skipped'].get(r['reason'], 0) + 1
    for m in METRICS:
        vals = [r[m] for r in ok if m in r]
        if vals:
            summ['metrics'][m] = dict(n=len(vals), median=statistics.median(vals),
                                      mean=statistics.fmean(vals))
    # pooled (over windows rather than over tunes)
    pooled = {}
    for w in (2, 4):
        nw = sum(r.get('n_win%d' % w, 0) for r in ok)
        nu = sum(r.get('n_uniq%d' % w, 0) for r in ok)
        pooled['unique_peak_%d' % w] = nu / nw if nw else None
        pooled['windows_%d' % w] = nw
    for tag in ('', '_ex_upbeat'):
        nl = sum(r.get('n_lpe' + tag, 0) for r in ok)
        pooled['long_phrase_end' + tag] = (sum(r.get('n_lpe_true' + tag, 0) for r in ok) / nl
                                           if nl else None)
    allpos = [p for r in ok for p in r.get('peak_positions', [])]
    bins = [0] * 5
    for p in allpos:
        bins[min(int(p * 5), 4)] += 1
    pooled['peak_position_4_mean'] = statistics.fmean(allpos) if allpos else None
    pooled['peak_position_bins'] = {
        '%.1f-%.1f' % (i / 5, (i + 1) / 5): (bins[i] / len(allpos) if allpos else None)
        for i in range(5)}
    pooled['peak_position_n'] = len(allpos)
    summ['pooled'] = pooled
    summ['structure'] = dict(
        with_pickup=sum(r['pickup'] for r in ok),
        with_orphan_partials=sum(1 for r in ok if r['orphans']),
        with_overfull_measures=sum(1 for r in ok if r['overfull']),
        with_merged_partials=sum(1 for r in ok if r['merged']),
        median_bars=statistics.median(r['nbars'] for r in ok) if ok else None,
        bar1_single_note=sum(1 for r in ok if r.get('bar1_notes') == 1))
    return summ


def print_table(all_summ):
    names = list(all_summ)
    print()
    print('%-26s' % 'metric' + ''.join('%24s' % n for n in names))
    print('%-26s' % '' + ''.join('%12s%12s' % ('median', 'mean') for _ in names))
    print('-' * (26 + 24 * len(names)))
    print('%-26s' % 'tunes used' + ''.join('%24s' % ('%d / %d' % (
        all_summ[n]['tunes_used'], all_summ[n]['tunes_total'])) for n in names))
    for m in METRICS:
        row = '%-26s' % m
        for n in names:
            d = all_summ[n]['metrics'].get(m)
            row += ('%12.3f%12.3f' % (d['median'], d['mean'])) if d else '%24s' % '-'
        print(row)
    print('-' * (26 + 24 * len(names)))
    print('pooled over windows:')
    for k in ('unique_peak_4', 'unique_peak_2', 'long_phrase_end', 'long_phrase_end_ex_upbeat',
              'peak_position_4_mean',
              'windows_4', 'peak_position_n'):
        row = '  %-24s' % k
        for n in names:
            v = all_summ[n]['pooled'][k]
            row += '%24s' % (('%.3f' % v) if isinstance(v, float) else str(v))
        print(row)
    print('peak position bins (4-bar windows with unique peak, pooled):')
    for b in all_summ[names[0]]['pooled']['peak_position_bins']:
        print('  %-24s' % b + ''.join('%24.3f' % all_summ[n]['pooled']['peak_position_bins'][b]
                                      for n in names))
    print('structure:')
    for k in all_summ[names[0]]['structure']:
        print('  %-24s' % k + ''.join('%24s' % all_summ[n]['structure'][k] for n in names))
    print('skipped:')
    for n in names:
        print('  %s: %s' % (n, all_summ[n]['skipped']))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--max', type=int, default=0)
    ap.add_argument('--workers', type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    t0 = time.time()
    all_summ = {}
    for name in ('essenFolksong', 'ryansMammoth'):
        t1 = time.time()
        tunes = collection_tunes(name)
        if args.max and len(tunes) > args.max:
            tunes = sorted(random.Random(0).sample(tunes, args.max), key=lambda x: x[:2])
        with Pool(args.workers) as pool:
            results = pool.map(analyse_tune, tunes, chunksize=20)
        summ = summarise(results)
        summ['seconds'] = round(time.time() - t1, 1)
        all_summ[name] = summ
        print('%s: %d tunes analysed, %d used, %.0fs' % (
            name, len(tunes), summ['tunes_used'], summ['seconds']), flush=True)
    print_table(all_summ)
    print('\ntotal time %.0fs' % (time.time() - t0))
    out = os.path.join(HERE, 'reference_stats.json')
    with open(out, 'w') as fh:
        json.dump(dict(collections=all_summ, total_seconds=round(time.time() - t0, 1),
                       args=vars(args)), fh, indent=1)
    print('wrote', out)


if __name__ == '__main__':
    main()
