//! General MIDI names: the programs (1-based, as musicians count them) with common folk
//! aliases, and the percussion keys.

use fnv::{FnvHashMap, FnvHashSet};

/// The 128 General MIDI melodic programs, lower-case, without numbering or parentheses.
const GENERAL_MIDI: [&str; 128] = [
    "acoustic grand piano",
    "bright acoustic piano",
    "electric grand piano",
    "honky-tonk piano",
    "electric piano 1",
    "electric piano 2",
    "harpsichord",
    "clavinet",
    "celesta",
    "glockenspiel",
    "music box",
    "vibraphone",
    "marimba",
    "xylophone",
    "tubular bells",
    "dulcimer",
    "drawbar organ",
    "percussive organ",
    "rock organ",
    "church organ",
    "reed organ",
    "accordion",
    "harmonica",
    "tango accordion",
    "nylon guitar",
    "steel guitar",
    "jazz guitar",
    "clean electric guitar",
    "muted electric guitar",
    "overdriven guitar",
    "distortion guitar",
    "guitar harmonics",
    "acoustic bass",
    "fingered bass",
    "picked bass",
    "fretless bass",
    "slap bass 1",
    "slap bass 2",
    "synth bass 1",
    "synth bass 2",
    "violin",
    "viola",
    "cello",
    "contrabass",
    "tremolo strings",
    "pizzicato strings",
    "orchestral harp",
    "timpani",
    "string ensemble 1",
    "string ensemble 2",
    "synth strings 1",
    "synth strings 2",
    "choir aahs",
    "voice oohs",
    "synth voice",
    "orchestra hit",
    "trumpet",
    "trombone",
    "tuba",
    "muted trumpet",
    "french horn",
    "brass section",
    "synth brass 1",
    "synth brass 2",
    "soprano sax",
    "alto sax",
    "tenor sax",
    "baritone sax",
    "oboe",
    "english horn",
    "bassoon",
    "clarinet",
    "piccolo",
    "flute",
    "recorder",
    "pan flute",
    "blown bottle",
    "shakuhachi",
    "whistle",
    "ocarina",
    "square lead",
    "sawtooth lead",
    "calliope lead",
    "chiff lead",
    "charang lead",
    "voice lead",
    "fifths lead",
    "bass and lead",
    "new age pad",
    "warm pad",
    "polysynth pad",
    "choir pad",
    "bowed pad",
    "metallic pad",
    "halo pad",
    "sweep pad",
    "rain",
    "soundtrack",
    "crystal",
    "atmosphere",
    "brightness",
    "goblins",
    "echoes",
    "sci-fi",
    "sitar",
    "banjo",
    "shamisen",
    "koto",
    "kalimba",
    "bagpipe",
    "fiddle",
    "shanai",
    "tinkle bell",
    "agogo",
    "steel drums",
    "woodblock",
    "taiko drum",
    "melodic tom",
    "synth drum",
    "reverse cymbal",
    "guitar fret noise",
    "breath noise",
    "seashore",
    "bird tweet",
    "telephone ring",
    "helicopter",
    "applause",
    "gunshot",
];

