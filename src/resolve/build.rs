//! Builds the Plan from what the lines said: presets and moods fill every gap, explicit clauses
//! always win, and static conflicts (a form that does not fit the length, a cadence the chords
//! contradict) are errors that name the lines.

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::TEMPO;
use crate::syntax::{Cadence, ChordSpec, HarmonicRhythm, Spanned, Target};
use crate::theory::{Chord, Key, Meter, Pitch, PitchSet};

use super::clash::{clash, span_of};
use super::clauses::{
    ChordBars, Gathered, PartClauses, PieceClauses, SectionClauses, tempo_in_beats,
};
use super::form::{check_cadence, form};
use super::key;
use super::plan::*;
use super::songs;
use crate::presets::{self, Pattern, Style, Swing, ensembles};

/// Builds the Plan from what the lines say. Problems that do not depend on each other are all
/// reported: the piece's and the sections' chords, then the cadence and the parts.
///
/// A dance tune whose lines leave the key to tunec is in a key drawn for `seed` (else the
/// program's own, else 0) from the keys its kind's training tunes are in ([`key::drawn`]).
pub fn build(g: Gathered, seed: Option<u64>) -> Result<Plan, Vec<Diagnostic>> {
    let key_free = key::is_free(&g);
    let Gathered {
        mut piece,
        parts: part_clauses,
        sections: section_clauses,
    } = g;
    let seed = seed.or(piece.seed.as_ref().map(|s| s.value)).unwrap_or(0);
    let (style, style_origin) = style_of(&piece);
    let preset = Origin::Preset(style.name);
    let moods: Vec<&presets::Mood> = piece
        .moods
        .iter()
        .filter_map(|m| presets::mood_named(m.value))
        .collect();
    let drawn = key_free.then(|| key::drawn(style, &moods, seed)).flatten();
    let key_drawn_for = drawn.as_ref().map(|_| seed);
    let (key, scale_rule) = match drawn {
        Some(key) => key::scale_of(key),
        None => key::key_of(&piece, &part_clauses, &moods, style, &preset),
    };
    let meter = piece.meter.clone().unwrap_or_else(|| {
        let (count, unit) = style.meter;
        Sourced::new(
            Meter::new(count, unit).expect("preset meters are valid"),
            preset.clone(),
        )
    });
    let meter = meter_giving_way(meter, &part_clauses, style);
    tempo_word_agrees(&piece).map_err(|d| vec![d])?;
    let mut tempo = tempo(&piece, style, &moods, &preset, meter.value);
    tempo_giving_way(&piece, &mut tempo, meter.value);
    length_in_time(&mut piece, tempo.value, meter.value).map_err(|d| vec![d])?;
    numerals_agree(&piece, key.value).map_err(|d| vec![d])?;
    let (harmonic_rhythm, written_rhythm) = harmonic_rhythm(&piece, style, meter.value, &preset);
    let chord_bars = |bars: &ChordBars| regroup(bars, written_rhythm, key.value, meter.value);
    let progression = match &piece.chords {
        Some((written, _)) => chord_bars(&written.value).map(|bars| {
            Some(Progression {
                bars,
                origin: written.origin.clone(),
            })
        }),
        None if style.harmony == presets::Harmony::Blues => {
            Ok(Some(blues(key.value, &piece, style)))
        }
        None => Ok(None),
    };
    let (progression, section_rules) =
        both(progression, section_rules(&section_clauses, chord_bars))?;
    let ((sections, bars, form_origin), progression) = form_giving_way(
        &mut piece,
        (&section_clauses, &section_rules),
        style,
        progression,
    )
    .map_err(|d| vec![d])?;
    whole_phrases(&piece, &sections).map_err(|d| vec![d])?;
    let plan = Plan {
        title: piece.title.as_ref().map(|t| t.value.clone()),
        seed: piece.seed.as_ref().map(|s| s.value),
        key_drawn_for,
        style: Sourced::new(style, style_origin),
        moods: piece.moods.clone(),
        key,
        meter,
        bars,
        tempo,
        progression,
        parts: Vec::new(),
        sections,
        form_origin,
        section_rules,
        modulations: Vec::new(),
        harmonic_rhythm,
        cadence: cadence_of(&piece, style, &preset),
        // The `swing` clause swings eighths; a style may swing its sixteenths (hip hop).
        swing: (piece.swing.clone())
            .map(|origin| Sourced::new(Swing::Eighths, origin))
            .or_else(|| style.swing.map(|s| Sourced::new(s, preset.clone()))),
        feel: style.feel,
        harmony_habit: style.harmony,
        solo: piece.solo.clone(),
        bass_ends_in_chords: false,
        chords_for_bass: ChordsForBass::Before,
        canonical: String::new(),
    };
    let parts = parts(
        &plan,
        &piece,
        &part_clauses,
        scale_rule,
        &moods,
        style,
        &preset,
    );
    let ((), parts) = both(check_cadence(&plan), parts)?;
    songs::apply(plan, parts, (&piece, &part_clauses), &section_clauses)
}

/// The style written, or the default one.
fn style_of(piece: &PieceClauses) -> (&'static Style, Origin) {
    match &piece.style {
        Some(s) => (s.value, s.origin.clone()),
        None => (
            presets::default_style(),
            Origin::Default("default style".into()),
        ),
    }
}

/// The final cadence written, or the style's: gospel closes on the amen, IV–I.
fn cadence_of(piece: &PieceClauses, style: &Style, preset: &Origin) -> Sourced<Cadence> {
    piece.cadence.clone().unwrap_or_else(|| {
        let cadence = match style.harmony {
            presets::Harmony::Gospel => Cadence::Plagal,
            _ => Cadence::Authentic,
        };
        Sourced::new(cadence, preset.clone())
    })
}

/// Both results, or the errors of either or both.
fn both<A, B>(
    a: Result<A, Diagnostic>,
    b: Result<B, Diagnostic>,
) -> Result<(A, B), Vec<Diagnostic>> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err(a.err().into_iter().chain(b.err()).collect()),
    }
}

