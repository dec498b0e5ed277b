//! The commonest clauses read by hand: keys, meters, tempi, lengths, forms, negations here,
//! pitch sets, ranges, leap limits and first and last notes in `hand_notes`, chord lists in
//! `hand_chords`.
//!
//! Pest pays about 25 k instructions for each clause it reads in a sentence (a parser state,
//! its call tracker and stack guard on every rule; docs/performance.md), which kept parse and
//! resolve of a 10-line English prompt over 100 µs. Each rule here is written as
//! `grammar/tune.pest` has it, alternative by alternative, and reads a clause only where the
//! grammar's `clause_start` would read that same clause there; anything else, and every text
//! whose clause would be an error, gives `None` and goes to pest as before. The tests compare
//! the two at every position of every source the project holds.

use super::ast::{Clause, ClauseKind, SectionName, Spanned};
use super::hand_chords::chords;
use super::hand_notes::{ends_on, max_leap, range, starts_on, using_only};
use super::parser::{self, Rule, TuneParser};
use super::scan::{Scan, accidental_sign, hand_note_name, letter};
use crate::limits::MAX_BARS;
use crate::theory::{Meter, Mode};
use crate::vocabulary::MODE_SHORT_NAMES;
use pest::Parser;

/// The clause `clause_start` reads at the start of `text` (the rest of a line, at `base` in the
/// source), and its length, when it is one read here.
pub(super) fn clause(text: &str, base: usize) -> Option<(Clause, usize)> {
    let first = text.bytes().next()?;
    let mut p = Scan::new(text, base);
    let kind = match first.to_ascii_lowercase() {
        b'0'..=b'9' => meter(&mut p)
            .or_else(|| bars(&mut p))
            .or_else(|| tempo(&mut p)),
        b'i' => (key(&mut p).or_else(|| meter(&mut p)))
            .or_else(|| range(&mut p))
            .or_else(|| form(&mut p)),
        b'k' => key(&mut p),
        b'a' if first == b'A' && two_form_letters(text) => form(&mut p),
        b'a' => tempo(&mut p).or_else(|| chords(&mut p)),
        b'b' if first == b'B' && two_form_letters(text) => form(&mut p),
        b'b' => range(&mut p).or_else(|| starts_on(&mut p)),
        b'c' if first == b'C' && two_form_letters(text) => form(&mut p),
        b'c' => chords(&mut p).or_else(|| ends_on(&mut p)),
        b'd' if first == b'D' && two_form_letters(text) => form(&mut p),
        b'e' if first == b'E' && two_form_letters(text) => form(&mut p),
        b'e' => ends_on(&mut p),
        b'f' if first == b'F' && two_form_letters(text) => form(&mut p),
        b'f' => (form(&mut p).or_else(|| range(&mut p))).or_else(|| ends_on(&mut p)),
        b'j' | b'l' => {
            (using_only(&mut p).or_else(|| max_leap(&mut p))).or_else(|| ends_on(&mut p))
        }
        b'n' => max_leap(&mut p).or_else(|| negation(&mut p)),
        b'o' => using_only(&mut p).or_else(|| starts_on(&mut p)),
        b'p' => chords(&mut p),
        b'r' => (tempo(&mut p).or_else(|| using_only(&mut p))).or_else(|| range(&mut p)),
        b's' => (max_leap(&mut p).or_else(|| starts_on(&mut p))).or_else(|| using_only(&mut p)),
        b't' => tempo(&mut p),
        b'u' => using_only(&mut p).or_else(|| chords(&mut p)),
        b'w' => using_only(&mut p).or_else(|| negation(&mut p)),
        _ => None,
    }?;
    let clause = Clause {
        span: p.span(0),
        kind,
    };
    Some((clause, p.at))
}

/// Two of the letters `A` to `F` (`form_head`): where the grammar tries a bare form's letters
/// after chords and keys, which such letters never are.
fn two_form_letters(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 2 && (b'A'..=b'F').contains(&b[0]) && (b'A'..=b'F').contains(&b[1])
}

