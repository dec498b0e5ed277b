//! ABC 2.1 notation: one voice per staff of the notation (`crate::notate`), chord symbols
//! over the melody, every bar complete, so that `abc2midi` plays back exactly the Score's
//! notes and `abcm2ps` prints it. The notation decides the notes, ties, triplets, spelling,
//! accidentals and clefs; this module only prints them.
//!
//! Choices a reader of the output may want to know:
//! - `L:1/8` (`1/16` in meters shorter than 3/4); notes are grouped (beamed) by beat.
//! - `Q:` counts the meter's beat, as tunec's tempo does: `Q:3/8=96` in 6/8, `Q:1/2=…` in 2/2.
//! - `K:` names the mode (`K:D dorian`); pentatonic and harmonic-minor keys use the signature of
//!   their seven-note parent (`K:Am` for A harmonic minor) and write the other notes with
//!   accidentals.
//! - Triplets are written `(3:2:r`, r counting the written notes of the group.
//! - A staccato note (the notation's) is `.` before it, written twice as long as it sounds:
//!   abc2midi plays it for half its value, the Score's length.
//! - `%%MIDI program` is 0-based in abc2midi (the Score's GM program minus one) and
//!   `%%MIDI channel` is 1-based (the Score's channel plus one).
//! - The drums are the last voices, `clef=perc` on MIDI channel 10, the hands and feet (where
//!   the notation writes two voices) sharing one staff (`%%score 1 2 (3 4)`), the marks in
//!   the first: each drum is written at
//!   its place on the staff (as the notation decided), and `%%MIDI drummap` tells abc2midi
//!   which drum the pitch written there plays (under the key signature). No drum carries an
//!   accidental: abcm2ps draws a sign on a percussion staff as a note head, and its SVG output
//!   (`-g`, `-v`) has none for a natural (`svg: Symbol 'pnthd' not defined`, and the page
//!   stops). So two drums the notation tells apart by a sharp stand a step apart here.
//! - Each staff's clef is the one that needs fewer ledger lines (see `Clef::for_notes`).
//! - Where the form plays a section twice (`A A`, `A A'`), it is written once between `|:`
//!   and `:|`, with `[1` and `[2` endings for the bars that differ (the notation decides);
//!   each section's letter is a `P:` line before the line it starts. abc2midi plays the
//!   repeats out, so it still gives exactly the Score's notes.
//! - Dynamics are decorations (`!mf!`) where the notation marks them; a crescendo is `!<(!`
//!   on the first note of its first bar to `!<)!` on the last note of its last (a diminuendo
//!   `!>(!` to `!>)!`), as abcm2ps draws them. A change of key or meter is an inline field
//!   (`[K:Eb]`, `[M:12/8]`) at its bar in every voice (no key for drums), a change of tempo
//!   (`[Q:1/4=72]`) in the first voice only, as abc2midi reads it for the whole tune.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::notate::{
    ChordSymbol, Clef, Event, Measure, Notation, Staff, Tie, Wedge, WrittenNote, notate,
};
use crate::score::Score;
use crate::theory::meter::TICKS_PER_QUARTER;
use crate::theory::{
    Accidental, Key, KeySignature, Letter, Meter, Mode, NoteName, Pitch, Spelling,
};

/// Bars written on one line of ABC (one system of the printed score), and half as many when
/// the staves of some bar strike or rest at more than `BUSY_BAR` distinct moments (a drum grid
/// in sixteenths, congas against a montuno, or a jazz ride's sixteenth-note strokes with their
/// rests over a walking bass: twelve moments, which overfilled abcm2ps's SVG line), and one
/// fewer at exactly `BUSY_BAR` (bossa nova's guitar stabs, chords with a second on the ledger
/// lines under a treble clef with an 8, overfilled a line of four bars by 3%).
const BARS_PER_LINE: usize = 4;
const BUSY_BAR: usize = 11;

