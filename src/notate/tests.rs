use super::*;
use crate::score::ChordSpan;
use crate::score::fixtures::{melody_over_c as score, n};
use crate::syntax::SectionName;
use crate::theory::{BaseValue, ChordQuality, Letter, Mode, NoteName};

fn chord(letter: Letter) -> Chord {
    Chord::new(NoteName::new(letter, 0), ChordQuality::Major)
}

fn four_four() -> Meter {
    Meter::new(4, 4).unwrap()
}

fn value(base: BaseValue, dots: u8) -> Length {
    Length::Value(NoteValue { base, dots })
}

/// Each event of `measure` as (length, pitches, ties).
fn shape(measure: &Measure) -> Vec<(Length, Vec<u8>, Vec<Tie>)> {
    measure
        .events
        .iter()
        .map(|e| {
            let pitches = e.notes.iter().map(|n| n.pitch.0).collect();
            (e.length, pitches, e.notes.iter().map(|n| n.tie).collect())
        })
        .collect()
}

#[test]
fn a_note_over_the_bar_line_is_tied_across_it() {
    // A half note starting on beat 4: a quarter tied to a quarter in the next bar.
    let notation = notate(&score(four_four(), vec![n(1440, 960, 65)]));
    let measures = &notation.staves[0].measures;
    use BaseValue::*;
    assert_eq!(
        shape(&measures[0]),
        [
            (value(Half, 1), vec![], vec![]),
            (value(Quarter, 0), vec![65], vec![Tie::Start]),
        ]
    );
    assert_eq!(
        shape(&measures[1])[0],
        (value(Quarter, 0), vec![65], vec![Tie::Stop])
    );
    assert_eq!(measures[1].number, 2);
}

#[test]
fn lengths_are_plain_or_dotted_values_tied_longest_first() {
    use BaseValue::*;
    // Five eighths: a half tied to an eighth; then a dotted quarter.
    let notation = notate(&score(four_four(), vec![n(0, 1200, 60), n(1200, 720, 62)]));
    assert_eq!(
        shape(&notation.staves[0].measures[0]),
        [
            (value(Half, 0), vec![60], vec![Tie::Start]),
            (value(Eighth, 0), vec![60], vec![Tie::Stop]),
            (value(Quarter, 1), vec![62], vec![Tie::None]),
        ]
    );
    assert_eq!(rhythm::pieces(2400), [1920, 480]);
    assert_eq!(rhythm::pieces(1680), [1440, 240]);
    assert_eq!(rhythm::pieces(2880), [2880]);
    // Off the 128th grid: kept whole, as no value writes it.
    assert_eq!(rhythm::pieces(7), [7]);
    assert_eq!(Length::of_ticks(7), Length::Unwritable(7));
}

#[test]
fn triplet_eighths_are_one_group_of_three() {
    let notes = vec![n(0, 160, 60), n(160, 160, 62), n(320, 160, 64)];
    let notation = notate(&score(four_four(), notes));
    let events = &notation.staves[0].measures[0].events;
    for (index, event) in events[..3].iter().enumerate() {
        assert_eq!(event.length, value(BaseValue::Eighth, 0));
        assert_eq!(event.sounding_ticks(), 160);
        let tuplet = event.tuplet.unwrap();
        assert_eq!((tuplet.actual, tuplet.normal), (3, 2));
        assert_eq!((tuplet.index, tuplet.count), (index, 3));
    }
    assert!(events[3].is_rest() && events[3].tuplet.is_none());
}

#[test]
fn a_chord_of_notes_is_one_event_lowest_first() {
    let notes = vec![n(0, 1920, 64), n(0, 1920, 60), n(0, 960, 67)];
    let notation = notate(&score(four_four(), notes));
    let first = &notation.staves[0].measures[0].events[0];
    assert_eq!(
        first.notes.iter().map(|n| n.pitch.0).collect::<Vec<_>>(),
        [60, 64, 67]
    );
    let second = &notation.staves[0].measures[0].events[1];
    assert_eq!(
        second.notes.iter().map(|n| n.tie).collect::<Vec<_>>(),
        [Tie::Stop, Tie::Stop]
    );
}

