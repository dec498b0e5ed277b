//! Styles, moods, accompaniment patterns and drum grooves as plain tables: the soft defaults a
//! style or mood word expands to. A musician can add a style here without reading the sampler.

pub mod instruments;

use crate::theory::{Letter, Mode};

/// How the chords part or the bass plays each chord.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// Chords: struck at each change and mid-chord.
    Block,
    /// Chords: struck on every beat, strings a few ticks apart.
    Strum,
    /// Chords: one tone at a time, on the beat's subdivisions.
    Arpeggio,
    /// Chords: the lowest tone on the downbeat, the others on the following beats (waltz).
    OomPahPah,
    /// Chords: lowest tone on strong beats, the rest on the weak ones (polka, march).
    BoomChick,
    /// Chords: four voices moving together, a chord on every beat (chorale).
    Chorale,
    /// Bass: the root, held for the whole chord.
    Roots,
    /// Bass: the root, then the fifth halfway through the chord.
    RootFifth,
    /// Bass: a note on every beat, chord tones on strong beats, steps in between.
    Walking,
}

impl Pattern {
    pub const CHORDS: [(&'static str, Pattern); 9] = [
        ("block", Pattern::Block),
        ("block chords", Pattern::Block),
        ("strum", Pattern::Strum),
        ("strummed", Pattern::Strum),
        ("arpeggio", Pattern::Arpeggio),
        ("arpeggiated", Pattern::Arpeggio),
        ("oom-pah-pah", Pattern::OomPahPah),
        ("boom-chick", Pattern::BoomChick),
        ("chorale", Pattern::Chorale),
    ];
    pub const BASS: [(&'static str, Pattern); 4] = [
        ("roots", Pattern::Roots),
        ("root-fifth", Pattern::RootFifth),
        ("walking", Pattern::Walking),
        ("walking bass", Pattern::Walking),
    ];

    pub fn name(self) -> &'static str {
        Pattern::CHORDS
            .iter()
            .chain(&Pattern::BASS)
            .find(|(_, p)| *p == self)
            .map_or("block", |(n, _)| n)
    }
}

/// How a style's melody moves in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feel {
    /// Longer notes: waltz, lullaby, ballad, chorale.
    Lyrical,
    /// Even subdivision of the beat: folk, jig, pop.
    Even,
    /// Running eighths: reel.
    Running,
    /// Dotted pairs: hornpipe, march.
    Dotted,
}

/// How a style's melodies move: like songs (mostly steps and repeats) or like fiddle tunes
/// (more skips and leaps, a wider range).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Intervals {
    Song,
    Fiddle,
}

/// A style's harmonic habits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Harmony {
    /// I–IV–V–vi habits, V–I cadences.
    Folk,
    /// i–VII–VI and I–VII: the modes' own chords.
    Modal,
    /// I–V–vi–IV loops.
    Pop,
    /// Full diatonic vocabulary, ii–V–I and deceptive motion.
    Chorale,
    /// The twelve-bar blues in dominant sevenths.
    Blues,
}

/// What a style word brings when no explicit clause says otherwise.
#[derive(Debug, PartialEq, Eq)]
pub struct Style {
    pub name: &'static str,
    pub meter: (u8, u8),
    pub tempo: u32,
    pub tonic: Letter,
    pub mode: Mode,
    pub bars: u32,
    pub form: &'static str,
    /// General MIDI programs of the melody, chords and bass (`None`: no such part).
    pub melody: u8,
    pub chords: Option<(u8, Pattern)>,
    pub bass: Option<(u8, Pattern)>,
    pub drums: Option<Groove>,
    pub feel: Feel,
    pub intervals: Intervals,
    /// The family whose learned rhythms it plays (src/models): `jig`, `reel`, `hornpipe`,
    /// `march` or `song`.
    pub rhythm_family: &'static str,
    pub harmony: Harmony,
    /// A chord on every beat by default (a chorale), else one a bar.
    pub beat_chords: bool,
    /// Swung eighths by default (played long-short).
    pub swing: bool,
}

use Feel::*;
use Harmony as H;
use Pattern::*;

macro_rules! style {
    ($name:literal, $meter:expr, $tempo:literal, $tonic:ident $mode:ident, $bars:literal, $form:literal,
     melody $melody:literal, chords $chords:expr, bass $bass:expr, drums $drums:expr,
     $feel:ident, $harmony:ident, swing $swing:literal) => {
        Style {
            name: $name,
            meter: $meter,
            tempo: $tempo,
            tonic: Letter::$tonic,
            mode: Mode::$mode,
            bars: $bars,
            form: $form,
            melody: $melody,
            chords: $chords,
            bass: $bass,
            drums: $drums,
            feel: $feel,
            intervals: if matches!($name.as_bytes(), b"jig" | b"reel" | b"hornpipe") {
                Intervals::Fiddle
            } else {
                Intervals::Song
            },
            rhythm_family: match $name.as_bytes() {
                b"jig" | b"reel" | b"hornpipe" => $name,
                b"march" | b"polka" => "march",
                _ => "song",
            },
            harmony: H::$harmony,
            beat_chords: matches!(H::$harmony, H::Chorale),
            swing: $swing,
        }
    };
}

