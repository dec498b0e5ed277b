//! ABC 2.1 notation: one voice per pitched part, chord symbols over the melody, every bar
//! complete, so that `abc2midi` plays back exactly the Score's notes and `abcm2ps` prints it.
//!
//! Choices a reader of the output may want to know:
//! - `L:1/8` (`1/16` in meters shorter than 3/4); longer or odd lengths are written as tied
//!   notes of plain or dotted values, and notes crossing a bar line (or a chord change in the
//!   melody, so the chord symbol has a note to sit on) are tied across it.
//! - `Q:` counts the meter's beat, as tunec's tempo does: `Q:3/8=96` in 6/8, `Q:1/2=…` in 2/2.
//! - `K:` names the mode (`K:D dorian`); pentatonic and harmonic-minor keys use the signature of
//!   their seven-note parent (`K:Am` for A harmonic minor) and write the other notes with
//!   accidentals.
//! - Accidentals last to the bar line. One is written on a note that differs from the key
//!   signature, unless the same accidental was already written on this letter in this octave
//!   (with no other accidental on the letter since); after any accidental on a letter, every
//!   later note of that letter in the bar gets one (`=` for a natural) unless that rule spares
//!   it. The notes then read the same whether a program carries an accidental to one octave
//!   (ABC 2.1) or to all (abc2midi).
//! - A note tied over a bar line is written again with its accidental after the bar line.
//! - `%%MIDI program` is 0-based in abc2midi (the Score's GM program minus one) and
//!   `%%MIDI channel` is 1-based (the Score's channel plus one).
//! - Drums (channel 10) are left out: ABC has no portable percussion notation.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::score::{Part, Score};
use crate::theory::meter::TICKS_PER_QUARTER;
use crate::theory::{Chord, Key, Letter, Meter, Mode, NoteName, Pitch};

/// Bars written on one line of ABC (one system of the printed score).
const BARS_PER_LINE: u32 = 4;

/// The 0-based MIDI channel of drums, which ABC output leaves out.
const DRUM_CHANNEL: u8 = 9;

/// Plain and dotted note values, longest first, in ticks (dotted whole down to a 128th).
const WRITABLE: [u32; 15] = [
    2880, 1920, 1440, 960, 720, 480, 360, 240, 180, 120, 90, 60, 45, 30, 15,
];

pub fn render(score: &Score) -> String {
    let meter = score.meter;
    let unit = unit_ticks(meter);
    let key = AbcKey::new(score.key);
    let parts: Vec<&Part> = score
        .parts
        .iter()
        .filter(|p| p.channel != DRUM_CHANNEL)
        .collect();

    let mut out = String::new();
    let _ = writeln!(out, "X:1");
    let _ = writeln!(out, "T:{}", one_line(&score.title));
    let _ = writeln!(out, "M:{meter}");
    let _ = writeln!(out, "L:{}", fraction(unit, TICKS_PER_QUARTER * 4));
    let _ = writeln!(
        out,
        "Q:{}={}",
        fraction(meter.beat_ticks(), TICKS_PER_QUARTER * 4),
        score.tempo
    );
    for (i, part) in parts.iter().enumerate() {
        let _ = writeln!(
            out,
            "V:{} name=\"{}\" clef={}",
            i + 1,
            part.name(),
            clef(part)
        );
    }
    let _ = writeln!(out, "K:{}", key.field);

    let bar_ticks = meter.bar_ticks();
    let mut first_bar = 0;
    while first_bar < score.bars {
        let last_bar = (first_bar + BARS_PER_LINE).min(score.bars);
        for (i, part) in parts.iter().enumerate() {
            let _ = writeln!(out, "V:{}", i + 1);
            if first_bar == 0 {
                if i == 0 {
                    let _ = writeln!(out, "%%MIDI gchordoff");
                }
                // abc2midi spreads a chord's notes 10 ticks apart unless told not to.
                let _ = writeln!(out, "%%MIDI chordattack 0");
                let _ = writeln!(out, "%%MIDI channel {}", part.channel + 1);
                let _ = writeln!(out, "%%MIDI program {}", part.program.saturating_sub(1));
            }
            let chords = if i == 0 { &score.harmony[..] } else { &[] };
            let mut line = String::new();
            for bar in first_bar..last_bar {
                let start = bar * bar_ticks;
                let elements = bar_elements(part, chords, start, start + bar_ticks);
                line.push_str(&write_bar(&elements, &key, meter, unit));
                line.push_str(if bar + 1 == score.bars { " |]" } else { " |" });
                if bar + 1 < last_bar {
                    line.push(' ');
                }
            }
            let _ = writeln!(out, "{line}");
        }
        first_bar = last_bar;
    }
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

/// The bass clef for parts that sit mostly below middle C's G, else treble.
fn clef(part: &Part) -> &'static str {
    if part.notes.is_empty() {
        return "treble";
    }
    let sum: u32 = part.notes.iter().map(|n| n.pitch.0 as u32).sum();
    if sum / (part.notes.len() as u32) < 55 {
        "bass"
    } else {
        "treble"
    }
}

