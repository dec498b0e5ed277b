//! The Plan: a fully concrete description of the piece, every setting tagged with where it came from.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use crate::diagnostic::Span;
use crate::theory::{Chord, Key, Meter, Pitch, PitchClass, PitchSet};

pub use crate::parts::{Contour, Density, PartRole};
use crate::presets::{Feel, Groove, Harmony, Pattern, Style, Swing};
pub use crate::syntax::{Cadence, HarmonicRhythm, SectionName};

/// Bars per phrase: a phrase ends on a long note and swells towards its middle, `mostly
/// stepwise` is counted phrase by phrase, and a varied repeat renews its last phrase.
pub const PHRASE_BARS: u32 = 4;

/// What `mostly stepwise` asks of a line: at least 70% of its melodic intervals are steps of at
/// most 2 semitones (a repeated note counts as a step).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MostlyStepwise;

impl MostlyStepwise {
    /// The least share of steps, in percent.
    pub const PERCENT: usize = 70;
    /// The largest interval that is still a step, in semitones.
    pub const LARGEST_STEP: u8 = 2;

    /// Whether an interval of `semitones` is a step.
    pub fn is_step(semitones: u8) -> bool {
        semitones <= Self::LARGEST_STEP
    }

    /// How many of `intervals` intervals must be steps.
    pub fn required_steps(intervals: usize) -> usize {
        (intervals * Self::PERCENT).div_ceil(100)
    }

    /// Whether `steps` steps among `intervals` intervals are enough.
    pub fn holds(steps: usize, intervals: usize) -> bool {
        steps >= Self::required_steps(intervals)
    }

    /// The rule in a line of text: `≥ 70% of intervals ≤ 2 semitones`.
    pub fn meaning() -> String {
        format!(
            "≥ {}% of intervals ≤ {} semitones",
            Self::PERCENT,
            Self::LARGEST_STEP
        )
    }
}

/// Where a setting or constraint came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A clause the user wrote: its span, 1-based line number and text.
    Line {
        span: Span,
        line: usize,
        text: String,
    },
    /// A style or mood preset.
    Preset(&'static str),
    /// tunec's own default, or something it inferred; the text says which.
    Default(String),
}

impl Origin {
    pub fn is_user(&self) -> bool {
        matches!(self, Origin::Line { .. })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Line { line, text, .. } => write!(f, "line {line}: \"{text}\""),
            Origin::Preset(name) => write!(f, "preset {name}"),
            Origin::Default(why) => f.write_str(why),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Sourced<T> {
    pub fn new(value: T, origin: Origin) -> Sourced<T> {
        Sourced { value, origin }
    }
}

/// A drum part's hits: rows of (General MIDI percussion key, one velocity per step, 0 = rest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drumming {
    Groove(Groove),
    Grid(Vec<(u8, Vec<u8>)>),
}

/// The note a `starts on` / `ends on` clause asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Class(PitchClass),
    Pitch(Pitch),
}

impl Endpoint {
    /// `D` or `D5`, spelled in `key`.
    pub fn name(self, key: Key) -> String {
        match self {
            Endpoint::Class(pc) => key.spell(pc).to_string(),
            Endpoint::Pitch(p) => key.name_pitch(p),
        }
    }

    /// The pitch class asked for.
    pub fn class(self) -> PitchClass {
        match self {
            Endpoint::Class(pc) => pc,
            Endpoint::Pitch(p) => p.class(),
        }
    }

