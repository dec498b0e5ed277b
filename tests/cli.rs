//! Runs the real binary: exit statuses, exact error text, files written and not written.

mod common;
use common::{
    assert_error, compile_file as compile, folder_with, tunec, tunec_into_full_disk, tunec_with,
};
use std::process::Stdio;

#[test]
fn misspelled_word_suggests_the_known_one() {
    assert_error(
        "folk tune, 16 barz\n",
        "error[E0101]: unknown word `barz`
  --> song.tune:1:15
  |
1 | folk tune, 16 barz
  |               ^^^^ not a word tunec knows
  |
  = hint: did you mean `bars`?

",
    );
    assert_error(
        "folk tune\nmelody: stepwize\n",
        "error[E0101]: unknown word `stepwize`
  --> song.tune:2:9
  |
2 | melody: stepwize
  |         ^^^^^^^^ not a word tunec knows
  |
  = hint: did you mean `stepwise`?

",
    );
}

#[test]
fn conflicting_lines_are_named() {
    assert_error(
        "folk tune in C major, using only A B C# F# G\nmelody: ends on C\n",
        "error[E0300]: the melody cannot satisfy these lines together
  --> song.tune:1:23
  |
1 | folk tune in C major, using only A B C# F# G
  |                       ^^^^^^^^^^^^^^^^^^^^^^ line 1
2 | melody: ends on C
  |         --------- line 2
  |
  = hint: the melody must end on C, but only {C#, F#, G, A, B} fits

",
    );
}

#[test]
fn a_range_with_no_allowed_pitch() {
    assert_error(
        "folk tune using only G A B\nmelody: range D4 to E4\n",
        "error[E0300]: the melody cannot satisfy these lines together
  --> song.tune:1:11
  |
1 | folk tune using only G A B
  |           ^^^^^^^^^^^^^^^^ line 1
2 | melody: range D4 to E4
  |         -------------- line 2
  |
  = hint: no pitch in D4–E4 is in {G, A, B}

",
    );
}

#[test]
fn a_clause_in_the_wrong_place() {
    assert_error(
        "folk tune, program 41\n",
        "error[E0209]: this clause belongs on a part line
  --> song.tune:1:12
  |
1 | folk tune, program 41
  |            ^^^^^^^^^^ describes one part
  |
  = hint: put it after a part name, e.g. `melody: range D4 to B5, stepwise`

",
    );
}

#[test]
fn contradictory_moods() {
    assert_error(
        "happy sad folk tune\n",
        "error[E0202]: `sad` and `happy` contradict each other
  --> song.tune:1:7
  |
1 | happy sad folk tune
  | ----- ^^^ this mood
  | |      
  | contradicts this one
  |
  = hint: keep one of the two moods

",
    );
}

#[test]
fn a_setting_given_twice() {
    assert_error(
        "folk tune in D major\nin G major\n",
        "error[E0200]: the key is given twice
  --> song.tune:2:1
  |
1 | folk tune in D major
  |           ---------- conflicts with this one
2 | in G major
  | ^^^^^^^^^^ this one
  |
  = hint: keep only one of them

",
    );
}

#[test]
fn writes_midi_beside_the_input_and_a_summary() {
    let (status, stderr, wrote) = compile("folk tune in G major, 8 bars\n");
    assert_eq!(status, 0, "{stderr}");
    assert!(wrote);
    assert!(
        stderr.starts_with("wrote song.mid: 3 parts (melody, chords, bass), 8 bars, "),
        "{stderr}"
    );
    assert!(stderr.trim_end().ends_with(", seed 0, 0:19"), "{stderr}");
}

#[test]
fn stdin_stdout_and_seed() {
    let dir = tempfile::tempdir().unwrap();
    let source = b"folk tune, 4 bars\n";
    let a = tunec(dir.path(), &["-", "--emit", "text", "--seed", "5"], source);
    assert_eq!(a.status.code(), Some(0));
    let text = String::from_utf8(a.stdout).unwrap();
    assert!(text.contains("seed: 5"), "{text}");
    let midi = tunec(dir.path(), &["-", "-o", "-"], source);
    assert!(midi.stdout.starts_with(b"MThd"));
    let again = tunec(dir.path(), &["-", "-o", "-"], source);
    assert_eq!(midi.stdout, again.stdout, "same input and seed, same bytes");
}

#[test]
fn musicxml_by_emit_or_by_the_output_files_extension() {
    let dir = folder_with("air.tune", "title \"Air\"\nfolk tune, 4 bars\n");
    let by_name = tunec(dir.path(), &["air.tune", "-o", "air.musicxml"], b"");
    assert_eq!(by_name.status.code(), Some(0));
    let written = std::fs::read_to_string(dir.path().join("air.musicxml")).unwrap();
    assert!(
        written.contains("<score-partwise version=\"4.0\">"),
        "{written}"
    );
    assert!(
        written.contains("<work-title>Air</work-title>"),
        "{written}"
    );
    let emitted = tunec(dir.path(), &["air.tune", "--emit", "musicxml"], b"");
    assert_eq!(String::from_utf8(emitted.stdout).unwrap(), written);
}

/// `-o`'s extension names the format (DESIGN §4), and an `--emit` that asks for another is
/// misuse, which writes nothing.
#[test]
fn every_format_by_the_output_files_extension() {
    let dir = folder_with("air.tune", "folk tune, 4 bars\n");
    let cases: [(&str, &[u8]); 5] = [
        ("air.abc", b"X:1\n"),
        ("air.mid", b"MThd"),
        ("air.txt", b"title: "),
        ("air.svg", b"<svg "),
        ("copy.tune", b"folk tune"),
    ];
    for (file, start) in cases {
        let run = tunec(dir.path(), &["air.tune", "-o", file], b"");
        assert_eq!(run.status.code(), Some(0), "{file}: {run:?}");
        let written = std::fs::read(dir.path().join(file)).unwrap();
        assert!(written.starts_with(start), "{file}: {written:?}");
    }
    let plan = tunec(
        dir.path(),
        &["air.tune", "--emit", "plan", "-o", "plan.txt"],
        b"",
    );
    assert_eq!(plan.status.code(), Some(0), "{plan:?}");
    let clash = tunec(
        dir.path(),
        &["air.tune", "--emit", "abc", "-o", "air2.mid"],
        b"",
    );
    assert_eq!(clash.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(clash.stderr).unwrap(),
        "error: --emit abc conflicts with -o air2.mid, whose extension asks for midi; leave \
         out --emit, or name the file .abc\n"
    );
    assert!(!dir.path().join("air2.mid").exists());
}

#[test]
fn check_only_and_variations() {
    let dir = folder_with("air.tune", "folk tune, 4 bars\n");
    let check = tunec(dir.path(), &["air.tune", "--check"], b"");
    assert_eq!(check.status.code(), Some(0));
    assert!(
        !dir.path().join("air.mid").exists(),
        "--check writes nothing"
    );
    let out = tunec(
        dir.path(),
        &["air.tune", "--variations", "3", "--seed", "10"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    for seed in 10..13 {
        assert!(dir.path().join(format!("air-{seed}.mid")).exists());
    }
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("seed 11 → "), "{stderr}");
}

#[test]
fn command_line_misuse_exits_2_and_io_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        tunec(dir.path(), &["--emit", "mp3", "x.tune"], b"")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(tunec(dir.path(), &[], b"").status.code(), Some(2));
    let missing = tunec(dir.path(), &["missing.tune"], b"");
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8(missing.stderr)
            .unwrap()
            .starts_with("error[E0003]: cannot read missing.tune")
    );
}

