//! Styles and moods as plain tables: the soft defaults a style word or a mood word expands to.

use crate::theory::{Letter, Mode};

/// What a style word brings when no explicit clause says otherwise.
#[derive(Debug, PartialEq, Eq)]
pub struct Style {
    pub name: &'static str,
    pub meter: (u8, u8),
    pub tempo: u32,
    pub tonic: Letter,
    pub mode: Mode,
    pub bars: u32,
    /// General MIDI programs of the melody, chords and bass (`None`: the style has no such part).
    pub melody: u8,
    pub chords: Option<u8>,
    pub bass: Option<u8>,
}

const fn style(
    name: &'static str,
    meter: (u8, u8),
    tempo: u32,
    (tonic, mode): (Letter, Mode),
    bars: u32,
    (melody, chords, bass): (u8, Option<u8>, Option<u8>),
) -> Style {
    Style {
        name,
        meter,
        tempo,
        tonic,
        mode,
        bars,
        melody,
        chords,
        bass,
    }
}

pub const STYLES: [Style; 13] = [
    style(
        "folk",
        (4, 4),
        100,
        (Letter::D, Mode::Major),
        16,
        (41, Some(25), Some(33)),
    ),
    style(
        "jig",
        (6, 8),
        112,
        (Letter::D, Mode::Major),
        16,
        (41, Some(25), Some(33)),
    ),
    style(
        "reel",
        (4, 4),
        108,
        (Letter::D, Mode::Major),
        16,
        (41, Some(25), Some(33)),
    ),
    style(
        "hornpipe",
        (4, 4),
        80,
        (Letter::G, Mode::Major),
        16,
        (41, Some(22), Some(33)),
    ),
    style(
        "waltz",
        (3, 4),
        96,
        (Letter::G, Mode::Major),
        16,
        (22, Some(1), Some(33)),
    ),
    style(
        "march",
        (2, 4),
        112,
        (Letter::C, Mode::Major),
        16,
        (57, Some(62), Some(59)),
    ),
    style(
        "polka",
        (2, 4),
        120,
        (Letter::G, Mode::Major),
        16,
        (22, Some(22), Some(33)),
    ),
    style(
        "lullaby",
        (3, 4),
        66,
        (Letter::F, Mode::Major),
        8,
        (74, Some(47), Some(33)),
    ),
    style(
        "blues",
        (4, 4),
        90,
        (Letter::A, Mode::Mixolydian),
        12,
        (66, Some(1), Some(33)),
    ),
    style(
        "chorale",
        (4, 4),
        72,
        (Letter::G, Mode::Major),
        8,
        (20, Some(20), Some(20)),
    ),
    style(
        "pop",
        (4, 4),
        110,
        (Letter::C, Mode::Major),
        16,
        (81, Some(5), Some(34)),
    ),
    style(
        "ballad",
        (4, 4),
        72,
        (Letter::C, Mode::Major),
        16,
        (1, Some(25), Some(33)),
    ),
    style(
        "shanty",
        (6, 8),
        100,
        (Letter::D, Mode::Minor),
        16,
        (22, Some(25), Some(33)),
    ),
];

/// Nouns that may follow a style word: `folk tune`, `waltz song`.
pub const NOUNS: [&str; 3] = ["tune", "song", "piece"];

/// How a mood word shifts the style's defaults.
#[derive(Debug, PartialEq, Eq)]
pub struct Mood {
    pub name: &'static str,
    /// Tempo in percent of the style's.
    pub tempo_percent: u32,
    /// A mode family the mood asks for, if any.
    pub minor: Option<bool>,
}

pub const MOODS: [Mood; 9] = [
    Mood {
        name: "happy",
        tempo_percent: 110,
        minor: Some(false),
    },
    Mood {
        name: "sad",
        tempo_percent: 85,
        minor: Some(true),
    },
    Mood {
        name: "calm",
        tempo_percent: 85,
        minor: None,
    },
    Mood {
        name: "gentle",
        tempo_percent: 90,
        minor: None,
    },
    Mood {
        name: "lively",
        tempo_percent: 120,
        minor: None,
    },
    Mood {
        name: "dark",
        tempo_percent: 95,
        minor: Some(true),
    },
    Mood {
        name: "bright",
        tempo_percent: 105,
        minor: Some(false),
    },
    Mood {
        name: "slow",
        tempo_percent: 70,
        minor: None,
    },
    Mood {
        name: "fast",
        tempo_percent: 135,
        minor: None,
    },
];

/// Mood pairs that cannot both describe one piece.
pub const OPPOSED_MOODS: [(&str, &str); 5] = [
    ("happy", "sad"),
    ("slow", "fast"),
    ("calm", "lively"),
    ("dark", "bright"),
    ("gentle", "lively"),
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
