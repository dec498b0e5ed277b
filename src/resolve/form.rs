//! The form as played (sections and their lengths) and the final cadence: checked against the
//! length and the chords the user wrote, with errors that name both lines.

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::MAX_BARS;
use crate::syntax::{Cadence, SectionName};
use crate::theory::Chord;

use super::clash::clash;
use super::clauses::{PieceClauses, SectionClauses};
use super::plan::*;
use super::presets::Style;

/// The form as played and the piece's length: sections sized by their own `N bars`, the rest
/// sharing what is left equally.
pub(super) fn form(
    piece: &PieceClauses,
    clauses: &[SectionClauses],
    rules: &[SectionRules],
    progression: Option<&Progression>,
    style: &Style,
    preset: &Origin,
) -> Result<(Vec<Section>, Sourced<u32>, Origin), Diagnostic> {
    let progression_bars = progression.map_or(0, |p| p.bars.len() as u32);
    let (letters, form_origin): (Vec<SectionName>, Origin) = match &piece.form {
        Some(f) => (f.value.iter().map(|l| l.value).collect(), f.origin.clone()),
        None => {
            // The style's form, unless the user's chords or length call for one section.
            let letters: Vec<SectionName> = style.form.chars().fold(Vec::new(), |mut v, c| {
                match c {
                    '\'' => v
                        .last_mut()
                        .into_iter()
                        .for_each(|l: &mut SectionName| l.varied = true),
                    letter => v.push(SectionName {
                        letter,
                        varied: false,
                    }),
                }
                v
            });
            let fits = |total: u32| {
                total.is_multiple_of(letters.len() as u32)
                    && total / letters.len() as u32 >= progression_bars.max(2)
            };
            let total = piece
                .bars
                .as_ref()
                .map_or(style.bars.max(progression_bars), |b| b.value);
            if clauses.is_empty() && !fits(total) {
                (
                    vec![SectionName {
                        letter: 'A',
                        varied: false,
                    }],
                    Origin::Default("one section".into()),
                )
            } else {
                (letters, preset.clone())
            }
        }
    };
    for c in clauses {
        if !letters.iter().any(|l| l.letter == c.name.value.letter) {
            return Err(Diagnostic::at(
                Code::SectionNotInForm,
                c.name.span,
                format!("the form has no section {}", c.name.value.letter),
                "not in the form",
            )
            .hint("add it to the form, e.g. `form AABB`"));
        }
    }
    let fixed = |letter: char| {
        clauses
            .iter()
            .find(|c| c.name.value.letter == letter)
            .and_then(|c| c.bars.as_ref())
    };
    let fixed_total: u32 = letters
        .iter()
        .filter_map(|l| fixed(l.letter))
        .map(|b| b.value)
        .sum();
    let free = letters.iter().filter(|l| fixed(l.letter).is_none()).count() as u32;
    let bars = match &piece.bars {
        Some(b) => b.clone(),
        None if free == 0 => {
            Sourced::new(fixed_total, Origin::Default("the sections' lengths".into()))
        }
        None => {
            let per = (style.bars / letters.len() as u32)
                .max(progression_bars)
                .max(1);
            Sourced::new(
                fixed_total + per * free,
                Origin::Default("the style's length and form".into()),
            )
        }
    };
    let remaining = bars.value.checked_sub(fixed_total).filter(|r| {
        if free == 0 {
            *r == 0
        } else {
            r.is_multiple_of(free) && *r > 0
        }
    });
    let Some(remaining) = remaining else {
        let hint = if free == 0 {
            format!("the sections add up to {fixed_total} bars")
        } else {
            format!(
                "give each section its length, e.g. `section {}: 4 bars`",
                letters[0].letter
            )
        };
        return Err(clash(
            Code::FormLength,
            format!(
                "{} bars do not divide into the form {}",
                bars.value,
                letters.iter().map(|l| l.letter).collect::<String>()
            ),
            &bars.origin,
            "the length",
            &form_origin,
            "the form",
            hint,
        ));
    };
    if bars.value > MAX_BARS {
        return Err(Diagnostic::new(
            Code::PieceTooLong,
            format!(
                "the form makes {} bars, more than the {MAX_BARS} tunec writes",
                bars.value
            ),
        ));
    }
    let per_free = remaining.checked_div(free).unwrap_or(0);
    let mut sections = Vec::new();
    let mut start_bar = 0;
    for name in letters {
        let length = fixed(name.letter).map_or(per_free, |b| b.value);
        sections.push(Section {
            name,
            start_bar,
            bars: length,
        });
        start_bar += length;
    }
    // Chords longer than the stretch they fill would never be heard in full.
    for section in &sections {
        let own = rules
            .iter()
            .find(|r| r.letter == section.name.letter)
            .and_then(|r| r.progression.as_ref());
        if let Some(p) = own.or(progression)
            && p.bars.len() as u32 > section.bars
        {
            let (what, origin) = match (own, sections.len()) {
                (Some(_), _) => (format!("section {} has", section.name.letter), &form_origin),
                (None, 1) => ("the piece has".to_string(), &bars.origin),
                (None, _) => ("the piece's sections have".to_string(), &bars.origin),
            };
            return Err(clash(
                Code::ChordsLength,
                format!(
                    "the chords fill {} bars but {what} {} bars",
                    p.bars.len(),
                    section.bars
                ),
                &p.origin,
                "these chords",
                origin,
                "the length is set here",
                format!(
                    "shorten the progression or lengthen the section to at least {} bars",
                    p.bars.len()
                ),
            ));
        }
    }
    Ok((sections, bars, form_origin))
}

/// A cadence the user asked for must agree with the chords the user wrote for the last bars.
pub(super) fn check_cadence(plan: &Plan) -> Result<(), Diagnostic> {
    let last_bar = plan.bars.value - 1;
    let (Some(last), true) = (plan.user_bar(last_bar), plan.cadence.origin.is_user()) else {
        return Ok(());
    };
    let mut chords: Vec<Chord> = plan
        .user_bar(last_bar.saturating_sub(1))
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.1)
        .collect();
    if last_bar == 0 {
        chords.clear();
    }
    chords.extend(last.into_iter().map(|c| c.1));
    let key = plan.key.value;
    let degrees: Vec<Option<u8>> = chords
        .iter()
        .map(|c| key.degree_of(c.root_class()))
        .collect();
    let ok = plan.cadence.value.closes(&degrees);
    if ok {
        return Ok(());
    }
    let origin = plan
        .progression_at(last_bar)
        .map_or(Origin::Default(String::new()), |(p, _)| p.origin.clone());
    let names: Vec<String> = chords
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(ToString::to_string)
        .collect();
    let (kind, wanted) = match plan.cadence.value {
        Cadence::Authentic => ("an authentic", "V I"),
        Cadence::Plagal => ("a plagal", "IV I"),
        Cadence::Half => ("a half", "a close on V"),
        Cadence::Deceptive => ("a deceptive", "V vi"),
    };
    Err(clash(
        Code::CadenceMismatch,
        format!(
            "the chords end {}, not {kind} cadence ({wanted})",
            names.join(" ")
        ),
        &plan.cadence.origin,
        "this cadence",
        &origin,
        "these chords",
        "end the chords with V I (authentic), IV I (plagal), on V (half) or V vi (deceptive)"
            .into(),
    ))
}