pub const STYLES: [Style; 13] = [
    style!("folk", (4, 4), 100, D Major, 16, "AB", melody 41, chords Some((25, Strum)),
        bass Some((33, RootFifth)), drums None, Even, Folk, swing false),
    style!("jig", (6, 8), 116, D Major, 32, "AABB", melody 41, chords Some((25, Strum)),
        bass Some((33, RootFifth)), drums Some(Groove::Bodhran), Even, Folk, swing false),
    style!("reel", (4, 4), 112, D Major, 32, "AABB", melody 41, chords Some((25, Strum)),
        bass Some((33, RootFifth)), drums Some(Groove::Bodhran), Running, Folk, swing false),
    style!("hornpipe", (4, 4), 80, G Major, 32, "AABB", melody 41, chords Some((22, BoomChick)),
        bass Some((33, RootFifth)), drums None, Dotted, Folk, swing true),
    style!("waltz", (3, 4), 96, G Major, 16, "AB", melody 22, chords Some((1, OomPahPah)),
        bass Some((33, Roots)), drums None, Lyrical, Folk, swing false),
    style!("march", (2, 4), 112, C Major, 32, "AABB", melody 57, chords Some((62, BoomChick)),
        bass Some((59, RootFifth)), drums Some(Groove::March), Dotted, Folk, swing false),
    style!("polka", (2, 4), 120, G Major, 32, "AABB", melody 22, chords Some((22, BoomChick)),
        bass Some((33, RootFifth)), drums Some(Groove::Polka), Even, Folk, swing false),
    style!("lullaby", (3, 4), 66, F Major, 8, "AA'", melody 74, chords Some((47, Arpeggio)),
        bass Some((33, Roots)), drums None, Lyrical, Folk, swing false),
    style!("blues", (4, 4), 90, A Mixolydian, 12, "A", melody 66, chords Some((1, Block)),
        bass Some((33, Walking)), drums Some(Groove::Shuffle), Even, Blues, swing true),
    style!("chorale", (4, 4), 72, G Major, 8, "AB", melody 20, chords Some((20, Chorale)),
        bass Some((20, Roots)), drums None, Lyrical, Chorale, swing false),
    style!("pop", (4, 4), 110, C Major, 16, "ABAB", melody 81, chords Some((5, Block)),
        bass Some((34, RootFifth)), drums Some(Groove::Backbeat), Even, Pop, swing false),
    style!("ballad", (4, 4), 72, C Major, 16, "AABA", melody 1, chords Some((25, Arpeggio)),
        bass Some((33, Roots)), drums Some(Groove::Brushes), Lyrical, Pop, swing false),
    style!("shanty", (6, 8), 100, D Minor, 16, "AB", melody 22, chords Some((25, Strum)),
        bass Some((33, RootFifth)), drums Some(Groove::Stomp), Even, Modal, swing false),
];

/// How a mood word shifts the style's defaults.
#[derive(Debug, PartialEq, Eq)]
pub struct Mood {
    pub name: &'static str,
    /// Tempo in percent of the style's.
    pub tempo_percent: u32,
    /// A mode family the mood asks for, if any.
    pub minor: Option<bool>,
    /// Semitones the melody's register moves.
    pub register: i8,
    /// Notes per beat: below 0 sparser, above 0 busier.
    pub density: i8,
    /// Steps of loudness (one step: `mp` to `mf`).
    pub dynamics: i8,
}

const fn mood(
    name: &'static str,
    tempo_percent: u32,
    minor: Option<bool>,
    register: i8,
    density: i8,
    dynamics: i8,
) -> Mood {
    Mood {
        name,
        tempo_percent,
        minor,
        register,
        density,
        dynamics,
    }
}

pub const MOODS: [Mood; 13] = [
    mood("happy", 110, Some(false), 2, 0, 0),
    mood("sad", 85, Some(true), -2, -1, -1),
    mood("calm", 85, None, 0, -1, -1),
    mood("gentle", 90, None, 0, -1, -2),
    mood("lively", 120, None, 2, 1, 1),
    mood("dark", 95, Some(true), -5, 0, 0),
    mood("bright", 105, Some(false), 4, 0, 0),
    mood("slow", 70, None, 0, -1, 0),
    mood("fast", 135, None, 0, 0, 0),
    mood("busy", 100, None, 0, 1, 0),
    mood("sparse", 100, None, 0, -1, 0),
    mood("majestic", 90, Some(false), 0, 0, 2),
    mood("melancholy", 80, Some(true), -2, -1, -1),
];