    pub fn admits(self, pitch: Pitch) -> bool {
        match self {
            Endpoint::Class(pc) => pitch.class() == pc,
            Endpoint::Pitch(p) => pitch == p,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PitchRuleKind {
    /// `using only`: every note's class is in the set.
    Only,
    /// `avoiding`: no note's class is in the set.
    Avoid,
    /// `in K mode`: notes stay in the scale, except tones of a chord the user wrote.
    Scale,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PitchRule {
    pub kind: PitchRuleKind,
    pub set: PitchSet,
    pub origin: Origin,
}

impl PitchRule {
    /// Whether this is tunec's default rather than the user's word: the scale of a key the user
    /// did not write. It binds every note, except in a line no music could satisfy with it
    /// (an explicit clause always wins): there it gives way (see [`GaveWay`]).
    pub fn is_default_key(&self) -> bool {
        self.kind == PitchRuleKind::Scale && !self.origin.is_user()
    }

    /// The classes this rule allows while `user_chord` (if any) sounds.
    pub fn allows(&self, user_chord: Option<Chord>) -> PitchSet {
        match self.kind {
            PitchRuleKind::Only => self.set,
            PitchRuleKind::Avoid => PitchSet::CHROMATIC.minus(self.set),
            PitchRuleKind::Scale => self
                .set
                .union(user_chord.map_or(PitchSet::EMPTY, Chord::tone_set)),
        }
    }
}

/// Everything one part must and should do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartPlan {
    pub role: PartRole,
    pub program: Sourced<u8>,
    /// Instruments playing the same line, each on a track and channel of its own
    /// (`melody: violin and flute`).
    pub doubled_by: Vec<Sourced<u8>>,
    pub range: Sourced<(Pitch, Pitch)>,
    /// Largest melodic interval in semitones (`stepwise` is 2).
    pub max_leap: Option<Sourced<u8>>,
    /// `mostly stepwise` (see [`MostlyStepwise`]).
    pub mostly_stepwise: Option<Origin>,
    pub starts_on: Option<Sourced<Endpoint>>,
    pub ends_on: Option<Sourced<Endpoint>>,
    pub pitch_rules: Vec<PitchRule>,
    /// The only note lengths allowed, in ticks (`rhythm …`).
    pub durations: Option<Sourced<Vec<u32>>>,
    /// Loudness, 1 (`ppp`) to 8 (`fff`).
    pub dynamics: Sourced<u8>,
    pub pattern: Option<Sourced<Pattern>>,
    pub drumming: Option<Sourced<Drumming>>,
    pub density: Sourced<Density>,
    pub contour: Option<Sourced<Contour>>,
    /// Ranges that replace `range` within a section (`section B melody: range A4 to D6`).
    pub section_ranges: Vec<(char, Sourced<(Pitch, Pitch)>)>,
    /// A bass takes its chord's root at each chord change where its pitch rules and range
    /// hold one: a habit, false once it gave way ([`GaveWay::BassRoots`]).
    pub roots_at_changes: bool,
}

impl PartPlan {
    /// Pitch classes this part may use while `user_chord` sounds.
    pub fn allowed(&self, user_chord: Option<Chord>) -> PitchSet {
        self.pitch_rules
            .iter()
            .fold(PitchSet::CHROMATIC, |set, rule| {
                set.intersect(rule.allows(user_chord))
            })
    }

    /// Every user clause this part's hard constraints came from, in source order, deduplicated.
    pub fn user_origins(&self) -> Vec<Origin> {
        let mut origins: Vec<Origin> = self
            .pitch_rules
            .iter()
            .map(|r| &r.origin)
            .chain([&self.range.origin])
            .chain(self.section_ranges.iter().map(|(_, r)| &r.origin))
            .chain(self.durations.iter().map(|d| &d.origin))
            .chain(self.max_leap.iter().map(|m| &m.origin))
            .chain(self.mostly_stepwise.iter())
            .chain(self.starts_on.iter().map(|s| &s.origin))
            .chain(self.ends_on.iter().map(|s| &s.origin))
            .filter(|o| o.is_user())
            .cloned()
            .collect();
        origins.sort_by_key(|o| match o {
            Origin::Line { span, .. } => *span,
            _ => Span::default(),
        });
        origins.dedup();
        origins
    }

    /// This part with every hard constraint from a user clause outside `keep` removed.
    pub fn relaxed(&self, keep: &[Origin]) -> PartPlan {
        let kept = |o: &Origin| !o.is_user() || keep.contains(o);
        let mut part = self.clone();
        part.pitch_rules.retain(|r| kept(&r.origin));
        if !kept(&part.range.origin) {
            part.range = Sourced::new((Pitch(21), Pitch(108)), Origin::Default("relaxed".into()));
        }
        part.section_ranges.retain(|(_, r)| kept(&r.origin));
        part.max_leap = part.max_leap.filter(|m| kept(&m.origin));
        part.mostly_stepwise = part.mostly_stepwise.filter(kept);
        part.starts_on = part.starts_on.filter(|s| kept(&s.origin));
        part.ends_on = part.ends_on.filter(|s| kept(&s.origin));
        part
    }
}

impl PartPlan {
    /// The scale of a key the user did not write, if it binds this part.
    pub fn default_key(&self) -> Option<&PitchRule> {
        self.pitch_rules.iter().find(|r| r.is_default_key())
    }

    /// This part without the scale of a key the user did not write.
    pub fn without_default_key(&self) -> PartPlan {
        let mut free = self.clone();
        free.pitch_rules.retain(|r| !r.is_default_key());
        free
    }

    /// This part with its default range given way to the whole keyboard (a range the user
    /// wrote stays).
    pub fn without_default_range(&self) -> PartPlan {
        let mut free = self.clone();
        if !free.range.origin.is_user() {
            free.range = Sourced::new(
                (Pitch(21), Pitch(108)),
                Origin::Default(RANGE_GAVE_WAY.into()),
            );
        }
        free
    }

    /// The part's range in section `letter`.
    pub fn range_in(&self, letter: char) -> (Pitch, Pitch) {
        self.section_ranges
            .iter()
            .find(|(l, _)| *l == letter)
            .map_or(self.range.value, |(_, r)| r.value)
    }
}

/// A default of the Plan that composing let go of, because no music kept it together with
/// the clauses the user wrote. Compose never writes the Plan: it records these on the Score,
/// and the verifier and `--emit plan` read the Plan through [`Plan::as_composed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GaveWay {
    /// The scale of a key the user did not write, in one line part.
    DefaultKey(PartRole),
    /// A part's default range, which the whole keyboard replaced.
    DefaultRange(PartRole),
    /// The note lengths a style holds a part to (ambient's long notes), which any length
    /// replaced.
    StyleLengths(PartRole),
    /// A style's form, which one section over every bar replaced (`Plan::in_one_section`).
    StyleForm,
    /// The bass's roots at chord changes, which any chord tone replaced.
    BassRoots,
    /// The style's opening tonic and closing cadence, which chords holding the bass's first
    /// and last notes replaced (`Plan::with_bass_ends_in_chords`).
    BassEndChords,
    /// The style's chords, which chords drawn together with the bass's line replaced
    /// (`Plan::with_chords_for_bass`).
    ChordsForBass,
    /// The bass's pattern (a style's), which a walking line replaced: passing notes between
    /// the chord tones, where the chords drawn with its line still leave it none.
    BassWalks,
    /// The style's harmonic rhythm, which a chord a beat replaced, likewise.
    ChordEveryBeat,
}

/// How the style's chords make room for a bass whose leap limit the user wrote
/// ([`GaveWay::ChordsForBass`]): drawn before the bass (`Before`, the default), drawn together
/// with its line (`Joined`), or so with the opening tonic, the style's cadence and closing
/// turn only much preferred, no longer binding (`Freed`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChordsForBass {
    #[default]
    Before,
    Joined,
    Freed,
}

impl GaveWay {
    /// The defaults a line part may let go of after its key's scale, in the order they are
    /// let go of: the style's lengths, then the default range (a part already without one is
    /// skipped).
    pub fn after_key(part: &PartPlan) -> Vec<GaveWay> {
        let lengths = part.durations.as_ref().is_some_and(|d| !d.origin.is_user());
        let range = !part.range.origin.is_user();
        [
            lengths.then_some(GaveWay::StyleLengths(part.role)),
            range.then_some(GaveWay::DefaultRange(part.role)),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Whether `part`'s roots at chord changes may give way: a bass's, unless the user wrote
    /// its pattern (`bass: roots`), which makes them the user's; and only where the user wrote
    /// what roots can stand in the way of (a leap limit, `mostly stepwise`, a first or last
    /// note: a range or a pitch set without a root already leaves the other chord tones).
    pub fn roots_may_give_way(part: &PartPlan) -> bool {
        let user = |o: Option<&Origin>| o.is_some_and(Origin::is_user);
        let bound = user(part.max_leap.as_ref().map(|m| &m.origin))
            || user(part.mostly_stepwise.as_ref())
            || user(part.starts_on.as_ref().map(|s| &s.origin))
            || user(part.ends_on.as_ref().map(|e| &e.origin));
        part.role == PartRole::Bass
            && part.roots_at_changes
            && bound
            && part.pattern.as_ref().is_none_or(|p| !p.origin.is_user())
    }

    /// `part` without this default (unchanged when it is another part's).
    pub fn apply(self, part: &PartPlan) -> PartPlan {
        match self {
            GaveWay::DefaultKey(role) if role == part.role => part.without_default_key(),
            GaveWay::DefaultRange(role) if role == part.role => part.without_default_range(),
            GaveWay::StyleLengths(role) if role == part.role => PartPlan {
                durations: part.durations.clone().filter(|d| d.origin.is_user()),
                ..part.clone()
            },
            GaveWay::BassRoots if part.role == PartRole::Bass => PartPlan {
                roots_at_changes: false,
                ..part.clone()
            },
            GaveWay::BassWalks if part.role == PartRole::Bass => PartPlan {
                pattern: Some(Sourced::new(
                    Pattern::Walking,
                    Origin::Default(WALKS.into()),
                )),
                ..part.clone()
            },
            _ => part.clone(),
        }
    }
}

impl fmt::Display for GaveWay {
    /// `the melody's default key gave way` — a note in the plan, never an error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GaveWay::DefaultKey(role) => {
                write!(
                    f,
                    "the {}: the scale of the key no line wrote gave way",
                    role.name()
                )
            }
            GaveWay::DefaultRange(role) => {
                write!(
                    f,
                    "the {}: its default range gave way to the keyboard",
                    role.name()
                )
            }
            GaveWay::StyleLengths(role) => {
                write!(f, "the {}: the style's note lengths gave way", role.name())
            }
            GaveWay::StyleForm => write!(f, "the style's form gave way to one section"),
            GaveWay::BassEndChords => write!(
                f,
                "the harmony: the opening tonic and the closing cadence gave way to chords \
                 holding the bass's first and last notes"
            ),
            GaveWay::BassWalks => write!(f, "the bass: its pattern gave way to a walking line"),
            GaveWay::ChordEveryBeat => write!(
                f,
                "the harmony: its rhythm gave way to a chord a beat, for the bass's line"
            ),
            GaveWay::ChordsForBass => write!(
                f,
                "the harmony: the style's chords gave way to chords drawn with the bass's line"
            ),
            GaveWay::BassRoots => {
                write!(
                    f,
                    "the bass: its roots at chord changes gave way to any chord tone"
                )
            }
        }
    }
}

