//! The words tunec knows, in one table: each word or phrase with its kind, the lines it may
//! stand on, what it means, how it is written and, for a clause, whether it binds.
//!
//! What owns what: the clause words, units, joiners and one-word clauses are listed here, and
//! so are the words of English sentences (skipped words, tempo, length and mood words, part
//! nouns, genres without a preset, refusals, numbers); the styles, moods, patterns and drums
//! stay in `presets`, the instruments in `presets::instruments`, the modes in `theory::scale`
//! and the parts in `parts::PartRole`, and [`words`] lists them all with the rest: the
//! reader's errors and the sentence reader (`resolve::words`) draw on it, and it is the one
//! source an editor's completion and hover are to use. The pest grammar, the TextMate grammar
//! (`editors/`) and `docs/language.md` cannot be generated from this table: the tests at the
//! end fail, saying where to add a word, when one of them disagrees with it.

use crate::parts::{Contour, Density, PartRole};
use crate::presets::instruments;
use crate::presets::{self, Groove, Pattern};
use crate::theory::Mode;
use fnv::FnvHashMap;

/// How firmly a word binds the music.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Strength {
    /// Every note keeps it and the verifier checks it; when no music can, compiling fails and
    /// names the lines.
    Hard,
    /// A target or a preset's choice the composer leans towards; never makes a program fail.
    Soft,
    /// Written into the output as it stands (an instrument's program): nothing is sampled.
    Exact,
}

impl Strength {
    /// `hard`, `soft` or `exact`.
    pub fn name(self) -> &'static str {
        match self {
            Strength::Hard => "hard",
            Strength::Soft => "soft",
            Strength::Exact => "exact",
        }
    }
}

impl std::fmt::Display for Strength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, not `write_str`, so that `{:<5}` aligns it.
        f.pad(self.name())
    }
}

/// One sense of a word: `busy` is a mood on a piece line and a density on a part line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    /// As written, in lower case; a phrase keeps its spaces: `mostly stepwise`.
    pub text: &'static str,
    pub kind: Kind,
    /// The lines it may stand on.
    pub places: Places,
    /// One line for a hover.
    pub meaning: &'static str,
    /// How it is written; for a clause keyword, what `write it like …` quotes.
    pub usage: &'static str,
    /// For a clause: hard (every note keeps it), soft (a leaning) or exact (written as it is).
    pub strength: Option<Strength>,
    /// Where "did you mean" offers it.
    pub offered: &'static [Context],
}

/// What kind of word it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Starts a clause and is never a plain word: the grammar's `keyword` rule.
    Keyword,
    /// Says what a number counts: `16 bars`, `96 bpm`, `4 semitones`.
    Unit,
    /// Joins the pieces of a clause: `to` in `range D4 to B5`.
    Joiner,
    /// A piece clause of one word: `swing`, `solo`.
    Switch(Switch),
    /// A section's loudness, in steps: `louder` (+1), `softer` (−1).
    Loudness(i8),
    /// Starts a section line.
    Section,
    /// A part, at the head of its lines.
    Part,
    Style,
    Mood,
    /// May follow a style: `folk tune`.
    Noun,
    Mode,
    /// `pp` to `ff`.
    Dynamic,
    Density(Density),
    Contour(Contour),
    ChordPattern,
    BassPattern,
    /// A drum of a step grid.
    Drum,
    /// A General MIDI name or an everyday one.
    Instrument,
    /// An ensemble that seats the parts: `string quartet`, `piano trio`.
    Ensemble,
    /// A note named by its place in the key: `the tonic`.
    Target,
    /// A final cadence, or the word `cadence`.
    Cadence,
    /// A note length of `rhythm`.
    Duration,
    /// An interval name of `no leaps larger than`.
    Interval,
    /// A count in words: `two chords per bar`, `sixteen bars`.
    Count,
    /// Skipped when a line is read as a sentence: request verbs, politeness, articles, glue
    /// words and spec-sheet labels. A closed list: any other word must be placed.
    Skip,
    /// A word inside an English phrasing of a clause: `only` in `that only uses A, B and C`.
    Phrasing,
    /// A tempo word: the bpm range it allows, both ends included.
    Tempo(u32, u32),
    /// A length word: the bars it asks for (`short` is 8).
    Length(u32),
    /// A mood word outside the presets, read as the nearest preset mood.
    MoodWord(&'static str),
    /// A part named as a noun in a sentence: `with drums`, `a simple melody`.
    PartNoun(PartRole),
    /// How the drums play, named in a sentence or on the drums line: `brushed drums`.
    DrumWord(Groove),
    /// A genre people name that has no preset yet: refused with a "not yet".
    Genre,
    /// Another name people use for a style, read as that style: an adjective (`bluesy`) or a
    /// kind of it with its own meter (`slip jig`, a jig in 9/8).
    StyleWord(&'static str),
    /// A request tunec cannot honour, refused with the reason.
    Refused(Refusal),
}

impl Kind {
    /// The group a word of this kind is listed and coloured under (`style`, `mood`,
    /// `instrument`, `clause`, `mode`, `pattern`, `drum`, `part`, `section`, `tempo`); none for
    /// the glue words of English sentences. The MCP `vocabulary` tool and the playground's
    /// highlighting both read it, so the two never disagree.
    #[cfg(any(feature = "mcp", feature = "serve"))]
    pub fn group(self) -> Option<&'static str> {
        Some(match self {
            Kind::Style | Kind::Noun | Kind::Genre | Kind::StyleWord(_) => "style",
            Kind::Mood | Kind::MoodWord(_) => "mood",
            Kind::Instrument | Kind::Ensemble => "instrument",
            Kind::Keyword
            | Kind::Unit
            | Kind::Switch(_)
            | Kind::Dynamic
            | Kind::Density(_)
            | Kind::Contour(_)
            | Kind::Target
            | Kind::Cadence
            | Kind::Duration
            | Kind::Interval
            | Kind::Length(_) => "clause",
            Kind::Mode => "mode",
            Kind::ChordPattern | Kind::BassPattern => "pattern",
            Kind::Drum | Kind::DrumWord(_) => "drum",
            Kind::Part | Kind::PartNoun(_) => "part",
            Kind::Section | Kind::Loudness(_) => "section",
            Kind::Tempo(..) => "tempo",
            Kind::Joiner | Kind::Phrasing | Kind::Skip | Kind::Count | Kind::Refused(_) => {
                return None;
            }
        })
    }
}

/// Why a word is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Lyrics, singers, vocals: tunec writes instrumental parts.
    Vocals,
    /// Reverb, vinyl, mixing: tunec writes notes, not recorded sound.
    Production,
}

/// A one-word piece clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    Swing,
    Solo,
    /// `a pentatonic folk tune in G`: the key's pentatonic scale.
    Pentatonic,
}

/// Where "did you mean" looks for the word meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Text the grammar could not read, on any line: offered word by word (`using`, `only`).
    Clause,
    /// A word after a number: `16 barz`.
    AfterNumber,
    /// A plain word on a piece line.
    PieceLine,
    /// The head of a part line: `melodie:`.
    PartName,
    /// Plain words on a part line.
    PartLine,
    /// A drum in a step grid.
    DrumName,
    /// An instrument name.
    InstrumentName,
}

impl Word {
    /// The section's step of loudness it asks for, if it does.
    pub fn loudness(self) -> Option<i8> {
        match self.kind {
            Kind::Loudness(step) => Some(step),
            _ => None,
        }
    }

    /// The density of a line it asks for, if it does.
    pub fn density(self) -> Option<Density> {
        match self.kind {
            Kind::Density(density) => Some(density),
            _ => None,
        }
    }

    /// The contour of a line it asks for, if it does.
    pub fn contour(self) -> Option<Contour> {
        match self.kind {
            Kind::Contour(contour) => Some(contour),
            _ => None,
        }
    }
}

/// The lines a word may stand on: the piece's, a part's (by part), a section's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Places(u8);

impl Places {
    pub const PIECE: Places = Places(1);
    pub const MELODY: Places = Places(2);
    pub const COUNTER_MELODY: Places = Places(4);
    pub const CHORDS: Places = Places(8);
    pub const BASS: Places = Places(16);
    pub const DRUMS: Places = Places(32);
    pub const SECTION: Places = Places(64);
    /// A section's part line: `section B melody: range A4 to D6`.
    pub const SECTION_PART: Places = Places(128);
    /// The parts sampled note by note: melody, counter-melody, bass.
    pub const LINES: Places = Places(2 | 4 | 16);
    pub const TUNES: Places = Places(2 | 4);
    pub const PITCHED: Places = Places(2 | 4 | 8 | 16);
    pub const PARTS: Places = Places(2 | 4 | 8 | 16 | 32);
    /// Every part that `none` may drop.
    pub const ACCOMPANIMENT: Places = Places(4 | 8 | 16 | 32);

