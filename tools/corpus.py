#!/usr/bin/env python
"""
Shared loading of real and generated melodies for tunec's tools.

The measuring tools (classify.py, originality.py) read both lists below; they are measurement
only (DESIGN.md §6): nothing in src/ reads what they produce. tools/learn_styles.py, whose
tables src/ embeds, loads its tunes through this module too, from TRAINING only (it asserts
so): no table tunec composes with may be derived from the held-out collections.

It reuses tools/reference_stats.py's loading (ABC files split at 'X:' with '%abc-2.1'
prepended so accidentals carry to the bar line; Essen's test*.abc skipped; melody = first part,
ties stripped, grace notes and chord symbols ignored, a chord's top note; bars with the pickup
dropped and partial measures merged) by importing it; reference_stats.py itself is unchanged.

Collections (music21's bundled corpus):
  TRAINING  oneills1850, airdsAirs, miscFolk, Bach's chorales (soprano), Essen altdeu, ballad,
            boehme, dva, kinder, lot, irl, folkHaydn, han
  HELD_OUT  ryansMammoth, Essen erk, fink, lux, zuccal
Essen's variant0.abc is in neither list and is not used.

A melody is a plain, picklable dict (see parse_melody).
"""
import os
import re
import sys
import warnings

warnings.filterwarnings('ignore')

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from music21 import converter, corpus, key, meter, note  # noqa: E402

from reference_stats import (ESSEN_SKIP, build_bars, melody_events,  # noqa: E402
                             split_abc)

ESSEN_TRAINING = ('altdeu', 'ballad', 'boehme', 'dva', 'kinder', 'lot', 'irl', 'folkHaydn',
                  'han')
ESSEN_HELD_OUT = ('erk', 'fink', 'lux', 'zuccal')
ABC_TRAINING = ('oneills1850', 'airdsAirs', 'miscFolk')
TRAINING = ABC_TRAINING + ('bach-chorales',) + tuple('essen:' + e for e in ESSEN_TRAINING)
HELD_OUT = ('ryansMammoth',) + tuple('essen:' + e for e in ESSEN_HELD_OUT)
assert not set(TRAINING) & set(HELD_OUT)

EPS = 1e-6


# ----------------------------------------------------------------------------
# Items: (collection, source, text_or_corpus_name)
# ----------------------------------------------------------------------------
def _abc_paths(dirname):
    return sorted(str(p) for p in corpus.getPaths()
                  if '/%s/' % dirname in str(p).replace(os.sep, '/') and str(p).endswith('.abc'))


def essen_group(path):
    """'erk10.abc' -> 'erk', 'han2.abc' -> 'han', 'folkHaydn.abc' -> 'folkHaydn'."""
    return re.sub(r'\d+$', '', os.path.basename(path)[:-4])


def collection_items(name):
    """All tunes of one collection as items (collection, source, payload).

    name: 'oneills1850', 'airdsAirs', 'miscFolk', 'ryansMammoth' (ABC directories),
    'essen:<group>' (e.g. 'essen:erk' = erk5/10/20/30.abc), or 'bach-chorales'.
    payload is ABC text, or for Bach a music21 corpus name."""
    out = []
    if name == 'bach-chorales':
        for fn in corpus.chorales.Iterator(returnType='filename'):
            out.append((name, fn, fn))
        return out
    if name.startswith('essen:'):
        group = name.split(':', 1)[1]
        paths = [p for p in _abc_paths('essenFolksong')
                 if os.path.basename(p) not in ESSEN_SKIP and essen_group(p) == group]
    else:
        paths = _abc_paths(name)
    for p in paths:
        for i, t in enumerate(split_abc(p)):
            out.append((name, '%s#%d' % (os.path.basename(p), i), t))
    return out


def abc_field(text, field):
    """First header field value (e.g. 'R', 'M', 'L'), stripped, or ''."""
    m = re.search(r'(?m)^%s:\s*(.*?)\s*$' % field, text)
    return m.group(1) if m else ''


