#!/usr/bin/env python3
"""A second, independent reader of tunec's MIDI files (DESIGN section 4), built on mido.

Usage: check_midi.py FILE.mid...

For each file it checks: Standard MIDI File format 1 at 480 ticks per quarter; a conductor
track with a track name, a tempo, a time signature and a key signature and no notes; then one
track per part, named melody, counter-melody, chords, bass or drums (each at most once), with a
program change at tick 0 before any note, all its events on one channel of its own (drums on
channel 10, index 9, and only drums there); every note-on paired with a note-off, no two
sounding notes of the same pitch on one channel, a monophonic melody; and every track ending
at the same tick, the last bar line (whole bars of each time signature in turn), with no
note sounding past it.

If FILE.json exists beside a file, it names what tunec meant to write, and the file must
match it: {"title": "...", "parts": ["melody", "chords", "bass"], "bars": 16,
"sections": [[0, "A"], [15360, "B"]]} (a marker named after each section at its start tick).

Prints one line per failure and a summary, `checked N files: P passed, F failed`; exits 1 if
any file failed, 2 on misuse, 3 if mido cannot be imported.
"""

import json
import os
import sys

try:
    import mido
except ImportError as error:  # pragma: no cover - depends on the environment
    print(
        f"check_midi.py needs the Python package mido ({error}); "
        "install it with `pip install mido` (a venv is fine) and point TUNEC_PYTHON at that python",
        file=sys.stderr,
    )
    sys.exit(3)

PPQ = 480
PART_NAMES = ("melody", "counter-melody", "chords", "bass", "drums")
DRUM_CHANNEL = 9


class Failure(Exception):
    pass


def require(condition, message):
    if not condition:
        raise Failure(message)


def absolute(track):
    """(tick, message) pairs with absolute times."""
    now = 0
    for message in track:
        now += message.time
        yield now, message


def end_of_track(track, label):
    events = list(absolute(track))
    require(events, f"{label}: empty track")
    tick, last = events[-1]
    require(last.type == "end_of_track", f"{label}: does not end with end_of_track")
    ends = [m for _, m in events if m.type == "end_of_track"]
    require(len(ends) == 1, f"{label}: {len(ends)} end_of_track events")
    return tick


def check_conductor(track, expected):
    label = "conductor"
    metas = {}
    signatures = []
    markers = []
    for tick, message in absolute(track):
        require(
            not hasattr(message, "channel"),
            f"{label}: channel message {message.type} in the conductor",
        )
        if message.type == "time_signature":
            signatures.append((tick, message))
        if message.type in ("track_name", "set_tempo", "time_signature", "key_signature"):
            # Tempo and key may change within a piece (a section in another key or tempo),
            # but each is set at tick 0 first.
            changes = message.type in ("set_tempo", "key_signature") and message.type in metas
            require(
                tick == 0 or message.type == "time_signature" or changes,
                f"{label}: {message.type} at tick {tick}, not 0",
            )
            metas.setdefault(message.type, message)
        if message.type == "marker":
            markers.append([tick, message.text])
    require(
        signatures and signatures[0][0] == 0,
        f"{label}: time signatures at {[t for t, _ in signatures]}",
    )
    # A pickup is a bar of its own time signature, as notation programs export it; the
    # meter follows at its end. Otherwise the meter may change at a bar line (a section in
    # 3/4): each change comes a whole number of bars of the meter before it.
    meters = [(t, bar_ticks(m)) for t, m in signatures]
    if len(signatures) == 2 and signatures[1][0] == meters[0][1]:
        metas["time_signature"] = signatures[1][1]
        meters = [(0, bar_ticks(signatures[1][1]))]
    for (start, bar), (next_start, _) in zip(meters, meters[1:]):
        require(
            next_start > start and (next_start - start) % bar == 0,
            f"{label}: the meter changes at {next_start}, not on a bar line",
        )
    for kind in ("track_name", "set_tempo", "time_signature", "key_signature"):
        require(kind in metas, f"{label}: no {kind}")
    title = metas["track_name"].name
    require(title.strip() != "", f"{label}: empty track name")
    if expected is not None and "title" in expected:
        require(
            title == expected["title"],
            f"{label}: track name {title!r}, expected the title {expected['title']!r}",
        )
    tempo = metas["set_tempo"].tempo
    require(0 < tempo < 2**24, f"{label}: tempo {tempo} out of range")
    signature = metas["time_signature"]
    require(
        signature.numerator >= 1 and signature.denominator in (1, 2, 4, 8, 16, 32),
        f"{label}: time signature {signature.numerator}/{signature.denominator}",
    )
    if expected is not None and "sections" in expected:
        require(
            markers == expected["sections"],
            f"{label}: markers {markers}, expected the sections {expected['sections']}",
        )
    key = metas["key_signature"].key
    require(isinstance(key, str) and key, f"{label}: key signature {key!r}")
    for _, signature in signatures:
        require(
            bar_ticks(signature) * signature.denominator == signature.numerator * PPQ * 4,
            f"{label}: bar of {signature.numerator}/{signature.denominator} is not whole ticks",
        )
    return meters


