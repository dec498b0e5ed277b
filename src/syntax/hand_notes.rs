//! Hand-read clauses about notes (see `hand`): `using_only` with its pitch list, `range`,
//! `max_leap`, `starts_on` and `ends_on`, each as `grammar/tune.pest` writes it.

use super::ast::{ClauseKind, Spanned, Target};
use super::parser;
use super::scan::{Scan, accidental_sign, hand_note_name, letter};
use crate::theory::{NoteName, Pitch, interval};

/// `only uses G, A and B`, `using only the white keys`: `using_only`'s first two alternatives.
pub(super) fn using_only(p: &mut Scan) -> Option<ClauseKind> {
    let prefixed = p.attempt(|p| {
        only_prefix(p)?;
        p.s().then_some(())?;
        p.attempt(|p| {
            notes_noun(p)?;
            p.s().then_some(())
        });
        keys(p).or_else(|| pitch_list(p))
    });
    let notes = prefixed.or_else(|| {
        p.attempt(|p| {
            p.any_word(&["only", "just"])?;
            p.s().then_some(())?;
            keys(p)
                .or_else(|| {
                    p.attempt(|p| {
                        notes_noun(p)?;
                        p.s().then_some(())?;
                        pitch_list(p)
                    })
                })
                .or_else(|| {
                    p.attempt(|p| {
                        (p.word("from") && p.s()).then_some(())?;
                        pitch_list(p)
                    })
                })
        })
    })?;
    Some(ClauseKind::UsingOnly(notes))
}

fn only_prefix(p: &mut Scan) -> Option<()> {
    let pair = |first: &'static [&'static str], second: &'static [&'static str]| {
        move |p: &mut Scan| {
            p.any_word(first)?;
            p.s().then_some(())?;
            p.any_word(second).map(|_| ())
        }
    };
    let only_verbs: &[&str] = &["uses", "using", "use", "knows", "know", "has", "have"];
    (p.attempt(pair(&["using"], &["only", "just"])))
        .or_else(|| p.attempt(pair(&["only"], only_verbs)))
        .or_else(|| p.attempt(pair(&["uses", "use"], &["only", "just"])))
        .or_else(|| p.attempt(pair(&["just"], &["uses", "using"])))
        .or_else(|| p.attempt(pair(&["with"], &["only", "just"])))
        .or_else(|| p.attempt(pair(&["limited", "restricted"], &["to"])))
        .or_else(|| p.attempt(pair(&["sticks", "sticking", "stick"], &["to"])))
}

/// `notes_noun`: `the notes`, `notes`, `pitches`.
fn notes_noun(p: &mut Scan) -> Option<()> {
    p.attempt(|p| {
        p.attempt(|p| (p.word("the") && p.s()).then_some(()));
        p.any_word(&["notes", "note", "pitches"]).map(|_| ())
    })
}

/// `the white keys`, `the black keys`: their notes, each spanning the phrase.
fn keys(p: &mut Scan) -> Option<Vec<Spanned<NoteName>>> {
    p.attempt(|p| {
        let start = p.at;
        (p.word("the") && p.s()).then_some(())?;
        let colour = p.any_word(&["white", "black"])?;
        (p.s() && p.word("keys") && p.boundary()).then_some(())?;
        let names: &[&str] = match colour {
            "white" => &["C", "D", "E", "F", "G", "A", "B"],
            _ => &["C#", "D#", "F#", "G#", "A#"],
        };
        let span = p.span(start);
        let name = |n| parser::note_name_text(n, span).ok();
        (names.iter())
            .map(|n| {
                Some(Spanned {
                    value: name(n)?,
                    span,
                })
            })
            .collect()
    })
}

/// `pitch_list`: note names apart by commas, `and`, `or` or spaces.
fn pitch_list(p: &mut Scan) -> Option<Vec<Spanned<NoteName>>> {
    let mut names = vec![p.attempt(note)?];
    while let Some(name) = p.attempt(|p| {
        list_gap(p, &["and", "or"])?;
        note(p)
    }) {
        names.push(name);
    }
    Some(names)
}

/// `(s? ~ "," ~ s? ~ (^"and" ~ s)? | s ~ (^"and" | …) ~ s | s)`: the gap in a list.
fn list_gap(p: &mut Scan, joins: &[&'static str]) -> Option<()> {
    let comma = p.comma();
    comma
        .or_else(|| {
            p.attempt(|p| {
                p.s().then_some(())?;
                p.any_word(joins)?;
                p.s().then_some(())
            })
        })
        .or_else(|| p.s().then_some(()))
}

fn note(p: &mut Scan) -> Option<Spanned<NoteName>> {
    let name = hand_note_name(p)?;
    let value = parser::note_name_text(name.value, name.span).ok()?;
    Some(Spanned {
        value,
        span: name.span,
    })
}

/// `between D4 and B5`, `range D4 to B5`, `from C4-C5`: `range`'s first alternative.
pub(super) fn range(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        range_prefix(p)?;
        p.s().then_some(())?;
        let spaced = p.attempt(|p| {
            let low = pitch(p)?;
            p.s().then_some(())?;
            p.attempt(|p| (p.word("up") && p.s()).then_some(()));
            p.any_word(&["to", "and"])?;
            p.s().then_some(())?;
            Some((low, pitch(p)?))
        });
        let (low, high) = spaced.or_else(|| {
            p.attempt(|p| {
                let low = pitch_before_hyphen(p)?;
                p.any_lit(&["-", "–"])?;
                Some((low, pitch(p)?))
            })
        })?;
        Some(ClauseKind::Range(low, high))
    })
}

