#!/usr/bin/env python
"""
Where do a dance tune's bars repeat exactly (pitches and rhythm)?  Training tunes against tunec.

For each tune, written-out repeats are collapsed as tools/features.py does (a block of 4 or
more bars that repeats the block before it is dropped), and the first 16 bars (two 8-bar
strains) are compared: how often bar j repeats some earlier bar, and the commonest pairs
(`1=5:0.73`: bar 5 is bar 1 in 73% of tunes). tunec's jigs, reels and hornpipes draw whole
patterns of this kind from models/form.tsv (tools/learn_styles.py); the chances in
src/compose/phrase.rs (`echo_chances`, for strains of other lengths) come from the training
side of this table.

Reads O'Neill's 1850 (a training collection, DESIGN §6) — 150 jigs, reels and hornpipes each,
a fixed sample — and tunec's one-word `jig`, `reel`, `hornpipe` for seeds 0..N-1.

Usage
-----
    cargo build --release --locked
    python3 tools/bar_repeats.py [--tunec target/release/tunec] [--seeds 60] [--kinds jig,reel]
"""
import argparse
import os
import random
import sys
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus as C  # noqa: E402
import classify as K  # noqa: E402
from features import _bar_key, collapse_repeats  # noqa: E402

KINDS = ('jig', 'reel', 'hornpipe')
BARS = 16


def bar_keys(job):
    """('real', item) or ('gen', style, seed, tunec) -> the collapsed bars' keys, or None."""
    mel = C.parse_generated(job[1:]) if job[0] == 'gen' else C.parse_melody(job[1])
    if not mel.get('ok') or mel.get('bars') is None or mel.get('overfull'):
        return None
    return [_bar_key(b) for b in collapse_repeats(mel['bars'])]


def report(name, tunes):
    tunes = [ks for ks in tunes if ks is not None and len(ks) >= BARS]
    n = len(tunes)
    if not n:
        print('== %s: no tune of %d bars' % (name, BARS))
        return
    pairs, repeated = {}, [0] * BARS
    for ks in tunes:
        for j in range(BARS):
            repeated[j] += ks[j] in ks[:j]
            for i in range(j):
                if ks[i] == ks[j]:
                    pairs[(i, j)] = pairs.get((i, j), 0) + 1
    print('== %s: %d tunes' % (name, n))
    print('  bar repeats an earlier bar: '
          + ' '.join('%d:%.2f' % (j + 1, repeated[j] / n) for j in range(BARS)))
    top = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:16]
    print('  commonest pairs: ' + ' '.join('%d=%d:%.2f' % (i + 1, j + 1, c / n)
                                           for (i, j), c in top))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--tunec', default=C.DEFAULT_TUNEC)
    ap.add_argument('--seeds', type=int, default=60)
    ap.add_argument('--kinds', default=','.join(KINDS))
    args = ap.parse_args()
    items = C.collection_items('oneills1850')
    with Pool(2) as pool:
        for kind in args.kinds.split(','):
            meter = '6/8' if kind == 'jig' else '4/4'
            cands = [it for it in items if K.header_ok('fiddle', kind, meter, it[2])]
            random.Random(kind).shuffle(cands)
            report('training ' + kind,
                   pool.map(bar_keys, [('real', it) for it in cands[:150]], chunksize=4))
            report('tunec ' + kind, pool.map(
                bar_keys, [('gen', kind, s, args.tunec) for s in range(args.seeds)], chunksize=4))


if __name__ == '__main__':
    main()