    pub const fn and(self, other: Places) -> Places {
        Places(self.0 | other.0)
    }

    pub fn piece(self) -> bool {
        self.0 & Places::PIECE.0 != 0
    }

    pub fn section(self) -> bool {
        self.0 & Places::SECTION.0 != 0
    }

    pub fn part(self, role: PartRole) -> bool {
        self.0 & Places::of(role).0 != 0
    }

    fn of(role: PartRole) -> Places {
        match role {
            PartRole::Melody => Places::MELODY,
            PartRole::CounterMelody => Places::COUNTER_MELODY,
            PartRole::Chords => Places::CHORDS,
            PartRole::Bass => Places::BASS,
            PartRole::Drums => Places::DRUMS,
        }
    }
}

/// One row of a table below: text, kind, places, strength, offered, meaning, usage.
macro_rules! words {
    ($($text:literal $kind:expr, $places:ident $(+ $more:ident)*, $strength:expr, [$($offer:ident)*],
       $meaning:literal, $usage:literal;)*) => {
        [$(Word {
            text: $text,
            kind: $kind,
            places: Places::$places$(.and(Places::$more))*,
            meaning: $meaning,
            usage: $usage,
            strength: $strength,
            offered: &[$(Context::$offer),*],
        }),*]
    };
}

use Kind::*;
const HARD: Option<Strength> = Some(Strength::Hard);
const SOFT: Option<Strength> = Some(Strength::Soft);
const EXACT: Option<Strength> = Some(Strength::Exact);
const NOT_A_CLAUSE: Option<Strength> = None;

/// The clauses and the words inside them, piece clauses first. The order is the order "did you
/// mean" prefers when two words are equally close, and the first clause a keyword starts gives
/// its usage.
#[rustfmt::skip]
const CLAUSES: [Word; 34] = words! [
    "title" Keyword, PIECE, EXACT, [Clause], "the piece's title", "title \"Harbour Lights\"";
    "seed" Keyword, PIECE, EXACT, [Clause], "the composer's seed", "seed 42";
    "in" Keyword, PIECE, HARD, [], "the key and mode (`in D dorian`), or the meter (`in 6/8`)",
        "in D dorian` (notes are A to G) or `in 6/8";
    "at" Joiner, PIECE, HARD, [], "may come before a tempo", "at 96 bpm";
    "using only" Keyword, PIECE + PITCHED, HARD, [Clause PartLine],
        "every note has one of these pitch classes", "using only A B C# F# G";
    "avoiding" Keyword, PIECE + PITCHED, HARD, [Clause PartLine],
        "no note has one of these pitch classes", "avoiding F C";
    "chords" Keyword, PIECE + SECTION, HARD, [Clause], "the harmony, bar by bar",
        "chords I vi IV V` or `chords D Bm G A7";
    "range" Keyword, PITCHED + SECTION_PART, HARD, [Clause PartLine],
        "every note of the part within two pitches", "range D4 to B5";
    "mostly stepwise" Keyword, LINES, HARD, [Clause PartLine],
        "at least 70% of the intervals are at most 2 semitones", "mostly stepwise";
    "stepwise" Keyword, LINES, HARD, [Clause PartLine], "every interval is at most 2 semitones",
        "stepwise";
    "no leaps larger than" Keyword, LINES, HARD, [Clause], "every interval is at most this one",
        "no leaps larger than a fifth";
    "no leap larger than" Keyword, LINES, HARD, [], "the same as `no leaps larger than`",
        "no leap larger than a fifth";
    "starts on" Keyword, LINES, HARD, [Clause PartLine], "the part's first note",
        "starts on the tonic";
    "ends on" Keyword, LINES, HARD, [Clause PartLine], "the part's last note", "ends on the tonic";
    "ends with" Keyword, PIECE, HARD, [], "the final cadence", "ends with a plagal cadence";
    "program" Keyword, PITCHED, EXACT, [Clause PartLine], "General MIDI program N, 1 to 128",
        "program 41";
    "none" Keyword, ACCOMPANIMENT, EXACT, [Clause PartLine], "drops the part", "none";
    "rhythm" Keyword, TUNES, HARD, [PartLine], "only these note lengths in the part",
        "rhythm eighths and quarters";
    "form" Keyword, PIECE, HARD, [PieceLine], "the sections in order", "form AABB";
    "bars" Unit, PIECE + SECTION, HARD, [Clause AfterNumber], "the length in bars", "16 bars";
    "bar" Unit, PIECE + SECTION, HARD, [], "the length in bars", "1 bar";
    "measures" Unit, PIECE + SECTION, HARD, [AfterNumber], "the length in bars", "16 measures";
    "measure" Unit, PIECE + SECTION, HARD, [], "the length in bars", "1 measure";
    "bpm" Unit, PIECE, HARD, [Clause AfterNumber], "beats a minute", "96 bpm";
    "semitones" Unit, LINES, HARD, [], "an interval in semitones",
        "no leaps larger than 4 semitones";
    "semitone" Unit, LINES, HARD, [], "an interval in semitones",
        "no leaps larger than 1 semitone";
    "chords" Unit, PIECE, SOFT, [], "how often the chords change", "two chords per bar";
    "chord" Unit, PIECE, SOFT, [], "how often the chords change", "one chord every two bars";
    "to" Joiner, PITCHED + SECTION_PART, HARD, [], "the top of a range", "range D4 to B5";
    "and" Joiner, PIECE + PITCHED, NOT_A_CLAUSE, [], "joins pitches or note lengths",
        "using only A, B and C#";
    "time" Joiner, PIECE, HARD, [], "may follow a meter", "6/8 time";
    "degree" Joiner, LINES, HARD, [], "a note by its scale degree", "ends on degree 5";
    "per" Joiner, PIECE, SOFT, [], "chords a bar", "two chords per bar";
    "every" Joiner, PIECE, SOFT, [], "bars a chord", "one chord every two bars";
];

/// The one-word piece clauses.
#[rustfmt::skip]
const SWITCHES: [Word; 7] = words! [
    "solo" Switch(Switch::Solo), PIECE, EXACT, [PieceLine], "only the melody", "solo";
    "swing" Switch(Switch::Swing), PIECE, SOFT, [PieceLine],
        "eighths played long-short (2:1)", "swing";
    "swung" Switch(Switch::Swing), PIECE, SOFT, [], "the same as `swing`", "swung";
    "swinging" Switch(Switch::Swing), PIECE, SOFT, [], "the same as `swing`",
        "a swinging character";
    "shuffle" Switch(Switch::Swing), PIECE, SOFT, [], "a swung groove: the same as `swing`",
        "a bluesy shuffle";
    "shuffling" Switch(Switch::Swing), PIECE, SOFT, [], "the same as `swing`",
        "shuffling along at 96 bpm";
    "pentatonic" Switch(Switch::Pentatonic), PIECE, HARD, [],
        "the key's pentatonic scale: major pentatonic in a major key, minor in a minor one",
        "a pentatonic folk tune in G";
];

/// What may follow a style word.
#[rustfmt::skip]
const NOUNS: [Word; 5] = words! [
    "tune" Noun, PIECE, NOT_A_CLAUSE, [PieceLine], "may follow a style", "folk tune";
    "song" Noun, PIECE, NOT_A_CLAUSE, [PieceLine], "may follow a style", "waltz song";
    "piece" Noun, PIECE, NOT_A_CLAUSE, [PieceLine], "may follow a style", "chorale piece";
    "beat" Noun, PIECE, NOT_A_CLAUSE, [PieceLine], "may follow a style", "hip hop beat";
    "groove" Noun, PIECE, NOT_A_CLAUSE, [], "may follow a style", "a funky groove";
];

/// The words of section lines.
#[rustfmt::skip]
const SECTION_WORDS: [Word; 4] = words! [
    "section" Section, SECTION, NOT_A_CLAUSE, [PieceLine], "starts a section line",
        "section B: chords IV V I I";
    "louder" Loudness(1), SECTION, SOFT, [PieceLine], "the section a step louder",
        "section B: louder";
    "softer" Loudness(-1), SECTION, SOFT, [PieceLine], "the section a step softer",
        "section B: softer";
    "quieter" Loudness(-1), SECTION, SOFT, [], "the same as `softer`", "section B: quieter";
];

/// Plain words of part lines that are neither instruments nor patterns.
#[rustfmt::skip]
const PART_WORDS: [Word; 6] = words! [
    "busy" Density(Density::Busy), LINES, SOFT, [PartLine], "more notes a beat", "melody: busy";
    "sparse" Density(Density::Sparse), LINES, SOFT, [PartLine], "fewer notes a beat",
        "melody: sparse";
    "rising" Contour(Contour::Rising), TUNES, SOFT, [PartLine],
        "the register climbs over the piece", "melody: rising";
    "falling" Contour(Contour::Falling), TUNES, SOFT, [PartLine],
        "the register falls over the piece", "melody: falling";
    "arch" Contour(Contour::Arch), TUNES, SOFT, [], "the register rises, then falls",
        "melody: arch";
    "arched" Contour(Contour::Arch), TUNES, SOFT, [], "the same as `arch`", "melody: arched";
];