/// The tempo as written; else the style's moved by the moods, brought into a tempo word's range.
fn tempo(
    piece: &PieceClauses,
    style: &Style,
    moods: &[&presets::Mood],
    preset: &Origin,
    meter: Meter,
) -> Sourced<u32> {
    let from_presets = preset_tempo(style, moods, preset);
    match (&piece.tempo, &piece.tempo_word) {
        (Some(written), _) => tempo_in_beats(written, piece.tempo_per, meter),
        (None, Some(word)) => {
            let (_, low, high) = word.value;
            Sourced::new(from_presets.value.clamp(low, high), word.origin.clone())
        }
        (None, None) => from_presets,
    }
}

/// `Largo, 176 bpm`: a written number and a tempo word must agree. References give each word
/// ranges that differ by up to a quarter (docs/language.md), so the number may lie a quarter
/// outside the word's range; farther away, the two contradict each other.
fn tempo_word_agrees(piece: &PieceClauses) -> Result<(), Diagnostic> {
    let (Some(written), Some(word)) = (&piece.tempo, &piece.tempo_word) else {
        return Ok(());
    };
    let (name, low, high) = word.value;
    let n = written.value;
    if 4 * n >= 3 * low && 4 * n <= 5 * high {
        return Ok(());
    }
    Err(Diagnostic::at(
        Code::GivenTwice,
        span_of(&written.origin),
        format!("`{name}` is {low}–{high} bpm: {n} bpm contradicts it"),
        "this tempo",
    )
    .label(span_of(&word.origin), "contradicts this tempo word")
    .hint("keep the number or the word"))
}

/// Meters a style's meter may give way to, most common first.
const METERS: [(u8, u8); 9] = [
    (4, 4),
    (3, 4),
    (2, 4),
    (6, 8),
    (2, 2),
    (3, 8),
    (9, 8),
    (12, 8),
    (5, 4),
];

/// A meter no line wrote gives way to note lengths a line allows (`reel` with `melody: rhythm
/// dotted quarters`): when some part's lengths cannot fill one of its bars, the first of
/// `METERS` whose bars every part's lengths fill takes its place.
fn meter_giving_way(meter: Sourced<Meter>, parts: &[PartClauses], style: &Style) -> Sourced<Meter> {
    let lengths: Vec<&[u32]> = (parts.iter())
        .filter_map(|p| p.durations.as_ref().map(|d| &d.value[..]))
        .collect();
    let fits = |m: Meter| lengths.iter().all(|l| fills(l, m.bar_ticks()));
    if meter.origin.is_user() || fits(meter.value) {
        return meter;
    }
    let other = METERS
        .iter()
        .filter_map(|&(count, unit)| Meter::new(count, unit))
        .find(|m| fits(*m));
    match other {
        Some(other) => {
            let why = format!(
                "the {}'s meter {} gave way to the note lengths",
                style.name, meter.value
            );
            Sourced::new(other, Origin::Default(why))
        }
        None => meter,
    }
}

/// Whether notes of the `lengths` (ticks) add up to exactly `bar` ticks.
fn fills(lengths: &[u32], bar: u32) -> bool {
    let bar = bar as usize;
    let mut reachable = vec![false; bar + 1];
    reachable[0] = true;
    for r in 1..=bar {
        reachable[r] =
            (lengths.iter()).any(|&d| d > 0 && d as usize <= r && reachable[r - d as usize]);
    }
    reachable[bar]
}

/// A tempo no line wrote gives way to the bars and the length in time the user wrote both
/// (`jig, 16 bars, about 20 seconds long`) when it would not play them in about that time: it
/// becomes the tempo that does, within tunec's tempo limits. The origin says that it gave way.
fn tempo_giving_way(piece: &PieceClauses, tempo: &mut Sourced<u32>, meter: Meter) {
    let (Some(bars), Some(seconds)) = (&piece.bars, &piece.seconds) else {
        return;
    };
    if tempo.origin.is_user() || seconds.value == 0 {
        return;
    }
    let beats = bars.value as u64 * meter.beats_per_bar() as u64;
    // As `length_in_time` measures it.
    let lasts = bars.value as f64 * 60.0 * meter.beats_per_bar() as f64 / tempo.value as f64;
    if (lasts - seconds.value as f64).abs() <= seconds.value as f64 / 4.0 {
        return; // the preset's tempo plays them in about that time: it stays
    }
    let bpm = (60 * beats + seconds.value as u64 / 2) / seconds.value as u64;
    let bpm = bpm.clamp(TEMPO.0 as u64, TEMPO.1 as u64) as u32;
    if bpm == tempo.value {
        return;
    }
    let why = format!(
        "{} (gave way to the bars and the length in time)",
        tempo.origin
    );
    *tempo = Sourced::new(bpm, Origin::Default(why));
}

/// The bars of a length in time (`about 30 seconds`), from the tempo and meter; with bars
/// written too, an error when the two lengths differ by more than a quarter.
fn length_in_time(piece: &mut PieceClauses, bpm: u32, meter: Meter) -> Result<(), Diagnostic> {
    let Some(seconds) = piece.seconds.clone() else {
        return Ok(());
    };
    let bar_seconds = 60.0 * meter.beats_per_bar() as f64 / bpm as f64;
    let Some(bars) = &piece.bars else {
        let count = (seconds.value as f64 / bar_seconds).round().max(1.0) as u32;
        piece.bars = Some(Sourced::new(
            count.min(crate::limits::MAX_BARS),
            seconds.origin,
        ));
        return Ok(());
    };
    let lasts = bars.value as f64 * bar_seconds;
    if (lasts - seconds.value as f64).abs() <= seconds.value as f64 / 4.0 {
        return Ok(());
    }
    Err(Diagnostic::at(
        Code::LengthContradiction,
        span_of(&seconds.origin),
        format!(
            "{} bars at {bpm} bpm last {} seconds, not {}",
            bars.value,
            lasts.round(),
            seconds.value
        ),
        "this length",
    )
    .label(span_of(&bars.origin), "contradicts these bars")
    .hint("keep either the bars or the length in time"))
}

