//! Issue 14's deletion test as a property: prompts of melody clauses drawn independently (often
//! unsatisfiable) are either composed or refused naming a minimal conflicting set of the user's
//! clauses — kept alone they are refused, and without any one of them the rest composes.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use tunec::{Options, compile};

const NAMES: [&str; 12] = [
    "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B",
];

fn pitch(midi: u8) -> String {
    format!("{}{}", NAMES[midi as usize % 12], midi as i32 / 12 - 1)
}

/// The clauses of a piece line after `folk tune` (the style's key and form stand, so none the
/// style would replace is written), then of a melody line: `(on the piece line, clause)`.
#[derive(Debug)]
struct Prompt(Vec<(bool, String)>);

impl Prompt {
    /// The program of the clauses `keep` keeps (by index), with each clause's byte span.
    fn source(&self, keep: &dyn Fn(usize) -> bool) -> (String, Vec<(usize, usize, usize)>) {
        let mut source = String::from("folk tune");
        let mut spans = Vec::new();
        for line in [true, false] {
            let mut first = true;
            for (i, (_, clause)) in
                (self.0.iter().enumerate()).filter(|(i, c)| c.0 == line && keep(*i))
            {
                source += match (line, first) {
                    (false, true) => "\nmelody: ",
                    _ => ", ",
                };
                first = false;
                spans.push((i, source.len(), source.len() + clause.len()));
                source += clause;
            }
        }
        source.push('\n');
        (source, spans)
    }
}

fn prompt() -> impl Strategy<Value = Prompt> {
    (
        (prop::sample::select(vec![1u32, 2, 4, 8]), any::<bool>()),
        proptest::option::weighted(0.6, (55u8..80, 0u8..13)),
        prop::sample::select(vec![
            "",
            "stepwise",
            "no leaps larger than 2 semitones",
            "no leaps larger than 5 semitones",
        ]),
        (
            proptest::option::of(55u8..85),
            proptest::option::of(55u8..85),
        ),
        proptest::option::weighted(0.3, proptest::collection::btree_set(0..12usize, 1..4)),
        prop::sample::select(vec![
            "",
            "",
            "",
            "rhythm quarters",
            "rhythm half notes",
            "rhythm eighths",
        ]),
    )
        .prop_map(|((bars, solo), range, leap, (start, end), only, rhythm)| {
            let mut piece = vec!["4/4".to_string(), format!("{bars} bars")];
            if solo {
                piece.push("solo".into());
            }
            let mut melody: Vec<String> = Vec::new();
            if let Some((low, width)) = range {
                melody.push(format!("range {} to {}", pitch(low), pitch(low + width)));
            }
            melody.extend(start.map(|p| format!("starts on {}", pitch(p))));
            melody.extend(end.map(|p| format!("ends on {}", pitch(p))));
            if let Some(set) = only {
                let set: Vec<&str> = set.iter().map(|&i| NAMES[i]).collect();
                melody.push(format!("using only {}", set.join(" ")));
            }
            melody.extend(
                [leap, rhythm]
                    .iter()
                    .filter(|c| !c.is_empty())
                    .map(|c| c.to_string()),
            );
            let piece = piece.into_iter().map(|c| (true, c));
            Prompt(
                piece
                    .chain(melody.into_iter().map(|c| (false, c)))
                    .collect(),
            )
        })
}

fn composes(source: &str) -> bool {
    (0..3).all(|seed| compile(source, &Options::new().seed(seed)).is_ok())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, rng_seed: RngSeed::Fixed(14), ..ProptestConfig::default() })]

    #[test]
    fn refusals_name_a_minimal_conflicting_set_of_the_users_clauses(p in prompt()) {
        let (source, spans) = p.source(&|_| true);
        let Err(refusal) = compile(&source, &Options::new().seed(0)) else {
            return Ok(());
        };
        prop_assert!(!refusal.is_internal(), "{source:?}: {refusal}");
        let d = refusal.iter().next().unwrap();
        // The clauses a label falls on.
        let named: Vec<usize> = (spans.iter())
            .filter(|(_, a, b)| d.labels.iter().any(|l| l.span.start < *b && l.span.end > *a))
            .map(|(i, _, _)| *i)
            .collect();
        prop_assert!(!named.is_empty(), "{source:?} names no clause: {refusal}");
        let (alone, _) = p.source(&|i| named.contains(&i));
        prop_assert!(compile(&alone, &Options::new()).is_err(), "{source:?}: {alone:?} composes");
        for left_out in &named {
            let (rest, _) = p.source(&|i| named.contains(&i) && i != *left_out);
            prop_assert!(composes(&rest), "{source:?}: {rest:?} is refused");
        }
    }
}
