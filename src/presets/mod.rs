//! Styles, moods, accompaniment patterns and drum grooves as plain tables: the soft defaults a
//! style or mood word expands to. A musician can add a style here without reading the sampler.

pub mod ensembles;
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
    /// Chords: root and fifth (and the root's octave), struck in eighths (rock, metal).
    Power,
    /// Chords: a short chord on each beat's off-beat, never on the beat (reggae's skank).
    OffBeat,
    /// Chords: short sixteenth stabs on a syncopated bar (funk).
    Stabs,
    /// Chords: a syncopated piano figure of eighths, single tones and chords (salsa).
    Montuno,
    /// Chords: low, high, middle, high in eighths (classical Alberti bass).
    Alberti,
    /// Chords: held for the whole chord (pads, film strings).
    Pad,
    /// Chords: one tone at a time in sixteenths, up and back (trance).
    Sixteenths,
    /// Bass: the root on every eighth (rock, metal, dance music).
    Eighths,
    /// Bass: root and fifth in turn, one on every beat (country's two-beat).
    Alternating,
    /// Bass: the root on 1, the fifth on the and of 2 and on 3, the root again before the next
    /// bar (bossa nova).
    Bossa,
    /// Bass: a syncopated sixteenth figure from the root (funk).
    Syncopated,
    /// Bass: salsa's tumbao, nothing on beat 1: the fifth on the and of 2, then on 4 the next
    /// chord's root, held across the bar line (the bass anticipates every change).
    Tumbao,
}

impl Pattern {
    pub const CHORDS: [(&'static str, Pattern); 20] = [
        ("block", Pattern::Block),
        ("block chords", Pattern::Block),
        ("strum", Pattern::Strum),
        ("strummed", Pattern::Strum),
        ("strumming", Pattern::Strum),
        ("arpeggio", Pattern::Arpeggio),
        ("arpeggiated", Pattern::Arpeggio),
        ("oom-pah-pah", Pattern::OomPahPah),
        ("boom-chick", Pattern::BoomChick),
        ("chorale", Pattern::Chorale),
        ("power chords", Pattern::Power),
        ("off-beat", Pattern::OffBeat),
        ("skank", Pattern::OffBeat),
        ("offbeat", Pattern::OffBeat),
        ("off beat", Pattern::OffBeat),
        ("stabs", Pattern::Stabs),
        ("montuno", Pattern::Montuno),
        ("alberti", Pattern::Alberti),
        ("pad", Pattern::Pad),
        ("sixteenths", Pattern::Sixteenths),
    ];
    pub const BASS: [(&'static str, Pattern); 9] = [
        ("roots", Pattern::Roots),
        ("root-fifth", Pattern::RootFifth),
        ("walking", Pattern::Walking),
        ("walking bass", Pattern::Walking),
        ("eighths", Pattern::Eighths),
        ("alternating", Pattern::Alternating),
        ("bossa", Pattern::Bossa),
        ("syncopated", Pattern::Syncopated),
        ("tumbao", Pattern::Tumbao),
    ];

    pub fn name(self) -> &'static str {
        Pattern::CHORDS
            .iter()
            .chain(&Pattern::BASS)
            .find(|(_, p)| *p == self)
            .map_or("block", |(n, _)| n)
    }
}

/// Which notes swing plays long-short (2:1), each pair of them; the notes stay written
/// straight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Swing {
    /// Each beat's two eighths (jazz, the blues, a hornpipe, the `swing` clause).
    Eighths,
    /// Each eighth's two sixteenths, the eighths straight (hip hop's and lo-fi's hats).
    Sixteenths,
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

impl Intervals {
    /// The melody model's family (models/melody.tsv) these melodies learn from.
    pub fn model_family(self) -> &'static str {
        match self {
            Intervals::Song => "song",
            Intervals::Fiddle => "fiddle",
        }
    }
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
    /// I, IV, V, vi and VII (rock's `bVII` where the style borrows it), no ii or iii.
    Rock,
    /// ii–V–I turns closing every section (jazz, bossa nova).
    Jazz,
    /// A vamp on the tonic, IV and VII for colour (funk).
    Vamp,
    /// Only I, IV and V (country).
    ThreeChord,
    /// The chorale's written habits, every section closing V–I (classical periods).
    Classical,
    /// i–VI–III–VII in minor (trance, film).
    Epic,
    /// I and IV, closing plagally IV–I (gospel).
    Gospel,
}

