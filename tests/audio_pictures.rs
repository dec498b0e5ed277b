//! Hear it and see it: every example renders to valid, audible, deterministic WAV (with the
//! built-in synth, and with a General MIDI SoundFont when TimGM6mb is installed) and to a
//! well-formed SVG piano roll with one `<rect class="note">` per note, a legend and bar numbers.

mod common;
use common::{examples, folder_with, tunec};
use std::path::Path;
use std::process::Output;

use tunec::render::{svg, wav};
use tunec::resolve::PartRole;
use tunec::score::{Note, Score};
use tunec::theory::Pitch;
use tunec::{Options, compile};

const TIMGM6MB: &str = "/usr/share/sounds/sf2/TimGM6mb.sf2";

fn score_of(path: &Path) -> Score {
    let source = std::fs::read_to_string(path).unwrap();
    let options = Options::new().name(path.file_stem().unwrap().to_string_lossy().into_owned());
    compile(&source, &options).unwrap().score().clone()
}

/// The first `bars` bars of `score`: notes that end by then, chords that start before.
fn first_bars(score: &Score, bars: u32) -> Score {
    let mut s = score.clone();
    let end = bars * s.meter.bar_ticks();
    s.bars = bars;
    for part in &mut s.parts {
        part.notes.retain(|n| n.end() <= end);
    }
    s.harmony.retain(|c| c.start < end);
    s
}

/// `score` with a drum part on channel 10 (bass drum, snare, closed hi-hat in turn on every
/// beat) and a second copy of the melody an octave lower on a new channel.
fn with_drums_and_a_fifth_part(score: &Score) -> Score {
    let mut s = score.clone();
    let beat = s.meter.beat_ticks();
    let mut drums = s.parts[0].clone();
    drums.channel = 9;
    drums.program = 1;
    drums.notes = (0..s.total_ticks() / beat)
        .map(|i| Note {
            start: i * beat,
            duration: beat / 2,
            pitch: Pitch([36, 38, 42][i as usize % 3]),
            velocity: 90,
        })
        .collect();
    let mut low = s.parts[0].clone();
    low.channel = 5;
    low.program = 72;
    for n in &mut low.notes {
        n.pitch = Pitch(n.pitch.0 - 12);
    }
    s.parts.push(low);
    s.parts.push(drums);
    s
}

struct Wav {
    spec: hound::WavSpec,
    samples: Vec<i16>,
}

fn read_wav(bytes: &[u8]) -> Wav {
    let mut reader = hound::WavReader::new(std::io::Cursor::new(bytes)).unwrap();
    let spec = reader.spec();
    let samples = reader.samples::<i16>().map(Result::unwrap).collect();
    Wav { spec, samples }
}

fn rms(samples: &[i16]) -> f64 {
    let sum: f64 = samples.iter().map(|&s| (s as f64 / 32768.0).powi(2)).sum();
    (sum / samples.len().max(1) as f64).sqrt()
}

/// Renders `score`: a valid 16-bit stereo WAV at the settings' rate, as long as the piece plus
/// the tail, and audible all through. Returns the file.
fn check_audio(name: &str, score: &Score, settings: &wav::Settings) -> Vec<u8> {
    let bytes = wav::render(score, settings).unwrap();
    let wav = read_wav(&bytes);
    assert_eq!(wav.spec.sample_rate, settings.sample_rate, "{name}");
    assert_eq!(wav.spec.channels, 2, "{name}");
    assert_eq!(wav.spec.bits_per_sample, 16, "{name}");
    assert_eq!(wav.spec.sample_format, hound::SampleFormat::Int, "{name}");
    let seconds = wav.samples.len() as f64 / 2.0 / settings.sample_rate as f64;
    let playing = score.seconds();
    assert!(
        seconds >= playing && seconds <= playing + wav::TAIL_SECONDS + 0.01,
        "{name}: {seconds:.3} s of audio for {playing:.3} s of music"
    );
    let level = rms(&wav.samples);
    assert!(level > 0.01, "{name}: nearly silent (RMS {level:.4})");
    // Every second of the music has sound in it (no part of the piece dropped out).
    let frames_per_second = settings.sample_rate as usize * 2;
    for (i, second) in wav.samples.chunks(frames_per_second).enumerate() {
        if (i as f64) < playing - 1.0 {
            assert!(rms(second) > 0.002, "{name}: silent around {i} s");
        }
    }
    bytes
}

/// Renders `score` twice and checks both: the same bytes each time.
fn check_deterministic(name: &str, score: &Score, settings: &wav::Settings) {
    let first = check_audio(name, score, settings);
    let again = wav::render(score, settings).unwrap();
    assert!(first == again, "{name}: two renders differ");
}

#[test]
fn every_example_plays_on_the_builtin_synth() {
    let settings = wav::Settings {
        sample_rate: 8_000,
        synth: wav::Synth::Embedded,
    };
    // The whole piece once, and its first bars twice (debug builds are slow).
    for path in examples() {
        let score = score_of(&path);
        let name = path.display().to_string();
        check_audio(&name, &score, &settings);
        check_deterministic(&name, &first_bars(&score, 4), &settings);
    }
}