#[test]
fn a_low_part_reads_in_the_bass_clef() {
    let mut score = score(four_four(), vec![n(0, 1920, 72)]);
    score.parts.push(Part {
        role: PartRole::Bass,
        program: 33,
        channel: 2,
        doubles: false,
        notes: vec![n(0, 960, 43), n(960, 960, 50)],
        dynamics: Vec::new(),
    });
    score.parts.push(Part {
        role: PartRole::Drums,
        program: 1,
        channel: 9,
        doubles: false,
        notes: vec![n(0, 480, 36)],
        dynamics: Vec::new(),
    });
    let notation = notate(&score);
    let clefs: Vec<Clef> = notation.staves.iter().map(|s| s.clef).collect();
    assert_eq!(
        clefs,
        [Clef::Treble, Clef::Bass],
        "drums are not a pitched staff"
    );
    let drums = &notation.drums[0];
    assert_eq!(drums.clef, Clef::Percussion);
    assert_eq!(drums.measures[0].events[0].notes[0].pitch.0, 36);
    assert_eq!(Clef::for_notes(&[]), Clef::Treble);
    // Chords from D3 to B3 read in the bass clef, though they average above its staff.
    let low_chords = [50, 54, 57, 59, 55, 59, 62].map(|p| n(0, 480, p));
    assert_eq!(Clef::for_notes(&low_chords), Clef::Bass);
}

#[test]
fn chord_symbols_sit_where_the_chord_changes_on_the_top_staff() {
    let mut score = score(four_four(), vec![n(0, 3840, 67)]);
    let (c, g) = (chord(Letter::C), chord(Letter::G));
    score.harmony = [
        (0, 960, c),
        (960, 1920, c),
        (1920, 2880, g),
        (2880, 3840, g),
    ]
    .map(|(start, end, chord)| ChordSpan { start, end, chord })
    .to_vec();
    score.parts.push(Part {
        role: PartRole::Bass,
        program: 33,
        channel: 2,
        doubles: false,
        notes: vec![n(0, 3840, 48)],
        dynamics: Vec::new(),
    });
    let notation = notate(&score);
    let symbols = |staff: &Staff| -> Vec<Option<Chord>> {
        staff
            .measures
            .iter()
            .flat_map(|m| m.events.iter().map(|e| e.chord_symbol))
            .map(|symbol| symbol.map(|s| s.chord))
            .collect()
    };
    // The whole-note melody is not cut at the repeated C, only where G comes.
    assert_eq!(symbols(&notation.staves[0]), [Some(c), Some(g)]);
    assert_eq!(symbols(&notation.staves[1]), [None, None]);
}

#[test]
fn pitches_are_spelled_in_the_written_key() {
    let mut score = score(four_four(), vec![n(0, 480, 68), n(480, 480, 67)]);
    score.key = Key::new(NoteName::new(Letter::G, 1), Mode::Major);
    let notation = notate(&score);
    assert_eq!(notation.signature.key.tonic, NoteName::new(Letter::A, -1));
    let notes: Vec<String> = notation.staves[0].measures[0].events[..2]
        .iter()
        .map(|e| e.notes[0].spelling.to_string())
        .collect();
    assert_eq!(notes, ["Ab4", "G4"]);
}

#[test]
fn accidentals_restart_in_each_measure() {
    // C major: F#4 tied over the bar line prints its sharp again; F4 then gets a natural.
    let notes = vec![n(0, 480, 66), n(1440, 960, 66), n(2400, 480, 65)];
    let notation = notate(&score(four_four(), notes));
    let accidentals = |m: &Measure| -> Vec<Option<Accidental>> {
        m.events
            .iter()
            .flat_map(|e| e.notes.iter().map(|n| n.accidental))
            .collect()
    };
    let measures = &notation.staves[0].measures;
    assert_eq!(accidentals(&measures[0]), [Some(Accidental::Sharp), None]);
    assert_eq!(
        accidentals(&measures[1]),
        [Some(Accidental::Sharp), Some(Accidental::Natural)]
    );
}

