//! One part's measures: the opening attributes, the top part's directions (tempo, swing,
//! rehearsal marks) and chord symbols, and the notes with their ties, tuplets and beams.

use super::drums::Struck;
use super::mode_name;
use super::xml::Xml;
use crate::notate::{
    Beam, ChordSymbol, Clef, Event, Length, Measure, Notation, Repeat, Staff, Tie, Wedge,
    WrittenNote,
};
use crate::score::{Score, Swing};
use crate::theory::meter::TICKS_PER_QUARTER;
use crate::theory::{Accidental, ChordQuality, KeySignature, Meter, NoteValue};

/// The written measures of the part `id`, whose `voices` (one staff's: a pitched staff, or
/// the drums' hands and feet) are written one after the other with a `<backup>` between,
/// numbered as written (a pickup is 0); the `top` part carries the directions.
pub(super) fn write_part(
    xml: &mut Xml,
    score: &Score,
    notation: &Notation,
    voices: &[Staff],
    top: bool,
    id: &str,
) {
    let staff = &voices[0];
    let written = notation.written();
    let struck = (staff.clef == Clef::Percussion).then(|| super::drums::struck(voices, &written));
    let pickup = staff.measures.first().is_some_and(|m| m.number == 0);
    let starts: Vec<u32> = score.measures().iter().map(|m| m.1).collect();
    for (w, &i) in written.iter().enumerate() {
        let measure = &staff.measures[i];
        let number = (w + 1 - usize::from(pickup)).to_string();
        let mut attributes = vec![("number", number.as_str())];
        if measure.number == 0 {
            attributes.push(("implicit", "yes"));
        }
        xml.element("measure", &attributes, |xml| {
            barline(xml, notation, i, Side::Left, Ends::No);
            if i == 0 {
                opening_attributes(xml, notation, staff);
            } else if measure.key.is_some() || measure.meter.is_some() {
                let key = measure.key.filter(|_| staff.clef != Clef::Percussion);
                xml.element("attributes", &[], |xml| signatures(xml, key, measure.meter));
            }
            if top {
                directions(xml, score, measure, i == 0);
            }
            if let Some(level) = measure.dynamic {
                dynamic(xml, level);
            }
            match measure.wedge {
                Some(Wedge::Crescendo) => wedge(xml, "crescendo"),
                Some(Wedge::Diminuendo) => wedge(xml, "diminuendo"),
                None => {}
            }
            // The drums' voices in the order that reads best in MuseScore (`drums::struck`).
            let order = struck.as_ref().map_or(vec![0], |s| s.1[w].clone());
            let mut length = None;
            for v in order {
                let measure = &voices[v].measures[i];
                // A lower voice that rests through the measure is left out.
                if !super::drums::voice_written(v, &measure.events) {
                    continue;
                }
                if let Some(length) = length {
                    xml.element("backup", &[], |xml| xml.text("duration", length));
                }
                let drums = struck.as_ref().map(|s| DrumVoice {
                    id,
                    struck: &s.0[v][w],
                    voice: v as u8 + 1,
                });
                length = Some(write_voice(xml, score, measure, starts[i], drums, v == 0));
            }
            let ends = match written.get(w + 1) {
                None => Ends::Piece,
                Some(&next) if notation.double_bar(i, Some(next)) => Ends::Passage,
                Some(_) => Ends::No,
            };
            barline(xml, notation, i, Side::Right, ends);
        });
    }
}

/// One voice of a measure from tick `start`: its events (a drum voice's struck as `drums`
/// says), and in the `first` voice the end of a closing wedge; its length in ticks.
fn write_voice(
    xml: &mut Xml,
    score: &Score,
    measure: &Measure,
    start: u32,
    drums: Option<DrumVoice>,
    first: bool,
) -> u32 {
    let whole = measure.number > 0 && measure.events.len() == 1;
    let mut at = start;
    for (e, event) in measure.events.iter().enumerate() {
        let drums = drums.map(|d| Drums {
            struck: &d.struck[e],
            id: d.id,
            voice: d.voice,
        });
        // A wedge ends on the measure's last note, as in the ABC (and a stop at the
        // bar line that ends the piece would point MuseScore past its last segment).
        if first && measure.wedge_closes.is_some() && e + 1 == measure.events.len() {
            wedge(xml, "stop");
        }
        write_event(xml, event, drums, whole, |sounds| {
            played(score, at, event.sounding_ticks(), sounds)
        });
        at += event.sounding_ticks();
    }
    at - start
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

/// What a measure's right bar line closes: the piece (a final bar line), a passage before a
/// new section, key or meter (a double bar), or nothing in particular.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ends {
    Piece,
    Passage,
    No,
}

