//! The form as played (sections and their lengths) and the final cadence: checked against the
//! length and the chords the user wrote, with errors that name both lines.

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::MAX_BARS;
use crate::syntax::{Cadence, SectionName, Spanned};
use crate::theory::Chord;

use super::clash::{clash, span_of};
use super::clauses::{PieceClauses, SectionClauses};
use super::plan::*;
use crate::presets::Style;

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
    let (letters, form_origin) = match &piece.form {
        Some(f) => (f.value.iter().map(|l| l.value).collect(), f.origin.clone()),
        None => style_form(piece, clauses, style, progression_bars, preset),
    };
    if let Some(form) = &piece.form {
        varied_after_base(&form.value)?;
    }
    every_named_section_in(&letters, piece, clauses)?;
    // A section's own `N bars`, else the length every section is given (`8-bar strains`),
    // else, in a song whose length is not given, its section's habit (`song_length`).
    let song = song_length(piece, &letters, progression_bars);
    let own_bars = |letter: char| {
        clauses
            .iter()
            .find(|c| c.name.value.letter == letter)
            .and_then(|c| c.bars.as_ref())
            .or(piece.section_bars.as_ref())
            .map(|b| b.value)
            .or_else(|| song(letter))
    };
    let bars = piece_length(piece, &letters, own_bars, style, progression_bars);
    let shares = free_shares(piece, clauses, &bars, &letters, own_bars, &form_origin)?;
    let sections = laid_out(letters, own_bars, &shares);
    check_chords_fit(&sections, rules, progression, (&bars.origin, &form_origin)).map_err(|d| {
        // The form takes part when the style's own form would leave the chords room.
        let style_sections = style.form.chars().filter(char::is_ascii_alphabetic).count();
        let longest = progression.map_or(0, |p| p.bars.len());
        let roomy = bars.value as usize >= longest * style_sections.max(1);
        match (d.code, roomy && form_origin.is_user() && sections.len() > 1) {
            (Code::ChordsLength, true) => d.label(span_of(&form_origin), "the form"),
            _ => d,
        }
    })?;
    Ok((sections, bars, form_origin))
}

/// A varied repeat plays after the section it varies (E0233 else): in `form A'A` there is no A
/// to vary yet. A varied letter whose plain one the form never plays is a section of its own.
fn varied_after_base(letters: &[Spanned<SectionName>]) -> Result<(), Diagnostic> {
    for (i, varied) in letters.iter().enumerate() {
        let name = varied.value;
        let base = |l: &Spanned<SectionName>| l.value.letter == name.letter && !l.value.varied;
        if name.varied && !letters[..i].iter().any(base) && letters[i..].iter().any(base) {
            let plain = SectionName {
                varied: false,
                ..name
            };
            return Err(Diagnostic::at(
                Code::VariedBeforeBase,
                varied.span,
                format!("the varied repeat {name} comes before {plain}, the section it varies"),
                "before its section",
            )
            .hint(format!(
                "play {plain} first, e.g. `form {plain}{name}`, or name the sections apart"
            )));
        }
    }
    Ok(())
}

/// Every section a section line or a section's part line names is in the form (E0214 else).
fn every_named_section_in(
    letters: &[SectionName],
    piece: &PieceClauses,
    clauses: &[SectionClauses],
) -> Result<(), Diagnostic> {
    let named = (clauses.iter().map(|c| &c.name)).chain(&piece.part_line_sections);
    for name in named {
        if !letters.iter().any(|l| l.letter == name.value.letter) {
            return Err(Diagnostic::at(
                Code::SectionNotInForm,
                name.span,
                format!("the form has no section {}", name.value.letter),
                "not in the form",
            )
            .hint("add it to the form, e.g. `form AABB`"));
        }
    }
    Ok(())
}

