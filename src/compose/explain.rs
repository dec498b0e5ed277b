//! Why no line fits a section: the smallest set of the user's clauses that rules every line
//! out (the deletion filter of `minimal_conflict`), and one sentence built from what emptied.
//!
//! The clauses a line answers to are its part's own, the user's chords (through the classes a
//! bass may take), the leap limit that binds its edges to the sections around it, and the
//! form whose repeat fixes a varied repeat's opening. Dropping a clause drops what it brings.

use super::line::LineModel;
use super::{Conflict, minimal_conflict};
use crate::resolve::{
    Endpoint, Origin, PartPlan, PartRole, PitchRuleKind, Plan, RANGE_GAVE_WAY, unwritten_key,
};
use crate::theory::{Chord, Key, Pitch, PitchSet};

impl LineModel<'_> {
    /// Whether some line meets `part` here, giving way to a default key as `sample` does (when
    /// none does, `explain` says why).
    pub(super) fn writable(&self, part: &PartPlan) -> bool {
        self.satisfiable(part, true) || self.satisfiable(&part.without_default_key(), true)
    }

    /// Whether some line meets `part` here, ties between the section's edges included.
    pub(super) fn satisfiable(&self, part: &PartPlan, keep_classes: bool) -> bool {
        if self.last_to_first.is_none() && self.tied_edges.is_none() {
            return self.with_chain(part, keep_classes, |c| c.is_satisfiable());
        }
        let firsts = self.domains(part, keep_classes).first().cloned();
        firsts.unwrap_or_default().iter().any(|&first| {
            self.given_first(first)
                .is_some_and(|m| m.with_chain(part, keep_classes, |c| c.is_satisfiable()))
        })
    }

    /// The smallest set of the user's clauses that leaves no line, with one sentence of why.
    /// When none of them does (the sections written before left no way on), every clause the
    /// line answers to is named, so the error still points at the user's lines.
    pub(super) fn explain(&self, part: &PartPlan) -> Conflict {
        let mut origins = part.user_origins();
        origins.extend(self.classes_origin.clone());
        origins.extend(self.edge_origin(part));
        origins.extend(self.form_origin());
        origins.extend(key_of_degrees(self.plan, part).filter(|k| !origins.contains(k)));
        origins.dedup();
        if !super::explaining() {
            // Only whether the program can be met is asked (`compose::deciding`).
            let reason = String::new();
            let role = Some(part.role);
            return Conflict {
                role,
                origins,
                reason,
            };
        }
        if let Some(conflict) = self.climb_conflict(part) {
            return conflict;
        }
        let plan = self.plan;
        let unsatisfiable = |keep: &[Origin]| {
            let model = self.keeping(part, keep);
            !model.satisfiable(&relaxed(plan, part, keep), self.classes_kept(part, keep))
        };
        let mut kept = minimal_conflict(origins.clone(), unsatisfiable);
        if kept.is_empty() {
            kept = origins;
        }
        kept.extend(self.form_placing_section(part, &kept));
        // Said in the user's key: the degrees stay where the user's key puts them.
        let model = self.keeping(part, &kept);
        // The chords are named only where the clauses kept leave a line without them.
        let part_kept = part.relaxed(&kept);
        let classes = self.classes_kept(part, &kept) && model.satisfiable(&part_kept, false);
        let reason = model.reason(&part_kept, classes);
        Conflict {
            role: Some(part.role),
            origins: kept,
            reason,
        }
    }

    /// Whether the chords still bind the line under the clauses `keep`. Chords the user did not
    /// write were drawn around an accompanying part's notes and range (`harmony::candidates`):
    /// without one of those clauses they would be other chords, so they bind no more (else
    /// `bass: range E2 to E2, using only Eb` would blame the range alone, the chords of Eb
    /// standing in for the `using only` dropped).
    fn classes_kept(&self, part: &PartPlan, keep: &[Origin]) -> bool {
        let written = self.classes_origin.as_ref().is_some_and(Origin::is_user);
        let drawn_around = !written && part.role != PartRole::Melody;
        let read = (part.pitch_rules.iter().map(|r| &r.origin))
            .chain([&part.range.origin])
            .filter(|o| o.is_user());
        self.classes_origin
            .as_ref()
            .is_none_or(|o| keep.contains(o))
            && !(drawn_around && read.into_iter().any(|o| !keep.contains(o)))
    }

    /// The user's clause that binds this section's edges to its neighbours: the leap limit,
    /// or `mostly stepwise` where a short section must step in.
    fn edge_origin(&self, part: &PartPlan) -> Option<Origin> {
        if !self.has_edges() {
            return None;
        }
        let leap = part.max_leap.as_ref().map(|m| &m.origin);
        let user = |o: &&Origin| o.is_user();
        leap.filter(user)
            .or(part.mostly_stepwise.as_ref().filter(user))
            .cloned()
    }

    /// The form, when the user wrote it and it fixes notes here (a varied repeat's opening).
    fn form_origin(&self) -> Option<Origin> {
        let origin = &self.plan.form_origin;
        (origin.is_user() && self.fixed.iter().any(Option::is_some)).then(|| origin.clone())
    }

    /// The form, when the user wrote it and a kept section range meets the piece's start or
    /// end here: the form is what puts this section first or last.
    fn form_placing_section(&self, part: &PartPlan, kept: &[Origin]) -> Option<Origin> {
        let form = &self.plan.form_origin;
        let section_range = (part.section_ranges.iter())
            .any(|(l, r)| *l == self.section && kept.contains(&r.origin));
        // Without the user's form the style's would place the sections: it matters only if
        // that one would not open (or close) with this section too.
        let style_form = self.plan.style.value.form;
        let letters = || style_form.chars().filter(char::is_ascii_alphabetic);
        let moved = |letter: Option<char>| letter != Some(self.section);
        // Only the end whose clause takes part: a first note the range misses needs no form
        // that puts the section last.
        let kept_end = |end: &Option<crate::resolve::Sourced<Endpoint>>| {
            end.as_ref().is_some_and(|e| kept.contains(&e.origin))
        };
        let placed = (self.binds_start && kept_end(&part.starts_on) && moved(letters().next()))
            || (self.binds_end && kept_end(&part.ends_on) && moved(letters().next_back()));
        (section_range && placed && form.is_user() && !kept.contains(form)).then(|| form.clone())
    }

    fn has_edges(&self) -> bool {
        !(self.before.is_empty()
            && self.after.is_empty()
            && self.allowed_at.is_empty()
            && self.last_to_first.is_none()
            && self.tied_edges.is_none())
    }

    /// This model under the clauses `keep`: without the edge clause, the neighbours no longer
    /// bind the edges; without the form, a varied repeat keeps none of its base's notes.
    fn keeping(&self, part: &PartPlan, keep: &[Origin]) -> LineModel<'_> {
        let mut model = self.same();
        if self.edge_origin(part).is_some_and(|o| !keep.contains(&o)) {
            model.before.clear();
            model.after.clear();
            model.allowed_at.clear();
            model.last_to_first = None;
            model.tied_edges = None;
            model.lead_intervals = 0;
        }
        if self.form_origin().is_some_and(|o| !keep.contains(&o)) {
            model.fixed = vec![None; model.fixed.len()];
        }
        model
    }

    /// A chord as a hint names it: plainly when the user wrote it, else with where it came
    /// from (a hint cites only what the user wrote or a default with its origin).
    fn chord_words(&self, chord: Chord, tick: u32) -> String {
        let bar = tick / self.plan.bar_ticks();
        match self.plan.user_bar(bar) {
            Some(_) => chord.to_string(),
            None => format!(
                "{chord}, a chord the {} style's harmony chose",
                self.plan.style.value.name
            ),
        }
    }

    /// One sentence saying why the (minimal) constraints leave no line.
    fn reason(&self, part: &PartPlan, keep_classes: bool) -> String {
        let key = self.plan.key.value;
        let name = part.role.name();
        let within = self.range_words(part);
        let n = self.slots.len();
        if let Some(climb) = self.climb_too_far(part) {
            return climb;
        }
        let free = self.domains(
            &PartPlan {
                starts_on: None,
                ends_on: None,
                ..part.clone()
            },
            keep_classes,
        );
        for (i, domain) in self.domains(part, keep_classes).iter().enumerate() {
            if !domain.is_empty() {
                continue;
            }
            let slot = self.slots[i];
            let allowed = self.plan.allowed_at(part, slot.start);
            let classes = self.classes(i, keep_classes);
            let plays = match self.chords[i] {
                Some(chord) if classes != PitchSet::CHROMATIC => {
                    let what = if classes.len() == 1 {
                        "the root"
                    } else {
                        "a tone"
                    };
                    Some((what, self.chord_words(chord, slot.start)))
                }
                _ => None,
            };
            if free[i].is_empty() && self.free_of_edges(part, keep_classes, i) {
                if let Some((what, chord)) = plays {
                    let bar = slot.start / self.plan.bar_ticks() + 1;
                    return format!(
                        "in bar {bar} the {name} must play {what} of {chord} {}, but only {} is allowed",
                        key.spell_set(classes),
                        key.spell_set(allowed)
                    );
                }
                let pitch = if within.is_empty() { "note" } else { "pitch" };
                return format!(
                    "no {pitch}{within} is in {}{}",
                    key.spell_set(allowed),
                    default_scale(part)
                );
            }
            if free[i].is_empty() {
                break;
            }
            let fits = PitchSet::of(free[i].iter().map(|&p| Pitch(p).class()));
            if let (1, Some(s), Some(e)) = (n, &part.starts_on, &part.ends_on) {
                return format!(
                    "the {name} has a single note, which cannot both start on {} and end on {}",
                    s.value.name(key),
                    e.value.name(key)
                );
            }
            let role = plays.map_or(String::new(), |(what, chord)| {
                format!(" (it plays {what} of {chord})")
            });
            let (verb, wanted) = match (&part.starts_on, &part.ends_on) {
                (_, Some(e)) if i + 1 == n => ("end", e),
                (Some(s), _) if i == 0 => ("start", s),
                _ => break,
            };
            return format!(
                "the {name} must {verb} on {}, but {}{role}",
                wanted.value.name(key),
                what_fits(wanted.value, &free[i], fits, key, &within),
            );
        }
        if self.has_edges() {
            let leap = part.max_leap.as_ref().map_or(2, |m| m.value);
            return format!(
                "this section of {n} notes must join the sections around it by moves of at most \
                 {leap} semitones, and no {name} line{within} does"
            );
        }
        if let (Some(max), Some(s), Some(e)) = (&part.max_leap, &part.starts_on, &part.ends_on)
            && let (Endpoint::Pitch(s), Endpoint::Pitch(e)) = (s.value, e.value)
        {
            return format!(
                "moves of at most {} semitones cannot get from {} to {} in {n} notes",
                max.value,
                key.name_pitch(s),
                key.name_pitch(e)
            );
        }
        format!("no {name} line of {n} notes{within} meets all of these limits together")
    }

    /// The leap limit, first and last notes the user wrote, when they alone leave no line
    /// (`climb_too_far`): a minimal set, named with the note count as its cause rather than a
    /// chord the deletion filter might meet first.
    fn climb_conflict(&self, part: &PartPlan) -> Option<Conflict> {
        let reason = self.climb_too_far(part)?;
        let origins = vec![
            part.max_leap.as_ref()?.origin.clone(),
            part.starts_on.as_ref()?.origin.clone(),
            part.ends_on.as_ref()?.origin.clone(),
        ];
        let user = origins.iter().all(Origin::is_user);
        user.then_some(Conflict {
            role: Some(part.role),
            origins,
            reason,
        })
    }

    /// The note count as the cause, when the first and last notes the user wrote are further
    /// apart than the leap limit lets the line's notes go (one section, no neighbours): no
    /// chord or range is to blame then.
    fn climb_too_far(&self, part: &PartPlan) -> Option<String> {
        let (max, s, e) = (
            part.max_leap.as_ref()?,
            part.starts_on.as_ref()?,
            part.ends_on.as_ref()?,
        );
        let (Endpoint::Pitch(s), Endpoint::Pitch(e)) = (s.value, e.value) else {
            return None;
        };
        let moves = self.slots.len().checked_sub(1)? as u32;
        let one = self.plan.sections.len() == 1 && !self.has_edges();
        (one && u32::from(s.0.abs_diff(e.0)) > u32::from(max.value) * moves).then(|| {
            let key = self.plan.key.value;
            format!(
                "moves of at most {} semitones cannot get from {} to {} in {} notes",
                max.value,
                key.name_pitch(s),
                key.name_pitch(e),
                moves + 1
            )
        })
    }

    /// Whether slot `i` is empty without the neighbours' bounds too (else they emptied it).
    fn free_of_edges(&self, part: &PartPlan, keep_classes: bool, i: usize) -> bool {
        let mut bare = self.same();
        bare.before.clear();
        bare.after.clear();
        bare.allowed_at.clear();
        let part = PartPlan {
            starts_on: None,
            ends_on: None,
            ..part.clone()
        };
        bare.domains(&part, keep_classes)[i].is_empty()
    }

    /// " in D4–E4" for a range the user wrote, with its origin for a default one, and nothing
    /// when no range binds (a dropped clause leaves the whole keyboard).
    fn range_words(&self, part: &PartPlan) -> String {
        let key = self.plan.key.value;
        let (range, origin) = part
            .section_ranges
            .iter()
            .find(|(l, _)| *l == self.section)
            .map_or((part.range.value, &part.range.origin), |(_, r)| {
                (r.value, &r.origin)
            });
        let (low, high) = (key.name_pitch(range.0), key.name_pitch(range.1));
        match origin {
            Origin::Line { .. } => format!(" in {low}–{high}"),
            Origin::Default(why) if why == RELAXED || why == RANGE_GAVE_WAY => String::new(),
            _ => format!(
                " in {low}–{high} (the {}'s default range)",
                part.role.name()
            ),
        }
    }
}