#[test]
fn sections_start_on_their_measures() {
    let mut score = score(four_four(), Vec::new());
    let b = SectionName::letter('B');
    score.sections = vec![(1, b)];
    let notation = notate(&score);
    let sections: Vec<_> = notation.staves[0]
        .measures
        .iter()
        .map(|m| m.section)
        .collect();
    assert_eq!(sections, [None, Some(b)]);
}

/// Four bars of 4/4 in two sections, `first` and `second`, over C; the melody's bar k is a
/// whole note of `pitches[k]`.
fn two_sections(first: SectionName, second: SectionName, pitches: [u8; 4]) -> Notation {
    let notes = (0..4)
        .map(|k| n(k * 1920, 1920, pitches[k as usize]))
        .collect();
    let mut score = score(four_four(), notes);
    score.bars = 4;
    score.harmony[0].end = 4 * 1920;
    score.sections = vec![(0, first), (2, second)];
    notate(&score)
}

fn section(letter: char, varied: bool) -> SectionName {
    SectionName {
        varied,
        ..SectionName::letter(letter)
    }
}

#[test]
fn a_section_played_twice_is_written_once_between_repeat_signs() {
    let (a, b) = (section('A', false), section('B', false));
    let notation = two_sections(a, a, [60, 62, 60, 62]);
    let plain = Repeat {
        start: 0,
        body: 2,
        ending: 0,
    };
    assert_eq!(notation.repeats, [plain]);
    assert_eq!(notation.written(), [0, 1]);
    // The chord is written again where the repeated section starts, so both passes read alike.
    assert!(
        notation.staves[0].measures[2].events[0]
            .chord_symbol
            .is_some()
    );
    assert!(two_sections(a, b, [60, 62, 60, 62]).repeats.is_empty());
}

#[test]
fn a_varied_repeat_gets_first_and_second_endings() {
    let (a, varied) = (section('A', false), section('A', true));
    let notation = two_sections(a, varied, [60, 62, 60, 64]);
    let repeat = notation.repeats[0];
    assert_eq!((repeat.start, repeat.body, repeat.ending), (0, 1, 1));
    assert_eq!(notation.written(), [0, 1, 3]);
    assert_eq!(
        (0..4).map(|i| repeat.ending_of(i)).collect::<Vec<_>>(),
        [None, Some(1), None, Some(2)]
    );
    // Endings longer than what the passes share are written out instead.
    assert!(two_sections(a, varied, [60, 62, 64, 64]).repeats.is_empty());
}

#[test]
fn a_part_marks_its_first_dynamic_and_each_change() {
    let mut score = score(four_four(), vec![n(0, 3840, 60)]);
    score.parts[0].dynamics = vec![(0, 5), (1920, 7)];
    let notation = notate(&score);
    let marks: Vec<_> = notation.staves[0]
        .measures
        .iter()
        .map(|m| m.dynamic)
        .collect();
    assert_eq!(marks, [Some(5), Some(7)]);
}

/// A repeat plays the first pass's marks again, so a second pass that gets louder is
/// written out.
#[test]
fn a_second_pass_with_a_new_dynamic_is_not_a_repeat() {
    let a = section('A', false);
    let notes = (0..4).map(|k| n(k * 1920, 1920, [60, 62][k as usize % 2]));
    let mut score = score(four_four(), notes.collect());
    score.bars = 4;
    score.harmony[0].end = 4 * 1920;
    score.sections = vec![(0, a), (2, a)];
    score.parts[0].dynamics = vec![(0, 5)];
    assert_eq!(notate(&score).repeats.len(), 1);
    score.parts[0].dynamics = vec![(0, 5), (2 * 1920, 7)];
    assert!(notate(&score).repeats.is_empty());
}