pub fn render(score: &Score) -> String {
    let mut notation = notate(score);
    plain_drums(&mut notation.drums);
    on_octave_clefs(&mut notation.staves);
    // A staff's dynamics are printed once, in its first voice (the drums' second voice then
    // plays at abc2midi's own loudness).
    for measure in notation
        .drums
        .iter_mut()
        .skip(1)
        .flat_map(|v| &mut v.measures)
    {
        (measure.dynamic, measure.wedge, measure.wedge_closes) = (None, None, None);
    }
    let mut out = header(score, &notation);
    let unit = unit_ticks(score.meter);
    let written = notation.written();
    for (k, line) in lines(&notation, &written).iter().enumerate() {
        // A section's label goes before the line it starts (the pickup's line included).
        let top = &notation.staves[0];
        if let Some(section) = line.iter().find_map(|&m| top.measures[m].section) {
            let _ = writeln!(out, "P:{section}");
        }
        for (i, staff) in staves(&notation).enumerate() {
            let _ = writeln!(out, "V:{}", i + 1);
            if k == 0 {
                out.push_str(&midi_setup(
                    staff,
                    i == 0,
                    &notation.signature,
                    !score.hairpins.is_empty(),
                ));
            }
            let bars: Vec<String> = line
                .iter()
                .map(|&m| {
                    let next = written.iter().find(|&&n| n > m).copied();
                    let measure = &staff.measures[m];
                    let meter = score.meter_at(measure.number.saturating_sub(1));
                    let fields = changes(measure, meter, i == 0);
                    let notes = write_measure(measure, meter, unit);
                    let open = opening(&notation, m, m == written[0]);
                    format!("{open}{fields}{notes} {}", closing(&notation, m, next))
                })
                .collect();
            let _ = writeln!(out, "{}", bars.join(" "));
        }
    }
    out
}

/// Every staff of the notation, the drums last.
fn staves(notation: &Notation) -> impl Iterator<Item = &Staff> {
    notation.staves.iter().chain(&notation.drums)
}

/// The `%%MIDI` lines that open a voice: its channel and program; for the drums, which drum
/// each written pitch plays; with `wedges`, no loudness steps of abc2midi's own at them.
fn midi_setup(staff: &Staff, top: bool, signature: &KeySignature, wedges: bool) -> String {
    let mut out = String::new();
    if top {
        let _ = writeln!(out, "%%MIDI gchordoff");
    }
    // abc2midi spreads a chord's notes 10 ticks apart unless told not to; and it would step
    // a voice's loudness at a wedge's end, in a quiet outro down to velocity 0 (a note lost),
    // where the dynamic marks already say how loud each section is.
    let _ = writeln!(out, "%%MIDI chordattack 0");
    if wedges {
        let _ = writeln!(out, "%%MIDI deltaloudness 0");
    }
    let _ = writeln!(out, "%%MIDI channel {}", staff.channel + 1);
    if staff.clef != Clef::Percussion {
        let _ = writeln!(out, "%%MIDI program {}", staff.program.saturating_sub(1));
        return out;
    }
    let drums: BTreeMap<u8, Spelling> = staff
        .measures
        .iter()
        .flat_map(|m| m.events.iter().flat_map(|e| &e.notes))
        .map(|n| (n.pitch.0, n.spelling))
        .collect();
    for (key, place) in drums {
        // The drum sounds its place under the key signature; the map reads its pitch without
        // the signature, so it writes that sign.
        let alter = signature.alter(place.name.letter);
        let written = WrittenNote {
            pitch: Pitch(key),
            spelling: place,
            accidental: (alter != 0).then(|| Accidental::of_alter(alter)),
            tie: Tie::None,
            sounds: None,
        };
        let _ = writeln!(out, "%%MIDI drummap {} {key}", note(&written));
    }
    out
}

