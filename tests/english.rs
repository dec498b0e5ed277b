//! Prompts as people write them (issue 15): the seed sentence, the skipped words, the phrasing
//! families of each clause, the bugs found on the way, and the refusals with their reasons.

mod common;

use tunec::resolve::{PartRole, Plan};
use tunec::{Code, Compiled, Options, compile, plan_of};

fn compiled(source: &str) -> Compiled {
    compile(source, &Options::new().seed(5).name("english"))
        .unwrap_or_else(|e| panic!("{source:?}: {e}"))
}

fn plan(source: &str) -> Plan {
    plan_of(source).unwrap_or_else(|e| panic!("{source:?}: {e:?}"))
}

/// The first error's code, message and the text it points at.
fn error(source: &str) -> (Code, String, String) {
    let errors = plan_of(source).expect_err(source);
    let first = &errors[0];
    let span = first.labels[0].span;
    (
        first.code,
        first.message.clone(),
        source[span.start..span.end].to_string(),
    )
}

fn program(plan: &Plan, role: PartRole) -> Option<u8> {
    plan.parts
        .iter()
        .find(|p| p.role == role)
        .map(|p| p.program.value)
}

#[test]
fn the_seed_sentence_compiles() {
    for prompt in [
        "write a tune for a folk song that only uses A, B, C#, F# and G",
        "folk tune using only A, B, C#, F#, and G",
        "Write a tune for a folk song that only uses A, B, C#, F# and G.",
        "Can you please write me a folk song that only uses A, B, C#, F# and G?",
    ] {
        let c = compiled(prompt);
        assert_eq!(c.plan().style.value.name, "folk", "{prompt}");
        // A B C# F# G: 9 11 1 6 7.
        assert!(
            common::pitch_classes(c.score())
                .iter()
                .all(|pc| [1, 6, 7, 9, 11].contains(pc)),
            "{prompt}"
        );
    }
}

#[test]
fn the_first_word_neither_placed_nor_skipped_is_the_error() {
    let (code, message, at) = error("write a tune for a folk song that only uses A, B and zorbly");
    assert_eq!(
        (code, message.as_str(), at.as_str()),
        (Code::UnknownWord, "unknown word `zorbly`", "zorbly")
    );
    let (_, message, at) = error("please write a jgi in D.");
    assert_eq!(
        (message.as_str(), at.as_str()),
        ("unknown word `jgi`", "jgi")
    );
    let (_, _, at) = error("I want a polka, 16 bars, with wobble.");
    assert_eq!(at, "wobble");
}

#[test]
fn flat_numerals_read_against_the_major_scale() {
    let p = plan("folk tune in D mixolydian, chords I bVII I I, 4 bars");
    let bars = &p.progression.as_ref().unwrap().bars;
    assert_eq!(bars[1][0].to_string(), "C");
}

#[test]
fn general_midi_names_ending_in_a_number() {
    let p = plan("pop song\nmelody: string ensemble 1\nbass: synth bass 1");
    assert_eq!(program(&p, PartRole::Melody), Some(49));
    assert_eq!(program(&p, PartRole::Bass), Some(39));
    let p = plan("a pop song featuring Synth Bass 2 and Electric Piano 1");
    assert_eq!(program(&p, PartRole::Bass), Some(40));
    assert_eq!(program(&p, PartRole::Melody), Some(5));
}

#[test]
fn chords_with_a_colon_are_the_progression() {
    for prompt in [
        "folk tune\nchords: Em D Em B7",
        "folk tune, chords: Em D Em B7",
        "Chords: Em D Em B7",
    ] {
        let p = plan(prompt);
        let bars = &p.progression.as_ref().expect(prompt).bars;
        let names: Vec<String> = bars.iter().map(|b| b[0].to_string()).collect();
        assert_eq!(names, ["Em", "D", "Em", "B7"], "{prompt}");
    }
    // The chords part still takes its instrument and pattern.
    let p = plan("folk tune\nchords: piano, arpeggio");
    assert_eq!(program(&p, PartRole::Chords), Some(1));
}

/// `a 2-bar intro`, `an 8-bar chorus`: named sections with their lengths, in a form's list or
/// after it; a length for a section the form lacks points at it.
#[test]
fn sections_with_their_lengths() {
    let lengths = |source: &str| -> Vec<u32> {
        let c = compiled(source);
        let score = c.score();
        let starts: Vec<u32> = score.sections.iter().map(|(bar, _)| *bar).collect();
        let ends = starts.iter().skip(1).copied().chain([score.bars]);
        starts.iter().zip(ends).map(|(s, e)| e - s).collect()
    };
    assert_eq!(
        lengths("a pop song with a 2-bar intro, a verse, an 8-bar chorus and a 4-bar outro"),
        [2, 8, 8, 4]
    );
    assert_eq!(
        lengths("pop song with verse and chorus, a 4-bar chorus"),
        [8, 4]
    );
    assert_eq!(
        lengths("pop song, form intro verse chorus outro, a 2-bar intro, a 4-bar outro"),
        [2, 8, 8, 4]
    );
    // Counts in words, hyphenated as in `an eight-bar chorus`.
    assert_eq!(
        lengths("pop song with verse and chorus, an eight-bar verse, a four-bar chorus"),
        [8, 4]
    );
    // Without a written form, a named section implies a song: verse and chorus twice, with
    // the intro, bridge or outro named.
    assert_eq!(lengths("pop song with a 2-bar intro"), [2, 8, 8, 8, 8]);
    assert_eq!(
        lengths("pop song with a two-bar intro\nsection outro: 4 bars"),
        [2, 8, 8, 8, 8, 4]
    );
    // A written form still rules: an intro it lacks is an error.
    let (code, message, at) = error("pop song, form ABAB, a 2-bar intro");
    assert_eq!(code, Code::SectionNotInForm);
    assert_eq!(
        (message.as_str(), at.as_str()),
        ("the form has no intro", "intro")
    );
}