def first_voice_abc(text):
    """Reduce a multi-voice ABC tune (tunec's: 'V:n' lines between blocks) to its first voice,
    which music21's ABC reader cannot split itself. Single-voice text is returned unchanged."""
    lines = text.splitlines()
    k_at = next((i for i, l in enumerate(lines) if l.startswith('K:')), None)
    if k_at is None or not any(l.startswith('V:') for l in lines):
        return text
    head = [l for l in lines[:k_at + 1] if not l.startswith('V:')]
    first = None
    for l in lines[:k_at + 1] + lines[k_at + 1:]:
        if l.startswith('V:'):
            first = l[2:].split()[0]
            break
    body, cur = [], first                   # body lines before any V: are the first voice's
    for l in lines[k_at + 1:]:
        if l.startswith('V:'):
            cur = l[2:].split()[0]
            continue
        if l.startswith('%'):
            continue
        if cur == first:
            body.append(l)
    return '\n'.join(head + body) + '\n'


# ----------------------------------------------------------------------------
# Parsing a melody
# ----------------------------------------------------------------------------
def beat_ql(ts):
    """The counted beat: quarter for x/2 and x/4 simple meters (C| reels are counted in
    quarters as in 4/4), eighth for 3/8, dotted beat for compound meters (6/8, 9/8, 12/8, 6/4)."""
    num, den = ts.numerator, ts.denominator
    unit = 4.0 / den
    if num % 3 == 0 and num > 3:
        return 3 * unit
    return unit if den >= 4 else 1.0


def _tonic(part, score, text):
    ks = list(part.recurse().getElementsByClass(key.KeySignature))
    if ks and isinstance(ks[0], key.Key):
        k = ks[0]
    elif ks:
        # a bare signature (MusicXML): major or relative minor, whichever the notes suggest
        k = ks[0].asKey('major')
        try:
            a = part.analyze('key')
            if a.sharps == ks[0].sharps:
                k = a
        except Exception:                        # noqa: BLE001
            pass
    else:
        k = part.analyze('key')
    return k.tonic.pitchClass, k.mode


def parse_melody(item, rhythm_filter=None):
    """Parse one item into a melody dict, or dict(ok=False, reason=...).

    Fields: id, collection, rhythm (ABC R: lower-cased), meter ('6/8'), bar_ql, beat_ql,
    tonic_pc, mode, notes [(abs_offset, midi, ql)] (whole tune as notated, pickup included),
    rest_ql, total_ql, pickup_ql, bars [(start, length, [(abs_off, midi, ql, upbeat)])] from
    reference_stats.build_bars (bar 1 = offset 0, pickup dropped) or None, overfull, orphans."""
    coll, source, payload = item
    is_abc = coll != 'bach-chorales'
    rhythm = abc_field(payload, 'R').lower() if is_abc else ''
    base = dict(ok=False, id='%s:%s' % (coll, source), collection=coll, rhythm=rhythm)
    try:
        if is_abc:
            s = converter.parse(first_voice_abc(payload), format='abc')
        else:
            s = corpus.parse(payload)
    except Exception as e:                       # noqa: BLE001
        return dict(base, reason='parse: %s' % type(e).__name__)
    try:
        parts = list(s.parts) if hasattr(s, 'parts') and len(s.parts) else [s]
        part = parts[0].stripTies()
        tonic_pc, mode = _tonic(part, s, payload)
        ev = melody_events(part)
        notes = [(o, mi, q) for o, mi, _, q in ev]
        flat = part.flatten()
        rest_ql = sum(float(r.quarterLength) for r in flat.getElementsByClass(note.Rest))
        total_ql = float(part.highestTime)
        tss = list(part.recurse().getElementsByClass(meter.TimeSignature))
        ts = tss[0] if tss else None
        bars, info = build_bars(part)
        pickup_ql = 0.0
        measures = list(part.getElementsByClass('Measure'))
        if ts is not None and measures:
            d0 = max(float(measures[0].duration.quarterLength), float(measures[0].highestTime))
            if d0 < float(ts.barDuration.quarterLength) - EPS:
                pickup_ql = d0
    except Exception as e:                       # noqa: BLE001
        return dict(base, reason='process: %s' % type(e).__name__)
    if not notes:
        return dict(base, reason='no notes')
    mel = dict(base, ok=True, tonic_pc=tonic_pc, mode=mode, notes=notes, rest_ql=rest_ql,
               total_ql=total_ql, pickup_ql=pickup_ql,
               meter=ts.ratioString if ts is not None else None,
               bar_ql=float(ts.barDuration.quarterLength) if ts is not None else None,
               beat_ql=beat_ql(ts) if ts is not None else None,
               bars=([(b['start'], b['length'], [tuple(n[:2]) + tuple(n[3:]) for n in b['notes']])
                      for b in bars] if bars is not None else None),
               overfull=(info or {}).get('overfull', 0), orphans=(info or {}).get('orphans', 0))
    if is_abc and mel['meter'] == '2/4' and abc_field(payload, 'L').replace(' ', '') == '1/16' \
            and coll == 'ryansMammoth':
        mel = renotate_double(mel)
    return mel