/// Everyday names for General MIDI programs. `fiddle` is the violin (41), as folk players mean
/// it; GM's own program 111 "fiddle" stays reachable as `program 111`.
const ALIASES: [(&str, u8); 84] = [
    ("fiddle", 41),
    ("warm synth pad", 90),
    ("new age synth pad", 89),
    ("piano", 1),
    ("grand piano", 1),
    ("electric piano", 5),
    // The Fender Rhodes is the electric piano captions mean (GM's Electric Piano 1).
    ("rhodes", 5),
    ("rhodes piano", 5),
    ("fender rhodes", 5),
    ("rhodes-style electric piano", 5),
    // A rhythm guitar strums the chords: the clean electric guitar, or overdriven.
    ("rhythm guitar", 28),
    // `a distorted guitar lead`: GM's Distortion Guitar.
    ("distorted guitar", 31),
    ("distorted electric guitar", 31),
    ("synth brass", 63),
    // The tango's bandoneon is GM's Tango Accordion; a Hammond is the drawbar organ.
    ("bandoneon", 24),
    ("hammond", 17),
    ("hammond organ", 17),
    ("overdriven rhythm guitar", 30),
    // Synth leads by their waveform: GM's Lead 1 (square) and Lead 2 (sawtooth).
    ("square-wave", 81),
    ("square wave", 81),
    ("sawtooth", 82),
    ("sawtooth synth", 82),
    ("organ", 20),
    ("guitar", 25),
    ("acoustic guitar", 25),
    ("classical guitar", 25),
    ("spanish guitar", 25),
    ("electric guitar", 28),
    ("bass", 33),
    ("upright bass", 33),
    ("double bass", 33),
    ("electric bass", 34),
    ("bass guitar", 34),
    ("strings", 49),
    ("string ensemble", 49),
    ("harp", 47),
    ("tin whistle", 79),
    ("penny whistle", 79),
    ("irish whistle", 79),
    ("uilleann pipes", 110),
    ("bagpipes", 110),
    ("concertina", 22),
    ("melodeon", 22),
    ("choir", 53),
    ("horn", 61),
    ("sax", 66),
    ("saxophone", 66),
    ("hammond organ", 17),
    ("brass", 62),
    ("brass band", 62),
    // The names captions and chat use for the synths and the nylon-strung guitar.
    ("synth", 81),
    ("synth lead", 81),
    ("synth pad", 89),
    ("pad", 89),
    ("pads", 89),
    ("synth bass", 39),
    // Synth basses by the sound people name them for (dubstep's wobble, drum and bass's reese).
    ("wobble bass", 40),
    ("reese bass", 40),
    ("slap bass", 37),
    ("bells", 15),
    ("nylon string guitar", 25),
    ("nylon-string guitar", 25),
    ("steel string guitar", 26),
    ("steel-string guitar", 26),
    // The guitar's strings and body in either order, and the saxophones and vibraphone by
    // their everyday names (captions: `nylon-string acoustic guitar`, `tenor saxophone lead`).
    ("nylon-string acoustic guitar", 25),
    ("nylon string acoustic guitar", 25),
    ("acoustic nylon guitar", 25),
    ("steel-string acoustic guitar", 26),
    ("steel string acoustic guitar", 26),
    ("acoustic steel guitar", 26),
    ("soprano saxophone", 65),
    ("alto saxophone", 66),
    ("tenor saxophone", 67),
    ("baritone saxophone", 68),
    ("bari sax", 68),
    ("vibes", 12),
    ("acoustic piano", 1),
    // General MIDI has no ukulele: the nylon-strung guitar is its nearest.
    ("ukulele", 25),
    // Nor a mandolin: the steel-string guitar is its nearest (plucked steel strings).
    ("mandolin", 26),
    // Chiptune's leads by their waves.
    ("square-wave lead", 81),
    ("square wave lead", 81),
    ("square lead", 81),
    ("saw lead", 82),
    ("kettledrums", 48),
];

/// The General MIDI names as the standard writes them, where they differ by a word in brackets:
/// captions copy them (`Electric Bass (finger)`, `Lead 2 (sawtooth)`).
#[rustfmt::skip]
const BRACKETED: [(&str, u8); 31] = [
    ("acoustic guitar (nylon)", 25), ("acoustic guitar (steel)", 26),
    ("electric guitar (jazz)", 27), ("electric guitar (clean)", 28),
    ("electric guitar (muted)", 29), ("electric bass (finger)", 34), ("electric bass (pick)", 35),
    ("lead 1 (square)", 81), ("lead 2 (sawtooth)", 82), ("lead 3 (calliope)", 83),
    ("lead 4 (chiff)", 84), ("lead 5 (charang)", 85), ("lead 6 (voice)", 86),
    ("lead 7 (fifths)", 87), ("lead 8 (bass + lead)", 88), ("pad 1 (new age)", 89),
    ("pad 2 (warm)", 90), ("pad 3 (polysynth)", 91), ("pad 4 (choir)", 92), ("pad 5 (bowed)", 93),
    ("pad 6 (metallic)", 94), ("pad 7 (halo)", 95), ("pad 8 (sweep)", 96), ("fx 1 (rain)", 97),
    ("fx 2 (soundtrack)", 98), ("fx 3 (crystal)", 99), ("fx 4 (atmosphere)", 100),
    ("fx 5 (brightness)", 101), ("fx 6 (goblins)", 102), ("fx 7 (echoes)", 103),
    ("fx 8 (sci-fi)", 104),
];