/// `section` inside a piece line is an error that says a section line is a line of its own
/// (it suggested `section` for `section`).
#[test]
fn a_section_line_inside_a_piece_line_says_where_it_goes() {
    let source = "pop song, form intro verse chorus, section intro: 2 bars";
    let errors = plan_of(source).expect_err(source);
    assert_eq!(errors[0].code, Code::SectionWithoutLetter);
    let message = &errors[0].message;
    assert!(message.contains("a line of its own"), "{message}");
}

/// A section line or a key change naming a song's section, with no form written, gives the
/// song form; a bridge comes before the last chorus.
#[test]
fn a_named_section_implies_a_song() {
    let names = |source: &str| -> Vec<String> {
        let c = compiled(source);
        (c.score().sections.iter())
            .map(|(_, n)| n.to_string())
            .collect()
    };
    assert_eq!(
        names("pop song\nsection chorus: louder"),
        ["verse", "chorus", "verse", "chorus"]
    );
    assert_eq!(
        names("ballad, the last chorus goes up a step\nsection bridge: in A minor"),
        ["verse", "chorus", "verse", "chorus", "bridge", "chorus"]
    );
    assert_eq!(
        names("folk song\nsection refrain: louder"),
        ["verse", "refrain", "verse", "refrain"]
    );
}

/// Ninth chords as people write them: symbols after `chords:`, in a sentence, and numerals.
#[test]
fn ninth_chords_are_read() {
    for (prompt, names) in [
        ("funk song\nchords: E9 A9", &["E9", "A9"][..]),
        (
            "a funk groove with the chords E9, A9 and B9",
            &["E9", "A9", "B9"],
        ),
        (
            "jazz tune in C, chords Dm9 G9 Cmaj9",
            &["Dm9", "G9", "Cmaj9"],
        ),
        (
            "jazz tune in C, chords ii9 V9 Imaj9",
            &["Dm9", "G9", "Cmaj9"],
        ),
    ] {
        let p = plan(prompt);
        let bars = &p.progression.as_ref().expect(prompt).bars;
        let got: Vec<String> = bars.iter().map(|b| b[0].to_string()).collect();
        assert_eq!(got, names, "{prompt}");
    }
}

#[test]
fn keys_as_people_write_them() {
    for (prompt, key) in [
        ("folk tune in Em", "E minor"),
        ("folk tune in the key of G minor", "G minor"),
        ("Set in the key of F# minor, a folk tune.", "F# minor"),
        ("Key: D minor\nfolk tune", "D minor"),
        ("A minor, reel", "A minor"),
        ("Em, 6/8, 32 bars", "E minor"),
        ("a jig in Bbm", "Bb minor"),
        ("a folk tune in a minor key", "A minor"),
    ] {
        assert_eq!(plan(prompt).key.value.to_string(), key, "{prompt}");
    }
}

#[test]
fn meters_tempi_and_lengths_as_people_write_them() {
    for (prompt, meter, bpm, bars) in [
        ("a folk tune with a 4/4 time signature", "4/4", 100, 8),
        ("a waltz in three-four time", "3/4", 96, 16),
        ("Time Signature: 6/8\nfolk tune", "6/8", 100, 8),
        ("a folk tune at a tempo of 124 BPM", "4/4", 124, 8),
        ("folk tune, 120bpm", "4/4", 120, 8),
        ("folk tune at 90 bpm", "4/4", 90, 8),
        ("Tempo: 64 BPM (Adagio)\nfolk tune", "4/4", 64, 8),
        ("an 8-bar folk tune", "4/4", 100, 8),
        ("a folk tune, 24 bars long", "4/4", 100, 24),
        ("a folk tune, sixteen measures", "4/4", 100, 16),
        (
            "a folk tune at 120 bpm, about 32 seconds long",
            "4/4",
            120,
            16,
        ),
        (
            "a folk tune at 60 bpm that lasts about a minute",
            "4/4",
            60,
            15,
        ),
    ] {
        let p = plan(prompt);
        assert_eq!(p.meter.value.to_string(), meter, "{prompt}");
        assert_eq!(p.tempo.value, bpm, "{prompt}");
        assert_eq!(p.bars.value, bars, "{prompt}");
    }
}

#[test]
fn tempo_words_are_ranges_and_a_number_wins() {
    // A folk tune's 100 bpm, brought into each word's range.
    for (word, bpm) in [
        ("andante", 90),
        ("presto", 161),
        ("moderato", 100),
        ("adagio", 70),
    ] {
        assert_eq!(
            plan(&format!("{word} folk tune")).tempo.value,
            bpm,
            "{word}"
        );
    }
    // A number near the word's range wins; one far from it contradicts the word.
    assert_eq!(plan("Allegro folk tune at 150 bpm").tempo.value, 150);
    assert_eq!(error("Presto folk tune at 80 bpm").0, Code::GivenTwice);
}

#[test]
fn instruments_in_a_sentence_take_parts_by_role() {
    let p = plan("a slow waltz in E minor for cello and piano");
    assert_eq!(program(&p, PartRole::Melody), Some(43));
    assert_eq!(program(&p, PartRole::Chords), Some(1));
    // The chordal instrument named first still leaves the melody to the melodic one (after
    // `featuring`, a caption's word, the first named leads: see below).
    let p = plan("a folk tune for piano, flute and electric bass");
    assert_eq!(program(&p, PartRole::Melody), Some(74));
    assert_eq!(program(&p, PartRole::Chords), Some(1));
    assert_eq!(program(&p, PartRole::Bass), Some(34));
    // A second melodic instrument takes the counter-melody, a chord instrument the chords.
    let p = plan("a jig for fiddle, tin whistle and guitar");
    assert_eq!(program(&p, PartRole::Melody), Some(41));
    assert_eq!(program(&p, PartRole::CounterMelody), Some(79));
    assert_eq!(program(&p, PartRole::Chords), Some(25));
    // Named for a part: `a cello melody over piano`.
    let p = plan("a lullaby with a piano melody over strings");
    assert_eq!(program(&p, PartRole::Melody), Some(1));
    assert_eq!(program(&p, PartRole::Chords), Some(49));
}