/// The repeat signs and ending brackets on one side of measure `i`, if it has any, and on
/// the right the double bar or final bar line of what it `ends` (the final one written out,
/// since MuseScore 3 leaves the first staff without one when the file does not say so).
fn barline(xml: &mut Xml, notation: &Notation, i: usize, side: Side, ends: Ends) {
    let (forward, backward, bracket) = match notation.repeat_at(i) {
        Some(repeat) => repeat_signs(repeat, i, side),
        None => (false, false, None),
    };
    let ends = if side == Side::Right { ends } else { Ends::No };
    if !forward && !backward && bracket.is_none() && ends == Ends::No {
        return;
    }
    let location = if side == Side::Left { "left" } else { "right" };
    xml.element("barline", &[("location", location)], |xml| {
        if forward {
            xml.text("bar-style", "heavy-light");
        } else if backward || ends == Ends::Piece {
            xml.text("bar-style", "light-heavy");
        } else if ends == Ends::Passage {
            xml.text("bar-style", "light-light");
        }
        if let Some((number, kind)) = bracket {
            let number = number.to_string();
            let attributes = [("number", number.as_str()), ("type", kind)];
            if kind == "start" {
                xml.text_with("ending", &attributes, &format!("{number}."));
            } else {
                xml.empty("ending", &attributes);
            }
        }
        if forward || backward {
            let direction = if forward { "forward" } else { "backward" };
            xml.empty("repeat", &[("direction", direction)]);
        }
    });
}

