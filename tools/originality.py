#!/usr/bin/env python
"""
How much of a training tune does a generated tune copy?  (DESIGN.md §6, "a generated tune
must be new")

What it measures
----------------
For each generated tune: the longest run of consecutive melody notes it shares with ANY
training tune, notes compared by pitch relative to the tonic plus duration. Per style it
prints p50, p95 and max over the seeds, and beside them the reference figure: the same
measure for every held-out Essen song (erk, fink, lux, zuccal) against the training tunes.
DESIGN §6's bar: p95 at most what held-out Essen songs share (about 17 notes), and no tune
above 25.

Training tunes (DESIGN §6): oneills1850, airdsAirs, miscFolk, Bach's chorales (soprano), Essen
altdeu, ballad, boehme, dva, kinder, lot, irl, folkHaydn, han; melody only (tools/corpus.py).

Note identity ("same run")
--------------------------
Two runs of n notes are the same when
  * their first notes have the same pitch class relative to the tune's tonic (K: field),
  * every following note moves by the same number of semitones (so the pitches relative
    to the tonic are equal up to whole octaves: the same melody in any octave matches, while
    an octave leap inside the run still differs from a repeated note), and
  * every note has the same written duration in quarter notes.
Rests are skipped (a run may span a rest), ties are merged, grace notes dropped, a chord
gives its top note; the notes are taken in notated order (repeats not expanded).
--pitch-only drops the durations (a looser test: the same tune in another rhythm matches).

Method: a rolling 64-bit hash of every n-gram, for n = 1, 2, 3 ...; at each n only the
positions whose (n-1)-gram matched on the other side are kept, so the work is about linear
in the notes (no pair-by-pair scan). Each tune's longest match is re-checked note by note.

MEASUREMENT ONLY (DESIGN.md §6): nothing in src/ reads this output.

Usage
-----
    cargo build --release --locked
    python3 tools/originality.py [--styles folk,jig,...] [--seeds 100] [--workers 2]
                                 [--tunec target/release/tunec] [--pitch-only]
                                 [--ryans] [--show 3]

--styles: comma-separated style words (default: all 13); each is run as a one-word program
`tunec FILE --seed N --emit abc` for seeds 0..N-1. --ryans also prints Ryan's Mammoth (held
out) against the training tunes. --show K lists the K longest matches with the training tune.

Runtime: the first run parses 8,512 training tunes and 3,666 held-out Essen songs (13
minutes on 2 cores shared with a compiler; 2-3 more with --ryans) and caches them in
/tmp/tunec-realism/*.pkl; later runs take about 3 minutes for 13 styles x 100 seeds, almost
all of it running tunec and parsing its ABC.
"""
import argparse
import os
import pickle
import sys
import time
import warnings
from multiprocessing import Pool

warnings.filterwarnings('ignore')
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import corpus as C  # noqa: E402

STYLES = ('folk', 'jig', 'reel', 'hornpipe', 'waltz', 'march', 'polka', 'lullaby', 'blues',
          'chorale', 'pop', 'ballad', 'shanty')
CACHE_VERSION = 2
MASK = (1 << 64) - 1


# ----------------------------------------------------------------------------
# Melodies as (id, tonic_pc, [(midi, ql)])
# ----------------------------------------------------------------------------
def slim(mel):
    if not mel.get('ok'):
        return None
    return (mel['id'], mel['tonic_pc'], [(mi, q) for _, mi, q in mel['notes']])


def _parse_item(item):
    return slim(C.parse_melody(item))


def _parse_gen(job):
    return slim(C.parse_generated(job))