/// Mood pairs that cannot both describe one piece.
pub const OPPOSED_MOODS: [(&str, &str); 8] = [
    ("happy", "sad"),
    ("happy", "melancholy"),
    ("slow", "fast"),
    ("calm", "lively"),
    ("dark", "bright"),
    ("gentle", "lively"),
    ("busy", "sparse"),
    ("gentle", "majestic"),
];

pub fn style_named(name: &str) -> Option<&'static Style> {
    STYLES.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

pub fn mood_named(name: &str) -> Option<&'static Mood> {
    MOODS.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

/// The style a piece gets when its lines name none.
pub fn default_style() -> &'static Style {
    &STYLES[0]
}

/// A style's drum groove, laid out over any meter by `Groove::grid`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Groove {
    /// Frame drum: low on the beats, light taps between.
    Bodhran,
    /// Snare rudiments on every subdivision, bass drum on the beats.
    March,
    /// Kick on strong beats, snare on the off-beats.
    Polka,
    /// Swung hats, kick on 1 and 3, snare on 2 and 4.
    Shuffle,
    /// Kick on 1 and 3, snare on 2 and 4, eighth-note hats.
    Backbeat,
    /// Soft ride and rim on 2 and 4.
    Brushes,
    /// Kick on every beat, claps on the off-beats.
    Stomp,
}

/// General MIDI percussion keys by everyday name (channel 10).
pub const DRUM_KIT: [(&str, u8); 18] = [
    ("kick", 36),
    ("bass drum", 36),
    ("snare", 38),
    ("rim", 37),
    ("clap", 39),
    ("hat", 42),
    ("hihat", 42),
    ("hi-hat", 42),
    ("open-hat", 46),
    ("ride", 51),
    ("crash", 49),
    ("tom", 45),
    ("low-tom", 41),
    ("high-tom", 50),
    ("tambourine", 54),
    ("cowbell", 56),
    ("shaker", 70),
    ("bodhran", 41),
];

pub fn drum_key(name: &str) -> Option<u8> {
    DRUM_KIT.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

impl Groove {
    /// One bar of the groove on a grid of `steps` per beat × `beats`: rows of (key, velocity per step,
    /// 0 for none). `strong(step)` gives the metric strength (3 downbeat … 0 off-beat).
    pub fn grid(
        self,
        beats: usize,
        steps: usize,
        strong: impl Fn(usize) -> u8,
    ) -> Vec<(u8, Vec<u8>)> {
        let n = beats * steps;
        let row = |key: u8, hit: &dyn Fn(usize) -> u8| (key, (0..n).map(hit).collect::<Vec<u8>>());
        let on_beat = |i: usize| i.is_multiple_of(steps);
        let beat_of = |i: usize| i / steps;
        let back = |i: usize| on_beat(i) && beat_of(i) % 2 == 1;
        match self {
            Groove::Bodhran => vec![
                row(41, &|i| {
                    if on_beat(i) {
                        90 + 10 * u8::from(strong(i) == 3)
                    } else {
                        0
                    }
                }),
                row(45, &|i| if !on_beat(i) { 55 } else { 0 }),
            ],
            Groove::March => vec![
                row(36, &|i| if on_beat(i) { 95 } else { 0 }),
                row(38, &|i| if strong(i) == 3 { 100 } else { 60 }),
                row(49, &|i| if i == 0 { 80 } else { 0 }),
            ],
            Groove::Polka => vec![
                row(36, &|i| if on_beat(i) { 95 } else { 0 }),
                row(38, &|i| {
                    if i % steps == steps / 2 && steps > 1 {
                        80
                    } else {
                        0
                    }
                }),
            ],
            Groove::Shuffle | Groove::Backbeat => vec![
                row(36, &|i| {
                    if on_beat(i) && beat_of(i) % 2 == 0 {
                        100
                    } else {
                        0
                    }
                }),
                row(38, &|i| if back(i) { 95 } else { 0 }),
                row(42, &|i| {
                    if steps < 2 || i % (steps / 2).max(1) == 0 {
                        60 + 15 * u8::from(on_beat(i))
                    } else {
                        0
                    }
                }),
            ],
            Groove::Brushes => vec![
                row(51, &|i| if i % (steps / 2).max(1) == 0 { 45 } else { 0 }),
                row(37, &|i| if back(i) { 55 } else { 0 }),
            ],
            Groove::Stomp => vec![
                row(36, &|i| if on_beat(i) { 100 } else { 0 }),
                row(39, &|i| {
                    if i % steps == steps / 2 && steps > 1 {
                        85
                    } else {
                        0
                    }
                }),
            ],
        }
    }
}
