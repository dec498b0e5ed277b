//! Every kind of error, as the user sees it: exact stderr, exit status 1, no file written.

mod common;
use common::assert_error;

#[test]
fn unknown_style_word() {
    assert_error(
        "folk tuen\n",
        "error[E0101]: unknown word `tuen`\n  --> song.tune:1:6\n  |\n1 | folk tuen\n  |      ^^^^ not a style, mood or clause tunec knows\n  |\n  = hint: did you mean `tune`?\n\n",
    );
}

#[test]
fn unknown_part() {
    assert_error(
        "folk tune\nmelodie: flute\n",
        "error[E0205]: unknown part `melodie`\n  --> song.tune:2:1\n  |\n2 | melodie: flute\n  | ^^^^^^^ not a part name\n  |\n  = hint: did you mean `melody`?\n\n",
    );
}

#[test]
fn unknown_instrument() {
    assert_error(
        "folk tune\nmelody: kazoo\n",
        "error[E0208]: unknown instrument `kazoo`\n  --> song.tune:2:9\n  |\n2 | melody: kazoo\n  |         ^^^^^ not an instrument tunec knows\n  |\n  = hint: use a General MIDI name (`flute`, `acoustic bass`), a folk name (`fiddle`, `tin whistle`) or `program N`\n\n",
    );
}

#[test]
fn unknown_drum() {
    assert_error(
        "folk tune\ndrums: kik x...x...\n",
        "error[E0206]: unknown drum `kik`\n  --> song.tune:2:8\n  |\n2 | drums: kik x...x...\n  |        ^^^ not a drum tunec knows\n  |\n  = hint: did you mean `kick`?\n\n",
    );
}

#[test]
fn malformed_clause() {
    assert_error(
        "folk tune\nmelody: range D4\n",
        "error[E0104]: cannot read this `range` clause: the words after `range` are not in its form\n  --> song.tune:2:9\n  |\n2 | melody: range D4\n  |         ^^^^^ the clause starts here\n  |\n  = hint: write it like `range D4 to B5`\n\n",
    );
}

#[test]
fn piece_clause_on_part_line() {
    assert_error(
        "folk tune\nmelody: 6/8\n",
        "error[E0209]: this clause is about the whole piece\n  --> song.tune:2:9\n  |\n2 | melody: 6/8\n  |         ^^^ not a part clause\n  |\n  = hint: put it on a line without a part name, e.g. `folk tune in D major, 6/8`\n\n",
    );
}

#[test]
fn clause_not_for_this_part() {
    assert_error(
        "folk tune\ndrums: stepwise\n",
        "error[E0209]: this clause does not apply to the drums part\n  --> song.tune:2:8\n  |\n2 | drums: stepwise\n  |        ^^^^^^^^ not for this part\n  |\n  = hint: the drums take a step grid (`kick x...x... snare ..x...x.`), a style's groove, a dynamic or `none`\n\n",
    );
}

#[test]
fn drum_grid_on_piece_line() {
    assert_error(
        "folk tune, kick x...x...\n",
        "error[E0209]: this clause belongs on a part line\n  --> song.tune:1:12\n  |\n1 | folk tune, kick x...x...\n  |            ^^^^^^^^^^^^^ describes one part\n  |\n  = hint: put it on the drums line: `drums: kick x...x... snare ..x...x.`\n\n",
    );
}

#[test]
fn form_does_not_divide() {
    assert_error(
        "folk tune, form ABA, 10 bars\n",
        "error[E0217]: 10 bars do not divide into the form ABA\n  --> song.tune:1:22\n  |\n1 | folk tune, form ABA, 10 bars\n  |            --------  ^^^^^^^ the length\n  |            |          \n  |            the form\n  |\n  = hint: give each section its length, e.g. `section A: 4 bars`\n\n",
    );
}

#[test]
fn section_not_in_form() {
    assert_error(
        "folk tune, form AB\nsection C: 4 bars\n",
        "error[E0214]: the form has no section C\n  --> song.tune:2:9\n  |\n2 | section C: 4 bars\n  |         ^ not in the form\n  |\n  = hint: add it to the form, e.g. `form AABB`\n\n",
    );
}