/// The style's tempo moved by the moods.
fn preset_tempo(style: &Style, moods: &[&presets::Mood], preset: &Origin) -> Sourced<u32> {
    let percent = moods.iter().fold(100, |t, m| t * m.tempo_percent / 100);
    let origin = match moods {
        [] => preset.clone(),
        [m] => Origin::Preset(m.name),
        _ => Origin::Preset("moods"),
    };
    Sourced::new(
        (style.tempo * percent / 100).clamp(TEMPO.0, TEMPO.1),
        origin,
    )
}

/// Each section line's own chords and dynamics.
fn section_rules(
    section_clauses: &[SectionClauses],
    chord_bars: impl Fn(&ChordBars) -> Result<Vec<Vec<Chord>>, Diagnostic>,
) -> Result<Vec<SectionRules>, Diagnostic> {
    let mut rules = Vec::new();
    for s in section_clauses {
        let progression = match &s.chords {
            Some(c) => Some(Progression {
                bars: chord_bars(&c.value)?,
                origin: c.origin.clone(),
            }),
            None => None,
        };
        rules.push(SectionRules {
            progression,
            dynamics: s.dynamics.clone(),
            ..SectionRules::of(s.name.value.letter)
        });
    }
    Ok(rules)
}

/// The form fitted to the lines (`FormRequest::fitted`); a style's form that does not fit them
/// gives way to its distinct sections in order (a jig's AABB to AB), then to one section, the
/// first that fits. Only when none does is the style's form's refusal reported.
#[allow(clippy::type_complexity)]
fn form_giving_way(
    piece: &mut PieceClauses,
    (clauses, rules): (&[SectionClauses], &[SectionRules]),
    style: &'static Style,
    progression: Option<Progression>,
) -> Result<((Vec<Section>, Sourced<u32>, Origin), Option<Progression>), Diagnostic> {
    let preset = Origin::Preset(style.name);
    let request = |piece: &PieceClauses, progression: Option<Progression>| {
        let form = FormRequest {
            piece,
            clauses,
            rules,
            style,
            preset: &preset,
        };
        form.fitted(progression)
    };
    let refusal = match request(piece, progression.clone()) {
        Err(refusal) if piece.form.is_none() => refusal,
        fitted => return fitted,
    };
    let why = format!(
        "the {}'s form {} gave way to the length",
        style.name, style.form
    );
    for letters in simpler_forms(style.form) {
        let spanned = letters.into_iter().map(|value| Spanned {
            value,
            span: crate::diagnostic::Span::default(),
        });
        piece.form = Some(Sourced::new(
            spanned.collect(),
            Origin::Default(why.clone()),
        ));
        let fitted = request(piece, progression.clone());
        piece.form = None;
        if fitted.is_ok() {
            return fitted;
        }
    }
    Err(refusal)
}

/// Simpler forms than a style's `form`: its distinct sections in order, then one section.
fn simpler_forms(form: &str) -> Vec<Vec<SectionName>> {
    let name = SectionName::letter;
    let mut distinct: Vec<SectionName> = Vec::new();
    for letter in form.chars().filter(char::is_ascii_alphabetic) {
        if !distinct.iter().any(|n| n.letter == letter) {
            distinct.push(name(letter));
        }
    }
    let written = form
        .chars()
        .filter(|c| c.is_ascii_alphabetic() || *c == '\'')
        .count();
    let mut out = Vec::new();
    if distinct.len() > 1 && distinct.len() < written {
        out.push(distinct);
    }
    out.push(vec![name('A')]);
    out
}

/// What the form is fitted from: the piece's and sections' lines and the style.
struct FormRequest<'a> {
    piece: &'a PieceClauses,
    clauses: &'a [SectionClauses],
    rules: &'a [SectionRules],
    style: &'a Style,
    preset: &'a Origin,
}

impl FormRequest<'_> {
    /// The form with the piece's `progression`; the style's twelve-bar blues fits only sections
    /// of twelve bars, and otherwise gives way (the progression kept is returned with it).
    #[allow(clippy::type_complexity)]
    fn fitted(
        &self,
        progression: Option<Progression>,
    ) -> Result<((Vec<Section>, Sourced<u32>, Origin), Option<Progression>), Diagnostic> {
        let preset_blues = progression.as_ref().is_some_and(|p| !p.origin.is_user());
        match self.form(progression.as_ref()) {
            Ok(f) if !preset_blues || f.0.iter().all(|s| s.bars.is_multiple_of(12)) => {
                Ok((f, progression))
            }
            Err(e) if !preset_blues => Err(e),
            _ => Ok((self.form(None)?, None)),
        }
    }

    fn form(
        &self,
        progression: Option<&Progression>,
    ) -> Result<(Vec<Section>, Sourced<u32>, Origin), Diagnostic> {
        form(
            self.piece,
            self.clauses,
            self.rules,
            progression,
            self.style,
            self.preset,
        )
    }
}

/// `4-bar phrases`: every section holds whole phrases.
fn whole_phrases(piece: &PieceClauses, sections: &[Section]) -> Result<(), Diagnostic> {
    let Some(phrase) = &piece.phrase_bars else {
        return Ok(());
    };
    let Some(odd) = sections.iter().find(|s| s.bars % phrase.value != 0) else {
        return Ok(());
    };
    let mut d = Diagnostic::at(
        Code::FormLength,
        span_of(&phrase.origin),
        format!(
            "section {} is {} bars: not whole {}-bar phrases",
            odd.name, odd.bars, phrase.value
        ),
        "the phrases' length",
    );
    if let Some(bars) = &piece.bars {
        d = d.label(span_of(&bars.origin), "the length");
    }
    Err(d.hint("give each section a multiple of the phrase length"))
}

