//! The Plan's settings as a list: what each one is set to, how firmly it binds and where it
//! came from, for the whole piece, each section and each part. `--emit plan` prints it; an
//! editor's hover can show one entry.

pub use crate::vocabulary::Strength;

use super::plan::{
    Drumming, HarmonicRhythm, MostlyStepwise, Origin, PartPlan, PartRole, PitchRule, PitchRuleKind,
    Plan,
};
use crate::presets::{Swing, instruments};
use crate::theory::meter::length_name;
use crate::theory::{Chord, Key, Pitch};

/// What the user wrote binds; the same choice made by a preset or by default does not.
fn hard_if_written(origin: &Origin) -> Strength {
    if origin.is_user() {
        Strength::Hard
    } else {
        Strength::Soft
    }
}

/// What a setting applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Piece,
    /// Every part in one section letter (`section B: louder`).
    Section(char),
    Part(PartRole),
    /// One part in one section letter (`section B melody: range A4 to D6`).
    PartInSection(PartRole, char),
}

impl Scope {
    /// The part this setting belongs to, if it belongs to one.
    pub fn part(self) -> Option<PartRole> {
        match self {
            Scope::Part(role) | Scope::PartInSection(role, _) => Some(role),
            Scope::Piece | Scope::Section(_) => None,
        }
    }
}

/// One setting of the Plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub scope: Scope,
    /// What is set, in the words of the language: `key`, `range`, `mostly stepwise`.
    pub name: &'static str,
    /// Its value as a musician reads it: `G major`, `D4–B5`, `≥ 70% of intervals ≤ 2 semitones`.
    pub value: String,
    pub strength: Strength,
    pub origin: Origin,
}

impl Setting {
    /// The setting's name with its section, as `--emit plan` shows it: `section B chords`,
    /// `range in B`.
    pub fn label(&self) -> String {
        match self.scope {
            Scope::Section(letter) => format!("section {letter} {}", self.name),
            Scope::PartInSection(_, letter) => format!("{} in {letter}", self.name),
            Scope::Piece | Scope::Part(_) => self.name.to_string(),
        }
    }

    /// The label with the section named as the form names it: `section chorus level`.
    pub fn label_in(&self, plan: &Plan) -> String {
        match self.scope {
            Scope::Section(letter) => {
                format!("section {} {}", plan.section_title(letter), self.name)
            }
            Scope::PartInSection(_, letter) => {
                format!("{} in {}", self.name, plan.section_title(letter))
            }
            Scope::Piece | Scope::Part(_) => self.name.to_string(),
        }
    }
}

/// Collects the settings of one scope.
struct Lister<'a> {
    out: &'a mut Vec<Setting>,
    scope: Scope,
}

impl Lister<'_> {
    fn add(&mut self, name: &'static str, value: String, strength: Strength, origin: &Origin) {
        self.out.push(Setting {
            scope: self.scope,
            name,
            value,
            strength,
            origin: origin.clone(),
        });
    }
}

impl Plan {
    /// Every setting of the piece, then of each section letter, then of each part in track
    /// order: the order `--emit plan` prints them in. The title is not a setting.
    pub fn settings(&self) -> Vec<Setting> {
        let mut out = Vec::new();
        self.piece_settings(&mut Lister {
            out: &mut out,
            scope: Scope::Piece,
        });
        for rules in &self.section_rules {
            let mut section = Lister {
                out: &mut out,
                scope: Scope::Section(rules.letter),
            };
            if let Some(p) = &rules.progression {
                section.add("chords", progression(&p.bars), Strength::Hard, &p.origin);
            }
            if let Some(d) = &rules.dynamics {
                let steps = format!("{:+} steps", d.value);
                section.add("level", steps, Strength::Soft, &d.origin);
            }
            if let Some(t) = &rules.tempo {
                section.add(
                    "tempo",
                    format!("{} bpm", t.value),
                    Strength::Hard,
                    &t.origin,
                );
            }
            if let Some(m) = &rules.meter {
                section.add("meter", m.value.to_string(), Strength::Hard, &m.origin);
            }
            if let Some(h) = &rules.hairpin {
                let word = if h.value > 0 {
                    "crescendo"
                } else {
                    "diminuendo"
                };
                section.add("swell", word.into(), Strength::Soft, &h.origin);
            }
        }
        for m in &self.modulations {
            let mut piece = Lister {
                out: &mut out,
                scope: Scope::Piece,
            };
            let section = self.sections[m.section];
            let value = format!(
                "{} at bar {}: {} ({:+} semitones)",
                section.name,
                section.start_bar + 1,
                m.key.value,
                m.shift
            );
            piece.add(
                "key change",
                value,
                hard_if_written(&m.key.origin),
                &m.key.origin,
            );
        }
        if let Some(origin) = &self.solo {
            let mut piece = Lister {
                out: &mut out,
                scope: Scope::Piece,
            };
            piece.add("solo", "melody only".into(), Strength::Exact, origin);
        }
        for part in &self.parts {
            part.settings(self.key.value, &mut out);
        }
        out
    }