/// The origin of a default range that gave way ([`GaveWay::DefaultRange`]).
pub const RANGE_GAVE_WAY: &str = "the default range gave way";

/// The origin of a bass pattern that gave way ([`GaveWay::BassWalks`]).
const WALKS: &str = "the style's bass pattern gave way to the bass's line";

/// One section of the form, as it is played: `A`, `A` again, `B`, `A'`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    pub name: SectionName,
    pub start_bar: u32,
    pub bars: u32,
}

impl Section {
    /// The bar just after the section (0-based), where the next one starts.
    pub fn end_bar(&self) -> u32 {
        self.start_bar + self.bars
    }

    /// The bars a varied repeat (`A'`) composes anew: its last phrase, or its second half when
    /// it is no longer than a phrase.
    pub fn renewed_bars(&self) -> u32 {
        if self.bars > PHRASE_BARS {
            PHRASE_BARS
        } else {
            self.bars.div_ceil(2)
        }
    }

    /// The bars a varied repeat keeps note for note from the section it repeats.
    pub fn kept_bars(&self) -> u32 {
        self.bars - self.renewed_bars()
    }
}

/// What one section letter says for itself (`section B: …`), or what its name brings by
/// habit (a chorus a step louder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionRules {
    pub letter: char,
    pub progression: Option<Progression>,
    /// Steps of loudness relative to the piece (`louder` +1, `softer` -1, or a dynamic mark).
    pub dynamics: Option<Sourced<i8>>,
    /// The section's own key (`section chorus: in E major`, `section bridge: in E minor`): its
    /// scale is the piece's, moved.
    pub key: Option<Sourced<Key>>,
    /// The section's own tempo (`section bridge: 80 bpm`).
    pub tempo: Option<Sourced<u32>>,
    /// The section's own meter (`section bridge: 3/4`).
    pub meter: Option<Sourced<Meter>>,
    /// `crescendo` (+1) or `diminuendo` (−1): a step of loudness gained or lost over the
    /// section, from its first bar to its last.
    pub hairpin: Option<Sourced<i8>>,
}