/// The dynamics from softest to loudest: level 1 (`ppp`) to 8 (`fff`), the order of their
/// entries below.
pub const DYNAMICS: [&str; 8] = ["ppp", "pp", "p", "mp", "mf", "f", "ff", "fff"];

/// The level (1 to 8) of a dynamic such as `mf`.
pub fn dynamic_level(text: &str) -> Option<u8> {
    DYNAMICS
        .iter()
        .position(|d| *d == text)
        .map(|i| i as u8 + 1)
}

/// The dynamic of `level` (1 to 8, clamped).
pub fn dynamic_name(level: u8) -> &'static str {
    DYNAMICS[(level.clamp(1, 8) - 1) as usize]
}

/// Words for values inside clauses and dynamics.
#[rustfmt::skip]
const VALUES: [Word; 27] = words! [
    "ppp" Dynamic, PARTS + SECTION, SOFT, [], "as soft as it gets", "melody: ppp";
    "pp" Dynamic, PARTS + SECTION, SOFT, [], "very soft", "melody: pp";
    "p" Dynamic, PARTS + SECTION, SOFT, [], "soft", "melody: p";
    "mp" Dynamic, PARTS + SECTION, SOFT, [], "moderately soft", "melody: mp";
    "mf" Dynamic, PARTS + SECTION, SOFT, [], "moderately loud", "melody: mf";
    "f" Dynamic, PARTS + SECTION, SOFT, [], "loud", "melody: f";
    "ff" Dynamic, PARTS + SECTION, SOFT, [], "very loud", "melody: ff";
    "fff" Dynamic, PARTS + SECTION, SOFT, [], "as loud as it gets", "melody: fff";
    "tonic" Target, LINES, HARD, [], "the key's first degree", "ends on the tonic";
    "dominant" Target, LINES, HARD, [], "the key's fifth degree", "starts on the dominant";
    "cadence" Cadence, PIECE, HARD, [], "the chords that end the piece", "half cadence";
    "authentic" Cadence, PIECE, HARD, [], "V–I", "ends with an authentic cadence";
    "perfect" Cadence, PIECE, HARD, [], "V–I", "ends with a perfect cadence";
    "plagal" Cadence, PIECE, HARD, [], "IV–I", "ends with a plagal cadence";
    "half" Cadence, PIECE, HARD, [], "ends on V", "half cadence";
    "deceptive" Cadence, PIECE, HARD, [], "V–vi", "ends with a deceptive cadence";
    "whole" Duration, TUNES, HARD, [], "whole notes", "rhythm whole notes";
    "halves" Duration, TUNES, HARD, [], "half notes", "rhythm halves";
    "quarters" Duration, TUNES, HARD, [], "quarter notes", "rhythm quarters";
    "eighths" Duration, TUNES, HARD, [], "eighth notes", "rhythm eighths";
    "sixteenths" Duration, TUNES, HARD, [], "sixteenth notes", "rhythm sixteenths";
    "triplets" Duration, TUNES, HARD, [], "eighth triplets", "rhythm triplets";
    "dotted" Duration, TUNES, HARD, [], "half as long again", "rhythm dotted quarters";
    "one" Count, PIECE, SOFT, [], "1", "one chord per bar";
    "two" Count, PIECE, SOFT, [], "2", "two chords per bar";
    "three" Count, PIECE, SOFT, [], "3", "three chords per bar";
    "four" Count, PIECE, SOFT, [], "4", "four chords per bar";
];