def bar_ticks(signature):
    return signature.numerator * PPQ * 4 // signature.denominator


def bars_until(end, meters):
    """The bars from 0 to `end` under `meters` ((start, bar ticks) in order), or None where
    `end` is not on a bar line."""
    bars = 0
    for i, (start, bar) in enumerate(meters):
        stop = meters[i + 1][0] if i + 1 < len(meters) else end
        if stop < start or (stop - start) % bar:
            return None
        bars += (stop - start) // bar
    return bars


def check_part(track, index, channels_taken):
    """Checks one part track; returns (name, channel, last note-off tick)."""
    label = f"track {index}"
    events = list(absolute(track))
    names = [m.name for t, m in events if m.type == "track_name"]
    require(len(names) == 1, f"{label}: {len(names)} track names")
    name = names[0]
    # A doubling instrument's track is named after its part and itself: `melody (flute)`.
    role = name.split(" (")[0] if name.endswith(")") else name
    require(role in PART_NAMES, f"{label}: track name {name!r} is not a part name")
    label = f"track {index} ({name})"
    require(
        all(t == 0 for t, m in events if m.type == "track_name"),
        f"{label}: track name after tick 0",
    )

    channels = {m.channel for _, m in events if hasattr(m, "channel")}
    require(len(channels) == 1, f"{label}: events on channels {sorted(channels)}, not one")
    (channel,) = channels
    require(channel not in channels_taken, f"{label}: channel {channel + 1} shared with another part")
    if name == "drums":
        require(channel == DRUM_CHANNEL, f"{label}: drums on channel {channel + 1}, not 10")
    else:
        require(channel != DRUM_CHANNEL, f"{label}: a pitched part on the drum channel 10")

    programs = [(t, m) for t, m in events if m.type == "program_change"]
    require(programs, f"{label}: no program change")
    require(programs[0][0] == 0, f"{label}: first program change at tick {programs[0][0]}")
    kinds = [m.type for _, m in events]
    require(
        "note_on" not in kinds or kinds.index("program_change") < kinds.index("note_on"),
        f"{label}: a note before the program change",
    )

    sounding = {}
    last_off = 0
    for tick, message in events:
        is_on = message.type == "note_on" and message.velocity > 0
        is_off = message.type == "note_off" or (message.type == "note_on" and message.velocity == 0)
        if is_on:
            require(
                message.note not in sounding,
                f"{label}: note {message.note} struck at {tick} while still sounding "
                f"(since {sounding.get(message.note)})",
            )
            sounding[message.note] = tick
            if name == "melody":
                require(len(sounding) == 1, f"{label}: melody plays {sorted(sounding)} at {tick}")
        elif is_off:
            require(message.note in sounding, f"{label}: note-off {message.note} at {tick} without note-on")
            start = sounding.pop(message.note)
            require(tick > start, f"{label}: note {message.note} at {tick} has no length")
            last_off = max(last_off, tick)
    require(not sounding, f"{label}: notes {sorted(sounding)} never end")
    return name, channel, last_off


def check_file(path):
    midi = mido.MidiFile(path)
    require(midi.type == 1, f"format {midi.type}, not 1")
    require(midi.ticks_per_beat == PPQ, f"{midi.ticks_per_beat} ticks per quarter, not {PPQ}")
    require(len(midi.tracks) >= 2, f"{len(midi.tracks)} tracks: a conductor and at least one part")

    sidecar = os.path.splitext(path)[0] + ".json"
    expected = None
    if os.path.exists(sidecar):
        with open(sidecar, encoding="utf-8") as f:
            expected = json.load(f)

    meters = check_conductor(midi.tracks[0], expected)
    ends = {"conductor": end_of_track(midi.tracks[0], "conductor")}
    channels_taken = set()
    names = []
    last_note = 0
    for index, track in enumerate(midi.tracks[1:], start=1):
        name, channel, last_off = check_part(track, index, channels_taken)
        require(name not in names, f"track {index}: a second {name} track")
        channels_taken.add(channel)
        names.append(name)
        ends[f"track {index} ({name})"] = end_of_track(track, f"track {index}")
        last_note = max(last_note, last_off)

    end_ticks = set(ends.values())
    require(len(end_ticks) == 1, f"tracks end at different ticks: {ends}")
    (end,) = end_ticks
    bars = bars_until(end, meters)
    require(end > 0 and bars is not None, f"the tracks end at {end}, not on a bar line ({meters})")
    require(last_note <= end, f"a note sounds until {last_note}, past the end {end}")
    if expected is not None:
        if "parts" in expected:
            require(names == expected["parts"], f"parts {names}, expected {expected['parts']}")
        if "bars" in expected:
            require(
                bars == expected["bars"],
                f"ends at {end} = {bars} bars, expected {expected['bars']} bars",
            )


def main(paths):
    if not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        try:
            check_file(path)
        except Failure as failure:
            failed += 1
            print(f"FAIL {path}: {failure}")
        except (OSError, ValueError, EOFError, KeyError) as error:
            failed += 1
            print(f"FAIL {path}: cannot read it: {error}")
    print(f"checked {len(paths)} files: {len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