impl SectionRules {
    /// A letter's rules with nothing said yet.
    pub fn of(letter: char) -> SectionRules {
        SectionRules {
            letter,
            progression: None,
            dynamics: None,
            key: None,
            tempo: None,
            meter: None,
            hairpin: None,
        }
    }
}

/// A section played in another key than the piece's: composed in the piece's key and played
/// `shift` semitones away, so a chorus sounds the same each time, only higher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Modulation {
    /// The section's place in the form (an index of `Plan::sections`).
    pub section: usize,
    pub key: Sourced<Key>,
    /// Semitones from the piece's key, from −6 to +6 (`the last chorus goes up a step`: 2).
    pub shift: i8,
}

/// The chords the user wrote, bar by bar; it repeats to fill the piece.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progression {
    pub bars: Vec<Vec<Chord>>,
    pub origin: Origin,
}

/// The resolved piece: what compose samples and check verifies.
#[derive(Clone, Debug)]
pub struct Plan {
    pub title: Option<String>,
    pub seed: Option<u64>,
    /// The seed the key was drawn for, when the lines left it to tunec and the style has
    /// learned keys (a `jig`: one of the keys real jigs are in); composing with another seed
    /// resolves the program again.
    pub key_drawn_for: Option<u64>,
    pub style: Sourced<&'static Style>,
    pub moods: Vec<Sourced<&'static str>>,
    pub key: Sourced<Key>,
    pub meter: Sourced<Meter>,
    pub bars: Sourced<u32>,
    pub tempo: Sourced<u32>,
    pub progression: Option<Progression>,
    pub parts: Vec<PartPlan>,
    /// The form as played, covering every bar once.
    pub sections: Vec<Section>,
    pub form_origin: Origin,
    pub section_rules: Vec<SectionRules>,
    /// The sections played in another key, in form order.
    pub modulations: Vec<Modulation>,
    pub harmonic_rhythm: Sourced<HarmonicRhythm>,
    pub cadence: Sourced<Cadence>,
    /// Which notes play long-short, and who asked.
    pub swing: Option<Sourced<Swing>>,
    pub feel: Feel,
    pub harmony_habit: Harmony,
    /// Parts dropped by `solo`.
    pub solo: Option<Origin>,
    /// The opening and closing chords are drawn to hold the bass's first and last notes: set
    /// only when the style's opening tonic and cadence left the bass no line
    /// ([`GaveWay::BassEndChords`]).
    pub bass_ends_in_chords: bool,
    /// Whether the chords are drawn with the bass's line: set only when the chords drawn
    /// first left the bass no line ([`GaveWay::ChordsForBass`]).
    pub chords_for_bass: ChordsForBass,
    /// The program in canonical clauses, as tunec read it (`--emit tune`).
    pub canonical: String,
}