    fn piece_settings(&self, list: &mut Lister) {
        use Strength::{Hard, Soft};
        let style = self.style.value.name.to_string();
        list.add("style", style, Soft, &self.style.origin);
        for mood in &self.moods {
            list.add("mood", mood.value.to_string(), Soft, &mood.origin);
        }
        let key = &self.key;
        let strength = hard_if_written(&key.origin);
        list.add("key", key.value.to_string(), strength, &key.origin);
        list.add(
            "meter",
            self.meter.value.to_string(),
            Hard,
            &self.meter.origin,
        );
        list.add("bars", self.bars.value.to_string(), Hard, &self.bars.origin);
        let tempo = format!("{} bpm", self.tempo.value);
        list.add("tempo", tempo, Hard, &self.tempo.origin);
        if let Some(swing) = &self.swing {
            let what = match swing.value {
                Swing::Eighths => "eighths long-short (2:1)",
                Swing::Sixteenths => "sixteenths long-short (2:1)",
            };
            list.add("swing", what.into(), Soft, &swing.origin);
        }
        list.add("form", self.form_text(), Hard, &self.form_origin);
        let rhythm = match self.harmonic_rhythm.value {
            HarmonicRhythm::PerBar(1) => "one chord per bar".to_string(),
            HarmonicRhythm::PerBar(n) => format!("{n} chords per bar"),
            HarmonicRhythm::EveryBars(n) => format!("one chord every {n} bars"),
        };
        list.add(
            "harmonic rhythm",
            rhythm,
            Soft,
            &self.harmonic_rhythm.origin,
        );
        match &self.progression {
            Some(p) => list.add("chords", progression(&p.bars), Hard, &p.origin),
            None => list.add(
                "chords",
                "sampled from the style's habits".into(),
                Soft,
                &Origin::Preset(self.style.value.name),
            ),
        }
        let cadence = &self.cadence;
        let strength = hard_if_written(&cadence.origin);
        list.add(
            "final cadence",
            cadence.value.name().into(),
            strength,
            &cadence.origin,
        );
    }

    /// `A (8 bars) A (8 bars) B (8 bars) A' (8 bars)`
    fn form_text(&self) -> String {
        let sections: Vec<String> = self
            .sections
            .iter()
            .map(|s| format!("{} ({} bars)", s.name, s.bars))
            .collect();
        sections.join(" ")
    }
}

impl PartPlan {
    /// This part's settings, then its sections' own (`range in B`), pitches spelled in `key`.
    fn settings(&self, key: Key, out: &mut Vec<Setting>) {
        use Strength::{Exact, Hard, Soft};
        let mut list = Lister {
            out,
            scope: Scope::Part(self.role),
        };
        let instrument = match self.role {
            PartRole::Drums => "standard kit (channel 10)".to_string(),
            _ => {
                let program = self.program.value;
                format!("{} (program {program})", instruments::name(program))
            }
        };
        list.add("instrument", instrument, Exact, &self.program.origin);
        for d in &self.doubled_by {
            let (name, program) = (instruments::name(d.value), d.value);
            let value = format!("{name} (program {program}), same notes");
            list.add("doubled by", value, Exact, &d.origin);
        }
        if let Some(p) = &self.pattern {
            list.add("pattern", p.value.name().into(), Soft, &p.origin);
        }
        if let Some(d) = &self.drumming {
            let what = match &d.value {
                Drumming::Groove(g) => {
                    format!("{g:?} groove, fills at section ends").to_lowercase()
                }
                Drumming::Grid(rows) => format!("step grid of {} drums", rows.len()),
            };
            list.add("drums", what, Hard, &d.origin);
        }
        let level = crate::vocabulary::dynamic_name(self.dynamics.value);
        list.add("dynamics", level.into(), Soft, &self.dynamics.origin);
        if self.role == PartRole::Drums {
            return;
        }
        list.add(
            "range",
            range(key, self.range.value),
            Hard,
            &self.range.origin,
        );
        for (letter, r) in &self.section_ranges {
            let mut section = Lister {
                out: &mut *list.out,
                scope: Scope::PartInSection(self.role, *letter),
            };
            section.add("range", range(key, r.value), Hard, &r.origin);
        }
        for rule in &self.pitch_rules {
            list.add(rule.kind.name(), pitch_names(key, rule), Hard, &rule.origin);
        }
        self.line_settings(key, &mut list);
    }

    /// The rules of a line's motion and ends, its rhythm, and its soft shape.
    fn line_settings(&self, key: Key, list: &mut Lister) {
        use Strength::{Hard, Soft};
        if let Some(leap) = &self.max_leap {
            let semitones = format!("{} semitones", leap.value);
            list.add("largest leap", semitones, Hard, &leap.origin);
        }
        if let Some(origin) = &self.mostly_stepwise {
            list.add("mostly stepwise", MostlyStepwise::meaning(), Hard, origin);
        }
        if let Some(s) = &self.starts_on {
            list.add("starts on", s.value.name(key), Hard, &s.origin);
        }
        if let Some(e) = &self.ends_on {
            list.add("ends on", e.value.name(key), Hard, &e.origin);
        }
        if let Some(d) = &self.durations {
            let names: Vec<String> = d.value.iter().map(|t| length_name(*t)).collect();
            list.add("rhythm", names.join(" "), Hard, &d.origin);
        }
        if self.role.is_line() {
            let density = format!("{:?}", self.density.value).to_lowercase();
            list.add("density", density, Soft, &self.density.origin);
        }
        if let Some(c) = &self.contour {
            let contour = format!("{:?}", c.value).to_lowercase();
            list.add("contour", contour, Soft, &c.origin);
        }
    }
}