/// Numbers in words, for bars, meters and lengths: `sixteen bars`, `three-four time`. A ten
/// and a unit joined by a hyphen or a space are their sum (`thirty-two`, `twenty four`).
const NUMBER_WORDS: [(&str, u32); 28] = [
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// The number a word names: `sixteen` → 16, `thirty-two` and `thirty two` → 32.
pub fn number_word(text: &str) -> Option<u32> {
    let text = text.to_ascii_lowercase();
    let value = |word: &str| {
        (NUMBER_WORDS.iter())
            .find(|(w, _)| *w == word)
            .map(|(_, n)| *n)
    };
    let mut words = text.split(['-', ' ', '\t']).filter(|w| !w.is_empty());
    let first = value(words.next()?)?;
    match (words.next(), words.next()) {
        (None, _) => Some(first),
        (Some(unit), None) if first >= 20 && first % 10 == 0 => value(unit)
            .filter(|u| (1..=9).contains(u))
            .map(|u| first + u),
        _ => None,
    }
}

/// The skipped words: read and dropped when a line is an English sentence. Nothing else is
/// dropped: a word neither placed nor listed here is an error at that word.
#[rustfmt::skip]
pub const SKIPPED: [&str; 416] = [
    // articles and determiners
    "a", "an", "the", "some", "this", "that", "these", "it", "its", "my", "your", "their", "his",
    // request verbs
    "write", "compose", "make", "generate", "create", "produce", "give", "craft", "play",
    "need", "want", "like", "love", "would", "could", "can", "will", "please", "kindly",
    "i", "i'd", "i'm", "me", "you", "we", "us", "let's", "hey", "hi", "hello", "thanks",
    "thank", "looking", "something", "u", "maybe", "perhaps", "nice", "get", "little",
    "let", "do", "thing", "kinda", "kit", "put", "thx", "it's",
    // glue
    "with", "for", "of", "on", "by", "to", "and", "or", "but", "also", "as", "is", "are",
    "be", "should", "has", "have", "having", "which", "where", "while", "then", "so",
    "at", "about", "around", "into", "from", "over", "under", "all", "throughout", "feel",
    "very", "quite", "really", "fairly", "rather", "pretty", "bit", "just", "only", "too",
    "entirely", "exactly", "underneath",
    // `in` where no clause starts (`I play in a polka band`), `using` before a mode with no
    // tonic (`using the harmonic minor scale`, where the mode is read), and the `mode` after it
    "in", "using", "mode",
    // `in the tonality of E minor`, `with an AABB structure`, the British `metre`
    "tonality", "structure", "metre",
    // `let's go for 16 bars`, a film score's `cue`, a `drum machine`
    "go", "cue", "machine", "small", "playable", "am", "was", "were",
    // verbs of description
    "set", "written", "played", "featuring", "features", "feature", "stays", "stay",
    "keep", "keeps", "kept", "moves", "moving", "goes", "plays", "arranged", "scored", "performed",
    "used", "supported", "together",
    "uses", "use", "lasts", "lasting", "end", "melodic", "repeats", "repeating", "staying",
    // what captions say the music does
    "maintains", "follows", "adds", "creates", "gives", "drives", "drive", "include", "includes", "forward", "atmosphere", "tension", "resolution",
    "evokes", "evoking", "building", "sense", "character", "whose", "keeping", "giving", "vamp",
    // nouns that name what the clauses say
    "tempo", "key", "time", "signature", "meter", "length", "genre", "style", "mood",
    "instruments", "instrument", "instrumentation", "music", "composition", "track", "instrumental",
    "notes", "note", "scale", "pace", "speed", "progression", "sound", "vibe",
    "parts", "part", "motion", "line",
    // origins the folk styles carry already
    "irish", "scottish", "celtic", "traditional", "sea",
    // chat: what people say around the request
    "any", "chance", "say", "plenty", "graduation", "halloween", "meditation", "sister", "brother",
    "perfect", "mind", "composing", "writing", "making", "creating", "learning", "practise", "practice",
    "practising", "practicing", "wondering", "hoping", "try", "trying", "wanted", "loop", "whole",
    "way", "through", "sure", "okay", "ok", "great", "lovely", "cool", "awesome", "idea",
    "cheers", "course", "if", "ever",
    // the chords repeat to fill the piece anyway (`looping`, `twice through`)
    "looping", "twice", "going", "looped", "recurs", "recur", "stick",
    // said around the request (`so far`, `so I can actually play it`, `thanks so much`)
    "actually", "far", "usual", "much", "tiny", "weddings", "spans", "span", "skanks", "move", "fill", "each", "main", "up", "fine",
    // said of the player or the tune (`my son plays in our band`, `24 bars total`)
    "super", "that's", "know", "easy", "her", "him", "our", "band", "daughter", "son", "accompanied", "needs", "wants", "moderately", "con", "moto", "brio", "outlines", "outlining", "everything", "platformer", "following", "follow", "come", "manage", "version", "quick-change", "teaching", "teach", "he", "she", "they", "group", "unfolds", "unfolding", "what", "midi", "sketch", "nephew", "niece", "carries",
    "carrying", "playing", "repeat", "repeated", "total", "background", "theme", "fantasy",
    "birthday",
    // what the music is for (`for my kid's puppet show`)
    "game", "video", "show", "puppet", "party", "wedding", "class", "lesson", "lessons",
    "student", "students", "beginner", "beginners", "kid", "kids", "kid's", "child", "children",
    "school", "scene", "project", "podcast", "youtube", "channel", "app", "website", "advert",
    "commercial", "presentation", "story", "bedtime", "session",
    // chat and captions around the parts (`my student can't play higher`, `Timpani rumble
    // underneath`, `backed by trombone`, `a lo-fi study beat`)
    "can't", "don't", "won't", "possible", "standard", "classic", "built", "backed", "rumble", "rumbles", "swell", "swells", "above", "beneath", "behind", "children's", "study", "out", "along", "higher", "yet", "help",
    // `hi there`; said of the playing, which is always in time (`tight drums`, `crisp drums`,
    // `a steady bass`)
    "there", "tight", "crisp", "steady",
    // greetings (`Good morning!`)
    "good", "morning", "afternoon", "evening",
    // what the music is for, and talk about the player (`her grade exam soon`, `a game's
    // title screen`, `I'm a church organist`: the instrument is named where the music's is)
    "grade", "exam", "exams", "title", "church", "anywhere", "everywhere", "jingle", "recital", "audition", "soon", "screen", "thinking",
    "organist", "pianist", "guitarist", "violinist", "fiddler", "cellist", "flautist", "flutist",
    "drummer", "bassist", "trumpeter", "saxophonist", "clarinettist", "clarinetist", "harpist",
    // how long it lasts (`the piece runs 16 bars`, `repeats across the 8 bars`)
    "runs", "run", "across",
    // asking and talk of what it is for (`would you be able to`, `I'm putting together a set`,
    // `thanks a lot`)
    "able", "putting", "lot", "baby",
];

/// Shorthand's abbreviations, read as the word they stand for: `overdriven gtr`.
pub const ABBREVIATIONS: [(&str, &str); 9] = [
    ("&", "and"),
    ("accomp", "accompaniment"),
    ("gtr", "guitar"),
    ("pls", "please"),
    ("plz", "please"),
    ("8ths", "eighths"),
    ("16ths", "sixteenths"),
    ("8th", "eighth"),
    ("16th", "sixteenth"),
];

/// Other names of note values, as the American name they stand for: shorthand's `8th`, and
/// British English (`quaver` is an eighth note).
#[rustfmt::skip]
pub const NOTE_VALUE_NAMES: [(&str, &str); 7] = [
    ("8th", "eighth"), ("16th", "sixteenth"), ("semiquaver", "sixteenth"), ("quaver", "eighth"),
    ("crotchet", "quarter"), ("minim", "half"), ("semibreve", "whole"),
];

/// Tempo words and the bpm each allows (MidiCaps' bins where it has them, else the usual
/// ranges). A word picks the style's tempo, moved by the moods, brought into its range; a
/// written number wins over the word when it lies within a quarter of its range (else E0200).
#[rustfmt::skip]
pub const TEMPO_WORDS: [(&str, u32, u32); 16] = [
    ("grave", 20, 40), ("largo", 41, 60), ("lento", 41, 60), ("larghetto", 60, 66),
    ("adagio", 61, 70), ("andante", 71, 90), ("moderato", 91, 110), ("allegretto", 100, 120),
    ("allegro", 111, 140), ("vivace", 141, 160), ("presto", 161, 210),
    ("prestissimo", 211, 300), ("moderate", 81, 120), ("medium", 81, 120), ("brisk", 121, 160),
    ("mid-tempo", 81, 120),
];

/// Adjectives a hedge (`not too long`, `nothing too jumpy`) may hold: it asks for nothing the
/// style's defaults do not already keep, so `not`/`nothing`, `too` and the word are skipped.
#[rustfmt::skip]
pub const HEDGED: [&str; 18] = [
    "long", "short", "fast", "slow", "jumpy", "busy", "complex", "complicated", "loud",
    "high", "low", "hard", "difficult", "repetitive", "fancy", "elaborate", "crazy", "wild",
];

/// Length words and the bars each asks for.
/// `long` is 32 bars, read only before a piece noun or after `quite`/`very` (`words`).
pub const LENGTH_WORDS: [(&str, u32); 3] = [("short", 8), ("brief", 8), ("long", 32)];

/// Mood words outside the presets and the preset mood each is read as.
#[rustfmt::skip]
pub const MOOD_WORDS: [(&str, &str); 116] = [
    ("cheerful", "happy"), ("joyful", "happy"), ("joyous", "happy"), ("merry", "happy"),
    ("upbeat", "lively"), ("energetic", "lively"), ("bouncy", "lively"), ("playful", "lively"),
    ("spirited", "lively"), ("driving", "lively"), ("danceable", "lively"), ("jaunty", "lively"),
    ("peaceful", "calm"), ("relaxing", "calm"), ("relaxed", "calm"), ("meditative", "calm"),
    ("serene", "calm"), ("dreamy", "calm"), ("tranquil", "calm"), ("soothing", "gentle"),
    ("tender", "gentle"), ("soft", "gentle"), ("romantic", "gentle"), ("sweet", "gentle"),
    ("melancholic", "melancholy"), ("nostalgic", "melancholy"), ("wistful", "melancholy"),
    ("somber", "sad"), ("sombre", "sad"), ("mournful", "sad"), ("sorrowful", "sad"),
    ("haunting", "dark"), ("mysterious", "dark"), ("ominous", "dark"), ("eerie", "dark"),
    ("triumphant", "majestic"), ("epic", "majestic"), ("grand", "majestic"),
    ("heroic", "majestic"), ("uplifting", "bright"), ("hopeful", "bright"),
    ("inspiring", "bright"), ("simple", "sparse"), ("quick", "fast"),
    ("emotional", "melancholy"), ("motivational", "bright"), ("dramatic", "majestic"),
    ("heavy", "dark"), ("action", "lively"), ("corporate", "bright"), ("dream", "calm"),
    ("space", "calm"), ("proud", "majestic"), ("chill", "calm"),
    ("light", "gentle"), ("airy", "gentle"), ("delicate", "gentle"), ("graceful", "gentle"), ("sunny", "happy"), ("festive", "happy"), ("groovy", "lively"), ("whimsical", "lively"), ("quirky", "lively"), ("mellow", "calm"), ("smooth", "calm"), ("contemplative", "calm"), ("reflective", "melancholy"), ("solemn", "sad"), ("tense", "dark"), ("suspenseful", "dark"), ("powerful", "majestic"), ("spooky", "dark"), ("retro", "lively"), ("creepy", "dark"),
    ("brooding", "dark"), ("spacey", "calm"), ("carefree", "happy"), ("nostalgia", "melancholy"),
    ("action-filled", "lively"), ("slowly", "slow"), ("smoky", "calm"), ("fastest", "fast"),
    ("spacious", "calm"), ("ethereal", "calm"), ("atmospheric", "calm"), ("hypnotic", "calm"),
    ("lush", "gentle"), ("bittersweet", "melancholy"), ("gloomy", "sad"), ("mystical", "dark"),
    ("uptempo", "fast"), ("up-tempo", "fast"), ("fast-paced", "fast"), ("slow-paced", "slow"),
    ("aggressive", "lively"), ("intense", "lively"), ("passionate", "gentle"), ("action-packed", "lively"),
    ("soulful", "gentle"), ("moody", "melancholy"), ("chilled", "calm"), ("lazy", "calm"),
    ("warm", "gentle"), ("laid-back", "calm"), ("hard-hitting", "lively"), ("catchy", "happy"),
    ("stately", "majestic"), ("regal", "majestic"), ("noble", "majestic"), ("dignified", "majestic"),
    ("elegant", "gentle"), ("lilting", "gentle"), ("rousing", "lively"), ("jubilant", "happy"),
    ("pensive", "melancholy"), ("cozy", "calm"),
];

/// Another name for a style: the name, the style's own name, and the meter (count, unit) the
/// name sets, if any.
pub type OtherStyleName = (&'static str, &'static str, Option<(u8, u8)>);

/// Other names people use for a style: adjectives, and kinds of a style with their own meter
/// (the style's, in that meter). The style's own names and aliases are in src/presets.
#[rustfmt::skip]
pub const STYLE_WORDS: [OtherStyleName; 19] = [
    ("bluesy", "blues", None), ("jazzy", "jazz", None), ("jazzy waltz", "jazz waltz", None), ("funky", "funk", None),
    ("folky", "folk", None), ("folksy", "folk", None), ("poppy", "pop", None), ("hard rock", "rock", None),
    ("marching", "march", None), ("waltzing", "waltz", None), ("christmassy", "christmas", None),
    ("slip jig", "jig", Some((9, 8))), ("hop jig", "jig", Some((9, 8))),
    // The slow air is a lullaby's slow, lyrical 3/4; the strathspey a hornpipe's dotted 4/4.
    ("air", "lullaby", None), ("strathspey", "hornpipe", None),
    // The minuet is a courtly dance in 3/4 (the waltz's); a fanfare a march's brass call.
    ("minuet", "waltz", None), ("fanfare", "march", None),
    // A hymn is a chorale's four-part, slow tune; pop-rock the rock style.
    ("hymn", "chorale", None), ("pop-rock", "rock", None),
];

/// Style adjectives that, beside another style, are the feel they bring to it: `a jazzy folk
/// tune` is the folk style swung (`jazzy` alone is still the jazz style).
pub const SWING_ADJECTIVES: [&str; 2] = ["jazzy", "bluesy"];

/// Names of a family of styles (`electronic` is read as house): beside a style of the family
/// named more exactly (`an electronic track with a techno vibe`), they give way to it.
pub const UMBRELLA_STYLES: [&str; 4] = ["electronic", "edm", "dance", "latin"];

/// Genres people name that have no preset yet: refused, saying so, until they get one.
#[rustfmt::skip]
pub const GENRES: [&str; 14] = [
    "punk", "blues-rock", "grunge", "bluegrass", "r&b", "rnb", "klezmer", "flamenco", "tango",
    "ska", "zydeco", "cumbia", "samba", "dubstep",
];

/// Parts named as nouns in a sentence: `with drums` adds the drums, `a simple melody` is the
/// melody every piece has.
#[rustfmt::skip]
pub const PART_NOUNS: [(&str, PartRole); 27] = [
    ("melody", PartRole::Melody), ("drums", PartRole::Drums), ("drum", PartRole::Drums),
    ("percussion", PartRole::Drums), ("bassline", PartRole::Bass),
    ("accompaniment", PartRole::Chords), ("harmony", PartRole::Chords),
    ("backing", PartRole::Chords), ("chords", PartRole::Chords),
    ("counter-melody", PartRole::CounterMelody), ("countermelody", PartRole::CounterMelody),
    ("bass", PartRole::Bass), ("bodhran", PartRole::Drums), ("lead", PartRole::Melody),
    // `Rhodes on top`: the instrument on top is the melody's.
    ("top", PartRole::Melody), ("hook", PartRole::Melody), ("head", PartRole::Melody),
    ("congas", PartRole::Drums), ("conga", PartRole::Drums),
    // the kit's pieces and machines: `a snare drum`, `a drum machine`, `hi-hats`
    ("snare", PartRole::Drums), ("kick", PartRole::Drums), ("hi-hat", PartRole::Drums),
    ("hi-hats", PartRole::Drums), ("cymbals", PartRole::Drums), ("tambourine", PartRole::Drums),
    ("shaker", PartRole::Drums), ("drumkit", PartRole::Drums),
];

/// Ways of playing the drums people name, and the groove each is: brushes are the ballad's
/// groove (brushed snare on the backbeat, ride time), whatever the style; salsa's son clave
/// goes 3-2 (its default) or 2-3.
#[rustfmt::skip]
pub const DRUM_WORDS: [(&str, Groove); 14] = [
    ("brushes", Groove::Brushes), ("brushed drums", Groove::Brushes), ("brush drums", Groove::Brushes),
    ("3-2 clave", Groove::Salsa), ("3-2 son clave", Groove::Salsa), ("three-two clave", Groove::Salsa),
    ("2-3 clave", Groove::SalsaTwoThree), ("2-3 son clave", Groove::SalsaTwoThree),
    ("two-three clave", Groove::SalsaTwoThree),
    // Reggae's groove by its name, whatever the style: kick and rim on 3.
    ("one-drop", Groove::OneDrop), ("one drop", Groove::OneDrop),
    // Christmas's sleigh bells on the beats.
    ("sleigh bells", Groove::Sleigh),
    // Dance music's kick on every beat, by its name.
    ("four-on-the-floor", Groove::FourOnTheFloor), ("four on the floor", Groove::FourOnTheFloor),
];

/// Requests tunec cannot honour, with the reason: it writes instrumental notes.
#[rustfmt::skip]
pub const REFUSED: [(&str, Refusal); 37] = [
    ("lyrics", Refusal::Vocals), ("lyric", Refusal::Vocals), ("vocals", Refusal::Vocals),
    ("vocal", Refusal::Vocals), ("vocalist", Refusal::Vocals), ("singer", Refusal::Vocals),
    ("singers", Refusal::Vocals), ("singing", Refusal::Vocals), ("sung", Refusal::Vocals),
    ("sing", Refusal::Vocals), ("sings", Refusal::Vocals), ("rap", Refusal::Vocals),
    ("rapping", Refusal::Vocals), ("rapper", Refusal::Vocals), ("rappers", Refusal::Vocals), ("voice", Refusal::Vocals), ("words", Refusal::Vocals),
    ("reverb", Refusal::Production), ("reverb-heavy", Refusal::Production),
    ("echo", Refusal::Production), ("vinyl", Refusal::Production),
    ("mp3", Refusal::Production), ("wav", Refusal::Production), ("tape", Refusal::Production),
    ("crackle", Refusal::Production), ("hiss", Refusal::Production),
    ("mixed", Refusal::Production), ("mixing", Refusal::Production),
    ("mastered", Refusal::Production), ("mastering", Refusal::Production),
    ("compression", Refusal::Production), ("sidechain", Refusal::Production),
    ("autotune", Refusal::Production), ("stereo", Refusal::Production),
    ("production", Refusal::Production), ("mix", Refusal::Production),
    ("master", Refusal::Production),
];

/// The musicians' short names of modes, as the grammar's `mode` reads them after a tonic (`A
/// mix`, `D dor`); the full names are `theory::Mode`'s. ABC's three-letter prefixes (`K:Ador`)
/// are read by `abc_mode`.
#[rustfmt::skip]
pub const MODE_SHORT_NAMES: [(&str, Mode); 11] = [
    ("pentatonic", Mode::MajorPentatonic), ("maj", Mode::Major), ("min", Mode::Minor),
    ("mix", Mode::Mixolydian), ("dor", Mode::Dorian), ("lyd", Mode::Lydian),
    ("phryg", Mode::Phrygian), ("phr", Mode::Phrygian), ("loc", Mode::Locrian),
    ("aeol", Mode::Aeolian), ("ionian", Mode::Major),
];

/// Words read only inside the English phrasings of clauses (`no jumps over a fifth`).
#[rustfmt::skip]
const PHRASINGS: [&str; 180] = [
    "cannot", "gets", "particular",
    "big", "bounds", "middle", "spanning", "cadences", "cadencing", "close", "closes", "closing", "compass", "crotchet",
    "duple", "final", "huge", "land", "large", "limit", "limits", "meas", "minim", "mm", "must",
    "quadruple", "quaver", "register", "resolve", "resolves", "resolving", "semibreve",
    "semiquaver", "sig", "them", "thru", "triple", "wide", "zero",
    "above", "aeo", "alternate", "alternates", "alternating", "any", "approx", "approximately",
    "avoid", "avoids", "beats", "begin", "beginning", "begins", "below", "between", "beyond",
    "bigger", "black", "bridge", "centers", "centres", "changes", "chorus", "comes", "coming",
    "common", "confined", "cut", "does", "dropping", "drops", "each", "end", "ending", "falls",
    "finish", "finishes", "finishing", "go", "going", "greater", "higher", "highest", "inside",
    "inspired", "interval", "intervals", "intro", "ion", "jump", "jumping", "jumps", "keys",
    "knows", "landing", "lands", "largest", "leaping", "less", "limited", "long", "lower",
    "lowest", "manner", "max", "maximum", "mins", "minute", "minutes", "mode", "more", "most",
    "move", "never", "nor", "not", "nothing", "opening", "opens", "outro", "phrase", "phrases",
    "pitch", "pitches", "refrain", "rest", "restricted", "revolves", "rises", "roughly", "same",
    "sec", "seconds", "secs", "sections", "sequence", "skip", "skipping", "skips", "smaller",
    "sounding", "sounds", "start", "starting", "step", "steps", "strains", "structure",
    "thirds", "those", "verse", "white", "wider", "within", "without", "back", "forth",
    "biggest", "sticks", "aug", "perf", "times", "bpm", "root", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "degree", "bottom", "high", "low", "sticking", "changing", "flats", "heard", "sharps",
];

/// Words of the English phrasings (`PHRASINGS`) by the clause they belong to, with how it is
/// written: what the error says when one stands where no clause reads (`a reel, never`).
#[rustfmt::skip]
pub const PHRASING_USES: [(&[&str], &str); 14] = [
    (&["never", "not", "nothing", "nor"],
        "`never above A5`, `never below D4`, `never leaps more than a fourth`"),
    (&["between", "within", "inside", "bounds", "limits", "limit", "compass", "register", "confined"],
        "`between D4 and B5`, `within D4 and B5`"),
    (&["above", "higher", "highest", "high"], "`never above A5`, `the highest note is C6`"),
    (&["below", "lower", "lowest", "low", "bottom"], "`never below D4`, `the lowest note is D4`"),
    (&["jump", "jumps", "jumping", "leaping", "skip", "skips", "skipping", "interval", "intervals",
        "bigger", "large", "big", "huge", "greater", "largest", "biggest",
        "smaller", "less", "more", "max", "maximum"],
        "`no jumps bigger than a fifth`, `never leaps more than a fourth`"),
    (&["step", "steps"], "`moving by step`, `mostly by step`"),
    (&["spanning", "wider", "wide"],
        "`within an octave`, `no wider than an octave`, `spanning at most a ninth`"),
    (&["start", "starting", "begin", "beginning", "begins", "opens", "opening", "first"],
        "`starts on D`, `begins on the tonic`, `opens with A`"),
    (&["end", "ending", "finish", "finishes", "finishing", "final", "land", "lands", "landing",
        "close", "closes", "closing", "resolve", "resolves", "resolving", "cadences", "cadencing"],
        "`ends on the tonic`, `lands on G4`, `closes on D`"),
    (&["verse", "chorus", "bridge", "intro", "outro", "refrain"],
        "`verse and chorus` (a form that names it), `form intro verse chorus outro`"),
    (&["seconds", "sec", "secs", "minute", "minutes", "mins", "long"],
        "`about 30 seconds long`, `2 minutes`"),
    (&["avoid", "avoids"], "`avoid F and C`"),
    (&["alternate", "alternates", "alternating"], "`alternates between C and G`"),
    (&["white", "black", "keys"], "`just the white keys`, `only the black keys`"),
];

/// How the clause a phrasing word belongs to is written: `never` → `` `never above A5`, … ``.
pub fn phrasing_use(word: &str) -> Option<&'static str> {
    let word = word.to_ascii_lowercase();
    (PHRASING_USES.iter())
        .find(|(words, _)| words.contains(&word.as_str()))
        .map(|(_, usage)| *usage)
}