def load_cached(name, collections, pool, log):
    """Parsed melodies of the given collections, cached in /tmp/tunec-realism/<name>.pkl."""
    import music21
    os.makedirs(C.TMP, exist_ok=True)
    path = os.path.join(C.TMP, '%s-v%d.pkl' % (name, CACHE_VERSION))
    stamp = (CACHE_VERSION, tuple(collections), music21.__version__)
    if os.path.exists(path):
        with open(path, 'rb') as fh:
            data = pickle.load(fh)
        if data.get('stamp') == stamp:
            return data['tunes'], data['failed']
    t0 = time.time()
    tunes, failed = [], 0
    for coll in collections:
        items = C.collection_items(coll)
        res = pool.map(_parse_item, items, chunksize=8)
        ok = [r for r in res if r is not None and len(r[2]) > 0]
        failed += len(res) - len(ok)
        tunes += ok
        log('  parsed %-18s %5d tunes, %d not parsed' % (coll, len(ok), len(res) - len(ok)))
    with open(path + '.tmp', 'wb') as fh:
        pickle.dump(dict(stamp=stamp, tunes=tunes, failed=failed), fh)
    os.replace(path + '.tmp', path)
    log('  %s: %d tunes in %.0f s, cached in %s' % (name, len(tunes), time.time() - t0, path))
    return tunes, failed


# ----------------------------------------------------------------------------
# Tokens and hashing
# ----------------------------------------------------------------------------
def _mix(x):
    """splitmix64 finaliser on a uint64 array (wrapping arithmetic)."""
    x = x.astype(np.uint64)
    with np.errstate(over='ignore'):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return x


def encode(tunes, pitch_only):
    """Concatenate tunes: per position the start token A (pitch class rel. tonic, duration),
    the continuation token B (semitones from the previous note, duration), the tune index and
    the end (exclusive) of its tune."""
    A, B, T, E = [], [], [], []
    pos = 0
    for ti, (_, tonic, notes) in enumerate(tunes):
        n = len(notes)
        prev = None
        for mi, q in notes:
            d = 0 if pitch_only else int(round(q * 48))
            A.append(((mi - tonic) % 12) * 1000003 + d)
            B.append(((mi - prev + 512) if prev is not None else 0) * 1000003 + d + (1 << 40))
            prev = mi
            T.append(ti)
        E += [pos + n] * n
        pos += n
    A = np.array(A, dtype=np.int64)
    B = np.array(B, dtype=np.int64)
    return A, B, np.array(T, dtype=np.int64), np.array(E, dtype=np.int64)


PRIME = np.uint64(0x100000001B3)


def longest_shared(query, train, pitch_only=False):
    """For each query tune: (length, query position, training position) of its longest run of
    notes shared with any training tune (0 if none)."""
    qA, qB, qT, qE = encode(query, pitch_only)
    tA, tB, tT, tE = encode(train, pitch_only)
    hqA, hqB, htA, htB = _mix(qA), _mix(qB), _mix(tA), _mix(tB)
    best = [(0, -1, -1)] * len(query)
    qpos = np.arange(len(qA))
    tpos = np.arange(len(tA))
    gq, gt = hqA.copy(), htA.copy()
    n = 1
    while len(qpos):
        keep_q = np.isin(gq, gt)
        qpos, gq = qpos[keep_q], gq[keep_q]
        if not len(qpos):
            break
        keep_t = np.isin(gt, gq)
        tpos, gt = tpos[keep_t], gt[keep_t]
        order = np.argsort(gt, kind='stable')
        idx = np.searchsorted(gt[order], gq)
        match_t = tpos[order[idx]]
        for qp, tp in zip(qpos.tolist(), match_t.tolist()):
            best[qT[qp]] = (n, qp, tp)
        # extend to n + 1 where both tunes go on
        okq = qpos + n < qE[qpos]
        qpos, gq = qpos[okq], gq[okq]
        okt = tpos + n < tE[tpos]
        tpos, gt = tpos[okt], gt[okt]
        with np.errstate(over='ignore'):
            gq = gq * PRIME + hqB[qpos + n]
            gt = gt * PRIME + htB[tpos + n]
        n += 1
    # re-check every best match note by note (a hash collision would show here)
    out = []
    for ln, qp, tp in best:
        if ln:
            same = qA[qp] == tA[tp] and all(qB[qp + k] == tB[tp + k] for k in range(1, ln))
            if not same:
                ln = -ln                         # flagged; never seen in practice
        out.append((ln, qp, tp, int(tT[tp]) if ln else -1))
    return out


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float('nan')
    return float(np.percentile(xs, p, method='linear'))


def summary_row(label, lens):
    return '%-22s %5d %6.1f %6.1f %5d %7.1f' % (label, len(lens), pct(lens, 50), pct(lens, 95),
                                                max(lens) if lens else 0,
                                                100.0 * sum(1 for x in lens if x > 25)
                                                / max(1, len(lens)))