/// No lines of a part's sections join through the form (`sections::form_first`): the
/// smallest set of the user's clauses under which none do, with the sentence `why` gives
/// under them. `joins` decides a part, with or without the classes of the user's chords.
pub(super) fn form_conflict(
    plan: &Plan,
    part: &PartPlan,
    classes_origin: Option<Origin>,
    joins: impl Fn(&PartPlan, bool) -> bool,
    why: impl Fn(&PartPlan) -> String,
) -> Conflict {
    let mut origins = part.user_origins();
    for origin in classes_origin
        .iter()
        .cloned()
        .chain(key_of_degrees(plan, part))
    {
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    let keeps_classes = |keep: &[Origin]| classes_origin.as_ref().is_none_or(|o| keep.contains(o));
    let unsatisfiable = |keep: &[Origin]| !joins(&relaxed(plan, part, keep), keeps_classes(keep));
    let mut kept = minimal_conflict(origins.clone(), unsatisfiable);
    if kept.is_empty() {
        kept = origins;
    }
    kept.extend(form_placing_ends(plan, part, &kept));
    Conflict {
        role: Some(part.role),
        reason: why(&part.relaxed(&kept)),
        origins: kept,
    }
}

/// The user's form, when it takes part in a join conflict: a kept section range and a kept
/// first or last note that the form puts in a section the style's form would not put at that
/// end (`pop song, form ABA` with `ends on D4` and a section B range: ABA ends in A, next to
/// B; the deletion filter decides over the form as written, so it never drops it).
fn form_placing_ends(plan: &Plan, part: &PartPlan, kept: &[Origin]) -> Option<Origin> {
    let form = &plan.form_origin;
    let section_range = (part.section_ranges.iter()).any(|(_, r)| kept.contains(&r.origin));
    let letters = || {
        plan.style
            .value
            .form
            .chars()
            .filter(char::is_ascii_alphabetic)
    };
    let kept_end = |end: &Option<crate::resolve::Sourced<Endpoint>>| {
        end.as_ref().is_some_and(|e| kept.contains(&e.origin))
    };
    let (first, last) = (plan.sections.first(), plan.sections.last());
    let placed = (kept_end(&part.starts_on) && letters().next() != first.map(|s| s.name.letter))
        || (kept_end(&part.ends_on) && letters().next_back() != last.map(|s| s.name.letter));
    (section_range && placed && form.is_user() && !kept.contains(form)).then(|| form.clone())
}

/// `part` under the clauses `keep`. A `starts on` / `ends on` that names a degree (`ends on
/// the tonic`) depends on the key too: without the user's key, the degree falls where the key
/// the program would then get puts it.
fn relaxed(plan: &Plan, part: &PartPlan, keep: &[Origin]) -> PartPlan {
    let mut relaxed = part.relaxed(keep);
    if keep.contains(&plan.key.origin) || !plan.key.origin.is_user() {
        return relaxed;
    }
    let other_key = key_without_the_users(plan, keep);
    for end in [&mut relaxed.starts_on, &mut relaxed.ends_on]
        .into_iter()
        .flatten()
    {
        if let (Endpoint::Class(pc), true) = (end.value, names_degree(&end.origin))
            && let Some(degree) = plan.key.value.degree_of(pc)
        {
            end.value = Endpoint::Class(other_key.degree(degree).pitch_class());
        }
    }
    relaxed
}

/// The user's key, when a `starts on` / `ends on` of `part` names one of its degrees.
fn key_of_degrees(plan: &Plan, part: &PartPlan) -> Option<Origin> {
    let degrees = [&part.starts_on, &part.ends_on]
        .into_iter()
        .flatten()
        .any(|e| names_degree(&e.origin));
    (degrees && plan.key.origin.is_user()).then(|| plan.key.origin.clone())
}

fn names_degree(origin: &Origin) -> bool {
    match origin {
        Origin::Line { text, .. } => DEGREE_WORDS.iter().any(|w| text.contains(w)),
        _ => false,
    }
}

/// Words of a `starts on` / `ends on` that name a degree of the key rather than a note.
const DEGREE_WORDS: [&str; 8] = [
    "tonic",
    "dominant",
    "mediant",
    "leading",
    "degree",
    "supertonic",
    "submediant",
    "subtonic",
];

/// No chord of the key suits the parts that play chords: the smallest set of their pitch
/// clauses, and the key when the user wrote it, under which none does (`fits` says whether a
/// key's chords leave one for a set of classes). Without the user's key, the program's would
/// be the one it infers or its style's.
pub(super) fn no_chord(
    plan: &Plan,
    parts: &[&PartPlan],
    fits: impl Fn(Key, PitchSet) -> bool,
    reason: impl Fn(PitchSet) -> String,
) -> Conflict {
    let allowed = |keep: &[Origin]| {
        parts.iter().fold(PitchSet::CHROMATIC, |set, p| {
            set.intersect(p.relaxed(keep).allowed(None))
        })
    };
    let key = &plan.key.origin;
    let other_key = |keep: &[Origin]| key_without_the_users(plan, keep);
    let no_chord = |keep: &[Origin]| match keep.contains(key) || !key.is_user() {
        true => !fits(plan.key.value, allowed(keep)),
        false => {
            let other = other_key(keep);
            !fits(other, allowed(keep).intersect(other.scale()))
        }
    };
    let mut origins: Vec<Origin> = parts
        .iter()
        .flat_map(|p| p.pitch_rules.iter().map(|r| r.origin.clone()))
        .filter(Origin::is_user)
        .collect();
    origins.extend(Some(key.clone()).filter(Origin::is_user));
    origins.dedup();
    let mut kept = minimal_conflict(origins.clone(), no_chord);
    if kept.is_empty() {
        kept = origins;
    }
    Conflict {
        role: None,
        reason: reason(allowed(&kept)),
        origins: kept,
    }
}

/// The key the program would get without the user's key, under the clauses `keep`, as resolve
/// chooses it: from the piece's or the melody's `using only`; else the style's, unless an
/// accompanying part's set shares no note with it and names the key instead.
fn key_without_the_users(plan: &Plan, keep: &[Origin]) -> Key {
    let style = plan.style.value;
    let only = user_only(&plan.parts[0].relaxed(keep));
    let key = unwritten_key(style, only, plan.key.value);
    let chords = plan
        .progression
        .as_ref()
        .is_some_and(|p| p.origin.is_user());
    if only.is_some() || chords {
        return key;
    }
    let accompanying = (plan.parts.iter())
        .filter(|p| !matches!(p.role, PartRole::Melody | PartRole::Drums))
        .filter_map(|p| user_only(&p.relaxed(keep)))
        .find(|set| set.intersect(key.scale()).is_empty());
    accompanying.map_or(key, |set| unwritten_key(style, Some(set), plan.key.value))
}

/// The classes the user's `using only` clauses of `part` leave, if it has any.
fn user_only(part: &PartPlan) -> Option<PitchSet> {
    (part.pitch_rules.iter())
        .filter(|r| r.kind == PitchRuleKind::Only && r.origin.is_user())
        .map(|r| r.set)
        .reduce(PitchSet::intersect)
}

/// What a range dropped by the deletion filter says it is (`PartPlan::relaxed`).
const RELAXED: &str = "relaxed";

/// Names the key when its scale binds the part only by default, since no clause shows it.
fn default_scale(part: &PartPlan) -> String {
    part.default_key().map_or(String::new(), |r| {
        format!(" (the key's scale, {})", r.origin)
    })
}

/// What fits where a first or last note must be: for a pitch with its octave, the notes' compass
/// (it misses them by octave), not every pitch class (all twelve, often); else the classes.
fn what_fits(wanted: Endpoint, free: &[u8], fits: PitchSet, key: Key, within: &str) -> String {
    match (wanted, free.iter().min(), free.iter().max()) {
        (Endpoint::Pitch(_), Some(&low), Some(&high)) => format!(
            "the notes that fit lie from {} to {}",
            key.name_pitch(Pitch(low)),
            key.name_pitch(Pitch(high))
        ),
        _ => format!("only {} fits{within}", key.spell_set(fits)),
    }
}