impl PitchRuleKind {
    /// The rule's name in `--emit plan`.
    pub fn name(self) -> &'static str {
        match self {
            PitchRuleKind::Only => "using only",
            PitchRuleKind::Avoid => "avoiding",
            PitchRuleKind::Scale => "in scale",
        }
    }
}

/// `D4–B5`
fn range(key: Key, (low, high): (Pitch, Pitch)) -> String {
    format!("{}–{}", key.name_pitch(low), key.name_pitch(high))
}

/// The rule's pitch classes upwards from the tonic, as a scale is read.
fn pitch_names(key: Key, rule: &PitchRule) -> String {
    let tonic = key.tonic_class();
    let names: Vec<String> = (0..12)
        .map(|i| tonic.transpose(i))
        .filter(|pc| rule.set.contains(*pc))
        .map(|pc| key.spell(pc).to_string())
        .collect();
    names.join(" ")
}

/// `D | G A | Bm`: bars split by bar lines.
fn progression(bars: &[Vec<Chord>]) -> String {
    let bars: Vec<String> = bars
        .iter()
        .map(|bar| {
            let chords: Vec<String> = bar.iter().map(ToString::to_string).collect();
            chords.join(" ")
        })
        .collect();
    bars.join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(plan: &Plan, scope: Scope, name: &str) -> Setting {
        plan.settings()
            .into_iter()
            .find(|s| s.scope == scope && s.name == name)
            .unwrap_or_else(|| panic!("no {name} in {scope:?}"))
    }

    #[test]
    fn a_written_range_is_hard_and_names_its_line() {
        let plan = crate::plan_of("folk tune, 8 bars\nmelody: range D4 to B5").unwrap();
        let range = setting(&plan, Scope::Part(PartRole::Melody), "range");
        assert_eq!(range.value, "D4–B5");
        assert_eq!(range.strength, Strength::Hard);
        assert!(
            matches!(&range.origin, Origin::Line { line: 2, text, .. } if text == "range D4 to B5"),
            "{:?}",
            range.origin
        );
    }

    #[test]
    fn a_preset_choice_is_soft_and_names_its_preset() {
        let plan = crate::plan_of("folk tune, 8 bars").unwrap();
        let key = setting(&plan, Scope::Piece, "key");
        assert_eq!(key.strength, Strength::Soft);
        assert_eq!(key.origin, Origin::Preset("folk"));
        let rhythm = setting(&plan, Scope::Piece, "harmonic rhythm");
        assert_eq!(
            (rhythm.value.as_str(), rhythm.strength),
            ("one chord per bar", Strength::Soft)
        );
        let written = crate::plan_of("folk tune in G, 8 bars").unwrap();
        assert_eq!(
            setting(&written, Scope::Piece, "key").strength,
            Strength::Hard
        );
    }

    #[test]
    fn sections_and_parts_in_sections_have_their_own_settings() {
        let plan = crate::plan_of(
            "folk tune in G, 16 bars, form AB\nsection B: louder\nsection B melody: range A4 to D6",
        )
        .unwrap();
        let level = setting(&plan, Scope::Section('B'), "level");
        assert_eq!(
            (level.label().as_str(), level.value.as_str()),
            ("section B level", "+1 steps")
        );
        let range = setting(&plan, Scope::PartInSection(PartRole::Melody, 'B'), "range");
        assert_eq!(range.label(), "range in B");
        assert_eq!(range.strength, Strength::Hard);
        assert_eq!(range.scope.part(), Some(PartRole::Melody));
    }

    #[test]
    fn instruments_are_exact_and_every_part_lists_its_own() {
        let plan = crate::plan_of("folk tune, 8 bars\nmelody: fiddle, mostly stepwise").unwrap();
        let settings = plan.settings();
        let instrument = setting(&plan, Scope::Part(PartRole::Melody), "instrument");
        assert_eq!(instrument.strength, Strength::Exact);
        assert!(
            instrument.value.contains("program 41"),
            "{}",
            instrument.value
        );
        let stepwise = setting(&plan, Scope::Part(PartRole::Melody), "mostly stepwise");
        assert_eq!(stepwise.value, "≥ 70% of intervals ≤ 2 semitones");
        // Parts come after the piece's settings, in track order, each in one run.
        let parts: Vec<PartRole> = settings.iter().filter_map(|s| s.scope.part()).collect();
        let mut runs = parts.clone();
        runs.dedup();
        let planned: Vec<PartRole> = plan.parts.iter().map(|p| p.role).collect();
        assert_eq!(runs, planned);
        assert!(
            settings[..settings.len() - parts.len()]
                .iter()
                .all(|s| s.scope.part().is_none())
        );
    }
}