/// `in the key of G major`, `Key: D minor`, `in Em`: the grammar's `key`, its first alternative.
fn key(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        key_prefix(p)?;
        let (tonic, minor) = key_tonic(p)?;
        let mode = p.attempt(|p| {
            p.s().then_some(())?;
            mode(p)
        });
        key_noun(p);
        let tonic = parser::note_name_text(tonic.value, tonic.span).ok()?;
        let mode = match minor {
            true => Some(Mode::Minor),
            false => mode.and_then(parser::mode_named),
        };
        Some(ClauseKind::Key { tonic, mode })
    })
}

fn key_prefix(p: &mut Scan) -> Option<()> {
    let in_ = p.attempt(|p| (p.word("in") && p.s()).then_some(()));
    if in_.is_some() {
        let key_of = p.attempt(|p| {
            (p.word("the") && p.s() && p.word("key") && p.s() && p.word("of") && p.s())
                .then_some(())
        });
        if key_of.is_none() {
            p.attempt(|p| (p.word("the") && p.s()).then_some(()));
        }
        return Some(());
    }
    let key = p.attempt(|p| {
        p.word("key").then_some(())?;
        let of = p.attempt(|p| (p.s() && p.word("of") && p.s()).then_some(()));
        of.or_else(|| {
            p.attempt(|p| {
                p.s();
                p.lit(":").then(|| {
                    p.s();
                })
            })
        })
    });
    key.or_else(|| {
        p.attempt(|p| {
            p.any_lit(&["K", "k"])?;
            p.lit(":").then(|| {
                p.s();
            })
        })
    })
}

/// `short_minor | !("a" ~ s) ~ note_name | note_name ~ &(s ~ mode | key_noun)`: the tonic's
/// text, and whether it was written as a minor key (`Em`).
fn key_tonic<'a>(p: &mut Scan<'a>) -> Option<(Spanned<&'a str>, bool)> {
    if let Some(minor) = p.attempt(short_minor) {
        return Some((minor, true));
    }
    let mut ahead = *p;
    let article = ahead.lit("a") && ahead.s();
    if !article && let Some(name) = p.attempt(hand_note_name) {
        return Some((name, false));
    }
    let start = p.at;
    let name = p.attempt(hand_note_name)?;
    let mut ahead = *p;
    let followed = ahead
        .attempt(|q| (q.s()).then_some(()).and_then(|_| mode(q)))
        .is_some()
        || key_noun(&mut ahead);
    if !followed {
        p.at = start;
        return None;
    }
    Some((name, false))
}

/// `Em`, `F#m`, `Bbmin`: the letter and its sign, without the minor.
fn short_minor<'a>(p: &mut Scan<'a>) -> Option<Spanned<&'a str>> {
    let start = p.at;
    letter(p)?;
    accidental_sign(p);
    let value = p.slice(start);
    (p.word("min") || p.lit("m")).then_some(())?;
    // `!(word_char | "–")`: `Am–Em–F–G` is chords.
    (!p.rest().starts_with('–')).then_some(())?;
    p.boundary().then(|| Spanned {
        value,
        span: p.span(start),
    })
}

/// The names the grammar's `mode` reads — the vocabulary's modes and their short names — the
/// longest first, as its ordered choice reads them.
fn modes() -> &'static [&'static str] {
    static MODES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    MODES.get_or_init(|| {
        let short = MODE_SHORT_NAMES.iter().map(|(name, _)| *name);
        let mut names: Vec<&str> = Mode::ALL.iter().map(|m| m.name()).chain(short).collect();
        names.sort_by_key(|name| std::cmp::Reverse(name.len()));
        names
    })
}

/// `mode`: a mode's name, then no word character. The two-word names take any spaces.
fn mode<'a>(p: &mut Scan<'a>) -> Option<&'a str> {
    p.attempt(|p| {
        let start = p.at;
        modes().iter().find(|m| {
            p.attempt(|p| match m.split_once(' ') {
                Some((a, b)) => (p.word(a) && p.s() && p.word(b)).then_some(()),
                None => p.word(m).then_some(()),
            })
            .is_some()
        })?;
        p.boundary().then(|| p.slice(start))
    })
}

/// `key_noun`: ` key`, ` mode` or ` scale`, read if there.
fn key_noun(p: &mut Scan) -> bool {
    p.s_word(&["key", "mode", "scale"]).is_some()
}

