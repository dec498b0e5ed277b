//! Walks the AST line by line, checks each clause is in its place, and gathers what every line
//! says — before any default is applied (that is `build`'s job).

use std::collections::BTreeSet;

use super::clash::{clash, span_of};
use crate::diagnostic::{Code, Diagnostic, Span, suggest};
use crate::limits::{TEMPO, quote};
use crate::syntax::{
    Cadence, ChordSpec, Clause, ClauseKind, HarmonicRhythm, Line, SectionName, SongSection,
    Spanned, Target,
};
use crate::theory::{Key, Letter, Meter, Mode, NoteName, Pitch, PitchClass, PitchSet};

use super::plan::*;
use crate::presets::instruments;
use crate::presets::{self, Pattern, Style};
use crate::vocabulary::{self, Context, Kind, Switch, Word, senses};

use super::words::{self, Read};

pub type ChordBars = Vec<Vec<Spanned<ChordSpec>>>;

/// A set of pitch classes as written, with its note names (for key inference).
pub type NamedSet = (Sourced<PitchSet>, Vec<NoteName>);

#[derive(Default)]
pub struct PieceClauses {
    pub title: Option<Sourced<String>>,
    pub seed: Option<Sourced<u64>>,
    pub style: Option<Sourced<&'static Style>>,
    pub moods: Vec<Sourced<&'static str>>,
    pub key: Option<Sourced<(NoteName, Option<Mode>)>>,
    pub meter: Option<Sourced<Meter>>,
    /// `repeated four times`: the written chords play that many times.
    pub chord_repeats: Option<Sourced<u32>>,
    /// `three flats in the key signature`: the key must have it; with no key, its major.
    pub key_signature: Option<Sourced<i8>>,
    pub bars: Option<Sourced<u32>>,
    /// `8-bar strains`: the length of every section that has none of its own.
    pub section_bars: Option<Sourced<u32>>,
    /// `4-bar phrases`: the phrases' length, and the clause's span.
    pub phrase_bars: Option<Sourced<u32>>,
    pub tempo: Option<Sourced<u32>>,
    /// The note the written tempo counts (`♩=120`), if not the meter's beat.
    pub tempo_per: Option<(u32, u32)>,
    /// The chords as written, bar by bar, and the clause's span.
    pub chords: Option<(Sourced<ChordBars>, Span)>,
    /// The same chords as numerals beside their symbols (`I–vi–IV–V (C Am F G)`): checked
    /// against the symbols once the key is known.
    pub numerals: Option<(ChordBars, Span)>,
    pub using_only: Vec<NamedSet>,
    pub avoiding: Vec<NamedSet>,
    pub form: Option<Sourced<Vec<Spanned<SectionName>>>>,
    pub harmonic_rhythm: Option<Sourced<HarmonicRhythm>>,
    pub cadence: Option<Sourced<Cadence>>,
    pub swing: Option<Origin>,
    pub solo: Option<Origin>,
    /// `a pentatonic tune`: the key's pentatonic scale.
    pub pentatonic: Option<Origin>,
    /// `using the harmonic minor scale`: a mode without a tonic, which takes the key's (the
    /// written key's, else the style's).
    pub mode_word: Option<Sourced<(Mode, Option<NoteName>)>>,
    /// A tempo word: its name and bpm range.
    pub tempo_word: Option<Sourced<(&'static str, u32, u32)>>,
    /// A length word (`short`): its bars, unless a number of bars is written too (it wins).
    pub length_word: Option<Sourced<u32>>,
    /// A length in seconds: the bars come from the tempo.
    pub seconds: Option<Sourced<u32>>,
    /// Instruments named in sentences, in order, with the part each was named for.
    pub instruments: Vec<Sourced<(u8, Option<PartRole>)>>,
    /// Which of them a caption named first (`featuring …`): the melody's unless another is
    /// named for the melody, anywhere in the prompt.
    pub lead: Option<usize>,
    /// An ensemble by name (`string quartet`): who plays each part the lines leave open.
    pub ensemble: Option<Sourced<&'static str>>,
    /// `the last chorus goes up a step`: the section and the semitones.
    pub last_up: Option<Sourced<(SongSection, u8)>>,
    /// The sections named by part lines (`section B melody: range …`), which the form must
    /// have as a section line's must.
    pub part_line_sections: Vec<Spanned<SectionName>>,
}

/// A part line's clauses, before defaults.
pub struct PartClauses {
    pub role: PartRole,
    pub dropped: Option<Origin>,
    pub program: Option<Sourced<u8>>,
    /// Instruments doubling the part's line (`melody: violin and flute`: the flute).
    pub doubled_by: Vec<Sourced<u8>>,
    pub range: Option<Sourced<(Pitch, Pitch)>>,
    pub max_leap: Option<Sourced<u8>>,
    pub mostly_stepwise: Option<Origin>,
    pub starts_on: Option<Sourced<Target>>,
    pub ends_on: Option<Sourced<Target>>,
    pub using_only: Vec<NamedSet>,
    pub avoiding: Vec<NamedSet>,
    pub durations: Option<Sourced<Vec<u32>>>,
    pub dynamics: Option<Sourced<u8>>,
    pub pattern: Option<Sourced<Pattern>>,
    pub drumming: Option<Sourced<Drumming>>,
    pub density: Option<Sourced<Density>>,
    pub contour: Option<Sourced<Contour>>,
    pub section_ranges: Vec<(char, Sourced<(Pitch, Pitch)>)>,
    /// `never above A5`, `never below D4`.
    pub ceiling: Option<Sourced<Pitch>>,
    pub floor: Option<Sourced<Pitch>>,
    /// `within an octave`: the most semitones from the lowest note to the highest.
    pub compass: Option<Sourced<u8>>,
}

impl PartClauses {
    /// Where the line says the first thing about its part, if anywhere.
    pub fn first_origin(&self) -> Option<Origin> {
        let origins = [
            self.program.as_ref().map(|c| &c.origin),
            self.range.as_ref().map(|c| &c.origin),
            self.max_leap.as_ref().map(|c| &c.origin),
            self.mostly_stepwise.as_ref(),
            self.starts_on.as_ref().map(|c| &c.origin),
            self.ends_on.as_ref().map(|c| &c.origin),
            self.using_only.first().map(|c| &c.0.origin),
            self.avoiding.first().map(|c| &c.0.origin),
            self.durations.as_ref().map(|c| &c.origin),
            self.dynamics.as_ref().map(|c| &c.origin),
            self.pattern.as_ref().map(|c| &c.origin),
            self.drumming.as_ref().map(|c| &c.origin),
            self.density.as_ref().map(|c| &c.origin),
            self.contour.as_ref().map(|c| &c.origin),
            self.section_ranges.first().map(|c| &c.1.origin),
            self.ceiling.as_ref().map(|c| &c.origin),
            self.floor.as_ref().map(|c| &c.origin),
            self.compass.as_ref().map(|c| &c.origin),
        ];
        let mut found: Vec<&Origin> = origins.into_iter().flatten().collect();
        found.sort_by_key(|o| super::clash::span_of(o));
        found.first().map(|o| (*o).clone())
    }