/// `I–vi–IV–V (C Am F G)`: each numeral, read in the key, has its symbol's root (a numeral's
/// seventh may be left out: `ii-V-I (Dm7-G7-Cmaj7)`).
fn numerals_agree(piece: &PieceClauses, key: Key) -> Result<(), Diagnostic> {
    let (Some((numerals, _)), Some((symbols, _))) = (&piece.numerals, &piece.chords) else {
        return Ok(());
    };
    let pairs = numerals
        .iter()
        .flatten()
        .zip(symbols.value.iter().flatten());
    for (numeral, symbol) in pairs {
        let (
            ChordSpec::Numeral {
                degree,
                alter,
                quality,
            },
            ChordSpec::Symbol(chord),
        ) = (numeral.value, symbol.value)
        else {
            continue;
        };
        let read = Chord::from_numeral(key, degree, alter, quality);
        if read.root.pitch_class() != chord.root.pitch_class() {
            return Err(Diagnostic::at(
                Code::GivenTwice,
                symbol.span,
                "the numerals and the chord symbols name different chords",
                format!("`{chord}`"),
            )
            .label(numeral.span, format!("is {read} in {key}"))
            .hint("write the progression once, as numerals or as chord symbols"));
        }
    }
    Ok(())
}

/// Chords as written, resolved against the key and grouped by the harmonic rhythm when the
/// user marked no bars (`chords I vi IV V, two chords per bar` makes two bars).
fn regroup(
    bars: &ChordBars,
    rhythm: HarmonicRhythm,
    key: Key,
    meter: Meter,
) -> Result<Vec<Vec<Chord>>, Diagnostic> {
    let most = meter.count as usize;
    if let Some(crowded) = bars.iter().find(|bar| bar.len() > most) {
        return Err(Diagnostic::at(
            Code::CrowdedBar,
            crowded[most].span,
            format!("a bar of {meter} holds at most {most} chords"),
            "one chord too many in this bar",
        )
        .hint("mark the bars with `|`, e.g. `chords D G | A D`"));
    }
    let chord = |c: &Spanned<ChordSpec>| match c.value {
        ChordSpec::Symbol(chord) => chord,
        ChordSpec::Numeral {
            degree,
            alter,
            quality,
        } => Chord::from_numeral(key, degree, alter, quality),
    };
    let unmarked = bars.iter().all(|b| b.len() == 1);
    Ok(match (unmarked, rhythm) {
        (true, HarmonicRhythm::PerBar(n)) if n > 1 => {
            let flat: Vec<Chord> = bars.iter().map(|b| chord(&b[0])).collect();
            flat.chunks((n as usize).min(most))
                .map(<[Chord]>::to_vec)
                .collect()
        }
        (true, HarmonicRhythm::EveryBars(n)) => bars
            .iter()
            .flat_map(|b| std::iter::repeat_n(vec![chord(&b[0])], n as usize))
            .collect(),
        _ => bars.iter().map(|b| b.iter().map(chord).collect()).collect(),
    })
}

/// The piece's harmonic rhythm: the user's, else the style's (a chord a bar, or a beat); and
/// the one the user's written chords are read in (a style's chord a beat is its own habit:
/// chords the user writes bar by bar stay so).
fn harmonic_rhythm(
    piece: &PieceClauses,
    style: &presets::Style,
    meter: Meter,
    preset: &Origin,
) -> (Sourced<HarmonicRhythm>, HarmonicRhythm) {
    let beats = meter.beats_per_bar().clamp(1, u8::MAX as u32) as u8;
    let per_bar = if style.beat_chords { beats } else { 1 };
    match &piece.harmonic_rhythm {
        Some(r) => (r.clone(), r.value),
        None => (
            Sourced::new(HarmonicRhythm::PerBar(per_bar), preset.clone()),
            HarmonicRhythm::PerBar(1),
        ),
    }
}

/// The twelve-bar blues in the key, in dominant sevenths, closing on the tonic (the final
/// chorus: no V7 turnaround in bar twelve); a style in sevenths (the jazz blues) takes the
/// jazz changes.
fn blues(key: Key, piece: &PieceClauses, style: &Style) -> Progression {
    use crate::theory::ChordQuality::{Dominant7, Minor, Minor7};
    let (cadence, jazz) = (piece.cadence.as_ref().map(|c| c.value), style.sevenths);
    let seventh = |degree| Chord::from_numeral(key, degree, 0, Dominant7);
    let mut degrees = vec![1, 1, 1, 1, 4, 4, 1, 1, 5, 4, 1, 1];
    if jazz {
        // The jazz blues: IV in bar 2, ii–V–I in bars 9 to 11.
        degrees = vec![1, 4, 1, 1, 4, 4, 1, 1, 2, 5, 1, 1];
    }
    // The twelve bars are the style's: a cadence the user asked for closes them instead.
    if let Some(cadence) = cadence {
        let wanted = cadence.degrees();
        let from = degrees.len() - wanted.len();
        degrees[from..].copy_from_slice(wanted);
    }
    let bars = degrees
        .into_iter()
        .map(|d| match d {
            1 | 4 | 5 => vec![seventh(d)],
            _ => vec![Chord::from_numeral(
                key,
                d,
                0,
                if jazz { Minor7 } else { Minor },
            )],
        })
        .collect();
    Progression {
        bars,
        origin: Origin::Preset("blues"),
    }
}