/// A section's part line names its section as a section line does: the same error.
#[test]
fn section_part_line_not_in_form() {
    assert_error(
        "folk tune, form AB\nsection C melody: range C4 to C5\n",
        "error[E0214]: the form has no section C\n  --> song.tune:2:9\n  |\n2 | section C melody: range C4 to C5\n  |         ^ not in the form\n  |\n  = hint: add it to the form, e.g. `form AABB`\n\n",
    );
}

#[test]
fn piece_clause_on_section_line() {
    assert_error(
        "folk tune, form AB\nsection B: title \"x\"\n",
        "error[E0209]: this clause is about the whole piece, not one section\n  --> song.tune:2:12\n  |\n2 | section B: title \"x\"\n  |            ^^^^^^^^^ not per section\n  |\n  = hint: a section line takes `N bars`, `chords …`, a key, a meter, a tempo, `louder`, `softer`, `crescendo`, `diminuendo` or a dynamic like `mf`\n\n",
    );
}

#[test]
fn section_part_line_takes_range_only() {
    assert_error(
        "folk tune, form AB\nsection B melody: stepwise\n",
        "error[E0209]: a section's part line takes only `range`\n  --> song.tune:2:19\n  |\n2 | section B melody: stepwise\n  |                   ^^^^^^^^ not per section\n  |\n  = hint: write it for the whole piece on a `melody:` line\n\n",
    );
}

#[test]
fn cadence_contradicts_chords() {
    assert_error(
        "folk tune in C major, 4 bars, chords C G F C, ends with an authentic cadence\n",
        "error[E0219]: the chords end F C, not an authentic cadence (V I)\n  --> song.tune:1:47\n  |\n1 | folk tune in C major, 4 bars, chords C G F C, ends with an authentic cadence\n  |                               --------------  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ this cadence\n  |                               |                \n  |                               these chords\n  |\n  = hint: end the chords with V I (authentic), IV I (plagal), on V (half) or V vi (deceptive)\n\n",
    );
}

#[test]
fn solo_with_another_part() {
    assert_error(
        "folk tune, solo\nbass: walking\n",
        "error[E0216]: `solo` keeps only the melody, but a line describes the bass\n  --> song.tune:1:12\n  |\n1 | folk tune, solo\n  |            ^^^^ solo\n2 | bass: walking\n  |       ------- this part\n  |\n  = hint: drop `solo` or the bass line\n\n",
    );
}

#[test]
fn too_many_chords_in_a_bar() {
    assert_error(
        "folk tune, chords C G | F G C D E\n",
        "error[E0212]: a bar of 4/4 holds at most 4 chords\n  --> song.tune:1:33\n  |\n1 | folk tune, chords C G | F G C D E\n  |                                 ^ one chord too many in this bar\n  |\n  = hint: mark the bars with `|`, e.g. `chords D G | A D`\n\n",
    );
}

#[test]
fn chords_longer_than_the_piece() {
    assert_error(
        "folk tune, 4 bars, chords C D E F G\n",
        "error[E0218]: the chords fill 5 bars but the piece has 4 bars\n  --> song.tune:1:20\n  |\n1 | folk tune, 4 bars, chords C D E F G\n  |            ------  ^^^^^^^^^^^^^^^^ these chords\n  |            |        \n  |            the length is set here\n  |\n  = hint: shorten the progression or lengthen the section to at least 5 bars\n\n",
    );
}

#[test]
fn uneven_drum_grid() {
    assert_error(
        "folk tune in 3/4\ndrums: kick x......\n",
        "error[E0213]: a 7-step grid does not divide a bar of 3/4\n  --> song.tune:2:8\n  |\n2 | drums: kick x......\n  |        ^^^^^^^^^^^^ uneven grid\n  |\n  = hint: use a number of steps that divides the bar, e.g. 3 or 6\n\n",
    );
}

#[test]
fn rhythm_cannot_fill_a_bar() {
    assert_error(
        "folk tune, 4/4\nmelody: rhythm dotted quarters\n",
        "error[E0300]: the melody cannot satisfy these lines together\n  --> song.tune:2:9\n  |\n1 | folk tune, 4/4\n  |            --- line 1\n2 | melody: rhythm dotted quarters\n  |         ^^^^^^^^^^^^^^^^^^^^^^ line 2\n  |\n  = hint: no notes of the allowed lengths add up to a bar of 4/4\n\n",
    );
}