def renotate_double(mel):
    """Ryan's Mammoth (1883) writes reels and hornpipes in 2/4 with sixteenths; a modern
    transcription (and tunec) writes the same music in 4/4 with eighths. Doubling every
    duration and offset renotates one 2/4 bar as one 4/4 bar, so bar-level and beat-level
    features compare like with like."""
    m = dict(mel)
    m['notes'] = [(2 * o, mi, 2 * q) for o, mi, q in mel['notes']]
    m['rest_ql'] = 2 * mel['rest_ql']
    m['total_ql'] = 2 * mel['total_ql']
    m['pickup_ql'] = 2 * mel['pickup_ql']
    m['meter'] = '4/4'
    m['bar_ql'] = 2 * mel['bar_ql']
    m['beat_ql'] = 1.0
    if mel['bars'] is not None:
        m['bars'] = [(2 * s, 2 * l, [(2 * o, mi, 2 * q, u) for o, mi, q, u in ns])
                     for s, l, ns in mel['bars']]
    m['renotated'] = True
    return m


# ----------------------------------------------------------------------------
# Generated tunes
# ----------------------------------------------------------------------------
REPO = os.path.dirname(HERE)
DEFAULT_TUNEC = os.path.join(REPO, 'target', 'release', 'tunec')
TMP = os.path.join('/tmp', 'tunec-realism')


def tunec_abc(style, seed, tunec=DEFAULT_TUNEC):
    """ABC text of tunec's tune for the one-word program `style` at `seed` (stdout of
    `tunec FILE --seed N --emit abc`); the program file lives in /tmp."""
    import subprocess
    os.makedirs(TMP, exist_ok=True)
    path = os.path.join(TMP, '%s.tune' % style)
    if not os.path.exists(path):
        tmp = path + '.%d' % os.getpid()
        with open(tmp, 'w') as fh:
            fh.write(style + '\n')
        os.replace(tmp, path)
    r = subprocess.run([tunec, path, '--seed', str(seed), '--emit', 'abc'],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError('tunec %s --seed %d: %s' % (style, seed, r.stderr.strip()[:200]))
    return r.stdout


def parse_generated(job):
    """job = (style, seed, tunec path) -> melody dict (collection 'tunec:<style>')."""
    style, seed, tunec = job
    try:
        text = tunec_abc(style, seed, tunec)
    except Exception as e:                       # noqa: BLE001
        return dict(ok=False, id='tunec:%s#%d' % (style, seed), collection='tunec:' + style,
                    rhythm=style, reason='tunec: %s' % e)
    m = parse_melody(('tunec:' + style, '%s#%d' % (style, seed), text))
    m['rhythm'] = style
    return m


def repo_commit():
    """'<short hash>' of the worktree this script lives in, with '+dirty' if src/ differs."""
    import subprocess
    try:
        h = subprocess.run(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD'],
                           capture_output=True, text=True).stdout.strip()
        d = subprocess.run(['git', '-C', REPO, 'status', '--porcelain', '--', 'src', 'Cargo.toml',
                            'Cargo.lock'], capture_output=True, text=True).stdout.strip()
        return h + ('+dirty' if d else '')
    except Exception:                            # noqa: BLE001
        return 'unknown'