/// Every part the piece has, each from its own line's clauses, else the style's and moods'
/// defaults.
#[allow(clippy::too_many_arguments)]
fn parts(
    plan: &Plan,
    piece: &PieceClauses,
    clauses: &[PartClauses],
    scale_rule: Option<PitchRule>,
    moods: &[&presets::Mood],
    style: &Style,
    preset: &Origin,
) -> Result<Vec<PartPlan>, Diagnostic> {
    let defaults = PartDefaults {
        plan,
        piece_rules: piece_pitch_rules(piece, scale_rule),
        mode_written: (piece.key.as_ref()).is_some_and(|k| k.value.1.is_some()),
        moods,
        mood_origin: if moods.is_empty() {
            preset.clone()
        } else {
            Origin::Preset("moods")
        },
        style,
        preset,
        with_counter: clauses
            .iter()
            .any(|p| p.role == PartRole::CounterMelody && p.dropped.is_none())
            || (piece.ensemble.as_ref()).is_some_and(|e| {
                ensembles::ensemble_named(e.value, style.drums.is_some())
                    .is_some_and(|e| e.counter_melody.is_some())
            }),
    };
    let ensemble = (piece.ensemble.as_ref()).and_then(|e| {
        ensembles::ensemble_named(e.value, style.drums.is_some()).map(|found| (found, &e.origin))
    });
    let mut out = Vec::new();
    for role in PartRole::ALL {
        let c = clauses.iter().find(|p| p.role == role);
        let from_style = match ensemble {
            // The ensemble's seat, but the style's own drums.
            Some((e, origin)) => e.seat(role).and_then(|p| match role {
                PartRole::Drums => defaults.style_program(role).map(|p| (p, defaults.preset)),
                _ => Some((p, origin)),
            }),
            None => defaults.style_program(role).map(|p| (p, defaults.preset)),
        };
        if let (Some(solo), Some(c), false) = (&plan.solo, c, role == PartRole::Melody)
            && c.dropped.is_none()
        {
            return Err(solo_clash(solo, c));
        }
        let wanted = match c {
            Some(c) => c.dropped.is_none(),
            None => from_style.is_some() && (plan.solo.is_none() || role == PartRole::Melody),
        };
        if wanted {
            out.push(defaults.part(role, c, from_style)?);
        }
    }
    let doublings = out.iter().flat_map(|p| &p.doubled_by);
    if let Some(extra) = doublings.clone().nth(crate::parts::DOUBLING_CHANNELS.len()) {
        return Err(too_many_channels(&extra.origin, doublings.count()));
    }
    Ok(out)
}

/// More doubling instruments than MIDI channels left for them.
fn too_many_channels(origin: &Origin, doublings: usize) -> Diagnostic {
    let free = crate::parts::DOUBLING_CHANNELS.len();
    let span = match origin {
        Origin::Line { span, .. } => *span,
        _ => crate::diagnostic::Span::new(0, 0),
    };
    Diagnostic::at(
        Code::TooManyInstruments,
        span,
        format!("{doublings} doubling instruments, but MIDI has channels for {free}"),
        "one too many",
    )
    .hint("a MIDI file has 16 channels: one for each part and the drums' 10th, the rest for doubling instruments; drop some of them")
}

/// The pitch rules every part but the drums keeps: the key's scale and the piece's own sets.
fn piece_pitch_rules(piece: &PieceClauses, scale_rule: Option<PitchRule>) -> Vec<PitchRule> {
    let mut rules: Vec<PitchRule> = scale_rule.into_iter().collect();
    for (set, _) in &piece.using_only {
        rules.push(PitchRule {
            kind: PitchRuleKind::Only,
            set: set.value,
            origin: set.origin.clone(),
        });
    }
    for (set, _) in &piece.avoiding {
        rules.push(PitchRule {
            kind: PitchRuleKind::Avoid,
            set: set.value,
            origin: set.origin.clone(),
        });
    }
    rules
}

/// `solo` with a line that describes another part than the melody.
fn solo_clash(solo: &Origin, c: &PartClauses) -> Diagnostic {
    let name = c.role.name();
    clash(
        Code::SoloWithOtherParts,
        format!("`solo` keeps only the melody, but a line describes the {name}"),
        solo,
        "solo",
        &c.first_origin().unwrap_or(Origin::Default(String::new())),
        "this part",
        format!("drop `solo` or the {name} line"),
    )
}

/// What a part takes where its own line says nothing: the piece's pitch rules, the style and
/// the moods.
struct PartDefaults<'a> {
    plan: &'a Plan,
    piece_rules: Vec<PitchRule>,
    /// The user wrote the key's mode (`in A minor`): its scale binds, blue notes and all.
    mode_written: bool,
    moods: &'a [&'a presets::Mood],
    mood_origin: Origin,
    style: &'a Style,
    preset: &'a Origin,
    /// A counter-melody plays: the chords step down to leave it room.
    with_counter: bool,
}