def main():
    ap = argparse.ArgumentParser(description='Longest run shared with a training tune.')
    ap.add_argument('--styles', default=','.join(STYLES))
    ap.add_argument('--seeds', type=int, default=100, help='seeds 0..N-1 per style (default 100)')
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--tunec', default=C.DEFAULT_TUNEC)
    ap.add_argument('--pitch-only', action='store_true',
                    help='compare pitches only (durations ignored)')
    ap.add_argument('--ryans', action='store_true',
                    help="also measure Ryan's Mammoth (held out) against the training tunes")
    ap.add_argument('--show', type=int, default=3, help='list the K longest matches per style')
    args = ap.parse_args()
    args.workers = max(1, min(2, args.workers))
    styles = [s for s in args.styles.split(',') if s]
    if not os.path.exists(args.tunec):
        raise SystemExit('no tunec binary at %s (cargo build --release --locked)' % args.tunec)
    t0 = time.time()
    print('tunec originality — commit %s, %s, %d seeds per style, notes = %s'
          % (C.repo_commit(), time.strftime('%Y-%m-%d'), args.seeds,
             'pitch rel. tonic' if args.pitch_only else 'pitch rel. tonic + duration'))

    def log(msg):
        print(msg, flush=True)
    with Pool(args.workers) as pool:
        train, tfail = load_cached('training', C.TRAINING, pool, log)
        essen, efail = load_cached('heldout-essen',
                                   tuple('essen:' + e for e in C.ESSEN_HELD_OUT), pool, log)
        ryans = load_cached('heldout-ryans', ('ryansMammoth',), pool, log) if args.ryans \
            else None
        jobs = [(s, seed, args.tunec) for s in styles for seed in range(args.seeds)]
        gen = pool.map(_parse_gen, jobs, chunksize=4)
    print('training tunes: %d (%d notes); %d could not be parsed'
          % (len(train), sum(len(t[2]) for t in train), tfail))
    gen_fail = [j for j, g in zip(jobs, gen) if g is None]
    gen_ok = [(j, g) for j, g in zip(jobs, gen) if g is not None]
    res = longest_shared([g for _, g in gen_ok], train, args.pitch_only)
    ref = longest_shared(essen, train, args.pitch_only)
    print('\n%-22s %5s %6s %6s %5s %7s' % ('longest shared run', 'tunes', 'p50', 'p95', 'max',
                                            '% > 25'))
    print(summary_row('held-out Essen (ref.)', [r[0] for r in ref]))
    if ryans is not None:
        rr = longest_shared(ryans[0], train, args.pitch_only)
        print(summary_row("Ryan's Mammoth", [r[0] for r in rr]))
    by_style = {}
    for (job, g), r in zip(gen_ok, res):
        by_style.setdefault(job[0], []).append((r, job[1]))
    allg = []
    for s in styles:
        lens = [r[0] for r, _ in by_style.get(s, [])]
        allg += lens
        print(summary_row(s, lens))
    print(summary_row('all styles', allg))
    if gen_fail:
        print('not parsed: %d generated tunes (%s)' % (len(gen_fail), ', '.join(
            '%s#%d' % j[:2] for j in gen_fail[:10])))
    if any(r[0] < 0 for r in res + ref):
        print('WARNING: a hash match did not hold note by note (negative lengths above)')
    if args.show:
        print('\nlongest matches (style seed: notes, training tune):')
        for s in styles:
            top = sorted(by_style.get(s, []), key=lambda x: (-x[0][0], x[1]))[:args.show]
            print('  %-9s ' % s + '; '.join('seed %d: %d, %s' % (seed, r[0], train[r[3]][0])
                                             for r, seed in top if r[0] > 0))
        top = sorted(zip(ref, essen), key=lambda x: -x[0][0])[:args.show]
        print('  %-9s ' % 'Essen' + '; '.join('%s: %d, %s' % (e[0], r[0], train[r[3]][0])
                                               for r, e in top))
    print('\ntotal %.0f s' % (time.time() - t0))


if __name__ == '__main__':
    main()