/// The key as ABC writes it, and the accidentals its signature gives each letter.
struct AbcKey {
    field: String,
    /// Spells the Score's pitches (in the Score's own mode, so harmonic minor gets its
    /// raised seventh).
    spelling: Key,
    /// The alteration the signature gives each letter, indexed by `Letter as usize`.
    signature: [i8; 7],
}

impl AbcKey {
    fn new(key: Key) -> AbcKey {
        let parent = key.mode.heptatonic();
        let parent = if parent == Mode::HarmonicMinor {
            Mode::Minor
        } else {
            parent
        };
        // A tonic whose scale needs double sharps or flats (G# major) is respelled (Ab major).
        let plain = |tonic: NoteName| {
            Key::new(tonic, parent)
                .spelled_scale()
                .iter()
                .all(|n| n.alter.abs() <= 1)
        };
        let tonic = if plain(key.tonic) {
            key.tonic
        } else {
            Letter::ALL
                .iter()
                .map(|&l| NoteName::spell_on(l, key.tonic_class()))
                .filter(|n| n.alter.abs() <= 1 && plain(*n))
                .min_by_key(|n| n.alter.abs())
                .unwrap_or(key.tonic)
        };
        let mut signature = [0; 7];
        for name in Key::new(tonic, parent).spelled_scale() {
            signature[name.letter as usize] = name.alter;
        }
        let mode = match parent {
            Mode::Major => "",
            Mode::Minor | Mode::Aeolian => "m",
            Mode::Dorian => " dorian",
            Mode::Phrygian => " phrygian",
            Mode::Lydian => " lydian",
            Mode::Mixolydian => " mixolydian",
            Mode::Locrian => " locrian",
            // `heptatonic` never returns these; read them as their parents.
            Mode::HarmonicMinor | Mode::MinorPentatonic => "m",
            Mode::MajorPentatonic => "",
        };
        AbcKey {
            field: format!("{}{mode}", abc_name(tonic)),
            spelling: Key::new(tonic, key.mode),
            signature,
        }
    }
}

/// `F#`, `Bb`: a note name as `K:` and chord symbols write it.
fn abc_name(name: NoteName) -> String {
    name.to_string()
}

/// A stretch of one voice within a bar: the pitches sounding (none for a rest), whether each
/// continues into the next stretch, and the chord symbol starting here.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Element {
    ticks: u32,
    pitches: Vec<(Pitch, bool)>,
    chord: Option<Chord>,
}

/// The voice's stretches in `[start, end)`, cut at every note start and end and every chord
/// change in `harmony` (only the melody carries chord symbols).
fn bar_elements(
    part: &Part,
    harmony: &[crate::score::ChordSpan],
    start: u32,
    end: u32,
) -> Vec<Element> {
    let mut cuts: BTreeSet<u32> = [start, end].into();
    let notes: Vec<_> = part
        .notes
        .iter()
        .filter(|n| n.start < end && n.end() > start)
        .collect();
    for n in &notes {
        cuts.extend(
            [n.start, n.end()]
                .into_iter()
                .filter(|t| (start..end).contains(t)),
        );
    }
    let mut symbols = Vec::new();
    let mut previous: Option<Chord> = None;
    for span in harmony {
        if previous != Some(span.chord) && (start..end).contains(&span.start) {
            cuts.insert(span.start);
            symbols.push((span.start, span.chord));
        }
        previous = Some(span.chord);
    }
    let cuts: Vec<u32> = cuts.into_iter().collect();
    let mut elements: Vec<Element> = Vec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let mut pitches: Vec<(Pitch, bool)> = notes
            .iter()
            .filter(|n| n.start <= a && n.end() > a)
            .map(|n| (n.pitch, n.end() > b))
            .collect();
        pitches.sort();
        pitches.dedup_by_key(|p| p.0);
        let chord = symbols.iter().find(|(t, _)| *t == a).map(|(_, c)| *c);
        match elements.last_mut() {
            Some(last) if pitches.is_empty() && last.pitches.is_empty() && chord.is_none() => {
                last.ticks += b - a;
            }
            _ => elements.push(Element {
                ticks: b - a,
                pitches,
                chord,
            }),
        }
    }
    elements
}