/// Every word tunec knows, each sense once: a word with two senses (`busy`, `chords`) comes
/// twice. The order is the order "did you mean" prefers between equally close words.
pub fn words() -> impl Iterator<Item = Word> {
    // Each style by its name, then the other names people use for it (`EDM`, `cinematic`).
    let names = presets::STYLES.iter().map(|s| s.name);
    let aliases = presets::STYLES
        .iter()
        .flat_map(|s| s.aliases.iter().copied());
    let styles = names.chain(aliases).map(|name| preset(name, Style));
    let moods = presets::MOODS.iter().map(|m| preset(m.name, Mood));
    let modes = Mode::ALL.into_iter().map(mode);
    let tables = [&SWITCHES[..], &CLAUSES, &SECTION_WORDS];
    styles
        .chain(moods)
        .chain(NOUNS)
        .chain(modes)
        .chain(tables.into_iter().flatten().copied())
        .chain(PartRole::ALL.into_iter().map(part))
        .chain(PART_WORDS)
        .chain(patterns())
        .chain(presets::DRUM_KIT.iter().map(|(name, _)| drum(name)))
        .chain(instruments::names().map(instrument))
        .chain(VALUES)
        .chain(crate::theory::interval::NAMES.into_iter().map(interval))
        .chain(
            crate::theory::interval::QUALITIES
                .into_iter()
                .map(interval_quality),
        )
        .chain(english())
        .chain(presets::ensembles::names().map(ensemble))
}

