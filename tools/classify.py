#!/usr/bin/env python
"""
Can a classifier tell tunec's tunes from real ones?  (DESIGN.md §5 "Musical", §6)

What it measures
----------------
The 5-fold stratified cross-validated accuracy of two classifiers trained to tell tunec's
melodies from real held-out melodies of the same kind, over the ~140 per-tune melodic features
of tools/features.py (interval, degree, strong-beat, phrase-end and duration histograms,
rests, pickup, notes per bar, bar-rhythm repetition, range, contour, peaks ...):

  * logistic regression on standardised features (C=1),
  * gradient boosting (sklearn GradientBoostingClassifier, 100 trees, random_state=0).

0.5 = indistinguishable, 1.0 = always told apart. Two comparisons, balanced classes:

  songs   tunec `folk` (4/4), `waltz` and `lullaby` (3/4), melody part, against held-out Essen
          songs (erk, fink, lux, zuccal) of the same metre;
  fiddle  tunec `jig`, `reel`, `hornpipe` against Ryan's Mammoth tunes whose R: field is that
          kind (case-insensitive; "double jig" counts as a jig; jigs in 6/8 only, reels and
          hornpipes in 2/4 — renotated as 4/4 —, C|, 2/2 or 4/4).

Under the main figure, the same averaged over three fold splits and both halves of the real
sample (which holds twice the tunec tunes): one split moves by a few points, so a change
smaller than that row's spread is not a change. Controls printed beside each: real vs real (held-out tunes split into two random halves:
should be about 0.5) and a seeded random walk over a major scale with random durations
against the same real tunes (should be about 1.0), and training vs held-out: tunes of the
same kind and metre from the training collections the models learned from (O'Neill's 1850;
Essen's training groups without han) against the held-out ones — how far apart the two sets of
real tunes lie, a floor for any model fitted to the training tunes. Then the features that separate tunec
from the real tunes most (Cohen's d, with both means and the logistic coefficient): the
list of what to fix.

MEASUREMENT ONLY (DESIGN.md §6): held-out collections (and, for the control, training ones)
are read; nothing in src/ reads
this output and no composing table may be fitted to it.

Usage
-----
    cargo build --release --locked
    python3 tools/classify.py [--seeds 200] [--workers 2] [--tunec target/release/tunec]
                              [--only songs|fiddle] [--sample-seed 0] [--json FILE]
                              [--drop has_pickup,pickup_beats,rest*]

--seeds N: tunec tunes per comparison, spread evenly over its three styles (style i gets
seeds 0..N/3-1); the same number of real tunes is drawn (deterministic sample, --sample-seed),
per style and metre. Same inputs -> same output. tunec is run as `tunec FILE --seed N --emit
abc` on a one-word program in /tmp/tunec-realism/; nothing is cached. --drop leaves features
out (names, or prefixes ending in '*'): how well can the classifier still tell once the
named differences are fixed?

Runtime: about 3 minutes with the defaults on 2 cores (music21 parsing dominates).
"""
import argparse
import json
import os
import random
import sys
import time
import warnings
from multiprocessing import Pool

warnings.filterwarnings('ignore')
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import corpus as C  # noqa: E402
from features import FEATURE_NAMES, features  # noqa: E402

COMPARISONS = {
    'songs': dict(styles=('folk', 'waltz', 'lullaby'),
                  real=tuple('essen:' + e for e in C.ESSEN_HELD_OUT),
                  training=tuple('essen:' + e for e in C.ESSEN_TRAINING if e != 'han'),
                  title='tunec folk/waltz/lullaby vs held-out Essen (erk, fink, lux, zuccal), '
                        'same metre'),
    'fiddle': dict(styles=('jig', 'reel', 'hornpipe'), real=('ryansMammoth',),
                   training=('oneills1850',),
                   title="tunec jig/reel/hornpipe vs Ryan's Mammoth tunes of the same kind"),
}
FIDDLE_METERS = {'jig': {'6/8'}, 'reel': {'4/4', '2/2'}, 'hornpipe': {'4/4', '2/2'}}


def norm_meter(m):
    m = m.replace(' ', '')
    return {'C': '4/4', 'C|': '2/2'}.get(m, m)