#[test]
fn parts_as_nouns_and_negations() {
    let p = plan("a folk tune with drums");
    assert!(program(&p, PartRole::Drums).is_some());
    let p = plan("a jig, no drums please");
    assert!(program(&p, PartRole::Drums).is_none());
    let p = plan("a pop song without bass or drums");
    assert!(program(&p, PartRole::Bass).is_none());
    assert!(program(&p, PartRole::Drums).is_none());
    let p = plan("a simple melody in D, no accompaniment");
    assert_eq!(p.parts.len(), 1);
}

#[test]
fn melodic_limits_in_english() {
    let p = plan("a folk tune in D that never leaps more than a fourth and ends on D");
    let melody = &p.parts[0];
    assert_eq!(melody.max_leap.as_ref().unwrap().value, 5);
    assert!(melody.ends_on.is_some());
    let p = plan("a melody with no jumps over a fifth that stays between D4 and B5");
    assert_eq!(p.parts[0].max_leap.as_ref().unwrap().value, 7);
    assert_eq!(p.parts[0].range.value.0.0, 62);
    assert_eq!(p.parts[0].range.value.1.0, 83);
    let c = compiled("a folk tune in G, never above A5, never below D4, moving by step");
    let melody = c.score().part(PartRole::Melody).unwrap();
    assert!(melody.notes.iter().all(|n| (62..=81).contains(&n.pitch.0)));
    assert!(
        melody
            .notes
            .windows(2)
            .all(|w| w[0].pitch.0.abs_diff(w[1].pitch.0) <= 2)
    );
}

#[test]
fn spec_sheets_are_clauses() {
    let p = plan(
        "Key: G major\nTempo: 64 BPM\nTime Signature: 3/4\nChords: | G | C | D | G |\nStyle: waltz",
    );
    assert_eq!(p.key.value.to_string(), "G major");
    assert_eq!(p.tempo.value, 64);
    assert_eq!(p.meter.value.to_string(), "3/4");
    assert_eq!(p.style.value.name, "waltz");
    assert_eq!(p.progression.as_ref().unwrap().bars.len(), 4);
}

#[test]
fn pitch_sets_in_english() {
    let c = compiled("a folk tune that uses just the white keys");
    assert!(
        common::pitch_classes(c.score())
            .iter()
            .all(|pc| [0, 2, 4, 5, 7, 9, 11].contains(pc))
    );
    let c = compiled("a folk tune in C, avoid F sharp and B flat");
    assert!(
        !common::pitch_classes(c.score())
            .iter()
            .any(|pc| [6, 10].contains(pc))
    );
}

#[test]
fn refusals_point_at_the_words_and_say_why() {
    for (prompt, code, at) in [
        (
            "write a folk song with lyrics about the sea",
            Code::VocalsRequested,
            "lyrics",
        ),
        (
            "a ballad for a female singer",
            Code::VocalsRequested,
            "singer",
        ),
        ("a lullaby with vocals", Code::VocalsRequested, "vocals"),
        (
            "a tune in the style of Taylor Swift",
            Code::ArtistStyle,
            "in the style of Taylor Swift",
        ),
        (
            "a reel inspired by The Chieftains",
            Code::ArtistStyle,
            "inspired by The Chieftains",
        ),
        (
            "a waltz with lots of reverb",
            Code::AudioProduction,
            "reverb",
        ),
        ("a waltz with reverb", Code::AudioProduction, "reverb"),
        (
            "a lo-fi beat with vinyl crackle",
            Code::AudioProduction,
            "vinyl",
        ),
        (
            "a folk tune with vinyl crackle",
            Code::AudioProduction,
            "vinyl",
        ),
        ("a punk song for guitar", Code::NoPresetYet, "punk"),
        (
            "folk tune, 16 bars, 120 bpm, 3 minutes long",
            Code::LengthContradiction,
            "3 minutes long",
        ),
        (
            "a folk tune for flute, oboe, clarinet and horn",
            Code::TooManyInstruments,
            "horn",
        ),
    ] {
        let (c, message, pointed) = error(prompt);
        assert_eq!((c, pointed.as_str()), (code, at), "{prompt}: {message}");
    }
}

#[test]
fn a_part_name_without_its_colon_is_still_pointed_at() {
    let (code, _, at) = error("folk tune, melody fiddle");
    assert_eq!((code, at.as_str()), (Code::PartWithoutColon, "melody"));
}

/// The letters of the form as played: `AABB`.
fn form(plan: &Plan) -> String {
    plan.sections.iter().map(|s| s.name.to_string()).collect()
}

/// The letters a named form stands for: `ABAB` for verse chorus verse chorus.
fn letters(plan: &Plan) -> String {
    plan.sections.iter().map(|s| s.name.letter).collect()
}

#[test]
fn song_sections_are_a_form_in_letters() {
    assert_eq!(letters(&plan("a pop song with a verse and chorus")), "AB");
    assert_eq!(letters(&plan("a pop song in verse-chorus form")), "AB");
    assert_eq!(letters(&plan("a pop song with a verse and a chorus")), "AB");
    let p = plan("pop song, verse, chorus, verse, chorus, bridge and chorus, 24 bars");
    assert_eq!(letters(&p), "ABABCB");
    assert_eq!(p.sections[0].bars, 4);
    // Named sections show their names; without a length, a verse is eight bars.
    let p = plan("pop song with an intro, a verse, a chorus and an outro");
    let names: Vec<String> = p.sections.iter().map(|s| s.name.to_string()).collect();
    assert_eq!(names, ["intro", "verse", "chorus", "outro"]);
    let bars: Vec<u32> = p.sections.iter().map(|s| s.bars).collect();
    assert_eq!(bars, [4, 8, 8, 4]);
    // A lone section name says nothing tunec can place (`catchy` is a mood word).
    let (code, _, at) = error("a pop song with a catchy chorus");
    assert_eq!((code, at.as_str()), (Code::UnknownWord, "chorus"));
}