/// A bass on another chord tone than the root makes a slash chord; on the root, a passing
/// note or a rest, the chord stays plain.
#[test]
fn a_bass_on_the_third_or_fifth_is_written_as_a_slash_chord() {
    let mut score = score(four_four(), vec![n(0, 3840, 72)]);
    let (c, g) = (chord(Letter::C), chord(Letter::G));
    score.harmony = [(0, 480, c), (480, 960, g), (960, 1440, c), (1440, 1920, g)]
        .map(|(start, end, chord)| ChordSpan { start, end, chord })
        .to_vec();
    score.bars = 1;
    let bass = |notes| Part {
        role: PartRole::Bass,
        program: 33,
        channel: 2,
        doubles: false,
        notes,
        dynamics: Vec::new(),
    };
    // E under C, B under G, F (passing) under C, G (the root) under G.
    score.parts.push(bass(vec![
        n(0, 480, 52),
        n(480, 480, 47),
        n(960, 480, 53),
        n(1440, 480, 43),
    ]));
    let symbols: Vec<String> = notate(&score).staves[0].measures[0]
        .events
        .iter()
        .filter_map(|e| e.chord_symbol)
        .map(|s| s.to_string())
        .collect();
    assert_eq!(symbols, ["C/E", "G/B", "C", "G"]);
    // Without a bass part, every chord is plain.
    score.parts.pop();
    let plain = notate(&score).staves[0].measures[0]
        .events
        .iter()
        .filter_map(|e| e.chord_symbol)
        .all(|s| s.bass.is_none());
    assert!(plain);
}

/// A body tied into its endings is not written as a repeat: the tie would go into both.
#[test]
fn no_repeat_ties_its_body_into_the_endings() {
    let (a, varied) = (section('A', false), section('A', true));
    let notes = vec![n(0, 3840, 60), n(3840, 2880, 60), n(6720, 960, 62)];
    let mut score = score(four_four(), notes);
    score.bars = 4;
    score.harmony[0].end = 4 * 1920;
    score.sections = vec![(0, a), (2, varied)];
    let notation = notate(&score);
    assert_eq!(
        notation.staves[0].measures[0].events[0].notes[0].tie,
        Tie::Start
    );
    assert!(notation.repeats.is_empty(), "{:?}", notation.repeats);
}

/// A key and a meter that change at a bar: the measure there carries the new signatures,
/// its notes are spelled and marked in the new key, and its length is the new meter's.
#[test]
fn a_key_and_a_meter_change_at_their_bar() {
    use crate::score::Change;
    // F#4 in each of three bars: C major, then D major, then D major in 3/4.
    let notes = vec![n(0, 1920, 66), n(1920, 1920, 66), n(3840, 1440, 66)];
    let mut score = score(four_four(), notes);
    score.bars = 3;
    score.harmony[0].end = 5280;
    let d = Key::new(NoteName::new(Letter::D, 0), Mode::Major);
    let three = Meter::new(3, 4).unwrap();
    score.changes = vec![(1, Change::Key(d)), (2, Change::Meter(three))];
    let notation = notate(&score);
    let measures = &notation.staves[0].measures;
    let marks: Vec<_> = measures
        .iter()
        .map(|m| (m.key.is_some(), m.meter))
        .collect();
    assert_eq!(marks, [(false, None), (true, None), (false, Some(three))]);
    assert_eq!(measures[1].key.unwrap().key.signature(), 2);
    let sharp = |i: usize| measures[i].events[0].notes[0].accidental;
    assert_eq!(
        [sharp(0), sharp(1), sharp(2)],
        [Some(Accidental::Sharp), None, None]
    );
    assert_eq!(measures[2].events[0].length, value(BaseValue::Half, 1));
}