/// The bars of each section without its own length, by letter. An equal share when one
/// divides the length; else a song's intro and outro may take a smaller share than its verses
/// and choruses, and any other form takes shares of whole 4-bar phrases (`phrase_shares`).
fn free_shares(
    piece: &PieceClauses,
    clauses: &[SectionClauses],
    bars: &Sourced<u32>,
    letters: &[SectionName],
    own_bars: impl Fn(char) -> Option<u32> + Copy,
    form_origin: &Origin,
) -> Result<Vec<(char, u32)>, Diagnostic> {
    // What the length clashes with: the sections' length when the line gave one, else the form.
    let other = match &piece.section_bars {
        Some(each) => (&each.origin, "each section's length"),
        None => (form_origin, "the form"),
    };
    let by_frames = |(framing, body): (u32, u32)| {
        (letters.iter())
            .map(|l| {
                let frames = l.song.is_some_and(|s| s.frames());
                (l.letter, if frames { framing } else { body })
            })
            .collect()
    };
    match bars_per_free_section(bars, letters, own_bars, other) {
        Ok(per) => Ok(by_frames((per, per))),
        Err(d) if d.code == Code::FormLength => framed_shares(bars.value, letters, own_bars)
            .map(by_frames)
            .or_else(|| phrase_shares(bars.value, letters, own_bars))
            .ok_or_else(|| with_section_lengths(d, clauses)),
        Err(d) => Err(d),
    }
}

/// The sections one after another from bar 0, each its own length or its share.
fn laid_out(
    letters: Vec<SectionName>,
    own_bars: impl Fn(char) -> Option<u32>,
    shares: &[(char, u32)],
) -> Vec<Section> {
    let share = |letter: char| shares.iter().find(|s| s.0 == letter).map_or(0, |s| s.1);
    let mut sections = Vec::new();
    let mut start_bar = 0;
    for name in letters {
        let length = own_bars(name.letter).unwrap_or_else(|| share(name.letter));
        sections.push(Section {
            name,
            start_bar,
            bars: length,
        });
        start_bar += length;
    }
    sections
}

/// A song's section without a length of its own when the piece's is not given: eight bars (or
/// the chords' length), an intro or outro half that.
fn song_length(
    piece: &PieceClauses,
    letters: &[SectionName],
    progression_bars: u32,
) -> impl Fn(char) -> Option<u32> + use<> {
    let given = piece.bars.is_some() || piece.section_bars.is_some();
    let songs: Vec<(char, bool)> = (letters.iter())
        .filter_map(|n| n.song.map(|s| (n.letter, s.frames())))
        .collect();
    let full = progression_bars.max(8);
    move |letter| match songs.iter().find(|(l, _)| *l == letter) {
        Some((_, frames)) if !given => Some(if *frames { full / 2 } else { full }),
        _ => None,
    }
}