/// `6/8`, `in 3/4`, `a 6/8 time signature`: the grammar's `meter` with a fraction.
fn meter(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        p.attempt(|p| (p.word("in") && p.s()).then_some(()));
        let count = p.digits()?;
        p.lit("/").then_some(())?;
        let unit = p.digits()?;
        p.boundary().then_some(())?;
        p.attempt(|p| {
            p.s().then_some(())?;
            if p.word("time") {
                p.attempt(|p| (p.s() && p.word("signature")).then_some(()));
            } else {
                p.word("meter").then_some(())?;
            }
            p.boundary().then_some(())
        });
        let meter = Meter::new(count.parse().ok()?, unit.parse().ok()?)?;
        Some(ClauseKind::Meter(meter))
    })
}

/// `32 bars`, `8-bar`, `16 bars long`, `8-bar strains`: `bars` with a number.
fn bars(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        let count = p.digits()?;
        (p.s() || p.lit("-")).then_some(())?;
        let unit = p.any_word(&["bars", "bar", "measures", "measure"])?;
        p.boundary().then_some(())?;
        let next = next_word(p);
        // `two bars per chord` is a harmonic rhythm; `an 8-bar chorus` a section's length.
        if ["per", "each", "a", "for"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(next))
            || (!unit.ends_with('s') && starts_song_section(next))
        {
            return None;
        }
        let n = (count.parse::<u32>().ok()).filter(|&n| n <= MAX_BARS)?;
        let plain = p
            .s_word(&["long", "form", "structure", "phrase"])
            .or_else(|| {
                // `32 bars in length`.
                p.attempt(|p| {
                    (p.s() && p.word("in") && p.s() && p.word("length") && p.boundary())
                        .then_some("in")
                })
            });
        let each = plain
            .is_none()
            .then(|| p.s_word(&["strains", "sections", "parts"]));
        let phrases = (plain.is_none() && each.flatten().is_none())
            .then(|| p.s_word(&["phrases"]))
            .flatten();
        Some(match (each.flatten(), phrases) {
            (_, Some(_)) => ClauseKind::PhraseBars(n),
            (Some(_), _) => ClauseKind::SectionBars(n),
            _ => ClauseKind::Bars(n),
        })
    })
}

/// The word after the spaces at the cursor (empty if none), without moving.
fn next_word<'a>(p: &Scan<'a>) -> &'a str {
    let rest = p.rest();
    let rest = rest.trim_start_matches([' ', '\t']);
    if rest.len() == p.rest().len() {
        return "";
    }
    let len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    &rest[..len]
}

fn starts_song_section(word: &str) -> bool {
    let sections = ["verse", "chorus", "bridge", "intro", "outro", "refrain"];
    let lower = word.to_ascii_lowercase();
    sections.iter().any(|s| lower.starts_with(s))
}

const APPROX: [&str; 5] = ["about", "around", "roughly", "approximately", "approx"];

/// `116 bpm`, `a tempo of 116 BPM`, `Tempo: 64 BPM`, `at 96 bpm`: `tempo`'s first alternative.
fn tempo(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        p.attempt(|p| {
            tempo_prefix(p)?;
            p.s().then_some(())
        });
        p.attempt(|p| {
            p.any_word(&APPROX)?;
            p.s().then_some(())
        });
        let number = p.digits()?;
        p.s();
        let per_minute = |p: &mut Scan| {
            (p.word("beats") && p.s()).then_some(())?;
            p.any_word(&["per", "a"])?;
            (p.s() && p.word("minute")).then_some(())
        };
        (p.word("bpm") || p.attempt(per_minute).is_some()).then_some(())?;
        p.boundary().then_some(())?;
        Some(ClauseKind::Tempo(number.parse().ok()?, None))
    })
}

fn tempo_prefix(p: &mut Scan) -> Option<()> {
    if p.word("at") {
        p.attempt(|p| {
            p.s().then_some(())?;
            p.attempt(|p| {
                p.any_word(&["a", "the"])?;
                p.s().then_some(())
            });
            (p.word("tempo") && p.s() && p.word("of")).then_some(())
        });
        return Some(());
    }
    p.attempt(|p| {
        p.attempt(|p| {
            p.any_word(&["a", "the"])?;
            p.s().then_some(())
        });
        p.word("tempo").then_some(())?;
        let joined = ["of", "is", "at"]
            .iter()
            .any(|w| p.attempt(|p| (p.s() && p.word(w)).then_some(())).is_some());
        if !joined {
            p.attempt(|p| {
                p.s();
                p.lit(":").then_some(())
            });
        }
        Some(())
    })
}