def header_ok(comp, style, meter, text):
    """Cheap pre-filter on the ABC header before parsing (the parsed metre is checked again)."""
    m = norm_meter(C.abc_field(text, 'M'))
    if comp == 'songs':
        return m == meter
    kind = C.abc_field(text, 'R').lower().strip()
    if style == 'jig':
        return kind in ('jig', 'double jig') and m == '6/8'
    return kind == style and m in ('2/4', '4/4', '2/2')


def parsed_ok(comp, style, meter, mel):
    if comp == 'songs':
        return mel['meter'] == meter
    return mel['meter'] in FIDDLE_METERS[style]


# ----------------------------------------------------------------------------
# Random-walk baseline
# ----------------------------------------------------------------------------
SCALE = ['C', 'D', 'E', 'F', 'G', 'A', 'B']


def abc_pitch(idx):
    """Scale index (0 = C4) -> ABC note name in K:C."""
    octave, step = divmod(idx, 7)
    name = SCALE[step]
    if octave <= 0:
        return name + ',' * (-octave)
    return name.lower() + "'" * (octave - 1)


def random_walk_abc(seed, meter, bars=16):
    rng = random.Random(seed)
    num, den = (int(x) for x in meter.split('/'))
    bar16 = num * 16 // den
    pos = rng.randint(0, 7)
    out = []
    for _ in range(bars):
        left, bar = bar16, []
        while left:
            d = rng.choice([x for x in (1, 2, 3, 4, 6, 8) if x <= left])
            pos = max(-5, min(12, pos + rng.randint(-4, 4)))
            bar.append('%s%d' % (abc_pitch(pos), d))
            left -= d
        out.append(' '.join(bar))
    return ('X:1\nT:random walk %d\nM:%s\nL:1/16\nK:C\n' % (seed, meter)
            + ' |\n'.join(' | '.join(out[i:i + 4]) for i in range(0, bars, 4)) + ' |]\n')


# ----------------------------------------------------------------------------
# Workers
# ----------------------------------------------------------------------------
def work(job):
    """job -> (id, meter, feature vector or None, reason)."""
    kind = job[0]
    if kind == 'gen':
        mel = C.parse_generated(job[1:])
    elif kind == 'real':
        mel = C.parse_melody(job[1])
    else:                                   # ('walk', id, text)
        mel = C.parse_melody(('random-walk', job[1], job[2]))
    if not mel.get('ok'):
        return mel['id'], None, None, mel.get('reason')
    v = features(mel)
    reason = None
    if v is None:
        reason = ('overfull measure' if mel.get('overfull') else
                  'no time signature' if mel.get('bars') is None else 'too short')
    return mel['id'], mel['meter'], v, reason


def spread(n, k):
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def collect(pool, comp, cfg, args, log):
    """Returns dict(style -> dict(gen=[vec], real=[vec] (2n), walk=[vec], meter))."""
    out = {}
    failures = {}
    counts = spread(args.seeds, len(cfg['styles']))
    jobs = [('gen', s, seed, args.tunec) for s, n in zip(cfg['styles'], counts)
            for seed in range(n)]
    res = pool.map(work, jobs, chunksize=4)
    for (_, s, seed, _), (tid, meter, v, why) in zip(jobs, res):
        g = out.setdefault(s, dict(gen=[], real=[], walk=[], meters=set(), real_ids=[]))
        if v is None:
            failures['tunec ' + (why or '?')] = failures.get('tunec ' + (why or '?'), 0) + 1
            continue
        g['gen'].append(v)
        g['meters'].add(meter)
    items = [it for name in cfg['real'] for it in C.collection_items(name)]
    training = [it for name in cfg['training'] for it in C.collection_items(name)]
    for si, s in enumerate(cfg['styles']):
        g = out[s]
        if len(g['meters']) != 1:
            raise SystemExit('%s: tunec wrote several metres %s' % (s, g['meters']))
        meter = next(iter(g['meters']))
        g['meter'] = meter
        need = 2 * len(g['gen'])
        g['real'], g['real_ids'], g['real_pool_size'] = sample(
            pool, comp, s, meter, items, need, '%d/%s/%s' % (args.sample_seed, comp, s),
            failures, 'real ')
        # The training tunes the models learned from, of the same kind: how far the training
        # collections themselves lie from the held-out ones (a floor no model fitted to the
        # training tunes can go below). Measuring only; nothing is learned here.
        g['training'], _, _ = sample(
            pool, comp, s, meter, training, len(g['gen']),
            'training/%d/%s/%s' % (args.sample_seed, comp, s), failures, 'training ')
        if len(g['real']) < need:
                    g['real'].append(v)
                    g['real_ids'].append(tid)
        if len(g['real']) < need:
            log('  %s: only %d real tunes for %d wanted; the tunec side is cut to match'
                % (s, len(g['real']), need))
            half = len(g['real']) // 2
            g['gen'] = g['gen'][:half]
            g['real'] = g['real'][:2 * half]
        walks = [('walk', 'walk-%s-%d' % (s, i),
                  random_walk_abc(1000003 * (si + 1) + i + args.sample_seed, meter))
                 for i in range(len(g['gen']))]
        for tid, m, v, why in pool.map(work, walks, chunksize=4):
            if v is not None:
                g['walk'].append(v)
            else:
                failures['walk ' + str(why)] = failures.get('walk ' + str(why), 0) + 1
        g['walk'] = g['walk'][:len(g['gen'])]
    return out, failures


