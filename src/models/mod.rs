//! Style models: how real tunes of each kind move, learned from the training collections by
//! `tools/learn_styles.py` and embedded as data (models/README.md says what each table holds).

mod chorale;
mod form;
mod keys;
mod melody;
mod rhythm;
mod table;

pub use chorale::{ChoraleModel, ChoralePlace, Doubling, VoicePair, chorale_model};
pub use form::{Restated, Restatements, STRAIN_BARS, restatements};
pub use keys::{compasses_of, keys_of};
pub use melody::{
    ChordPlace, MOVE_CLASSES, MOVE_STATES, MelodyModel, OffChord, Turns, melody_model, move_class,
    move_state,
};
pub use rhythm::{BarPlace, BarRhythm, RhythmModel, RhythmNote, rhythm_habits, rhythm_model};