impl PartDefaults<'_> {
    /// The style's program for `role`, if the style has that part (1 for its drum kit).
    fn style_program(&self, role: PartRole) -> Option<u8> {
        let style = self.style;
        match role {
            PartRole::Melody => Some(style.melody),
            PartRole::CounterMelody => None,
            PartRole::Chords => style.chords.map(|c| c.0),
            PartRole::Bass => style.bass.map(|b| b.0),
            PartRole::Drums => style.drums.map(|_| 1),
        }
    }

    fn mood_sum(&self, f: fn(&presets::Mood) -> i8) -> i8 {
        self.moods.iter().map(|m| f(m)).sum()
    }

    /// One part's plan: what its line `c` says, the defaults for the rest.
    fn part(
        &self,
        role: PartRole,
        c: Option<&PartClauses>,
        from_style: Option<(u8, &Origin)>,
    ) -> Result<PartPlan, Diagnostic> {
        let key = self.plan.key.value;
        let program = c
            .and_then(|c| c.program.clone())
            .unwrap_or_else(|| match from_style {
                Some((p, origin)) => Sourced::new(p, origin.clone()),
                None => Sourced::new(
                    default_program(role),
                    Origin::Default("default instrument".into()),
                ),
            });
        let endpoint = |t: Option<&Sourced<Target>>| {
            t.map(|t| Sourced::new(endpoint(t.value, key), t.origin.clone()))
        };
        let starts_on = endpoint(c.and_then(|c| c.starts_on.as_ref()));
        let ends_on = endpoint(c.and_then(|c| c.ends_on.as_ref()));
        let range = c
            .and_then(|c| c.range.clone())
            .unwrap_or_else(|| self.range(role, program.value, [&starts_on, &ends_on]));
        let range = bounded(range, c)?;
        let whole = range.clone();
        let range = within_compass(range, c, key, [&starts_on, &ends_on])?;
        let (range, section_ranges) = sections_within_compass(&whole, range, c)?;
        let drumming = (role == PartRole::Drums)
            .then(|| self.drumming(c))
            .transpose()?;
        Ok(PartPlan {
            role,
            program,
            doubled_by: c.map_or(Vec::new(), |c| c.doubled_by.clone()),
            range,
            max_leap: c.and_then(|c| c.max_leap.clone()),
            mostly_stepwise: c.and_then(|c| c.mostly_stepwise.clone()),
            starts_on,
            ends_on,
            pitch_rules: self.pitch_rules(role, c),
            durations: c
                .and_then(|c| c.durations.clone())
                .or_else(|| self.long_notes(role, c)),
            dynamics: self.dynamics(role, c),
            pattern: self.pattern(role, c),
            drumming,
            density: self.density(c),
            contour: c.and_then(|c| c.contour.clone()),
            section_ranges,
            roots_at_changes: true,
        })
    }

    /// The default range of `role`, moved by the moods and widened to the `fixed` endpoints.
    fn range(
        &self,
        role: PartRole,
        program: u8,
        fixed: [&Option<Sourced<Endpoint>>; 2],
    ) -> Sourced<(Pitch, Pitch)> {
        let register = self.mood_sum(|m| m.register);
        let fiddle = self.style.intervals == presets::Intervals::Fiddle;
        Sourced::new(
            default_range(
                (role, program),
                self.plan.key.value,
                (register, fiddle),
                (self.with_counter, self.style.beat_chords),
                fixed,
            ),
            Origin::Default("default range".into()),
        )
    }

    /// The piece's pitch rules (none for drums), then the part's own.
    fn pitch_rules(&self, role: PartRole, c: Option<&PartClauses>) -> Vec<PitchRule> {
        let mut rules = if role == PartRole::Drums {
            Vec::new()
        } else {
            self.piece_rules.clone()
        };
        let blues = self.style.harmony == presets::Harmony::Blues;
        if role == PartRole::Melody && blues && !self.mode_written {
            // The blues melody sings the blue notes too: the minor third and the flat fifth.
            // Not in a mode the user wrote (`blues in A minor`): that scale is a hard request.
            let tonic = self.plan.key.value.tonic_class();
            let blue = PitchSet::EMPTY
                .with(tonic.transpose(3))
                .with(tonic.transpose(6));
            for rule in rules.iter_mut().filter(|r| r.kind == PitchRuleKind::Scale) {
                rule.set = rule.set.union(blue);
            }
        }
        if role == PartRole::Melody && self.plan.key_drawn_for.is_some() {
            // A dance tune in a key tunec drew sounds the chromatic notes real ones do, as
            // often as they do (the learned moves): a raised fourth, a minor key's major sixth.
            let key = self.plan.key.value;
            let model = crate::models::melody_model(
                self.style.intervals.model_family(),
                key.mode.is_minor(),
            );
            for rule in rules.iter_mut().filter(|r| r.is_default_key()) {
                rule.set = rule.set.union(model.colour(key));
            }
        }
        if !matches!(role, PartRole::Melody | PartRole::Drums) && self.style.flat_seven {
            // Rock's accompaniment borrows bVII, where the key is tunec's own choice.
            let flat_seven = self.plan.key.value.tonic_class().transpose(10);
            for rule in rules.iter_mut().filter(|r| r.is_default_key()) {
                rule.set = rule.set.with(flat_seven);
            }
        }
        if role == PartRole::Bass && self.style.harmony == presets::Harmony::Jazz {
            // A jazz bass walks into its chords by half steps, inside the key or not.
            for rule in rules.iter_mut().filter(|r| r.kind == PitchRuleKind::Scale) {
                rule.set = PitchSet::CHROMATIC;
            }
        }
        if let Some(c) = c {
            rules.extend(c.using_only.iter().map(|(s, _)| PitchRule {
                kind: PitchRuleKind::Only,
                set: s.value,
                origin: s.origin.clone(),
            }));
            rules.extend(c.avoiding.iter().map(|(s, _)| PitchRule {
                kind: PitchRuleKind::Avoid,
                set: s.value,
                origin: s.origin.clone(),
            }));
        }
        rules
    }

    fn dynamics(&self, role: PartRole, c: Option<&PartClauses>) -> Sourced<u8> {
        let base: i8 = match role {
            PartRole::Melody | PartRole::Bass => 5,
            _ => 4,
        };
        c.and_then(|c| c.dynamics.clone()).unwrap_or_else(|| {
            Sourced::new(
                (base + self.mood_sum(|m| m.dynamics)).clamp(1, 8) as u8,
                self.mood_origin.clone(),
            )
        })
    }

    /// How the chords or the bass play; other parts have no pattern.
    fn pattern(&self, role: PartRole, c: Option<&PartClauses>) -> Option<Sourced<Pattern>> {
        c.and_then(|c| c.pattern.clone()).or_else(|| {
            let p = match role {
                PartRole::Chords => self.style.chords.map_or(Pattern::Block, |c| c.1),
                PartRole::Bass => self.style.bass.map_or(Pattern::RootFifth, |b| b.1),
                _ => return None,
            };
            Some(Sourced::new(p, self.preset.clone()))
        })
    }

    /// The drums' groove or grid; a grid must divide the bar evenly.
    fn drumming(&self, c: Option<&PartClauses>) -> Result<Sourced<Drumming>, Diagnostic> {
        let drumming = c.and_then(|c| c.drumming.clone()).unwrap_or_else(|| {
            Sourced::new(
                Drumming::Groove(self.style.drums.unwrap_or(presets::Groove::Backbeat)),
                self.preset.clone(),
            )
        });
        let meter = self.plan.meter.value;
        let bar = meter.bar_ticks() as usize;
        if let Drumming::Grid(rows) = &drumming.value
            && let Some((_, steps)) = rows
                .iter()
                .find(|(_, steps)| !bar.is_multiple_of(steps.len()))
        {
            return Err(Diagnostic::at(
                Code::UnevenDrumGrid,
                span_of(&drumming.origin),
                format!(
                    "a {}-step grid does not divide a bar of {meter}",
                    steps.len()
                ),
                "uneven grid",
            )
            .hint(format!(
                "use a number of steps that divides the bar, e.g. {} or {}",
                meter.count,
                meter.count as u32 * 2
            )));
        }
        Ok(drumming)
    }

    /// A style of long notes (ambient) holds its melody's notes two beats or longer: two,
    /// three or four beats, or the whole bar, which fill any bar. A rhythm or a density the
    /// user asks for takes over.
    fn long_notes(&self, role: PartRole, c: Option<&PartClauses>) -> Option<Sourced<Vec<u32>>> {
        let asked = c.is_some_and(|c| c.density.is_some());
        if !self.style.long_notes || role != PartRole::Melody || asked {
            return None;
        }
        let meter = self.plan.meter.value;
        let (beat, bar) = (meter.beat_ticks(), meter.bar_ticks());
        let mut lengths: Vec<u32> = (2..=4).map(|n| n * beat).filter(|t| *t <= bar).collect();
        lengths.push(bar);
        lengths.sort();
        lengths.dedup();
        Some(Sourced::new(lengths, self.preset.clone()))
    }

    fn density(&self, c: Option<&PartClauses>) -> Sourced<Density> {
        c.and_then(|c| c.density.clone()).unwrap_or_else(|| {
            let d = match self.mood_sum(|m| m.density) {
                n if n > 0 => Density::Busy,
                n if n < 0 => Density::Sparse,
                _ => Density::Normal,
            };
            Sourced::new(d, self.mood_origin.clone())
        })
    }
}