def sample(pool, comp, s, meter, items, need, seed, failures, label):
    """Up to `need` feature vectors of `items` of style `s` in `meter`, in an order fixed by
    `seed`: (vectors, their ids, how many items were candidates)."""
    cands = [it for it in items if header_ok(comp, s, meter, it[2])]
    random.Random(seed).shuffle(cands)
    vectors, ids, taken = [], [], 0
    while len(vectors) < need and taken < len(cands):
        batch = cands[taken:taken + max(16, int((need - len(vectors)) * 1.25))]
        taken += len(batch)
        for tid, m, v, why in pool.map(work, [('real', it) for it in batch], chunksize=4):
            if v is None or not parsed_ok(comp, s, meter, dict(meter=m)):
                key = label + (why or 'metre %s' % m)
                failures[key] = failures.get(key, 0) + 1
                continue
            if len(vectors) < need:
                vectors.append(v)
                ids.append(tid)
    return vectors, ids, len(cands)


# ----------------------------------------------------------------------------
# Classifiers
# ----------------------------------------------------------------------------
def cv_scores(X, y, groups=None, split=0):
    """5-fold CV accuracy (mean, sd over folds) of the logistic and the boosting classifier;
    `split` seeds the fold shuffle and the boosting."""
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=split)
    lr = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=5000))
    gb = GradientBoostingClassifier(random_state=split)
    # stratify on class and style so each fold holds every style
    strat = y if groups is None else np.array(['%d/%s' % (a, b) for a, b in zip(y, groups)])
    if min(np.unique(strat, return_counts=True)[1]) < 5:
        strat = y                           # too few tunes per style for that
    folds = list(cv.split(X, strat))
    a = cross_val_score(lr, X, y, cv=folds, scoring='accuracy')
    b = cross_val_score(gb, X, y, cv=folds, scoring='accuracy')
    return (float(a.mean()), float(a.std())), (float(b.mean()), float(b.std()))


def averaged(data, styles, splits=3):
    """tunec vs real averaged over `splits` fold splits and both halves of the real sample (it
    holds twice the tunec tunes): one split of 400 tunes moves by a few points, so a change
    smaller than the spread here is not a change. Returns ((mean, sd) logistic, (mean, sd)
    boosting) over the runs."""
    G = np.array([v for s in styles for v in data[s]['gen']])
    gs = [s for s in styles for _ in data[s]['gen']]
    halves = 2 if all(len(data[s]['real']) >= 2 * len(data[s]['gen']) for s in styles) else 1
    runs = []
    for half in range(halves):
        R = np.array([v for s in styles
                      for v in data[s]['real'][half * len(data[s]['gen']):
                                               (half + 1) * len(data[s]['gen'])]])
        X, y = np.vstack([R, G]), np.array([0] * len(R) + [1] * len(G))
        for split in range(splits):
            lr, gb = cv_scores(X, y, gs + gs, split)
            runs.append((lr[0], gb[0]))
    a = np.array(runs)
    return (float(a[:, 0].mean()), float(a[:, 0].std())), (float(a[:, 1].mean()),
                                                           float(a[:, 1].std()))