#[test]
fn not_a_meter() {
    assert_error(
        "folk tune, 6/9\n",
        "error[E0109]: `6/9` is not a meter tunec can write\n  --> song.tune:1:12\n  |\n1 | folk tune, 6/9\n  |            ^^^ not a meter\n  |\n  = hint: the top number is 1 to 32 and the bottom one 2, 4, 8 or 16, e.g. `6/8`\n\n",
    );
}

#[test]
fn tempo_out_of_range() {
    assert_error(
        "folk tune, 500 bpm\n",
        "error[E0201]: tempo out of range: 500 bpm is faster than the fastest tempo tunec plays (400 bpm)\n  --> song.tune:1:12\n  |\n1 | folk tune, 500 bpm\n  |            ^^^^^^^ here\n  |\n  = hint: write a tempo from 20 to 400 bpm\n\n",
    );
}

#[test]
fn pitch_outside_midi() {
    assert_error(
        "folk tune\nmelody: range C-2 to C4\n",
        "error[E0112]: `C-2` is not a MIDI pitch\n  --> song.tune:2:15\n  |\n2 | melody: range C-2 to C4\n  |               ^^^ out of range\n  |\n  = hint: pitches run from C-1 to G9; middle C is C4\n\n",
    );
}

#[test]
fn unknown_interval() {
    assert_error(
        "folk tune\nmelody: no leaps larger than a fifht\n",
        "error[E0113]: unknown interval `a fifht`\n  --> song.tune:2:30\n  |\n2 | melody: no leaps larger than a fifht\n  |                              ^^^^^^^ not an interval name\n  |\n  = hint: did you mean `fifth`? or write `N semitones`\n\n",
    );
}

#[test]
fn degree_zero() {
    assert_error(
        "folk tune\nmelody: ends on degree 0\n",
        "error[E0110]: degrees count from 1\n  --> song.tune:2:24\n  |\n2 | melody: ends on degree 0\n  |                        ^ degree 1 is the tonic\n\n",
    );
}

#[test]
fn program_zero() {
    assert_error(
        "folk tune\nmelody: program 0\n",
        "error[E0110]: program numbers start at 1\n  --> song.tune:2:17\n  |\n2 | melody: program 0\n  |                 ^ not a General MIDI program\n  |\n  = hint: General MIDI programs are numbered 1 to 128 (1 = acoustic grand piano)\n\n",
    );
}

#[test]
fn number_too_large() {
    assert_error(
        "folk tune, 99999 bars\n",
        "error[E0108]: the number of bars is too large\n  --> song.tune:1:12\n  |\n1 | folk tune, 99999 bars\n  |            ^^^^^ at most 10000\n\n",
    );
}

#[test]
fn zero_bars() {
    assert_error(
        "folk tune, 0 bars\n",
        "error[E0210]: a piece needs at least 1 bar\n  --> song.tune:1:12\n  |\n1 | folk tune, 0 bars\n  |            ^^^^^^ no bars\n  |\n  = hint: write the length as `16 bars`\n\n",
    );
}

#[test]
fn control_character() {
    assert_error(
        "folk\u{7} tune\n",
        "error[E0102]: unexpected control character U+0007\n  --> song.tune:1:5\n  |\n1 | folk\u{fffd} tune\n  |     ^ here\n  |\n  = hint: a .tune file is plain text\n\n",
    );
}

#[test]
fn missing_title_quote() {
    assert_error(
        "title \"Harbour Lights\nfolk tune\n",
        "error[E0103]: the title's closing `\"` is missing\n  --> song.tune:1:22\n  |\n1 | title \"Harbour Lights\n  |                      ^ expected `\"` here\n  |\n  = hint: write the title in double quotes: title \"Harbour Lights\"\n\n",
    );
}

