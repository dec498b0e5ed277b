//! Walks the AST line by line, checking each clause is in its place, and builds the Plan.

use crate::diagnostic::{Diagnostic, Span, suggest};
use crate::syntax::{ChordSpec, Clause, ClauseKind, Line, Program, Spanned, Target};
use crate::theory::{Chord, Key, Meter, Mode, NoteName, Pitch, PitchSet};

use super::plan::*;
use super::presets::{self, Style};
use super::{instruments, key};

use crate::limits::TEMPO as TEMPO_LIMITS;

/// Builds the Plan for a parsed program; `source` gives each origin its line and text.
pub fn resolve(program: &Program, source: &str) -> Result<Plan, Diagnostic> {
    let mut r = Resolver {
        source,
        piece: PieceClauses::default(),
        parts: Vec::new(),
    };
    if program
        .lines
        .iter()
        .all(|l| l.part.is_none() && l.clauses.is_empty())
    {
        return Err(
            Diagnostic::new("nothing to compose: the program has no prompts")
                .hint("start with a line like `folk tune in D major, 16 bars`"),
        );
    }
    for line in &program.lines {
        match &line.part {
            None => r.piece_line(line)?,
            Some(part) => r.part_line(part, line)?,
        }
    }
    r.finish()
}

type ChordBars = Vec<Vec<Spanned<ChordSpec>>>;

#[derive(Default)]
struct PieceClauses {
    title: Option<Sourced<String>>,
    seed: Option<Sourced<u64>>,
    style: Option<Sourced<&'static Style>>,
    moods: Vec<Sourced<&'static str>>,
    key: Option<Sourced<(NoteName, Option<Mode>)>>,
    meter: Option<Sourced<Meter>>,
    bars: Option<Sourced<u32>>,
    tempo: Option<Sourced<u32>>,
    /// The chords as written, bar by bar, and the clause's span.
    chords: Option<(Sourced<ChordBars>, Span)>,
    using_only: Vec<(Sourced<PitchSet>, Vec<NoteName>)>,
    avoiding: Vec<Sourced<PitchSet>>,
}

/// A part line's clauses, before defaults.
struct PartClauses {
    role: PartRole,
    dropped: Option<Origin>,
    program: Option<Sourced<u8>>,
    range: Option<Sourced<(Pitch, Pitch)>>,
    max_leap: Option<Sourced<u8>>,
    mostly_stepwise: Option<Origin>,
    starts_on: Option<Sourced<Target>>,
    ends_on: Option<Sourced<Target>>,
    using_only: Vec<(Sourced<PitchSet>, Vec<NoteName>)>,
    avoiding: Vec<Sourced<PitchSet>>,
}

struct Resolver<'s> {
    source: &'s str,
    piece: PieceClauses,
    parts: Vec<PartClauses>,
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
            Err(
                Diagnostic::at(*new, format!("{what} is given twice"), "this one")
                    .label(*first, "conflicts with this one")
                    .hint("keep only one of them"),
            )
        }
        _ => {
            *slot = Some(value);
            Ok(())
        }
    }
}

fn pitch_set(list: &[Spanned<NoteName>]) -> PitchSet {
    PitchSet::of(list.iter().map(|n| n.value.pitch_class()))
}