#[test]
fn a_full_length_render_at_44_1_khz() {
    let path = Path::new("examples/harbour_lights.tune");
    let score = score_of(path);
    check_deterministic("harbour_lights", &score, &wav::Settings::default());
}

#[test]
fn drums_and_five_parts_play_on_the_builtin_synth() {
    let score = with_drums_and_a_fifth_part(&score_of(Path::new("examples/pentatonic_air.tune")));
    let settings = wav::Settings {
        sample_rate: 16_000,
        synth: wav::Synth::Embedded,
    };
    check_deterministic("five parts", &first_bars(&score, 8), &settings);
    // The drums alone are audible too.
    let mut drums = score.clone();
    drums.parts.retain(|p| p.channel == 9);
    check_deterministic("drums alone", &first_bars(&drums, 4), &settings);
}

#[test]
#[ignore = "needs the TimGM6mb SoundFont (Debian: timgm6mb-soundfont); .ci/run runs it"]
fn every_example_plays_on_a_soundfont() {
    let path = Path::new(TIMGM6MB);
    let settings = wav::Settings {
        sample_rate: 16_000,
        synth: wav::Synth::load(path).unwrap(),
    };
    assert_eq!(settings.synth.describe(), format!("SoundFont {TIMGM6MB}"));
    // The first bars of every example (rustysynth is slow in debug builds), and one whole piece.
    for example in examples() {
        let score = first_bars(&score_of(&example), 2);
        check_deterministic(&example.display().to_string(), &score, &settings);
    }
    let score = with_drums_and_a_fifth_part(&score_of(Path::new("examples/pentatonic_air.tune")));
    check_deterministic("five parts", &first_bars(&score, 4), &settings);
    let score = score_of(Path::new("examples/three_four_waltz.tune"));
    check_audio("three_four_waltz", &score, &settings);
}

#[test]
fn bad_soundfonts_and_rates_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = wav::Synth::load(&dir.path().join("none.sf2")).unwrap_err();
    assert!(
        missing.starts_with("cannot read the SoundFont"),
        "{missing}"
    );
    let junk = dir.path().join("junk.sf2");
    std::fs::write(&junk, b"RIFF\x04\x00\x00\x00sfbk").unwrap();
    let e = wav::Synth::load(&junk).unwrap_err();
    assert!(e.contains("is not a usable SoundFont"), "{e}");
    let score = score_of(Path::new("examples/harbour_lights.tune"));
    let slow = wav::Settings {
        sample_rate: 100,
        synth: wav::Synth::Embedded,
    };
    let e = wav::render(&score, &slow).unwrap_err();
    assert!(e.contains("out of range"), "{e}");
}

fn check_picture(name: &str, score: &Score, svg: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{name}");
    let class = |n: &roxmltree::Node, c: &str| n.attribute("class") == Some(c);
    let notes = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && class(n, "note"))
        .count();
    assert_eq!(notes, score.note_count(), "{name}: one rect per note");
    let text_of = |c: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text") && class(n, c))
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect()
    };
    let subtitle = text_of("subtitle").concat();
    assert!(
        subtitle.contains(&format!(" {} bars ", score.bars)),
        "{name}: {subtitle}"
    );
    // A pickup's bar is bar 0.
    let first = u32::from(score.pickup == 0);
    let numbers: Vec<String> = (first..=score.bars).map(|b| b.to_string()).collect();
    assert_eq!(text_of("bar-number"), numbers, "{name}: bar numbers");
    let legend = doc
        .descendants()
        .find(|n| class(n, "legend"))
        .unwrap_or_else(|| panic!("{name}: no legend"));
    let legend_text: String = legend
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" | ");
    for part in &score.parts {
        assert!(
            legend_text.contains(part.name()),
            "{name}: {} missing from the legend: {legend_text}",
            part.name()
        );
    }
    let chords = text_of("chord");
    assert_eq!(chords.len(), score.harmony.len(), "{name}: chord names");
    assert!(text_of("title").contains(&score.title));
}