#[test]
fn never_overwrites_the_input() {
    let dir = folder_with("song.tune", "folk tune\n");
    let out = tunec(dir.path(), &["song.tune", "-o", "song.tune"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("song.tune")).unwrap(),
        "folk tune\n"
    );
}

#[test]
fn unwritable_output_is_a_clear_error() {
    let dir = folder_with("song.tune", "folk tune\n");
    let out = tunec(
        dir.path(),
        &["song.tune", "-o", "no/such/folder/song.mid"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error[E0004]: cannot write no/such/folder/song.mid"),
        "{stderr}"
    );
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "nothing but the input remains");
}

#[test]
fn an_empty_program_is_an_error() {
    assert_error(
        "# only a comment\n",
        "error[E0005]: nothing to compose: the program has no prompts
  = hint: start with a line like `folk tune in D major, 16 bars`
",
    );
}

#[test]
fn melodic_clauses_do_not_fit_the_chords_part() {
    assert_error(
        "folk tune\nchords: stepwise\n",
        "error[E0209]: this clause does not apply to the chords part
  --> song.tune:2:9
  |
2 | chords: stepwise
  |         ^^^^^^^^ not for this part
  |
  = hint: the chords part takes an instrument, a pattern, `range`, `using only`, `avoiding`, a dynamic or `none`

",
    );
}