/// A forward repeat, a backward repeat and an ending bracket (number, type) on one side of
/// measure `i` of `repeat`.
fn repeat_signs(repeat: &Repeat, i: usize, side: Side) -> (bool, bool, Option<(u8, &'static str)>) {
    let ending = repeat.ending_of(i);
    let ending_first = ending.is_some() && repeat.ending_of(i - 1) != ending;
    let ending_last = ending.is_some() && repeat.ending_of(i + 1) != ending;
    let forward = side == Side::Left && i == repeat.start;
    let backward = side == Side::Right && i == repeat.last_of_first_pass();
    let bracket = match (side, ending) {
        (Side::Left, Some(n)) if ending_first => Some((n, "start")),
        (Side::Right, Some(1)) if ending_last => Some((1, "stop")),
        (Side::Right, Some(2)) if ending_last => Some((2, "discontinue")),
        _ => None,
    };
    (forward, backward, bracket)
}

/// Divisions, key, time and clef, in the first measure.
fn opening_attributes(xml: &mut Xml, notation: &Notation, staff: &Staff) {
    xml.element("attributes", &[], |xml| {
        xml.text("divisions", TICKS_PER_QUARTER);
        let key = Some(notation.signature).filter(|_| staff.clef != Clef::Percussion);
        signatures(xml, key, Some(notation.meter));
        xml.element("clef", &[], |xml| {
            match staff.clef {
                Clef::Bass => {
                    xml.text("sign", "F");
                    xml.text("line", 4);
                }
                Clef::Percussion => xml.text("sign", "percussion"),
                _ => {
                    xml.text("sign", "G");
                    xml.text("line", 2);
                }
            }
            if staff.clef.octave() != 0 {
                xml.text("clef-octave-change", staff.clef.octave());
            }
        });
        // A transposing part: its pitches are written, sounding `transpose` octaves higher.
        if staff.transpose != 0 {
            xml.element("transpose", &[], |xml| {
                xml.text("diatonic", 0);
                xml.text("chromatic", 0);
                xml.text("octave-change", staff.transpose);
            });
        }
    });
}

/// `<key>` and `<time>`, for those given.
fn signatures(xml: &mut Xml, key: Option<KeySignature>, meter: Option<Meter>) {
    if let Some(signature) = key {
        xml.element("key", &[], |xml| {
            xml.text("fifths", signature.key.signature());
            if let Some(mode) = mode_name(&signature) {
                xml.text("mode", mode);
            }
        });
    }
    if let Some(meter) = meter {
        xml.element("time", &[], |xml| {
            xml.text("beats", meter.count);
            xml.text("beat-type", meter.unit);
        });
    }
}

/// The tempo and swing at the start, a rehearsal mark where a section starts, a new tempo
/// where a section changes it.
fn directions(xml: &mut Xml, score: &Score, measure: &Measure, first: bool) {
    if let Some(section) = measure.section {
        direction(xml, |xml| xml.text("rehearsal", section), None);
    }
    if !first {
        if let Some(bpm) = measure.tempo {
            let meter = score.meter_at(measure.number.saturating_sub(1));
            metronome(xml, meter, bpm);
        }
        return;
    }
    metronome(xml, score.meter, score.tempo);
    // Swing as a "Swing" marking over straight eighths, as players read it, and as MusicXML
    // 4.0's `<sound><swing>` (eighths or sixteenths, 2:1, as `Score::performed` plays them)
    // for programs that play it. MusicXML 3.1 has no element for swing, so MuseScore 3, which checks files
    // against 3.1, calls a swung file "not a valid MusicXML file" and then imports it whole
    // (docs/notation.md); MuseScore 4 plays the swing.
    let swing = score.swing.filter(|_| !score.meter.is_compound());
    if let Some(swing) = swing {
        let (words, unit) = match swing {
            Swing::Eighths => ("Swing", "eighth"),
            Swing::Sixteenths => ("Swing 16ths", "16th"),
        };
        xml.element("direction", &[("placement", "above")], |xml| {
            xml.element("direction-type", &[], |xml| xml.text("words", words));
            xml.element("sound", &[], |xml| {
                xml.element("swing", &[], |xml| {
                    xml.text("first", 2);
                    xml.text("second", 1);
                    xml.text("swing-type", unit);
                });
            });
        });
    }
}

/// A metronome mark of `bpm` beats of `meter`'s beat (♩. = 139 in 6/8), and the tempo it
/// plays, in quarters a minute.
fn metronome(xml: &mut Xml, meter: Meter, bpm: u32) {
    let beat = meter.beat_ticks();
    let quarters_per_minute = bpm as f64 * beat as f64 / TICKS_PER_QUARTER as f64;
    let tempo = trimmed(quarters_per_minute);
    direction(
        xml,
        |xml| {
            xml.element("metronome", &[], |xml| {
                if let Some(value) = NoteValue::of_ticks(beat) {
                    xml.text("beat-unit", value.base.name());
                    for _ in 0..value.dots {
                        xml.empty("beat-unit-dot", &[]);
                    }
                }
                xml.text("per-minute", bpm);
            })
        },
        Some(&[("tempo", &tempo)]),
    );
}

/// A crescendo or diminuendo wedge opening below the staff, or the open one closing.
fn wedge(xml: &mut Xml, kind: &str) {
    xml.element("direction", &[("placement", "below")], |xml| {
        xml.element("direction-type", &[], |xml| {
            xml.empty("wedge", &[("type", kind)]);
        });
    });
}

/// A dynamic mark below the staff: `mf`, `pp`.
fn dynamic(xml: &mut Xml, level: u8) {
    xml.element("direction", &[("placement", "below")], |xml| {
        xml.element("direction-type", &[], |xml| {
            xml.element("dynamics", &[], |xml| {
                xml.empty(crate::vocabulary::dynamic_name(level), &[]);
            });
        });
    });
}

/// `<direction>` above the staff holding what `kind` writes, with a `<sound>` of `sound`.
fn direction(xml: &mut Xml, kind: impl FnOnce(&mut Xml), sound: Option<&[(&str, &str)]>) {
    xml.element("direction", &[("placement", "above")], |xml| {
        xml.element("direction-type", &[], kind);
        if let Some(sound) = sound {
            xml.empty("sound", sound);
        }
    });
}

/// `208.5`, `139`: a number with at most two decimals, none when whole.
fn trimmed(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A note of the drum part: the part's id, how its event is struck, and its voice (1, the
/// hands, stems up; 2, the feet, stems down).
#[derive(Clone, Copy)]
struct Drums<'a> {
    id: &'a str,
    struck: &'a Struck,
    voice: u8,
}

/// A measure of a drum voice: the part's id, how each of its events is struck, its voice.
#[derive(Clone, Copy)]
struct DrumVoice<'a> {
    id: &'a str,
    struck: &'a [Struck],
    voice: u8,
}

impl Drums<'_> {
    /// `<instrument>`: which of the part's drums `key` is.
    fn instrument(self, xml: &mut Xml, key: u8) {
        let instrument = format!("{}-I{}", self.id, key as u32 + 1);
        xml.empty("instrument", &[("id", &instrument)]);
    }
}