impl Harmony {
    /// The chords that close every section of this habit, last first (a degree each), where
    /// the piece's own cadence does not decide them.
    pub fn closing_turn(self) -> &'static [u8] {
        match self {
            Harmony::Jazz => &[1, 5, 2],
            Harmony::Classical => &[1, 5],
            _ => &[],
        }
    }
}

/// What a style word brings when no explicit clause says otherwise.
#[derive(Debug, PartialEq, Eq)]
pub struct Style {
    pub name: &'static str,
    pub meter: (u8, u8),
    pub tempo: u32,
    /// The tempos the style is played at, slowest and fastest (bpm of the meter's beat): the
    /// genre's range as docs/genres.md measures it, the tempo above in it.
    pub tempo_range: (u32, u32),
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
    /// Swung by default (played long-short): eighths, or sixteenths (hip hop).
    pub swing: Option<Swing>,
    /// The chords are the mode's sevenths (maj7, m7, 7, m7b5) rather than its triads.
    pub sevenths: bool,
    /// The dominant sevenths take their major ninth (`E9`) where the mode holds it (funk).
    pub ninths: bool,
    /// The chords borrow the major chord on the flat seventh (`bVII`, D in E major) from the
    /// mixolydian, where no key the user wrote forbids its root (rock).
    pub flat_seven: bool,
    /// The piece swells from soft to loud (film).
    pub crescendo: bool,
    /// The melody holds notes of two beats or more (ambient).
    pub long_notes: bool,
    /// Other words and phrases people use for the style (`heavy metal`, `EDM`).
    pub aliases: &'static [&'static str],
}

impl Style {
    /// The style with the mode's seventh chords.
    const fn sevenths(mut self) -> Style {
        self.sevenths = true;
        self
    }

    /// The style with the mode's sevenths, its dominants as ninths.
    const fn ninths(mut self) -> Style {
        self.sevenths = true;
        self.ninths = true;
        self
    }

    /// The style borrowing `bVII`.
    const fn flat_seven(mut self) -> Style {
        self.flat_seven = true;
        self
    }

    /// The style swinging its sixteenths rather than its eighths.
    const fn swung_sixteenths(mut self) -> Style {
        self.swing = Some(Swing::Sixteenths);
        self
    }

    /// The style swelling over the piece.
    const fn crescendo(mut self) -> Style {
        self.crescendo = true;
        self
    }

    /// The style with long melody notes.
    const fn long_notes(mut self) -> Style {
        self.long_notes = true;
        self
    }

    /// The style also called `aliases`.
    const fn aka(mut self, aliases: &'static [&'static str]) -> Style {
        self.aliases = aliases;
        self
    }
}

use Feel::*;
use Harmony as H;
use Pattern::*;

macro_rules! style {
    ($name:literal, $meter:expr, $tempo:literal ($low:literal to $high:literal), $tonic:ident $mode:ident, $bars:literal, $form:literal,
     melody $melody:literal, chords $chords:expr, bass $bass:expr, drums $drums:expr,
     $feel:ident, $harmony:ident, swing $swing:literal) => {
        Style {
            name: $name,
            meter: $meter,
            tempo: $tempo,
            tempo_range: ($low, $high),
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
            swing: if $swing { Some(Swing::Eighths) } else { None },
            sevenths: false,
            ninths: false,
            flat_seven: false,
            crescendo: false,
            long_notes: false,
            aliases: &[],
        }
    };
}