#[test]
fn slash_chord() {
    assert_error(
        "folk tune, chords Am/G\n",
        "error[E0106]: `G` is not a tone of `Am`\n  --> song.tune:1:21\n  |\n1 | folk tune, chords Am/G\n  |                     ^^ the bass under the chord\n  |\n  = hint: a slash chord's bass is one of the chord's tones (`C/E`, `G/B`); for another bass, write the chord that holds it (`C7/Bb`)\n\n",
    );
    assert_error(
        "folk tune, chords I V/V\n",
        "error[E0106]: tunec reads a slash only after a chord symbol\n  --> song.tune:1:22\n  |\n1 | folk tune, chords I V/V\n  |                      ^^ a slash after a numeral\n  |\n  = hint: write the slash chord in letters (`G/B`), or a secondary dominant as the chord itself (`II7` for V/V)\n\n",
    );
}

#[test]
fn number_on_its_own() {
    assert_error(
        "folk tune, 16\n",
        "error[E0105]: a number on its own: `16`\n  --> song.tune:1:12\n  |\n1 | folk tune, 16\n  |            ^^ what does this count?\n  |\n  = hint: write what it counts, e.g. `16 bars`, `96 bpm` or `seed 7`\n\n",
    );
}

#[test]
fn part_name_without_colon() {
    assert_error(
        "melody flute\n",
        "error[E0203]: `melody` starts a part line\n  --> song.tune:1:1\n  |\n1 | melody flute\n  | ^^^^^^ part name without a colon\n  |\n  = hint: write `melody: …` with a colon after the part name\n\n",
    );
}

#[test]
fn section_without_letter() {
    assert_error(
        "folk tune\nsection: 8 bars\n",
        "error[E0204]: a section line needs a letter\n  --> song.tune:2:1\n  |\n2 | section: 8 bars\n  | ^^^^^^^ section without a letter\n  |\n  = hint: write it like `section B: chords IV V I I`\n\n",
    );
}

#[test]
fn melody_cannot_be_dropped() {
    assert_error(
        "folk tune\nmelody: none\n",
        "error[E0207]: every piece has a melody\n  --> song.tune:2:9\n  |\n2 | melody: none\n  |         ^^^^ cannot drop the melody\n  |\n  = hint: `none` drops an accompanying part, e.g. `bass: none`\n\n",
    );
}

#[test]
fn range_goes_downwards() {
    assert_error(
        "folk tune\nmelody: range C5 to C4\n",
        "error[E0211]: the range goes downwards\n  --> song.tune:2:9\n  |\n2 | melody: range C5 to C4\n  |         ^^^^^^^^^^^^^^ low note first\n  |\n  = hint: write the lower note first, e.g. `range D4 to B5`\n\n",
    );
}

#[test]
fn unsatisfiable_leaps() {
    // One bar of whole notes is one note; without the rhythm clause the bar would widen to
    // hold two, so the length and the rhythm are part of the conflict.
    assert_error(
        "folk tune, 1 bars\nmelody: rhythm whole notes, starts on C4, ends on C6\n",
        "error[E0300]: the melody cannot satisfy these lines together\n  --> song.tune:2:29\n  |\n1 | folk tune, 1 bars\n  |            ------ line 1\n2 | melody: rhythm whole notes, starts on C4, ends on C6\n  |         ------------------  ^^^^^^^^^^^^  ---------- line 2\n  |         |                   |              \n  |         |                   line 2\n  |         line 2\n  |\n  = hint: the melody has a single note, which cannot both start on C4 and end on C6\n\n",
    );
}

#[test]
fn cadence_needs_a_chord_the_pitch_rules_forbid() {
    assert_error(
        "folk tune in C major, 4 bars, ends with a plagal cadence, using only C E G B D\n",
        "error[E0300]: the harmony cannot satisfy these lines together\n  --> song.tune:1:31\n  |\n1 | folk tune in C major, 4 bars, ends with a plagal cadence, using only C E G B D\n  |                               ^^^^^^^^^^^^^^^^^^^^^^^^^^  -------------------- `using only C E G B D`\n  |                               |                            \n  |                               `ends with a plagal cadence`\n  |\n  = hint: the cadence needs IV then I, and the pitch rules leave no such chord\n\n",
    );
}

