#!/usr/bin/env python3
"""Objective "listening" report for MIDI files (e.g. produced by tunec).

For each .mid file given:
  * renders the full mix and every MIDI channel solo to WAV with fluidsynth,
  * measures peak / clipping, integrated RMS, K-weighted loudness (BS.1770-style),
    per-part levels, loudness over time (1 s windows), silent share,
  * reads the MIDI for per-channel polyphony and melody-vs-other-part dissonance
    (minor 2nd / major 7th / tritone sounding together on a beat),
  * writes <name>-spectrogram.png and <name>-rms.png into the output folder,
  * prints a compact report, with FLAGS for likely problems.

Usage: python analyse.py [--sf2 FILE] [--gain 0.5] [--out DIR] file.mid [file.mid ...]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import mido
from scipy.io import wavfile
from scipy import signal

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(tempfile.gettempdir(), "tunec-listen")
SF2_CANDIDATES = [
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
]
SR = 44100
SILENCE_DB = -50.0
FLOOR_DB = -120.0
DRUM_CH = 9

GM = """Acoustic Grand Piano|Bright Acoustic Piano|Electric Grand Piano|Honky-tonk Piano|Electric Piano 1|Electric Piano 2|Harpsichord|Clavinet|Celesta|Glockenspiel|Music Box|Vibraphone|Marimba|Xylophone|Tubular Bells|Dulcimer|Drawbar Organ|Percussive Organ|Rock Organ|Church Organ|Reed Organ|Accordion|Harmonica|Tango Accordion|Acoustic Guitar (nylon)|Acoustic Guitar (steel)|Electric Guitar (jazz)|Electric Guitar (clean)|Electric Guitar (muted)|Overdriven Guitar|Distortion Guitar|Guitar Harmonics|Acoustic Bass|Electric Bass (finger)|Electric Bass (pick)|Fretless Bass|Slap Bass 1|Slap Bass 2|Synth Bass 1|Synth Bass 2|Violin|Viola|Cello|Contrabass|Tremolo Strings|Pizzicato Strings|Orchestral Harp|Timpani|String Ensemble 1|String Ensemble 2|Synth Strings 1|Synth Strings 2|Choir Aahs|Voice Oohs|Synth Voice|Orchestra Hit|Trumpet|Trombone|Tuba|Muted Trumpet|French Horn|Brass Section|Synth Brass 1|Synth Brass 2|Soprano Sax|Alto Sax|Tenor Sax|Baritone Sax|Oboe|English Horn|Bassoon|Clarinet|Piccolo|Flute|Recorder|Pan Flute|Blown Bottle|Shakuhachi|Whistle|Ocarina|Lead 1 (square)|Lead 2 (sawtooth)|Lead 3 (calliope)|Lead 4 (chiff)|Lead 5 (charang)|Lead 6 (voice)|Lead 7 (fifths)|Lead 8 (bass + lead)|Pad 1 (new age)|Pad 2 (warm)|Pad 3 (polysynth)|Pad 4 (choir)|Pad 5 (bowed)|Pad 6 (metallic)|Pad 7 (halo)|Pad 8 (sweep)|FX 1 (rain)|FX 2 (soundtrack)|FX 3 (crystal)|FX 4 (atmosphere)|FX 5 (brightness)|FX 6 (goblins)|FX 7 (echoes)|FX 8 (sci-fi)|Sitar|Banjo|Shamisen|Koto|Kalimba|Bagpipe|Fiddle|Shanai|Tinkle Bell|Agogo|Steel Drums|Woodblock|Taiko Drum|Melodic Tom|Synth Drum|Reverse Cymbal|Guitar Fret Noise|Breath Noise|Seashore|Bird Tweet|Telephone Ring|Helicopter|Applause|Gunshot""".split("|")
assert len(GM) == 128


def program_name(ch, prog):
    if ch == DRUM_CH:
        return "Drum kit %d" % prog
    return GM[prog] if prog is not None else "(no program: Acoustic Grand Piano)"


def db(x):
    return 20.0 * np.log10(np.maximum(x, 10 ** (FLOOR_DB / 20)))


# ---------------------------------------------------------------- rendering

def find_sf2(explicit):
    if explicit:
        return explicit
    for c in SF2_CANDIDATES:
        if os.path.exists(c):
            return c
    sys.exit("no .sf2 soundfont found; apt-get install timgm6mb-soundfont or pass --sf2")


def render(mid_path, wav_path, sf2, gain):
    if not shutil.which("fluidsynth"):
        sys.exit("fluidsynth not found; apt-get install fluidsynth")
    cmd = ["fluidsynth", "-ni", "-q", "-g", str(gain), "-r", str(SR),
           "-F", wav_path, "-T", "wav", "-O", "s16", sf2, mid_path]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(wav_path):
        sys.exit("fluidsynth failed on %s:\n%s%s" % (mid_path, r.stdout, r.stderr))
    rate, data = wavfile.read(wav_path)
    assert rate == SR, rate
    if data.ndim == 1:
        data = data[:, None]
    full_scale = np.iinfo(data.dtype).max if data.dtype.kind == "i" else 1.0
    clipped = int(np.sum((data >= full_scale) | (data <= -full_scale - (1 if data.dtype.kind == "i" else 0))))
    x = data.astype(np.float64) / (full_scale + (1 if data.dtype.kind == "i" else 0))
    return x, clipped


def solo_midi(mid, ch, path):
    """Copy of `mid` with only channel `ch`'s note events (all meta, tempo, program and
    controller events kept)."""
    out = mido.MidiFile(type=mid.type, ticks_per_beat=mid.ticks_per_beat)
    for tr in mid.tracks:
        nt = mido.MidiTrack()
        carry = 0
        for msg in tr:
            if msg.type in ("note_on", "note_off", "polytouch") and msg.channel != ch:
                carry += msg.time
                continue
            nt.append(msg.copy(time=msg.time + carry))
            carry = 0
        out.tracks.append(nt)
    out.save(path)


def probe_silent_notes(notes, programs, sf2, gain, td):
    """Render every distinct (channel, program, pitch) used, alone (1 s slot each, reverb and
    chorus off), and return those the SoundFont plays as (near) silence: {ch: [pitch, ...]}."""
    keys = sorted({(n[0], n[1]) for n in notes})
    if not keys:
        return {}
    mid = mido.MidiFile(type=0, ticks_per_beat=480)
    tr = mido.MidiTrack()
    mid.tracks.append(tr)
    tr.append(mido.MetaMessage("set_tempo", tempo=500000))  # 1 s = 960 ticks
    for ch in sorted({k[0] for k in keys}):
        tr.append(mido.Message("program_change", channel=ch, program=programs.get(ch, 0) or 0))
    for ch, p in keys:
        tr.append(mido.Message("note_on", channel=ch, note=p, velocity=100, time=0))
        tr.append(mido.Message("note_off", channel=ch, note=p, velocity=0, time=288))
        tr.append(mido.Message("note_on", channel=ch, note=p, velocity=0, time=672))
    path = os.path.join(td, "probe.mid")
    wav = os.path.join(td, "probe.wav")
    mid.save(path)
    r = subprocess.run(["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-g", str(gain), "-r", str(SR),
                        "-F", wav, "-T", "wav", sf2, path], capture_output=True, text=True)
    if r.returncode != 0:
        return {}
    _, data = wavfile.read(wav)
    x = data.astype(np.float64) / 32768.0
    silent = {}
    for i, (ch, p) in enumerate(keys):
        seg = x[i * SR: i * SR + int(0.3 * SR)]
        if rms_db(seg) < -60:
            silent.setdefault(ch, []).append(p)
    return silent


# ---------------------------------------------------------------- measurements

def _biquad_rbj(kind, fc, q, gain_db, fs):
    a_ = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * fc / fs
    alpha = np.sin(w0) / (2 * q)
    cw = np.cos(w0)
    if kind == "highshelf":
        sa = 2 * np.sqrt(a_) * alpha
        b = [a_ * ((a_ + 1) + (a_ - 1) * cw + sa), -2 * a_ * ((a_ - 1) + (a_ + 1) * cw),
             a_ * ((a_ + 1) + (a_ - 1) * cw - sa)]
        a = [(a_ + 1) - (a_ - 1) * cw + sa, 2 * ((a_ - 1) - (a_ + 1) * cw), (a_ + 1) - (a_ - 1) * cw - sa]
    else:  # highpass
        b = [(1 + cw) / 2, -(1 + cw), (1 + cw) / 2]
        a = [1 + alpha, -2 * cw, 1 - alpha]
    return np.array(b) / a[0], np.array(a) / a[0]


def k_weight(x, fs=SR):
    """ITU-R BS.1770 K-weighting (pre-filter shelf + RLB high-pass), per channel."""
    b1, a1 = _biquad_rbj("highshelf", 1681.97, 0.7072, 3.9998, fs)
    b2, a2 = _biquad_rbj("highpass", 38.135, 0.5003, 0.0, fs)
    return signal.lfilter(b2, a2, signal.lfilter(b1, a1, x, axis=0), axis=0)


def loudness_lufs(x, fs=SR):
    """Approximate BS.1770 integrated loudness (400 ms blocks, 75% overlap, abs + rel gate)."""
    y = k_weight(x, fs)
    blk, hop = int(0.4 * fs), int(0.1 * fs)
    if len(y) < blk:
        return float("-inf")
    ms = np.array([np.mean(y[i:i + blk] ** 2, axis=0).sum() for i in range(0, len(y) - blk + 1, hop)])
    lk = -0.691 + 10 * np.log10(np.maximum(ms, 1e-20))
    g = ms[lk > -70]
    if len(g) == 0:
        return float("-inf")
    rel = -0.691 + 10 * np.log10(g.mean()) - 10
    g2 = ms[(lk > -70) & (lk > rel)]
    return float(-0.691 + 10 * np.log10(g2.mean()))


def rms_db(x):
    return float(db(np.sqrt(np.mean(x ** 2)))) if len(x) else FLOOR_DB


def windowed_rms_db(x, win_s, fs=SR):
    n = int(win_s * fs)
    k = len(x) // n
    if k == 0:
        return np.array([rms_db(x)])
    frames = x[:k * n].reshape(k, n, x.shape[1])
    return db(np.sqrt(np.mean(frames ** 2, axis=(1, 2))))


# ---------------------------------------------------------------- MIDI analysis

def midi_notes(mid):
    """Return (notes, programs, tempo_map, tpb, time_sigs, end_tick). notes: list of
    (ch, pitch, start_tick, end_tick, velocity); absolute ticks over all tracks."""
    events = []
    for ti, tr in enumerate(mid.tracks):
        t = 0
        for msg in tr:
            t += msg.time
            events.append((t, ti, msg))
    events.sort(key=lambda e: e[0])
    open_ = {}
    notes, programs, tempos, tsigs, names = [], {}, [], [], {}
    end = 0
    for t, ti, msg in events:
        end = max(end, t)
        if msg.type == "set_tempo":
            tempos.append((t, msg.tempo))
        elif msg.type == "time_signature":
            tsigs.append((t, msg.numerator, msg.denominator))
        elif msg.type == "track_name":
            names.setdefault(ti, msg.name)
        elif msg.type == "program_change":
            programs.setdefault(msg.channel, msg.program)
            names.setdefault(("ch", msg.channel), names.get(ti))
        elif msg.type == "note_on" and msg.velocity > 0:
            open_.setdefault((msg.channel, msg.note), []).append((t, msg.velocity))
            names.setdefault(("ch", msg.channel), names.get(ti))
        elif msg.type == "note_off" or (msg.type == "note_on" and msg.velocity == 0):
            st = open_.get((msg.channel, msg.note))
            if st:
                s, v = st.pop(0)
                notes.append((msg.channel, msg.note, s, t, v))
    for (ch, p), lst in open_.items():
        for s, v in lst:
            notes.append((ch, p, s, end, v))
    ch_names = {k[1]: v for k, v in names.items() if isinstance(k, tuple)}
    return notes, programs, tempos or [(0, 500000)], tsigs or [(0, 4, 4)], end, ch_names


def tick_to_sec(tick, tempos, tpb):
    sec, last_t, last_tempo = 0.0, 0, 500000
    for t, tempo in tempos:
        if t >= tick:
            break
        sec += (t - last_t) * last_tempo / 1e6 / tpb
        last_t, last_tempo = t, tempo
    return sec + (tick - last_t) * last_tempo / 1e6 / tpb


def beat_ticks(tsigs, tpb, end):
    """Ticks of every beat (compound metres: dotted-quarter beat), and whether each is a downbeat."""
    out = []
    for i, (t0, num, den) in enumerate(tsigs):
        t1 = tsigs[i + 1][0] if i + 1 < len(tsigs) else end
        unit = tpb * 4 // den
        per_beat = 3 if (den == 8 and num % 3 == 0 and num > 3) else 1
        beat = unit * per_beat
        beats_per_bar = num // per_beat
        k = 0
        t = t0
        while t < t1:
            out.append((t, k % beats_per_bar == 0))
            t += beat
            k += 1
    return out


def polyphony(notes_ch):
    ev = sorted([(s, 1) for _, _, s, e, _ in notes_ch] + [(e, -1) for _, _, s, e, _ in notes_ch],
                key=lambda x: (x[0], x[1]))
    cur = mx = 0
    for _, d in ev:
        cur += d
        mx = max(mx, cur)
    return mx


def pick_melody(notes, ch_names):
    for ch, n in ch_names.items():
        if n and n.strip().lower() == "melody":
            return ch
    pitched = {}
    for ch, p, *_ in notes:
        if ch != DRUM_CH:
            pitched.setdefault(ch, []).append(p)
    if not pitched:
        return None
    return max(pitched, key=lambda c: np.mean(pitched[c]))


DISS = {1: "m2", 11: "M7", 6: "TT"}


def dissonance(notes, melody_ch, tsigs, tpb, end):
    """For each other pitched channel: among beats where the melody and that channel both
    sound, the share where some pair (melody note, other note) forms a minor 2nd / major 7th
    / tritone (any octave: interval mod 12 in {1, 11, 6})."""
    beats = beat_ticks(tsigs, tpb, end)
    by_ch = {}
    for n in notes:
        by_ch.setdefault(n[0], []).append(n)

    def sounding(ch, t):
        return [p for c, p, s, e, v in by_ch.get(ch, []) if s <= t < e]

    res = {}
    for ch in sorted(by_ch):
        if ch in (melody_ch, DRUM_CH):
            continue
        both = diss = down_both = down_diss = 0
        kinds = {"m2": 0, "M7": 0, "TT": 0}
        examples = []
        nct = down_nct = 0  # clashes where the melody's pitch class is not in the other part
        for t, down in beats:
            m, o = sounding(melody_ch, t), sounding(ch, t)
            if not m or not o:
                continue
            both += 1
            down_both += down
            found = set()
            for a in m:
                for b in o:
                    iv = (a - b) % 12
                    if iv in DISS:
                        found.add(DISS[iv])
            if found:
                diss += 1
                down_diss += down
                for f in found:
                    kinds[f] += 1
                opcs = {b % 12 for b in o}
                clash_out = any((a % 12) not in opcs and any((a - b) % 12 in DISS for b in o) for a in m)
                if clash_out:
                    nct += 1
                    down_nct += down
                    if len(examples) < 3:
                        examples.append((t, m, o))
        res[ch] = dict(beats=both, diss=diss, down_beats=down_both, down_diss=down_diss,
                       kinds=kinds, examples=examples, nct=nct, down_nct=down_nct)
    return res


def melody_on_top(notes, melody_ch, tsigs, tpb, end):
    """Share of beats (melody + some other pitched part sounding) where the melody's
    highest note is at or above every other pitched note."""
    beats = beat_ticks(tsigs, tpb, end)
    mel = [n for n in notes if n[0] == melody_ch]
    oth = [n for n in notes if n[0] not in (melody_ch, DRUM_CH)]
    shared = top = 0
    for t, _ in beats:
        m = [p for _, p, s, e, _ in mel if s <= t < e]
        o = [p for _, p, s, e, _ in oth if s <= t < e]
        if m and o:
            shared += 1
            top += max(m) >= max(o)
    return top, shared


# ---------------------------------------------------------------- plots

def plot_spectrogram(x, path, title, seconds=30.0):
    mono = x[: int(seconds * SR)].mean(axis=1)
    f, t, s = signal.spectrogram(mono, fs=SR, nperseg=4096, noverlap=4096 - 512, scaling="spectrum")
    keep = (f >= 30) & (f <= 16000)
    sdb = 10 * np.log10(np.maximum(s[keep], 1e-14))
    fig, ax = plt.subplots(figsize=(12, 5))
    vmax = sdb.max()
    m = ax.pcolormesh(t, f[keep], sdb, shading="auto", cmap="magma", vmin=vmax - 90, vmax=vmax)
    ax.set_yscale("log")
    ax.set_ylim(30, 16000)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("frequency (Hz, log)")
    ax.set_title(title + " - spectrogram (first %.0f s)" % seconds)
    fig.colorbar(m, ax=ax, label="dB")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_rms(mix, solos, path, title, bar_secs):
    fig, ax = plt.subplots(figsize=(12, 4.5))
    w = 0.1
    r = windowed_rms_db(mix, w)
    ax.plot(np.arange(len(r)) * w, r, color="black", lw=1.6, label="mix (100 ms)")
    r1 = windowed_rms_db(mix, 1.0)
    ax.step(np.arange(len(r1)) + 1.0, r1, where="pre", color="grey", lw=1, ls="--", label="mix (1 s)")
    for label, x in solos:
        r = windowed_rms_db(x, w)
        ax.plot(np.arange(len(r)) * w, r, lw=0.9, alpha=0.8, label=label)
    for b in bar_secs:
        ax.axvline(b, color="#dddddd", lw=0.5, zorder=0)
    ax.axhline(SILENCE_DB, color="red", lw=0.6, ls=":", label="silence threshold")
    ax.set_ylim(-80, 0)
    ax.set_xlabel("time (s)  (vertical lines: bars)")
    ax.set_ylabel("RMS (dBFS)")
    ax.set_title(title + " - RMS over time")
    ax.legend(fontsize=7, loc="lower left", ncol=3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


# ---------------------------------------------------------------- report

def analyse(path, sf2, gain, outdir):
    name = os.path.splitext(os.path.basename(path))[0]
    mid = mido.MidiFile(path)
    notes, programs, tempos, tsigs, end_tick, ch_names = midi_notes(mid)
    tpb = mid.ticks_per_beat
    last_note_end = max((n[3] for n in notes), default=0)
    music_end_s = tick_to_sec(last_note_end, tempos, tpb)
    channels = sorted({n[0] for n in notes})
    melody = pick_melody(notes, ch_names)

    wav = os.path.join(outdir, name + ".wav")
    mix, clipped = render(path, wav, sf2, gain)
    dur = len(mix) / SR
    peak = float(np.max(np.abs(mix)))

    solos = {}
    with tempfile.TemporaryDirectory() as td:
        for ch in channels:
            sm = os.path.join(td, "%s-ch%d.mid" % (name, ch))
            solo_midi(mid, ch, sm)
            sw = os.path.join(outdir, "%s-solo-ch%d.wav" % (name, ch))
            solos[ch], _ = render(sm, sw, sf2, gain)
        silent_notes = probe_silent_notes(notes, programs, sf2, gain, td)

    lines = []
    P = lines.append
    flags = []
    bpm = 60e6 / tempos[0][1]
    ts = "%d/%d" % (tsigs[0][1], tsigs[0][2])
    P("=" * 78)
    P("%s  (%s, %.0f bpm, %d notes, %d channels)" % (name, ts, bpm, len(notes), len(channels)))
    P("  duration: MIDI %.1f s (last note ends %.1f s), WAV %.1f s incl. release tail"
      % (mid.length, music_end_s, dur))
    P("  peak %.1f dBFS, clipped samples %d; mix RMS %.1f dBFS, loudness %.1f LUFS(approx)"
      % (db(peak), clipped, rms_db(mix), loudness_lufs(mix)))
    if clipped > 0:
        flags.append("CLIPPING: %d samples at full scale" % clipped)
    elif db(peak) > -1.0:
        flags.append("peak within 1 dB of full scale (%.1f dBFS)" % db(peak))

    # per-part levels
    music = mix[: int(music_end_s * SR)] if music_end_s > 0 else mix
    bar_ticks = [t for t, down in beat_ticks(tsigs, tpb, last_note_end) if down] + [last_note_end]
    P("  parts (RMS over whole piece | K-weighted gated loudness | max polyphony | notes):")
    levels = {}
    for ch in channels:
        x = solos[ch][: len(music)]
        nch = [n for n in notes if n[0] == ch]
        lufs = loudness_lufs(x)
        levels[ch] = lufs
        role = ch_names.get(ch) or "?"
        star = " *melody" if ch == melody else ""
        pr = programs.get(ch)
        P("    ch%-2d %-15s %-26s %6.1f dBFS | %6.1f LUFS | poly %d | %3d%s"
          % (ch, role[:15], program_name(ch, pr)[:26], rms_db(x), lufs, polyphony(nch), len(nch), star))
    for ch, ps in silent_notes.items():
        cnt = sum(1 for n in notes if n[0] == ch and n[1] in ps)
        msg = ("ch%d (%s, %s): %d of %d notes are SILENT in this SoundFont (pitches %s)"
               % (ch, ch_names.get(ch), program_name(ch, programs.get(ch)), cnt,
                  sum(1 for n in notes if n[0] == ch), " ".join(mido_name(p) for p in ps)))
        P("  " + msg)
        flags.append(msg)
    if melody is not None and len(channels) > 1:
        m = levels[melody]
        others = {c: v for c, v in levels.items() if c != melody}
        top_c = max(others, key=others.get)
        diffs = ", ".join("ch%d %+.1f" % (c, levels[c] - m) for c in others)
        P("  level vs melody (LU): %s" % diffs)
        if others[top_c] > m + 1.0:
            flags.append("melody NOT on top: ch%d (%s) is %.1f LU louder than the melody"
                         % (top_c, ch_names.get(top_c), others[top_c] - m))
        for c, v in others.items():
            if v < m - 18:
                flags.append("ch%d (%s) very quiet: %.1f LU below melody (inaudible in mix?)"
                             % (c, ch_names.get(c), m - v))
        loudest = max(levels.values())
        if loudest - levels[melody] > 6:
            flags.append("melody %.1f LU below the loudest part (drowned?)" % (loudest - levels[melody]))

    if melody is not None:
        top, shared = melody_on_top(notes, melody, tsigs, tpb, last_note_end)
        if shared:
            P("  register: melody is the highest pitch on %.0f%% of %d shared beats" % (100 * top / shared, shared))
            if top / shared < 0.75:
                flags.append("melody under another part's pitch on %.0f%% of beats" % (100 - 100 * top / shared))

    # melody vs accompaniment over time, 4-bar windows (K-weighted, ungated)
    if melody is not None and len(channels) > 1 and len(bar_ticks) > 1:
        mk = k_weight(solos[melody])
        n = min(len(solos[c]) for c in channels)
        acc = sum(solos[c][:n] for c in channels if c != melody)
        ak = k_weight(acc[:n])
        margins = []
        for i in range(0, len(bar_ticks) - 1, 4):
            t0 = int(tick_to_sec(bar_ticks[i], tempos, tpb) * SR)
            t1 = int(tick_to_sec(bar_ticks[min(i + 4, len(bar_ticks) - 1)], tempos, tpb) * SR)
            t1 = min(t1, n)
            if t1 - t0 < SR // 4:
                continue
            mm = 10 * np.log10(max(np.mean(mk[t0:t1] ** 2), 1e-12))
            aa = 10 * np.log10(max(np.mean(ak[t0:t1] ** 2), 1e-12))
            margins.append((i + 1, mm - aa))
        if margins:
            P("  melody minus accompaniment per 4 bars (dB, K-wtd): " +
              " ".join("b%d:%+.1f" % (b, v) for b, v in margins))
            worst = min(margins, key=lambda x: x[1])
            spread = max(v for _, v in margins) - worst[1]
            if worst[1] < -6:
                flags.append("melody buried in bars %d-%d: %.1f dB below the accompaniment"
                             % (worst[0], worst[0] + 3, -worst[1]))
            if spread > 6:
                flags.append("melody's level against the accompaniment swings %.1f dB between phrases"
                             % spread)

    # loudness over time
    r1 = windowed_rms_db(music, 1.0)
    jumps = np.abs(np.diff(r1)) if len(r1) > 1 else np.array([0.0])
    P("  1-s RMS windows (music part, n=%d): min %.1f / median %.1f / max %.1f dBFS; "
      "largest step %.1f dB at %d s" % (len(r1), r1.min(), np.median(r1), r1.max(), jumps.max(),
                                        int(np.argmax(jumps)) + 1))
    if jumps.max() > 10:
        flags.append("sudden loudness jump of %.1f dB between 1-s windows at %d s"
                     % (jumps.max(), int(np.argmax(jumps)) + 1))
    if r1.max() - r1.min() > 20:
        flags.append("1-s loudness range %.1f dB (very uneven)" % (r1.max() - r1.min()))
    r50 = windowed_rms_db(music, 0.05)
    sil = float(np.mean(r50 < SILENCE_DB)) if len(r50) else 0.0
    # longest run of silent 50 ms frames
    run = best = 0
    for v in r50 < SILENCE_DB:
        run = run + 1 if v else 0
        best = max(best, run)
    P("  silent time (< %.0f dBFS, 50 ms frames, tail excluded): %.1f%%, longest gap %.2f s"
      % (SILENCE_DB, 100 * sil, best * 0.05))
    if sil > 0.05 or best * 0.05 > 1.0:
        flags.append("silence: %.1f%% of the piece, longest gap %.2f s" % (100 * sil, best * 0.05))

    # dissonance
    if melody is not None:
        dres = dissonance(notes, melody, tsigs, tpb, last_note_end)
        for ch, d in dres.items():
            if d["beats"] == 0:
                P("  dissonance melody vs ch%d (%s): never sound together on a beat" % (ch, ch_names.get(ch)))
                continue
            rate = d["diss"] / d["beats"]
            drate = d["down_diss"] / d["down_beats"] if d["down_beats"] else 0.0
            k = d["kinds"]
            nrate = d["nct"] / d["beats"]
            ndrate = d["down_nct"] / d["down_beats"] if d["down_beats"] else 0.0
            P("  dissonance mel vs ch%d %-10s %4.1f%% of %d beats (m2 %d M7 %d TT %d), downbeats %.0f%%; "
              "non-chord-tone %.1f%%, on downbeats %.0f%%"
              % (ch, (ch_names.get(ch) or "?")[:10], 100 * rate, d["beats"], k["m2"], k["M7"], k["TT"],
                 100 * drate, 100 * nrate, 100 * ndrate))
            if nrate > 0.15 or (d["down_nct"] >= 2 and ndrate > 0.10):
                ex = "; ".join("t=%.1fs mel %s vs %s" % (tick_to_sec(t, tempos, tpb),
                                                          [mido_name(p) for p in m], [mido_name(p) for p in o])
                               for t, m, o in d["examples"])
                flags.append("high dissonance melody vs ch%d (%s): %.0f%% of beats, %d downbeat(s), "
                             "melody not a tone of that part (e.g. %s)"
                             % (ch, ch_names.get(ch), 100 * nrate, d["down_nct"], ex))

    # plots
    spec_png = os.path.join(outdir, name + "-spectrogram.png")
    rms_png = os.path.join(outdir, name + "-rms.png")
    plot_spectrogram(mix, spec_png, name)
    bar_secs = [tick_to_sec(t, tempos, tpb) for t in bar_ticks]
    plot_rms(mix, [("ch%d %s" % (c, ch_names.get(c) or ""), solos[c]) for c in channels], rms_png, name, bar_secs)
    P("  files: %s, %s, %s (+ solo WAVs)" % (os.path.relpath(wav), os.path.relpath(spec_png), os.path.relpath(rms_png)))
    P("  FLAGS: " + ("none" if not flags else ""))
    for f in flags:
        P("    - " + f)
    print("\n".join(lines), flush=True)
    return flags


NOTE_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def mido_name(p):
    return "%s%d" % (NOTE_NAMES[p % 12], p // 12 - 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("midi", nargs="+", help=".mid files")
    ap.add_argument("--sf2", help="SoundFont (default: TimGM6mb under /usr/share/sounds/sf2)")
    ap.add_argument("--gain", type=float, default=0.5, help="fluidsynth gain (default 0.5)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: tunec-listen in the system temp folder)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    sf2 = find_sf2(a.sf2)
    print("soundfont: %s, fluidsynth gain %.2f, %d Hz" % (sf2, a.gain, SR))
    total = 0
    for p in a.midi:
        total += len(analyse(p, sf2, a.gain, a.out))
    print("=" * 78)
    print("%d file(s), %d flag(s)" % (len(a.midi), total))


if __name__ == "__main__":
    main()