fn range_prefix(p: &mut Scan) -> Option<()> {
    let range = p.attempt(|p| {
        p.attempt(|p| (p.word("in") && p.s() && p.word("the") && p.s()).then_some(()));
        p.word("range").then_some(())?;
        p.attempt(|p| {
            p.s();
            p.lit(":").then_some(())
        });
        p.attempt(|p| (p.s() && p.word("from")).then_some(()));
        Some(())
    });
    let within = |p: &mut Scan| {
        p.word("within").then_some(())?;
        p.attempt(|p| {
            (p.s() && p.word("the") && p.s()).then_some(())?;
            p.any_word(&["octave", "range"]).map(|_| ())
        });
        p.attempt(|p| (p.s() && p.word("from")).then_some(()));
        Some(())
    };
    (range.or_else(|| p.any_word(&["between", "from"]).map(|_| ())))
        .or_else(|| p.attempt(within))
        .or_else(|| p.word("inside").then_some(()))
        .or_else(|| p.attempt(|p| (p.word("confined") && p.s() && p.word("to")).then_some(())))
}

/// `pitch`: `D4`, `Bb3`, `B-flat 4`, `C-1`, `middle C`.
fn pitch(p: &mut Scan) -> Option<Pitch> {
    p.attempt(|p| {
        let start = p.at;
        let middle_c = p.attempt(|p| (p.word("middle") && p.s() && p.word("c")).then_some(()));
        if middle_c.is_some() {
            p.boundary().then_some(())?;
            return parser::pitch_text(p.slice(start), p.span(start)).ok();
        }
        letter(p)?;
        let spelled = p.attempt(|p| {
            (p.lit("-") || p.s()).then_some(())?;
            p.any_word(&["sharp", "flat"])?;
            p.s();
            Some(())
        });
        if spelled.is_none() {
            accidental_sign(p);
        }
        p.lit("-");
        p.digits()?;
        p.boundary().then_some(())?;
        parser::pitch_text(p.slice(start), p.span(start)).ok()
    })
}

/// `pitch_before_hyphen`: `C4` before the hyphen of `C4-C5`.
fn pitch_before_hyphen(p: &mut Scan) -> Option<Pitch> {
    p.attempt(|p| {
        let start = p.at;
        letter(p)?;
        accidental_sign(p);
        p.digits()?;
        let ahead = p.rest().starts_with(['-', '–']);
        ahead.then_some(())?;
        parser::pitch_text(p.slice(start), p.span(start)).ok()
    })
}

const LEAP_NOUNS: [&str; 8] = [
    "leaps",
    "leap",
    "jumps",
    "jump",
    "skips",
    "skip",
    "intervals",
    "interval",
];

const LEAP_VERBS: [&str; 9] = [
    "leaps", "leaping", "leap", "jumps", "jumping", "jump", "skips", "skipping", "skip",
];

/// `no leaps larger than a fifth`, `never leaps more than a fourth`: `max_leap`'s first two
/// alternatives.
pub(super) fn max_leap(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        let no = p.attempt(|p| {
            (p.word("no") && p.s()).then_some(())?;
            p.any_word(&LEAP_NOUNS)?;
            p.s().then_some(())?;
            leap_limit(p)
        });
        no.or_else(|| {
            p.attempt(|p| {
                p.attempt(|p| (p.word("never") && p.s()).then_some(()));
                p.any_word(&LEAP_VERBS)?;
                p.s().then_some(())?;
                leap_limit(p)
            })
        })?;
        p.s().then_some(())?;
        let semitones = semitone_count(p).or_else(|| interval_name(p))?;
        p.attempt(|p| {
            (p.s() && p.word("or") && p.s()).then_some(())?;
            p.any_word(&["less", "smaller", "under"])?;
            p.boundary().then_some(())
        });
        Some(ClauseKind::MaxLeap(semitones))
    })
}

fn leap_limit(p: &mut Scan) -> Option<()> {
    let than = p.attempt(|p| {
        p.any_word(&["larger", "bigger", "greater", "wider", "more"])?;
        (p.s() && p.word("than")).then_some(())
    });
    than.or_else(|| p.any_word(&["over", "beyond"]).map(|_| ()))
}

