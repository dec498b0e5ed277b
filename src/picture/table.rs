//! The mapping from a picture's measurements to clauses, as tables to edit: which style, mood,
//! mode, tempo, form, loudness, density and instruments a picture asks for, and why.
//!
//! Each [`Rule`] fills one [`Slot`] of the prompt: for each slot, the first rule whose tests all
//! hold gives its clause, and its reason becomes the clause's `#` comment. A rule with an empty
//! clause keeps the style's own choice (the comment says so). Every slot must end with rules
//! that cover every picture; a test checks it. Each hue family gives the key's tonic and the
//! instruments. Every clause here must be one the language reads (docs/language.md); a test
//! composes every combination the tables can give. The features are described in
//! docs/from-image.md.

/// One measurement of the picture (see `measure::Features`): a whole number, mostly 0 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// Mean brightness, 0 black to 100 white.
    Brightness,
    /// Red against blue, −100 to +100.
    Warmth,
    /// Mean chroma, 0 grey to 100 pure colour.
    Colour,
    /// Spread of brightness, 0 flat to 100.
    Contrast,
    /// Colour and contrast together, their mean.
    Energy,
    /// Share of neighbouring cells that step in brightness: texture and detail.
    Edges,
    /// Left against right mirrored, 100 identical.
    Symmetry,
    /// The sharpest change of colour between bands of rows in the middle half.
    Horizon,
    /// Top third's brightness minus the bottom third's, −100 to +100.
    LightAbove,
    /// Width as a percentage of height.
    Aspect,
}

/// The part of the prompt a rule decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// The style word: what kind of piece.
    Style,
    /// The mood word.
    Mood,
    /// The mode of the key (its tonic comes from the hue).
    Mode,
    /// A tempo word.
    Tempo,
    /// The form.
    Form,
    /// How long each section is.
    Sections,
    /// The melody's loudness.
    Dynamics,
    /// The melody's notes a beat.
    Density,
    /// Where the melody's register moves.
    Contour,
}

/// Every slot, in the order the prompt's lines come.
pub const SLOTS: [Slot; 9] = [
    Slot::Style,
    Slot::Mood,
    Slot::Mode,
    Slot::Tempo,
    Slot::Form,
    Slot::Sections,
    Slot::Dynamics,
    Slot::Density,
    Slot::Contour,
];

/// A feature within `min..=max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Test {
    /// What is measured.
    pub feature: Feature,
    /// The least value that passes.
    pub min: i32,
    /// The greatest value that passes.
    pub max: i32,
}

/// `feature` below `n`.
const fn below(feature: Feature, n: i32) -> Test {
    Test {
        feature,
        min: i32::MIN,
        max: n - 1,
    }
}

/// `feature` at least `n`.
const fn at_least(feature: Feature, n: i32) -> Test {
    Test {
        feature,
        min: n,
        max: i32::MAX,
    }
}

/// `feature` from `lo` up to but not including `hi`.
const fn between(feature: Feature, lo: i32, hi: i32) -> Test {
    Test {
        feature,
        min: lo,
        max: hi - 1,
    }
}

/// When every test holds, `slot` gets `clause`, for the reason `why`.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// What it decides.
    pub slot: Slot,
    /// What must hold; an empty list always holds.
    pub when: &'static [Test],
    /// The clause as written in the prompt; empty keeps the style's own.
    pub clause: &'static str,
    /// Why, in a few words, for the comment.
    pub why: &'static str,
}

const fn rule(slot: Slot, when: &'static [Test], clause: &'static str, why: &'static str) -> Rule {
    Rule {
        slot,
        when,
        clause,
        why,
    }
}

use Feature::*;
use Slot::*;