#[test]
fn every_kind_of_line_end_is_located() {
    let unknown = "error[E0205]: unknown part `melodie`\n  --> song.tune:3:1\n  |\n3 | melodie: flute\n  | ^^^^^^^ not a part name\n  |\n  = hint: did you mean `melody`?\n\n";
    let conflict = "error[E0300]: the bass cannot satisfy these lines together\n  --> song.tune:3:7\n  |\n1 | folk tune, chords G D\n  |            ---------- line 1\n2 | # the bass\n3 | bass: using only C\n  |       ^^^^^^^^^^^^ line 3\n  |\n  = hint: in bar 1 the bass must play a tone of G {D, G, B}, but only {C} is allowed\n\n";
    for end in ["\n", "\r\n", "\r"] {
        let source = ["folk tune", "# a comment", "melodie: flute", ""].join(end);
        assert_error(&source, unknown);
        // The library renders the same lines without the command line's help.
        let options = tunec::Options::new().file_name("song.tune");
        let Err(d) = tunec::compile(&source, &options) else {
            panic!("{end:?}: no error")
        };
        assert_eq!(d.to_string(), unknown, "{end:?}");
        let source = [
            "folk tune, chords G D",
            "# the bass",
            "bass: using only C",
            "",
        ]
        .join(end);
        assert_error(&source, conflict);
    }
}

#[test]
fn control_characters_never_reach_the_terminal() {
    // ESC would start a terminal command; U+0085 (two bytes) and U+202E (reorders the line)
    // are shown as one `�` each, so the caret still lines up.
    assert_error(
        "folk tune\nmelody: fl\u{202e}ute\u{85}x\n",
        "error[E0102]: unexpected control character U+0085\n  --> song.tune:2:15\n  |\n2 | melody: fl\u{fffd}ute\u{fffd}x\n  |               ^ here\n  |\n  = hint: a .tune file is plain text\n\n",
    );
    // Words quoted in the message show their control characters escaped.
    let source = "folk t\x1b[31mune\n";
    let d = tunec::Diagnostic::at(
        tunec::Code::UnknownWord,
        tunec::Span::new(5, 14),
        "unknown word `t\x1b[31mune`",
        "not \x07here",
    )
    .hint("a \x1b hint");
    assert_eq!(
        d.render("song.tune", source),
        "error[E0101]: unknown word `t\\u{1b}[31mune`\n  --> song.tune:1:6\n  |\n1 | folk t\u{fffd}[31mune\n  |      ^^^^^^^^^ not \\u{7}here\n  |\n  = hint: a \\u{1b} hint\n\n"
    );
}

#[test]
fn an_enormous_line_is_cut_around_the_caret() {
    let source = format!(
        "folk tune\nmelody: flute, {}, stepwize\n",
        "range C4 to C5 ".repeat(20)
    );
    let shown = "range C4 to C5 ".repeat(6);
    assert_error(
        &source,
        &format!(
            "error[E0101]: unknown word `stepwize`\n  --> song.tune:2:318\n  |\n2 | …{shown}, stepwize\n  | {}^^^^^^^^ not a word tunec knows\n  |\n  = hint: did you mean `stepwise`?\n\n",
            " ".repeat(93)
        ),
    );
}

#[test]
fn an_enormous_word_is_quoted_short() {
    let word = "x".repeat(250_000);
    assert_error(
        &format!("folk tune\nmelody: {word}\n"),
        &format!(
            "error[E0208]: unknown instrument `{}…`\n  --> song.tune:2:9\n  |\n2 | melody: {}…\n  |         {} not an instrument tunec knows\n  |\n  = hint: use a General MIDI name (`flute`, `acoustic bass`), a folk name (`fiddle`, `tin whistle`) or `program N`\n\n",
            &word[..40],
            &word[..92],
            "^".repeat(93)
        ),
    );
}

#[test]
fn independent_conflicts_are_all_reported() {
    // The cadence and the drum grid do not depend on each other: both are reported.
    let source = "folk tune in C major, chords C F G F, ends with an authentic cadence\n\
                  drums: kick x.x.x.x\n";
    let errors = tunec::compile(source, &tunec::Options::new()).unwrap_err();
    let codes: Vec<&str> = errors.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0219", "E0213"]);
    // So are a piece's chords and a section's that crowd their bars.
    let source = "folk tune, 3/4, chords | C F G A |\nsection A: chords | C F G A |\n";
    let errors = tunec::compile(source, &tunec::Options::new()).unwrap_err();
    let lines: Vec<usize> = errors
        .iter()
        .map(|d| d.labels[0].span.line(source))
        .collect();
    assert_eq!(lines, [1, 2]);
}