impl Plan {
    pub fn part(&self, role: PartRole) -> Option<&PartPlan> {
        self.parts.iter().find(|p| p.role == role)
    }

    /// The Plan as the music kept it: without the defaults that gave way. Only defaults can
    /// give way, so every clause the user wrote is still here.
    pub fn as_composed(&self, gave_way: &[GaveWay]) -> Cow<'_, Plan> {
        if gave_way.is_empty() {
            return Cow::Borrowed(self);
        }
        let mut plan = match gave_way.contains(&GaveWay::StyleForm) {
            true => self.in_one_section().unwrap_or_else(|| self.clone()),
            false => self.clone(),
        };
        if gave_way.contains(&GaveWay::ChordsForBass) {
            plan = plan.without_style_chords();
        }
        if gave_way.contains(&GaveWay::ChordEveryBeat) {
            let beats = plan.meter.value.beats_per_bar().min(u8::MAX as u32) as u8;
            let every = Origin::Default("the style's harmonic rhythm gave way".into());
            plan.harmonic_rhythm = Sourced::new(HarmonicRhythm::PerBar(beats), every);
        }
        for part in &mut plan.parts {
            *part = gave_way.iter().fold(part.clone(), |p, way| way.apply(&p));
        }
        Cow::Owned(plan)
    }

    /// This plan with its opening and closing chords drawn to hold the bass's first and last
    /// notes, when the user wrote either (`bass: starts on E2` in D major: the tonic holds no E).
    pub fn with_bass_ends_in_chords(&self) -> Option<Plan> {
        let bass = self.part(PartRole::Bass)?;
        let user = |e: &Option<Sourced<Endpoint>>| e.as_ref().is_some_and(|e| e.origin.is_user());
        let ends = user(&bass.starts_on) || user(&bass.ends_on);
        (ends && !self.bass_ends_in_chords).then(|| Plan {
            bass_ends_in_chords: true,
            ..self.clone()
        })
    }

    /// This plan with its chords drawn together with the bass's line (`mode`), when the user
    /// wrote the bass's leap limit and no chord; the opening and closing chords hold the
    /// bass's first and last notes where the user wrote them.
    pub fn with_chords_for_bass(&self, mode: ChordsForBass) -> Option<Plan> {
        let bass = self.part(PartRole::Bass)?;
        let leap = bass.max_leap.as_ref().is_some_and(|m| m.origin.is_user());
        let user = |e: &Option<Sourced<Endpoint>>| e.as_ref().is_some_and(|e| e.origin.is_user());
        let ends = user(&bass.starts_on) || user(&bass.ends_on);
        (leap && !self.user_wrote_chords()).then(|| Plan {
            chords_for_bass: mode,
            bass_ends_in_chords: self.bass_ends_in_chords || ends,
            ..self.without_style_chords()
        })
    }

    /// Whether a line wrote chords (a style's own, the blues' twelve bars, are a preset).
    fn user_wrote_chords(&self) -> bool {
        let piece = self
            .progression
            .as_ref()
            .is_some_and(|p| p.origin.is_user());
        piece || self.section_rules.iter().any(|r| r.progression.is_some())
    }

    /// This plan without a style's own chords (the blues' twelve bars), which gave way.
    fn without_style_chords(&self) -> Plan {
        let style = self
            .progression
            .as_ref()
            .is_some_and(|p| !p.origin.is_user());
        Plan {
            progression: self.progression.clone().filter(|_| !style),
            ..self.clone()
        }
    }

    /// This plan with its style's form given way to one section over every bar, for a part
    /// whose clauses the form's returns and joins leave no line (a piece ending far from where
    /// its returning first section starts). Only a form no line wrote or names gives way: none
    /// when the user wrote the form, a section line, a section range or a key change.
    pub fn in_one_section(&self) -> Option<Plan> {
        // Every section line leaves rules, even one that only sets the section's length.
        let named = self.form_origin.is_user()
            || !self.section_rules.is_empty()
            || self.parts.iter().any(|p| !p.section_ranges.is_empty())
            || !self.modulations.is_empty();
        // A form whose sections each play once binds a line no more than one section does.
        let mut seen = std::collections::BTreeSet::new();
        let returns = !self.sections.iter().all(|s| seen.insert(s.name.letter));
        if named || !returns {
            return None;
        }
        let why = format!(
            "the {}'s form gave way to the parts' clauses",
            self.style.value.name
        );
        Some(Plan {
            sections: vec![Section {
                name: SectionName::letter('A'),
                start_bar: 0,
                bars: self.bars.value,
            }],
            form_origin: Origin::Default(why),
            ..self.clone()
        })
    }

    pub fn total_ticks(&self) -> u32 {
        self.bars.value * self.bar_ticks()
    }

    pub fn bar_ticks(&self) -> u32 {
        self.meter.value.bar_ticks()
    }

    /// Ticks per phrase of [`PHRASE_BARS`] bars.
    pub fn phrase_ticks(&self) -> u32 {
        PHRASE_BARS * self.bar_ticks()
    }

    /// Where `section` starts and ends, in ticks.
    pub fn ticks_of(&self, section: &Section) -> Range<u32> {
        section.start_bar * self.bar_ticks()..section.end_bar() * self.bar_ticks()
    }

    /// Whether a section ends at `tick` (sections follow one another bar by bar from 0).
    pub fn section_ends_at(&self, tick: u32) -> bool {
        let bar = self.bar_ticks();
        tick > 0
            && tick.is_multiple_of(bar)
            && self.section_at(tick / bar - 1).end_bar() == tick / bar
    }

    /// Whether the piece ends with a section of this letter.
    pub fn ends_with(&self, letter: char) -> bool {
        self.sections
            .last()
            .is_some_and(|s| s.name.letter == letter)
    }

    /// The section sounding at `tick`.
    #[inline]
    pub fn section_at_tick(&self, tick: u32) -> Section {
        self.section_at(tick / self.bar_ticks())
    }

    /// The range of `part` at `tick`: its section's own, else the part's.
    #[inline]
    pub fn range_at(&self, part: &PartPlan, tick: u32) -> (Pitch, Pitch) {
        part.range_in(self.section_at_tick(tick).name.letter)
    }

    /// The pitch classes `part` may sound at `tick`: what its pitch rules allow, the key's scale
    /// widened by the tones of a chord the user wrote while it sounds.
    pub fn allowed_at(&self, part: &PartPlan, tick: u32) -> PitchSet {
        part.allowed(self.user_chord_at(tick))
    }

    /// The section bar `bar` (0-based) belongs to.
    #[inline]
    pub fn section_at(&self, bar: u32) -> Section {
        let i = self.sections.partition_point(|s| s.end_bar() <= bar);
        self.sections[i.min(self.sections.len() - 1)]
    }

    pub fn rules_of(&self, letter: char) -> Option<&SectionRules> {
        self.section_rules.iter().find(|r| r.letter == letter)
    }

    /// How the form names section `letter`: `chorus`, or the letter.
    pub fn section_title(&self, letter: char) -> String {
        (self.sections.iter())
            .find(|s| s.name.letter == letter)
            .and_then(|s| s.name.song)
            .map_or(letter.to_string(), |song| song.name().to_string())
    }

    /// The place in the form (index of `sections`) of the section bar `bar` belongs to.
    pub fn section_index(&self, bar: u32) -> usize {
        let i = self.sections.partition_point(|s| s.end_bar() <= bar);
        i.min(self.sections.len().saturating_sub(1))
    }

    /// How section number `index` of the form leaves the piece's key, if it does.
    pub fn modulation_of(&self, index: usize) -> Option<&Modulation> {
        self.modulations.iter().find(|m| m.section == index)
    }

    /// The key of bar `bar` (0-based): its section's, else the piece's.
    pub fn key_at(&self, bar: u32) -> Key {
        self.modulation_of(self.section_index(bar))
            .map_or(self.key.value, |m| m.key.value)
    }

    /// Semitones bar `bar` (0-based) sounds above the piece's key.
    pub fn shift_at(&self, bar: u32) -> i8 {
        self.modulation_of(self.section_index(bar))
            .map_or(0, |m| m.shift)
    }

    /// The range `part` composes section `letter` in, as MIDI numbers: the letter is composed
    /// once, in the piece's key, and played in each key its sections are in, so its range is the
    /// part's moved down by each of their shifts, intersected. Empty (low above high) when no
    /// pitch comes back within the range in every key. A section in the piece's key moves
    /// nothing, so only the key changes are looked at (the verifier asks once per chord).
    pub fn home_range(&self, part: &PartPlan, letter: char) -> (i32, i32) {
        let (low, high) = part.range_in(letter);
        let shifts = (self.modulations.iter())
            .filter(|m| (self.sections.get(m.section)).is_some_and(|s| s.name.letter == letter))
            .map(|m| m.shift as i32);
        shifts.fold((low.0 as i32, high.0 as i32), |(lo, hi), shift| {
            (lo.max(low.0 as i32 - shift), hi.min(high.0 as i32 - shift))
        })
    }

    /// The tempo of bar `bar` (0-based), in beats of its meter: its section's, else the
    /// piece's; a section in another meter keeps the beat (♩ = 120 in 4/4 is ♩. = 120 in 6/8).
    pub fn tempo_at(&self, bar: u32) -> u32 {
        let section = self.section_at(bar);
        self.rules_of(section.name.letter)
            .and_then(|r| r.tempo.as_ref())
            .map_or(self.tempo.value, |t| t.value)
    }

    /// The meter of bar `bar` (0-based): its section's, else the piece's.
    pub fn meter_at(&self, bar: u32) -> Meter {
        let section = self.section_at(bar);
        self.rules_of(section.name.letter)
            .and_then(|r| r.meter.as_ref())
            .map_or(self.meter.value, |m| m.value)
    }

    /// The letters of the sections composed on their own, in the order they first play: those
    /// in a meter of their own, and those in a mode other than the piece's.
    pub fn letters_on_their_own(&self) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for (i, section) in self.sections.iter().enumerate() {
            let letter = section.name.letter;
            let own = self.rules_of(letter).and_then(|r| r.meter.as_ref());
            let meter = own.is_some_and(|m| m.value != self.meter.value);
            let mode =
                (self.modulation_of(i)).is_some_and(|m| m.key.value.mode != self.key.value.mode);
            if (meter || mode) && !out.contains(&letter) {
                out.push(letter);
            }
        }
        out
    }

    /// The user's chords in force at `bar`: the section's own, else the piece's.
    pub fn progression_at(&self, bar: u32) -> Option<(&Progression, u32)> {
        let section = self.section_at(bar);
        let own = self
            .rules_of(section.name.letter)
            .and_then(|r| r.progression.as_ref());
        match own {
            Some(p) => Some((p, bar - section.start_bar)),
            // The piece's chords start over in every section, so repeats sound alike.
            None => self
                .progression
                .as_ref()
                .map(|p| (p, bar - section.start_bar)),
        }
    }

    /// The chords of bar `bar` (0-based) with their start ticks, if the user wrote chords for it.
    pub fn user_bar(&self, bar: u32) -> Option<Vec<(u32, Chord)>> {
        let (progression, index) = self.progression_at(bar)?;
        let chords = &progression.bars[index as usize % progression.bars.len()];
        let meter = self.meter.value;
        let start = bar * self.bar_ticks();
        Some(
            split_bar(meter, chords.len())
                .into_iter()
                .zip(chords)
                .map(|(offset, chord)| (start + offset, *chord))
                .collect(),
        )
    }

    /// The user's chord sounding at `tick`, if the user wrote chords.
    pub fn user_chord_at(&self, tick: u32) -> Option<Chord> {
        let bar = tick / self.bar_ticks();
        self.user_bar(bar)?
            .into_iter()
            .rev()
            .find(|(start, _)| *start <= tick)
            .map(|(_, chord)| chord)
    }
}