/// The drum staff's voices as ABC writes them: every drum at the natural place of its
/// spelling, or, when an earlier drum (one spelled without a sign, or a lower key) holds that
/// place, the nearest free one (a step up first); no accidentals.
fn plain_drums(voices: &mut [Staff]) {
    let step = |s: Spelling| s.octave * 7 + s.name.letter as i32;
    let drums: BTreeMap<u8, Spelling> = (voices.iter())
        .flat_map(|v| &v.measures)
        .flat_map(|m| m.events.iter().flat_map(|e| &e.notes))
        .map(|n| (n.pitch.0, n.spelling))
        .collect();
    let mut order: Vec<(u8, Spelling)> = drums.into_iter().collect();
    order.sort_by_key(|&(key, s)| (s.name.alter != 0, key));
    let mut taken = BTreeSet::new();
    let mut places = BTreeMap::new();
    for (key, spelling) in order {
        let wanted = step(spelling);
        let free = [0, 1, -1, 2, -2, 3, -3, 4, -4]
            .into_iter()
            .map(|d| wanted + d)
            .find(|s| !taken.contains(s))
            .unwrap_or(wanted);
        taken.insert(free);
        let letter = Letter::ALL[free.rem_euclid(7) as usize];
        let place = Spelling {
            name: NoteName::new(letter, 0),
            octave: free.div_euclid(7),
        };
        places.insert(key, place);
    }
    for note in (voices.iter_mut())
        .flat_map(|v| &mut v.measures)
        .flat_map(|m| m.events.iter_mut().flat_map(|e| e.notes.iter_mut()))
    {
        note.spelling = places[&note.pitch.0];
        note.accidental = None;
    }
}

/// Notes under an octave clef written where they stand on the staff: ABC's `treble-8` plays
/// a written C4 as C3, where MusicXML's pitch is the C3 the clef shows on that line.
fn on_octave_clefs(staves: &mut [Staff]) {
    for staff in staves.iter_mut().filter(|s| s.clef.octave() != 0) {
        let octave = i32::from(staff.clef.octave());
        for note in (staff.measures.iter_mut())
            .flat_map(|m| m.events.iter_mut().flat_map(|e| e.notes.iter_mut()))
        {
            note.spelling.octave -= octave;
        }
    }
}

/// How many distinct moments of measure `m` some staff strikes or rests at: the columns
/// abcm2ps must space apart, however the staves share them out.
fn onsets(notation: &Notation, m: usize) -> usize {
    let mut at: Vec<u32> = staves(notation)
        .filter_map(|s| s.measures.get(m))
        .flat_map(|measure| {
            measure.events.iter().scan(0, |t, e| {
                let start = *t;
                *t += e.sounding_ticks();
                Some(start)
            })
        })
        .collect();
    at.sort_unstable();
    at.dedup();
    at.len()
}

/// The written measures in lines: each written section (the pickup with the first) in as
/// few lines of at most `BARS_PER_LINE` bars of the opening meter as it needs, as even as
/// they can be. A bar of another meter counts by its length, plus a quarter of an opening
/// bar for its bar line and spacing, which every bar needs.
fn lines(notation: &Notation, written: &[usize]) -> Vec<Vec<usize>> {
    let Some(top) = notation.staves.first() else {
        return Vec::new();
    };
    let most = (0..top.measures.len()).map(|m| onsets(notation, m)).max();
    let per_line = match most.unwrap_or(0) {
        n if n > BUSY_BAR => BARS_PER_LINE / 2,
        BUSY_BAR => BARS_PER_LINE - 1,
        _ => BARS_PER_LINE,
    };
    let is_bar = |m: usize| top.measures[m].number > 0;
    // A measure's room on the line; the pickup's does not count.
    let overhead = notation.meter.bar_ticks() / 4;
    let ticks = |m: usize| -> u32 {
        let events = &top.measures[m].events;
        let length: u32 = events.iter().map(Event::sounding_ticks).sum();
        (length + overhead) * u32::from(is_bar(m))
    };
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for &m in written {
        let bars = runs
            .last()
            .map_or(0, |r| r.iter().filter(|&&m| is_bar(m)).count());
        if runs.is_empty() || (top.measures[m].section.is_some() && bars > 0) {
            runs.push(Vec::new());
        }
        runs.last_mut().expect("a run").push(m);
    }
    let line_ticks = per_line as u32 * (notation.meter.bar_ticks() + overhead);
    let mut lines: Vec<Vec<usize>> = Vec::new();
    for run in runs {
        let total: u32 = run.iter().map(|&m| ticks(m)).sum();
        let count = total.div_ceil(line_ticks).max(1);
        // Line k ends at the first bar line at or past k/count of the run.
        let (first, mut done, mut k) = (lines.len(), 0, 1);
        for m in run {
            if lines.len() == first || (is_bar(m) && done * count >= k * total) {
                lines.push(Vec::new());
                k += u32::from(lines.len() > first + 1);
            }
            lines.last_mut().expect("a line").push(m);
            done += ticks(m);
        }
    }
    lines
}