pub const STYLES: [Style; 34] = [
    style!("folk", (4, 4), 100 (80 to 120), D Major, 8, "A", melody 41, chords Some((25, Strum)),
        bass Some((33, RootFifth)), drums None, Even, Folk, swing false),
    style!("jig", (6, 8), 116 (100 to 130), D Major, 32, "AABB", melody 41, chords Some((25, Strum)),
        bass Some((33, RootFifth)), drums Some(Groove::Bodhran), Even, Folk, swing false),
    style!("reel", (4, 4), 112 (100 to 130), D Major, 32, "AABB", melody 41, chords Some((25, Strum)),
        bass Some((33, RootFifth)), drums Some(Groove::Bodhran), Running, Folk, swing false),
    style!("hornpipe", (4, 4), 80 (70 to 100), G Major, 32, "AABB", melody 41, chords Some((22, BoomChick)),
        bass Some((33, RootFifth)), drums None, Dotted, Folk, swing true),
    style!("waltz", (3, 4), 96 (80 to 110), G Major, 16, "AB", melody 22, chords Some((1, OomPahPah)),
        bass Some((33, Roots)), drums None, Lyrical, Folk, swing false),
    style!("march", (2, 4), 112 (100 to 130), C Major, 32, "AABB", melody 57, chords Some((62, BoomChick)),
        bass Some((59, RootFifth)), drums Some(Groove::March), Dotted, Folk, swing false),
    style!("polka", (2, 4), 120 (100 to 140), G Major, 32, "AABB", melody 22, chords Some((22, BoomChick)),
        bass Some((33, RootFifth)), drums Some(Groove::Polka), Even, Folk, swing false),
    style!("lullaby", (3, 4), 66 (50 to 80), F Major, 16, "AA'", melody 74, chords Some((47, Arpeggio)),
        bass Some((33, Roots)), drums None, Lyrical, Folk, swing false),
    style!("blues", (4, 4), 90 (60 to 120), A Mixolydian, 12, "A", melody 66, chords Some((1, Block)),
        bass Some((33, Walking)), drums Some(Groove::Shuffle), Even, Blues, swing true),
    style!("chorale", (4, 4), 72 (60 to 90), G Major, 8, "AB", melody 20, chords Some((20, Chorale)),
        bass Some((20, Roots)), drums None, Lyrical, Chorale, swing false),
    style!("pop", (4, 4), 110 (90 to 130), C Major, 16, "ABAB", melody 81, chords Some((5, Block)),
        bass Some((34, RootFifth)), drums Some(Groove::Backbeat), Even, Pop, swing false),
    style!("ballad", (4, 4), 72 (60 to 84), C Major, 16, "AABA", melody 1, chords Some((25, Arpeggio)),
        bass Some((33, Roots)), drums Some(Groove::Brushes), Lyrical, Pop, swing false),
    style!("shanty", (6, 8), 100 (80 to 120), D Minor, 16, "AB", melody 22, chords Some((25, Strum)),
        bass Some((33, RootFifth)), drums Some(Groove::Stomp), Even, Modal, swing false),
    // The genres people name (issue 16): each with the instruments, grooves and habits that
    // define it; docs/language.md lists them and tests/genres.rs measures them.
    style!("rock", (4, 4), 126 (100 to 150), E Major, 16, "AB", melody 30, chords Some((31, Power)),
        bass Some((34, Eighths)), drums Some(Groove::Rock), Even, Rock, swing false)
    .flat_seven(),
    style!("metal", (4, 4), 160 (100 to 200), E Minor, 16, "AB", melody 31, chords Some((31, Power)),
        bass Some((35, Eighths)), drums Some(Groove::Metal), Even, Modal, swing false)
    .aka(&["heavy metal"]),
    style!("jazz", (4, 4), 132 (100 to 220), F Major, 32, "AABA", melody 66, chords Some((1, Block)),
        bass Some((33, Walking)), drums Some(Groove::Ride), Even, Jazz, swing true)
    .sevenths(),
    // The twelve-bar blues with the jazz changes, twice through (a head and its repeat).
    style!("jazz blues", (4, 4), 132 (100 to 220), F Mixolydian, 24, "AA", melody 66, chords Some((1, Block)),
        bass Some((33, Walking)), drums Some(Groove::Ride), Even, Blues, swing true)
    .sevenths(),
    style!("jazz waltz", (3, 4), 144 (120 to 180), G Major, 32, "AABA", melody 66, chords Some((1, Block)),
        bass Some((33, Walking)), drums Some(Groove::Ride), Even, Jazz, swing true)
    .sevenths(),
    style!("bossa nova", (4, 4), 128 (110 to 145), D Major, 16, "AB", melody 74, chords Some((25, Stabs)),
        bass Some((33, Bossa)), drums Some(Groove::Bossa), Even, Jazz, swing false)
    .sevenths()
    .aka(&["bossa"]),
    style!("reggae", (4, 4), 76 (60 to 90), G Major, 16, "AB", melody 17, chords Some((28, OffBeat)),
        bass Some((34, Roots)), drums Some(Groove::OneDrop), Even, Rock, swing false),
    style!("funk", (4, 4), 104 (90 to 120), E Mixolydian, 16, "AB", melody 63, chords Some((28, Stabs)),
        bass Some((37, Syncopated)), drums Some(Groove::Funk), Even, Vamp, swing false)
    .ninths(),
    style!("house", (4, 4), 124 (118 to 130), A Minor, 16, "AB", melody 81, chords Some((89, Pad)),
        bass Some((39, Eighths)), drums Some(Groove::FourOnTheFloor), Even, Epic, swing false)
    .aka(&["edm", "dance", "electronic", "disco"]),
    style!("techno", (4, 4), 130 (125 to 140), A Minor, 16, "AB", melody 82, chords Some((90, Pad)),
        bass Some((39, Eighths)), drums Some(Groove::FourOnTheFloor), Even, Epic, swing false),
    style!("trance", (4, 4), 138 (128 to 142), A Minor, 16, "AB", melody 82, chords Some((82, Sixteenths)),
        bass Some((39, Eighths)), drums Some(Groove::FourOnTheFloor), Even, Epic, swing false),
    // Old game consoles' music: square-wave lead, the chords as fast arpeggios on the same
    // square wave, a synth bass in eighths, a plain backbeat.
    style!("chiptune", (4, 4), 150 (130 to 170), C Major, 16, "AB", melody 81, chords Some((81, Sixteenths)),
        bass Some((39, Eighths)), drums Some(Groove::Backbeat), Even, Pop, swing false)
    .aka(&["8-bit", "chip"]),
    style!("ambient", (4, 4), 66 (50 to 90), D Major, 16, "AB", melody 93, chords Some((89, Pad)),
        bass None, drums None, Lyrical, Pop, swing false)
    .long_notes(),
    style!("hip hop", (4, 4), 90 (80 to 100), A Minor, 16, "AB", melody 5, chords Some((5, Block)),
        bass Some((34, Roots)), drums Some(Groove::BoomBap), Even, Epic, swing true)
    .sevenths()
    .swung_sixteenths()
    .aka(&["hip-hop", "boom bap"]),
    style!("lo-fi", (4, 4), 75 (65 to 90), F Major, 16, "AB", melody 5, chords Some((5, Block)),
        bass Some((34, Roots)), drums Some(Groove::BoomBap), Lyrical, Pop, swing true)
    .sevenths()
    .swung_sixteenths()
    .aka(&["lofi", "lo-fi hip hop", "chillhop"]),
    style!("classical", (4, 4), 100 (60 to 160), C Major, 16, "AB", melody 41, chords Some((1, Alberti)),
        bass None, drums None, Even, Classical, swing false),
    style!("film", (4, 4), 84 (60 to 110), D Minor, 16, "AB", melody 61, chords Some((49, Pad)),
        bass Some((48, Roots)), drums None, Lyrical, Epic, swing false)
    .crescendo()
    .aka(&[
        "cinematic",
        "epic orchestral",
        "soundtrack",
        "orchestral",
        "film score",
    ]),
    style!("country", (4, 4), 112 (90 to 130), G Major, 16, "AB", melody 41, chords Some((26, Strum)),
        bass Some((33, Alternating)), drums Some(Groove::Backbeat), Even, ThreeChord,
        swing false),
    style!("gospel", (4, 4), 76 (60 to 130), F Major, 16, "AB", melody 1, chords Some((17, Block)),
        bass Some((33, Roots)), drums Some(Groove::Backbeat), Lyrical, Gospel, swing false),
    style!("latin", (4, 4), 184 (160 to 220), C Major, 16, "AB", melody 57, chords Some((1, Montuno)),
        bass Some((33, Tumbao)), drums Some(Groove::Salsa), Even, Rock, swing false)
    .aka(&["salsa"]),
    style!("christmas", (4, 4), 112 (90 to 140), C Major, 16, "AB", melody 10, chords Some((1, Block)),
        bass Some((33, RootFifth)), drums Some(Groove::Sleigh), Even, Pop, swing false),
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

/// The style called `name`, by its name or one of its other names.
pub fn style_named(name: &str) -> Option<&'static Style> {
    STYLES.iter().find(|s| {
        s.name.eq_ignore_ascii_case(name) || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

/// The most words a style's name or other name takes (`lo-fi hip hop`).
pub const STYLE_WORDS: usize = 3;

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
    /// Kick on 1 and 3 (and the and of 3), snare on 2 and 4, eighth-note hats.
    Rock,
    /// Kick on every eighth, snare on 2 and 4, ride eighths.
    Metal,
    /// Jazz ride: on every beat and the swung and of 2 and 4, the pedal hat on 2 and 4.
    Ride,
    /// Bossa nova: a rim-click clave over a soft kick on 1 and 3, eighth-note hats.
    Bossa,
    /// Reggae's one drop: kick and rim together on 3, nothing on 1, hats on the off-beats.
    OneDrop,
    /// Funk: sixteenth hats, kick on 1 and syncopated, snare on 2 and 4.
    Funk,
    /// Dance music: kick on every beat, claps on 2 and 4, the open hat on the off-beats.
    FourOnTheFloor,
    /// Hip hop's boom bap: kick on 1 and the and of 3, snare on 2 and 4, sixteenth hats.
    BoomBap,
    /// Salsa: a 3-2 son clave, congas and a cowbell on the beats.
    Salsa,
    /// Salsa on the 2-3 son clave: the two side first.
    SalsaTwoThree,
    /// Sleigh bells on the eighths over a soft kick on 1 and 3.
    Sleigh,
}

/// General MIDI percussion keys by everyday name (channel 10).
pub const DRUM_KIT: [(&str, u8); 23] = [
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
    ("pedal-hat", 44),
    ("clave", 75),
    ("conga", 63),
    ("low-conga", 64),
    // General MIDI 1 has no sleigh bells (GM2's Jingle Bell, 83, is past the drum map
    // abc2midi and GM1 players read, 35-81): its tambourine is the jingle nearest them.
    ("sleigh-bells", 54),
];

pub fn drum_key(name: &str) -> Option<u8> {
    DRUM_KIT.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

impl Groove {
    /// The groove's name, as docs/language.md lists it.
    pub fn name(self) -> &'static str {
        match self {
            Groove::Bodhran => "bodhran",
            Groove::March => "march",
            Groove::Polka => "polka",
            Groove::Shuffle => "shuffle",
            Groove::Backbeat => "backbeat",
            Groove::Brushes => "brushes",
            Groove::Stomp => "stomp",
            Groove::Rock => "rock",
            Groove::Metal => "metal",
            Groove::Ride => "ride",
            Groove::Bossa => "bossa nova",
            Groove::OneDrop => "one drop",
            Groove::Funk => "funk",
            Groove::FourOnTheFloor => "four on the floor",
            Groove::BoomBap => "boom bap",
            Groove::Salsa => "salsa",
            Groove::SalsaTwoThree => "salsa 2-3",
            Groove::Sleigh => "sleigh bells",
        }
    }

    /// Steps a beat of this groove's grid: sixteenths for funk and boom bap, else eighths
    /// (triplets in compound time).
    pub fn steps_per_beat(self, compound: bool) -> usize {
        match self {
            _ if compound => 3,
            Groove::Funk | Groove::BoomBap => 4,
            _ => 2,
        }
    }

    /// Whether the groove plays on under a section's fill (dance music never stops it).
    pub fn plays_through_fills(self) -> bool {
        matches!(self, Groove::FourOnTheFloor)
    }

    /// The drum (General MIDI key) that plays the groove's clave, which the band keeps time
    /// by: a fill plays around it. Salsa's claves, bossa nova's rim click.
    pub fn clave(self) -> Option<u8> {
        match self {
            Groove::Salsa | Groove::SalsaTwoThree => Some(75),
            Groove::Bossa => Some(37),
            _ => None,
        }
    }

    /// Bars before the groove repeats: two for salsa's son clave (three strokes, then two),
    /// else one.
    pub fn cycle(self) -> usize {
        match self {
            Groove::Salsa | Groove::SalsaTwoThree => 2,
            _ => 1,
        }
    }

    /// Bar `bar` (counted within the `cycle`) of the groove on a grid of `steps` per beat ×
    /// `beats`: rows of (key, velocity per step, 0 for none). `strong(step)` gives the metric
    /// strength (3 downbeat … 0 off-beat).
    pub fn grid(
        self,
        bar: usize,
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
            genre => genre_grid(genre, bar % genre.cycle(), beats, steps),
        }
    }
}

/// Bar `bar` of the genres' grooves: rows of (key, velocity per step) over `beats` × `steps`.
fn genre_grid(groove: Groove, bar: usize, beats: usize, steps: usize) -> Vec<(u8, Vec<u8>)> {
    let n = beats * steps;
    let row = |key: u8, hit: &dyn Fn(usize, usize) -> u8| {
        // Each hit sees its beat and its step within the beat.
        (key, (0..n).map(|i| hit(i / steps, i % steps)).collect())
    };
    let off = steps / 2;
    let eighth = |s: usize| s.is_multiple_of(off.max(1));
    // Beats 2 and 4 (and the last of 3/4's three).
    let back = |b: usize| b % 2 == 1 || (beats % 2 == 1 && b + 1 == beats && b > 0);
    let at = |v: u8, yes: bool| if yes { v } else { 0 };
    match groove {
        Groove::Rock => vec![
            row(36, &|b, s| {
                at(100, (b % 2 == 0 && s == 0) || (b == 2 && s == off))
            }),
            row(38, &|b, s| at(100, back(b) && s == 0)),
            row(42, &|_, s| at(70, eighth(s))),
        ],
        Groove::Metal => vec![
            row(36, &|_, s| at(100, eighth(s))),
            row(38, &|b, s| at(110, back(b) && s == 0)),
            row(51, &|_, s| at(75, eighth(s))),
        ],
        Groove::Ride => vec![
            row(51, &|b, s| at(70, s == 0 || (back(b) && s == off))),
            row(44, &|b, s| at(60, back(b) && s == 0)),
        ],
        Groove::Bossa => vec![
            row(36, &|b, s| {
                at(70, (b % 2 == 0 && s == 0) || (b % 2 == 1 && s == off))
            }),
            // The clave's three strokes in the bar: 1, the and of 2, 4.
            row(37, &|b, s| {
                at(
                    80,
                    (b, s) == (0, 0) || (b, s) == (1, off) || (b, s) == (3, 0),
                )
            }),
            row(42, &|_, s| at(50, eighth(s))),
        ],
        Groove::OneDrop => vec![
            row(36, &|b, s| at(100, b == 2 && s == 0)),
            row(37, &|b, s| at(90, b == 2 && s == 0)),
            row(42, &|_, s| at(60, s == off)),
        ],
        Groove::Funk => vec![
            row(36, &|b, s| {
                at(
                    105,
                    (b, s) == (0, 0) || (b, s) == (0, 3) || (b, s) == (2, 2),
                )
            }),
            row(38, &|b, s| at(100, back(b) && s == 0)),
            row(42, &|_, s| at(if s % 2 == 0 { 75 } else { 55 }, true)),
        ],
        Groove::FourOnTheFloor => vec![
            row(36, &|_, s| at(110, s == 0)),
            row(39, &|b, s| at(85, back(b) && s == 0)),
            row(46, &|_, s| at(75, s == off)),
        ],
        Groove::BoomBap => vec![
            row(36, &|b, s| at(105, (b, s) == (0, 0) || (b, s) == (2, off))),
            row(38, &|b, s| at(100, back(b) && s == 0)),
            // Sixteenth hats, the eighths leaning: swing plays each pair long-short.
            row(42, &|_, s| {
                at([70, 40, 55, 40][s * 4 / steps.max(1) % 4], true)
            }),
        ],
        Groove::Salsa | Groove::SalsaTwoThree => vec![
            // The 3-2 son clave over two bars: the three side (1, the and of 2, 4), then the
            // two side (2 and 3); the 2-3 clave plays the two side first.
            row(75, &|b, s| {
                let three = (b, s) == (0, 0) || (b, s) == (1, off) || (b, s) == (3, 0);
                let two = s == 0 && (b == 1 || b == 2);
                let three_side = (bar == 0) == (groove == Groove::Salsa);
                at(90, if three_side { three } else { two })
            }),
            row(63, &|b, s| at(85, back(b) && s == off)),
            row(64, &|b, s| at(80, back(b) && s == 0)),
            row(56, &|_, s| at(70, s == 0)),
        ],
        Groove::Sleigh => vec![
            row(36, &|b, s| at(70, b % 2 == 0 && s == 0)),
            row(54, &|_, s| at(65, eighth(s))),
        ],
        // The folk grooves are laid out by `Groove::grid` itself.
        _ => Vec::new(),
    }
}