#[test]
fn strains_give_every_section_its_length() {
    let p = plan("a reel in D with 8-bar strains");
    assert_eq!(form(&p), "AABB");
    assert!(p.sections.iter().all(|s| s.bars == 8));
    assert_eq!(p.bars.value, 32);
    // Phrases are not sections: `4-bar phrases` keeps the style's lengths, each section whole
    // phrases (tunec's are 4 bars); a section that is not, or another phrase length, is refused.
    let p = plan("a jig in G, 4-bar phrases, form AB");
    assert_eq!((p.bars.value, p.sections[1].bars), (32, 16));
    assert_eq!(
        error("a jig in G, 4-bar phrases, 6-bar strains").0,
        Code::FormLength
    );
    assert_eq!(error("a jig in G, 8-bar phrases").0, Code::NoPresetYet);
    // Strains and a length that disagree name both.
    let source = "a reel with 8-bar strains, 24 bars";
    let errors = plan_of(source).expect_err(source);
    assert_eq!(errors[0].code, Code::FormLength);
    let pointed: Vec<&str> = errors[0]
        .labels
        .iter()
        .map(|l| &source[l.span.start..l.span.end])
        .collect();
    assert_eq!(pointed, ["24 bars", "8-bar strains"]);
}

#[test]
fn note_values_in_english_are_the_melody_s_rhythm() {
    let durations = |source: &str| -> Vec<u32> {
        let p = plan(source);
        p.part(PartRole::Melody)
            .and_then(|m| m.durations.as_ref())
            .map(|d| d.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(durations("a folk tune in eighth notes"), [240]);
    assert_eq!(durations("a folk tune with a quarter-note melody"), [480]);
    assert_eq!(
        durations("a melody that uses only quarter and eighth notes"),
        [240, 480]
    );
    assert_eq!(
        durations("a jig in 6/8 in quarters and eighths"),
        [240, 480]
    );
    let c = compiled("a folk tune in D in eighth notes");
    let melody = c.score().part(PartRole::Melody).unwrap();
    assert!(melody.notes.iter().all(|n| n.duration == 240));
}

#[test]
fn modes_meters_and_headers_as_musicians_write_them() {
    for (source, key) in [
        ("a folk tune in the Mixolydian mode on D", "D mixolydian"),
        ("a reel in the dorian mode on E", "E dorian"),
        ("a folk tune in D dorian mode", "D dorian"),
        ("folk tune, K:Amin", "A minor"),
        ("K:G\nfolk tune", "G major"),
    ] {
        assert_eq!(plan(source).key.value.to_string(), key, "{source}");
    }
    for (source, meter) in [
        ("a tune in waltz time", "3/4"),
        ("a march in common time", "4/4"),
        ("a reel in cut time", "2/2"),
        ("folk tune, M:2/4", "2/4"),
        ("M:6/8\nfolk tune", "6/8"),
    ] {
        assert_eq!(plan(source).meter.value.to_string(), meter, "{source}");
    }
}

#[test]
fn first_and_last_notes_and_ranges_in_one_phrase() {
    let c = compiled("a folk tune in A minor that starts and ends on A");
    let melody = c.score().part(PartRole::Melody).unwrap();
    let a = 9;
    assert_eq!(melody.notes.first().unwrap().pitch.class().index(), a);
    assert_eq!(melody.notes.last().unwrap().pitch.class().index(), a);
    let p = plan("a tune with a melody in the range C4 to C5");
    let range = p.part(PartRole::Melody).unwrap().range.value;
    assert_eq!((range.0.0, range.1.0), (60, 72));
    let p = plan("a tune that alternates between C and G");
    assert_eq!(p.progression.unwrap().bars.len(), 2);
    let p = plan("melody: range D4-B5");
    let range = p.part(PartRole::Melody).unwrap().range.value;
    assert_eq!((range.0.0, range.1.0), (62, 83));
}

#[test]
fn chords_in_quotes_as_captions_list_them() {
    let quoted = plan("a folk tune with the chords 'Am', 'F', 'C', 'G'");
    let plain = plan("a folk tune with the chords Am, F, C, G");
    assert_eq!(
        quoted.progression.unwrap().bars,
        plain.progression.unwrap().bars
    );
    let p = plan("The chord progression is \"G\", \"D\", \"Em\" and \"C\".");
    assert_eq!(p.progression.unwrap().bars.len(), 4);
}

/// The bass note at `tick` in `c`'s bass part, as a pitch class.
fn bass_class_at(c: &Compiled, tick: u32) -> Option<u8> {
    let bass = c.score().part(PartRole::Bass)?;
    let note = bass.notes.iter().find(|n| n.start == tick)?;
    Some(note.pitch.class().index())
}

#[test]
fn slash_chords_put_their_bass_under_the_chord() {
    for seed in 0..20 {
        // The chords part's range written out: the default (F3–A4 under a song range that
        // reaches the fifth under the tonic) leaves the voicing no G/B over its B.
        let source = "pop song in C, 4/4, 8 bars, chords: C G/B Am F/C, D/F# G7/F C/E C\n\
                      chords: range G3 to B4";
        let c = compile(source, &Options::new().seed(seed).name("slash"))
            .unwrap_or_else(|e| panic!("{e}"));
        let bar = |n: u32| c.score().bar_start(n);
        // G/B, F/C, D/F#, G7/F, C/E; the plain chords keep their roots (C, A).
        let wanted = [(0, 0), (1, 11), (2, 9), (3, 0), (4, 6), (5, 5), (6, 4)];
        for (index, class) in wanted {
            assert_eq!(
                bass_class_at(&c, bar(index)),
                Some(class),
                "seed {seed}, bar {}",
                index + 1
            );
        }
        // The chords part voices G/B over its B where its range allows.
        let chords = c.score().part(PartRole::Chords).unwrap();
        let lowest = (chords.notes.iter())
            .filter(|n| n.start == bar(1))
            .map(|n| n.pitch.0)
            .min();
        assert_eq!(lowest.map(|p| p % 12), Some(11), "seed {seed}");
    }
    // The canonical program keeps the slash, and MusicXML writes the bass.
    let c = compiled("pop song in C, 4 bars, chords C G/B Am F/C");
    let tune = String::from_utf8(c.render(tunec::Format::Tune).unwrap()).unwrap();
    assert!(tune.contains("chords C G/B Am F/C"), "{tune}");
    let xml = String::from_utf8(c.render(tunec::Format::MusicXml).unwrap()).unwrap();
    assert!(
        xml.contains("<bass-step>B</bass-step>"),
        "MusicXML writes G/B"
    );
}

#[test]
fn a_slash_chord_the_bass_cannot_play_is_a_conflict_at_the_chords() {
    // The bass avoids B: G/B asks for it.
    let source = "pop song in C, chords C G/B\nbass: avoiding B\n";
    let errors = compile(source, &Options::new().name("slash")).expect_err("a conflict");
    let first = errors.into_iter().next().unwrap();
    let pointed: Vec<&str> = first
        .labels
        .iter()
        .map(|l| &source[l.span.start..l.span.end])
        .collect();
    assert!(
        pointed.iter().any(|p| p.contains("G/B")) && pointed.contains(&"avoiding B"),
        "{first:?}"
    );
}

#[test]
fn a_number_of_bars_wins_over_a_length_word() {
    assert_eq!(
        plan("Keep it short, maybe 16 bars, a polka in G")
            .bars
            .value,
        16
    );
    assert_eq!(plan("a short polka in G").bars.value, 8);
}

#[test]
fn other_names_for_a_style_are_read_as_the_style() {
    for (prompt, style, meter) in [
        ("a slip jig in G", "jig", "9/8"),
        ("Could you write a hop jig for fiddle?", "jig", "9/8"),
        ("a bluesy tune in A", "blues", "4/4"),
        ("a jazzy waltz in F", "jazz waltz", "3/4"),
        ("a funky groove in E", "funk", "4/4"),
        ("Write a folksy song in D.", "folk", "4/4"),
    ] {
        let p = plan(prompt);
        assert_eq!(p.style.value.name, style, "{prompt}");
        assert_eq!(p.meter.value.to_string(), meter, "{prompt}");
    }
    assert!(plan("a bluesy shuffle in E").swing.is_some());
    // A kind of a style sets its meter: another meter, or another style, contradicts it.
    assert_eq!(
        error("a slip jig in 6/8"),
        (
            Code::GivenTwice,
            "the meter is given twice".into(),
            "in 6/8".into()
        )
    );
    // Beside another style, `jazzy` and `bluesy` are its swing; another adjective is a second
    // style.
    for prompt in ["a bluesy rock song", "a jazzy folk tune in G"] {
        let p = plan(prompt);
        assert_ne!(p.style.value.name, "jazz", "{prompt}");
        assert_ne!(p.style.value.name, "blues", "{prompt}");
        assert!(p.swing.is_some(), "{prompt}");
    }
    assert_eq!(error("a funky rock song").0, Code::GivenTwice);
}

#[test]
fn scales_are_keys() {
    for (prompt, key) in [
        (
            "a folk tune in the A minor pentatonic scale",
            "A minor pentatonic",
        ),
        ("a melody using the D dorian scale", "D dorian"),
        ("folk tune in G pentatonic", "G major pentatonic"),
        ("folk tune, A minor pentatonic", "A minor pentatonic"),
    ] {
        assert_eq!(plan(prompt).key.value.to_string(), key, "{prompt}");
    }
}

#[test]
fn a_spec_sheet_on_one_line_is_parted_by_slashes() {
    let p = plan("Key: D dorian / Tempo: 110 BPM / 4/4 / 16 bars");
    assert_eq!(p.key.value.to_string(), "D dorian");
    assert_eq!((p.tempo.value, p.bars.value), (110, 16));
    // A slash before a numeral is still a slash chord tunec does not read.
    assert_eq!(error("folk tune, chords I V/V V I").0, Code::SlashChord);
}

#[test]
fn shorthand_tempo_is_a_number_alone_of_forty_or_more() {
    let p = plan("Reel, D maj, 4/4, 116");
    assert_eq!(p.tempo.value, 116);
    let p = plan("jig, tempo around 140");
    assert_eq!(p.tempo.value, 140);
    // A small number alone still asks what it counts.
    let (code, _, at) = error("folk tune, 4/4, 16");
    assert_eq!((code, at.as_str()), (Code::BareNumber, "16"));
}

#[test]
fn general_midi_names_in_brackets_and_effects_in_captions() {
    let p = plan("pop song featuring Lead 2 (sawtooth) and Electric Bass (finger)");
    assert_eq!(program(&p, PartRole::Melody), Some(82));
    assert_eq!(program(&p, PartRole::Bass), Some(34));
    // `atmosphere` is a caption's word in a sentence, not the effect.
    let p = plan("a film piece for cello that creates a dark atmosphere");
    assert_eq!(program(&p, PartRole::CounterMelody), None);
    // A bracketed word that names no instrument is read as the word.
    let p = plan("a waltz for piano (Allegro)");
    assert!(
        p.tempo.value >= 111 && p.tempo.value <= 140,
        "{}",
        p.tempo.value
    );
}

/// The programs (1-based) and the notes of each track of a prompt's MIDI file, by track name.
fn midi_tracks(source: &str) -> Vec<(String, Option<u8>, Vec<u8>)> {
    use midly::{MetaMessage, MidiMessage, Smf, TrackEventKind};
    let bytes = compiled(source).render(tunec::Format::Midi).expect("MIDI");
    let smf = Smf::parse(&bytes).expect("a MIDI file");
    let track = |events: &[midly::TrackEvent]| {
        let (mut name, mut program, mut keys) = (String::new(), None, Vec::new());
        for e in events {
            match e.kind {
                TrackEventKind::Meta(MetaMessage::TrackName(n)) => {
                    name = String::from_utf8_lossy(n).into_owned()
                }
                TrackEventKind::Midi { message, .. } => match message {
                    MidiMessage::ProgramChange { program: p } => program = Some(p.as_int() + 1),
                    MidiMessage::NoteOn { key, vel } if vel > 0 => keys.push(key.as_int()),
                    _ => {}
                },
                _ => {}
            }
        }
        (name, program, keys)
    };
    smf.tracks.iter().map(|t| track(t)).collect()
}

fn midi_part(source: &str, name: &str) -> (Option<u8>, Vec<u8>) {
    let tracks = midi_tracks(source);
    let (_, program, keys) = tracks.into_iter().find(|(n, ..)| n == name).expect(name);
    (program, keys)
}

#[test]
fn slap_bass_is_general_midi_slap_bass_1_on_the_bass() {
    let (program, _) = midi_part("a funky tune in E with slap bass", "bass");
    assert_eq!(program, Some(37));
    assert_eq!(midi_part("pop song\nbass: slap bass", "bass").0, Some(37));
}

#[test]
fn brushed_drums_play_the_brushes_groove() {
    // Pop's own groove is kick and snare; brushes are ride and side stick, whatever the style.
    let (_, pop) = midi_part("a pop song in C", "drums");
    assert!(pop.contains(&36) && !pop.contains(&37));
    for prompt in [
        "a pop song in C with brushed drums",
        "a pop song in C\ndrums: brushes",
    ] {
        let (_, keys) = midi_part(prompt, "drums");
        assert!(keys.contains(&51) && keys.contains(&37), "{prompt}");
        assert!(!keys.contains(&36), "{prompt}: a kick");
    }
    let p = plan("a folk tune with brushes");
    assert!(p.parts.iter().any(|part| part.role == PartRole::Drums));
}

#[test]
fn pentatonic_as_an_adjective_is_the_key_s_pentatonic_scale() {
    let (_, melody) = midi_part("a pentatonic folk tune in G", "melody");
    let g_major_pentatonic = [7, 9, 11, 2, 4];
    assert!(
        melody
            .iter()
            .all(|k| g_major_pentatonic.contains(&(k % 12)))
    );
    let (_, chords) = midi_part("a pentatonic folk tune in G", "chords");
    assert!(
        chords
            .iter()
            .all(|k| g_major_pentatonic.contains(&(k % 12)))
    );
    let (_, melody) = midi_part("a sad pentatonic tune in A minor", "melody");
    assert!(melody.iter().all(|k| [9, 0, 2, 4, 7].contains(&(k % 12))));
    assert_eq!(
        plan("a pentatonic folk tune in G").key.value.to_string(),
        "G major pentatonic"
    );
}

/// Set 8's still-failing families (issue 15): each as people wrote it.
#[test]
fn the_families_set_8_still_failed() {
    // Chord symbols joined by hyphens need no keyword, as numerals do.
    let p = plan("Rock, Am, 4/4, 140, 16 bars, Am-G-F-E");
    assert_eq!(p.progression.as_ref().map(|c| c.bars.len()), Some(4));
    // `leaps <= octave`, a bare `C4-G5` range, `♩=66`, `notes … only`.
    let p = plan("March, Eb maj, 2/4, leaps <= octave, melody C4-G5, ♩=66, notes C D Eb only");
    let melody = p.parts.iter().find(|x| x.role == PartRole::Melody).unwrap();
    assert_eq!(melody.max_leap.as_ref().map(|m| m.value), Some(12));
    assert_eq!((melody.range.value.0.0, melody.range.value.1.0), (60, 79));
    assert_eq!(p.tempo.value, 66);
    // `air` and `strathspey` are the lullaby's and the hornpipe's kinds.
    assert_eq!(plan("an air in D").style.value.name, "lullaby");
    assert_eq!(plan("Strathspey in A").style.value.name, "hornpipe");
    // Chat around the request, and hedges the defaults already keep, are skipped.
    plan("I'm learning the fiddle. Would you mind composing a reel for my kid's puppet show?");
    plan("Not too long, nothing too jumpy, a jig in D");
    // `piano chords`: `chords` before words, not a chord, is the part.
    let p = plan("a melody in E minor with just piano chords underneath");
    assert_eq!(program(&p, PartRole::Chords), Some(1));
    // A caption's first instrument after `featuring` or `performed by` is the melody.
    let p = plan("A pop song featuring Acoustic Grand Piano and Violin");
    assert_eq!(program(&p, PartRole::Melody), Some(1));
    let p = plan("A classical piece performed by String Ensemble 1 and Cello");
    assert_eq!(program(&p, PartRole::Melody), Some(49));
}

#[test]
fn a_section_after_other_clauses_says_it_starts_its_own_line() {
    let (code, message, at) = error("pop song, form intro verse chorus, section intro: 2 bars");
    assert_eq!(code, Code::SectionWithoutLetter);
    assert_eq!(message, "a section line starts a line of its own");
    assert_eq!(at, "section");
}

#[test]
fn a_part_added_in_a_sentence_is_written_with_its_noun() {
    let c = compiled("A folk tune in G with fiddle and Drums.");
    let tune = String::from_utf8(c.render(tunec::Format::Tune).unwrap()).unwrap();
    assert_eq!(tune, "folk tune, in G, with drums\nmelody: violin\n");
}

/// Every refusal says why, at its words: a clause's word with no clause around it names the
/// clauses it belongs to, a signed or broken number says what is wrong with it, a tempo out of
/// range says which limit it passes, and a word close to a clause's word is suggested.
#[test]
fn refusals_say_why_at_their_words() {
    for (source, code, says, at) in [
        (
            "a reel, never",
            Code::UnknownWord,
            "read only as part of a clause",
            "never",
        ),
        (
            "a waltz between",
            Code::UnknownWord,
            "read only as part of a clause",
            "between",
        ),
        (
            "reel, 16 bars, -8",
            Code::BareNumber,
            "a number with a sign",
            "-8",
        ),
        (
            "a jig in A dorian, 3/",
            Code::BareNumber,
            "not a number, meter or pitch",
            "3/",
        ),
        (
            "folk tune at 900 bpm",
            Code::TempoOutOfRange,
            "900 bpm is faster",
            "at 900 bpm",
        ),
        (
            "folk tune at 10 bpm",
            Code::TempoOutOfRange,
            "10 bpm is slower",
            "at 10 bpm",
        ),
        (
            "a reel within 5 semitones",
            Code::RangeDownwards,
            "less than a fifth",
            "within 5 semitones",
        ),
    ] {
        let (got, message, pointed) = error(source);
        assert_eq!((got, pointed.as_str()), (code, at), "{source}: {message}");
        assert!(message.contains(says), "{source}: {message}");
    }
    let hint = |source: &str| plan_of(source).expect_err(source)[0].hint.clone().unwrap();
    assert!(hint("a reel, never").contains("`never above A5`"));
    assert!(hint("folk tune, open").contains("did you mean `opens`"));
}

/// `within an octave`: the melody's range narrowed to a window that wide, from the tonic, moved
/// to hold a written last note; the window too narrow for a written first and last note is a
/// conflict naming both.
#[test]
fn a_compass_narrows_the_range_to_a_window_that_wide() {
    let range = |source: &str| {
        let plan = plan(source);
        let melody = plan.parts.iter().find(|p| p.role == PartRole::Melody);
        melody
            .map(|p| (p.range.value.0.0, p.range.value.1.0))
            .unwrap()
    };
    // D4 to D5: from the tonic.
    assert_eq!(range("a folk tune in D within an octave"), (62, 74));
    // Moved up to hold the last note, A5: a window of a ninth (14 semitones).
    let (low, high) = range("folk tune in D, spanning no more than a ninth, ending on A5");
    assert_eq!(high - low, 14);
    assert!((low..=high).contains(&81));
    let source = "folk tune\nmelody: within an octave, starts on D4, ends on D6";
    let Err(errors) = compile(source, &Options::new()) else {
        panic!("{source} compiles");
    };
    assert_eq!(
        errors.iter().next().map(|e| e.code),
        Some(Code::Unsatisfiable)
    );
}

/// Set 17's leftovers: a note value after `with` is the rhythm, anywhere else an error at it
/// (never skipped); a compass narrower than a fifth is the range-width error; a decade and an
/// ordinal say what they are.
#[test]
fn note_values_compasses_decades_and_ordinals_are_read_or_refused() {
    let melody = |source: &str| {
        let plan = plan(source);
        let melody = plan.parts.iter().find(|p| p.role == PartRole::Melody);
        melody.and_then(|m| m.durations.as_ref().map(|d| d.value.clone()))
    };
    assert_eq!(
        melody("a folk tune in G with whole notes"),
        Some(vec![1920])
    );
    let mut mixed = melody("a folk tune with half and quarter notes").expect("a rhythm");
    mixed.sort_unstable();
    assert_eq!(mixed, [480, 960]);
    let (code, message, at) = error("a tune of whole notes in G");
    assert_eq!((code, at.as_str()), (Code::UnknownWord, "whole notes"));
    assert!(message.contains("rhythm clause"), "{message}");
    let (code, _, at) = error("a reel in D, within a fourth");
    assert_eq!(
        (code, at.as_str()),
        (Code::RangeDownwards, "within a fourth")
    );
    let (code, message, at) = error("an 80s pop song");
    assert_eq!((code, at.as_str()), (Code::ArtistStyle, "80s"));
    assert!(message.contains("decade"), "{message}");
    // `a 30s jingle` may mean thirty seconds: the hint says how to write that
    let errors = plan_of("a 30s jingle in C").expect_err("a decade");
    assert_eq!(errors[0].code, Code::ArtistStyle);
    let hint = errors[0].hint.as_deref().unwrap_or_default();
    assert!(hint.contains("write `30 seconds`"), "{hint}");
    let (code, message, _) = error("a reel in D, 1st");
    assert_eq!(code, Code::UnknownWord);
    assert!(message.contains("ordinal"), "{message}");
}

/// Set 17's families: negations before a bound or a leap, `let` with what may not go there,
/// `on` naming an instrument's part, the pronoun `I` after a chords phrase.
#[test]
fn negations_lets_and_pronouns_read_as_people_write_them() {
    let p =
        plan("a slow air in D minor for viola, please don't let the viola go below C3 or above A4");
    let melody = p.parts.iter().find(|p| p.role == PartRole::Melody).unwrap();
    assert_eq!(program(&p, PartRole::Melody), Some(42));
    assert_eq!((melody.range.value.0.0, melody.range.value.1.0), (48, 69));
    for (source, semitones) in [
        ("a reel, it shouldn't jump more than an octave", 12),
        ("a reel, the tune mustn't leap more than a fifth", 7),
        ("a reel, it should not leap more than a fourth", 5),
    ] {
        let p = plan(source);
        let melody = p.parts.iter().find(|p| p.role == PartRole::Melody).unwrap();
        assert_eq!(
            melody.max_leap.as_ref().map(|m| m.value),
            Some(semitones),
            "{source}"
        );
    }
    let p = plan("a gospel tune, a church organ on the chords, piano playing the melody");
    assert_eq!(program(&p, PartRole::Chords), Some(20));
    let p = plan("a folk tune in D. The progression I have in mind is I-IV-I-V.");
    let bars = &p.progression.as_ref().expect("chords").bars;
    let names: Vec<String> = bars.iter().map(|b| b[0].to_string()).collect();
    assert_eq!(names, ["D", "G", "D", "A"]);
}

/// `within an octave` holds in every section: a section's own range is narrowed into the one
/// window the compass allows, and ranges no window can serve are a clash at the compass and
/// the ranges that set it (not the first section's).
#[test]
fn a_compass_narrows_the_sections_ranges_too() {
    let p = plan("folk tune in D, form AB, within an octave\nsection B melody: range A4 to D6\n");
    let melody = p.parts.iter().find(|p| p.role == PartRole::Melody).unwrap();
    let (low, high) = melody.range_in('B');
    let (whole_low, whole_high) = melody.range.value;
    let lowest = low.0.min(whole_low.0);
    let highest = high.0.max(whole_high.0);
    assert!(highest - lowest <= 12, "{lowest}..{highest}");
    assert!(low.0 >= 69 && high.0 - low.0 >= 7, "{low:?}..{high:?}");
    // The labels name the ranges that clash (not the first section's), after the compass.
    let pointed = |source: &'static str| -> Vec<&'static str> {
        let errors = plan_of(source).expect_err("no window holds the clashing ranges");
        assert_eq!(errors[0].code, Code::RangeDownwards);
        (errors[0].labels.iter())
            .map(|l| &source[l.span.start..l.span.end])
            .collect()
    };
    let clash = ["within an octave", "range A5 to D6", "range C4 to G4"];
    assert_eq!(
        pointed(
            "folk tune in D, form AB, within an octave\nsection A melody: range C4 to G4\nsection B melody: range A5 to D6\n"
        ),
        clash
    );
    assert_eq!(
        pointed(
            "folk tune in D, form ABC, within an octave\nsection A melody: range D4 to D5\nsection B melody: range C4 to G4\nsection C melody: range A5 to D6\n"
        ),
        clash
    );
}

/// E0300 on one line labels each clause by its words, not "line 1" three times; the hint
/// names the notes that fit, not every pitch class.
#[test]
fn a_conflict_on_one_line_labels_its_clauses_by_their_words() {
    let source = "a reel in D within an octave, stepwise, starts on D4, ends on A5";
    let errors = compile(source, &Options::new()).expect_err("A5 is out of the octave");
    let first = &errors.iter().next().unwrap();
    assert_eq!(first.code, Code::Unsatisfiable);
    let labels: Vec<&str> = first.labels.iter().map(|l| l.message.as_str()).collect();
    assert!(labels.contains(&"`ends on A5`"), "{labels:?}");
    assert!(!labels.iter().any(|l| l.starts_with("line")), "{labels:?}");
    let hint = first.hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("the notes that fit lie from D4 to D5"),
        "{hint}"
    );
}

/// How tunec read a prompt: its canonical program (`--emit tune`).
fn read_as(source: &str) -> String {
    plan(source).canonical
}

/// An instrument named right before a bound gives its own part the bound; how a line moves,
/// starts or ends stays the melody's, even after the chords' instrument.
#[test]
fn only_bounds_go_to_the_instrument_named_before_them() {
    for (source, line) in [
        (
            "a waltz for violin and piano ending on G4",
            "melody: violin, ends on G4",
        ),
        (
            "a tune for flute and harp starting on E5",
            "melody: flute, starts on E5",
        ),
        (
            "a reel in D for fiddle and guitar never leaping more than a fifth",
            "melody: violin, no leaps larger than 7 semitones",
        ),
        (
            "a tune for flute and piano, keep the piano between C3 and C5",
            "chords: acoustic grand piano, range C3 to C5",
        ),
    ] {
        let tune = read_as(source);
        assert!(tune.lines().any(|l| l == line), "{source}:\n{tune}");
    }
}

/// A lowercase `a` before a word is the article, not the note A, in a list of notes to avoid.
#[test]
fn the_article_a_is_not_the_note_a_among_avoided_notes() {
    let tune = read_as("a jig in D, don't use a lot of notes");
    assert!(!tune.contains("avoiding"), "{tune}");
    let (code, _, at) = error("a jig in D without a bridge");
    assert_eq!((code, at.as_str()), (Code::UnknownWord, "without"));
    assert!(read_as("a jig in D avoiding F# and a").contains("avoiding F# A"));
}

/// A dash between two numbers is a range, not a separator between two tempi.
#[test]
fn a_spaced_dash_between_numbers_is_a_tempo_range() {
    for source in ["folk tune, 110 - 120 bpm", "folk tune, 110 – 120 bpm"] {
        assert_eq!(plan(source).tempo.value, 115, "{source}");
    }
    for source in ["folk tune, tempo: 96 - 100", "folk tune, ♩= 90 - 100"] {
        let (code, message, _) = error(source);
        assert_ne!(code, Code::GivenTwice, "{source}: {message}");
    }
    assert_eq!(plan("folk tune in D - 16 bars - 6/8").bars.value, 16);
    // A dash between capitals joins a list: not two keys.
    for source in ["folk tune, G - C - D - G", "folk tune, form: A - A - B - A"] {
        let (code, message, _) = error(source);
        assert_ne!(code, Code::GivenTwice, "{source}: {message}");
    }
}

/// A part named on a negated list (`without F# or drums`, `don't use the drums`) is dropped,
/// as `no drums` drops it; never added.
#[test]
fn parts_on_a_negated_list_are_dropped() {
    for source in [
        "a tune in D without F# or drums",
        "a tune in D, don't use F# or the drums",
        "folk tune in D, don't use the drums",
    ] {
        let tune = read_as(source);
        assert!(
            tune.lines().any(|l| l == "drums: none"),
            "{source}:\n{tune}"
        );
    }
    assert!(read_as("a tune in D with drums").contains("with drums"));
}

/// A style or mode with `-inspired`, `-esque` or `-sounding` joined on is that word; only a
/// stem tunec does not know is a named artist's style (E0223).
#[test]
fn known_words_with_a_style_suffix_are_those_words() {
    for (source, read) in [
        ("a Reggae-esque tune in G", "reggae tune, in G"),
        ("a Blues-sounding tune in E", "blues tune, in E"),
        ("Christmas-sounding tune in G", "christmas tune, in G"),
        ("a Mixolydian-sounding reel", "mixolydian reel tune"),
    ] {
        let tune = read_as(source);
        assert_eq!(tune.lines().next(), Some(read), "{source}:\n{tune}");
    }
    assert!(read_as("a Jazz-inspired waltz in F").starts_with("jazz"));
    assert_eq!(error("a Coldplay-esque ballad").0, Code::ArtistStyle);
}

/// `or go above` carries a negation right before it to the same part; with none, it is an
/// error at `or`, not the bound it seems to ask for.
#[test]
fn or_go_carries_the_negation_to_the_same_part() {
    let tune = read_as("the bass shouldn't go below E2 or go above C4");
    assert!(
        tune.contains("bass: never above C4, never below E2"),
        "{tune}"
    );
    let (code, _, at) = error("folk tune in G, keep it between D4 and G5 or go above B5");
    assert_eq!((code, at.as_str()), (Code::UnknownWord, "or"));
}

/// A hedge's negation carries over `or`: `don't make it too fast or too slow` asks for neither,
/// never for a slow waltz.
#[test]
fn a_hedge_carries_over_or() {
    let p = plan("a waltz in F, don't make it too fast or too slow");
    assert!(p.moods.is_empty(), "{:?}", p.moods);
}