    fn new(role: PartRole) -> PartClauses {
        PartClauses {
            role,
            dropped: None,
            program: None,
            doubled_by: Vec::new(),
            range: None,
            max_leap: None,
            mostly_stepwise: None,
            starts_on: None,
            ends_on: None,
            using_only: Vec::new(),
            avoiding: Vec::new(),
            durations: None,
            dynamics: None,
            pattern: None,
            drumming: None,
            density: None,
            contour: None,
            section_ranges: Vec::new(),
            ceiling: None,
            floor: None,
            compass: None,
        }
    }
}

/// A section line's clauses.
pub struct SectionClauses {
    pub name: Spanned<SectionName>,
    pub bars: Option<Sourced<u32>>,
    pub chords: Option<Sourced<ChordBars>>,
    pub dynamics: Option<Sourced<i8>>,
    /// `section chorus: in E major`: the section's own key (its mode, if written).
    pub key: Option<Sourced<(NoteName, Option<Mode>)>>,
    /// `section bridge: 80 bpm`: the section's own tempo.
    pub tempo: Option<Sourced<u32>>,
    /// The note the section's written tempo counts (`♩=80`), if not the meter's beat.
    pub tempo_per: Option<(u32, u32)>,
    /// `section bridge: 3/4`: the section's own meter.
    pub meter: Option<Sourced<Meter>>,
    /// `crescendo` (+1) or `diminuendo` (−1) over the section.
    pub hairpin: Option<Sourced<i8>>,
}

pub struct Gathered {
    pub piece: PieceClauses,
    pub parts: Vec<PartClauses>,
    pub sections: Vec<SectionClauses>,
}

/// Reads every line of the program; a line with an error is reported and the next still read.
pub fn gather(lines: &[Line], source: &str) -> Result<Gathered, Vec<Diagnostic>> {
    let mut g = Gatherer {
        source,
        song_form: song_form(lines),
        line_starts: std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        soloist: false,
        by_instrument: Vec::new(),
        last_line: LastLine::Part(PartRole::Melody),
        negated: false,
        out: Gathered {
            piece: PieceClauses::default(),
            parts: Vec::new(),
            sections: Vec::new(),
        },
    };
    let mut errors = Vec::new();
    for line in lines {
        let read = match (&line.section, &line.part) {
            (Some(section), part) => song_letter(section, &g.song_form)
                .and_then(|section| g.section_line(&section, part.as_ref(), line)),
            (None, Some(part)) => g.part_line(part, line),
            (None, None) => g.piece_line(line),
        };
        errors.extend(read.err());
    }
    if errors.is_empty() {
        errors.extend(g.assign_instruments().err());
        errors.extend(g.instruments_clauses().err());
    }
    g.featured_solo();
    g.imply_song_form(lines);
    // `short, maybe 16 bars`: a written number of bars wins over a length word, as a written
    // bpm wins over a tempo word; so does a length in time (`a short song … lasts 30 seconds`).
    let piece = &mut g.out.piece;
    if piece.bars.is_none() && piece.seconds.is_none() {
        piece.bars = piece.length_word.take();
    }
    errors.extend(key_signature(piece).err());
    errors.extend(mode_of_key(piece).err());
    errors.extend(chord_repeats(piece).err());
    if errors.is_empty() {
        Ok(g.out)
    } else {
        Err(errors)
    }
}

/// A mode without a tonic (`in C minor, using the harmonic minor scale`) takes the written
/// key's tonic: the key becomes that mode when the key's own mode is unwritten, the same, or
/// one the named mode narrows (minor to harmonic minor or minor pentatonic, major to major
/// pentatonic); another mode contradicts it (E0200). Without a written key it waits for the
/// style's tonic (`key::key_of`).
fn mode_of_key(piece: &mut PieceClauses) -> Result<(), Diagnostic> {
    let Some(word) = &piece.mode_word else {
        return Ok(());
    };
    let (named, notes_tonic) = word.value;
    let Some(key) = &piece.key else {
        // `the harmonic minor scale (C D Eb F G Ab B)`: its notes name the tonic.
        if let Some(tonic) = notes_tonic {
            piece.key = Some(Sourced::new((tonic, Some(named)), word.origin.clone()));
            piece.mode_word = None;
        }
        return Ok(());
    };
    let (tonic, written) = key.value;
    let narrows = |wide: Mode, narrow: Mode| {
        wide == narrow
            || matches!(
                (wide, narrow),
                (
                    Mode::Minor | Mode::Aeolian,
                    Mode::Minor | Mode::Aeolian | Mode::HarmonicMinor | Mode::MinorPentatonic
                ) | (Mode::Major, Mode::MajorPentatonic)
            )
    };
    let other_tonic = notes_tonic.filter(|t| t.pitch_class() != tonic.pitch_class());
    let mode = match written {
        _ if other_tonic.is_some() => None,
        None => Some(named),
        Some(m) if narrows(m, named) => Some(named),
        Some(m) if narrows(named, m) => Some(m),
        Some(_) => None,
    };
    let Some(mode) = mode else {
        let (message, hint) = match other_tonic {
            Some(t) => (
                format!(
                    "the key is on {tonic}; the {} scale's notes start on {t}",
                    named.name()
                ),
                "leave out one of the two tonics",
            ),
            None => (
                format!(
                    "the key is {tonic} {}, not {}",
                    written.map_or("", Mode::name),
                    named.name()
                ),
                "leave out one of the two modes",
            ),
        };
        return Err(clash(
            Code::GivenTwice,
            message,
            &word.origin,
            "this scale",
            &key.origin,
            "is not this key's",
            hint.to_string(),
        ));
    };
    piece.key = Some(Sourced::new((tonic, Some(mode)), key.origin.clone()));
    piece.mode_word = None;
    Ok(())
}

/// A style named in a sentence: the family's name (`electronic`) gives way to the style named
/// more exactly (`techno`), before or after it.
fn named_style(
    piece: &mut PieceClauses,
    style: &'static Style,
    origin: Origin,
) -> Result<(), Diagnostic> {
    let umbrella = |o: &Origin| match o {
        Origin::Line { text, .. } => {
            vocabulary::UMBRELLA_STYLES.contains(&text.to_ascii_lowercase().as_str())
        }
        _ => false,
    };
    match &piece.style {
        Some(s) if umbrella(&s.origin) => piece.style = None,
        Some(_) if umbrella(&origin) => return Ok(()),
        _ => {}
    }
    set_once(&mut piece.style, Sourced::new(style, origin), "the style")
}

/// `the saxophone` after `Tenor Sax`: a family's everyday name (`first`, the name's first word)
/// is the instrument of that family named already.
fn family_named(piece: &PieceClauses, first: &str, program: u8) -> u8 {
    let earlier = piece.instruments.iter().map(|n| n.value.0);
    (instruments::program_named(first) == Some(program))
        .then(|| instruments::of_family(first, earlier))
        .flatten()
        .unwrap_or(program)
}

/// The piece's key, unless given already; a first key whose `A` was the article
/// (`article_a`) is its mode instead.
fn piece_key(
    piece: &mut PieceClauses,
    source: &str,
    key: Sourced<(NoteName, Option<Mode>)>,
) -> Result<(), Diagnostic> {
    if let Some(first) = piece.key.take_if(|k| article_a(source, k)) {
        mode_after_article(piece, first);
    }
    set_once(&mut piece.key, key, "the key")
}

/// Whether a key was read from a sentence's first word `A` and a mode (`A mixolydian reel in
/// A`, `A pentatonic melody in G`): with a second key on the line, that `A` is the article.
fn article_a(source: &str, key: &Sourced<(NoteName, Option<Mode>)>) -> bool {
    let Origin::Line { span, text, .. } = &key.origin else {
        return false;
    };
    let before = source[..span.start].trim_end_matches([' ', '\t']);
    let opens = before.is_empty() || before.ends_with(['\n', '.', '!', '?', ';']);
    opens && text.starts_with("A ") && key.value.1.is_some()
}

/// The mode of a key whose `A` was the article: the pentatonic switch (`A pentatonic melody in
/// G` is G major pentatonic), else a mode without a tonic (`A mixolydian reel in A`).
fn mode_after_article(piece: &mut PieceClauses, first: Sourced<(NoteName, Option<Mode>)>) {
    let Sourced { value, origin } = first;
    let Some(mode) = value.1 else { return };
    let pentatonic_alone = match &origin {
        Origin::Line { text, .. } => text[2..].trim().eq_ignore_ascii_case("pentatonic"),
        _ => false,
    };
    if pentatonic_alone {
        piece.pentatonic = Some(origin);
    } else {
        piece.mode_word = Some(Sourced::new((mode, None), origin));
    }
}

/// A key signature written with the key must be the key's (`D major, with three flats` is
/// refused at both); written alone, it gives its major key.
fn key_signature(piece: &mut PieceClauses) -> Result<(), Diagnostic> {
    let Some(signature) = &piece.key_signature else {
        return Ok(());
    };
    let count = |n: i8| {
        let words = ["one", "two", "three", "four", "five", "six", "seven"];
        let sign = if n > 0 { "sharp" } else { "flat" };
        match n.unsigned_abs() {
            0 => "no sharps or flats".to_string(),
            1 => format!("one {sign}"),
            k => format!("{} {sign}s", words[usize::from(k.min(7)) - 1]),
        }
    };
    let Some(key) = &piece.key else {
        let fifths = i32::from(signature.value);
        let tonic = NoteName::spell_on(Letter::C.shift(4 * fifths), PitchClass::new(7 * fifths));
        let major = Sourced::new((tonic, Some(Mode::Major)), signature.origin.clone());
        piece.key = Some(major);
        return Ok(());
    };
    let (tonic, mode) = key.value;
    let mode = mode.unwrap_or(Mode::Major);
    let has = Key::new(tonic, mode).signature_key().signature();
    if has == signature.value {
        return Ok(());
    }
    Err(clash(
        Code::GivenTwice,
        format!(
            "{tonic} {} has {}; the key signature written has {}",
            mode.name(),
            count(has),
            count(signature.value)
        ),
        &signature.origin,
        "this key signature",
        &key.origin,
        "is not this key's",
        "leave out the key signature, or write the key it belongs to".to_string(),
    ))
}

/// `repeated four times`: the chords, a chord a bar, play that many times, so the piece is
/// that many times their bars long (the length when none is written, else checked against it).
fn chord_repeats(piece: &mut PieceClauses) -> Result<(), Diagnostic> {
    let Some(times) = &piece.chord_repeats else {
        return Ok(());
    };
    let Some((chords, _)) = &piece.chords else {
        return Err(Diagnostic::at(
            Code::MalformedClause,
            span_of(&times.origin),
            "no chords are written for this to repeat",
            "repeats what?",
        )
        .hint("write the chords, e.g. `chords Am F C G, repeated four times`"));
    };
    let per_bar = match piece.harmonic_rhythm.as_ref().map(|h| h.value) {
        None | Some(HarmonicRhythm::PerBar(1)) => 1,
        Some(HarmonicRhythm::PerBar(n)) => u32::from(n),
        Some(HarmonicRhythm::EveryBars(_)) => return Ok(()),
    };
    let chords_bars = (chords.value.len() as u32).div_ceil(per_bar);
    let bars = chords_bars * times.value;
    // One section, so that the chords run through unbroken: a style's sections would start
    // the progression again each (6 + 6 bars of a 4-bar loop is not three times through).
    if piece.form.is_none() && piece.section_bars.is_none() {
        let one = Spanned {
            value: SectionName::letter('A'),
            span: span_of(&times.origin),
        };
        piece.form = Some(Sourced::new(vec![one], times.origin.clone()));
    }
    match &piece.bars {
        None => piece.bars = Some(Sourced::new(bars, times.origin.clone())),
        Some(b) if b.value != bars => {
            return Err(clash(
                Code::GivenTwice,
                format!(
                    "the chords {} times take {bars} bars, not {}",
                    times.value, b.value
                ),
                &b.origin,
                "the length",
                &times.origin,
                "the repeats",
                "leave out one of them".to_string(),
            ));
        }
        Some(_) => {}
    }
    Ok(())
}

/// Whether a word is one of the skipped words (`on`, `the`).
fn skipped(word: &Spanned<String>) -> bool {
    senses(&word.value.to_ascii_lowercase()).any(|w| w.kind == Kind::Skip)
}

/// The named sections of the program's form (`form verse chorus`), if it names them.
fn song_form(lines: &[Line]) -> Vec<SectionName> {
    written_song_form(lines)
        .or_else(|| implied_song_form(lines).map(|(form, _)| form))
        .unwrap_or_default()
}

/// The named sections of the form the program writes, if it writes one that names them.
fn written_song_form(lines: &[Line]) -> Option<Vec<SectionName>> {
    let forms = lines
        .iter()
        .flat_map(|l| &l.clauses)
        .filter_map(|c| match &c.kind {
            ClauseKind::Form(names) | ClauseKind::SectionLengths { form: names, .. } => Some(names),
            _ => None,
        });
    forms
        .map(|names| names.iter().map(|n| n.value).collect::<Vec<_>>())
        .find(|names| names.iter().any(|n| n.song.is_some()))
}

/// Where no form is written, a song's section named on its own (`a 2-bar intro`, `section
/// chorus: louder`, `the last chorus goes up a step`) implies a song: verse and chorus twice,
/// after an intro, then a bridge and the last chorus, then an outro, as far as they are named.
/// Also the span of the first words that name one, which the form is then said to come from.
fn implied_song_form(lines: &[Line]) -> Option<(Vec<SectionName>, Span)> {
    let clauses = || lines.iter().flat_map(|l| &l.clauses);
    let written = clauses().any(|c| match &c.kind {
        ClauseKind::Form(_) => true,
        ClauseKind::SectionLengths { form, .. } => !form.is_empty(),
        _ => false,
    });
    let mut named: Vec<(SongSection, Span)> = Vec::new();
    for line in lines {
        named.extend(
            line.section
                .as_ref()
                .and_then(|s| Some((s.value.song?, s.span))),
        );
        for c in &line.clauses {
            match &c.kind {
                ClauseKind::SectionLengths { lengths, .. } => named
                    .extend((lengths.iter()).filter_map(|(n, _)| Some((n.value.song?, c.span)))),
                ClauseKind::LastUp(song, _) => named.push((*song, c.span)),
                _ => {}
            }
        }
    }
    let &(_, span) = named.first().filter(|_| !written)?;
    let has = |song| named.iter().any(|(s, _)| *s == song);
    let chorus = match has(SongSection::Refrain) && !has(SongSection::Chorus) {
        true => SongSection::Refrain,
        false => SongSection::Chorus,
    };
    let mut songs = vec![SongSection::Verse, chorus, SongSection::Verse, chorus];
    if has(SongSection::Intro) {
        songs.insert(0, SongSection::Intro);
    }
    if has(SongSection::Bridge) {
        songs.extend([SongSection::Bridge, chorus]);
    }
    if has(SongSection::Outro) {
        songs.push(SongSection::Outro);
    }
    Some((song_names(&songs), span))
}

/// Song sections as a form's names: letters in the order the sections first come, a verse that
/// comes back varied (as the reader names a written form's).
fn song_names(songs: &[SongSection]) -> Vec<SectionName> {
    let mut firsts: Vec<SongSection> = Vec::new();
    let mut names = Vec::new();
    for &song in songs {
        let seen = firsts.iter().position(|s| *s == song);
        let index = seen.unwrap_or_else(|| {
            firsts.push(song);
            firsts.len() - 1
        });
        names.push(SectionName {
            letter: char::from(b'A' + index as u8),
            varied: seen.is_some() && song == SongSection::Verse,
            song: Some(song),
        });
    }
    names
}

/// A section line's section as a letter: `section chorus:` is the chorus of the form.
fn song_letter(
    name: &Spanned<SectionName>,
    form: &[SectionName],
) -> Result<Spanned<SectionName>, Diagnostic> {
    let Some(song) = name.value.song else {
        return Ok(name.clone());
    };
    match form.iter().find(|n| n.song == Some(song)) {
        Some(named) => Ok(Spanned {
            value: SectionName {
                varied: false,
                ..*named
            },
            span: name.span,
        }),
        None => Err(Diagnostic::at(
            Code::SectionNotInForm,
            name.span,
            format!("the form has no {}", song.name()),
            "not in the form",
        )
        .hint(match song {
            SongSection::Intro => "name it in the form, e.g. `form intro verse chorus`".into(),
            SongSection::Outro => "name it in the form, e.g. `form verse chorus outro`".into(),
            _ => format!(
                "name it in the form, e.g. `form verse {0} verse {0}`",
                song.name()
            ),
        })),
    }
}

struct Gatherer<'s> {
    source: &'s str,
    /// The form's named sections, which `section chorus:` and `an 8-bar chorus` refer to.
    song_form: Vec<SectionName>,
    /// Where each line starts: every clause's origin names its line, found without rescanning.
    line_starts: Vec<usize>,
    /// Whether a sentence's `solo` stood before an instrument (`solo oboe`).
    soloist: bool,
    /// Line clauses an instrument was named right before (`keep the piano between C3 and C5`),
    /// with its program: they go to the part it plays once the instruments have their parts.
    by_instrument: Vec<(u8, Clause)>,
    /// Where the last line clause of a sentence went, for a bound said with `or` after it.
    last_line: LastLine,
    /// The words being read go on a negated list of notes (`without F# or drums`): the parts
    /// they name are dropped.
    negated: bool,
    out: Gathered,
}

