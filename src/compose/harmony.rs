//! Harmony: the user's chords bar by bar, or a progression sampled exactly over the key's
//! chords, section by section, with the style's habits and cadences at phrase and piece ends.

use rand::RngCore;

use super::Conflict;
use super::chain::Chain;
use super::restate::{self, RestatedBars};
use super::{melody, phrase};
use crate::models::{
    ChoraleModel, ChoralePlace, ChordPlace, MelodyModel, Restated, Restatements, chorale_model,
};
use crate::resolve::{
    ChordsForBass, Endpoint, HarmonicRhythm, Harmony, PHRASE_BARS, PartPlan, PartRole,
    PitchRuleKind, Plan, Section, Sourced, split_bar,
};
use crate::score::ChordSpan;
use crate::theory::cadence::numerals;
use crate::theory::{Chord, ChordQuality, Key, Mode, NoteName, Pitch, PitchClass, PitchSet};

/// The chord timeline of the whole piece: each section's chords composed once, repeats copied;
/// a bar the melody restates (`restated`, the piece's pattern) takes its source's chords.
pub fn harmony(
    plan: &Plan,
    restated: Option<&Restatements>,
    rng: &mut impl RngCore,
) -> Result<Vec<ChordSpan>, Conflict> {
    let mut written: Vec<(char, Vec<ChordSpan>)> = Vec::new();
    let mut spans = Vec::new();
    for section in &plan.sections {
        let letter = section.name.letter;
        let origin = plan.ticks_of(section).start;
        let relative = match written.iter().find(|(l, _)| *l == letter) {
            Some((_, spans)) => spans.clone(),
            None => {
                let s = match user_chords(plan, section) {
                    Some(spans) => spans,
                    None => {
                        let first = written.first().map(|(_, spans)| &spans[..]);
                        let restated = restate::restated_bars(plan, section, restated);
                        sample(plan, section, (restated, first), rng)?
                    }
                };
                let relative: Vec<ChordSpan> = s
                    .iter()
                    .map(|c| ChordSpan {
                        start: c.start - origin,
                        end: c.end - origin,
                        chord: c.chord,
                    })
                    .collect();
                written.push((letter, relative.clone()));
                relative
            }
        };
        spans.extend(relative.iter().map(|c| ChordSpan {
            start: c.start + origin,
            end: c.end + origin,
            chord: c.chord,
        }));
    }
    Ok(spans)
}

/// The section's chords as the user wrote them, if they did.
fn user_chords(plan: &Plan, section: &Section) -> Option<Vec<ChordSpan>> {
    let bar_ticks = plan.bar_ticks();
    let mut spans = Vec::new();
    for bar in section.start_bar..section.end_bar() {
        let chords = plan.user_bar(bar)?;
        let bar_end = (bar + 1) * bar_ticks;
        for (i, (start, chord)) in chords.iter().enumerate() {
            let end = chords.get(i + 1).map_or(bar_end, |(next, _)| *next);
            spans.push(ChordSpan {
                start: *start,
                end,
                chord: *chord,
            });
        }
    }
    Some(spans)
}

/// How the chain weighs moving from candidate chord `x` (at chord `i`) to `y` (at `i + 1`) by
/// the style's habits: a borrowed chord moves freely; the place of `y` is its metric strength,
/// or a cadence where it is held a bar or more (chords start at `starts`, the last ends at `end`).
pub(super) fn move_between(
    plan: &Plan,
    (habits, candidates): (&Habits, &[Candidate]),
    (starts, end): (&[u32], u32),
    i: usize,
    (x, y): (u8, u8),
) -> f64 {
    let (from, to) = (&candidates[x as usize], &candidates[y as usize]);
    if from.borrowed || to.borrowed {
        return 1.0;
    }
    let (meter, j) = (plan.meter.value, i + 1);
    let place = match *starts.get(j + 1).unwrap_or(&end) - starts[j] {
        held if held >= meter.bar_ticks() => ChoralePlace::Cadence,
        _ => ChoralePlace::Strength(meter.strength(starts[j] % meter.bar_ticks())),
    };
    habits.motion(from.degree, to.degree, place)
}