/// The rules, slot by slot; the first that holds wins.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    // The kind of piece: still pictures give slow, sustained styles; busy ones dances.
    rule(Style, &[at_least(Symmetry, 85), below(Edges, 8)], "chorale", "still and mirror-like: a chorale"),
    rule(Style, &[below(Edges, 8), below(Brightness, 45)], "lullaby", "smooth and dim: a lullaby"),
    rule(Style, &[below(Edges, 8), at_least(Brightness, 45)], "ballad", "smooth, little detail: a ballad"),
    rule(Style, &[between(Edges, 8, 20), at_least(Warmth, 0)], "waltz", "soft detail, warm: a waltz"),
    rule(Style, &[between(Edges, 8, 20), below(Warmth, 0)], "folk tune", "soft detail, cool: a folk tune"),
    rule(Style, &[between(Edges, 20, 35), below(Colour, 30)], "shanty", "textured, muted colour: a shanty"),
    rule(Style, &[between(Edges, 20, 35), at_least(Colour, 30)], "jig", "textured and colourful: a jig"),
    rule(Style, &[at_least(Edges, 35), below(Colour, 30)], "march", "dense detail, muted colour: a march"),
    rule(Style, &[at_least(Edges, 35), at_least(Colour, 30)], "reel", "dense detail and colour: a reel"),

    // The mood: light and warmth together; a vivid, contrasting picture is lively.
    rule(Mood, &[at_least(Energy, 60), at_least(Brightness, 40)], "lively", "vivid and contrasting"),
    rule(Mood, &[below(Brightness, 40), below(Warmth, 0)], "dark", "dim and cool"),
    rule(Mood, &[below(Brightness, 40), at_least(Warmth, 0)], "melancholy", "dim and warm"),
    rule(Mood, &[between(Brightness, 40, 70), below(Warmth, 0)], "calm", "mid-light and cool"),
    rule(Mood, &[between(Brightness, 40, 70), at_least(Warmth, 0)], "gentle", "mid-light and warm"),
    rule(Mood, &[at_least(Brightness, 70), below(Warmth, 0)], "bright", "light and cool"),
    rule(Mood, &[at_least(Brightness, 70), at_least(Warmth, 0)], "happy", "light and warm"),

    // The mode: from the darkest modes to the brightest, as the picture's light rises.
    rule(Mode, &[below(Brightness, 22)], "phrygian", "very dark: the darkest common mode"),
    rule(Mode, &[between(Brightness, 22, 40)], "minor", "dark: minor"),
    rule(Mode, &[between(Brightness, 40, 55)], "dorian", "half-light: dorian, minor with a raised sixth"),
    rule(Mode, &[between(Brightness, 55, 70)], "mixolydian", "fairly light: mixolydian, major with a lowered seventh"),
    rule(Mode, &[between(Brightness, 70, 85)], "major", "light: major"),
    rule(Mode, &[at_least(Brightness, 85)], "lydian", "very light: lydian, the brightest mode"),

    // The tempo: the more colour and contrast, the faster.
    rule(Tempo, &[below(Energy, 15)], "adagio", "faint colour and contrast: slow"),
    rule(Tempo, &[between(Energy, 15, 30)], "andante", "soft colour and contrast: walking pace"),
    rule(Tempo, &[between(Energy, 30, 45)], "moderato", "moderate colour and contrast"),
    rule(Tempo, &[between(Energy, 45, 65)], "allegro", "strong colour and contrast: quick"),
    rule(Tempo, &[at_least(Energy, 65)], "vivace", "vivid colour and contrast: lively"),

    // The form: a mirror comes back to where it began; a horizon splits the picture in two.
    rule(Form, &[at_least(Symmetry, 80), at_least(Horizon, 20)], "form ABBA", "a mirror and a horizon: two halves, mirrored"),
    rule(Form, &[at_least(Symmetry, 80), below(Horizon, 20)], "form ABA", "left mirrors right: the music returns"),
    rule(Form, &[below(Symmetry, 80), at_least(Horizon, 20)], "form AB", "a strong horizon: two contrasting halves"),
    rule(Form, &[below(Horizon, 20), below(Symmetry, 80)], "form AABB", "no horizon or mirror: repeated strains"),

    // How long each section is: a wide picture is a long one.
    rule(Sections, &[at_least(Aspect, 150)], "8-bar sections", "a wide picture: long sections"),
    rule(Sections, &[below(Aspect, 150)], "4-bar sections", "a square or tall picture: short sections"),

    // The melody's loudness follows the contrast.
    rule(Dynamics, &[below(Contrast, 6)], "melody: pp", "almost flat"),
    rule(Dynamics, &[between(Contrast, 6, 15)], "melody: p", "low contrast"),
    rule(Dynamics, &[between(Contrast, 15, 25)], "melody: mp", "soft contrast"),
    rule(Dynamics, &[between(Contrast, 25, 40)], "melody: mf", "clear contrast"),
    rule(Dynamics, &[between(Contrast, 40, 60)], "melody: f", "strong contrast"),
    rule(Dynamics, &[at_least(Contrast, 60)], "melody: ff", "stark contrast"),

    // The melody's density follows the detail.
    rule(Density, &[below(Edges, 4)], "melody: sparse", "hardly any detail: fewer notes"),
    rule(Density, &[at_least(Edges, 40)], "melody: busy", "a lot of detail: more notes"),
    rule(Density, &[between(Edges, 4, 40)], "", "some detail: the style's own density"),

    // The melody's contour follows the light: it climbs towards a bright sky.
    rule(Contour, &[at_least(LightAbove, 15)], "melody: rising", "lighter above: the melody climbs"),
    rule(Contour, &[below(LightAbove, -14)], "melody: falling", "lighter below: the melody descends"),
    rule(Contour, &[between(LightAbove, -14, 15)], "", "even light: the style's own contour"),
];