/// The style's form, unless the user's chords or length call for one section.
fn style_form(
    piece: &PieceClauses,
    clauses: &[SectionClauses],
    style: &Style,
    progression_bars: u32,
    preset: &Origin,
) -> (Vec<SectionName>, Origin) {
    let letters: Vec<SectionName> = style.form.chars().fold(Vec::new(), |mut v, c| {
        match c {
            '\'' => v
                .last_mut()
                .into_iter()
                .for_each(|l: &mut SectionName| l.varied = true),
            letter => v.push(SectionName::letter(letter)),
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
    if clauses.is_empty() && piece.section_bars.is_none() && !fits(total) {
        let one = SectionName::letter('A');
        (vec![one], Origin::Default("one section".into()))
    } else {
        (letters, preset.clone())
    }
}

/// The piece's length as written; else the sections' own lengths, with the style's share of
/// its length for each section that has none.
fn piece_length(
    piece: &PieceClauses,
    letters: &[SectionName],
    own_bars: impl Fn(char) -> Option<u32>,
    style: &Style,
    progression_bars: u32,
) -> Sourced<u32> {
    let (fixed_total, free) = fixed_and_free(letters, &own_bars);
    match &piece.bars {
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
    }
}

/// The bars of each intro or outro and of each other section without its own length, when an
/// equal share does not divide `total` (`32 bars, intro verse chorus verse chorus outro`: 4 and
/// 6): the frames shorter than the rest and nearest half as long, a body of whole 4-bar phrases
/// preferred. `None` when the form has no free frame or body, or no such shares fit.
fn framed_shares(
    total: u32,
    letters: &[SectionName],
    own_bars: impl Fn(char) -> Option<u32>,
) -> Option<(u32, u32)> {
    let free = letters.iter().filter(|l| own_bars(l.letter).is_none());
    let (frames, body): (Vec<&SectionName>, Vec<&SectionName>) =
        free.partition(|l| l.song.is_some_and(|s| s.frames()));
    let (frames, body) = (frames.len() as u32, body.len() as u32);
    let (fixed, _) = fixed_and_free(letters, &own_bars);
    let remaining = total.checked_sub(fixed)?;
    if frames == 0 || body == 0 {
        return None;
    }
    (1..=remaining / body)
        .filter_map(|b| {
            let rest = remaining - body * b;
            let f = rest / frames;
            (rest.is_multiple_of(frames) && (1..b).contains(&f)).then_some((f, b))
        })
        .min_by_key(|&(f, b)| ((2 * f).abs_diff(b), !b.is_multiple_of(4), u32::MAX - b))
}

/// Shares of whole 4-bar phrases when no equal share divides the length (`32 bars, ABA`: 12, 8
/// and 12): each section without its own length takes one of two lengths, as near each other
/// as can be, then both multiples of 8 (`AABA` in 40 bars would be 8, 8, 8 and 16, not 12, 12,
/// 12 and 4, were 10 bars each not an equal share), then the first section the longer. `None` when no such shares make the length.
fn phrase_shares(
    total: u32,
    letters: &[SectionName],
    own_bars: impl Fn(char) -> Option<u32>,
) -> Option<Vec<(char, u32)>> {
    const PHRASE: u32 = 4;
    // Each free letter once, in the order it first comes, with how many times it is played.
    let mut free: Vec<(char, u32)> = Vec::new();
    for l in letters.iter().filter(|l| own_bars(l.letter).is_none()) {
        match free.iter_mut().find(|f| f.0 == l.letter) {
            Some(f) => f.1 += 1,
            None => free.push((l.letter, 1)),
        }
    }
    let (fixed, _) = fixed_and_free(letters, &own_bars);
    let remaining = total.checked_sub(fixed)?;
    if free.len() < 2 || free.len() > 12 {
        return None;
    }
    let played = |longer: u32, long: bool| -> u32 {
        (free.iter().enumerate())
            .filter(|(i, _)| ((longer >> i) & 1 == 1) == long)
            .map(|(_, f)| f.1)
            .sum()
    };
    let whole =
        (1..(1u32 << free.len()) - 1).flat_map(|longer| {
            let (long, short) = (played(longer, true), played(longer, false));
            (1..=remaining / PHRASE / short).filter_map(move |n| {
                let rest = remaining.checked_sub(n * PHRASE * short)?;
                let hi = rest / long;
                (rest.is_multiple_of(long) && hi.is_multiple_of(PHRASE) && hi > n * PHRASE)
                    .then_some((longer, n * PHRASE, hi))
            })
        });
    let (longer, lo, hi) = whole.min_by_key(|&(longer, lo, hi)| {
        (
            hi - lo,
            !(lo.is_multiple_of(8) && hi.is_multiple_of(8)),
            longer & 1 == 0,
        )
    })?;
    let shares = free.iter().enumerate();
    Some(
        shares
            .map(|(i, f)| (f.0, if (longer >> i) & 1 == 1 { hi } else { lo }))
            .collect(),
    )
}

/// The bars the sections with their own length take, and how many sections have none.
fn fixed_and_free(letters: &[SectionName], own_bars: &impl Fn(char) -> Option<u32>) -> (u32, u32) {
    let fixed = letters.iter().filter_map(|l| own_bars(l.letter)).sum();
    let free = letters
        .iter()
        .filter(|l| own_bars(l.letter).is_none())
        .count() as u32;
    (fixed, free)
}

/// A length the form cannot divide also names the sections whose own lengths take part.
fn with_section_lengths(d: Diagnostic, clauses: &[SectionClauses]) -> Diagnostic {
    if d.code != Code::FormLength {
        return d;
    }
    (clauses.iter())
        .filter_map(|c| c.bars.as_ref())
        .filter(|b| b.origin.is_user())
        .fold(d, |d, b| {
            d.label(span_of(&b.origin), "this section's length")
        })
}

/// The length of each section without its own `N bars`: an equal share of what the others
/// leave of the piece, which must divide evenly (and be all of it when every section has its
/// own length).
fn bars_per_free_section(
    bars: &Sourced<u32>,
    letters: &[SectionName],
    own_bars: impl Fn(char) -> Option<u32>,
    (other, other_label): (&Origin, &str),
) -> Result<u32, Diagnostic> {
    let (fixed_total, free) = fixed_and_free(letters, &own_bars);
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
            other,
            other_label,
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
    Ok(remaining.checked_div(free).unwrap_or(0))
}

/// Chords longer than the section they fill would never be heard in full.
fn check_chords_fit(
    sections: &[Section],
    rules: &[SectionRules],
    progression: Option<&Progression>,
    (length_origin, form_origin): (&Origin, &Origin),
) -> Result<(), Diagnostic> {
    for section in sections {
        let own = rules
            .iter()
            .find(|r| r.letter == section.name.letter)
            .and_then(|r| r.progression.as_ref());
        let Some(p) = own.or(progression) else {
            continue;
        };
        if p.bars.len() as u32 <= section.bars {
            continue;
        }
        let (what, origin) = match (own, sections.len()) {
            (Some(_), _) => (format!("section {} has", section.name.letter), form_origin),
            (None, 1) => ("the piece has".to_string(), length_origin),
            (None, _) => ("the piece's sections have".to_string(), length_origin),
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
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::{framed_shares, phrase_shares};
    use crate::syntax::{SectionName, SongSection};

    fn song(sections: &[SongSection]) -> Vec<SectionName> {
        let mut letters: Vec<SongSection> = Vec::new();
        (sections.iter())
            .map(|&s| {
                if !letters.contains(&s) {
                    letters.push(s);
                }
                let at = letters.iter().position(|&l| l == s).unwrap() as u8;
                SectionName {
                    song: Some(s),
                    ..SectionName::letter(char::from(b'A' + at))
                }
            })
            .collect()
    }

    #[test]
    fn a_varied_repeat_comes_after_the_section_it_varies() {
        let refused = |form: &str| {
            let source = format!("folk tune, 12 bars, form {form}\n");
            let errors = crate::plan_of(&source).err().unwrap_or_default();
            errors
                .iter()
                .any(|d| d.code == crate::diagnostic::Code::VariedBeforeBase)
        };
        for form in ["A'A", "A'BA", "AB'B", "B'AB"] {
            assert!(refused(form), "{form}");
        }
        // After its section, or a section of its own where its plain letter never plays.
        for form in ["AA'", "AA'A", "ABA'", "AB'", "A'"] {
            assert!(!refused(form), "{form}");
        }
    }

    #[test]
    fn an_intro_and_outro_take_the_smaller_share_nearest_half() {
        use SongSection::*;
        let form = song(&[Intro, Verse, Chorus, Verse, Chorus, Outro]);
        // 4 + 4 × 6 + 4: an equal share of 32 bars among six sections does not exist.
        assert_eq!(framed_shares(32, &form, |_| None), Some((4, 6)));
        assert_eq!(framed_shares(40, &form, |_| None), Some((4, 8)));
        // A verse of its own length leaves the rest to share.
        let verse = |l: char| (l == 'B').then_some(8);
        assert_eq!(framed_shares(36, &form, verse), Some((3, 7)));
    }

    #[test]
    fn a_form_without_an_intro_or_outro_has_no_framed_shares() {
        use SongSection::*;
        assert_eq!(
            framed_shares(30, &song(&[Verse, Chorus, Verse, Chorus]), |_| None),
            None
        );
        let letters: Vec<SectionName> = "AABBC".chars().map(SectionName::letter).collect();
        assert_eq!(framed_shares(32, &letters, |_| None), None);
    }

    fn lettered(form: &str) -> Vec<SectionName> {
        form.chars().map(SectionName::letter).collect()
    }

    #[test]
    fn a_form_no_equal_share_divides_takes_whole_phrases() {
        let shares = |total, form| phrase_shares(total, &lettered(form), |_| None);
        // 12 + 8 + 12: the two lengths nearest each other.
        assert_eq!(shares(32, "ABA"), Some(vec![('A', 12), ('B', 8)]));
        // 8 + 8 + 8 + 16 and 12 + 12 + 12 + 4 are as far apart: multiples of 8 win.
        assert_eq!(shares(40, "AABA"), Some(vec![('A', 8), ('B', 16)]));
        // On a tie the first section is the longer: 8 + 8 + 4 + 4 + 8.
        assert_eq!(
            shares(32, "AABBC"),
            Some(vec![('A', 8), ('B', 4), ('C', 8)])
        );
        // A section of its own length leaves the rest to share.
        let b = |l: char| (l == 'B').then_some(6);
        let abca = phrase_shares(38, &lettered("ABCA"), b);
        assert_eq!(abca, Some(vec![('A', 12), ('C', 8)]));
        // Not in whole phrases, or one section only: no shares.
        assert_eq!(shares(10, "ABA"), None);
        assert_eq!(shares(6, "AABB"), None);
        assert_eq!(shares(30, "AAA"), None);
    }
}