/// `semitone_count`: `7 semitones`, at most 127.
fn semitone_count(p: &mut Scan) -> Option<u8> {
    p.attempt(|p| {
        let n = p.digits()?;
        p.s().then_some(())?;
        p.any_word(&["semitones", "semitone"])?;
        p.boundary().then_some(())?;
        n.parse().ok().filter(|&n| n <= 127)
    })
}

/// `interval_name`: `a fifth`, `a perfect fifth`, `P5`, `a 5th`, `a whole tone`; its size.
fn interval_name(p: &mut Scan) -> Option<u8> {
    p.attempt(|p| {
        let start = p.at;
        p.attempt(|p| {
            p.any_word(&["an", "a"])?;
            p.s().then_some(())
        });
        let named = p.attempt(step_name).or_else(|| p.attempt(interval_symbol));
        if named.is_none() {
            p.attempt(|p| {
                let quality = ["perfect", "major", "minor", "augmented", "diminished"];
                p.any_word(&quality)?;
                p.s().then_some(())
            });
            let ordinals = [
                "2nd", "3rd", "4th", "5th", "6th", "7th", "8ve", "8th", "9th", "10th",
            ];
            let ordinal = p.attempt(|p| p.any_word(&ordinals).filter(|_| p.boundary()));
            if ordinal.is_none() {
                let len = p.rest().bytes().take_while(u8::is_ascii_alphabetic).count();
                (len > 0).then_some(())?;
                p.at += len;
            }
        }
        interval::semitones(p.slice(start))
    })
}

fn step_name(p: &mut Scan) -> Option<()> {
    p.any_word(&["whole", "half"])?;
    (p.s() || p.lit("-")).then_some(())?;
    p.any_word(&["tone", "step"])?;
    p.boundary().then_some(())
}

fn interval_symbol(p: &mut Scan) -> Option<()> {
    if p.lit("TT") {
        return p.boundary().then_some(());
    }
    p.any_lit(&["P", "M", "m", "A", "d"])?;
    p.peek().filter(|b| (b'1'..=b'9').contains(b))?;
    p.at += 1;
    if p.peek().is_some_and(|b| b.is_ascii_digit()) {
        p.at += 1;
    }
    p.boundary().then_some(())
}

const END_VERBS: [&str; 6] = ["ends", "ending", "end", "finishes", "finishing", "finish"];

/// `ends on the tonic`, `finishing on D4`, `coming to rest on E`: the grammar's `ends_on`.
pub(super) fn ends_on(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        let rest = |p: &mut Scan| {
            p.any_word(&["coming", "comes"])?;
            (p.s() && p.word("to") && p.s() && p.word("rest")).then_some(())
        };
        (p.any_word(&END_VERBS).map(|_| ()))
            .or_else(|| p.attempt(rest))
            .or_else(|| p.any_word(&["landing", "lands"]).map(|_| ()))?;
        on_target(p, &["on"]).map(ClauseKind::EndsOn)
    })
}

const START_VERBS: [&str; 8] = [
    "starts",
    "starting",
    "start",
    "begins",
    "beginning",
    "begin",
    "opens",
    "opening",
];

/// `starts on D`, `begins with an E`, `start D5`: the grammar's `starts_on`.
pub(super) fn starts_on(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        p.any_word(&START_VERBS)?;
        on_target(p, &["on", "with"]).map(ClauseKind::StartsOn)
    })
}

/// `s ~ (it ~ s)? ~ (on ~ s ~ article? ~ target | &pitch ~ target)` after the verb.
fn on_target(p: &mut Scan, ons: &[&'static str]) -> Option<Target> {
    p.s().then_some(())?;
    p.attempt(|p| (p.word("it") && p.s()).then_some(()));
    let on = p.attempt(|p| {
        p.any_word(ons)?;
        p.s().then_some(())?;
        p.attempt(|p| {
            p.any_word(&["an", "a"])?;
            p.s().then_some(())?;
            p.peek().filter(|b| (b'A'..=b'G').contains(b)).map(|_| ())
        });
        target(p)
    });
    on.or_else(|| {
        let mut ahead = *p;
        pitch(&mut ahead)?;
        target(p)
    })
}

/// `target`: the tonic, the dominant, a degree, a pitch or a note name.
fn target(p: &mut Scan) -> Option<Target> {
    let named = |p: &mut Scan, name: &str| {
        p.attempt(|p| {
            p.attempt(|p| (p.word("the") && p.s()).then_some(()));
            (p.word(name) && p.boundary()).then_some(())
        })
    };
    if named(p, "tonic").is_some() {
        return Some(Target::Tonic);
    }
    if named(p, "dominant").is_some() {
        return Some(Target::Dominant);
    }
    let degree = p.attempt(|p| {
        (p.word("degree") && p.s()).then_some(())?;
        p.digits()?
            .parse::<u8>()
            .ok()
            .filter(|d| (1..=7).contains(d))
    });
    if let Some(degree) = degree {
        return Some(Target::Degree(degree));
    }
    (p.attempt(pitch).map(Target::Pitch)).or_else(|| note(p).map(|n| Target::Class(n.value)))
}