/// `ticks` as plain or dotted values, longest first; a remainder no value fits is kept whole.
fn pieces(mut ticks: u32) -> Vec<u32> {
    let mut out = Vec::new();
    while ticks > 0 {
        match WRITABLE
            .iter()
            .find(|&&w| w <= ticks && (ticks - w).is_multiple_of(15))
        {
            Some(&w) => {
                out.push(w);
                ticks -= w;
            }
            None => {
                out.push(ticks);
                ticks = 0;
            }
        }
    }
    out
}

/// An element's written lengths: split into writable pieces, each 3/2 as long inside a triplet.
struct Written {
    element: usize,
    pieces: Vec<u32>,
}

/// One bar of one voice, notes grouped (beamed) by beat.
fn write_bar(elements: &[Element], key: &AbcKey, meter: Meter, unit: u32) -> String {
    let beat = meter.beat_ticks();
    let mut accidentals = [None; 7];
    let mut out = String::new();
    let mut at = 0;
    let mut i = 0;
    while i < elements.len() {
        // A run of elements whose lengths are off the 32nd-note grid (160 ticks: a triplet
        // eighth) is a tuplet: written 3/2 as long under `(3:2:r`, r counting written notes.
        let in_tuplet = |e: &Element| !e.ticks.is_multiple_of(60) && e.ticks.is_multiple_of(2);
        let run_end = if in_tuplet(&elements[i]) {
            i + elements[i..].iter().take_while(|e| in_tuplet(e)).count()
        } else {
            i + 1
        };
        let tuplet = in_tuplet(&elements[i]);
        let written: Vec<Written> = (i..run_end)
            .map(|e| Written {
                element: e,
                pieces: if tuplet {
                    pieces(elements[e].ticks * 3 / 2)
                } else {
                    pieces(elements[e].ticks)
                },
            })
            .collect();
        if tuplet {
            let r: usize = written.iter().map(|w| w.pieces.len()).sum();
            let _ = write!(out, "(3:2:{r}");
        }
        for w in &written {
            let element = &elements[w.element];
            for (k, &piece) in w.pieces.iter().enumerate() {
                if k == 0
                    && let Some(chord) = element.chord
                {
                    let _ = write!(out, "\"{}\"", chord_symbol(chord));
                }
                let len = length(piece, unit);
                if element.pitches.is_empty() {
                    let _ = write!(out, "z{len}");
                } else {
                    let last = k + 1 == w.pieces.len();
                    // Each note of a chord carries its own length and tie: `[C2-E2G2]`.
                    let notes: Vec<String> = element
                        .pitches
                        .iter()
                        .map(|&(pitch, tie)| {
                            let tie = if tie || !last { "-" } else { "" };
                            format!("{}{len}{tie}", note(pitch, key, &mut accidentals))
                        })
                        .collect();
                    if notes.len() == 1 {
                        out.push_str(&notes[0]);
                    } else {
                        let _ = write!(out, "[{}]", notes.concat());
                    }
                }
                at += if tuplet { piece * 2 / 3 } else { piece };
                if at.is_multiple_of(beat) || piece >= beat {
                    out.push(' ');
                }
            }
        }
        i = run_end;
    }
    out.trim_end().to_string()
}

/// `"Bm"`'s text: the symbol as tunec prints it (`F#m`, `Bb`, `A7`, `Gmaj7`).
fn chord_symbol(chord: Chord) -> String {
    chord.to_string()
}

/// The accidentals written so far in a bar, per letter: the last one and the octaves
/// (bit per scientific octave + 1) it was written in since it became the last.
type Accidentals = [Option<(i8, u16)>; 7];