/// `form AABB`, `AABB`, `an AABA form`: the grammar's `form`.
fn form(p: &mut Scan) -> Option<ClauseKind> {
    let keyword = p.attempt(|p| {
        p.word("form").then_some(())?;
        p.attempt(|p| {
            p.s();
            p.lit(":").then_some(())
        });
        p.s().then_some(())?;
        let mut letters = vec![section_letter(p)?];
        while let Some(l) = p.attempt(|p| {
            p.s();
            section_letter(p)
        }) {
            letters.push(l);
        }
        p.boundary().then_some(letters)
    });
    let letters = keyword.or_else(|| p.attempt(bare_form))?;
    Some(ClauseKind::Form(letters))
}

/// `(in s ((an|a) s)?)? &(form_letter{2,} ~ !word_char) section_letter{2,} (s form)?`.
fn bare_form(p: &mut Scan) -> Option<Vec<Spanned<SectionName>>> {
    p.attempt(|p| {
        (p.word("in") && p.s()).then_some(())?;
        p.attempt(|p| {
            p.any_word(&["an", "a"])?;
            p.s().then_some(())
        });
        Some(())
    });
    let mut ahead = *p;
    let mut count = 0;
    while ahead.peek().is_some_and(|b| (b'A'..=b'F').contains(&b)) {
        ahead.at += 1;
        ahead.lit("'");
        count += 1;
    }
    (count >= 2 && ahead.boundary()).then_some(())?;
    let mut letters = Vec::new();
    while let Some(l) = p.attempt(section_letter) {
        letters.push(l);
    }
    p.s_word(&["form"]);
    Some(letters)
}

/// `section_letter`: a capital, and a prime for a varied repeat.
fn section_letter(p: &mut Scan) -> Option<Spanned<SectionName>> {
    let start = p.at;
    let letter = p.peek().filter(u8::is_ascii_uppercase)? as char;
    p.at += 1;
    let varied = p.lit("'");
    Some(Spanned {
        value: SectionName {
            varied,
            ..SectionName::letter(letter)
        },
        span: p.span(start),
    })
}

const PART_NOUNS: [&str; 10] = [
    "drums",
    "drum",
    "percussion",
    "bassline",
    "bass",
    "chords",
    "harmony",
    "accompaniment",
    "counter-melody",
    "countermelody",
];

/// `no drums`, `without bass`, `no drums or bass`: the grammar's `negation`.
fn negation(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        p.any_word(&["no", "without"])?;
        p.s().then_some(())?;
        p.attempt(|p| {
            p.any_word(&["any", "a", "an", "the"])?;
            p.s().then_some(())
        });
        let mut parts = vec![part_noun(p)?];
        while let Some(part) = p.attempt(|p| {
            let comma = p.attempt(|p| {
                p.s();
                p.lit(",").then_some(())?;
                p.s();
                p.attempt(|p| {
                    p.any_word(&["or", "and"])?;
                    p.s().then_some(())
                });
                Some(())
            });
            let joined = comma.or_else(|| {
                p.attempt(|p| {
                    p.s().then_some(())?;
                    p.any_word(&["or", "nor", "and"])?;
                    p.s().then_some(())
                })
            });
            joined?;
            let part = part_noun(p)?;
            // The grammar's `!part_clause_follows`: `no drums, chords C7 F7` ends the list.
            let follows = TuneParser::parse(Rule::part_clause_follows, p.rest()).is_ok();
            (!follows).then_some(part)
        }) {
            parts.push(part);
        }
        Some(ClauseKind::Without(parts))
    })
}

fn part_noun(p: &mut Scan) -> Option<Spanned<String>> {
    p.attempt(|p| {
        let start = p.at;
        p.any_word(&PART_NOUNS)?;
        p.boundary().then(|| Spanned {
            value: p.slice(start).to_ascii_lowercase(),
            span: p.span(start),
        })
    })
}
