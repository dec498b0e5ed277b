//! Where each General MIDI drum sits on the percussion staff, and its note head: the usual
//! drum-kit layout (bass drum in the bottom space, snare in the third, cymbals above the
//! staff with crossed heads), close to what MuseScore's default kit shows.

/// (key, display step, display octave, note head); keys not listed sit on the top line.
const POSITIONS: [(u8, char, i32, &str); 24] = [
    (35, 'E', 4, "normal"),   // acoustic bass drum
    (36, 'F', 4, "normal"),   // bass drum
    (37, 'C', 5, "x"),        // side stick
    (38, 'C', 5, "normal"),   // snare
    (39, 'B', 4, "x"),        // hand clap
    (40, 'C', 5, "normal"),   // electric snare
    (41, 'A', 4, "normal"),   // low floor tom
    (42, 'G', 5, "x"),        // closed hi-hat
    (43, 'G', 4, "normal"),   // high floor tom
    (44, 'D', 4, "x"),        // pedal hi-hat
    (45, 'B', 4, "normal"),   // low tom
    (46, 'G', 5, "circle-x"), // open hi-hat
    (47, 'D', 5, "normal"),   // low-mid tom
    (48, 'E', 5, "normal"),   // hi-mid tom
    (49, 'A', 5, "x"),        // crash
    (50, 'F', 5, "normal"),   // high tom
    (51, 'F', 5, "x"),        // ride
    (52, 'B', 5, "x"),        // chinese cymbal
    (53, 'F', 5, "diamond"),  // ride bell
    (54, 'E', 5, "x"),        // tambourine
    (55, 'B', 5, "x"),        // splash
    (56, 'A', 4, "triangle"), // cowbell
    (57, 'B', 5, "x"),        // crash 2
    (70, 'D', 5, "x"),        // maracas
];

/// Where drum `key` is written: (display step, display octave, note head).
pub fn position(key: u8) -> (char, i32, &'static str) {
    POSITIONS
        .iter()
        .find(|p| p.0 == key)
        .map_or(('F', 5, "x"), |p| (p.1, p.2, p.3))
}