#[test]
fn the_bass_explains_which_chord_it_cannot_play() {
    assert_error(
        "folk tune, chords G D\nbass: using only C\n",
        "error[E0300]: the bass cannot satisfy these lines together
  --> song.tune:2:7
  |
1 | folk tune, chords G D
  |            ---------- line 1
2 | bass: using only C
  |       ^^^^^^^^^^^^ line 2
  |
  = hint: in bar 1 the bass must play a tone of G {D, G, B}, but only {C} is allowed

",
    );
}

#[test]
fn a_byte_order_mark_is_ignored_and_bad_bytes_are_located() {
    let (status, stderr, _) = compile("\u{feff}folk tune, 4 bars\n");
    assert_eq!(status, 0, "{stderr}");
    let dir = folder_with("bad.tune", b"folk tune\nin \xff major\n");
    let out = tunec(dir.path(), &["bad.tune"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error[E0002]: this byte is not UTF-8 text
  --> bad.tune:2:4
  |
2 | in \u{fffd} major
  |    ^ not UTF-8
  |
  = hint: save the file as UTF-8

"
    );
}

#[test]
fn variations_past_the_last_seed_are_misuse() {
    let dir = folder_with("air.tune", "folk tune, 4 bars\n");
    let out = tunec(
        dir.path(),
        &[
            "air.tune",
            "--variations",
            "2",
            "--seed",
            "18446744073709551615",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing written"
    );
}

#[test]
#[cfg(unix)]
fn endless_input_stops_at_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let expected =
        "error[E0001]: the program is too large: more than 256 KiB, and tunec reads at most 256 KiB
  = hint: split it into several files
";
    let zero = || Stdio::from(std::fs::File::open("/dev/zero").unwrap());
    for (args, stdin) in [(["/dev/zero"], Stdio::null()), (["-"], zero())] {
        let out = tunec_with(dir.path(), &args, stdin);
        assert_eq!(String::from_utf8(out.stderr).unwrap(), expected, "{args:?}");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
    let big = folder_with("big.tune", "# a comment\n".repeat(30_000));
    let out = tunec(big.path(), &["big.tune"], b"");
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error[E0001]: the program is too large: 352 KiB, and tunec reads at most 256 KiB
  = hint: split it into several files
"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// What tunec says when standard output is a full disk.
#[cfg(target_os = "linux")]
const FULL: &str =
    "error[E0004]: cannot write to standard output: No space left on device (os error 28)\n";

#[test]
#[cfg(target_os = "linux")]
fn completions_on_a_full_disk_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = tunec_into_full_disk(dir.path(), &["--completions", "bash"]);
    assert_eq!(String::from_utf8(out.stderr).unwrap(), FULL);
    assert_eq!(out.status.code(), Some(1));
    let script = tunec(dir.path(), &["--completions", "bash"], b"");
    assert_eq!(script.status.code(), Some(0));
    assert!(
        String::from_utf8(script.stdout)
            .unwrap()
            .contains("_tunec()")
    );
}

#[test]
fn help_and_version_go_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let help = tunec(dir.path(), &["--help"], b"");
    assert_eq!(help.status.code(), Some(0));
    assert_eq!(String::from_utf8(help.stderr).unwrap(), "");
    assert!(
        String::from_utf8(help.stdout)
            .unwrap()
            .starts_with("Compile a .tune file")
    );
    let version = tunec(dir.path(), &["--version"], b"");
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(String::from_utf8(version.stderr).unwrap(), "");
    assert_eq!(
        String::from_utf8(version.stdout).unwrap(),
        format!("tunec {}\n", env!("CARGO_PKG_VERSION"))
    );
    #[cfg(target_os = "linux")]
    {
        let full = tunec_into_full_disk(dir.path(), &["--help"]);
        assert_eq!(String::from_utf8(full.stderr).unwrap(), FULL);
        assert_eq!(full.status.code(), Some(1));
    }
}

#[test]
#[cfg(target_os = "linux")]
fn stats_on_a_full_disk_are_an_error() {
    let dir = folder_with("air.tune", "folk tune, 4 bars\n");
    let out = tunec_into_full_disk(dir.path(), &["air.tune", "--stats", "2"]);
    assert_eq!(String::from_utf8(out.stderr).unwrap(), FULL);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn stats_past_the_last_seed_are_misuse() {
    let dir = folder_with("air.tune", "folk tune, 4 bars\n");
    let stats = |count: &str, seed: &str| {
        tunec(
            dir.path(),
            &["air.tune", "--stats", count, "--seed", seed],
            b"",
        )
    };
    let past = stats("3", "18446744073709551615");
    assert_eq!(
        String::from_utf8(past.stderr).unwrap(),
        "error: the seeds of the statistics would run past 18446744073709551615\n"
    );
    assert_eq!(past.status.code(), Some(2));
    let last = stats("2", "18446744073709551614");
    assert_eq!(last.status.code(), Some(0));
    let stdout = String::from_utf8(last.stdout).unwrap();
    assert!(
        stdout
            .starts_with("air.tune, seeds 18446744073709551614 to 18446744073709551615: 2 tunes: "),
        "{stdout}"
    );
}

#[test]
#[cfg(unix)]
fn writing_through_a_dangling_link_creates_its_target() {
    let dir = folder_with("song.tune", "folk tune, 4 bars\n");
    std::os::unix::fs::symlink("made/song.mid", dir.path().join("link.mid")).unwrap();
    std::fs::create_dir(dir.path().join("made")).unwrap();
    let out = tunec(dir.path(), &["song.tune", "-o", "link.mid"], b"");
    assert_eq!(out.status.code(), Some(0));
    let link = std::fs::symlink_metadata(dir.path().join("link.mid")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is kept");
    let made = std::fs::read(dir.path().join("made/song.mid")).unwrap();
    assert!(made.starts_with(b"MThd"));
    std::os::unix::fs::symlink("loop.mid", dir.path().join("loop.mid")).unwrap();
    let out = tunec(dir.path(), &["song.tune", "-o", "loop.mid"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error[E0004]: cannot write loop.mid: too many levels of symbolic links\n"
    );
}

#[test]
fn every_bad_line_is_reported() {
    let source = "folk tuen\nmelody: fiddle\nfolk tune, 16 barz\n# fine\nmelody: kazoo\n";
    let (status, stderr, wrote) = common::compile_file(source);
    let heads: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(
        heads,
        [
            "error[E0101]: unknown word `tuen`",
            "error[E0101]: unknown word `barz`",
            "error[E0208]: unknown instrument `kazoo`",
        ],
        "{stderr}"
    );
    assert!(stderr.contains("--> song.tune:3:15"), "{stderr}");
    assert!(stderr.contains("--> song.tune:5:9"), "{stderr}");
    assert_eq!(status, 1);
    assert!(!wrote);
}

#[test]
fn errors_as_json_for_tools() {
    let dir = folder_with("song.tune", "folk tuen\nmelody: fiddle\nmelody: kazoo\n");
    let out = tunec(dir.path(), &["song.tune", "--error-format", "json"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let errors = json.as_array().unwrap();
    assert_eq!(errors.len(), 2, "{json}");
    let first = &errors[0];
    assert_eq!(first["code"], "E0101");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["message"], "unknown word `tuen`");
    assert_eq!(first["file"], "song.tune");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(6))
    );
    assert_eq!(
        (first["end_line"].as_u64(), first["end_column"].as_u64()),
        (Some(1), Some(10))
    );
    assert_eq!(
        first["labels"][0]["message"],
        "not a style, mood or clause tunec knows"
    );
    assert_eq!(first["hint"], "did you mean `tune`?");
    assert_eq!(errors[1]["code"], "E0208");
    assert_eq!(errors[1]["line"], 3);
    // A conflict names every line it is about; a file problem has no place.
    let dir = folder_with(
        "song.tune",
        "folk tune using only G A B\nmelody: range D4 to E4\n",
    );
    let out = tunec(dir.path(), &["song.tune", "--error-format", "json"], b"");
    let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let lines: Vec<u64> = json[0]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        (json[0]["code"].as_str(), lines),
        (Some("E0300"), vec![1, 2])
    );
    let out = tunec(dir.path(), &["missing.tune", "--error-format", "json"], b"");
    let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(json[0]["code"], "E0003");
    assert!(json[0]["line"].is_null());
}

#[test]
fn emit_tune_prints_how_a_sentence_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let seed = b"write a tune for a folk song that only uses A, B, C#, F# and G\n";
    let out = tunec(dir.path(), &["-", "--emit", "tune"], seed);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "folk tune, using only A B C# F# G\n"
    );
}