/// A family of hues: the key's tonic and the instruments it brings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hue {
    /// Its name in comments.
    pub name: &'static str,
    /// The hues it takes, in degrees, `from..to`; the last family runs past 360 to the first.
    pub from: u32,
    /// One past its last hue.
    pub to: u32,
    /// The key's tonic when it leads (after Scriabin's colours of the keys, roughly).
    pub tonic: &'static str,
    /// The melody's instrument when it leads.
    pub melody: &'static str,
    /// The chords' instrument when it comes second.
    pub chords: &'static str,
}

const fn hue(
    name: &'static str,
    from: u32,
    to: u32,
    tonic: &'static str,
    melody: &'static str,
    chords: &'static str,
) -> Hue {
    Hue {
        name,
        from,
        to,
        tonic,
        melody,
        chords,
    }
}

/// The hue families, red round to red; together they cover 0 to 360 degrees.
#[rustfmt::skip]
pub const HUES: &[Hue] = &[
    hue("red", 0, 15, "C", "trumpet", "brass"),
    hue("orange", 15, 45, "G", "alto sax", "nylon guitar"),
    hue("yellow", 45, 75, "D", "flute", "harp"),
    hue("green", 75, 165, "A", "violin", "steel guitar"),
    hue("cyan", 165, 195, "E", "recorder", "vibraphone"),
    hue("blue", 195, 255, "F#", "clarinet", "strings"),
    hue("violet", 255, 300, "Bb", "oboe", "organ"),
    hue("magenta", 300, 345, "Eb", "french horn", "electric piano 1"),
    hue("red", 345, 360, "C", "trumpet", "brass"),
];

/// A picture with too little colour: the tonic and the melody when no hue leads.
pub const GREY: Hue = hue(
    "grey",
    0,
    0,
    "E",
    "acoustic grand piano",
    "acoustic grand piano",
);

/// The least share of the picture, in percent, that must be coloured for a hue family to lead.
pub const COLOURED_SHARE: i32 = 10;

/// The least share of the coloured cells, in percent, that the family second to the leading one
/// must hold to choose the chords' instrument.
pub const SECOND_SHARE: i32 = 20;

#[cfg(test)]
mod tests {
    use super::*;

    fn name(feature: Feature) -> String {
        match feature {
            LightAbove => "light above".into(),
            other => format!("{other:?}").to_lowercase(),
        }
    }

    fn condition(test: &Test) -> String {
        let name = name(test.feature);
        match (test.min, test.max) {
            (i32::MIN, max) => format!("{name} < {}", max + 1),
            (min, i32::MAX) => format!("{name} ≥ {min}"),
            (min, max) => format!("{min} ≤ {name} < {}", max + 1),
        }
    }

    /// The tables as docs/from-image.md shows them.
    fn markdown() -> String {
        let mut out = String::from("| decides | when | clause | why |\n|---|---|---|---|\n");
        for rule in RULES {
            let when: Vec<String> = rule.when.iter().map(condition).collect();
            let clause = match rule.clause {
                "" => "(the style's own)".to_string(),
                clause => format!("`{clause}`"),
            };
            let slot = format!("{:?}", rule.slot).to_lowercase();
            out += &format!(
                "| {slot} | {} | {clause} | {} |\n",
                when.join(", "),
                rule.why
            );
        }
        out += "\n| hue family | degrees | key's tonic | melody (leading) | chords (second) |\n";
        out += "|---|---|---|---|---|\n";
        for hue in HUES.iter().chain([&GREY]) {
            let degrees = match hue.name == GREY.name {
                true => format!("under {COLOURED_SHARE}% coloured"),
                false => format!("{}–{}", hue.from, hue.to),
            };
            out += &format!(
                "| {} | {degrees} | {} | `{}` | `{}` |\n",
                hue.name, hue.tonic, hue.melody, hue.chords
            );
        }
        out
    }

    #[test]
    fn the_docs_show_these_tables() {
        let doc = std::fs::read_to_string("docs/from-image.md").unwrap();
        let tables = markdown();
        assert!(
            doc.contains(&tables),
            "docs/from-image.md must show the tables as they are:\n\n{tables}"
        );
    }
}