/// How much later than written a note `ticks` long from `start` starts and ends when it is
/// played as the MIDI file plays it: swung (`Score::performed`), and for a drum hit written
/// longer than it `sounds`, ending that much sooner. MusicXML's `attack` and `release`, in
/// divisions; none when it is played as written.
fn played(score: &Score, start: u32, ticks: u32, sounds: Option<u32>) -> Option<(i64, i64)> {
    // Nothing sounds past the last bar line, where a pickup may put an off-beat.
    let end = score.total_ticks();
    let performed = |tick: u32| i64::from(score.performed(tick).min(end));
    let attack = performed(start) - i64::from(start);
    let release = performed(start + sounds.unwrap_or(ticks)) - i64::from(start + ticks);
    (attack != 0 || release != 0).then_some((attack, release))
}

/// An event: its chord symbol, then a rest or each note of the chord (a drum chord in the
/// order `drums` says), each `played` as the MIDI file plays it (given how long it sounds).
/// A `whole` measure's lone rest is a measure rest.
fn write_event(
    xml: &mut Xml,
    event: &Event,
    drums: Option<Drums>,
    whole: bool,
    played: impl Fn(Option<u32>) -> Option<(i64, i64)>,
) {
    if let Some(chord) = event.chord_symbol {
        harmony(xml, chord);
    }
    if event.is_rest() {
        note(xml, event, None, drums, whole, None);
    }
    let order: Vec<usize> = match drums {
        Some(d) => d.struck.order.clone(),
        None => (0..event.notes.len()).collect(),
    };
    for (k, &i) in order.iter().enumerate() {
        let written = &event.notes[i];
        let played = played(written.sounds);
        note(xml, event, Some((k, written)), drums, false, played);
    }
}

/// One `<note>`: the `k`th written note of `event`'s chord, or its rest; `played` late by
/// (attack, release) divisions.
fn note(
    xml: &mut Xml,
    event: &Event,
    written: Option<(usize, &WrittenNote)>,
    drums: Option<Drums>,
    measure_rest: bool,
    played: Option<(i64, i64)>,
) {
    let first = written.is_none_or(|(k, _)| k == 0);
    let timing = played.map(|(a, r)| (a.to_string(), r.to_string()));
    let attributes: Vec<(&str, &str)> = match &timing {
        Some((attack, release)) => vec![("attack", attack), ("release", release)],
        None => Vec::new(),
    };
    xml.element("note", &attributes, |xml| {
        if !first {
            xml.empty("chord", &[]);
        }
        match (written, drums) {
            (None, _) if measure_rest => xml.empty("rest", &[("measure", "yes")]),
            (None, _) => xml.empty("rest", &[]),
            (Some((_, n)), Some(_)) => unpitched(xml, n),
            (Some((_, n)), None) => pitch(xml, n),
        }
        xml.text("duration", event.sounding_ticks());
        let tie = written.map_or(Tie::None, |(_, n)| n.tie);
        let (from_previous, to_next) = (matches!(tie, Tie::Stop | Tie::Continue), tie.to_next());
        if from_previous {
            xml.empty("tie", &[("type", "stop")]);
        }
        if to_next {
            xml.empty("tie", &[("type", "start")]);
        }
        if let Some(drums) = drums {
            let key = written.map(|(_, n)| n.pitch.0).or(drums.struck.rest_drum);
            if let Some(key) = key {
                drums.instrument(xml, key);
            }
        }
        xml.text("voice", drums.map_or(1, |d| d.voice));
        if let (Length::Value(value), false) = (event.length, measure_rest) {
            xml.text("type", value.base.name());
            for _ in 0..value.dots {
                xml.empty("dot", &[]);
            }
        }
        // An unpitched note's place is fixed: it has no accidental.
        let accidental = written
            .and_then(|(_, n)| n.accidental)
            .filter(|_| drums.is_none());
        if let Some(accidental) = accidental {
            xml.text("accidental", accidental_name(accidental));
        }
        if let Some(tuplet) = event.tuplet {
            xml.element("time-modification", &[], |xml| {
                xml.text("actual-notes", tuplet.actual);
                xml.text("normal-notes", tuplet.normal);
            });
        }
        if let (Some((_, n)), Some(_)) = (written, drums) {
            let voice = drums.map_or(1, |d| d.voice);
            xml.text("stem", if voice == 1 { "up" } else { "down" });
            xml.text("notehead", crate::notate::drum_position(n.pitch.0).2);
        }
        if first {
            for (level, beam) in event.beams.iter().enumerate() {
                xml.text_with(
                    "beam",
                    &[("number", &(level + 1).to_string())],
                    beam_name(*beam),
                );
            }
        }
        notations(xml, event, first, from_previous, to_next);
    });
}