/// What stands before measure `m`: the forward repeat of the tune's `first` measure, and an
/// ending's number where one starts.
fn opening(notation: &Notation, m: usize, first: bool) -> String {
    let Some(repeat) = notation.repeat_at(m) else {
        return String::new();
    };
    let mut out = String::new();
    if first && repeat.start == m {
        out.push_str("|: ");
    }
    if let Some(n) = repeat
        .ending_of(m)
        .filter(|&n| m == 0 || repeat.ending_of(m - 1) != Some(n))
    {
        let _ = write!(out, "[{n} ");
    }
    out
}

/// The inline fields of a measure where the key, the meter or (in the `top` voice, which
/// abc2midi's tempo follows) the tempo changes: `[K:D] [M:3/4] [Q:1/4=72] `.
fn changes(measure: &Measure, meter: Meter, top: bool) -> String {
    let mut out = String::new();
    if let Some(signature) = measure.key {
        let _ = write!(out, "[K:{}] ", key_field(signature.key));
    }
    if let Some(meter) = measure.meter {
        let _ = write!(out, "[M:{meter}] ");
    }
    if let Some(bpm) = measure.tempo.filter(|_| top) {
        let beat = fraction(meter.beat_ticks(), TICKS_PER_QUARTER * 4);
        let _ = write!(out, "[Q:{beat}={bpm}] ");
    }
    out
}

/// The bar line after measure `m`, whose written successor is `next`: `|`, `||` (before a new
/// section, key or meter), `|:`, `:|`, `::`, or `|]` at the end.
fn closing(notation: &Notation, m: usize, next: Option<usize>) -> &'static str {
    let ends = notation
        .repeat_at(m)
        .is_some_and(|r| r.last_of_first_pass() == m);
    let starts = next.is_some_and(|n| notation.repeat_at(n).is_some_and(|r| r.start == n));
    match (ends, starts, next) {
        (true, true, _) => "::",
        (true, false, _) => ":|",
        (false, true, _) => "|:",
        (false, false, Some(_)) if notation.double_bar(m, next) => "||",
        (false, false, Some(_)) => "|",
        (false, false, None) => "|]",
    }
}

/// `X:` to `K:`: title, meter, unit length, tempo, a `V:` per staff and the key.
fn header(score: &Score, notation: &Notation) -> String {
    let meter = score.meter;
    let mut out = String::new();
    let _ = writeln!(out, "X:1");
    let _ = writeln!(out, "T:{}", one_line(&score.title));
    let _ = writeln!(out, "M:{meter}");
    let _ = writeln!(
        out,
        "L:{}",
        fraction(unit_ticks(meter), TICKS_PER_QUARTER * 4)
    );
    let _ = writeln!(
        out,
        "Q:{}={}",
        fraction(meter.beat_ticks(), TICKS_PER_QUARTER * 4),
        score.tempo
    );
    let count = staves(notation).count();
    if notation.drums.len() > 1 {
        // The drums' voices share one staff: `%%score 1 2 (3 4)`.
        let pitched = (1..=notation.staves.len()).map(|v| v.to_string());
        let drums = (notation.staves.len() + 1..=count).map(|v| v.to_string());
        let drums = format!("({})", drums.collect::<Vec<_>>().join(" "));
        let all: Vec<String> = pitched.chain([drums]).collect();
        let _ = writeln!(out, "%%score {}", all.join(" "));
    }
    for (i, staff) in staves(notation).enumerate() {
        let mut clef = match staff.clef {
            Clef::Treble => "treble",
            Clef::TrebleOctaveUp => "treble+8",
            Clef::TrebleOctaveDown => "treble-8",
            Clef::Bass => "bass",
            Clef::Percussion => "perc",
        }
        .to_string();
        // Played this many semitones above the written notes; abcm2ps prints them as written.
        if staff.transpose != 0 {
            clef += &format!(" transpose={}", 12 * i32::from(staff.transpose));
        }
        // A second drum voice is on the first's staff: no name of its own.
        if i > notation.staves.len() {
            let _ = writeln!(out, "V:{} clef={clef}", i + 1);
        } else {
            let _ = writeln!(out, "V:{} name=\"{}\" clef={clef}", i + 1, staff.label());
        }
    }
    let _ = writeln!(out, "K:{}", key_field(notation.signature.key));
    out
}