impl Resolver<'_> {
    fn origin(&self, span: Span) -> Origin {
        Origin::Line {
            span,
            line: span.line(self.source),
            text: self.source[span.start..span.end].trim().to_string(),
        }
    }

    fn piece_line(&mut self, line: &Line) -> Result<(), Diagnostic> {
        for clause in &line.clauses {
            let origin = self.origin(clause.span);
            let piece = &mut self.piece;
            match &clause.kind {
                ClauseKind::Title(t) => set_once(
                    &mut piece.title,
                    Sourced::new(t.clone(), origin),
                    "the title",
                )?,
                ClauseKind::Seed(s) => {
                    set_once(&mut piece.seed, Sourced::new(*s, origin), "the seed")?
                }
                ClauseKind::Key { tonic, mode } => set_once(
                    &mut piece.key,
                    Sourced::new((*tonic, *mode), origin),
                    "the key",
                )?,
                ClauseKind::Meter(m) => {
                    set_once(&mut piece.meter, Sourced::new(*m, origin), "the meter")?
                }
                ClauseKind::Bars(b) => {
                    if *b == 0 {
                        return Err(Diagnostic::at(
                            clause.span,
                            "a piece needs at least 1 bar",
                            "no bars",
                        )
                        .hint("write the length as `16 bars`"));
                    }
                    set_once(&mut piece.bars, Sourced::new(*b, origin), "the length")?
                }
                ClauseKind::Tempo(t) => {
                    if !(TEMPO_LIMITS.0..=TEMPO_LIMITS.1).contains(t) {
                        return Err(Diagnostic::at(clause.span, "tempo out of range", "here")
                            .hint(format!(
                                "write a tempo from {} to {} bpm",
                                TEMPO_LIMITS.0, TEMPO_LIMITS.1
                            )));
                    }
                    set_once(&mut piece.tempo, Sourced::new(*t, origin), "the tempo")?
                }
                ClauseKind::UsingOnly(list) => {
                    let names = list.iter().map(|n| n.value).collect();
                    piece
                        .using_only
                        .push((Sourced::new(pitch_set(list), origin), names));
                }
                ClauseKind::Avoiding(list) => {
                    piece.avoiding.push(Sourced::new(pitch_set(list), origin))
                }
                ClauseKind::Chords(bars) => {
                    if let Some((_, first)) = &piece.chords {
                        return Err(Diagnostic::at(
                            clause.span,
                            "the chords are given twice",
                            "this one",
                        )
                        .label(*first, "conflicts with this one")
                        .hint("write the whole progression in one `chords` clause"));
                    }
                    piece.chords = Some((Sourced::new(bars.clone(), origin), clause.span));
                }
                ClauseKind::Words(words) => self.style_phrase(words)?,
                _ => return Err(misplaced(clause, true)),
            }
        }
        Ok(())
    }

    fn style_phrase(&mut self, words: &[Spanned<String>]) -> Result<(), Diagnostic> {
        for word in words {
            let origin = self.origin(word.span);
            let text = word.value.as_str();
            if let Some(style) = presets::style_named(text) {
                set_once(
                    &mut self.piece.style,
                    Sourced::new(style, origin),
                    "the style",
                )?;
            } else if let Some(mood) = presets::mood_named(text) {
                for (a, b) in presets::OPPOSED_MOODS {
                    let other = if mood.name == a {
                        b
                    } else if mood.name == b {
                        a
                    } else {
                        continue;
                    };
                    if let Some(prev) = self.piece.moods.iter().find(|m| m.value == other) {
                        let Origin::Line { span, .. } = prev.origin else {
                            continue;
                        };
                        return Err(Diagnostic::at(
                            word.span,
                            format!("`{}` and `{other}` contradict each other", mood.name),
                            "this mood",
                        )
                        .label(span, "contradicts this one")
                        .hint("keep one of the two moods"));
                    }
                }
                if !self.piece.moods.iter().any(|m| m.value == mood.name) {
                    self.piece.moods.push(Sourced::new(mood.name, origin));
                }
            } else if presets::NOUNS.iter().any(|n| n.eq_ignore_ascii_case(text)) {
                continue;
            } else if PartRole::ALL
                .iter()
                .any(|p| p.name().eq_ignore_ascii_case(text))
            {
                return Err(Diagnostic::at(
                    word.span,
                    format!("`{text}` starts a part line"),
                    "part name without a colon",
                )
                .hint(format!(
                    "write `{}: …` with a colon after the part name",
                    text.to_ascii_lowercase()
                )));
            } else {
                let known = presets::STYLES
                    .iter()
                    .map(|s| s.name)
                    .chain(presets::MOODS.iter().map(|m| m.name))
                    .chain(presets::NOUNS)
                    .chain(Mode::ALL.iter().map(|m| m.name()))
                    .chain(["solo", "swing", "form", "section"]);
                let d = Diagnostic::at(
                    word.span,
                    format!("unknown word `{text}`"),
                    "not a style, mood or clause tunec knows",
                );
                return Err(match suggest(text, known) {
                    Some(k) => d.hint(format!("did you mean `{k}`?")),
                    None => d.hint(format!(
                        "styles: {}",
                        presets::STYLES
                            .iter()
                            .map(|s| s.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                });
            }
        }
        Ok(())
    }

    fn part_line(&mut self, name: &Spanned<String>, line: &Line) -> Result<(), Diagnostic> {
        let role = match name.value.as_str() {
            "melody" => PartRole::Melody,
            "chords" => PartRole::Chords,
            "bass" => PartRole::Bass,
            other @ ("counter-melody" | "drums") => {
                // Dropping a part this version never writes is already true.
                if matches!(
                    line.clauses.as_slice(),
                    [Clause {
                        kind: ClauseKind::None,
                        ..
                    }]
                ) {
                    return Ok(());
                }
                return Err(Diagnostic::at(
                    name.span,
                    format!("the `{other}` part is not available yet"),
                    "not yet supported",
                )
                .hint("this version writes melody, chords and bass"));
            }
            other => {
                let d = Diagnostic::at(
                    name.span,
                    format!("unknown part `{other}`"),
                    "not a part name",
                );
                let names = ["melody", "chords", "bass", "counter-melody", "drums"];
                return Err(match suggest(other, names) {
                    Some(k) => d.hint(format!("did you mean `{k}`?")),
                    None => d.hint("parts are melody, counter-melody, chords, bass and drums"),
                });
            }
        };
        let index = match self.parts.iter().position(|p| p.role == role) {
            Some(i) => i,
            None => {
                self.parts.push(PartClauses {
                    role,
                    dropped: None,
                    program: None,
                    range: None,
                    max_leap: None,
                    mostly_stepwise: None,
                    starts_on: None,
                    ends_on: None,
                    using_only: Vec::new(),
                    avoiding: Vec::new(),
                });
                self.parts.len() - 1
            }
        };
        for clause in &line.clauses {
            let origin = self.origin(clause.span);
            let part = &mut self.parts[index];
            match &clause.kind {
                ClauseKind::Program(p) => set_once(
                    &mut part.program,
                    Sourced::new(*p, origin),
                    "the instrument",
                )?,
                ClauseKind::Words(words) => {
                    let name = words
                        .iter()
                        .map(|w| w.value.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let Some(program) = instruments::program(&name) else {
                        return Err(unknown_instrument(&name, words));
                    };
                    set_once(
                        &mut part.program,
                        Sourced::new(program, origin),
                        "the instrument",
                    )?;
                }
                ClauseKind::Range(low, high) => {
                    if low > high {
                        return Err(Diagnostic::at(
                            clause.span,
                            "the range goes downwards",
                            "low note first",
                        )
                        .hint("write the lower note first, e.g. `range D4 to B5`"));
                    }
                    set_once(
                        &mut part.range,
                        Sourced::new((*low, *high), origin),
                        "the range",
                    )?;
                }
                ClauseKind::Stepwise
                | ClauseKind::MostlyStepwise
                | ClauseKind::MaxLeap(_)
                | ClauseKind::StartsOn(_)
                | ClauseKind::EndsOn(_)
                    if role == PartRole::Chords =>
                {
                    return Err(Diagnostic::at(
                        clause.span,
                        "this clause shapes a melodic line, and the chords part plays block chords",
                        "not a chords clause",
                    )
                    .hint("the chords part takes an instrument, `range`, `using only`, `avoiding` or `none`"));
                }
                ClauseKind::Stepwise => set_once(
                    &mut part.max_leap,
                    Sourced::new(2, origin),
                    "the largest leap",
                )?,
                ClauseKind::MaxLeap(n) => set_once(
                    &mut part.max_leap,
                    Sourced::new(*n, origin),
                    "the largest leap",
                )?,
                ClauseKind::MostlyStepwise => part.mostly_stepwise = Some(origin),
                ClauseKind::StartsOn(t) => set_once(
                    &mut part.starts_on,
                    Sourced::new(*t, origin),
                    "the first note",
                )?,
                ClauseKind::EndsOn(t) => {
                    set_once(&mut part.ends_on, Sourced::new(*t, origin), "the last note")?
                }
                ClauseKind::UsingOnly(list) => {
                    let names = list.iter().map(|n| n.value).collect();
                    part.using_only
                        .push((Sourced::new(pitch_set(list), origin), names));
                }
                ClauseKind::Avoiding(list) => {
                    part.avoiding.push(Sourced::new(pitch_set(list), origin))
                }
                ClauseKind::None => {
                    if role == PartRole::Melody {
                        return Err(Diagnostic::at(
                            clause.span,
                            "every piece has a melody",
                            "cannot drop the melody",
                        )
                        .hint("`none` drops an accompanying part, e.g. `bass: none`"));
                    }
                    part.dropped = Some(origin);
                }
                _ => return Err(misplaced(clause, false)),
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Plan, Diagnostic> {
        let piece = self.piece;
        let (style, style_origin) = match &piece.style {
            Some(s) => (s.value, s.origin.clone()),
            None => (
                presets::default_style(),
                Origin::Default("default style".into()),
            ),
        };
        let preset = Origin::Preset(style.name);
        let minor_mood = piece.moods.iter().rev().find_map(|m| {
            presets::mood_named(m.value)
                .and_then(|mood| mood.minor.map(|minor| (minor, Origin::Preset(mood.name))))
        });
        let melody_set = self
            .parts
            .iter()
            .find(|p| p.role == PartRole::Melody)
            .and_then(|p| p.using_only.first());
        let pitch_set = piece.using_only.first().or(melody_set);
        let (key, scale_rule) = choose_key(&piece, pitch_set, style, &minor_mood, &preset);
        let meter = piece.meter.unwrap_or_else(|| {
            let (count, unit) = style.meter;
            Sourced::new(
                Meter::new(count, unit).expect("preset meters are valid"),
                preset.clone(),
            )
        });
        let tempo = piece.tempo.unwrap_or_else(|| {
            let percent = piece
                .moods
                .iter()
                .filter_map(|m| presets::mood_named(m.value))
                .fold(100, |t, m| t * m.tempo_percent / 100);
            let bpm = (style.tempo * percent / 100).clamp(TEMPO_LIMITS.0, TEMPO_LIMITS.1);
            let origin = if piece.moods.is_empty() {
                preset.clone()
            } else {
                Origin::Preset("style and mood")
            };
            Sourced::new(bpm, origin)
        });
        let progression = piece.chords.as_ref().map(|(bars, _)| Progression {
            bars: bars
                .value
                .iter()
                .map(|bar| bar.iter().map(|c| chord_of(c.value, key.value)).collect())
                .collect(),
            origin: bars.origin.clone(),
        });
        if let Some((chords, _)) = &piece.chords {
            let most = meter.value.count as usize;
            if let Some(crowded) = chords.value.iter().find(|bar| bar.len() > most) {
                return Err(Diagnostic::at(
                    crowded[most].span,
                    format!("a bar of {} holds at most {most} chords", meter.value),
                    "one chord too many in this bar",
                )
                .hint("mark the bars with `|`, e.g. `chords D G | A D`"));
            }
        }
        let progression_bars = progression.as_ref().map_or(0, |p| p.bars.len() as u32);
        let bars = match piece.bars {
            Some(bars) => {
                if let (Some((chords, chord_span)), true) =
                    (&piece.chords, progression_bars > bars.value)
                {
                    let Origin::Line { span, .. } = bars.origin else {
                        unreachable!()
                    };
                    return Err(Diagnostic::at(*chord_span, format!("the chords fill {progression_bars} bars but the piece has {}", bars.value), "these chords")
                        .label(span, "the length is set here")
                        .hint(format!("shorten the progression or make the piece at least {progression_bars} bars ({})", chords.origin)));
                }
                bars
            }
            None if progression_bars > style.bars => Sourced::new(
                progression_bars,
                Origin::Default("the length of the chords".into()),
            ),
            None => Sourced::new(style.bars, preset.clone()),
        };

        let mut piece_rules: Vec<PitchRule> = scale_rule.into_iter().collect();
        for (set, _) in &piece.using_only {
            piece_rules.push(PitchRule {
                kind: PitchRuleKind::Only,
                set: set.value,
                origin: set.origin.clone(),
            });
        }
        for set in &piece.avoiding {
            piece_rules.push(PitchRule {
                kind: PitchRuleKind::Avoid,
                set: set.value,
                origin: set.origin.clone(),
            });
        }

        let mut parts = Vec::new();
        for role in PartRole::ALL {
            let clauses = self.parts.iter().find(|p| p.role == role);
            let style_program = match role {
                PartRole::Melody => Some(style.melody),
                PartRole::Chords => style.chords,
                PartRole::Bass => style.bass,
            };
            if clauses.is_some_and(|c| c.dropped.is_some())
                || (clauses.is_none() && style_program.is_none())
            {
                continue;
            }
            let program =
                clauses
                    .and_then(|c| c.program.clone())
                    .unwrap_or_else(|| match style_program {
                        Some(p) => Sourced::new(p, preset.clone()),
                        None => Sourced::new(
                            if role == PartRole::Bass { 33 } else { 25 },
                            Origin::Default("default instrument".into()),
                        ),
                    });
            let endpoint = |t: &Option<Sourced<Target>>| {
                t.as_ref()
                    .map(|t| Sourced::new(endpoint(t.value, key.value), t.origin.clone()))
            };
            let starts_on = clauses.and_then(|c| endpoint(&c.starts_on));
            let ends_on = clauses.and_then(|c| endpoint(&c.ends_on));
            let range = match clauses.and_then(|c| c.range.clone()) {
                Some(range) => range,
                None => Sourced::new(
                    default_range(role, key.value, [&starts_on, &ends_on]),
                    Origin::Default("default range".into()),
                ),
            };
            let mut pitch_rules = piece_rules.clone();
            if let Some(c) = clauses {
                pitch_rules.extend(c.using_only.iter().map(|(s, _)| PitchRule {
                    kind: PitchRuleKind::Only,
                    set: s.value,
                    origin: s.origin.clone(),
                }));
                pitch_rules.extend(c.avoiding.iter().map(|s| PitchRule {
                    kind: PitchRuleKind::Avoid,
                    set: s.value,
                    origin: s.origin.clone(),
                }));
            }
            parts.push(PartPlan {
                role,
                program,
                range,
                max_leap: clauses.and_then(|c| c.max_leap.clone()),
                mostly_stepwise: clauses.and_then(|c| c.mostly_stepwise.clone()),
                starts_on,
                ends_on,
                pitch_rules,
            });
        }

        Ok(Plan {
            title: piece.title.map(|t| t.value),
            seed: piece.seed.map(|s| s.value),
            style: Sourced::new(style, style_origin),
            moods: piece.moods,
            key,
            meter,
            bars,
            tempo,
            progression,
            parts,
        })
    }
}

/// The key: as written; else inferred from a pitch set or the first chord; else the preset's.
/// Also the scale rule it brings: the user's own for a written key, a default one otherwise
/// (never blamed for a conflict), and none for a pitch set no mode holds.
fn choose_key(
    piece: &PieceClauses,
    pitch_set: Option<&(Sourced<PitchSet>, Vec<NoteName>)>,
    style: &Style,
    minor_mood: &Option<(bool, Origin)>,
    preset: &Origin,
) -> (Sourced<Key>, Option<PitchRule>) {
    let mood_mode = |minor: bool| if minor { Mode::Minor } else { Mode::Major };
    let key = if let Some(k) = &piece.key {
        let (tonic, mode) = k.value;
        let mode = mode
            .or(minor_mood.as_ref().map(|(m, _)| mood_mode(*m)))
            .unwrap_or(Mode::Major);
        Sourced::new(Key::new(tonic, mode), k.origin.clone())
    } else if let Some((set, names)) = pitch_set {
        let line = match &set.origin {
            Origin::Line { line, .. } => *line,
            _ => 0,
        };
        let origin = Origin::Default(format!("inferred from the pitch set on line {line}"));
        match key::infer(set.value, names) {
            Some(key) => Sourced::new(key, origin),
            // No mode holds the set: name a key for the file, but bind nothing to it.
            None => return (Sourced::new(Key::new(names[0], Mode::Major), origin), None),
        }
    } else if let Some((chords, _)) = &piece.chords
        && let Some(ChordSpec::Symbol(first)) = chords
            .value
            .first()
            .and_then(|b| b.first())
            .map(|c| c.value)
    {
        let minor = first.tone_set().contains(first.root_class().transpose(3));
        let key = Key::new(first.root, mood_mode(minor));
        Sourced::new(key, Origin::Default("inferred from the first chord".into()))
    } else {
        let tonic = NoteName::new(style.tonic, 0);
        match minor_mood {
            Some((minor, origin)) => {
                Sourced::new(Key::new(tonic, mood_mode(*minor)), origin.clone())
            }
            None => Sourced::new(Key::new(tonic, style.mode), preset.clone()),
        }
    };
    let rule = PitchRule {
        kind: PitchRuleKind::Scale,
        set: key.value.scale(),
        origin: key.origin.clone(),
    };
    (key, Some(rule))
}

fn chord_of(spec: ChordSpec, key: Key) -> Chord {
    match spec {
        ChordSpec::Symbol(chord) => chord,
        ChordSpec::Numeral {
            degree,
            alter,
            quality,
        } => Chord::from_numeral(key, degree, alter, quality),
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

/// A comfortable register for the role around the key's tonic, widened to hold any pitch the
/// user fixed with an octave.
fn default_range(
    role: PartRole,
    key: Key,
    fixed: [&Option<Sourced<Endpoint>>; 2],
) -> (Pitch, Pitch) {
    let (low, high) = match role {
        PartRole::Melody => {
            // The tonic between A3 and G#4.
            let tonic = 57 + (key.tonic_class().index() + 3) % 12;
            (tonic - 3, tonic + 16)
        }
        PartRole::Chords => (52, 72),
        PartRole::Bass => (36, 55),
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

/// Words on a part line that name no instrument: a misspelled clause word, or an unknown name.
fn unknown_instrument(name: &str, words: &[Spanned<String>]) -> Diagnostic {
    const PART_WORDS: [&str; 9] = [
        "stepwise",
        "mostly stepwise",
        "range",
        "none",
        "program",
        "starts on",
        "ends on",
        "using only",
        "avoiding",
    ];
    let span = Span::new(words[0].span.start, words[words.len() - 1].span.end);
    if let Some(word) = suggest(name, PART_WORDS) {
        return Diagnostic::at(
            span,
            format!("unknown word `{name}`"),
            "not a word tunec knows",
        )
        .hint(format!("did you mean `{word}`?"));
    }
    let d = Diagnostic::at(
        span,
        format!("unknown instrument `{name}`"),
        "not an instrument tunec knows",
    );
    match suggest(name, instruments::names()) {
        Some(k) => d.hint(format!("did you mean `{k}`?")),
        None => d.hint("use a General MIDI name (`flute`, `acoustic bass`), a folk name (`fiddle`, `tin whistle`) or `program N`"),
    }
}

/// An error for a clause on the wrong kind of line.
fn misplaced(clause: &Clause, on_piece_line: bool) -> Diagnostic {
    if on_piece_line {
        Diagnostic::at(
            clause.span,
            "this clause belongs on a part line",
            "describes one part",
        )
        .hint("put it after a part name, e.g. `melody: range D4 to B5, stepwise`")
    } else {
        Diagnostic::at(
            clause.span,
            "this clause is about the whole piece",
            "not a part clause",
        )
        .hint("put it on a line without a part name, e.g. `folk tune in D major, 6/8`")
    }
}