/// `<notations>`: the tied arcs, a tuplet's bracket at its first and last note, and a
/// staccato dot on a chord's first note.
fn notations(xml: &mut Xml, event: &Event, first: bool, from_previous: bool, to_next: bool) {
    let tuplet = event.tuplet.filter(|_| first).and_then(|t| {
        if t.index == 0 {
            Some("start")
        } else if t.index + 1 == t.count {
            Some("stop")
        } else {
            None
        }
    });
    let staccato = event.staccato && first;
    if !from_previous && !to_next && tuplet.is_none() && !staccato {
        return;
    }
    xml.element("notations", &[], |xml| {
        if from_previous {
            xml.empty("tied", &[("type", "stop")]);
        }
        if to_next {
            xml.empty("tied", &[("type", "start")]);
        }
        if let Some(kind) = tuplet {
            xml.empty("tuplet", &[("type", kind), ("bracket", "yes")]);
        }
        if staccato {
            xml.element("articulations", &[], |xml| xml.empty("staccato", &[]));
        }
    });
}

fn pitch(xml: &mut Xml, note: &WrittenNote) {
    let name = note.spelling.name;
    xml.element("pitch", &[], |xml| {
        xml.text("step", name.letter.as_char());
        if name.alter != 0 {
            xml.text("alter", name.alter);
        }
        xml.text("octave", note.spelling.octave);
    });
}

/// A drum at its place on the staff (`<instrument>` says which drum it is).
fn unpitched(xml: &mut Xml, note: &WrittenNote) {
    xml.element("unpitched", &[], |xml| {
        xml.text("display-step", note.spelling.name.letter.as_char());
        xml.text("display-octave", note.spelling.octave);
    });
}

/// `<harmony>`: the chord's root and kind, printed with tunec's own suffix, and its bass
/// where that is not the root.
fn harmony(xml: &mut Xml, symbol: ChordSymbol) {
    let chord = symbol.chord;
    xml.element("harmony", &[], |xml| {
        xml.element("root", &[], |xml| {
            xml.text("root-step", chord.root.letter.as_char());
            if chord.root.alter != 0 {
                xml.text("root-alter", chord.root.alter);
            }
        });
        let suffix = chord.quality.suffix();
        xml.text_with("kind", &[("text", suffix)], kind_name(chord.quality));
        if let Some(bass) = symbol.bass {
            xml.element("bass", &[], |xml| {
                xml.text("bass-step", bass.letter.as_char());
                if bass.alter != 0 {
                    xml.text("bass-alter", bass.alter);
                }
            });
        }
    });
}

fn kind_name(quality: ChordQuality) -> &'static str {
    match quality {
        ChordQuality::Major => "major",
        ChordQuality::Minor => "minor",
        ChordQuality::Diminished => "diminished",
        ChordQuality::Augmented => "augmented",
        ChordQuality::Dominant7 => "dominant",
        ChordQuality::Major7 => "major-seventh",
        ChordQuality::Minor7 => "minor-seventh",
        ChordQuality::HalfDiminished7 => "half-diminished",
        ChordQuality::Diminished7 => "diminished-seventh",
        ChordQuality::Sus2 => "suspended-second",
        ChordQuality::Sus4 => "suspended-fourth",
        ChordQuality::Major6 => "major-sixth",
        ChordQuality::Minor6 => "minor-sixth",
        ChordQuality::Dominant9 => "dominant-ninth",
        ChordQuality::Major9 => "major-ninth",
        ChordQuality::Minor9 => "minor-ninth",
    }
}

fn accidental_name(accidental: Accidental) -> &'static str {
    match accidental {
        Accidental::DoubleFlat => "flat-flat",
        Accidental::Flat => "flat",
        Accidental::Natural => "natural",
        Accidental::Sharp => "sharp",
        Accidental::DoubleSharp => "double-sharp",
    }
}

fn beam_name(beam: Beam) -> &'static str {
    match beam {
        Beam::Begin => "begin",
        Beam::Continue => "continue",
        Beam::End => "end",
        Beam::ForwardHook => "forward hook",
        Beam::BackwardHook => "backward hook",
    }
}
