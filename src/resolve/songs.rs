//! Songs: what a named section does by habit (a chorus a step louder, an intro and an outro a
//! step softer) and what a section line changes within the piece (its key, tempo, a crescendo),
//! refused where a change would break a request the user wrote for the whole piece.

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::{ChordSpec, SongSection, Target};
use crate::theory::{Key, Letter, Meter, Mode, NoteName, PitchSet};

use super::clash::clash;
use super::clauses::{ChordBars, PartClauses, PieceClauses, SectionClauses};
use super::plan::*;

/// The Plan with its `parts`, its section rules and key changes completed from the section
/// lines `clauses` and the piece's `the last chorus goes up a step`.
pub(super) fn apply(
    plan: Plan,
    parts: Vec<PartPlan>,
    (piece, part_clauses): (&PieceClauses, &[PartClauses]),
    clauses: &[SectionClauses],
) -> Result<Plan, Vec<Diagnostic>> {
    let mut plan = Plan { parts, ..plan };
    changes(&mut plan, piece, clauses).map_err(|d| vec![d])?;
    degrees_in_their_keys(&mut plan, part_clauses);
    Ok(plan)
}

/// The sections' own keys, tempi and hairpins, the names' habits and the key changes.
fn changes(
    plan: &mut Plan,
    piece: &PieceClauses,
    clauses: &[SectionClauses],
) -> Result<(), Diagnostic> {
    for c in clauses {
        let key = c.key.as_ref().map(|k| section_key(plan, k)).transpose()?;
        let meter = c.meter.as_ref().map_or(plan.meter.value, |m| m.value);
        let rules = rules_for(plan, c.name.value.letter);
        rules.key = key;
        rules.tempo =
            (c.tempo.as_ref()).map(|t| super::clauses::tempo_in_beats(t, c.tempo_per, meter));
        rules.meter = c.meter.clone();
        rules.hairpin = c.hairpin.clone();
    }
    habits(plan);
    refuse_meter_joins(plan, piece, clauses)?;
    plan.modulations = modulations(plan, piece)?;
    if let Some(first) = plan.modulations.first() {
        refuse_fixed_pitches(plan, piece, clauses, &first.key)?;
    }
    Ok(())
}

/// A section in another meter or mode is composed on its own and set into the piece, so what
/// spans its joins cannot be kept yet: a rule on the steps between notes, and (in another
/// meter) chords written bar by bar, whose places in the bar are counted in the piece's meter.
fn refuse_meter_joins(
    plan: &Plan,
    piece: &PieceClauses,
    clauses: &[SectionClauses],
) -> Result<(), Diagnostic> {
    let (home, mode) = (plan.meter.value, plan.key.value.mode);
    let change = |c| own_meter(c, home).or_else(|| own_mode(c, mode));
    let Some((section, (change, named, meter))) =
        (clauses.iter()).find_map(|c| Some((c, change(c)?)))
    else {
        return Ok(());
    };
    let steps = (plan.parts.iter())
        .find_map(|p| (p.max_leap.as_ref().map(|m| &m.origin)).or(p.mostly_stepwise.as_ref()));
    let chords = (section.chords.as_ref().map(|c| &c.origin))
        .or(piece.chords.as_ref().map(|(c, _)| &c.origin))
        .filter(|_| meter);
    let (other, (what, label), hint) = match (steps, chords) {
        (Some(rule), _) => (
            rule,
            ("a rule on the steps between notes", "this rule"),
            "drop the section's meter or mode, or the rule on steps",
        ),
        (None, Some(chords)) => (
            chords,
            ("chords written bar by bar", "these chords"),
            "drop the section's meter, or the written chords (the style chooses them)",
        ),
        (None, None) => return Ok(()),
    };
    let label_change = if meter {
        "the section's meter"
    } else {
        "the section's mode"
    };
    Err(clash(
        Code::SectionMeterChange,
        format!("a section in {named} cannot keep {what} across its joins"),
        change,
        label_change,
        other,
        label,
        hint.into(),
    ))
}

/// A section line's meter where it is not the piece's `home`: its origin, its name, and true.
fn own_meter(c: &SectionClauses, home: Meter) -> Option<(&Origin, String, bool)> {
    let meter = c.meter.as_ref().filter(|m| m.value != home)?;
    Some((&meter.origin, meter.value.to_string(), true))
}

/// A section line's key where its mode is not the piece's: its origin, its name, and false.
fn own_mode(c: &SectionClauses, mode: Mode) -> Option<(&Origin, String, bool)> {
    let key = c.key.as_ref()?;
    let other = key.value.1.filter(|m| *m != mode)?;
    Some((
        &key.origin,
        format!("{} {}", key.value.0, other.name()),
        false,
    ))
}

