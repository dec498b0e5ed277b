//! Reads the plain words of a piece line as a sentence: styles, moods, tempo words,
//! instruments (the longest name first), parts named as nouns and patterns are placed; the
//! skipped words are dropped; anything else is an error at the first such word.

use crate::diagnostic::{Code, Diagnostic, Span, suggest};
use crate::limits::quote;
use crate::parts::PartRole;
use crate::presets::{self, Groove, Pattern, Style, ensembles, instruments};
use crate::syntax::Spanned;
use crate::theory::{Key, Letter, Meter, Mode, NoteName, PitchSet};
use crate::vocabulary::{self, Context, Kind, Refusal, Switch, senses};
use fnv::FnvHashSet;

/// What a word, or a run of words, of a sentence says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Read {
    Style(&'static Style),
    /// A kind of a style with its own meter: `slip jig` is the jig in 9/8.
    StyleIn(&'static Style, Meter),
    /// A style's ballad (`a jazz ballad`): the style, slow.
    StyleBallad(&'static Style),
    /// A preset mood, by name (a mood word is read as its preset).
    Mood(&'static str),
    Switch(Switch),
    /// A tempo word: its name and bpm range.
    Tempo(&'static str, u32, u32),
    /// A length word: its name and bars.
    Length(&'static str, u32),
    /// An instrument, with the part it was named for (`a cello melody`), if any.
    Instrument(u8, Option<PartRole>),
    /// A caption's first instrument (`featuring piano and violin`): the melody's, unless the
    /// prompt names another for the melody.
    Lead(u8),
    /// A part named as a noun: `with drums`.
    Part(PartRole),
    Pattern(PartRole, Pattern),
    /// How the drums play: `brushed drums`.
    Groove(Groove),
    /// An ensemble by name: `string quartet`, `piano trio`.
    Ensemble(&'static str),
    /// A scale or mode without a tonic (`the harmonic minor scale`, `a dorian tune`): it takes
    /// the key's tonic; or the tonic its notes in brackets start on (`the harmonic minor scale
    /// (C D Eb F G Ab B)`).
    Mode(Mode, Option<NoteName>),
}

/// The longest instrument name a sentence may hold, in words: `string ensemble 1`.
const LONGEST_NAME: usize = 4;

/// Every placed run of `words`, with its span; skipped words leave nothing.
pub fn read(words: &[Spanned<String>]) -> Result<Vec<Spanned<Read>>, Diagnostic> {
    let lower: Vec<String> = words.iter().map(|w| lower_case(&w.value)).collect();
    let mut out = Vec::new();
    let mut led = None;
    let mut adjectives = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // A refusal later in the sentence says more than an unknown word before it.
        let (read, used) = read_at(&lower, i, words).map_err(|e| match e.code {
            Code::UnknownWord => refusal_from(&lower, i + 1, words).unwrap_or(e),
            _ => e,
        })?;
        let span = Span::new(words[i].span.start, words[i + used - 1].span.end);
        if used == 1 && vocabulary::SWING_ADJECTIVES.contains(&lower[i].as_str()) {
            adjectives.push(out.len());
        }
        if let Some(value) = read {
            if led.is_none() && caption_lead(value, &lower[..i]) {
                led = Some(out.len());
            }
            out.push(Spanned { value, span });
        }
        i += used;
    }
    if let Some(i) = led
        && let Read::Instrument(program, None) = out[i].value
    {
        out[i].value = Read::Lead(program);
    }
    swing_beside_a_style(&mut out, &adjectives);
    Ok(solo_among_others(as_instruments_among_others(out)))
}

/// `a jazzy folk tune`: beside another style, `jazzy` and `bluesy` (at `adjectives` in `out`)
/// are the swing they bring, not a second style.
fn swing_beside_a_style(out: &mut [Spanned<Read>], adjectives: &[usize]) {
    let style = |r: &Read| matches!(r, Read::Style(_) | Read::StyleIn(..));
    let other = (out.iter().enumerate()).any(|(k, r)| style(&r.value) && !adjectives.contains(&k));
    for &k in adjectives.iter().filter(|_| other) {
        if style(&out[k].value) {
            out[k].value = Read::Switch(Switch::Swing);
        }
    }
}

/// `a string ensemble and a solo violin`: among other instruments, `solo` before one features
/// it — the melody — rather than dropping the other parts.
fn solo_among_others(mut out: Vec<Spanned<Read>>) -> Vec<Spanned<Read>> {
    let instruments = (out.iter()).filter(|r| matches!(r.value, Read::Instrument(..)));
    if instruments.count() < 2 {
        return out;
    }
    let solo = (0..out.len().saturating_sub(1)).find(|&i| {
        out[i].value == Read::Switch(Switch::Solo)
            && matches!(
                out[i + 1].value,
                Read::Instrument(_, None | Some(PartRole::Melody))
            )
    });
    if let Some(i) = solo {
        if let Read::Instrument(program, _) = out[i + 1].value {
            out[i + 1].value = Read::Instrument(program, Some(PartRole::Melody));
        }
        out.remove(i);
    }
    out
}

/// `with the French horn playing the melody`, `a flute carrying the tune`: the words after an
/// instrument that give it its part, and how many there are.
fn role_after(lower: &[String], from: usize) -> Option<(PartRole, usize)> {
    const VERBS: [&str; 12] = [
        "playing", "plays", "carrying", "carries", "carry", "taking", "takes", "states", "stating",
        "leading", "leads", "on",
    ];
    const GLUE: [&str; 4] = ["that", "which", "the", "a"];
    let mut verb = None;
    for (k, word) in lower.iter().enumerate().skip(from).take(4) {
        if VERBS.contains(&word.as_str()) {
            verb = Some(k);
        } else if !GLUE.contains(&word.as_str()) {
            let role = match word.as_str() {
                "tune" => Some(PartRole::Melody),
                other => part_noun(other),
            };
            if let (Some(role), Some(_)) = (role, verb) {
                return Some((role, k + 1 - from));
            }
            break;
        }
    }
    // A verb alone gives the part too: `a banjo leading`, `a violin sings over strings`,
    // `a guitar strumming along`.
    let word = lower.get(from)?.as_str();
    match word {
        "leading" | "leads" | "sings" | "singing" => Some((PartRole::Melody, 1)),
        "strumming" | "strums" | "comping" | "comps" => Some((PartRole::Chords, 1)),
        _ => None,
    }
}

/// `led by a glockenspiel`: the melody's instrument, and the words used.
fn led_by(lower: &[String], i: usize) -> Option<(u8, usize)> {
    // `driven by a solo cello`: `driven` too, and `solo` said of the instrument that leads.
    if !matches!(lower[i].as_str(), "led" | "driven") || lower.get(i + 1)?.as_str() != "by" {
        return None;
    }
    let article = |k: usize| {
        lower
            .get(k)
            .is_some_and(|w| matches!(w.as_str(), "a" | "an" | "the"))
    };
    let mut k = i + 2 + usize::from(article(i + 2));
    k += usize::from(lower.get(k).is_some_and(|w| w == "solo"));
    if k >= lower.len() {
        return None;
    }
    let (program, used) = instrument(lower, k)?;
    Some((program, k + used - i))
}

/// `the melody is played by the trumpet`, `melody on flute`: a part noun, then words that hand
/// it to the instrument after them; the instrument, its part and the words used.
fn instrument_after_part(lower: &[String], i: usize) -> Option<(u8, PartRole, usize)> {
    const GLUE: [&str; 10] = [
        "is", "was", "played", "carried", "taken", "by", "on", "the", "a", "an",
    ];
    // `put the tune on slap bass`: after `the`, the tune is the melody.
    let the_tune = lower[i] == "tune" && i > 0 && lower[i - 1] == "the";
    let role = part_noun(&lower[i]).or(the_tune.then_some(PartRole::Melody))?;
    let mut k = i + 1;
    while lower.get(k).is_some_and(|w| GLUE.contains(&w.as_str())) {
        k += 1;
    }
    let handed = lower[i + 1..k]
        .iter()
        .any(|w| matches!(w.as_str(), "by" | "on"));
    if !handed || k == lower.len() {
        return None;
    }
    let (program, used) = instrument(lower, k)?;
    Some((program, role, k + used - i))
}

/// Captions list their instruments most prominent first: whether `read` is an instrument right
/// after `featuring` or `performed by` (not a bass), which is named for the melody unless
/// another one is.
fn caption_lead(read: Read, before: &[String]) -> bool {
    let led = match before {
        [.., w] if matches!(w.as_str(), "featuring" | "features" | "feature") => true,
        [.., performed, by] => performed == "performed" && by == "by",
        _ => false,
    };
    matches!(read, Read::Instrument(program, None) if led && !instruments::is_bass(program))
}

/// A word in lower case, an abbreviation written out (`gtr` is `guitar`), and a hedge's `-ish`
/// (`-like`, `-themed`, `-style`, `-esque`, `-inspired`, `-sounding`) left off (`lofi-ish` is
/// `lofi`, `Jazz-inspired` is `jazz`: the word must still mean something; a stem it does not
/// is a named artist's, `named_style`).
fn lower_case(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let suffix = [
        "-ish",
        "-like",
        "-themed",
        "-style",
        "-esque",
        "-inspired",
        "-sounding",
    ]
    .iter()
    .find_map(|s| lower.strip_suffix(s));
    let lower = match suffix {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => lower,
    };
    match vocabulary::ABBREVIATIONS
        .iter()
        .find(|(short, _)| *short == lower)
    {
        Some((_, long)) => long.to_string(),
        None => lower,
    }
}

/// `brass section` names an ensemble and a General MIDI instrument: among other instruments
/// (`featuring trumpet, brass section and tuba`) it is the instrument.
fn as_instruments_among_others(mut out: Vec<Spanned<Read>>) -> Vec<Spanned<Read>> {
    if out.iter().any(|r| matches!(r.value, Read::Instrument(..))) {
        for r in &mut out {
            if let Read::Ensemble(name) = r.value
                && let Some(program) = instruments::program(name)
            {
                r.value = Read::Instrument(program, None);
            }
        }
    }
    out
}

/// The first refused word of a run of plain words, as its error: a refusal later on a line says
/// more than an unknown word before it.
pub fn refusal(words: &[Spanned<String>]) -> Option<Diagnostic> {
    let lower: Vec<String> = words.iter().map(|w| lower_case(&w.value)).collect();
    refusal_from(&lower, 0, words)
}

/// A refused word on the line of a reading error (unknown word, unreadable clause), after
/// where it points, is the error to report: `drenched in vinyl crackle` is refused at `vinyl`,
/// not at the `in` that starts no clause.
pub fn refusal_after(source: &str, error: Diagnostic) -> Diagnostic {
    if !matches!(error.code, Code::UnknownWord | Code::MalformedClause) {
        return error;
    }
    let Some(at) = error.labels.first().map(|l| l.span.start) else {
        return error;
    };
    let end = source[at..]
        .find(['\n', '\r'])
        .map_or(source.len(), |i| at + i);
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in source[at..end].char_indices().chain([(end - at, ' ')]) {
        match (c.is_alphanumeric() || c == '-' || c == '\'', start) {
            (true, None) => start = Some(at + i),
            (false, Some(from)) => {
                let value = source[from..at + i].to_string();
                words.push(Spanned {
                    value,
                    span: Span::new(from, at + i),
                });
                start = None;
            }
            _ => {}
        }
    }
    refusal(&words).unwrap_or(error)
}

/// The first refusal among the words from `from` on.
fn refusal_from(lower: &[String], from: usize, words: &[Spanned<String>]) -> Option<Diagnostic> {
    (from..lower.len()).find_map(|j| {
        let refused = senses(&lower[j]).any(|w| matches!(w.kind, Kind::Refused(_)));
        refused
            .then(|| one_word(&lower[j], words[j].span).err())
            .flatten()
    })
}

/// What the words from `i` say, and how many words it took.
fn read_at(
    lower: &[String],
    i: usize,
    words: &[Spanned<String>],
) -> Result<(Option<Read>, usize), Diagnostic> {
    let word = lower[i].as_str();
    if let Some(used) = hedge(lower, i) {
        return Ok((None, used));
    }
    // `swing 8ths`, `swung eighths`: the swing, which plays eighths long-short (not the bass
    // pattern `eighths`).
    let swung_eighths = lower.get(i + 1).is_some_and(|w| w == "eighths")
        || (lower.get(i + 1..i + 3)).is_some_and(|w| w[0] == "eighth" && w[1] == "notes");
    if matches!(word, "swing" | "swung") && swung_eighths {
        let used = if lower[i + 1] == "eighth" { 3 } else { 2 };
        return Ok((Some(Read::Switch(Switch::Swing)), used));
    }
    if i == 0
        && PartRole::named(word).is_some()
        && lower.len() > 1
        && instruments::program_named(&lower[1..].join(" ")).is_some()
    {
        return Err(part_without_colon(word, words[0].span));
    }
    if let Some((read, used)) = style_at(lower, i) {
        return Ok((Some(read), used));
    }
    // The tables below are looked at only from a word that starts one of their names.
    let named = starts_a_name(word);
    if named && let Some(read) = style_word(lower, i) {
        return Ok(read);
    }
    if let Some((read, used)) = instrument_at(lower, i, named) {
        return Ok((Some(read), used));
    }
    if named && let Some((read, used)) = pattern(lower, i) {
        return Ok((Some(read), used));
    }
    if named && let Some((groove, used)) = drum_word(lower, i) {
        return Ok((Some(Read::Groove(groove)), used));
    }
    if let Some(read) = mode_word(lower, i, words)? {
        return Ok(read);
    }
    if let Some(error) = note_value_alone(lower, i, words) {
        return Err(error);
    }
    // `I'm after 16 bars`: `after` a request's `I'm`/`we're` is `want`; elsewhere no word
    let asking = i.checked_sub(1).is_some_and(|j| {
        matches!(
            lower[j].as_str(),
            "i'm" | "i’m" | "im" | "we're" | "we’re" | "am" | "are"
        )
    });
    if lower[i] == "after" && asking {
        return Ok((None, 1));
    }
    if lower[i] == "long" && !long_is_a_length(lower, i) {
        return Err(long_without_a_piece(words[i].span));
    }
    one_word(word, words[i].span)
        .map(|read| (read, 1))
        .map_err(|e| named_style(lower, i, words).unwrap_or(e))
}

/// `Led Zeppelin vibe`: capitalised words tunec does not know, before `vibe`, `style`, `sound`
/// or `feel`, are a named artist's style (E0223), not unknown words; so are they with one of
/// those joined on (`Beatles-style`, `Coldplay-esque`, `Queen-inspired`).
fn named_style(lower: &[String], i: usize, words: &[Spanned<String>]) -> Option<Diagnostic> {
    const JOINED: [&str; 6] = [
        "-style",
        "-esque",
        "-inspired",
        "-like",
        "-ish",
        "-sounding",
    ];
    let capital = |j: usize| words[j].value.starts_with(|c: char| c.is_ascii_uppercase());
    // As written: `lower` has `-style` and `-like` already left off.
    let joined = |j: usize| {
        let written = words[j].value.to_ascii_lowercase();
        JOINED
            .iter()
            .find(|s| written.len() > s.len() && written.ends_with(*s))
    };
    let run = (i..words.len()).find(|&j| !capital(j) || joined(j).is_some());
    let (end, last) = match run {
        // The run ends at a capitalised word with a suffix joined on: the name is its stem.
        Some(j) if capital(j) => {
            let written = &words[j].value;
            let stem = joined(j).map(|s| &written[..written.len() - s.len()]);
            (j + 1, stem)
        }
        Some(j)
            if matches!(
                lower[j].as_str(),
                "vibe" | "vibes" | "style" | "sound" | "feel"
            ) =>
        {
            (j, None)
        }
        _ => return None,
    };
    (capital(i) && end > i).then(|| {
        let span = Span::new(words[i].span.start, words[end - 1].span.end);
        let mut name: Vec<&str> = words[i..end].iter().map(|w| w.value.as_str()).collect();
        if let Some(stem) = last {
            name[end - 1 - i] = stem;
        }
        artist_style(&name.join(" "), span)
    })
}

/// `a long tune`, `a long folk song`, `quite long`: `long` asks for 32 bars only of the piece,
/// before its noun (one word may come between) or after `quite`/`very`; `long chords` or
/// `long sustained pads` ask for no length.
fn long_is_a_length(lower: &[String], i: usize) -> bool {
    const PIECE: [&str; 6] = ["tune", "song", "piece", "melody", "track", "number"];
    let piece = |j: usize| lower.get(j).is_some_and(|w| PIECE.contains(&w.as_str()));
    let degree = i
        .checked_sub(1)
        .is_some_and(|j| matches!(lower[j].as_str(), "quite" | "very" | "fairly" | "rather"));
    degree || piece(i + 1) || piece(i + 2)
}

fn long_without_a_piece(span: Span) -> Diagnostic {
    Diagnostic::at(
        Code::UnknownWord,
        span,
        "`long` is read as a length only of the piece",
        "not before a piece noun",
    )
    .hint("for a length write `a long tune` or `32 bars`; for held notes name their values")
}

/// A style from `i` (`chorale` is also a pattern of the chords, so styles come first), its
/// longest name first: `jazz waltz`, `lo-fi hip hop`; and how many words it took.
fn style_at(lower: &[String], i: usize) -> Option<(Read, usize)> {
    let longest = if starts_a_style(&lower[i]) {
        presets::STYLE_WORDS.min(lower.len() - i)
    } else {
        0
    };
    let (style, used) = (1..=longest)
        .rev()
        .find_map(|n| style_spelled(&lower[i..i + n]).map(|s| (s, n)))?;
    // `a country waltz`: the genre in the waltz's 3/4 (the jazz waltz has its own preset).
    let waltz = lower.get(i + used).is_some_and(|w| w == "waltz") && style.name != "waltz";
    if let (true, Some(three)) = (waltz, Meter::new(3, 4)) {
        return Some((Read::StyleIn(style, three), used + 1));
    }
    // `a jazz ballad`: the genre, slow; a `pop ballad` is the ballad's own preset.
    if lower.get(i + used).is_some_and(|w| w == "ballad") && style.name != "ballad" {
        return Some(match presets::style_named("ballad") {
            Some(ballad) if style.name == "pop" => (Read::Style(ballad), used + 1),
            _ => (Read::StyleBallad(style), used + 1),
        });
    }
    Some((Read::Style(style), used))
}

/// An ensemble or an instrument from `i`, with the part it is named for when the words say
/// (`a cello melody`, `led by a glockenspiel`), and how many words it took. `named`: the word
/// starts a name of the tables (`starts_a_name`).
fn instrument_at(lower: &[String], i: usize, named: bool) -> Option<(Read, usize)> {
    if named
        && let Some(name) =
            (lower.get(i..i + 2)).and_then(|two| ensembles::names().find(|n| spells(two, n)))
    {
        // `the Brass Section states the melody`: an ensemble named for a part is its instrument.
        if let (Some((role, words)), Some(program)) =
            (role_after(lower, i + 2), instruments::program(name))
        {
            return Some((Read::Instrument(program, Some(role)), 2 + words));
        }
        return Some((Read::Ensemble(name), 2));
    }
    // `solo Acoustic Grand Piano`: the solo piano under any name of the piano (it plays the
    // melody and the chords).
    if lower[i] == "solo"
        && i + 1 < lower.len()
        && let Some((1, used)) = instrument(lower, i + 1)
    {
        return Some((Read::Ensemble("solo piano"), 1 + used));
    }
    if let Some((program, used)) = instrument(lower, i) {
        // `a cello melody`: the part noun after the name gives its part; so do the words of
        // `a flute playing the melody`.
        let role = lower.get(i + used).and_then(|w| part_noun(w));
        if role.is_none()
            && let Some((role, words)) = role_after(lower, i + used)
        {
            return Some((Read::Instrument(program, Some(role)), used + words));
        }
        let used = used + usize::from(role.is_some());
        return Some((Read::Instrument(program, role), used));
    }
    if let Some((program, used)) = led_by(lower, i) {
        return Some((Read::Instrument(program, Some(PartRole::Melody)), used));
    }
    instrument_after_part(lower, i)
        .map(|(program, role, used)| (Read::Instrument(program, Some(role)), used))
}

/// `a tune of whole notes`, `mostly quarter notes`: a note value outside a rhythm clause asks
/// for something tunec would not check, so it is an error at the value (never skipped, though
/// `whole` is a skipped word in `the whole way through`).
fn note_value_alone(lower: &[String], i: usize, words: &[Spanned<String>]) -> Option<Diagnostic> {
    const VALUES: [&str; 12] = [
        "whole",
        "half",
        "quarter",
        "eighth",
        "sixteenth",
        "8th",
        "16th",
        "semibreve",
        "minim",
        "crotchet",
        "quaver",
        "semiquaver",
    ];
    let next = lower.get(i + 1)?;
    let span = Span::new(words[i].span.start, words[i + 1].span.end);
    if lower[i] == "long" && matches!(next.as_str(), "notes" | "note" | "tones") {
        // `with long notes`: no value and no length (`long` alone asks for 32 bars).
        let d = Diagnostic::at(
            Code::UnknownWord,
            span,
            format!("`long {next}` names no note value tunec can keep to"),
            "a note length without its value",
        );
        return Some(d.hint("name the values (`with half and whole notes`), or leave it out"));
    }
    if !VALUES.contains(&lower[i].as_str()) || !matches!(next.as_str(), "notes" | "note") {
        return None;
    }
    let value = format!("{} {next}", lower[i]);
    Some(
        Diagnostic::at(
            Code::UnknownWord,
            span,
            format!("`{value}` is read only in a rhythm clause, and none can be read from here"),
            "a note value outside a rhythm clause",
        )
        .hint(format!(
            "to play only that value write `only {value}`, `in {value}` or `with {value}`; \
             to mix values name them all (`with half and quarter notes`)"
        )),
    )
}

/// `not too long`, `nothing too jumpy`: a hedge the defaults already keep, read and dropped
/// (three words), when its adjective is one of `vocabulary::HEDGED`.
fn hedge(lower: &[String], i: usize) -> Option<usize> {
    // `nothing fancy`: asks for nothing the defaults do not keep; `nothing else` after notes
    // asks nothing the notes do not.
    if let [first, what] = lower.get(i..i + 2)?
        && first == "nothing"
        && matches!(what.as_str(), "fancy" | "complicated" | "complex" | "else")
    {
        return Some(2);
    }
    // `don't make it too high`: `too` and the adjective, after a negation a few words before;
    // `… too fast or too slow`: the negation carries over `or` to the next hedge.
    let carried = i >= 3 && lower[i - 1] == "or" && hedge(lower, i - 3) == Some(2);
    if let [too, adjective] = lower.get(i..i + 2)?
        && too == "too"
        && vocabulary::HEDGED.contains(&adjective.as_str())
        && ((lower[i.saturating_sub(3)..i].iter())
            .any(|w| matches!(w.as_str(), "don't" | "doesn't" | "shouldn't" | "never"))
            || carried)
    {
        return Some(2);
    }
    let [first, too, adjective] = lower.get(i..i + 3)? else {
        return None;
    };
    let hedged = vocabulary::HEDGED.contains(&adjective.as_str());
    (matches!(first.as_str(), "not" | "nothing") && too == "too" && hedged).then_some(3)
}

/// Whether `word` (lower case) starts another name of a style, an ensemble, a pattern or a way
/// of drumming: the tables `read_at` looks at after the styles and before the single words.
fn starts_a_name(word: &str) -> bool {
    static FIRST: std::sync::OnceLock<FnvHashSet<&'static str>> = std::sync::OnceLock::new();
    let first = FIRST.get_or_init(|| {
        let patterns = (Pattern::CHORDS.iter())
            .chain(&Pattern::BASS)
            .map(|(n, _)| *n);
        let names = (vocabulary::STYLE_WORDS.iter().map(|(n, ..)| *n))
            .chain(ensembles::names())
            .chain(patterns)
            .chain(vocabulary::DRUM_WORDS.iter().map(|(n, _)| *n));
        names.filter_map(|n| n.split(' ').next()).collect()
    });
    first.contains(word)
}

/// Another name for a style (`bluesy`, `slip jig`) from `i`, and how many words it took.
fn style_word(lower: &[String], i: usize) -> Option<(Option<Read>, usize)> {
    let names = vocabulary::STYLE_WORDS.iter();
    let starting = names.filter(|(name, ..)| name.split(' ').next() == Some(&lower[i]));
    // The longest name that fits: `jazzy waltz` before `jazzy`.
    let fits = starting.filter_map(|(name, style, meter)| {
        let used = name.split(' ').count();
        spells(lower.get(i..i + used)?, name).then_some(())?;
        let style = presets::style_named(style)?;
        let read = match meter {
            Some((count, unit)) => Read::StyleIn(style, Meter::new(*count, *unit)?),
            None => Read::Style(style),
        };
        Some((Some(read), used))
    });
    fits.max_by_key(|(_, used)| *used)
}

/// Whether `word` (lower case) is the first word of a style's name or other name: a sentence
/// looks styles up only from such words (looking up every word cost a third of the reading).
fn starts_a_style(word: &str) -> bool {
    static FIRST: std::sync::OnceLock<FnvHashSet<String>> = std::sync::OnceLock::new();
    FIRST
        .get_or_init(|| {
            let names = presets::STYLES
                .iter()
                .flat_map(|s| std::iter::once(s.name).chain(s.aliases.iter().copied()));
            names
                .filter_map(|n| n.split(' ').next())
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .contains(word)
}

/// The longest instrument name starting at `i`, as a program and its length in words.
fn instrument(lower: &[String], i: usize) -> Option<(u8, usize)> {
    if !instruments::starts_a_name(&lower[i]) {
        return None;
    }
    let longest = LONGEST_NAME.min(lower.len() - i);
    // One buffer for the candidate names, longest first: `string ensemble 1`, …, `string`.
    let mut name = lower[i..i + longest].join(" ");
    (1..=longest).rev().find_map(|n| {
        name.truncate(lower[i..i + n].iter().map(|w| w.len() + 1).sum::<usize>() - 1);
        // `bass` alone is the bass part, played by the style's instrument.
        if n == 1 && part_noun(&name).is_some() {
            return None;
        }
        // The effects' one-word names (`atmosphere`, `soundtrack`) are words of captions; the
        // effects are `fx 4 (atmosphere)` or a part line's `atmosphere`.
        let program = instruments::program_named(&name)?;
        (n > 1 || !(97..=104).contains(&program))
            .then_some((program, n + family_after(lower, i + n, program)))
    })
}

/// `a Lead 2 (sawtooth) synth`, `Overdriven Guitar guitar`: the kind of instrument after a
/// name of that kind says what it is again (1 word), rather than naming a second instrument.
fn family_after(lower: &[String], at: usize, program: u8) -> usize {
    let synth = matches!(program, 39 | 40 | 51 | 52 | 63 | 64 | 81..=104);
    let same = match lower.get(at).map(String::as_str) {
        Some("synth" | "synthesizer" | "synthesiser") => synth,
        Some("guitar") => (25..=32).contains(&program),
        _ => false,
    };
    usize::from(same)
}

/// `walking bass`, `strummed`: a pattern of the bass or the chords.
fn pattern(lower: &[String], i: usize) -> Option<(Read, usize)> {
    let parts = [
        (PartRole::Chords, &Pattern::CHORDS[..]),
        (PartRole::Bass, &Pattern::BASS[..]),
    ];
    (1..=2.min(lower.len() - i)).rev().find_map(|n| {
        let words = &lower[i..i + n];
        parts.iter().find_map(|(role, table)| {
            let (_, p) = table.iter().find(|(name, _)| spells(words, name))?;
            Some((Read::Pattern(*role, *p), n))
        })
    })
}

/// `brushed drums`, `brushes`: how the drums play, and how many words it took.
fn drum_word(lower: &[String], i: usize) -> Option<(Groove, usize)> {
    let table = vocabulary::DRUM_WORDS.iter();
    let starting = table.filter(|(name, _)| name.split(' ').next() == Some(&lower[i]));
    starting
        .filter(|(name, _)| {
            let used = name.split(' ').count();
            (lower.get(i..i + used)).is_some_and(|words| spells(words, name))
        })
        .map(|(name, groove)| (*groove, name.split(' ').count()))
        .max_by_key(|(_, used)| *used)
}

/// Whether `words` (lower case) joined by single spaces are `name`, ignoring case: a name is
/// matched word by word, without building the joined string (reading stays fast).
fn spells(words: &[String], name: &str) -> bool {
    let mut rest = name.as_bytes();
    for (k, word) in words.iter().enumerate() {
        if k > 0 {
            match rest.split_first() {
                Some((b' ', after)) => rest = after,
                _ => return false,
            }
        }
        match rest.split_at_checked(word.len()) {
            Some((head, after)) if head.eq_ignore_ascii_case(word.as_bytes()) => rest = after,
            _ => return false,
        }
    }
    rest.is_empty()
}

/// The style a run of words names, by its name or another name: `presets::style_named`
/// without joining the words.
fn style_spelled(words: &[String]) -> Option<&'static Style> {
    presets::STYLES
        .iter()
        .find(|s| spells(words, s.name) || s.aliases.iter().any(|a| spells(words, a)))
}

fn part_noun(word: &str) -> Option<PartRole> {
    senses(word).find_map(|w| match w.kind {
        Kind::PartNoun(role) => Some(role),
        _ => None,
    })
}

/// A mode's name without a tonic before it (`harmonic minor`, `dorian`; `pentatonic` alone is
/// the pentatonic switch), and how many words it took; `melodic minor` is refused (no such
/// scale yet).
fn mode_word(
    lower: &[String],
    i: usize,
    words: &[Spanned<String>],
) -> Result<Option<(Option<Read>, usize)>, Diagnostic> {
    // The first words of the modes' names (`theory::Mode`), `melodic` (refused below) and
    // `ionian` (the vocabulary's name of the major mode).
    let word = lower[i].as_str();
    let names_a_mode = (Mode::ALL.iter()).any(|m| m.name().split(' ').next() == Some(word));
    if !(names_a_mode || word == "melodic" || word == "ionian") {
        return Ok(None);
    }
    if lower[i] == "melodic" && lower.get(i + 1).is_some_and(|w| w == "minor") {
        let span = Span::new(words[i].span.start, words[i + 1].span.end);
        return Err(Diagnostic::at(
            Code::NoPresetYet,
            span,
            "no melodic minor scale yet",
            "not possible yet",
        )
        .hint("name its notes instead: `using only A B C D E F# G#`"));
    }
    let two = lower.get(i + 1).map(|next| format!("{} {next}", lower[i]));
    let (mode, used) = match two.as_deref().and_then(Mode::from_name) {
        Some(mode) => (mode, 2),
        None => match lower[i].as_str() {
            "pentatonic" => return Ok(None),
            "ionian" => (Mode::Major, 1),
            word => match Mode::from_name(word) {
                Some(mode) => (mode, 1),
                None => return Ok(None),
            },
        },
    };
    // `the harmonic minor scale`, `the dorian mode`: the noun is the mode's too.
    let noun = ["scale", "mode", "key"];
    let gap = usize::from(
        lower
            .get(i + used)
            .is_some_and(|w| noun.contains(&w.as_str())),
    );
    let Some(notes) = lower.get(i + used + gap).and_then(|w| bracketed_notes(w)) else {
        return Ok(Some((Some(Read::Mode(mode, None)), used + gap)));
    };
    let tonic = notes[0];
    if PitchSet::of(notes.iter().map(|n| n.pitch_class())) != Key::new(tonic, mode).scale() {
        let span = words[i + used + gap].span;
        return Err(Diagnostic::at(
            Code::GivenTwice,
            Span::new(words[i].span.start, span.end),
            format!("these notes are not the {tonic} {} scale", mode.name()),
            "not this scale's notes",
        )
        .hint("leave out the mode's name or its notes"));
    }
    Ok(Some((Some(Read::Mode(mode, Some(tonic))), used + gap + 1)))
}

/// `(c d eb f g ab b)`: three note names or more in brackets (a word in lower case), a scale's
/// notes.
fn bracketed_notes(word: &str) -> Option<Vec<NoteName>> {
    let inner = word.strip_prefix('(')?.strip_suffix(')')?;
    let notes = (inner.split_whitespace())
        .map(|name| {
            let letter = Letter::from_char(name.chars().next()?.to_ascii_uppercase())?;
            let alter = match &name[1..] {
                "" => 0,
                "#" => 1,
                "##" => 2,
                "b" => -1,
                "bb" => -2,
                _ => return None,
            };
            Some(NoteName::new(letter, alter))
        })
        .collect::<Option<Vec<_>>>()?;
    (notes.len() >= 3).then_some(notes)
}

/// One word: placed, skipped (`None`), or an error that says why not.
fn one_word(word: &str, span: Span) -> Result<Option<Read>, Diagnostic> {
    // A word in brackets that names no instrument is read as the word: `(Allegro)`.
    let word = (word.strip_prefix('(').and_then(|w| w.strip_suffix(')'))).unwrap_or(word);
    // One look-up: a sentence reads every word here.
    let senses: Vec<_> = senses(word).collect();
    if senses.iter().any(|w| w.kind == Kind::Section) {
        return Err(section_mid_line(span));
    }
    // Styles are read before (`read_at`); a refused word is never one.
    for sense in (senses.into_iter()).filter(|w| w.places.piece() || w.kind == Kind::Skip) {
        let read = match sense.kind {
            Kind::Mood => Read::Mood(sense.text),
            Kind::MoodWord(mood) => Read::Mood(mood),
            Kind::Switch(s) => Read::Switch(s),
            Kind::Tempo(low, high) => Read::Tempo(sense.text, low, high),
            Kind::Length(bars) => Read::Length(sense.text, bars),
            Kind::PartNoun(role) => Read::Part(role),
            Kind::Noun | Kind::Skip => return Ok(None),
            Kind::Genre => return Err(genre_not_yet(word, span)),
            Kind::Refused(why) => return Err(refused(word, why, span)),
            Kind::Section => return Err(section_without_letter(span)),
            _ => continue,
        };
        return Ok(Some(read));
    }
    // `my daughter's recorder group`: a skipped word's possessive is skipped too.
    let stem = (word.strip_suffix("'s")).or_else(|| word.strip_suffix("’s"));
    if stem.is_some_and(|stem| vocabulary::senses(stem).any(|w| w.kind == Kind::Skip)) {
        return Ok(None);
    }
    if vocabulary::senses(word).any(|w| w.kind == Kind::Phrasing) {
        return Err(phrasing_alone(word, span));
    }
    Err(unknown(word, span))
}

/// `a reel, never`: a word tunec reads only inside a clause's phrasing, where none starts.
fn phrasing_alone(word: &str, span: Span) -> Diagnostic {
    let d = Diagnostic::at(
        Code::UnknownWord,
        span,
        format!(
            "`{}` is read only as part of a clause, and none can be read from here",
            quote(word)
        ),
        "no clause starts here",
    );
    match vocabulary::phrasing_use(word) {
        Some(usage) => d.hint(format!("it is read in clauses like {usage}")),
        None => {
            d.hint("see \"The phrasings of each clause\" in docs/language.md for where it is read")
        }
    }
}

fn part_without_colon(text: &str, span: Span) -> Diagnostic {
    Diagnostic::at(
        Code::PartWithoutColon,
        span,
        format!("`{text}` starts a part line"),
        "part name without a colon",
    )
    .hint(format!(
        "write `{text}: …` with a colon after the part name"
    ))
}

fn section_without_letter(span: Span) -> Diagnostic {
    Diagnostic::at(
        Code::SectionWithoutLetter,
        span,
        "a section line needs a letter and a colon",
        "section without a letter",
    )
    .hint("write it like `section B: chords IV V I I`")
}

/// `…, section intro: 2 bars`: a section line after other clauses on the same line.
fn section_mid_line(span: Span) -> Diagnostic {
    Diagnostic::at(
        Code::SectionWithoutLetter,
        span,
        "a section line starts a line of its own",
        "`section` after other clauses",
    )
    .hint("put `section …: …` on a new line, like `section B: chords IV V I I`")
}

fn genre_not_yet(word: &str, span: Span) -> Diagnostic {
    let styles: Vec<&str> = presets::STYLES.iter().map(|s| s.name).collect();
    Diagnostic::at(
        Code::NoPresetYet,
        span,
        format!("tunec has no `{word}` style yet"),
        "a genre without a preset",
    )
    .hint(format!("styles: {}", styles.join(", ")))
}

fn refused(word: &str, why: Refusal, span: Span) -> Diagnostic {
    let (code, message, hint) = match why {
        Refusal::Vocals => (
            Code::VocalsRequested,
            "tunec writes instrumental parts: it cannot write lyrics or vocals",
            "leave out the words about singing; a melody instrument can carry the tune (`choir aahs` for a sung sound)",
        ),
        Refusal::Production => (
            Code::AudioProduction,
            "tunec writes notes, not recorded sound: it cannot add production effects",
            "leave out the production words; apply effects to the MIDI file in a sequencer",
        ),
    };
    Diagnostic::at(
        code,
        span,
        message,
        format!("`{}` asked for here", quote(word)),
    )
    .hint(hint)
}

/// `in the style of Bach`: refused, pointing at the whole request.
pub fn artist_style(name: &str, span: Span) -> Diagnostic {
    Diagnostic::at(
        Code::ArtistStyle,
        span,
        format!(
            "tunec cannot imitate a named artist or work (`{}`)",
            quote(name)
        ),
        "a named style",
    )
    .hint("describe the music instead: a style (`jig`, `waltz`), a mood, a key, a tempo")
}

fn unknown(word: &str, span: Span) -> Diagnostic {
    let known = vocabulary::candidates(Context::PieceLine);
    let d = Diagnostic::at(
        Code::UnknownWord,
        span,
        format!("unknown word `{}`", quote(word)),
        "not a style, mood or clause tunec knows",
    );
    let styles: Vec<&str> = presets::STYLES.iter().map(|s| s.name).collect();
    let phrasings = (vocabulary::PHRASING_USES.iter()).flat_map(|(words, _)| words.iter().copied());
    match suggest(word, known) {
        Some(k) if !k.eq_ignore_ascii_case(word) => d.hint(format!("did you mean `{k}`?")),
        // `open` for `opens`: a word of a clause's phrasing, with the clause it belongs to.
        _ => match suggest(word, phrasings) {
            Some(k) => d.hint(format!(
                "did you mean `{k}`, as in {}?",
                vocabulary::phrasing_use(k).unwrap_or_default()
            )),
            None => d.hint(format!("styles: {}", styles.join(", "))),
        },
    }
}