/// Start offsets of `n` chords sharing one bar: split on beats, earlier chords get the extra beat.
pub fn split_bar(meter: Meter, n: usize) -> Vec<u32> {
    let n = n.max(1) as u32;
    let beats = meter.beats_per_bar();
    let (unit, count) = if beats >= n {
        (meter.beat_ticks(), beats)
    } else {
        (meter.unit_ticks(), meter.count as u32)
    };
    let count = count.max(n);
    let unit = unit.min(meter.bar_ticks() / count).max(1);
    (0..n).map(|i| (i * count).div_ceil(n) * unit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mostly_stepwise_asks_for_seventy_percent_steps() {
        assert!(MostlyStepwise::is_step(0) && MostlyStepwise::is_step(2));
        assert!(!MostlyStepwise::is_step(3));
        assert_eq!(MostlyStepwise::required_steps(10), 7);
        // 70% of 3 intervals is 2.1: all three must be steps.
        assert_eq!(MostlyStepwise::required_steps(3), 3);
        assert!(MostlyStepwise::holds(7, 10));
        assert!(!MostlyStepwise::holds(6, 10));
        assert!(MostlyStepwise::holds(0, 0));
        assert_eq!(
            MostlyStepwise::meaning(),
            "≥ 70% of intervals ≤ 2 semitones"
        );
    }

    #[test]
    fn a_varied_repeat_renews_its_last_phrase_or_its_second_half() {
        let section = |bars| Section {
            name: SectionName {
                varied: true,
                ..SectionName::letter('A')
            },
            start_bar: 8,
            bars,
        };
        assert_eq!((section(8).renewed_bars(), section(8).kept_bars()), (4, 4));
        assert_eq!((section(4).renewed_bars(), section(4).kept_bars()), (2, 2));
        assert_eq!((section(3).renewed_bars(), section(3).kept_bars()), (2, 1));
        assert_eq!((section(1).renewed_bars(), section(1).kept_bars()), (1, 0));
        assert_eq!(section(3).end_bar(), 11);
    }

    #[test]
    fn sections_know_their_ticks() {
        let plan = crate::plan_of("jig in G, 24 bars, form AAB").unwrap();
        let bar = plan.bar_ticks();
        assert_eq!(bar, 1440);
        assert_eq!(plan.phrase_ticks(), 4 * bar);
        let b = plan.sections[2];
        assert_eq!(b.name.letter, 'B');
        assert_eq!(plan.ticks_of(&b), 16 * bar..24 * bar);
        assert_eq!(plan.section_at_tick(16 * bar - 1), plan.sections[1]);
        assert_eq!(plan.section_at_tick(16 * bar), b);
    }

    #[test]
    fn range_and_pitch_classes_at_a_tick() {
        let plan = crate::plan_of(
            "folk tune in C, 8 bars, form AB, chords C E7 Am F\nsection B melody: range A4 to D6",
        )
        .unwrap();
        let melody = plan.part(PartRole::Melody).unwrap();
        let bar = plan.bar_ticks();
        assert_eq!(plan.range_at(melody, 0), melody.range.value);
        assert_eq!(plan.range_at(melody, 4 * bar), (Pitch(69), Pitch(86)));
        // The key's scale, widened by the tones of the E7 the user wrote while it sounds.
        let g_sharp = PitchClass::new(8);
        assert!(!plan.allowed_at(melody, 0).contains(g_sharp));
        assert!(plan.allowed_at(melody, bar).contains(g_sharp));
    }

    #[test]
    fn only_the_default_key_gives_way_and_only_where_it_did() {
        let plan =
            crate::plan_of("folk tune, 8 bars\nmelody: ends on F, using only D E F G A").unwrap();
        let scale_of = |plan: &Plan, role| {
            plan.part(role)
                .unwrap()
                .pitch_rules
                .iter()
                .map(|r| r.kind)
                .collect::<Vec<_>>()
        };
        assert!(plan.part(PartRole::Melody).unwrap().default_key().is_some());
        let composed = plan.as_composed(&[GaveWay::DefaultKey(PartRole::Melody)]);
        assert_eq!(scale_of(&composed, PartRole::Melody), [PitchRuleKind::Only]);
        assert_eq!(
            scale_of(&composed, PartRole::Chords),
            scale_of(&plan, PartRole::Chords)
        );
        assert!(matches!(plan.as_composed(&[]), Cow::Borrowed(_)));
    }

    #[test]
    fn bars_split_on_beats() {
        let four = Meter::new(4, 4).unwrap();
        assert_eq!(split_bar(four, 1), [0]);
        assert_eq!(split_bar(four, 2), [0, 960]);
        let three = Meter::new(3, 4).unwrap();
        assert_eq!(split_bar(three, 2), [0, 960]);
        let six = Meter::new(6, 8).unwrap();
        assert_eq!(split_bar(six, 2), [0, 720]);
        assert_eq!(split_bar(six, 3), [0, 480, 960]);
    }
}