/// A pitch in ABC: accidental if needed, letter, octave marks (`C` is middle C, `c` above it).
fn note(pitch: Pitch, key: &AbcKey, accidentals: &mut Accidentals) -> String {
    let name = key.spelling.spell(pitch.class());
    let letter = name.letter as usize;
    let octave = pitch.octave_for(name);
    let bit = 1u16 << (octave + 1).clamp(0, 15);
    let mut out = String::new();
    let needed = match accidentals[letter] {
        None => name.alter != key.signature[letter],
        Some((alter, octaves)) => alter != name.alter || octaves & bit == 0,
    };
    if needed {
        accidentals[letter] = match accidentals[letter] {
            Some((alter, octaves)) if alter == name.alter => Some((alter, octaves | bit)),
            _ => Some((name.alter, bit)),
        };
        out.push_str(match name.alter {
            a if a <= -2 => "__",
            -1 => "_",
            0 => "=",
            1 => "^",
            _ => "^^",
        });
    }
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
    use crate::score::{ChordSpan, Note};
    use crate::theory::ChordQuality;

    fn name(letter: Letter, alter: i8) -> NoteName {
        NoteName::new(letter, alter)
    }

    #[test]
    fn keys() {
        let k = |l, a, m| AbcKey::new(Key::new(name(l, a), m)).field;
        assert_eq!(k(Letter::D, 0, Mode::Dorian), "D dorian");
        assert_eq!(k(Letter::B, 0, Mode::Minor), "Bm");
        assert_eq!(k(Letter::A, 0, Mode::HarmonicMinor), "Am");
        assert_eq!(k(Letter::C, 0, Mode::MajorPentatonic), "C");
        assert_eq!(k(Letter::G, 1, Mode::Major), "Ab");
        assert_eq!(k(Letter::F, 1, Mode::Minor), "F#m");
    }

    #[test]
    fn lengths_and_pieces() {
        assert_eq!(length(240, 240), "");
        assert_eq!(length(360, 240), "3/2");
        assert_eq!(length(120, 240), "/2");
        assert_eq!(length(2880, 240), "12");
        assert_eq!(pieces(2400), [1920, 480]);
        assert_eq!(pieces(2160), [1920, 240]);
        assert_eq!(pieces(1680), [1440, 240]);
        assert_eq!(pieces(180), [180]);
    }

    #[test]
    fn accidentals_read_the_same_under_either_propagation() {
        let key = AbcKey::new(Key::new(name(Letter::A, 0), Mode::HarmonicMinor));
        let mut bar = [None; 7];
        assert_eq!(note(Pitch(68), &key, &mut bar), "^G");
        assert_eq!(note(Pitch(68), &key, &mut bar), "G");
        assert_eq!(note(Pitch(80), &key, &mut bar), "^g");
        assert_eq!(note(Pitch(79), &key, &mut bar), "=g");
        assert_eq!(note(Pitch(68), &key, &mut bar), "^G");
        assert_eq!(note(Pitch(69), &key, &mut bar), "A");
        assert_eq!(note(Pitch(45), &key, &mut bar), "A,,");
        assert_eq!(note(Pitch(84), &key, &mut bar), "c'");
    }

    fn score(meter: Meter, notes: Vec<Note>) -> Score {
        let c = Chord::new(name(Letter::C, 0), ChordQuality::Major);
        Score {
            title: "t".into(),
            key: Key::new(name(Letter::C, 0), Mode::Major),
            meter,
            tempo: 120,
            bars: 2,
            seed: 0,
            swing: false,
            sections: Vec::new(),
            harmony: vec![ChordSpan {
                start: 0,
                end: 2 * meter.bar_ticks(),
                chord: c,
            }],
            parts: vec![Part {
                role: PartRole::Melody,
                program: 1,
                channel: 0,
                notes,
            }],
            gave_way: Vec::new(),
        }
    }

    fn n(start: u32, duration: u32, pitch: u8) -> Note {
        Note {
            start,
            duration,
            pitch: Pitch(pitch),
            velocity: 80,
        }
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
    fn compound_time_header() {
        let abc = render(&score(Meter::new(6, 8).unwrap(), vec![n(0, 2880, 62)]));
        assert!(abc.contains("\nL:1/8\nQ:3/8=120\n"), "{abc}");
        assert!(abc.contains("\"C\"D6- | D6 |]"), "{abc}");
    }
}