/// `range` within a part's `never above` and `never below`; a default range moves to meet
/// them, keeping at least a fifth.
fn bounded(
    range: Sourced<(Pitch, Pitch)>,
    c: Option<&PartClauses>,
) -> Result<Sourced<(Pitch, Pitch)>, Diagnostic> {
    let Some(c) = c.filter(|c| c.ceiling.is_some() || c.floor.is_some()) else {
        return Ok(range);
    };
    let ((mut low, mut high), written) = (range.value, range.origin.is_user());
    let mut origin = range.origin;
    if let Some(top) = &c.ceiling {
        high = high.min(top.value);
        if !written {
            high = top.value;
            low = low.min(Pitch(top.value.0.saturating_sub(12)));
        }
        origin = top.origin.clone();
    }
    if let Some(bottom) = &c.floor {
        low = low.max(bottom.value);
        if !written {
            low = bottom.value;
            high = high.max(Pitch(bottom.value.0.saturating_add(12).min(127)));
        }
        origin = bottom.origin.clone();
    }
    if low.0 + 7 > high.0 {
        return Err(less_than_a_fifth(&origin));
    }
    Ok(Sourced::new((low, high), origin))
}

/// A part's lowest and highest notes, or its compass, closer than a fifth (at `origin`).
fn less_than_a_fifth(origin: &Origin) -> Diagnostic {
    Diagnostic::at(
        Code::RangeDownwards,
        span_of(origin),
        "the highest and lowest notes leave less than a fifth",
        "here",
    )
    .hint("give the part at least a fifth between its lowest and highest notes")
}

/// `within an octave`: the range narrowed to that many semitones, so that every note keeps it.
/// The window starts on the key's tonic where it can (a tune from tonic to tonic), moved just
/// enough to hold the pitches the part must start or end on, and stays inside the range.
fn within_compass(
    range: Sourced<(Pitch, Pitch)>,
    c: Option<&PartClauses>,
    key: Key,
    fixed: [&Option<Sourced<Endpoint>>; 2],
) -> Result<Sourced<(Pitch, Pitch)>, Diagnostic> {
    let Some(compass) = c.and_then(|c| c.compass.as_ref()) else {
        return Ok(range);
    };
    let (low, high) = (range.value.0.0, range.value.1.0);
    let width = compass.value;
    if width < 7 {
        return Err(less_than_a_fifth(&compass.origin));
    }
    if high - low <= width {
        return Ok(range);
    }
    let pinned: Vec<u8> = (fixed.iter())
        .filter_map(|f| match f {
            Some(Sourced {
                value: Endpoint::Pitch(p),
                ..
            }) => Some(p.0),
            _ => None,
        })
        .collect();
    // The tonic nearest the bottom of the range, at or above it.
    let tonic = low + (key.tonic_class().index() + 12 - low % 12) % 12;
    let mut start = tonic.min(high - width);
    if let Some(&top) = pinned.iter().max() {
        start = start.max(top.saturating_sub(width));
    }
    if let Some(&bottom) = pinned.iter().min() {
        start = start.min(bottom);
    }
    let start = start.clamp(low, high - width);
    Ok(Sourced::new(
        (Pitch(start), Pitch(start + width)),
        compass.origin.clone(),
    ))
}

/// A compass with sections' own ranges (`section B melody: range A4 to D6`): every note of the
/// piece keeps within the compass of every other, so one window serves the part and each
/// section. It stays where `within_compass` put it (`range`) unless a section's range needs it
/// moved, and leaves every range (`whole` is the part's before the compass) at least a fifth;
/// when no window can, the compass clashes (E0211) with the ranges that set the bounds.
fn sections_within_compass(
    whole: &Sourced<(Pitch, Pitch)>,
    range: Sourced<(Pitch, Pitch)>,
    c: Option<&PartClauses>,
) -> Result<SectionRanges, Diagnostic> {
    let (Some(c), Some(compass)) = (c, c.and_then(|c| c.compass.as_ref())) else {
        return Ok((range, c.map_or(Vec::new(), |c| c.section_ranges.clone())));
    };
    if c.section_ranges.is_empty() {
        return Ok((range, Vec::new()));
    }
    let width = compass.value;
    let ranges: Vec<&Sourced<(Pitch, Pitch)>> = std::iter::once(whole)
        .chain(c.section_ranges.iter().map(|(_, r)| r))
        .collect();
    // A window start x leaves a fifth of [l, h] when l + 7 - width <= x <= h - 7.
    let low = (ranges.iter()).max_by_key(|r| (r.value.0.0 + 7).saturating_sub(width));
    let high = (ranges.iter()).min_by_key(|r| r.value.1.0.saturating_sub(7));
    let (Some(low), Some(high)) = (low, high) else {
        return Ok((range, Vec::new()));
    };
    let earliest = (low.value.0.0 + 7).saturating_sub(width);
    let latest = high.value.1.0.saturating_sub(7);
    if earliest > latest {
        return Err(compass_clash(compass, low, high));
    }
    let start = range.value.0.0.clamp(earliest, latest);
    let within = |(l, h): (Pitch, Pitch)| (Pitch(l.0.max(start)), Pitch(h.0.min(start + width)));
    let sections = (c.section_ranges.iter())
        .map(|(letter, r)| (*letter, Sourced::new(within(r.value), r.origin.clone())))
        .collect();
    Ok((Sourced::new(within(whole.value), range.origin), sections))
}