/// A kick under a hi-hat is two voices, as drummers read a kit: the hands' eighths up, the
/// bass drum below with its rests, each held to its own next hit; a kit without feet is one.
#[test]
fn hands_and_feet_are_two_voices_of_the_drum_staff() {
    let drums = |notes: Vec<Note>| {
        let mut score = score(four_four(), vec![n(0, 1920, 72)]);
        score.parts.push(Part {
            role: PartRole::Drums,
            program: 1,
            channel: 9,
            doubles: false,
            notes,
            dynamics: Vec::new(),
        });
        notate(&score).drums
    };
    let hats = (0..8).map(|i| n(i * 240, 60, 42));
    let kicks = [0, 960].map(|t| n(t, 60, 36));
    let voices = drums(hats.clone().chain(kicks).collect());
    assert_eq!(voices.len(), 2);
    let eighth = value(BaseValue::Eighth, 0);
    let quarter = value(BaseValue::Quarter, 0);
    let lengths = |m: &Measure| -> Vec<(Length, Vec<u8>)> {
        shape(m).into_iter().map(|(l, p, _)| (l, p)).collect()
    };
    assert_eq!(lengths(&voices[0].measures[0]), vec![(eighth, vec![42]); 8]);
    assert_eq!(
        lengths(&voices[1].measures[0]),
        [
            (quarter, vec![36]),
            (quarter, vec![]),
            (quarter, vec![36]),
            (quarter, vec![])
        ]
    );
    // Without a foot drum (or without hands) the staff has one voice.
    assert_eq!(drums(hats.collect()).len(), 1);
}

/// Reggae's skank: a sixteenth chord on each off-beat eighth, a rest after it, reads as a
/// staccato eighth sounding a sixteenth; a sixteenth with no room in its beat, or followed by
/// another note, stays as it is.
#[test]
fn a_short_chord_before_a_rest_is_a_staccato_eighth() {
    let skank = [240, 720]
        .into_iter()
        .flat_map(|t| [n(t, 120, 60), n(t, 120, 64)]);
    let tail = [n(1080, 120, 67), n(1200, 120, 67), n(1560, 120, 72)];
    let score = score(four_four(), skank.chain(tail).collect());
    let events = &notate(&score).staves[0].measures[0].events;
    let eighth = value(BaseValue::Eighth, 0);
    let sixteenth = value(BaseValue::Sixteenth, 0);
    let written: Vec<(Length, usize, bool, Option<u32>)> = events
        .iter()
        .map(|e| {
            let sounds = e.notes.first().and_then(|n| n.sounds);
            (e.length, e.notes.len(), e.staccato, sounds)
        })
        .collect();
    assert_eq!(
        written,
        [
            (eighth, 0, false, None),
            (eighth, 2, true, Some(120)),
            (eighth, 0, false, None),
            (eighth, 2, true, Some(120)),
            (sixteenth, 0, false, None),
            // A sixteenth before another note stays; the next has its rest.
            (sixteenth, 1, false, None),
            (eighth, 1, true, Some(120)),
            (sixteenth, 0, false, None),
            // Off the eighths' grid: a staccato eighth would cross the beat's middle.
            (sixteenth, 1, false, None),
            (eighth, 0, false, None),
        ]
    );
}

#[test]
fn piccolo_glockenspiel_guitar_and_bass_are_written_as_their_players_read_them() {
    let part = |role, program: u8, pitch| Part {
        role,
        program,
        channel: program % 9,
        doubles: false,
        notes: vec![n(0, 1920, pitch)],
        dynamics: Vec::new(),
    };
    let mut score = score(four_four(), vec![n(0, 1920, 84)]);
    score.parts = vec![
        part(PartRole::Melody, 73, 84),        // piccolo C6
        part(PartRole::CounterMelody, 10, 91), // glockenspiel G6
        part(PartRole::Chords, 25, 48),        // nylon guitar C3
        part(PartRole::Bass, 34, 55),          // finger bass G3, written G4
        part(PartRole::Melody, 79, 86),        // whistle D6
    ];
    let notation = notate(&score);
    let written: Vec<(Clef, i8, u8, i32)> = (notation.staves.iter())
        .map(|s| {
            let note = s.measures[0].events[0].notes[0];
            (s.clef, s.transpose, note.pitch.0, note.spelling.octave)
        })
        .collect();
    assert_eq!(
        written,
        [
            (Clef::Treble, 1, 72, 5),
            (Clef::Treble, 2, 67, 4),
            // The clef's 8 says where it sounds: the pitch stays the one heard.
            (Clef::TrebleOctaveDown, 0, 48, 3),
            // Bass players read the bass clef, though G4 sits over it.
            (Clef::Bass, -1, 67, 4),
            (Clef::TrebleOctaveUp, 0, 86, 6),
        ]
    );
}