/// `starts on the tonic`, `ends on the fifth`: degrees of the key the first or last bar is in.
fn degrees_in_their_keys(plan: &mut Plan, clauses: &[PartClauses]) {
    let first = plan.key_at(0);
    let last = plan.key_at(plan.bars.value.saturating_sub(1));
    let degree = |target: Target, key: Key| match target {
        Target::Tonic => Some(key.tonic_class()),
        Target::Dominant => Some(key.degree(5).pitch_class()),
        Target::Degree(n) => Some(key.degree(n).pitch_class()),
        Target::Class(_) | Target::Pitch(_) => None,
    };
    for c in clauses {
        let Some(part) = plan.parts.iter_mut().find(|p| p.role == c.role) else {
            continue;
        };
        let ends = [
            (&c.starts_on, &mut part.starts_on, first),
            (&c.ends_on, &mut part.ends_on, last),
        ];
        for (written, endpoint, key) in ends {
            let class = written.as_ref().and_then(|t| degree(t.value, key));
            if let (Some(class), Some(endpoint)) = (class, endpoint.as_mut()) {
                endpoint.value = Endpoint::Class(class);
            }
        }
    }
}

/// The rules of `letter`, made when the section has none yet.
fn rules_for(plan: &mut Plan, letter: char) -> &mut SectionRules {
    let at = match plan.section_rules.iter().position(|r| r.letter == letter) {
        Some(at) => at,
        None => {
            plan.section_rules.push(SectionRules::of(letter));
            plan.section_rules.len() - 1
        }
    };
    &mut plan.section_rules[at]
}

/// `section chorus: in E major`: the piece's mode on a new tonic, or another mode whose scale
/// is the piece's scale moved (`in E minor`, `in D dorian` in a major piece); any other mode
/// (a pentatonic or harmonic-minor section in a major piece) is refused.
fn section_key(
    plan: &Plan,
    written: &Sourced<(NoteName, Option<Mode>)>,
) -> Result<Sourced<Key>, Diagnostic> {
    let (tonic, mode) = written.value;
    let home = plan.key.value;
    let key = Key::new(tonic, mode.unwrap_or(home.mode));
    if shift_to(home, key).is_some() {
        return Ok(Sourced::new(key, written.origin.clone()));
    }
    Err(clash(
        Code::SectionKeyMode,
        format!(
            "a section in {key} cannot change the piece's {} mode",
            home.mode.name()
        ),
        &written.origin,
        "this section's key",
        &plan.key.origin,
        "the piece's key",
        format!(
            "write the section in {tonic} {} (a section's scale must be the piece's, moved)",
            home.mode.name()
        ),
    ))
}

/// Semitones that move the piece's scale onto `key`'s, the shorter way (up to a tritone
/// either way, up first): the tonics' distance in the same mode; for another mode, the
/// distance to the key in the piece's mode with the same notes (E minor in G major: 0, D
/// dorian in G major: 5, to C major). None when no move gives `key`'s scale.
fn shift_to(home: Key, key: Key) -> Option<i8> {
    if key.mode == home.mode {
        return Some(nearest_shift(home, key));
    }
    let moved = |shift: i8| PitchSet::of(home.scale().iter().map(|pc| pc.transpose(shift as i32)));
    [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6]
        .into_iter()
        .find(|&shift| moved(shift) == key.scale())
}

/// What a section's name brings when its line says nothing of it: a chorus a step louder than
/// the verse, an intro and an outro a step softer.
fn habits(plan: &mut Plan) {
    let named: Vec<(char, SongSection)> = (plan.sections.iter())
        .filter_map(|s| s.name.song.map(|song| (s.name.letter, song)))
        .collect();
    for (letter, song) in named {
        let (step, why) = match song {
            s if s.is_hook() => (1, "a chorus sits a step louder than the verse"),
            s if s.frames() => (-1, "an intro or outro is a step softer"),
            _ => continue,
        };
        let rules = rules_for(plan, letter);
        if rules.dynamics.is_none() {
            rules.dynamics = Some(Sourced::new(step, Origin::Default(why.into())));
        }
    }
}

/// Every section played in another key: those whose line gives a key, and from the last time
/// the section of `the last chorus goes up a step` plays to the end, that much higher again.
fn modulations(plan: &Plan, piece: &PieceClauses) -> Result<Vec<Modulation>, Diagnostic> {
    let home = plan.key.value;
    let last_up = match &piece.last_up {
        Some(up) => Some((last_of(plan, up)?, up)),
        None => None,
    };
    let mut out = Vec::new();
    for (i, section) in plan.sections.iter().enumerate() {
        let own = plan
            .rules_of(section.name.letter)
            .and_then(|r| r.key.clone());
        let target = own.as_ref().map_or(home, |k| k.value);
        let mut shift = shift_to(home, target).unwrap_or(0);
        let mut origin = own.map(|k| k.origin);
        let mut up = 0;
        if let Some((_, last)) = last_up.filter(|(at, _)| *at <= i) {
            up = last.value.1 as i8;
            origin = Some(last.origin.clone());
        }
        shift += up;
        // A section in the home key and mode moves nothing: no key to spell (the usual case).
        let moved = shift != 0 || target.mode != home.mode;
        let Some(origin) = origin.filter(|_| moved) else {
            continue;
        };
        let key = match target.mode == home.mode {
            true => transposed(home, shift),
            false => transposed(target, up),
        };
        out.push(Modulation {
            section: i,
            key: Sourced::new(key, origin),
            shift,
        });
    }
    Ok(out)
}