/// Everyday names of a family (1-based programs, first to last): after one of its instruments
/// was named, the family's name means that one (`featuring Tenor Sax …, with the saxophone
/// taking the melody`).
const FAMILIES: [(&str, u8, u8); 5] = [
    ("sax", 65, 68),
    ("saxophone", 65, 68),
    ("guitar", 25, 32),
    ("piano", 1, 6),
    ("organ", 17, 21),
];

/// The instrument `name` (lower case) means after `earlier` were named: the first of them in
/// the family `name` names, if it is a family's everyday name.
pub fn of_family(name: &str, mut earlier: impl Iterator<Item = u8>) -> Option<u8> {
    let (_, first, last) = FAMILIES.iter().find(|(n, ..)| *n == name)?;
    earlier.find(|p| (first..=last).contains(&p))
}

/// The 1-based General MIDI program for an instrument name (case and spacing ignored).
pub fn program(name: &str) -> Option<u8> {
    let name = name
        .to_ascii_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    program_named(&name)
}

/// The program of a name already in lower case with single spaces (a sentence's words): one
/// look-up in an index, the aliases before the General MIDI names.
pub fn program_named(name: &str) -> Option<u8> {
    static INDEX: std::sync::OnceLock<FnvHashMap<&'static str, u8>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = FnvHashMap::default();
        let general = GENERAL_MIDI.iter().zip(1..);
        for (name, program) in ALIASES
            .iter()
            .chain(&BRACKETED)
            .map(|(n, p)| (n, *p))
            .chain(general)
        {
            index.entry(*name).or_insert(program);
        }
        index
    });
    index.get(name).copied()
}

/// Whether `word` (lower case) is the first word of an instrument name: a sentence tries the
/// longer names only from such words.
pub fn starts_a_name(word: &str) -> bool {
    static FIRST: std::sync::OnceLock<FnvHashSet<&'static str>> = std::sync::OnceLock::new();
    FIRST
        .get_or_init(|| {
            let bracketed = BRACKETED.iter().map(|(n, _)| *n);
            (names().chain(bracketed))
                .filter_map(|n| n.split(' ').next())
                .collect()
        })
        .contains(word)
}

/// Whether a program is a bass instrument: a sentence's `electric bass` plays the bass part.
pub fn is_bass(program: u8) -> bool {
    matches!(program, 33..=40 | 44 | 59 | 88)
}

/// Whether a program is a drum with a pitch (timpani, taiko, melodic tom, synth drum): in a
/// sentence it plays the bass's roots and fifths, or doubles the bass another instrument plays.
pub fn is_pitched_drum(program: u8) -> bool {
    matches!(program, 48 | 117..=119)
}

/// Whether a program usually plays chords: pianos, organs, accordions, guitars, banjo, harps,
/// string and brass sections, pads.
pub fn is_chordal(program: u8) -> bool {
    matches!(program, 1..=8 | 17..=22 | 24..=29 | 47 | 49..=52 | 62 | 89..=96 | 106)
}

/// The name tunec prints for a program.
pub fn name(program: u8) -> &'static str {
    GENERAL_MIDI[(program.clamp(1, 128) - 1) as usize]
}

/// What each General MIDI program can play, as MIDI notes (low, high): a row covers the programs
/// from its first up to the next row's. Written ranges of the real instruments, so that a
/// default register never asks for a note the instrument does not have (a D whistle: D5 up).
const PLAYABLE: [(u8, u8, u8); 40] = [
    (1, 21, 108),  // pianos
    (9, 60, 108),  // celesta
    (10, 79, 108), // glockenspiel
    (11, 60, 96),  // music box
    (12, 53, 89),  // vibraphone
    (13, 45, 96),  // marimba
    (14, 65, 108), // xylophone
    (15, 60, 77),  // tubular bells
    (16, 50, 88),  // dulcimer
    (17, 36, 96),  // organs
    (22, 53, 93),  // accordion
    (23, 60, 96),  // harmonica
    (24, 53, 93),  // tango accordion
    (25, 40, 88),  // guitars
    (33, 28, 67),  // basses
    (41, 55, 100), // violin
    (42, 48, 88),  // viola
    (43, 36, 81),  // cello
    (44, 28, 67),  // contrabass
    (45, 36, 100), // string sections
    (47, 24, 103), // harp
    (48, 38, 60),  // timpani
    (49, 36, 100), // ensembles
    (53, 48, 84),  // voices
    (56, 36, 96),  // orchestra hit
    (57, 54, 86),  // trumpet
    (58, 40, 77),  // trombone
    (59, 26, 65),  // tuba
    (60, 54, 86),  // muted trumpet
    (61, 35, 77),  // french horn
    (62, 40, 86),  // brass sections
    (65, 56, 88),  // soprano sax
    (66, 49, 81),  // alto sax
    (67, 44, 76),  // tenor sax
    (68, 36, 69),  // baritone sax
    (69, 58, 93),  // oboe
    (71, 34, 75),  // bassoon
    (72, 50, 96),  // clarinet
    (73, 60, 98),  // flutes and pipes
    (81, 36, 96),  // synths, ethnic, percussive, effects
];