fn ensemble(text: &'static str) -> Word {
    Word {
        text,
        kind: Ensemble,
        places: Places::PIECE,
        meaning: "an ensemble: who plays the melody, counter-melody, chords and bass",
        usage: "folk tune for string quartet",
        strength: Some(Strength::Exact),
        offered: &[],
    }
}

/// The words of English sentences: numbers, skipped words, tempo and mood words, part nouns,
/// genres without a preset, refusals and the phrasings' own words.
fn english() -> impl Iterator<Item = Word> {
    let word = |text, kind, meaning, usage| Word {
        text,
        kind,
        places: Places::PIECE,
        meaning,
        usage,
        strength: None,
        offered: &[],
    };
    let numbers = NUMBER_WORDS[4..]
        .iter()
        .map(move |(t, _)| word(t, Count, "a number", "sixteen bars"));
    let skipped = SKIPPED.iter().map(move |t| {
        word(
            t,
            Skip,
            "skipped in a sentence",
            "write a tune for a folk song",
        )
    });
    let tempo = TEMPO_WORDS.iter().map(move |(t, low, high)| Word {
        strength: Some(Strength::Hard),
        ..word(
            t,
            Tempo(*low, *high),
            "a tempo word: a bpm range",
            "andante folk tune",
        )
    });
    let lengths = LENGTH_WORDS.iter().map(move |(t, bars)| Word {
        strength: Some(Strength::Hard),
        ..word(
            t,
            Length(*bars),
            "a length word: a number of bars",
            "a short folk tune",
        )
    });
    let moods = MOOD_WORDS.iter().map(move |(t, m)| Word {
        strength: Some(Strength::Soft),
        ..word(
            t,
            MoodWord(m),
            "a mood word, read as a preset mood",
            "cheerful folk tune",
        )
    });
    let parts = PART_NOUNS
        .iter()
        .map(move |(t, r)| word(t, PartNoun(*r), "a part, named in a sentence", "with drums"));
    let drums = DRUM_WORDS.iter().map(move |(t, g)| Word {
        strength: Some(Strength::Soft),
        ..word(
            t,
            DrumWord(*g),
            "how the drums play: a groove",
            "a ballad with brushed drums",
        )
    });
    let genres = GENRES
        .iter()
        .map(move |t| word(t, Genre, "a genre with no preset yet", "folk tune"));
    let styles = STYLE_WORDS.iter().map(move |(t, style, _)| Word {
        strength: Some(Strength::Soft),
        ..word(
            t,
            StyleWord(style),
            "another name for a style",
            "a slip jig in G",
        )
    });
    let refused = REFUSED
        .iter()
        .map(move |(t, r)| word(t, Refused(*r), "a request tunec refuses", "folk tune"));
    // `pentatonic` is a word of its own (a switch); the other short names only name modes.
    let short_modes = MODE_SHORT_NAMES.iter().map(|(t, _)| t);
    let phrasings = (PHRASINGS
        .iter()
        .chain(short_modes.filter(|t| **t != "pentatonic")))
    .map(move |t| {
        word(
            t,
            Phrasing,
            "a word of an English phrasing",
            "no jumps over a fifth",
        )
    });
    numbers
        .chain(skipped)
        .chain(tempo)
        .chain(lengths)
        .chain(moods)
        .chain(parts)
        .chain(drums)
        .chain(genres)
        .chain(styles)
        .chain(refused)
        .chain(phrasings)
}

/// Every sense of `text` (lower case, single spaces), in the table's order.
pub fn senses(text: &str) -> impl Iterator<Item = Word> + '_ {
    // Indexed once: a sentence looks up every word it holds, several times.
    static INDEX: std::sync::OnceLock<FnvHashMap<&'static str, Vec<Word>>> =
        std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = FnvHashMap::default();
        for word in words() {
            index.entry(word.text).or_insert_with(Vec::new).push(word);
        }
        index
    });
    index.get(text).into_iter().flatten().copied()
}

/// How the clause a keyword starts is written: `range` → `range D4 to B5`.
pub fn usage(keyword: &str) -> Option<&'static str> {
    CLAUSES
        .iter()
        .find(|w| w.kind == Keyword && w.text.split(' ').next() == Some(keyword))
        .map(|w| w.usage)
}

/// The words "did you mean" may offer in `context`, in the order it prefers them.
pub fn candidates(context: Context) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for word in words().filter(|w| w.offered.contains(&context)) {
        if context == Context::Clause {
            // Text the grammar could not read may be any piece of a clause, so the clause's
            // words are offered one by one; a word of two letters is close to too much.
            let long = word.text.split(' ').filter(|w| w.len() > 2);
            out.extend(long.filter(|w| !out.contains(w)).collect::<Vec<_>>());
        } else {
            out.push(word.text);
        }
    }
    if context == Context::PartLine {
        // A stable sort: the words not in the list keep the table's order, after it.
        out.sort_by_key(|w| {
            PART_LINE_ORDER
                .iter()
                .position(|p| p == w)
                .unwrap_or(usize::MAX)
        });
    }
    out
}