def separating(Xg, Xr, top, names):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    X = np.vstack([Xr, Xg])
    y = np.array([0] * len(Xr) + [1] * len(Xg))
    Z = StandardScaler().fit_transform(X)
    coef = LogisticRegression(C=1.0, max_iter=5000).fit(Z, y).coef_[0]
    mg, mr = Xg.mean(0), Xr.mean(0)
    sd = np.sqrt((Xg.var(0, ddof=1) + Xr.var(0, ddof=1)) / 2)
    d = (mg - mr) / np.maximum(sd, 1e-3)
    order = np.argsort(-np.abs(d), kind='stable')[:top]
    return [dict(feature=names[i], real=float(mr[i]), tunec=float(mg[i]), d=float(d[i]),
                 coef=float(coef[i])) for i in order]


def run_comparison(pool, comp, args, log):
    cfg = COMPARISONS[comp]
    t0 = time.time()
    data, failures = collect(pool, comp, cfg, args, log)
    styles = cfg['styles']
    for s in styles:                        # --drop: keep the chosen columns only
        for k in ('gen', 'real', 'walk', 'training'):
            data[s][k] = [[v[i] for i in args.keep] for v in data[s][k]]
    G = np.array([v for s in styles for v in data[s]['gen']])
    gs = [s for s in styles for _ in data[s]['gen']]
    R = np.array([v for s in styles for v in data[s]['real'][:len(data[s]['gen'])]])
    W = np.array([v for s in styles for v in data[s]['walk']])
    ws = [s for s in styles for _ in data[s]['walk']]
    # real vs real: every style's 2n real tunes, split in two random halves
    RR, rr_y, rr_s = [], [], []
    for s in styles:
        vs = data[s]['real']
        lab = [0] * (len(vs) // 2) + [1] * (len(vs) - len(vs) // 2)
        random.Random('halves/%d/%s' % (args.sample_seed, s)).shuffle(lab)
        RR += vs
        rr_y += lab
        rr_s += [s] * len(vs)
    res = dict(title=cfg['title'], n_tunec=len(G), n_real=len(R), failures=failures,
               per_style={s: dict(meter=data[s]['meter'], tunec=len(data[s]['gen']),
                                  real=len(data[s]['gen']), real_pool=data[s]['real_pool_size'])
                          for s in styles})
    res['tunec_vs_real'] = cv_scores(np.vstack([R, G]), np.array([0] * len(R) + [1] * len(G)),
                                     gs + gs)
    res['tunec_vs_real_averaged'] = averaged(data, styles)
    res['real_vs_real'] = cv_scores(np.array(RR), np.array(rr_y), rr_s)
    Rw = np.array([v for s in styles for v in data[s]['real'][:len(data[s]['walk'])]])
    T = np.array([v for s in styles for v in data[s]['training']])
    Rt = np.array([v for s in styles for v in data[s]['real'][:len(data[s]['training'])]])
    ts = [s for s in styles for _ in data[s]['training']]
    res['training_vs_real'] = cv_scores(np.vstack([Rt, T]),
                                        np.array([0] * len(Rt) + [1] * len(T)), ts + ts)
    res['walk_vs_real'] = cv_scores(np.vstack([Rw, W]), np.array([0] * len(Rw) + [1] * len(W)),
                                    ws + ws)
    for s in styles:
        n = len(data[s]['gen'])
        Xs = np.array(data[s]['real'][:n] + data[s]['gen'])
        res['per_style'][s]['tunec_vs_real'] = cv_scores(Xs, np.array([0] * n + [1] * n))
    res['top'] = separating(G, R, args.top, args.names)
    res['seconds'] = round(time.time() - t0, 1)
    return res


def fmt(ms):
    return '%.3f ± %.3f' % ms


def report(comp, res, top):
    print('\n== %s: %s' % (comp, res['title']))
    print('   %d tunec tunes vs %d real tunes; %.0f s' % (res['n_tunec'], res['n_real'],
                                                          res['seconds']))
    for s, d in res['per_style'].items():
        print('   %-9s metre %-4s  %3d tunec, %3d real (drawn from %d candidates)'
              % (s, d['meter'], d['tunec'], d['real'], d['real_pool']))
    if res['failures']:
        print('   not used: ' + ', '.join('%s: %d' % kv for kv in sorted(res['failures'].items())))
    print('   %-28s %-16s %-16s' % ('5-fold CV accuracy', 'logistic', 'grad. boosting'))
    for k, label in (('tunec_vs_real', 'tunec vs real'),
                     ('tunec_vs_real_averaged', '  averaged (6 runs)'),
                     ('real_vs_real', 'control: real vs real'),
                     ('walk_vs_real', 'control: random walk vs real'),
                     ('training_vs_real', 'control: training vs held-out')):
        print('   %-28s %-16s %-16s' % (label, fmt(res[k][0]), fmt(res[k][1])))
    for s, d in res['per_style'].items():
        print('   %-28s %-16s %-16s' % ('  tunec %s alone' % s, fmt(d['tunec_vs_real'][0]),
                                        fmt(d['tunec_vs_real'][1])))
    print('   top %d separating features (Cohen\'s d = (tunec - real) / pooled sd):' % top)
    print('   %-26s %9s %9s %8s %8s' % ('feature', 'real', 'tunec', 'd', 'LR coef'))
    for r in res['top']:
        print('   %-26s %9.3f %9.3f %+8.2f %+8.2f' % (r['feature'], r['real'], r['tunec'],
                                                    r['d'], r['coef']))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--seeds', type=int, default=200,
                    help='tunec tunes per comparison, spread over its styles (default 200)')
    ap.add_argument('--workers', type=int, default=2, help='parallel processes (at most 2)')
    ap.add_argument('--tunec', default=C.DEFAULT_TUNEC)
    ap.add_argument('--only', choices=sorted(COMPARISONS))
    ap.add_argument('--sample-seed', type=int, default=0,
                    help='seed of the real-tune sample and the random walks (default 0)')
    ap.add_argument('--top', type=int, default=10)
    ap.add_argument('--json', help='also write the figures to this file')
    ap.add_argument('--drop', default='',
                    help="comma-separated features to leave out (a trailing '*' is a prefix)")
    args = ap.parse_args()
    drop = [d for d in args.drop.split(',') if d]

    def dropped(name):
        return any(name.startswith(d[:-1]) if d.endswith('*') else name == d for d in drop)
    unknown = [d for d in drop if not any(dropped(n) and (n == d or d.endswith('*'))
                                          for n in FEATURE_NAMES)]
    if unknown:
        raise SystemExit('unknown features: %s' % ', '.join(unknown))
    args.keep = [i for i, n in enumerate(FEATURE_NAMES) if not dropped(n)]
    args.names = [FEATURE_NAMES[i] for i in args.keep]
    args.workers = max(1, min(2, args.workers))
    if args.seeds < 15:
        raise SystemExit('--seeds must be at least 15 (5 tunes per style for 5 folds)')
    if not os.path.exists(args.tunec):
        raise SystemExit('no tunec binary at %s (cargo build --release --locked)' % args.tunec)
    t0 = time.time()
    print('tunec classifier test — commit %s, %s, --seeds %d, sample seed %d, %d features'
          % (C.repo_commit(), time.strftime('%Y-%m-%d'), args.seeds, args.sample_seed,
             len(args.keep)))
    if drop:
        print('left out: ' + ', '.join(n for n in FEATURE_NAMES if dropped(n)))

    def log(msg):
        print(msg, flush=True)
    results = {}
    with Pool(args.workers) as pool:
        for comp in ([args.only] if args.only else ['songs', 'fiddle']):
            results[comp] = run_comparison(pool, comp, args, log)
            report(comp, results[comp], args.top)
            sys.stdout.flush()
    print('\ntotal %.0f s' % (time.time() - t0))
    if args.json:
        with open(args.json, 'w') as fh:
            json.dump(dict(commit=C.repo_commit(), args=vars(args), results=results), fh,
                      indent=1)


if __name__ == '__main__':
    main()