/// Pipes and ethnic instruments with ranges of their own.
const PLAYABLE_EXCEPTIONS: [(u8, (u8, u8)); 9] = [
    (70, (52, 81)),   // english horn
    (73, (74, 108)),  // piccolo
    (75, (72, 98)),   // recorder
    (79, (74, 98)),   // whistle
    (80, (72, 89)),   // ocarina
    (106, (48, 88)),  // banjo
    (109, (60, 88)),  // kalimba
    (110, (67, 81)),  // bagpipe
    (111, (55, 100)), // fiddle
];

/// The notes (low, high, MIDI) a 1-based General MIDI program can play.
pub fn playable(program: u8) -> (u8, u8) {
    if let Some((_, range)) = PLAYABLE_EXCEPTIONS.iter().find(|(p, _)| *p == program) {
        return *range;
    }
    let row = PLAYABLE
        .iter()
        .rev()
        .find(|(first, _, _)| *first <= program)
        .unwrap_or(&PLAYABLE[0]);
    (row.1, row.2)
}

/// The General MIDI percussion names of keys 35–81.
const DRUM_NAMES: [&str; 47] = [
    "Acoustic Bass Drum",
    "Bass Drum",
    "Side Stick",
    "Acoustic Snare",
    "Hand Clap",
    "Electric Snare",
    "Low Floor Tom",
    "Closed Hi-Hat",
    "High Floor Tom",
    "Pedal Hi-Hat",
    "Low Tom",
    "Open Hi-Hat",
    "Low-Mid Tom",
    "Hi-Mid Tom",
    "Crash Cymbal 1",
    "High Tom",
    "Ride Cymbal 1",
    "Chinese Cymbal",
    "Ride Bell",
    "Tambourine",
    "Splash Cymbal",
    "Cowbell",
    "Crash Cymbal 2",
    "Vibraslap",
    "Ride Cymbal 2",
    "Hi Bongo",
    "Low Bongo",
    "Mute Hi Conga",
    "Open Hi Conga",
    "Low Conga",
    "High Timbale",
    "Low Timbale",
    "High Agogo",
    "Low Agogo",
    "Cabasa",
    "Maracas",
    "Short Whistle",
    "Long Whistle",
    "Short Guiro",
    "Long Guiro",
    "Claves",
    "Hi Wood Block",
    "Low Wood Block",
    "Mute Cuica",
    "Open Cuica",
    "Mute Triangle",
    "Open Triangle",
];

/// The General MIDI name of percussion key `key` (`Closed Hi-Hat` for 42), or `key 30`.
pub fn drum_name(key: u8) -> String {
    match key {
        35..=81 => DRUM_NAMES[key as usize - 35].to_string(),
        _ => format!("key {key}"),
    }
}

/// Every instrument name, for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    ALIASES.iter().map(|(a, _)| *a).chain(GENERAL_MIDI)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drum_names_follow_general_midi() {
        assert_eq!(drum_name(35), "Acoustic Bass Drum");
        assert_eq!(drum_name(38), "Acoustic Snare");
        assert_eq!(drum_name(42), "Closed Hi-Hat");
        assert_eq!(drum_name(81), "Open Triangle");
        assert_eq!(drum_name(20), "key 20");
    }

    #[test]
    fn general_midi_numbers() {
        assert_eq!(program("fiddle"), Some(41));
        assert_eq!(program("Violin"), Some(41));
        assert_eq!(program("flute"), Some(74));
        assert_eq!(program("acoustic  bass"), Some(33));
        assert_eq!(program("tin whistle"), Some(79));
        assert_eq!(program("gunshot"), Some(128));
        assert_eq!(program("kazoo"), None);
        assert_eq!(name(74), "flute");
    }
}
