//! The stable codes of every diagnostic tunec gives; docs/errors.md shows an input for each.

macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $name:ident = $code:literal,)+) => {
        /// What kind of problem a diagnostic reports. The code (`E0101`) never changes meaning;
        /// each variant's documentation is an input that triggers it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[doc = $doc])+ $name,)+
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &[Code] = &[$(Code::$name,)+];

            /// The code as written in messages: `E0101`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)+
                }
            }
        }
    };
}

codes! {
    /// A program larger than 256 KiB.
    TooLarge = "E0001",
    /// A file whose bytes are not UTF-8 text.
    NotUtf8 = "E0002",
    /// An input file that cannot be read (`tunec missing.tune`).
    CannotRead = "E0003",
    /// An output that cannot be written (`-o /no/such/folder/x.mid`).
    CannotWrite = "E0004",
    /// A program of comments and blank lines only.
    NothingToCompose = "E0005",
    /// A SoundFont that cannot be read (`--soundfont broken.sf2`).
    BadSoundFont = "E0006",
    /// A command line tunec cannot carry out: `--soundfont` without `--emit wav`. On the
    /// terminal it reads `error: …` like the argument parser's own; in JSON it has this code.
    Misuse = "E0007",
    /// A piece longer than the 20 minutes of audio tunec renders: `--emit wav` of `9999 bars`.
    TooLongForAudio = "E0008",
    /// A piece beyond the playground's work budget (`tunec serve`): `reel, 2000 bars` typed
    /// into the page.
    OverBudget = "E0009",
    /// A picture `--from-image` cannot read: not PNG, JPEG, GIF or WebP, or damaged
    /// (`tunec --from-image notes.txt`).
    UnreadableImage = "E0020",
    /// A picture too large to decode: over 64 MiB, 16,384 pixels a side or 40 megapixels.
    ImageTooLarge = "E0021",
    /// An animated picture (a GIF, PNG or WebP of several frames) given to `--from-image`.
    AnimatedImage = "E0022",
    /// A picture of no pixels: an empty file, or a width or height of 0.
    EmptyImage = "E0023",
    /// A line the grammar cannot read at all: `,,,`.
    UnreadableLine = "E0100",
    /// A word that is no clause, style, mood or filler: `folk tuen`.
    UnknownWord = "E0101",
    /// A control character in the text: `folk tune` with a BEL byte in it.
    ControlCharacter = "E0102",
    /// A title without its closing quote: `title "Harbour Lights`.
    UnclosedTitle = "E0103",
    /// A clause word without the rest of its clause: `melody: range D4`.
    MalformedClause = "E0104",
    /// A number that counts nothing: `folk tune, 16`; or one with a sign or stray characters
    /// no clause reads: `folk tune, -8`.
    BareNumber = "E0105",
    /// A slash chord: `chords C/E`.
    SlashChord = "E0106",
    /// Retired: chords joined with hyphens (`chords I-IV-V`) are read since issue 15; the code
    /// keeps its meaning and is no longer reported.
    HyphenatedChords = "E0107",
    /// A number beyond what tunec writes: `99999 bars`.
    NumberTooLarge = "E0108",
    /// A time signature tunec cannot write: `6/9`.
    BadMeter = "E0109",
    /// A count or number that must be at least 1: `program 0`, `ends on degree 0`.
    ZeroNumber = "E0110",
    /// A pitch outside MIDI's C-1 to G9: `range C-2 to C4`.
    BadPitch = "E0112",
    /// An interval name tunec does not know: `no leaps larger than a fiftth`.
    UnknownInterval = "E0113",
    /// Words that refer back to notes or a range when none was named before them:
    /// `folk tune, stay inside that`.
    NothingNamedBefore = "E0114",
    /// The same setting given twice with different values: `6/8, 3/4`.
    GivenTwice = "E0200",
    /// A tempo outside 20 to 400 bpm: `1000 bpm`.
    TempoOutOfRange = "E0201",
    /// Moods that contradict each other: `happy sad folk tune`.
    ContradictoryMoods = "E0202",
    /// A part name used without its colon: `folk tune, melody fiddle`.
    PartWithoutColon = "E0203",
    /// A section line without its letter: `section: louder`.
    SectionWithoutLetter = "E0204",
    /// A part name tunec does not know: `melodie: flute`.
    UnknownPart = "E0205",
    /// A drum name tunec does not know: `drums: kik x...`.
    UnknownDrum = "E0206",
    /// An attempt to drop the melody: `melody: none`.
    MelodyRequired = "E0207",
    /// An instrument tunec does not know: `melody: kazoo`.
    UnknownInstrument = "E0208",
    /// A clause on a line where it does not apply: `melody: 6/8`, `drums: stepwise`.
    MisplacedClause = "E0209",
    /// A length of no bars: `0 bars`.
    NoBars = "E0210",
    /// A range written high to low: `range B5 to D4`.
    RangeDownwards = "E0211",
    /// More chords in a bar than it has beats: `chords | C F G A B |` in 3/4.
    CrowdedBar = "E0212",
    /// A drum grid that does not divide the bar: `kick x.x.x.x` (7 steps) in 4/4.
    UnevenDrumGrid = "E0213",
    /// A section line for a section the form lacks: `section C: louder` in form AABB.
    SectionNotInForm = "E0214",
    /// A form longer than tunec writes: `form AABB` with `section A: 5000 bars`.
    PieceTooLong = "E0215",
    /// `solo` with a line about another part: `folk tune, solo` and `bass: acoustic bass`.
    SoloWithOtherParts = "E0216",
    /// A length the form cannot divide: `15 bars, form AABB`.
    FormLength = "E0217",
    /// More bars of chords than the section they fill: `8 bars, form AB, chords I IV V vi ii V`.
    ChordsLength = "E0218",
    /// Chords that do not end with the cadence asked for: `chords C F G F, ends with an authentic cadence`.
    CadenceMismatch = "E0219",
    /// A genre people name that has no style preset yet: `a jazz tune`.
    NoPresetYet = "E0220",
    /// Lyrics, singers or vocals: `a folk song with lyrics`.
    VocalsRequested = "E0221",
    /// Production effects on the sound: `a waltz with lots of reverb`.
    AudioProduction = "E0222",
    /// A named artist's or work's style: `in the style of Bach`.
    ArtistStyle = "E0223",
    /// A length in time that the bars and tempo contradict: `16 bars, 120 bpm, 3 minutes long`.
    LengthContradiction = "E0224",
    /// More instruments named in sentences than parts to play them: `for flute, oboe, clarinet and horn`.
    TooManyInstruments = "E0225",
    /// A section in a mode whose scale is not the piece's moved: `section chorus: in E
    /// harmonic minor` in a major piece.
    SectionKeyMode = "E0230",
    /// A section in another key while `using only`, `avoiding` or chords written as letters
    /// hold for it: `using only D E F# A B` with `section chorus: in E major`.
    KeyChangeConflict = "E0231",
    /// A section in its own meter or mode with what spans its joins: `section bridge: 3/4` and
    /// `melody: stepwise`, or chords written bar by bar.
    SectionMeterChange = "E0232",
    /// A varied repeat before the section it varies: `form A'A`.
    VariedBeforeBase = "E0233",
    /// Lines whose hard requests no music can meet together: `using only G A B` and `range D4 to E4`.
    Unsatisfiable = "E0300",
    /// A fault in tunec itself; never the input's fault.
    Internal = "E0900",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_well_formed() {
        let mut seen: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert!(seen.iter().all(|c| c.len() == 5 && c.starts_with('E')));
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), Code::ALL.len());
    }
}