/// Where in the form the last section named by `the last chorus goes up a step` plays.
fn last_of(plan: &Plan, up: &Sourced<(SongSection, u8)>) -> Result<usize, Diagnostic> {
    let song = up.value.0;
    (plan.sections.iter())
        .rposition(|s| s.name.song == Some(song))
        .ok_or_else(|| {
            clash(
                Code::SectionNotInForm,
                format!("the form has no {}", song.name()),
                &up.origin,
                "this section",
                &plan.form_origin,
                "the form",
                format!(
                    "name it in the form, e.g. `form verse {0} verse {0}`",
                    song.name()
                ),
            )
        })
}

/// Semitones from `home` to `key`'s tonic the shorter way (up to a tritone either way).
fn nearest_shift(home: Key, key: Key) -> i8 {
    let up = home.tonic_class().up_to(key.tonic_class()) as i8;
    if up > 6 { up - 12 } else { up }
}

/// `key` moved `shift` semitones, its tonic spelled with the fewest sharps or flats.
pub fn transposed(key: Key, shift: i8) -> Key {
    let tonic = key.tonic_class().transpose(shift as i32);
    (Letter::ALL.iter())
        .map(|&l| Key::new(NoteName::spell_on(l, tonic), key.mode))
        .filter(|k| k.spelled_scale().iter().all(|n| n.alter.abs() <= 1))
        .min_by_key(|k| (k.signature().abs(), k.tonic.alter.abs()))
        .unwrap_or(key)
}

/// A section in another key would break `using only` and `avoiding` (they name pitches, not
/// degrees) and chords written as letters; Roman numerals move with the key.
fn refuse_fixed_pitches(
    plan: &Plan,
    piece: &PieceClauses,
    clauses: &[SectionClauses],
    change: &Sourced<Key>,
) -> Result<(), Diagnostic> {
    let rule = (plan.parts.iter())
        .flat_map(|p| &p.pitch_rules)
        .find(|r| r.kind != PitchRuleKind::Scale && r.origin.is_user());
    let letters = |bars: &ChordBars| {
        bars.iter()
            .flatten()
            .any(|c| matches!(c.value, ChordSpec::Symbol(_)))
    };
    let moved = |letter: char| {
        (plan.modulations.iter()).any(|m| plan.sections[m.section].name.letter == letter)
    };
    let chords = (piece.chords.as_ref())
        .filter(|(c, _)| letters(&c.value))
        .map(|(c, _)| &c.origin)
        .or_else(|| {
            (clauses.iter())
                .filter(|c| moved(c.name.value.letter))
                .filter_map(|c| c.chords.as_ref())
                .find(|c| letters(&c.value))
                .map(|c| &c.origin)
        });
    let (fixed, what, hint) = match (rule, chords) {
        (Some(rule), _) => (
            &rule.origin,
            "these pitches",
            "drop the key change or the pitch set",
        ),
        (None, Some(chords)) => (
            chords,
            "these chords",
            "write the chords as Roman numerals (they move with the key), or drop the key change",
        ),
        (None, None) => return Ok(()),
    };
    Err(clash(
        Code::KeyChangeConflict,
        format!(
            "a section in {} would play other pitches than {what} allow",
            change.value
        ),
        &change.origin,
        "the key change",
        fixed,
        what,
        hint.into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::Mode;

    #[test]
    fn a_key_moves_to_the_spelling_with_the_fewest_accidentals() {
        let d = Key::new(NoteName::new(Letter::D, 0), Mode::Major);
        assert_eq!(transposed(d, 2).to_string(), "E major");
        assert_eq!(transposed(d, 1).to_string(), "Eb major");
        assert_eq!(transposed(d, -4).to_string(), "Bb major");
        let e = transposed(d, 2);
        assert_eq!(nearest_shift(d, e), 2);
        assert_eq!(nearest_shift(e, d), -2);
    }

    #[test]
    fn another_mode_is_the_pieces_scale_moved_or_nothing() {
        let key = |l, m| Key::new(NoteName::new(l, 0), m);
        let g = key(Letter::G, Mode::Major);
        assert_eq!(shift_to(g, key(Letter::E, Mode::Minor)), Some(0));
        assert_eq!(shift_to(g, key(Letter::D, Mode::Dorian)), Some(5));
        assert_eq!(shift_to(g, key(Letter::A, Mode::Major)), Some(2));
        assert_eq!(shift_to(g, key(Letter::E, Mode::HarmonicMinor)), None);
        assert_eq!(shift_to(g, key(Letter::E, Mode::MinorPentatonic)), None);
    }
}