/// The order a part line has always preferred between equally close clause words, its own
/// clauses first; a tie goes to the first, so this keeps every suggestion as it was.
const PART_LINE_ORDER: [&str; 10] = [
    "stepwise",
    "mostly stepwise",
    "range",
    "none",
    "program",
    "starts on",
    "ends on",
    "using only",
    "avoiding",
    "rhythm",
];

fn preset(text: &'static str, kind: Kind) -> Word {
    let (meaning, usage) = match kind {
        Style => (
            "a style: its meter, tempo, key, form, instruments and groove as soft defaults",
            "folk tune",
        ),
        _ => (
            "a mood: shifts the style's tempo, and may choose the mode, register and density",
            "sad folk tune",
        ),
    };
    Word {
        text,
        kind,
        places: Places::PIECE,
        meaning,
        usage,
        strength: Some(Strength::Soft),
        offered: &[Context::PieceLine],
    }
}

fn mode(mode: Mode) -> Word {
    Word {
        text: mode.name(),
        kind: Kind::Mode,
        places: Places::PIECE,
        meaning: "a mode of the key: its scale binds every pitched note",
        usage: "in D dorian",
        strength: None,
        offered: &[Context::PieceLine],
    }
}

fn part(role: PartRole) -> Word {
    let meaning = match role {
        PartRole::Melody => "the tune itself; every piece has one",
        PartRole::CounterMelody => "a second line under the melody, moving against it",
        PartRole::Chords => "the harmony, played in a pattern",
        PartRole::Bass => "the lowest line, on the chords' roots",
        PartRole::Drums => "the General MIDI kit on channel 10",
    };
    Word {
        text: role.name(),
        kind: Kind::Part,
        places: Places::of(role).and(Places::SECTION_PART),
        meaning,
        usage: "melody: fiddle, range D4 to B5",
        strength: None,
        offered: &[Context::PartName],
    }
}

fn patterns() -> impl Iterator<Item = Word> {
    let word = |kind, places, (text, _): &(&'static str, Pattern)| Word {
        text,
        kind,
        places,
        meaning: "how the part plays each chord",
        usage: "chords: strum",
        strength: Some(Strength::Soft),
        offered: &[Context::PartLine],
    };
    let chords = Pattern::CHORDS
        .iter()
        .map(move |p| word(ChordPattern, Places::CHORDS, p));
    let bass = Pattern::BASS
        .iter()
        .map(move |p| word(BassPattern, Places::BASS, p));
    chords.chain(bass)
}

fn drum(text: &'static str) -> Word {
    Word {
        text,
        kind: Drum,
        places: Places::DRUMS,
        meaning: "a drum of the General MIDI kit, played by a step grid",
        usage: "drums: kick x...x... snare ..x...x.",
        strength: Some(Strength::Hard),
        offered: &[Context::DrumName],
    }
}

fn instrument(text: &'static str) -> Word {
    Word {
        text,
        kind: Instrument,
        places: Places::PITCHED,
        meaning: "a General MIDI instrument",
        usage: "melody: fiddle",
        strength: Some(Strength::Exact),
        offered: &[Context::InstrumentName],
    }
}

fn interval(text: &'static str) -> Word {
    Word {
        text,
        kind: Interval,
        places: Places::LINES,
        meaning: "the largest leap allowed",
        usage: "no leaps larger than a fifth",
        strength: Some(Strength::Hard),
        offered: &[],
    }
}