#[test]
fn every_example_draws_a_piano_roll() {
    for path in examples() {
        let score = score_of(&path);
        let name = path.display().to_string();
        let picture = svg::render(&score);
        check_picture(&name, &score, &picture);
        assert_eq!(picture, svg::render(&score), "{name}: deterministic");
        // A label for each octave the pitched parts reach, C to B (on every system).
        let pitches = || {
            score
                .parts
                .iter()
                .filter(|p| p.role != PartRole::Drums)
                .flat_map(|p| p.notes.iter().map(|n| n.pitch.0 as i32 / 12 - 1))
        };
        let reached: Vec<String> = (pitches().min().unwrap()..=pitches().max().unwrap())
            .map(|octave| format!("C{octave}"))
            .collect();
        let mut labels: Vec<String> = picture
            .split(r#"class="octave""#)
            .skip(1)
            .map(|rest| rest[rest.find('>').unwrap() + 1..rest.find('<').unwrap()].to_string())
            .collect();
        labels.sort_by_key(|l| l[1..].parse::<i32>().unwrap());
        labels.dedup();
        assert_eq!(labels, reached, "{name}: octave labels");
    }
}

#[test]
fn long_pieces_wrap_and_drums_get_their_own_lane() {
    let source = "title \"Long & <Winding>\"\nfolk tune in G major, 40 bars\n";
    let base = compile(source, &Options::new()).unwrap().score().clone();
    let score = with_drums_and_a_fifth_part(&base);
    let picture = svg::render_sections(&score, &[(0, "A".into()), (16, "B'".into())]);
    check_picture("long", &score, &picture);
    let doc = roxmltree::Document::parse(&picture).unwrap();
    let systems = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("system"))
        .count();
    assert_eq!(systems, 3, "40 bars in rows of {}", svg::BARS_PER_SYSTEM);
    for drum in ["Bass Drum", "Acoustic Snare", "Closed Hi-Hat"] {
        let rows = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("drum-name") && n.text() == Some(drum))
            .count();
        assert_eq!(rows, 3, "{drum}: one row per system");
    }
    let drum_notes = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("note"))
        .filter_map(|n| n.descendants().find_map(|t| t.text()))
        .filter(|t| {
            ["Bass Drum", "Acoustic Snare", "Closed Hi-Hat"]
                .iter()
                .any(|d| t.contains(d))
        })
        .count();
    assert_eq!(drum_notes, score.parts.last().unwrap().notes.len());
    let sections: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("section"))
        .filter_map(|g| g.descendants().find_map(|c| c.text()))
        .collect();
    assert_eq!(sections, ["A", "B'"]);
    assert!(picture.contains("Long &amp; &lt;Winding&gt;"));
}

// The command line.

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_command_line_writes_wav_and_svg_beside_the_input() {
    let dir = folder_with("song.tune", "folk tune, 4 bars\n");
    let out = tunec(
        dir.path(),
        &["song.tune", "--emit", "wav", "--soundfont", "none"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("wrote song.wav: 3 parts"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).trim_end().ends_with("(built-in synth)"));
    let wav = read_wav(&std::fs::read(dir.path().join("song.wav")).unwrap());
    assert_eq!(wav.spec.sample_rate, wav::SAMPLE_RATE);
    assert!(out.stdout.is_empty());

    let out = tunec(dir.path(), &["song.tune", "--emit", "svg"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let svg = std::fs::read_to_string(dir.path().join("song.svg")).unwrap();
    roxmltree::Document::parse(&svg).unwrap();

    let out = tunec(dir.path(), &["song.tune", "--emit", "svg", "-o", "-"], b"");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), svg);

    let out = tunec(
        dir.path(),
        &[
            "song.tune",
            "--emit",
            "wav",
            "--soundfont",
            "none",
            "--variations",
            "2",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("song-0.wav").exists() && dir.path().join("song-1.wav").exists());
    assert!(
        !stderr(&out).contains('\r'),
        "no progress bar when stderr is not a terminal"
    );
    let out = tunec(
        dir.path(),
        &[
            "song.tune",
            "--emit",
            "svg",
            "--variations",
            "2",
            "--seed",
            "5",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("song-6.svg").exists());
}

#[test]
fn the_command_line_refuses_what_it_cannot_do() {
    let dir = folder_with("song.tune", "folk tune, 4 bars\n");
    // An SVG from standard input needs -o; a SoundFont only plays audio.
    let out = tunec(dir.path(), &["-", "--emit", "svg"], b"folk tune\n");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("-o"), "{}", stderr(&out));
    let out = tunec(dir.path(), &["song.tune", "--soundfont", "x.sf2"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --soundfont only applies to --emit wav\n"
    );
    let out = tunec(
        dir.path(),
        &["song.tune", "--emit", "wav", "--soundfont", "missing.sf2"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error[E0006]: cannot read the SoundFont missing.sf2"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("song.wav").exists(), "no partial output");
    // Audio from standard input goes to standard output when that is not a terminal.
    let out = tunec(
        dir.path(),
        &["-", "--emit", "wav", "--soundfont", "none"],
        b"folk tune, 2 bars\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"RIFF"));
}

#[test]
fn shell_completions() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = tunec(dir.path(), &["--completions", shell], b"");
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("tunec"), "{shell}");
        assert!(script.contains("soundfont"), "{shell}");
    }
    let out = tunec(dir.path(), &["--completions", "tcsh"], b"");
    assert_eq!(out.status.code(), Some(2));
    let out = tunec(dir.path(), &["song.tune", "--completions", "bash"], b"");
    assert_eq!(out.status.code(), Some(2), "--completions stands alone");
}