/// The ABC unit note length: an eighth, or a sixteenth in meters shorter than 3/4.
fn unit_ticks(meter: Meter) -> u32 {
    if 4 * meter.count as u32 >= 3 * meter.unit as u32 {
        TICKS_PER_QUARTER / 2
    } else {
        TICKS_PER_QUARTER / 4
    }
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// `3/8`: the fraction `num/den` in lowest terms, always with a denominator.
fn fraction(num: u32, den: u32) -> String {
    let g = gcd(num, den);
    format!("{}/{}", num / g, den / g)
}

/// The ABC length suffix of `ticks` in units of `unit`: ``, `2`, `/2`, `3/2`.
fn length(ticks: u32, unit: u32) -> String {
    let g = gcd(ticks, unit);
    match (ticks / g, unit / g) {
        (1, 1) => String::new(),
        (n, 1) => n.to_string(),
        (1, d) => format!("/{d}"),
        (n, d) => format!("{n}/{d}"),
    }
}

fn one_line(text: &str) -> String {
    text.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}

/// `D dorian`, `Bm`: the `K:` field of a seven-note key.
fn key_field(key: Key) -> String {
    let mode = match key.mode {
        Mode::Major => "",
        Mode::Minor | Mode::Aeolian => "m",
        Mode::Dorian => " dorian",
        Mode::Phrygian => " phrygian",
        Mode::Lydian => " lydian",
        Mode::Mixolydian => " mixolydian",
        Mode::Locrian => " locrian",
        // A signature's key is never one of these; read them as their parents.
        Mode::HarmonicMinor | Mode::MinorPentatonic => "m",
        Mode::MajorPentatonic => "",
    };
    format!("{}{mode}", key.tonic)
}

/// One measure of one voice, notes grouped (beamed) by beat.
fn write_measure(measure: &Measure, meter: Meter, unit: u32) -> String {
    let beat = meter.beat_ticks();
    let mut out = String::new();
    let mut at = 0;
    let last = measure.events.len().saturating_sub(1);
    for (k, event) in measure.events.iter().enumerate() {
        let mut decorations = String::new();
        if let Some(level) = measure.dynamic.filter(|_| k == 0) {
            let _ = write!(decorations, "!{}!", crate::vocabulary::dynamic_name(level));
        }
        match measure.wedge.filter(|_| k == 0) {
            Some(Wedge::Crescendo) => decorations.push_str("!<(!"),
            Some(Wedge::Diminuendo) => decorations.push_str("!>(!"),
            None => {}
        }
        // A wedge ends on the last note (or rest) before the bar line that closes it.
        match measure.wedge_closes.filter(|_| k == last) {
            Some(Wedge::Crescendo) => decorations.push_str("!<)!"),
            Some(Wedge::Diminuendo) => decorations.push_str("!>)!"),
            None => {}
        }
        write_event(&mut out, event, &decorations, unit);
        at += event.sounding_ticks();
        if at.is_multiple_of(beat) || event.length.ticks() >= beat {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// An event: a tuplet's opening, its chord symbol, its `decorations` (a dynamic mark `!mf!`,
/// a wedge's ends `!<(!`, `!<)!`), a staccato dot, then a rest, a note or a chord of notes.
fn write_event(out: &mut String, event: &Event, decorations: &str, unit: u32) {
    if let Some(tuplet) = event.tuplet.filter(|t| t.index == 0) {
        let _ = write!(out, "({}:{}:{}", tuplet.actual, tuplet.normal, tuplet.count);
    }
    if let Some(chord) = event.chord_symbol {
        let _ = write!(out, "\"{}\"", chord_symbol(chord));
    }
    out.push_str(decorations);
    if event.staccato {
        out.push('.');
    }
    let len = length(event.length.ticks(), unit);
    if event.is_rest() {
        let _ = write!(out, "z{len}");
        return;
    }
    // Each note of a chord carries its own length and tie: `[C2-E2G2]`.
    let notes: Vec<String> = event
        .notes
        .iter()
        .map(|n| {
            let tie = if n.tie.to_next() { "-" } else { "" };
            format!("{}{len}{tie}", note(n))
        })
        .collect();
    if let [single] = &notes[..] {
        out.push_str(single);
    } else {
        let _ = write!(out, "[{}]", notes.concat());
    }
}

/// `"Bm"`'s text: the symbol as tunec prints it (`F#m`, `Bb`, `A7`, `Gmaj7`, `C/E`).
fn chord_symbol(symbol: ChordSymbol) -> String {
    symbol.to_string()
}

/// A written note in ABC: its accidental, letter, octave marks (`C` is middle C, `c` above).
fn note(note: &WrittenNote) -> String {
    let mut out = String::new();
    if let Some(accidental) = note.accidental {
        out.push_str(match accidental {
            Accidental::DoubleFlat => "__",
            Accidental::Flat => "_",
            Accidental::Natural => "=",
            Accidental::Sharp => "^",
            Accidental::DoubleSharp => "^^",
        });
    }
    let Spelling { name, octave } = note.spelling;
    let c = name.letter.as_char();
    if octave >= 5 {
        out.push(c.to_ascii_lowercase());
        out.extend(std::iter::repeat_n('\'', (octave - 5) as usize));
    } else {
        out.push(c);
        out.extend(std::iter::repeat_n(',', (4 - octave).max(0) as usize));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::PartRole;
    use crate::score::fixtures::{melody_over_c as score, n};

    use crate::theory::{Letter, NoteName};

    fn name(letter: Letter, alter: i8) -> NoteName {
        NoteName::new(letter, alter)
    }

    #[test]
    fn keys() {
        let k = |l, a, m| key_field(Key::new(name(l, a), m).signature_key());
        assert_eq!(k(Letter::D, 0, Mode::Dorian), "D dorian");
        assert_eq!(k(Letter::B, 0, Mode::Minor), "Bm");
        assert_eq!(k(Letter::A, 0, Mode::HarmonicMinor), "Am");
        assert_eq!(k(Letter::C, 0, Mode::MajorPentatonic), "C");
        assert_eq!(k(Letter::G, 1, Mode::Major), "Ab");
        assert_eq!(k(Letter::F, 1, Mode::Minor), "F#m");
    }

    #[test]
    fn octave_clefs_and_transposing_parts_are_written_where_players_read_them() {
        let mut s = score(Meter::new(4, 4).unwrap(), vec![n(0, 1920, 91)]);
        s.parts[0].program = 10; // glockenspiel: G6 written G4, played two octaves up
        let mut guitar = s.parts[0].clone();
        (guitar.role, guitar.program, guitar.channel) = (PartRole::Chords, 25, 1);
        guitar.notes = vec![n(0, 1920, 48)]; // C3, written C4 under a treble clef with an 8
        s.parts.push(guitar);
        let abc = render(&s);
        assert!(
            abc.contains("V:1 name=\"melody\" clef=treble transpose=24\n"),
            "{abc}"
        );
        assert!(abc.contains("V:2 name=\"chords\" clef=treble-8\n"), "{abc}");
        let body: Vec<&str> = abc.lines().filter(|l| l.ends_with("|]")).collect();
        assert_eq!(body, ["\"C\"G8 | z8 |]", "C8 | z8 |]"], "{abc}");
    }

    #[test]
    fn lengths() {
        assert_eq!(length(240, 240), "");
        assert_eq!(length(360, 240), "3/2");
        assert_eq!(length(120, 240), "/2");
        assert_eq!(length(2880, 240), "12");
    }

    #[test]
    fn notes_with_accidentals_and_octave_marks() {
        let mut s = score(
            Meter::new(4, 4).unwrap(),
            [68, 68, 80, 79, 45, 84]
                .iter()
                .enumerate()
                .map(|(i, &p)| n(i as u32 * 240, 240, p))
                .collect(),
        );
        s.key = Key::new(name(Letter::A, 0), Mode::HarmonicMinor);
        let abc = render(&s);
        assert!(abc.contains("\nK:Am\n"), "{abc}");
        assert_eq!(
            abc.lines().last().unwrap(),
            "\"C\"^GG ^g=g A,,c' z2 | z8 |]"
        );
    }

    #[test]
    fn ties_across_bar_lines_and_triplets() {
        let four = Meter::new(4, 4).unwrap();
        let abc = render(&score(
            four,
            vec![
                n(0, 160, 60),
                n(160, 160, 62),
                n(320, 160, 64),
                n(1440, 960, 65),
            ],
        ));
        let body = abc.lines().last().unwrap();
        assert_eq!(body, "(3:2:3\"C\"CDE z4 F2- | F2 z6 |]");
    }

    #[test]
    fn a_tempo_change_is_an_inline_field_and_a_hairpin_spans_its_bars() {
        use crate::score::{Change, Hairpin};
        let notes = vec![n(0, 1920, 60), n(1920, 960, 62), n(2880, 960, 64)];
        let mut s = score(Meter::new(4, 4).unwrap(), notes);
        s.changes = vec![(1, Change::Tempo(60))];
        s.hairpins = vec![Hairpin {
            from: 1,
            to: 2,
            louder: false,
        }];
        let body = render(&s).lines().last().unwrap().to_string();
        assert_eq!(body, "\"C\"C8 | [Q:1/4=60] !>(!D4 !>)!E4 |]");
    }

    #[test]
    fn a_repeated_section_has_repeat_signs_endings_and_its_label() {
        use crate::syntax::SectionName;
        let notes = [60, 62, 60, 64].iter().enumerate();
        let notes = notes.map(|(k, &p)| n(k as u32 * 1920, 1920, p)).collect();
        let mut s = score(Meter::new(4, 4).unwrap(), notes);
        s.bars = 4;
        s.harmony[0].end = 4 * 1920;
        let (a, varied) = ('A', [false, true]);
        s.sections = vec![(
            0,
            SectionName {
                varied: varied[0],
                ..SectionName::letter(a)
            },
        )];
        s.sections.push((
            2,
            SectionName {
                varied: varied[1],
                ..SectionName::letter(a)
            },
        ));
        let abc = render(&s);
        let body = abc.split_once("K:C\n").unwrap().1;
        assert!(body.starts_with("P:A\n"), "{abc}");
        assert!(body.ends_with("|: \"C\"C8 | [1 D8 :| [2 E8 |]\n"), "{abc}");
    }

    #[test]
    fn dynamics_are_decorations_after_the_chord_symbol() {
        let four = Meter::new(4, 4).unwrap();
        let mut s = score(four, vec![n(0, 1920, 60), n(1920, 1920, 62)]);
        s.parts[0].dynamics = vec![(0, 4), (1920, 7)];
        let body = render(&s);
        assert_eq!(body.lines().last().unwrap(), "\"C\"!mp!C8 | !ff!D8 |]");
    }

    #[test]
    fn compound_time_header() {
        let abc = render(&score(Meter::new(6, 8).unwrap(), vec![n(0, 2880, 62)]));
        assert!(abc.contains("\nL:1/8\nQ:3/8=120\n"), "{abc}");
        assert!(abc.contains("\"C\"D6- | D6 |]"), "{abc}");
    }
}