fn interval_quality(text: &'static str) -> Word {
    Word {
        meaning: "an interval's quality: `a minor third`, `an augmented fourth`",
        usage: "no leaps larger than a minor sixth",
        ..interval(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn read(path: &str) -> String {
        let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn texts(kinds: &[Kind]) -> BTreeSet<&'static str> {
        words()
            .filter(|w| kinds.contains(&w.kind))
            .map(|w| w.text)
            .collect()
    }

    #[test]
    fn every_phrasing_use_is_listed_under_a_phrasing_word() {
        let phrasings = texts(&[Phrasing]);
        for (words, usage) in PHRASING_USES {
            for word in words {
                assert!(phrasings.contains(word), "`{word}` is no phrasing word");
                assert_eq!(phrasing_use(word), Some(usage));
            }
        }
    }

    #[test]
    fn the_dynamics_are_the_table_s_in_order() {
        let table: Vec<&str> = words()
            .filter(|w| w.kind == Dynamic)
            .map(|w| w.text)
            .collect();
        assert_eq!(table, DYNAMICS);
        assert_eq!((dynamic_level("mf"), dynamic_name(5)), (Some(5), "mf"));
        assert_eq!((dynamic_level("loud"), dynamic_name(0)), (None, "ppp"));
    }

    /// The candidate lists as they were written before this table: a tie goes to the first
    /// word, so the same words in the same order keep every suggestion as it was.
    #[test]
    fn suggestions_are_as_before() {
        let clause = "title seed using only avoiding chords range mostly stepwise leaps larger \
                      than starts ends program none bars bpm";
        assert_eq!(candidates(Context::Clause).join(" "), clause);
        assert_eq!(
            candidates(Context::AfterNumber),
            ["bars", "measures", "bpm"]
        );
        let styles = (presets::STYLES.iter().map(|s| s.name)).chain(
            presets::STYLES
                .iter()
                .flat_map(|s| s.aliases.iter().copied()),
        );
        let moods = presets::MOODS.iter().map(|m| m.name);
        let piece: Vec<&str> = styles
            .chain(moods)
            .chain(["tune", "song", "piece", "beat"])
            .chain(Mode::ALL.iter().map(|m| m.name()))
            .chain(["solo", "swing", "form", "section", "louder", "softer"])
            .collect();
        assert_eq!(candidates(Context::PieceLine), piece);
        let parts = ["melody", "counter-melody", "chords", "bass", "drums"];
        assert_eq!(candidates(Context::PartName), parts);
        let patterns = Pattern::CHORDS
            .iter()
            .chain(&Pattern::BASS)
            .map(|(n, _)| *n);
        let part_line: Vec<&str> = PART_LINE_ORDER
            .into_iter()
            .chain(["busy", "sparse", "rising", "falling"])
            .chain(patterns)
            .collect();
        assert_eq!(candidates(Context::PartLine), part_line);
        let drums: Vec<&str> = presets::DRUM_KIT.iter().map(|(n, _)| *n).collect();
        assert_eq!(candidates(Context::DrumName), drums);
        let instruments: Vec<&str> = instruments::names().collect();
        assert_eq!(candidates(Context::InstrumentName), instruments);
    }

    #[test]
    fn part_line_order_lists_the_part_clauses_offered() {
        let offered: BTreeSet<&str> = CLAUSES
            .iter()
            .filter(|w| w.kind == Keyword && w.offered.contains(&Context::PartLine))
            .map(|w| w.text)
            .collect();
        assert_eq!(offered, PART_LINE_ORDER.into_iter().collect());
    }

    #[test]
    fn usages_and_senses() {
        assert_eq!(usage("range"), Some("range D4 to B5"));
        assert_eq!(usage("ends"), Some("ends on the tonic"));
        assert_eq!(usage("stepwise"), Some("stepwise"));
        assert_eq!(usage("fiddle"), None);
        let busy: Vec<Kind> = senses("busy").map(|w| w.kind).collect();
        assert_eq!(busy, [Mood, Kind::Density(Density::Busy)]);
        assert!(senses("fiddle").any(|w| w.kind == Instrument));
        assert!(senses("mostly stepwise").all(|w| w.places.part(PartRole::Bass)));
        assert!(!senses("rhythm").any(|w| w.places.part(PartRole::Bass)));
        for word in words() {
            assert!(
                !word.meaning.is_empty() && !word.usage.is_empty(),
                "{word:?}"
            );
            assert_eq!(word.text, word.text.to_ascii_lowercase(), "{word:?}");
        }
    }

    /// A message for each word of `these` missing from `those`.
    fn missing<T: AsRef<str> + Ord>(
        these: &BTreeSet<T>,
        those: &BTreeSet<T>,
        message: impl Fn(&str) -> String,
    ) -> Vec<String> {
        these
            .difference(those)
            .map(|w| message(w.as_ref()))
            .collect()
    }

    /// The literals of the grammar's `keyword` rule: `^"in" | ^"at" | …`.
    fn grammar_keywords() -> BTreeSet<String> {
        let grammar = read("grammar/tune.pest");
        let start = grammar
            .find("\nkeyword")
            .expect("grammar/tune.pest has a `keyword` rule");
        let rule = &grammar[start..];
        let rule = &rule[..rule.find('}').unwrap_or(rule.len())];
        rule.split("^\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap_or(0)].to_string())
            .collect()
    }

    #[test]
    fn keywords_agree_with_the_grammar() {
        let grammar = grammar_keywords();
        let ours: BTreeSet<String> = texts(&[Keyword])
            .into_iter()
            .map(|t| t.split(' ').next().unwrap_or(t).to_string())
            .collect();
        let mut wrong = missing(&grammar, &ours, |w| {
            format!(
                "`{w}` is a keyword in grammar/tune.pest but starts no clause in src/vocabulary.rs: add the clause to CLAUSES"
            )
        });
        wrong.extend(missing(&ours, &grammar, |w| {
            format!("the clause keyword `{w}` (src/vocabulary.rs) is missing from the `keyword` rule of grammar/tune.pest: add ^\"{w}\"")
        }));
        assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    }

    /// Every word the grammar spells out, in any rule, is a word of the table, or one of these:
    /// articles and the inflections and spellings the reader accepts inside a clause.
    #[test]
    fn every_word_of_the_grammar_is_in_the_table() {
        const INSIDE_A_CLAUSE: [&str; 22] = [
            // A section's hairpin and `the last chorus goes up a step` (docs/language.md).
            "crescendo",
            "cresc",
            "decrescendo",
            "decresc",
            "diminuendo",
            "dim",
            "last",
            "modulates",
            "up",
            "tone",
            "a",
            "an",
            "the",
            "s",
            "note",
            "notes",
            "eighth",
            "quarter",
            "sixteenth",
            "triplet",
            "sharp",
            "flat",
        ];
        let grammar = read("grammar/tune.pest");
        let ours: BTreeSet<&str> = words().flat_map(|w| w.text.split(' ')).collect();
        let literals = grammar
            .split("^\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap_or(0)]);
        let unknown: BTreeSet<&str> = literals
            .flat_map(|l| l.split(' '))
            .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()) && !w.is_empty())
            .filter(|w| !ours.contains(w) && !INSIDE_A_CLAUSE.contains(w))
            .collect();
        assert!(
            unknown.is_empty(),
            "grammar/tune.pest reads {unknown:?}, which src/vocabulary.rs does not know: add them"
        );
    }

    /// The content of the `n`th capturing group of `regex` (1-based).
    fn capture(regex: &str, n: usize) -> &str {
        let (mut count, mut open, mut depth) = (0, Vec::new(), 0);
        let mut chars = regex.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '(' => {
                    depth += 1;
                    if chars.peek().map(|(_, c)| *c) != Some('?') {
                        count += 1;
                        if count == n {
                            open.push((depth, i + 1));
                        }
                    }
                }
                ')' => {
                    if let Some(&(d, start)) = open.last()
                        && d == depth
                    {
                        return &regex[start..i];
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        panic!("no group {n} in {regex}")
    }

    /// Every word a regex lists in its `(?i:a|b)` and `(?:a|b)` groups, with `\s+` read as a
    /// space and `s?` giving both forms: `bars?` is `bar` and `bars`.
    fn listed(regex: &str) -> Vec<String> {
        let mut out = Vec::new();
        for opener in ["(?i:", "(?:"] {
            for (at, _) in regex.match_indices(opener) {
                let inner = &regex[at + opener.len()..];
                let end = inner.find(')').unwrap_or(inner.len());
                if !inner[..end].contains('(') {
                    out.extend(
                        inner[..end]
                            .split('|')
                            .flat_map(|a| expand(&a.replace("\\s+", " "))),
                    );
                }
            }
        }
        out
    }

    fn expand(alternative: &str) -> Vec<String> {
        match alternative.find('?') {
            Some(i) if i > 0 => expand(&alternative[i + 1..])
                .into_iter()
                .flat_map(|rest| {
                    let prefix = &alternative[..i];
                    [
                        format!("{prefix}{rest}"),
                        format!("{}{rest}", &prefix[..i - 1]),
                    ]
                })
                .collect(),
            _ => vec![alternative.to_string()],
        }
    }

    /// The words the TextMate grammar highlights, by scope name.
    fn highlighted() -> Vec<(String, String)> {
        let grammar: serde_json::Value =
            serde_json::from_str(&read("editors/vscode/syntaxes/tune.tmLanguage.json"))
                .expect("valid JSON");
        let mut out = Vec::new();
        let mut stack = vec![&grammar];
        while let Some(value) = stack.pop() {
            let Some(object) = value.as_object() else {
                stack.extend(value.as_array().into_iter().flatten());
                continue;
            };
            stack.extend(object.values());
            let regex = ["match", "begin"]
                .iter()
                .find_map(|k| object.get(*k)?.as_str());
            let Some(regex) = regex else { continue };
            if let Some(scope) = object.get("name").and_then(|n| n.as_str()) {
                out.extend(listed(regex).into_iter().map(|w| (scope.to_string(), w)));
            }
            for captures in ["captures", "beginCaptures"]
                .iter()
                .filter_map(|k| object.get(*k))
            {
                for (n, named) in captures.as_object().into_iter().flatten() {
                    let scope = named["name"].as_str().unwrap_or_default().to_string();
                    let group = capture(regex, n.parse().unwrap_or(0));
                    out.extend(listed(group).into_iter().map(|w| (scope.clone(), w)));
                }
            }
        }
        out
    }

    #[test]
    fn the_textmate_grammar_highlights_the_vocabulary() {
        let highlighted = highlighted();
        let scoped = |prefix: &str| -> BTreeSet<String> {
            let words = highlighted
                .iter()
                .filter(|(scope, _)| scope.starts_with(prefix));
            words.map(|(_, w)| w.to_ascii_lowercase()).collect()
        };
        let ours = |kinds: &[Kind]| -> BTreeSet<String> {
            texts(kinds).into_iter().map(String::from).collect()
        };
        let known: BTreeSet<String> = words().map(|w| w.text.to_string()).collect();
        let file = "editors/vscode/syntaxes/tune.tmLanguage.json";
        let mut wrong = missing(&scoped("keyword."), &known, |w| {
            format!(
                "{file} highlights `{w}` as a keyword, but src/vocabulary.rs does not know it: add it there"
            )
        });
        let clause_words = [Keyword, Unit, Joiner, Section, Loudness(1), Loudness(-1)];
        let switches = [Kind::Switch(Switch::Swing), Kind::Switch(Switch::Solo)];
        let keywords = ours(&clause_words)
            .union(&ours(&switches))
            .cloned()
            .collect();
        wrong.extend(missing(&keywords, &scoped("keyword."), |w| {
            format!("`{w}` (src/vocabulary.rs) is not highlighted as a keyword: add it to the `words` patterns of {file}")
        }));
        let contours = [Contour::Rising, Contour::Falling, Contour::Arch].map(Kind::Contour);
        for (scope, kinds) in [
            ("entity.name.type.style", &[Style, Noun][..]),
            ("entity.other.attribute-name.mood", &[Mood]),
            ("entity.name.tag.part", &[Part]),
            ("support.type.mode", &[Kind::Mode]),
            ("constant.language.dynamics", &[Dynamic]),
            ("entity.other.attribute-name.contour", &contours),
        ] {
            wrong.extend(missing(&scoped(scope), &ours(kinds), |w| {
                format!("{file} highlights `{w}` as {scope}, but src/vocabulary.rs has no such {kinds:?} word: add it there or remove it from {file}")
            }));
            wrong.extend(missing(&ours(kinds), &scoped(scope), |w| {
                format!("`{w}` (a {kinds:?} word of src/vocabulary.rs) is not highlighted as {scope}: add it to {file}")
            }));
        }
        assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    }

    #[test]
    fn the_docs_name_every_clause_word_style_and_mood() {
        let docs = read("docs/language.md").to_ascii_lowercase();
        let named = |text: &str| {
            docs.match_indices(text).any(|(at, _)| {
                let word_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
                let before = docs[..at].chars().next_back().is_none_or(|c| !word_char(c));
                let after = docs[at + text.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !word_char(c));
                before && after
            })
        };
        let kinds = [
            Keyword,
            Unit,
            Section,
            Loudness(1),
            Loudness(-1),
            Style,
            Mood,
            Noun,
            Part,
        ];
        let switches = [Kind::Switch(Switch::Swing), Kind::Switch(Switch::Solo)];
        // The English words too: the skipped list is closed and documented.
        let english = |k: Kind| {
            matches!(
                k,
                Skip | Tempo(..)
                    | Length(_)
                    | MoodWord(_)
                    | PartNoun(_)
                    | DrumWord(_)
                    | Genre
                    | Refused(_)
                    | StyleWord(_)
            )
        };
        let wrong: Vec<String> = words()
            .filter(|w| kinds.contains(&w.kind) || switches.contains(&w.kind) || w.kind == Kind::Mode || english(w.kind))
            .filter(|w| !named(w.text))
            .map(|w| format!("docs/language.md never names `{}` (a {:?} word of src/vocabulary.rs): add it there", w.text, w.kind))
            .collect();
        assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    }
}