/// Sets a single-valued setting, or names both lines when it is given twice differently.
fn set_once<T: PartialEq>(
    slot: &mut Option<Sourced<T>>,
    value: Sourced<T>,
    what: &str,
) -> Result<(), Diagnostic> {
    match slot {
        Some(old) if old.value != value.value => {
            let (Origin::Line { span: new, .. }, Origin::Line { span: first, .. }) =
                (&value.origin, &old.origin)
            else {
                unreachable!("settings are set from lines only")
            };
            Err(Diagnostic::at(
                Code::GivenTwice,
                *new,
                format!("{what} is given twice"),
                "this one",
            )
            .label(*first, "conflicts with this one")
            .hint("keep only one of them"))
        }
        _ => {
            *slot = Some(value);
            Ok(())
        }
    }
}

fn pitch_set(list: &[Spanned<NoteName>]) -> NamedSet {
    let set = PitchSet::of(list.iter().map(|n| n.value.pitch_class()));
    (
        Sourced::new(set, Origin::Default(String::new())),
        list.iter().map(|n| n.value).collect(),
    )
}

fn phrase(words: &[Spanned<String>]) -> (String, Span) {
    let text = words
        .iter()
        .map(|w| w.value.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    (
        text,
        Span::new(words[0].span.start, words[words.len() - 1].span.end),
    )
}

/// Where an error's first label starts.
fn unknown_at(e: &Diagnostic) -> usize {
    e.labels.first().map_or(0, |l| l.span.start)
}

impl Gatherer<'_> {
    fn origin(&self, span: Span) -> Origin {
        Origin::Line {
            span,
            line: self
                .line_starts
                .partition_point(|&start| start <= span.start),
            text: self.source[span.start..span.end].trim().to_string(),
        }
    }

    fn piece_line(&mut self, line: &Line) -> Result<(), Diagnostic> {
        self.piece_clauses(line).map_err(|e| match e.code {
            // A named style or a refused word later on the line says more than an unknown
            // word or a genre without a preset yet before it (`for my sister Maya, with
            // lyrics that …`, `an R&B ballad sung by …`): those can never be honoured.
            Code::UnknownWord | Code::NoPresetYet => (line.clauses.iter())
                .find_map(|c| match &c.kind {
                    ClauseKind::StyleOf(name) => Some(words::artist_style(name, c.span)),
                    ClauseKind::Words(w) if c.span.start > unknown_at(&e) => words::refusal(w),
                    _ => None,
                })
                .unwrap_or(e),
            _ => e,
        })
    }

    /// The line's clauses in order. A genre without a preset yet is reported only when nothing
    /// else on the line is wrong (`a punk tune … at 4000 bpm` is refused at the tempo): another
    /// error says what stops the prompt even once the genre has its preset.
    fn piece_clauses(&mut self, line: &Line) -> Result<(), Diagnostic> {
        let mut not_yet = None;
        let mut i = 0;
        while i < line.clauses.len() {
            let (read, used) = match self.named_section(line, i) {
                Some((words, section, n, used)) => {
                    let prefix = words.map_or(Ok(()), |w| self.piece_clause(line, i, &w));
                    (
                        prefix.and_then(|()| self.section_line(&section?, None, &n)),
                        used + 1,
                    )
                }
                None => (self.piece_clause(line, i, &line.clauses[i]), 1),
            };
            match read {
                Err(e) if e.code == Code::NoPresetYet => not_yet = not_yet.or(Some(e)),
                other => other?,
            }
            i += used;
        }
        not_yet.map_or(Ok(()), Err)
    }

    /// `Verse 8 bars vi-IV-I-V, chorus 8 bars I-V-vi-IV`: a song's section named on a piece
    /// line, with its length and chords right after it (no separator between), is a section
    /// line of its own. The words before the name (`and the`), the section (its letter from the
    /// form) and the section's clauses, when clause `i` ends with such a name.
    #[allow(clippy::type_complexity)]
    fn named_section(
        &self,
        line: &Line,
        i: usize,
    ) -> Option<(
        Option<Clause>,
        Result<Spanned<SectionName>, Diagnostic>,
        Line,
        usize,
    )> {
        let ClauseKind::Words(words) = &line.clauses[i].kind else {
            return None;
        };
        let (last, before) = words.split_last()?;
        let song = SongSection::from_word(&last.value)?;
        let mut end = last.span.end;
        let mut taken = Vec::new();
        let mut used = 0;
        for (k, clause) in line.clauses[i + 1..].iter().enumerate() {
            // Skipped words between are glue: `Verse 8 bars on G–D–Em–C`.
            let glue = matches!(&clause.kind, ClauseKind::Words(w) if w.iter().all(skipped));
            let sectional = matches!(clause.kind, ClauseKind::Bars(_) | ClauseKind::Chords(_));
            if !(sectional || glue) || !self.source[end..clause.span.start].trim().is_empty() {
                break;
            }
            end = clause.span.end;
            if sectional {
                taken.push(clause.clone());
                used = k + 1;
            }
        }
        if taken.is_empty() {
            return None;
        }
        let prefix = (!before.is_empty()).then(|| Clause {
            span: Span::new(before[0].span.start, before[before.len() - 1].span.end),
            kind: ClauseKind::Words(before.to_vec()),
        });
        let value = SectionName {
            song: Some(song),
            ..SectionName::letter('A')
        };
        let name = Spanned {
            value,
            span: last.span,
        };
        let section = Line {
            span: Span::new(last.span.start, end),
            section: None,
            part: None,
            clauses: taken,
        };
        Some((prefix, song_letter(&name, &self.song_form), section, used))
    }

    fn piece_clause(&mut self, line: &Line, i: usize, clause: &Clause) -> Result<(), Diagnostic> {
        {
            let origin = self.origin(clause.span);
            let piece = &mut self.out.piece;
            match &clause.kind {
                ClauseKind::Title(t) => set_once(
                    &mut piece.title,
                    Sourced::new(t.clone(), origin),
                    "the title",
                )?,
                ClauseKind::Seed(s) => {
                    set_once(&mut piece.seed, Sourced::new(*s, origin), "the seed")?
                }
                ClauseKind::Key { tonic, mode } => {
                    piece_key(piece, self.source, Sourced::new((*tonic, *mode), origin))?
                }
                ClauseKind::Meter(m) => {
                    set_once(&mut piece.meter, Sourced::new(*m, origin), "the meter")?
                }
                ClauseKind::BeatGroups(groups) => return beat_groups(groups, piece, &origin),
                ClauseKind::ChordRepeats(n) => set_once(
                    &mut piece.chord_repeats,
                    Sourced::new(*n, origin),
                    "the chords' repeats",
                )?,
                ClauseKind::KeySignature(n) => set_once(
                    &mut piece.key_signature,
                    Sourced::new(*n, origin),
                    "the key signature",
                )?,
                ClauseKind::Bars(b) => set_once(
                    &mut piece.bars,
                    Sourced::new(bars(*b, clause)?, origin),
                    "the length",
                )?,
                ClauseKind::SectionBars(b) => set_once(
                    &mut piece.section_bars,
                    Sourced::new(bars(*b, clause)?, origin),
                    "the sections' length",
                )?,
                ClauseKind::PhraseBars(b) => set_once(
                    &mut piece.phrase_bars,
                    Sourced::new(phrase_bars(*b, clause)?, origin),
                    "the phrases' length",
                )?,
                ClauseKind::Tempo(t, per) => {
                    set_once(
                        &mut piece.tempo,
                        Sourced::new(tempo(*t, clause)?, origin),
                        "the tempo",
                    )?;
                    piece.tempo_per = *per;
                }
                ClauseKind::UsingOnly(list) => {
                    let (set, names) = pitch_set(list);
                    piece
                        .using_only
                        .push((Sourced::new(set.value, origin), names));
                }
                ClauseKind::Avoiding(list) => {
                    let (set, names) = pitch_set(list);
                    piece
                        .avoiding
                        .push((Sourced::new(set.value, origin), names));
                }
                ClauseKind::Chords(bars) => self.chords_clause(bars, clause, origin)?,
                ClauseKind::Form(letters) => set_once(
                    &mut piece.form,
                    Sourced::new(letters.clone(), origin),
                    "the form",
                )?,
                ClauseKind::SectionLengths { form, lengths } => {
                    self.section_lengths(form, lengths, clause, origin)?
                }
                ClauseKind::HarmonicRhythm(h) => set_once(
                    &mut piece.harmonic_rhythm,
                    Sourced::new(*h, origin),
                    "the harmonic rhythm",
                )?,
                ClauseKind::Cadence(c) => set_once(
                    &mut piece.cadence,
                    Sourced::new(*c, origin),
                    "the final cadence",
                )?,
                ClauseKind::LastUp(song, semitones) => set_once(
                    &mut piece.last_up,
                    Sourced::new((*song, *semitones), origin),
                    "the last section's key change",
                )?,
                _ => {
                    // clauses of one phrase share its span: the part is decided once per phrase
                    let prev = (line.clauses[..i].iter()).rfind(|c| c.span != clause.span);
                    self.sentence_clause(clause, prev, line.clauses.get(i + 1))?
                }
            }
        }
        Ok(())
    }

    /// `at a relaxed 80 bpm`: a mood word right before a tempo's number (nothing but spaces
    /// between) describes that tempo, which the number gives exactly: the word is read as
    /// nothing more, so it cannot contradict the prompt's mood (docs/language.md).
    fn before_a_tempo<'w>(
        &self,
        words: &'w [Spanned<String>],
        next: Option<&Clause>,
    ) -> &'w [Spanned<String>] {
        let Some((last, rest)) = words.split_last() else {
            return words;
        };
        let next_to = |n: &Clause| self.source[last.span.end..n.span.start].trim().is_empty();
        let tempo = next.is_some_and(|n| matches!(n.kind, ClauseKind::Tempo(..)) && next_to(n));
        // A tempo word keeps its range, so one the number contradicts is still refused.
        let lower = last.value.to_ascii_lowercase();
        let mood = senses(&lower).any(|w| matches!(w.kind, Kind::Mood | Kind::MoodWord(_)));
        let describes = mood && !senses(&lower).any(|w| matches!(w.kind, Kind::Tempo(..)));
        if tempo && describes { rest } else { words }
    }

    /// A piece's `chords` clause: symbols beside the numerals already written are those
    /// numerals' chords; otherwise the progression, given once.
    fn chords_clause(
        &mut self,
        bars: &ChordBars,
        clause: &Clause,
        origin: Origin,
    ) -> Result<(), Diagnostic> {
        let piece = &mut self.out.piece;
        if let Some(numerals) =
            numerals_beside_symbols(&mut piece.chords, bars, clause.span, &origin)
        {
            piece.numerals = Some(numerals);
            return Ok(());
        }
        if let Some((_, first)) = &piece.chords {
            return Err(Diagnostic::at(
                Code::GivenTwice,
                clause.span,
                "the chords are given twice",
                "this one",
            )
            .label(*first, "conflicts with this one")
            .hint(
                "write the whole progression in one `chords` clause, or give sections their own",
            ));
        }
        piece.chords = Some((Sourced::new(bars.clone(), origin), clause.span));
        Ok(())
    }

    /// The clauses English brings to a piece line: plain words, a length in time, parts to
    /// drop, a refused style, and a melody's clauses (`a tune that ends on D`).
    fn sentence_clause(
        &mut self,
        clause: &Clause,
        prev: Option<&Clause>,
        next: Option<&Clause>,
    ) -> Result<(), Diagnostic> {
        let origin = self.origin(clause.span);
        match &clause.kind {
            ClauseKind::Words(words) => {
                let after_avoided = prev.is_some_and(|p| matches!(p.kind, ClauseKind::Avoiding(_)));
                self.negated = after_avoided && starts_with_or(words);
                self.sentence(self.before_a_tempo(words, next))
            }
            ClauseKind::Seconds(s) => set_once(
                &mut self.out.piece.seconds,
                Sourced::new(*s, origin),
                "the length in time",
            ),
            ClauseKind::Without(parts) => self.without(parts),
            ClauseKind::StyleOf(name) => Err(words::artist_style(name, clause.span)),
            ClauseKind::Range(..)
            | ClauseKind::Ceiling(_)
            | ClauseKind::Floor(_)
            | ClauseKind::Compass(_)
            | ClauseKind::Stepwise
            | ClauseKind::MostlyStepwise
            | ClauseKind::MaxLeap(_)
            | ClauseKind::StartsOn(_)
            | ClauseKind::EndsOn(_)
            | ClauseKind::Rhythm(_) => {
                if self.said_with_or(clause) {
                    return self.or_go(clause, prev);
                }
                let rhythm = matches!(clause.kind, ClauseKind::Rhythm(_));
                let before = prev.filter(|_| !rhythm);
                let role = before.and_then(|p| self.part_just_before(p, clause));
                let bound = before.filter(|_| is_bound(&clause.kind));
                if role.is_none()
                    && let Some(program) =
                        bound.and_then(|p| self.instrument_just_before(p, clause))
                {
                    self.by_instrument.push((program, clause.clone()));
                    self.last_line = LastLine::Instrument(program);
                    return Ok(());
                }
                let role = role.unwrap_or(PartRole::Melody);
                self.last_line = LastLine::Part(role);
                let index = self.part_of(role);
                self.part_clause(index, clause)
            }
            _ => Err(misplaced(clause, "piece")),
        }
    }

    /// Whether a bound is said with `or` before it (`… or go above B5`).
    fn said_with_or(&self, clause: &Clause) -> bool {
        let text = self
            .source
            .get(clause.span.start..clause.span.end)
            .unwrap_or("");
        text.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("or "))
    }

    /// `the bass shouldn't go below E2 or go above C4`: the negation before carries over `or`
    /// to the bound, which goes to the same part; with no negated limit right before, `or go
    /// above` asks the opposite of what it says and is an error at `or`.
    fn or_go(&mut self, clause: &Clause, prev: Option<&Clause>) -> Result<(), Diagnostic> {
        let limit = |k: &ClauseKind| {
            is_bound(k) || matches!(k, ClauseKind::MaxLeap(_) | ClauseKind::Stepwise)
        };
        let negated = prev
            .filter(|p| limit(&p.kind) && self.right_before(p, clause))
            .is_some_and(|p| {
                let text = self.source[p.span.start..p.span.end].to_ascii_lowercase();
                text.contains("n't") || text.contains("never") || text.contains(" not ")
            });
        if !negated {
            return Err(Diagnostic::at(
                Code::UnknownWord,
                Span::new(clause.span.start, clause.span.start + 2),
                "`or go …` carries over a negation, and none is right before it",
                "no `don't` or `never` before this",
            )
            .hint("say the bound on its own: `never above B5`"));
        }
        match self.last_line {
            LastLine::Instrument(program) => self.by_instrument.push((program, clause.clone())),
            LastLine::Part(role) => {
                let index = self.part_of(role);
                self.part_clause(index, clause)?
            }
        }
        Ok(())
    }

    /// `the bass never below E2`, `a bass line between E2 and E3`: the part a sentence names
    /// right before a line's clause (no comma between) takes it; else the melody does. A
    /// let-object (`don't let the bass go below E2`) lies inside its phrase and names its part.
    fn part_just_before(&self, prev: &Clause, clause: &Clause) -> Option<PartRole> {
        let ClauseKind::Words(words) = &prev.kind else {
            return None;
        };
        if !self.right_before(prev, clause) {
            return None;
        }
        let lower: Vec<String> = (words.iter().rev().take(2))
            .map(|w| w.value.to_ascii_lowercase())
            .collect();
        let noun = match lower.as_slice() {
            [line, bass, ..] if line == "line" && bass == "bass" => "bass",
            [last, ..] => last.as_str(),
            [] => return None,
        };
        match noun {
            "bass" | "bassline" => Some(PartRole::Bass),
            "counter-melody" | "countermelody" => Some(PartRole::CounterMelody),
            _ => None,
        }
    }

    /// Whether the words `prev` stand right before `clause` (nothing but spaces between) or
    /// inside its phrase (a let-object).
    fn right_before(&self, prev: &Clause, clause: &Clause) -> bool {
        let (outer, inner) = (clause.span, prev.span);
        let within = outer.start <= inner.start && inner.end <= outer.end;
        let between = self.source.get(inner.end..outer.start);
        within || between.is_some_and(|b| b.trim().is_empty())
    }

    /// `keep the piano between C3 and C5`: the instrument a sentence named last in the words
    /// right before a line's clause (no comma between), whose part takes the clause.
    fn instrument_just_before(&self, prev: &Clause, clause: &Clause) -> Option<u8> {
        let ClauseKind::Words(words) = &prev.kind else {
            return None;
        };
        if !self.right_before(prev, clause) {
            return None;
        }
        let inner = prev.span;
        // The instrument's words end the run (`the piano`, `the Acoustic Grand Piano`).
        let last = words.last()?.span.end;
        let ends = |n: &&Sourced<(u8, Option<PartRole>)>| {
            let at = span_of(&n.origin);
            inner.start <= at.start && at.end == last
        };
        let named = self.out.piece.instruments.iter().rev().find(ends)?;
        Some(named.value.0)
    }

    /// The bounds of `instrument_just_before`, each on the part its instrument plays (the
    /// melody when none plays it, or when that part is the drums, which have no pitches).
    fn instruments_clauses(&mut self) -> Result<(), Diagnostic> {
        for (program, clause) in std::mem::take(&mut self.by_instrument) {
            let plays = |p: &PartClauses| {
                p.program.as_ref().is_some_and(|q| q.value == program)
                    || p.doubled_by.iter().any(|q| q.value == program)
            };
            let role = (self.out.parts.iter()).find(|p| plays(p)).map(|p| p.role);
            let role = role.filter(|r| *r != PartRole::Drums);
            let index = self.part_of(role.unwrap_or(PartRole::Melody));
            self.part_clause(index, &clause)?;
        }
        Ok(())
    }

    /// `a solo oboe … with a little harp accompaniment`: `solo` before an instrument features
    /// it (it plays the melody) when the prompt asks for another part too; a `solo` that names
    /// no instrument keeps the melody alone, and a part line beside it is an error (E0216).
    fn featured_solo(&mut self) {
        let others =
            (self.out.parts.iter()).any(|p| p.role != PartRole::Melody && p.dropped.is_none());
        if self.soloist && others {
            self.out.piece.solo = None;
        }
    }

    /// A sentence's plain words: styles, moods, tempo words, instruments and parts.
    fn sentence(&mut self, words: &[Spanned<String>]) -> Result<(), Diagnostic> {
        let reads = words::read(words)?;
        let before_instrument = |k: usize| {
            matches!(
                reads.get(k + 1).map(|r| r.value),
                Some(Read::Instrument(..))
            )
        };
        self.soloist |= (0..reads.len())
            .any(|k| reads[k].value == Read::Switch(Switch::Solo) && before_instrument(k));
        for read in reads {
            let origin = self.origin(read.span);
            let piece = &mut self.out.piece;
            match read.value {
                Read::Style(style) => named_style(piece, style, origin)?,
                Read::StyleIn(style, meter) => {
                    set_once(
                        &mut piece.style,
                        Sourced::new(style, origin.clone()),
                        "the style",
                    )?;
                    set_once(&mut piece.meter, Sourced::new(meter, origin), "the meter")?
                }
                Read::StyleBallad(style) => {
                    set_once(
                        &mut piece.style,
                        Sourced::new(style, origin.clone()),
                        "the style",
                    )?;
                    self.mood("slow", read.span, origin)?
                }
                Read::Mood(mood) => self.mood(mood, read.span, origin)?,
                Read::Switch(Switch::Swing) => piece.swing = Some(origin),
                Read::Switch(Switch::Solo) => piece.solo = Some(origin),
                Read::Switch(Switch::Pentatonic) => piece.pentatonic = Some(origin),
                Read::Mode(mode, tonic) => set_once(
                    &mut piece.mode_word,
                    Sourced::new((mode, tonic), origin),
                    "the mode",
                )?,
                Read::Tempo(word, low, high) => set_once(
                    &mut piece.tempo_word,
                    Sourced::new((word, low, high), origin),
                    "the tempo",
                )?,
                Read::Length(_, bars) => set_once(
                    &mut piece.length_word,
                    Sourced::new(bars, origin),
                    "the length",
                )?,
                Read::Instrument(program, role) => {
                    let program = family_named(piece, &first_word(words, read.span), program);
                    piece
                        .instruments
                        .push(Sourced::new((program, role), origin))
                }
                Read::Lead(program) => {
                    piece.lead = piece.lead.or(Some(piece.instruments.len()));
                    piece
                        .instruments
                        .push(Sourced::new((program, None), origin));
                }
                Read::Ensemble(name) => set_once(
                    &mut piece.ensemble,
                    Sourced::new(name, origin),
                    "the ensemble",
                )?,
                // Every piece has a melody: naming it adds nothing.
                Read::Part(PartRole::Melody) => {}
                Read::Part(role) if self.negated || negation_before(words, read.span) => {
                    let index = self.part_of(role);
                    self.out.parts[index].dropped = Some(origin);
                }
                Read::Part(role) => {
                    self.part_of(role);
                }
                Read::Groove(groove) => {
                    let index = self.part_of(PartRole::Drums);
                    set_once(
                        &mut self.out.parts[index].drumming,
                        Sourced::new(Drumming::Groove(groove), origin),
                        "the drum pattern",
                    )?
                }
                Read::Pattern(role, pattern) => {
                    let index = self.part_of(role);
                    let part = &mut self.out.parts[index];
                    set_once(
                        &mut part.pattern,
                        Sourced::new(pattern, origin),
                        "the pattern",
                    )?
                }
            }
        }
        Ok(())
    }

    fn mood(&mut self, name: &'static str, span: Span, origin: Origin) -> Result<(), Diagnostic> {
        let piece = &mut self.out.piece;
        for (a, b) in presets::OPPOSED_MOODS {
            let other = match name {
                n if n == a => b,
                n if n == b => a,
                _ => continue,
            };
            if let Some(Origin::Line { span: first, .. }) = piece
                .moods
                .iter()
                .find(|m| m.value == other)
                .map(|m| &m.origin)
            {
                return Err(Diagnostic::at(
                    Code::ContradictoryMoods,
                    span,
                    format!("`{name}` and `{other}` contradict each other"),
                    "this mood",
                )
                .label(*first, "contradicts this one")
                .hint("keep one of the two moods"));
            }
        }
        if !piece.moods.iter().any(|m| m.value == name) {
            piece.moods.push(Sourced::new(name, origin));
        }
        Ok(())
    }

    /// `no drums`, `without bass or chords`: drops the parts; `no accompaniment` is `solo`.
    fn without(&mut self, parts: &[Spanned<String>]) -> Result<(), Diagnostic> {
        for word in parts {
            let origin = self.origin(word.span);
            let role = senses(&word.value).find_map(|w| match w.kind {
                Kind::PartNoun(role) => Some(role),
                Kind::Part => PartRole::named(w.text),
                _ => None,
            });
            match (word.value.as_str(), role) {
                ("accompaniment", _) => self.out.piece.solo = Some(origin),
                (_, Some(role)) => {
                    let index = self.part_of(role);
                    self.out.parts[index].dropped = Some(origin);
                }
                _ => {
                    return Err(Diagnostic::at(
                        Code::MelodyRequired,
                        word.span,
                        "every piece has a melody",
                        "cannot drop the melody",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The index of `role`'s clauses, added when the part has none yet.
    fn part_of(&mut self, role: PartRole) -> usize {
        match self.out.parts.iter().position(|p| p.role == role) {
            Some(i) => i,
            None => {
                self.out.parts.push(PartClauses::new(role));
                self.out.parts.len() - 1
            }
        }
    }

    /// Gives each instrument named in a sentence its part (docs/language.md): a part it was
    /// named for; else a bass instrument the bass; the first melodic one (or the first of all)
    /// the melody; then a chord instrument the chords, another the counter-melody (or, when
    /// that part is taken, the other one).
    fn assign_instruments(&mut self) -> Result<(), Diagnostic> {
        let mut named = std::mem::take(&mut self.out.piece.instruments);
        let melody_named = (named.iter()).any(|n| n.value.1 == Some(PartRole::Melody));
        if let Some(i) = self.out.piece.lead.filter(|_| !melody_named) {
            named[i].value.1 = Some(PartRole::Melody);
        }
        let named = same_instrument_once(named);
        let mut roles: Vec<Option<PartRole>> = named.iter().map(|n| n.value.1).collect();
        let free = |roles: &[Option<PartRole>], role| !roles.contains(&Some(role));
        // A bass instrument plays the bass; a drum with a pitch (timpani) plays it when no
        // bass instrument does, else doubles it.
        let drum = |i: usize| instruments::is_pitched_drum(named[i].value.0);
        for low in [instruments::is_bass, instruments::is_pitched_drum] {
            for (i, n) in named.iter().enumerate() {
                if roles[i].is_none() && low(n.value.0) && free(&roles, PartRole::Bass) {
                    roles[i] = Some(PartRole::Bass);
                }
            }
        }
        let doubles: Vec<bool> = (0..named.len())
            .map(|i| roles[i].is_none() && drum(i))
            .collect();
        if free(&roles, PartRole::Melody) {
            let lead = (0..named.len())
                .filter(|&i| roles[i].is_none() && !doubles[i])
                .find(|&i| !instruments::is_chordal(named[i].value.0))
                .or_else(|| (0..named.len()).find(|&i| roles[i].is_none() && !doubles[i]));
            if let Some(i) = lead {
                roles[i] = Some(PartRole::Melody);
            }
        }
        for i in 0..named.len() {
            if doubles[i] {
                roles[i] = Some(PartRole::Bass);
            } else if roles[i].is_none() {
                // A chord instrument prefers the chords, another the counter-melody.
                let mut order = [PartRole::Chords, PartRole::CounterMelody];
                if !instruments::is_chordal(named[i].value.0) {
                    order.reverse();
                }
                roles[i] = order.into_iter().find(|r| free(&roles, *r));
            }
        }
        let mut assigned: Vec<_> = named.into_iter().zip(roles).collect();
        // A drum doubling the bass comes after the bass instrument it doubles.
        assigned.sort_by_key(|(n, role)| {
            *role == Some(PartRole::Bass) && instruments::is_pitched_drum(n.value.0)
        });
        for (n, role) in assigned {
            let Some(role) = role else {
                return Err(too_many_instruments(&n.origin));
            };
            let index = self.part_of(role);
            let (program, origin) = (n.value.0, n.origin);
            let part = &mut self.out.parts[index];
            if role == PartRole::Bass
                && instruments::is_pitched_drum(program)
                && let Some(player) = &part.program
                && player.value != program
            {
                part.doubled_by.push(Sourced::new(program, origin));
                continue;
            }
            set_once(
                &mut part.program,
                Sourced::new(program, origin),
                "the instrument",
            )?;
        }
        Ok(())
    }

    fn part_index(&mut self, name: &Spanned<String>) -> Result<usize, Diagnostic> {
        if senses(&name.value).any(|w| w.kind == Kind::Section) {
            return Err(Diagnostic::at(
                Code::SectionWithoutLetter,
                name.span,
                "a section line needs a letter",
                "section without a letter",
            )
            .hint("write it like `section B: chords IV V I I`"));
        }
        let Some(role) = PartRole::named(&name.value) else {
            let d = Diagnostic::at(
                Code::UnknownPart,
                name.span,
                format!("unknown part `{}`", quote(&name.value)),
                "not a part name",
            );
            return Err(
                match suggest(&name.value, vocabulary::candidates(Context::PartName)) {
                    Some(k) => d.hint(format!("did you mean `{k}`?")),
                    None => d.hint("parts are melody, counter-melody, chords, bass and drums"),
                },
            );
        };
        Ok(match self.out.parts.iter().position(|p| p.role == role) {
            Some(i) => i,
            None => {
                self.out.parts.push(PartClauses::new(role));
                self.out.parts.len() - 1
            }
        })
    }

    fn part_line(&mut self, name: &Spanned<String>, line: &Line) -> Result<(), Diagnostic> {
        let index = self.part_index(name)?;
        for clause in &line.clauses {
            self.part_clause(index, clause)?;
        }
        Ok(())
    }

    /// One clause about the part at `index`.
    fn part_clause(&mut self, index: usize, clause: &Clause) -> Result<(), Diagnostic> {
        let role = self.out.parts[index].role;
        {
            let origin = self.origin(clause.span);
            let part = &mut self.out.parts[index];
            let melodic = role.is_line();
            match &clause.kind {
                ClauseKind::Ceiling(p) if role != PartRole::Drums => set_once(
                    &mut part.ceiling,
                    Sourced::new(*p, origin),
                    "the highest note",
                )?,
                ClauseKind::Floor(p) if role != PartRole::Drums => {
                    set_once(&mut part.floor, Sourced::new(*p, origin), "the lowest note")?
                }
                ClauseKind::Compass(n) if role != PartRole::Drums => {
                    set_once(&mut part.compass, Sourced::new(*n, origin), "the compass")?
                }
                ClauseKind::Program(p) if role != PartRole::Drums => set_once(
                    &mut part.program,
                    Sourced::new(*p, origin),
                    "the instrument",
                )?,
                ClauseKind::Words(words) => self.part_words(index, words)?,
                ClauseKind::Range(low, high) if role != PartRole::Drums => set_once(
                    &mut part.range,
                    Sourced::new(range(*low, *high, clause)?, origin),
                    "the range",
                )?,
                ClauseKind::Stepwise if melodic => {
                    tighter(&mut part.max_leap, Sourced::new(2, origin))
                }
                ClauseKind::MaxLeap(n) if melodic => {
                    tighter(&mut part.max_leap, Sourced::new(*n, origin))
                }
                ClauseKind::MostlyStepwise if melodic => part.mostly_stepwise = Some(origin),
                ClauseKind::StartsOn(t) if melodic => set_once(
                    &mut part.starts_on,
                    Sourced::new(*t, origin),
                    "the first note",
                )?,
                ClauseKind::EndsOn(t) if melodic => {
                    set_once(&mut part.ends_on, Sourced::new(*t, origin), "the last note")?
                }
                ClauseKind::UsingOnly(list) if role != PartRole::Drums => {
                    let (set, names) = pitch_set(list);
                    part.using_only
                        .push((Sourced::new(set.value, origin), names));
                }
                ClauseKind::Avoiding(list) if role != PartRole::Drums => {
                    let (set, names) = pitch_set(list);
                    part.avoiding.push((Sourced::new(set.value, origin), names));
                }
                ClauseKind::Rhythm(list)
                    if matches!(role, PartRole::Melody | PartRole::CounterMelody) =>
                {
                    let ticks = list.iter().map(|d| d.value).collect::<BTreeSet<u32>>();
                    let ticks = ticks.into_iter().collect();
                    set_once(
                        &mut part.durations,
                        Sourced::new(ticks, origin),
                        "the rhythm",
                    )?
                }
                ClauseKind::Dynamics(level) => set_once(
                    &mut part.dynamics,
                    Sourced::new(*level, origin),
                    "the dynamics",
                )?,
                ClauseKind::DrumGrid(rows) if role == PartRole::Drums => set_once(
                    &mut part.drumming,
                    Sourced::new(Drumming::Grid(drum_grid(rows)?), origin),
                    "the drum pattern",
                )?,
                ClauseKind::None if role == PartRole::Melody => {
                    return Err(Diagnostic::at(
                        Code::MelodyRequired,
                        clause.span,
                        "every piece has a melody",
                        "cannot drop the melody",
                    )
                    .hint("`none` drops an accompanying part, e.g. `bass: none`"));
                }
                ClauseKind::None => part.dropped = Some(origin),
                _ => return Err(misplaced(clause, role.name())),
            }
        }
        Ok(())
    }

    /// Plain words on a part line: a pattern, a density or contour word, or an instrument.
    fn part_words(&mut self, index: usize, words: &[Spanned<String>]) -> Result<(), Diagnostic> {
        let (text, span) = phrase(words);
        let origin = self.origin(span);
        let part = &mut self.out.parts[index];
        let role = part.role;
        let patterns: &[(&str, Pattern)] = match role {
            PartRole::Chords => &Pattern::CHORDS,
            PartRole::Bass => &Pattern::BASS,
            _ => &[],
        };
        if let Some((_, pattern)) = patterns.iter().find(|(n, _)| *n == text) {
            return set_once(
                &mut part.pattern,
                Sourced::new(*pattern, origin),
                "the pattern",
            );
        }
        // Only the senses this part takes: `busy` on the chords line is no density.
        let here = || senses(&text).filter(|w| w.places.part(role));
        if let Some(d) = here().find_map(Word::density) {
            return set_once(&mut part.density, Sourced::new(d, origin), "the density");
        }
        if let Some(c) = here().find_map(Word::contour) {
            return set_once(&mut part.contour, Sourced::new(c, origin), "the contour");
        }
        if role == PartRole::Drums {
            let groove = presets::STYLES
                .iter()
                .find(|s| text == s.name || text == format!("{} groove", s.name));
            let named = vocabulary::DRUM_WORDS
                .iter()
                .find(|(name, _)| *name == text);
            if let Some(groove) = (groove.and_then(|s| s.drums)).or(named.map(|(_, g)| *g)) {
                return set_once(
                    &mut part.drumming,
                    Sourced::new(Drumming::Groove(groove), origin),
                    "the drum pattern",
                );
            }
            let d = Diagnostic::at(
                Code::UnknownWord,
                span,
                format!("unknown word `{}` for the drums", quote(&text)),
                "not a drum pattern",
            );
            return Err(d.hint("write a step grid like `kick x...x... snare ..x...x. hat xxxxxxxx`, or a style's groove (`reel`, `march`, `pop`)"));
        }
        if let Some(players) = doubled(words) {
            return self.doubled_part(index, players);
        }
        match instruments::program(&text) {
            Some(program) => set_once(
                &mut part.program,
                Sourced::new(program, origin),
                "the instrument",
            ),
            None => Err(unknown_part_words(role, &text, span)),
        }
    }

    /// `melody: violin and flute`: the first instrument plays the part, the others double it.
    fn doubled_part(
        &mut self,
        index: usize,
        players: Vec<(String, Span)>,
    ) -> Result<(), Diagnostic> {
        let role = self.out.parts[index].role;
        for (k, (name, span)) in players.into_iter().enumerate() {
            let Some(program) = instruments::program(&name) else {
                return Err(unknown_part_words(role, &name, span));
            };
            let played = Sourced::new(program, self.origin(span));
            let part = &mut self.out.parts[index];
            if k == 0 {
                set_once(&mut part.program, played, "the instrument")?;
            } else {
                part.doubled_by.push(played);
            }
        }
        Ok(())
    }

    /// `section B melody: range A4 to D6`: a part's range within one section.
    fn section_part_line(
        &mut self,
        name: &Spanned<SectionName>,
        part: &Spanned<String>,
        line: &Line,
    ) -> Result<(), Diagnostic> {
        let index = self.part_index(part)?;
        self.out.piece.part_line_sections.push(name.clone());
        for clause in &line.clauses {
            let origin = self.origin(clause.span);
            match &clause.kind {
                ClauseKind::Range(low, high) if self.out.parts[index].role != PartRole::Drums => {
                    let r = Sourced::new(range(*low, *high, clause)?, origin);
                    self.out.parts[index]
                        .section_ranges
                        .push((name.value.letter, r));
                }
                _ => {
                    return Err(Diagnostic::at(
                        Code::MisplacedClause,
                        clause.span,
                        "a section's part line takes only `range`",
                        "not per section",
                    )
                    .hint(format!(
                        "write it for the whole piece on a `{}:` line",
                        part.value
                    )));
                }
            }
        }
        Ok(())
    }

    /// The song form a named section implies where no form is written, as if the words that
    /// first named one had written it.
    fn imply_song_form(&mut self, lines: &[Line]) {
        let Some((names, span)) = implied_song_form(lines) else {
            return;
        };
        let form = (names.into_iter().map(|value| Spanned { value, span })).collect();
        let origin = self.origin(span);
        self.out
            .piece
            .form
            .get_or_insert(Sourced::new(form, origin));
    }

    /// `an 8-bar chorus`: the chorus's length, as `section chorus: 8 bars` gives it.
    /// `three 8-bar parts, AABB` / `verse 8 bars, chorus 8 bars`: the form, if named, and each
    /// section's length.
    fn section_lengths(
        &mut self,
        form: &[Spanned<SectionName>],
        lengths: &[(Spanned<SectionName>, u32)],
        clause: &Clause,
        origin: Origin,
    ) -> Result<(), Diagnostic> {
        if !form.is_empty() {
            let form = Sourced::new(form.to_vec(), origin);
            set_once(&mut self.out.piece.form, form, "the form")?;
        }
        for (name, n) in lengths {
            self.section_length(name, *n, clause)?;
        }
        Ok(())
    }

    fn section_length(
        &mut self,
        name: &Spanned<SectionName>,
        n: u32,
        clause: &Clause,
    ) -> Result<(), Diagnostic> {
        let name = song_letter(name, &self.song_form)?;
        let index = self.section_index(&name);
        let bars = Clause {
            kind: ClauseKind::Bars(n),
            ..clause.clone()
        };
        self.section_clause(index, &bars)
    }

    /// The index of `name`'s clauses among the sections', added if new.
    fn section_index(&mut self, name: &Spanned<SectionName>) -> usize {
        let sections = &mut self.out.sections;
        if let Some(i) = (sections.iter()).position(|s| s.name.value.letter == name.value.letter) {
            return i;
        }
        sections.push(SectionClauses {
            name: name.clone(),
            bars: None,
            chords: None,
            dynamics: None,
            key: None,
            tempo: None,
            tempo_per: None,
            meter: None,
            hairpin: None,
        });
        sections.len() - 1
    }

    fn section_line(
        &mut self,
        name: &Spanned<SectionName>,
        part: Option<&Spanned<String>>,
        line: &Line,
    ) -> Result<(), Diagnostic> {
        if let Some(part) = part {
            return self.section_part_line(name, part, line);
        }
        let index = self.section_index(name);
        for clause in &line.clauses {
            self.section_clause(index, clause)?;
        }
        Ok(())
    }

    /// One clause of a section line, for section `index`.
    fn section_clause(&mut self, index: usize, clause: &Clause) -> Result<(), Diagnostic> {
        let origin = self.origin(clause.span);
        let section = &mut self.out.sections[index];
        match &clause.kind {
            ClauseKind::Bars(b) => set_once(
                &mut section.bars,
                Sourced::new(bars(*b, clause)?, origin),
                "the section's length",
            )?,
            ClauseKind::Chords(c) => set_once(
                &mut section.chords,
                Sourced::new(c.clone(), origin),
                "the section's chords",
            )?,
            ClauseKind::Dynamics(level) => set_once(
                &mut section.dynamics,
                Sourced::new(*level as i8 - 5, origin),
                "the section's dynamics",
            )?,
            ClauseKind::Key { tonic, mode } => set_once(
                &mut section.key,
                Sourced::new((*tonic, *mode), origin),
                "the section's key",
            )?,
            ClauseKind::Tempo(t, per) => {
                set_once(
                    &mut section.tempo,
                    Sourced::new(tempo(*t, clause)?, origin),
                    "the section's tempo",
                )?;
                section.tempo_per = *per;
            }
            ClauseKind::Hairpin(step) => set_once(
                &mut section.hairpin,
                Sourced::new(*step, origin),
                "the section's crescendo or diminuendo",
            )?,
            ClauseKind::Meter(m) => set_once(
                &mut section.meter,
                Sourced::new(*m, origin),
                "the section's meter",
            )?,
            ClauseKind::Words(words) => {
                let (text, span) = phrase(words);
                let step = match senses(&text)
                    .filter(|w| w.places.section())
                    .find_map(Word::loudness)
                {
                    Some(step) => step,
                    None => {
                        return Err(Diagnostic::at(Code::UnknownWord, span, format!("unknown word `{}` for a section", quote(&text)), "not a section clause")
                                .hint("a section line takes `N bars`, `chords …`, a key, a meter, a tempo, `louder`, `softer`, `crescendo`, `diminuendo` or a dynamic like `mf`"));
                    }
                };
                set_once(
                    &mut section.dynamics,
                    Sourced::new(step, origin),
                    "the section's dynamics",
                )?
            }
            _ => {
                return Err(Diagnostic::at(Code::MisplacedClause, clause.span, "this clause is about the whole piece, not one section", "not per section")
                        .hint("a section line takes `N bars`, `chords …`, a key, a meter, a tempo, `louder`, `softer`, `crescendo`, `diminuendo` or a dynamic like `mf`"));
            }
        }
        Ok(())
    }
}

/// The error for an instrument no part is left for.
fn too_many_instruments(origin: &Origin) -> Diagnostic {
    let span = match origin {
        Origin::Line { span, .. } => *span,
        _ => Span::new(0, 0),
    };
    Diagnostic::at(
        Code::TooManyInstruments,
        span,
        "more instruments than parts to play them",
        "no part is left for this one",
    )
    .hint("a sentence's instruments play the melody, the chords, the counter-melody and the bass; name the rest on part lines, e.g. `counter-melody: oboe`")
}

/// A drum grid's rows as (General MIDI key, a velocity per step); an unknown drum is an error.
fn drum_grid(rows: &[(Spanned<String>, Vec<u8>)]) -> Result<Vec<(u8, Vec<u8>)>, Diagnostic> {
    rows.iter()
        .map(|(voice, steps)| {
            let Some(key) = presets::drum_key(&voice.value) else {
                let names = vocabulary::candidates(Context::DrumName);
                let d = Diagnostic::at(
                    Code::UnknownDrum,
                    voice.span,
                    format!("unknown drum `{}`", quote(&voice.value)),
                    "not a drum tunec knows",
                );
                return Err(match suggest(&voice.value, names.iter().copied()) {
                    Some(k) => d.hint(format!("did you mean `{k}`?")),
                    None => d.hint(format!("drums: {}", names.join(", "))),
                });
            };
            Ok((
                key,
                steps.iter().map(|s| [0, 88, 127][*s as usize]).collect(),
            ))
        })
        .collect()
}

/// A tempo tunec plays: from `TEMPO.0` to `TEMPO.1` bpm.
fn tempo(t: u32, clause: &Clause) -> Result<u32, Diagnostic> {
    if !(TEMPO.0..=TEMPO.1).contains(&t) {
        let (side, limit) = match t < TEMPO.0 {
            true => ("slower than the slowest", TEMPO.0),
            false => ("faster than the fastest", TEMPO.1),
        };
        return Err(Diagnostic::at(
            Code::TempoOutOfRange,
            clause.span,
            format!("tempo out of range: {t} bpm is {side} tempo tunec plays ({limit} bpm)"),
            "here",
        )
        .hint(format!("write a tempo from {} to {} bpm", TEMPO.0, TEMPO.1)));
    }
    Ok(t)
}

fn bars(b: u32, clause: &Clause) -> Result<u32, Diagnostic> {
    if b == 0 {
        return Err(Diagnostic::at(
            Code::NoBars,
            clause.span,
            "a piece needs at least 1 bar",
            "no bars",
        )
        .hint("write the length as `16 bars`"));
    }
    Ok(b)
}

fn range(low: Pitch, high: Pitch, clause: &Clause) -> Result<(Pitch, Pitch), Diagnostic> {
    if low > high {
        return Err(Diagnostic::at(
            Code::RangeDownwards,
            clause.span,
            "the range goes downwards",
            "low note first",
        )
        .hint("write the lower note first, e.g. `range D4 to B5`"));
    }
    Ok((low, high))
}

/// Words on a part line that name nothing: a misspelled clause word, or an unknown instrument.
fn unknown_part_words(role: PartRole, name: &str, span: Span) -> Diagnostic {
    if let Some(word) = suggest(name, vocabulary::candidates(Context::PartLine)) {
        return Diagnostic::at(
            Code::UnknownWord,
            span,
            format!("unknown word `{}`", quote(name)),
            "not a word tunec knows",
        )
        .hint(format!("did you mean `{word}`?"));
    }
    let d = Diagnostic::at(
        Code::UnknownInstrument,
        span,
        format!("unknown instrument `{}`", quote(name)),
        "not an instrument tunec knows",
    );
    match suggest(name, vocabulary::candidates(Context::InstrumentName)) {
        Some(k) => d.hint(format!("did you mean `{k}`?")),
        None if role == PartRole::Chords => {
            d.hint("name an instrument or a pattern: block, strum, arpeggio, oom-pah-pah, boom-chick, chorale")
        }
        None if role == PartRole::Bass => d.hint("name an instrument or a pattern: roots, root-fifth, walking"),
        None => d.hint(
            "use a General MIDI name (`flute`, `acoustic bass`), a folk name (`fiddle`, `tin whistle`) or `program N`",
        ),
    }
}

/// An instrument named twice (`featuring French horn, strings and timpani, with the French horn
/// playing the melody`) is one instrument: where it comes first, with the part the other
/// mention gives it.
fn same_instrument_once(
    named: Vec<Sourced<(u8, Option<PartRole>)>>,
) -> Vec<Sourced<(u8, Option<PartRole>)>> {
    let mut once: Vec<Sourced<(u8, Option<PartRole>)>> = Vec::new();
    for n in named {
        match once.iter_mut().find(|o| o.value.0 == n.value.0) {
            Some(first) if first.value.1.is_none() || n.value.1.is_none() => {
                first.value.1 = first.value.1.or(n.value.1);
            }
            _ => once.push(n),
        }
    }
    once
}

/// `I–vi–IV–V (C Am F G)`: a progression written as numerals and as symbols, one after the
/// other, chord for chord. The symbols are kept as the chords; the numerals come back, to be
/// checked against them in the key.
fn numerals_beside_symbols(
    chords: &mut Option<(Sourced<ChordBars>, Span)>,
    bars: &ChordBars,
    span: Span,
    origin: &Origin,
) -> Option<(ChordBars, Span)> {
    let (first, first_span) = chords.as_ref()?;
    let all = |b: &ChordBars, numeral: bool| {
        let mut chords = b.iter().flatten();
        chords.all(|c| matches!(c.value, ChordSpec::Numeral { .. }) == numeral)
    };
    let count = |b: &ChordBars| b.iter().map(Vec::len).sum::<usize>();
    if count(&first.value) != count(bars) {
        return None;
    }
    if all(&first.value, true) && all(bars, false) {
        let numerals = (first.value.clone(), *first_span);
        *chords = Some((Sourced::new(bars.clone(), origin.clone()), span));
        Some(numerals)
    } else if all(&first.value, false) && all(bars, true) {
        Some((bars.clone(), span))
    } else {
        None
    }
}

/// `stepwise, max leap 3 semitones`: two leap limits both hold when the smaller does, so the
/// smaller one is kept.
fn tighter(slot: &mut Option<Sourced<u8>>, limit: Sourced<u8>) {
    if slot.as_ref().is_none_or(|s| limit.value < s.value) {
        *slot = Some(limit);
    }
}

/// `7/8 (2+2+3)`: groups that do not fill the meter contradict it; groups that do cannot be
/// kept yet (tunec counts 7/8 in even eighths), and saying so beats an unknown word.
fn beat_groups(groups: &[u8], piece: &PieceClauses, origin: &Origin) -> Result<(), Diagnostic> {
    let sum: u32 = groups.iter().map(|&g| u32::from(g)).sum();
    let written: Vec<String> = groups.iter().map(u8::to_string).collect();
    let written = written.join("+");
    if let Some(meter) = piece
        .meter
        .as_ref()
        .filter(|m| u32::from(m.value.count) != sum)
    {
        return Err(clash(
            Code::GivenTwice,
            format!(
                "{written} adds up to {sum}, but {} has {}",
                meter.value, meter.value.count
            ),
            &meter.origin,
            "the meter",
            origin,
            "these groups",
            "write groups that add up to the meter's top number".to_string(),
        ));
    }
    Err(Diagnostic::at(
        Code::NoPresetYet,
        span_of(origin),
        format!(
            "tunec counts each beat of the meter alike: grouping them {written} is not possible yet"
        ),
        "a grouping tunec cannot keep",
    )
    .hint("leave the grouping out: the meter is kept, its beats counted evenly"))
}

/// `4-bar phrases`: tunec's phrases are `PHRASE_BARS` long; another length cannot be kept yet.
fn phrase_bars(n: u32, clause: &Clause) -> Result<u32, Diagnostic> {
    if n == PHRASE_BARS {
        return Ok(n);
    }
    Err(Diagnostic::at(
        Code::NoPresetYet,
        clause.span,
        format!("tunec writes {PHRASE_BARS}-bar phrases, not {n}-bar ones yet"),
        "a phrase length tunec cannot keep",
    )
    .hint(format!(
        "leave it out, or write `{n}-bar sections` if each section is {n} bars"
    )))
}

/// The word of `words` that starts `span`, in lower case.
fn first_word(words: &[Spanned<String>], span: Span) -> String {
    let first = words.iter().find(|w| w.span.start == span.start);
    first.map_or_else(String::new, |w| w.value.to_lowercase())
}

/// An error for a clause on the wrong kind of line: `where` is `piece` or the part's name.
fn misplaced(clause: &Clause, place: &str) -> Diagnostic {
    let piece_clause = matches!(
        clause.kind,
        ClauseKind::Title(_)
            | ClauseKind::Seed(_)
            | ClauseKind::Key { .. }
            | ClauseKind::Meter(_)
            | ClauseKind::Bars(_)
            | ClauseKind::Tempo(..)
            | ClauseKind::Chords(_)
            | ClauseKind::Form(_)
            | ClauseKind::SectionLengths { .. }
            | ClauseKind::HarmonicRhythm(_)
            | ClauseKind::Cadence(_)
    );
    if place == "piece" {
        let d = Diagnostic::at(
            Code::MisplacedClause,
            clause.span,
            "this clause belongs on a part line",
            "describes one part",
        );
        return match clause.kind {
            ClauseKind::DrumGrid(_) => {
                d.hint("put it on the drums line: `drums: kick x...x... snare ..x...x.`")
            }
            _ => d.hint("put it after a part name, e.g. `melody: range D4 to B5, stepwise`"),
        };
    }
    if piece_clause {
        return Diagnostic::at(
            Code::MisplacedClause,
            clause.span,
            "this clause is about the whole piece",
            "not a part clause",
        )
        .hint("put it on a line without a part name, e.g. `folk tune in D major, 6/8`");
    }
    let hint = match place {
        "chords" => {
            "the chords part takes an instrument, a pattern, `range`, `using only`, `avoiding`, a dynamic or `none`"
        }
        "drums" => {
            "the drums take a step grid (`kick x...x... snare ..x...x.`), a style's groove, a dynamic or `none`"
        }
        "bass" => {
            "the bass takes an instrument, a pattern, `range`, melodic limits, pitch rules, a dynamic or `none`"
        }
        _ => "see docs/language.md for the clauses each part takes",
    };
    Diagnostic::at(
        Code::MisplacedClause,
        clause.span,
        format!("this clause does not apply to the {place} part"),
        "not for this part",
    )
    .hint(hint)
}

/// A part line's words split at `and` into instrument names with their spans, when there are
/// two or more: `violin and flute`, `violin, viola and cello` read as one run.
fn doubled(words: &[Spanned<String>]) -> Option<Vec<(String, Span)>> {
    let joiner = |w: &Spanned<String>| w.value.eq_ignore_ascii_case("and") || w.value == "&";
    let groups: Vec<&[Spanned<String>]> = words.split(|w| joiner(w)).collect();
    if groups.len() < 2 || groups.iter().any(|g| g.is_empty()) {
        return None;
    }
    Some(groups.into_iter().map(phrase).collect())
}

/// A written tempo in the meter's beats: `♩=120` in 6/8 is 80 bpm (`Meter::beat_bpm`); a tempo
/// that names no note already counts the beat.
pub(super) fn tempo_in_beats(
    written: &Sourced<u32>,
    per: Option<(u32, u32)>,
    meter: Meter,
) -> Sourced<u32> {
    match per {
        Some(per) => Sourced::new(meter.beat_bpm(written.value, per), written.origin.clone()),
        None => written.clone(),
    }
}

/// The clauses that bound where a part's notes lie (`between C3 and C5`, `never above A5`,
/// `within an octave`): the ones an instrument named right before gives its own part, since
/// every pitched part has a compass; how a line moves or starts and ends is the melody's.
fn is_bound(kind: &ClauseKind) -> bool {
    matches!(
        kind,
        ClauseKind::Range(..)
            | ClauseKind::Ceiling(_)
            | ClauseKind::Floor(_)
            | ClauseKind::Compass(_)
    )
}

/// `… or drums` after notes to avoid: the words go on the negated list.
fn starts_with_or(words: &[Spanned<String>]) -> bool {
    (words.first()).is_some_and(|w| matches!(w.value.to_ascii_lowercase().as_str(), "or" | "nor"))
}

/// `don't use the drums`, `never any bass`: a negation a few words before a part's noun (at
/// `span`) drops the part, as `no drums` does.
fn negation_before(words: &[Spanned<String>], span: Span) -> bool {
    let before: Vec<String> = (words.iter())
        .filter(|w| w.span.end <= span.start)
        .map(|w| w.value.to_ascii_lowercase())
        .collect();
    let near = &before[before.len().saturating_sub(3)..];
    (near.iter()).any(|w| matches!(w.as_str(), "don't" | "never" | "without"))
}

/// The part a sentence's last line clause went to: a part it named, or an instrument's.
#[derive(Clone, Copy)]
enum LastLine {
    Part(PartRole),
    Instrument(u8),
}