/// A chord of the key and its scale degree (1-based); `borrowed` when it lies outside the key,
/// drawn only where the bass's first or last note asks for it (`borrowed_for_bass_ends`).
#[derive(Clone, Copy)]
pub(super) struct Candidate {
    pub(super) degree: u8,
    pub(super) chord: Chord,
    pub(super) borrowed: bool,
}

/// The chord habits a section is drawn with: learned from the chords real melodies imply for
/// folk harmony in major and minor keys, hand-written for the others.
pub(super) enum Habits {
    Learned(&'static MelodyModel),
    /// How often each degree is used, and the weight of moving the root up 0–6 degrees.
    Written([f64; 7], [f64; 7]),
    /// Bach's chord a beat: the next chord given the last and the beat (models/chorale.tsv).
    Bach(&'static ChoraleModel),
}

impl Habits {
    pub(super) fn of(plan: &Plan) -> Habits {
        let learned = matches!(
            plan.key.value.mode.heptatonic(),
            Mode::Major | Mode::Minor | Mode::Aeolian | Mode::Dorian
        );
        match habit_in_key(plan) {
            Harmony::Folk | Harmony::Modal if learned => Habits::Learned(melody::model_of(plan)),
            Harmony::Chorale if plan.style.value.beat_chords => {
                Habits::Bach(chorale_model(plan.key.value.mode.is_minor()))
            }
            habit => {
                let (degrees, motion) = habits(habit);
                Habits::Written(degrees, motion)
            }
        }
    }

    /// The weight of the chord on `degree` (1–7) at a place in the strain.
    fn weight(&self, place: ChordPlace, degree: u8) -> f64 {
        match self {
            Habits::Learned(model) => model.chord_share(place, degree),
            Habits::Written(degrees, _) => degrees[degree as usize - 1],
            Habits::Bach(_) => 1.0,
        }
    }

    /// The weight of the chord on `to` following the chord on `from`, `to` falling at `place`.
    fn motion(&self, from: u8, to: u8, place: ChoralePlace) -> f64 {
        match self {
            Habits::Learned(model) => model.progression(from, to),
            Habits::Written(_, motion) => motion[((to + 7 - from) % 7) as usize],
            Habits::Bach(model) => model.progression(place, from, to),
        }
    }
}

/// The weight of a degree a habit does without.
const RARE: f64 = 1e-6;

/// How often each written habit uses each degree (I, ii, iii, IV, V, vi, VII), and the weight of
/// moving the root up by 0–6 scale degrees (3: up a fourth, as V→I).
fn habits(habit: Harmony) -> ([f64; 7], [f64; 7]) {
    match habit {
        Harmony::Folk | Harmony::Blues => (
            [3.0, 1.0, 0.5, 2.0, 2.5, 1.2, 1.2],
            [0.3, 1.5, 1.0, 3.0, 1.8, 1.0, 1.0],
        ),
        Harmony::Modal => (
            [3.0, 0.8, 1.5, 1.5, 1.0, 1.5, 2.5],
            [0.4, 1.5, 1.2, 1.8, 1.5, 1.5, 2.5],
        ),
        Harmony::Pop => (
            [3.0, 0.8, 0.5, 2.5, 2.5, 2.2, 0.4],
            [0.2, 2.0, 1.0, 2.5, 2.5, 2.0, 0.8],
        ),
        Harmony::Chorale | Harmony::Classical => (
            [3.0, 1.8, 0.8, 2.0, 2.5, 1.8, 0.6],
            [0.2, 1.5, 1.2, 3.5, 1.2, 1.5, 0.8],
        ),
        // The genres' habits (issue 16): `RARE` keeps a degree out of the style's vocabulary
        // unless the pitch rules leave nothing else (a preset never makes a prompt fail).
        Harmony::Rock => (
            [3.0, RARE, RARE, 2.5, 2.5, 2.0, 3.5],
            [0.3, 1.5, 1.5, 2.5, 2.5, 2.0, 1.0],
        ),
        Harmony::Jazz => (
            [2.5, 2.5, 1.2, 1.5, 2.5, 2.0, RARE],
            [0.2, 1.0, 1.0, 4.0, 1.0, 1.5, 1.0],
        ),
        Harmony::Vamp => (
            [10.0, 0.2, RARE, 1.5, 0.2, 0.2, 0.8],
            [3.0, 1.5, 0.5, 2.0, 2.0, 0.5, 1.0],
        ),
        Harmony::ThreeChord => (
            [3.0, RARE, RARE, 2.5, 2.5, RARE, RARE],
            [0.3, 1.0, 1.0, 3.0, 2.0, 1.0, 1.0],
        ),
        // i, III, VI and VII in minor: III–VII and VI–III are the loops' moves up a fifth
        // and down a third.
        Harmony::Epic => (
            [3.0, RARE, 2.0, RARE, RARE, 2.5, 2.5],
            [0.2, 1.5, 2.5, 1.0, 1.5, 2.5, 1.5],
        ),
        Harmony::Gospel => (
            [3.0, 1.2, 0.5, 3.0, 1.5, 1.5, RARE],
            [0.3, 1.2, 1.0, 3.0, 3.0, 1.5, 1.0],
        ),
    }
}

/// The triads on each degree of the key's seven-note mode, minus diminished and augmented ones;
/// with `sevenths`, each as the mode's seventh chord on that degree; with `ninths` too, each
/// dominant seventh whose major ninth is in the mode as its dominant ninth (E9 in E mixolydian).
fn diatonic(key: Key, sevenths: bool, ninths: bool) -> Vec<Candidate> {
    (1..=7u8)
        .filter_map(|degree| {
            let root = key.degree(degree);
            let third = root
                .pitch_class()
                .up_to(key.degree(degree + 2).pitch_class());
            let fifth = root
                .pitch_class()
                .up_to(key.degree(degree + 4).pitch_class());
            let seventh = root
                .pitch_class()
                .up_to(key.degree(degree + 6).pitch_class());
            let quality = match (third, fifth, sevenths.then_some(seventh)) {
                (4, 7, Some(11)) => ChordQuality::Major7,
                (4, 7, Some(10)) => ChordQuality::Dominant7,
                (3, 7, Some(10)) => ChordQuality::Minor7,
                (4, 7, _) => ChordQuality::Major,
                (3, 7, _) => ChordQuality::Minor,
                _ => return None,
            };
            let chord = Chord::new(root, quality);
            let ninth = key.scale().contains(root.pitch_class().transpose(2));
            let dominant = quality == ChordQuality::Dominant7;
            Some(Candidate {
                degree,
                borrowed: false,
                chord: if ninths && dominant && ninth {
                    chord.with_ninth()
                } else {
                    chord
                },
            })
        })
        .collect()
}

/// Where each chord of a section starts, from the harmonic rhythm.
pub(super) fn chord_starts(plan: &Plan, section: &Section) -> Vec<u32> {
    let meter = plan.meter.value;
    let bar_ticks = meter.bar_ticks();
    let bars = section.start_bar..section.end_bar();
    match plan.harmonic_rhythm.value {
        HarmonicRhythm::PerBar(n) => bars
            .flat_map(|bar| {
                // A style's chord a beat closes each phrase on one chord held through its bar.
                let closes = (bar + 1 - section.start_bar).is_multiple_of(PHRASE_BARS)
                    || bar + 1 == section.end_bar();
                let held = closes
                    && plan.style.value.beat_chords
                    && !plan.harmonic_rhythm.origin.is_user();
                split_bar(meter, if held { 1 } else { n as usize })
                    .into_iter()
                    .map(move |o| bar * bar_ticks + o)
            })
            .collect(),
        HarmonicRhythm::EveryBars(n) => bars
            .step_by(n as usize)
            .map(|bar| bar * bar_ticks)
            .collect(),
    }
}

/// A section's chords: tonic first if it opens the piece, the final cadence if it ends it, half
/// cadences at phrase ends and a close on the tonic at the section's end, drawn exactly by the
/// same chain as the melody.
fn sample(
    plan: &Plan,
    section: &Section,
    (restated, first): (Option<RestatedBars>, Option<&[ChordSpan]>),
    rng: &mut impl RngCore,
) -> Result<Vec<ChordSpan>, Conflict> {
    let habits = Habits::of(plan);
    let candidates = candidates(plan)?;
    let starts = chord_starts(plan, section);
    let ends_piece = plan.ends_with(section.name.letter);
    // The final cadence's chords, last first, where the pitch rules allow them.
    let cadence: Vec<u8> = plan.cadence.value.degrees().iter().rev().copied().collect();
    // A cadence the user asked for is hard: it holds, or the error names it.
    let user_cadence = ends_piece && plan.cadence.origin.is_user();
    if user_cadence {
        check_user_cadence(plan, &candidates, starts.len(), &cadence)?;
    }
    let weights = chord_weights(
        plan,
        section,
        (&candidates, &habits),
        &starts,
        (&cadence, ends_piece, user_cadence),
    );
    let end = plan.ticks_of(section).end;
    let transition = |i: usize, x: u8, y: u8| {
        move_between(plan, (&habits, &candidates), (&starts, end), i, (x, y))
    };
    let chain = Chain {
        domains: vec![(0..candidates.len() as u8).collect(); starts.len()],
        weights,
        transition: &transition,
        count: None,
        memory: None,
    };
    let mut picks = chain.sample(rng).ok_or_else(|| Conflict {
        role: None,
        origins: Vec::new(),
        reason: "no progression fits".into(),
    })?;
    // An answering phrase opens on its antecedent's chords (the cadence chords stay as drawn).
    let fixed_tail = if ends_piece { cadence.len() } else { 0 };
    // So are a habit's closing turn's (jazz's ii–V–I).
    let fixed_tail = fixed_tail.max(plan.harmony_habit.closing_turn().len());
    let free = starts.len().saturating_sub(fixed_tail);
    match restated {
        Some(restated) => {
            let drawn = (&starts[..free], &candidates[..]);
            restate_chords(plan, section, (&restated, first), drawn, &mut picks);
        }
        None => answer_phrases(
            plan,
            section,
            (&starts, &candidates),
            fixed_tail,
            &mut picks,
        ),
    }
    let end = plan.ticks_of(section).end;
    Ok(picks
        .into_iter()
        .enumerate()
        .map(|(i, c)| ChordSpan {
            start: starts[i],
            end: starts.get(i + 1).copied().unwrap_or(end),
            chord: candidates[c as usize].chord,
        })
        .collect())
}

/// The style's harmonic habit in this key: folk harmony in a minor or modal key is modal.
fn habit_in_key(plan: &Plan) -> Harmony {
    match (plan.harmony_habit, plan.key.value.mode.heptatonic()) {
        (
            Harmony::Folk,
            Mode::Dorian | Mode::Mixolydian | Mode::Aeolian | Mode::Minor | Mode::Phrygian,
        ) => Harmony::Modal,
        (habit, _) => habit,
    }
}

/// The parts that accompany the melody (neither the melody nor the drums).
fn accompaniment(plan: &Plan) -> Vec<&PartPlan> {
    plan.parts
        .iter()
        .filter(|p| !matches!(p.role, PartRole::Melody | PartRole::Drums))
        .collect()
}

/// The key's chords that suit the accompaniment (with none, the melody): their roots allowed,
/// and two of their tones, or failing that one.
pub(super) fn candidates(plan: &Plan) -> Result<Vec<Candidate>, Conflict> {
    let key = plan.key.value;
    let allowed = match accompaniment(plan).as_slice() {
        [] => plan.parts[0].allowed(None),
        parts => parts
            .iter()
            .fold(PitchSet::CHROMATIC, |set, p| set.intersect(p.allowed(None))),
    };
    let fits = |c: &Candidate, tones: u32, allowed: PitchSet| {
        allowed.contains(c.chord.root_class())
            && c.chord.tone_set().intersect(allowed).len() >= tones
    };
    let style = &plan.style.value;
    let mut all = diatonic(key, style.sevenths, style.ninths);
    if style.flat_seven && !all.iter().any(|c| c.degree == 7) {
        // Rock's borrowed bVII, where the pitch rules let the accompaniment sound it.
        let root = NoteName::spell_on(key.tonic.letter.shift(6), key.tonic_class().transpose(10));
        let chord = Chord::new(root, ChordQuality::Major);
        all.push(Candidate {
            degree: 7,
            chord,
            borrowed: false,
        });
    }
    // A chord no accompanying part can sound a tone of within its range is no chord for this
    // piece, whatever the seed (`bass: range C#2 to E2` holds no tone of F major).
    let voiceable: Vec<Candidate> = (all.iter().copied())
        .filter(|c| {
            accompaniment(plan)
                .iter()
                .all(|p| sounds_a_tone(p, c.chord))
        })
        .collect();
    if !voiceable.is_empty() {
        all = voiceable;
    }
    let mut candidates: Vec<Candidate> = (all.iter().copied())
        .filter(|c| fits(c, 2, allowed))
        .collect();
    if candidates.is_empty() {
        candidates = (all.iter().copied())
            .filter(|c| fits(c, 1, allowed))
            .collect();
    }
    // Chords sounding two allowed tones are a habit; a cadence the user asked for is not: its
    // chords join wherever a part can play them. With no part playing chords, they only guide
    // the melody, so every chord of the key may.
    let nobody_plays = accompaniment(plan).is_empty();
    let cadence = plan.cadence.value.degrees();
    for c in &all {
        let asked = plan.cadence.origin.is_user() && cadence.contains(&c.degree);
        let playable = nobody_plays || fits(c, 1, allowed);
        let missing = !candidates.iter().any(|d| d.degree == c.degree);
        if missing && ((asked && playable) || (nobody_plays && candidates.is_empty())) {
            candidates.push(*c);
        }
    }
    candidates.extend(borrowed_for_bass_ends(plan, &all));
    candidates.sort_by_key(|c| (c.degree, c.borrowed));
    if candidates.is_empty() {
        let players = match accompaniment(plan) {
            parts if parts.is_empty() => vec![&plan.parts[0]],
            parts => parts,
        };
        return Err(super::explain::no_chord(
            plan,
            &players,
            |key, allowed| {
                diatonic(key, false, false)
                    .iter()
                    .any(|c| fits(c, 1, allowed))
            },
            |allowed| {
                format!(
                    "no chord of {key} has its root among the allowed notes {}",
                    key.spell_set(allowed)
                )
            },
        ));
    }
    Ok(candidates)
}

/// The major chords on the bass's first and last notes that no chord of the key holds, when
/// the key is no line's and the opening and closing chords give way to the bass
/// (`Plan::bass_ends_in_chords`): `bass: ends on Bb2` in a ballad's C major ends on B♭ major.
/// A key the user wrote keeps its notes (DESIGN §2a), so it borrows none.
fn borrowed_for_bass_ends(plan: &Plan, all: &[Candidate]) -> Vec<Candidate> {
    let Some(bass) = plan
        .part(PartRole::Bass)
        .filter(|_| plan.bass_ends_in_chords)
    else {
        return Vec::new();
    };
    if plan.key.origin.is_user() {
        return Vec::new();
    }
    let key = plan.key.value;
    let mut borrowed: Vec<Candidate> = Vec::new();
    // A cadence the user asked for keeps the last chord.
    let last = bass
        .ends_on
        .as_ref()
        .filter(|_| !plan.cadence.origin.is_user());
    for end in bass.starts_on.iter().chain(last) {
        let class = end.value.class();
        let held = (all.iter()).any(|c| holds(c.chord, class, user_roots(bass)));
        if !end.origin.is_user() || held || borrowed.iter().any(|c| c.chord.root_class() == class) {
            continue;
        }
        let root = key.spell(class);
        let degree = (root.letter as u8 + 7 - key.tonic.letter as u8) % 7 + 1;
        let chord = Chord::new(root, ChordQuality::Major);
        borrowed.push(Candidate {
            degree,
            chord,
            borrowed: true,
        });
    }
    borrowed
}

/// Whether `chord` is one borrowed for the bass's first or last note (`borrowed_for_bass_ends`):
/// its root outside a key no line wrote. The parts that sound it let that key's scale go there.
pub fn borrowed_for_bass(plan: &Plan, chord: Chord) -> bool {
    plan.bass_ends_in_chords
        && !plan.key.origin.is_user()
        && !plan.key.value.scale().contains(chord.root_class())
}

/// Whether `part` may play a tone of `chord` somewhere in its range (a section's own range
/// aside), under its pitch rules.
fn sounds_a_tone(part: &PartPlan, chord: Chord) -> bool {
    let (low, high) = part.range.value;
    let in_range = PitchSet::of((low.0..=high.0).map(|p| Pitch(p).class()));
    !(in_range.intersect(part.allowed(None)))
        .intersect(chord.tone_set())
        .is_empty()
}

/// A cadence the user asked for needs room for its `n` chords and each of them among the
/// `candidates`; otherwise the error names the cadence and the pitch rules that narrow it.
pub(super) fn check_user_cadence(
    plan: &Plan,
    candidates: &[Candidate],
    n: usize,
    cadence: &[u8],
) -> Result<(), Conflict> {
    let has = |degree: u8| candidates.iter().any(|c| c.degree == degree);
    if n >= cadence.len() && cadence.iter().all(|d| has(*d)) {
        return Ok(());
    }
    let mut origins = vec![plan.cadence.origin.clone()];
    for rule in accompaniment(plan).iter().flat_map(|p| &p.pitch_rules) {
        let narrows = rule.kind != PitchRuleKind::Scale;
        if narrows && rule.origin.is_user() && !origins.contains(&rule.origin) {
            origins.push(rule.origin.clone());
        }
    }
    let needs = numerals(plan.cadence.value.degrees());
    let reason = if n < cadence.len() {
        format!("the piece has {n} chord, too few for a cadence of {needs}")
    } else {
        format!(
            "the cadence needs {}, and the pitch rules leave no such chord",
            needs.replace(' ', " then ")
        )
    };
    Err(Conflict {
        role: None,
        origins,
        reason,
    })
}

/// Each chord's weight per candidate: the cadence where it is due (binding when the user asked
/// for it), the tonic to open the piece, else the habit's, leaning to a close on I (or V) at
/// the section's end and on V at phrase ends.
pub(super) fn chord_weights(
    plan: &Plan,
    section: &Section,
    (candidates, habits): (&[Candidate], &Habits),
    starts: &[u32],
    (cadence, ends_piece, user_cadence): (&[u8], bool, bool),
) -> Vec<Vec<f64>> {
    let has = |degree: u8| candidates.iter().any(|c| c.degree == degree);
    let n = starts.len();
    let bar_ticks = plan.bar_ticks();
    let opens_piece = section.start_bar == 0;
    (0..n)
        .map(|i| {
            let from_end = n - 1 - i;
            let bar = (starts[i] / bar_ticks - section.start_bar) as usize;
            let phrase_end = (bar + 1).is_multiple_of(PHRASE_BARS as usize)
                && starts
                    .get(i + 1)
                    .is_none_or(|s| s / bar_ticks != starts[i] / bar_ticks);
            candidates
                .iter()
                .map(|c| {
                    let ends = (i == 0 && opens_piece, from_end == 0 && ends_piece);
                    if c.borrowed {
                        return bass_end_weight(plan, candidates, c, ends).unwrap_or(0.0);
                    }
                    let wanted = cadence.get(from_end).filter(|d| ends_piece && has(**d));
                    if let (Some(&wanted), true) = (wanted, user_cadence) {
                        return f64::from(u8::from(c.degree == wanted));
                    }
                    if let Some(w) = bass_end_weight(plan, candidates, c, ends) {
                        return w;
                    }
                    if i == 0 && opens_piece && has(1) {
                        return due(plan, c.degree == 1);
                    }
                    if let Some(&wanted) = wanted {
                        return due(plan, c.degree == wanted);
                    }
                    // A habit's closing turn (jazz's ii–V–I), where its chords are there.
                    let turn = plan.harmony_habit.closing_turn();
                    if let Some(&wanted) = turn.get(from_end).filter(|d| has(**d)) {
                        return due(plan, c.degree == wanted);
                    }
                    let place = match (from_end, phrase_end) {
                        (0, _) => ChordPlace::End,
                        (_, true) => ChordPlace::Half,
                        _ => ChordPlace::Body,
                    };
                    habits.weight(place, c.degree) * lean(habits, from_end, phrase_end, c.degree)
                })
                .collect()
        })
        .collect()
}

/// The weight of a chord where a preset asks for one (the opening tonic, the style's cadence,
/// a closing turn): 1 for the chord asked for, 0 for any other, unless the chords give way to
/// the bass's line (`ChordsForBass::Freed`): then the others only weigh little.
fn due(plan: &Plan, asked: bool) -> f64 {
    match (asked, plan.chords_for_bass) {
        (true, _) => 1.0,
        (false, ChordsForBass::Freed) => 1e-3,
        (false, _) => 0.0,
    }
}

/// Whether chords holding the bass's first or last note would replace the opening tonic or the
/// closing chord (`Plan::with_bass_ends_in_chords`): a note the user wrote that the one it
/// falls on lacks and some chord of the key holds (else trying again changes nothing).
pub fn bass_ends_would_move(plan: &Plan) -> bool {
    let Some(bass) = plan.part(PartRole::Bass) else {
        return false;
    };
    let style = &plan.style.value;
    let chords = diatonic(plan.key.value, style.sevenths, style.ninths);
    let roots = user_roots(bass);
    let on = |degree: u8, class| {
        (chords.iter().find(|c| c.degree == degree)).is_some_and(|c| holds(c.chord, class, roots))
    };
    let closing = plan.cadence.value.degrees().last().copied().unwrap_or(1);
    let moves = |end: Option<&Sourced<Endpoint>>, degree: u8| {
        end.is_some_and(|e| {
            let class = e.value.class();
            // A note no chord of the key holds is a borrowed chord's root, in a key no line wrote.
            let held =
                chords.iter().any(|c| holds(c.chord, class, roots)) || !plan.key.origin.is_user();
            e.origin.is_user() && held && !on(degree, class)
        })
    };
    let closes = !plan.cadence.origin.is_user() && moves(bass.ends_on.as_ref(), closing);
    moves(bass.starts_on.as_ref(), 1) || closes
}

/// Whether the user wrote the bass's pattern, which keeps its roots at chord changes.
fn user_roots(bass: &PartPlan) -> bool {
    bass.pattern.as_ref().is_some_and(|p| p.origin.is_user())
}

/// Whether `chord` holds `class` for the bass: as its root when the bass keeps its roots.
fn holds(chord: Chord, class: PitchClass, roots: bool) -> bool {
    match roots {
        true => chord.root_class() == class,
        false => chord.tone_set().contains(class),
    }
}

/// Where the piece opens or closes (`ends`: first, last) under the bass's first or last note,
/// when `Plan::bass_ends_in_chords`: 1 for a chord holding it (as its root where a chord of the
/// key has it as root), else 0. `None` elsewhere.
fn bass_end_weight(
    plan: &Plan,
    candidates: &[Candidate],
    c: &Candidate,
    (first, last): (bool, bool),
) -> Option<f64> {
    let bass = plan
        .part(PartRole::Bass)
        .filter(|_| plan.bass_ends_in_chords)?;
    let at_first = bass.starts_on.as_ref().filter(|_| first);
    let at_last = bass.ends_on.as_ref().filter(|_| last);
    let mut ends = at_first.into_iter().chain(at_last).peekable();
    ends.peek()?;
    let holds = |class: PitchClass| match candidates.iter().any(|d| d.chord.root_class() == class) {
        true => c.chord.root_class() == class,
        false => c.chord.tone_set().contains(class),
    };
    Some(f64::from(u8::from(ends.all(|e| holds(e.value.class())))))
}

/// A strain closes on I, or half-closes on V, almost always; written habits lean to V at
/// phrase ends and before the close, learned ones know where V falls.
fn lean(habits: &Habits, from_end: usize, phrase_end: bool, degree: u8) -> f64 {
    let learned = matches!(habits, Habits::Learned(_));
    // A habit with little use for V (a vamp, the minor loops) does not lean to it.
    let without_v = matches!(habits, Habits::Written(d, _) if d[4] < 1.0);
    match (from_end, phrase_end, degree) {
        _ if without_v => 1.0,
        (0, _, 1) if !learned => 4.0,
        (0, _, 5) if !learned => 2.0,
        (0, _, 1 | 5) => 1.0,
        (0, _, _) => 0.02,
        _ if learned => 1.0,
        (1, _, 5) => 3.0,
        (_, true, 5) => 4.0,
        _ => 1.0,
    }
}

/// Each restated bar takes its source's chords, chord by chord where they change at the same
/// places (`first`: the first section's chords, relative to its start). The chords drawn start
/// at `starts` (the final cadence's left out) and `picks` index `candidates`.
fn restate_chords(
    plan: &Plan,
    section: &Section,
    (restated, first): (&RestatedBars, Option<&[ChordSpan]>),
    (starts, candidates): (&[u32], &[Candidate]),
    picks: &mut [u8],
) {
    let bar_ticks = plan.bar_ticks();
    let origin = plan.ticks_of(section).start;
    for i in 0..starts.len() {
        let (bar, offset) = (
            (starts[i] - origin) / bar_ticks,
            (starts[i] - origin) % bar_ticks,
        );
        let picked = match restated.get(bar as usize).copied().flatten() {
            Some(Restated::Own(from)) => {
                let at = origin + from * bar_ticks + offset;
                starts.iter().position(|s| *s == at).map(|j| picks[j])
            }
            Some(Restated::First(from)) => first
                .and_then(|spans| spans.iter().find(|c| c.start == from * bar_ticks + offset))
                .and_then(|c| candidates.iter().position(|k| k.chord == c.chord))
                .map(|k| k as u8),
            None => None,
        };
        if let Some(pick) = picked.filter(|p| !candidates[*p as usize].borrowed) {
            picks[i] = pick;
        }
    }
}

/// An answering phrase's opening bars take the chords of its antecedent's, except the last
/// `fixed_tail` chords (the final cadence).
fn answer_phrases(
    plan: &Plan,
    section: &Section,
    (starts, candidates): (&[u32], &[Candidate]),
    fixed_tail: usize,
    picks: &mut [u8],
) {
    let bar_ticks = plan.bar_ticks();
    let n = starts.len();
    for (a, c) in phrase::phrase_pairs(section.bars) {
        let shift = (c - a) * bar_ticks;
        let from = plan.ticks_of(section).start + c * bar_ticks;
        let motif = |t: u32| (from..from + phrase::MOTIF_BARS * bar_ticks).contains(&t);
        for i in (0..n.saturating_sub(fixed_tail)).filter(|i| motif(starts[*i])) {
            let source = starts.iter().position(|s| *s + shift == starts[i]);
            // A borrowed chord stays where the bass's first or last note asked for it.
            if let Some(j) = source.filter(|j| !candidates[picks[*j] as usize].borrowed) {
                picks[i] = picks[j];
            }
        }
    }
}
