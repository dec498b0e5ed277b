//! SoundFonts that cover the notes: TimGM6mb has no tin whistle samples from G5 up, so the
//! README's jig lost most of its section B; now those notes play on the nearest program that
//! has them, every melody note is heard, and tunec says so.

mod common;

use std::path::Path;

use tunec::render::wav::{self, coverage};

const TIMGM6MB: &str = "/usr/share/sounds/sf2/TimGM6mb.sf2";

/// The fuller piece of the README's tour.
const KETTLE: &str = "title \"The Kettle on the Hob\"
lively jig in G major, form AABB, 32 bars
melody: tin whistle, mostly stepwise, ends on the tonic
counter-melody: flute
section B: louder
section B melody: range D5 to E6
drums: kick X.....x..... hat x.xx.xx.xx.x
";

#[test]
#[ignore = "needs the TimGM6mb SoundFont (Debian: timgm6mb-soundfont); .ci/run installs it"]
fn every_melody_note_of_the_readme_jig_is_heard_on_timgm6mb() {
    let synth = wav::Synth::load(Path::new(TIMGM6MB)).unwrap();
    let wav::Synth::SoundFont { font, .. } = &synth else {
        unreachable!()
    };
    // The gap itself: the whistle (79) sounds F#5 but not G5.
    assert!(coverage::sounds(font, 79, 78, 100));
    assert!(!coverage::sounds(font, 79, 79, 100));

    let mut score = common::score("kettle", KETTLE, 0);
    let gaps = coverage::gaps(font, &score);
    let melody = gaps
        .iter()
        .find(|g| g.part == "melody")
        .expect("a gap in the melody");
    assert_eq!(melody.keys[0], 79, "from G5 up");
    let stand_in = melody.stand_in.expect("a program that has them");
    assert_eq!((stand_in - 1) / 8, (79 - 1) / 8, "another pipe");
    let said = tunec::compile(KETTLE, &tunec::Options::new().name("kettle"))
        .unwrap()
        .audio_gaps(&tunec::Synth::load(Path::new(TIMGM6MB)).unwrap());
    let (severity, melody_gap) = said
        .iter()
        .find(|(_, s)| s.contains("whistle (79)") && s.contains("melody"))
        .unwrap_or_else(|| panic!("{said:?}"));
    // `melody: tin whistle` is the user's own choice: a warning that names every note.
    assert_eq!(*severity, Some(tunec::Severity::Warning));
    assert!(
        melody_gap.contains("asked for on line 3") && melody_gap.contains(": G5, "),
        "{melody_gap}"
    );

    // The melody alone, note by note: its level from 20 ms after the start for up to 200 ms.
    score.parts.retain(|p| p.name() == "melody");
    let rate = 22_050;
    let settings = wav::Settings {
        sample_rate: rate,
        synth,
    };
    let samples = wav::samples(&score, &settings, &mut |_| {}).unwrap();
    let seconds_per_tick = score.seconds() / score.total_ticks() as f64;
    let frame = |tick: u32| (tick as f64 * seconds_per_tick * rate as f64) as usize;
    let mut quietest = f64::MAX;
    for note in &score.parts[0].notes {
        let start = frame(note.start) + rate as usize / 50;
        let end = frame(note.end())
            .min(start + rate as usize / 5)
            .max(start + 1);
        let window = &samples[start * 2..end * 2];
        let power = window
            .iter()
            .map(|&s| (s as f64 / 32768.0).powi(2))
            .sum::<f64>();
        let db = 10.0 * (power / window.len() as f64).log10();
        assert!(
            db > -45.0,
            "the note at tick {} ({:?}) is at {db:.1} dB",
            note.start,
            note.pitch
        );
        quietest = quietest.min(db);
    }
    eprintln!("quietest melody note: {quietest:.1} dB");
}

/// On the command line the explicit whistle's gap is a warning naming its notes, and the WAV is
/// still written, with those notes played by the stand-in.
#[test]
#[ignore = "needs the TimGM6mb SoundFont (Debian: timgm6mb-soundfont); .ci/run installs it"]
fn the_command_line_warns_of_the_notes_an_explicit_instrument_lacks() {
    let dir = common::folder_with("kettle.tune", KETTLE);
    let out = common::tunec(
        dir.path(),
        &["kettle.tune", "--soundfont", TIMGM6MB, "-o", "kettle.wav"],
        b"",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let warning = stderr
        .lines()
        .find(|l| l.starts_with("warning: the SoundFont has no samples of the whistle (79)"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(warning.contains("of the melody: G5, "), "{warning}");
    assert!(warning.contains("; they play as "), "{warning}");
    assert!(dir.path().join("kettle.wav").exists());
}