/// E0211 at the compass and the range(s) that leave no window: the range whose bottom needs it
/// highest and the one whose top needs it lowest, one label if one range sets both.
fn compass_clash(
    compass: &Sourced<u8>,
    low: &Sourced<(Pitch, Pitch)>,
    high: &Sourced<(Pitch, Pitch)>,
) -> Diagnostic {
    let mut d = clash(
        Code::RangeDownwards,
        "the compass cannot hold the sections' ranges, each with a fifth".into(),
        &compass.origin,
        "the compass",
        &low.origin,
        if low.origin == high.origin {
            "this range"
        } else {
            "this range's bottom"
        },
        "widen the compass, or bring the sections' ranges closer together".into(),
    );
    if high.origin != low.origin && high.origin.is_user() {
        d = d.label(span_of(&high.origin), "and this range's top");
    }
    d
}

/// A part's range and its sections' own ranges.
type SectionRanges = (
    Sourced<(Pitch, Pitch)>,
    Vec<(char, Sourced<(Pitch, Pitch)>)>,
);

fn default_program(role: PartRole) -> u8 {
    match role {
        PartRole::Melody => 41,
        PartRole::CounterMelody => 72,
        PartRole::Chords => 25,
        PartRole::Bass => 33,
        PartRole::Drums => 1,
    }
}

fn endpoint(target: Target, key: Key) -> Endpoint {
    match target {
        Target::Tonic => Endpoint::Class(key.tonic_class()),
        Target::Dominant => Endpoint::Class(key.degree(5).pitch_class()),
        Target::Degree(n) => Endpoint::Class(key.degree(n).pitch_class()),
        Target::Class(name) => Endpoint::Class(name.pitch_class()),
        Target::Pitch(p) => Endpoint::Pitch(p),
    }
}

/// A fiddle tune's default range, D4 to E6, before moods and the instrument move it; a tune
/// draws its own compass inside it (`compose::melody`).
pub const FIDDLE_RANGE: (u8, u8) = (62, 88);

/// A comfortable register for the role around the key's tonic (the melody's moved by moods and
/// kept to what its instrument plays), widened to hold any pitch the user fixed with an octave.
fn default_range(
    (role, program): (PartRole, u8),
    key: Key,
    (register, wide): (i8, bool),
    (with_counter, inner_voices): (bool, bool),
    fixed: [&Option<Sourced<Endpoint>>; 2],
) -> (Pitch, Pitch) {
    // The tonic between D4 and C#5.
    let tonic = 62 + (key.tonic_class().index() + 10) % 12;
    // The melody's lowest note, under which the chords stay: a song's the fifth under the
    // tonic, where real songs start and reach down to; a fiddle tune's D4 in every key, as
    // O'Neill's major jigs, reels and hornpipes in G, D, A and C reach down to D4 or E4.
    let melody_low = match wide {
        true => (FIDDLE_RANGE.0 as i8 + register) as u8,
        false => (tonic as i8 + register - 5) as u8,
    };
    let (low, high) = match role {
        PartRole::Melody => {
            // Fiddle tunes range wider than songs (from the fifth under the tonic to the octave
            // above it): up to E6, the highest of the training tunes' compasses (most reach A5
            // or B5; each tune keeps to a compass drawn inside the range).
            let high = melody_low
                + if wide {
                    FIDDLE_RANGE.1 - FIDDLE_RANGE.0
                } else {
                    17
                };
            playable_part((melody_low, high), presets::instruments::playable(program))
        }
        // With a counter-melody the chords step down and leave it the register under the
        // melody; a chorale's alto and tenor sing just under the soprano (their voicing keeps
        // them below it); otherwise the chords sit under the melody's lowest note (at most
        // touching it), so the tune is never buried (a song's low fifth had a chord tone above
        // it).
        PartRole::CounterMelody => (tonic - 3, tonic + 9),
        PartRole::Chords if with_counter => {
            let low = (tonic - 15).max(45);
            (low, (tonic + 2).max(low + 14))
        }
        PartRole::Chords if inner_voices => {
            let low = melody_low.saturating_sub(14).max(45);
            (low, (melody_low + 2).max(low + 12))
        }
        PartRole::Chords => {
            let low = melody_low.saturating_sub(17).max(45);
            (low, (melody_low - 1).max(low + 12))
        }
        // E2 to A3: the bass's home, above the low ledger lines.
        PartRole::Bass | PartRole::Drums => (40, 57),
    };
    fixed
        .iter()
        .fold((Pitch(low), Pitch(high)), |(lo, hi), f| match f {
            Some(Sourced {
                value: Endpoint::Pitch(p),
                ..
            }) => (lo.min(*p), hi.max(*p)),
            _ => (lo, hi),
        })
}

/// `range` moved by octaves towards what an instrument `playable` plays (until at most a
/// tritone of it lies below), then cut to it.
fn playable_part((mut low, mut high): (u8, u8), playable: (u8, u8)) -> (u8, u8) {
    while low + 6 < playable.0 && high + 12 <= 127 {
        (low, high) = (low + 12, high + 12);
    }
    while high > playable.1 + 6 && low >= 12 {
        (low, high) = (low - 12, high - 12);
    }
    (
        low.max(playable.0),
        high.min(playable.1).max(low.max(playable.0)),
    )
}
