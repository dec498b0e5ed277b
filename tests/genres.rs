//! Each genre's defining features (issue 16) hold in its default output, measured on the
//! verified Score over many seeds: the CI's copy of `tools/genre_features.py`, which measures
//! the same figures on the MIDI files over 200 seeds.

mod common;

use tunec::resolve::PartRole;
use tunec::score::{Note, Score, Swing};
use tunec::theory::ChordQuality;

const SEEDS: u64 = 24;
const KICK: u8 = 36;
const SNARES: [u8; 4] = [37, 38, 39, 40];

/// The notes of `role` bar by bar (each note's offset in its bar), whole bars only: a pickup's
/// short last bar is left out.
fn bars(score: &Score, role: PartRole) -> Vec<Vec<(u32, Note)>> {
    let notes = score
        .parts
        .iter()
        .find(|p| p.role == role)
        .map_or(&[][..], |p| &p.notes[..]);
    let whole = if score.pickup > 0 {
        score.bars - 1
    } else {
        score.bars
    };
    (0..whole)
        .map(|b| {
            let (start, end) = (score.bar_start(b), score.bar_start(b + 1));
            (notes.iter())
                .filter(|n| n.start >= start && n.start < end)
                .map(|n| (n.start - start, *n))
                .collect()
        })
        .collect()
}

fn program(score: &Score, role: PartRole) -> Option<u8> {
    score
        .parts
        .iter()
        .find(|p| p.role == role)
        .map(|p| p.program)
}

/// The share of `items` for which `f` holds.
fn share<T>(items: &[T], f: impl Fn(&T) -> bool) -> f64 {
    items.iter().filter(|x| f(x)).count() as f64 / items.len().max(1) as f64
}

/// The drums' bars where `f(hits at each sixteenth)` holds, as a share.
fn drum_bars(score: &Score, f: impl Fn(&dyn Fn(u8, u32) -> bool) -> bool) -> f64 {
    let sixteenth = score.meter.beat_ticks() / 4;
    let bars = bars(score, PartRole::Drums);
    share(&bars, |bar| {
        let hit = |key: u8, step: u32| {
            bar.iter()
                .any(|(o, n)| n.pitch.0 == key && *o == step * sixteenth)
        };
        f(&hit)
    })
}

/// The share of pairs of bars where the clave (GM 75) plays a son clave, 3-2 or 2-3: the
/// three side on 1, the and of 2 and 4, the two side on 2 and 3 (steps are sixteenths).
fn son_clave(score: &Score) -> f64 {
    let pairs = clave_pairs(score);
    let (three, two) = (vec![0, 6, 12], vec![4, 8]);
    share(&pairs, |[first, second]| {
        (*first == three && *second == two) || (*first == two && *second == three)
    })
}

/// The clave's sixteenth steps in each pair of bars: [first bar, second bar].
fn clave_pairs(score: &Score) -> Vec<[Vec<u32>; 2]> {
    let sixteenth = score.meter.beat_ticks() / 4;
    let steps: Vec<Vec<u32>> = (bars(score, PartRole::Drums).iter())
        .map(|bar| {
            let hits = bar.iter().filter(|(_, n)| n.pitch.0 == 75);
            hits.map(|(o, _)| o / sixteenth).collect()
        })
        .collect();
    (steps.chunks_exact(2))
        .map(|p| [p[0].clone(), p[1].clone()])
        .collect()
}

/// Salsa plays the 3-2 son clave; `2-3 clave` turns it round, every pair the two side first.
#[test]
fn salsa_plays_the_clave_it_is_asked_for() {
    let (three, two) = (vec![0, 6, 12], vec![4, 8]);
    for seed in 0..4 {
        for (prompt, first, second) in [
            ("salsa", &three, &two),
            ("salsa, 3-2 clave", &three, &two),
            ("salsa with a 2-3 clave", &two, &three),
            ("latin tune\ndrums: two-three clave", &two, &three),
        ] {
            let pairs = clave_pairs(&common::score("clave", prompt, seed));
            assert!(pairs.len() >= 4, "{prompt}");
            // Every pair whole, a section's last bar too: its fill leaves the clave alone.
            for pair in pairs {
                assert_eq!(&pair[0], first, "{prompt}, seed {seed}");
                assert_eq!(&pair[1], second, "{prompt}, seed {seed}");
            }
        }
    }
}

/// Scale degrees (semitones over the tonic) of the harmony's roots, one per chord.
fn roots(score: &Score) -> Vec<u8> {
    let tonic = score.key.tonic_class().index();
    (score.harmony.iter())
        .map(|c| (c.chord.root_class().index() + 12 - tonic) % 12)
        .collect()
}

fn chord_share(score: &Score, f: impl Fn(ChordQuality) -> bool) -> f64 {
    share(&score.harmony, |c| f(c.chord.quality))
}

fn backbeat(s: &Score) -> f64 {
    drum_bars(s, |hit| {
        hit(KICK, 0) && [4, 12].iter().all(|b| SNARES.iter().any(|k| hit(*k, *b)))
    })
}

fn four_on_the_floor(s: &Score) -> bool {
    let on_every_beat = drum_bars(s, |hit| (0..4).all(|b| hit(KICK, 4 * b)));
    let open_hats = drum_bars(s, |hit| (0..4).all(|b| hit(46, 4 * b + 2)));
    on_every_beat >= 0.95 && open_hats >= 0.9
}

/// Hats on every sixteenth (but in a section's last bar, where the fill takes the last beat),
/// each eighth's pair played long-short.
fn swung_sixteenth_hats(s: &Score) -> bool {
    let hats = drum_bars(s, |hit| (0..16).all(|k| hit(42, k)));
    s.swing == Some(Swing::Sixteenths) && hats >= 0.8 && s.performed(120) == 160
}

fn sevenths(q: ChordQuality) -> bool {
    q.intervals().len() >= 4
}

/// Each genre's prompt and the features every seed's score must show.
#[allow(clippy::type_complexity)]
fn genres() -> Vec<(&'static str, Box<dyn Fn(&Score) -> bool>)> {
    use PartRole::*;
    vec![
        (
            "rock song",
            Box::new(|s| {
                let power = bars(s, Chords).iter().flatten().all(|(_, n)| {
                    let root = s.chord_at(n.start).unwrap();
                    [root.root_class(), root.fifth()].contains(&n.pitch.class())
                });
                let bass = bars(s, Bass).concat();
                let on_roots = share(&bass, |(_, n)| {
                    s.chord_at(n.start).unwrap().root_class() == n.pitch.class()
                        && n.duration == 240
                });
                (100..=150).contains(&s.tempo)
                    && backbeat(s) >= 0.9
                    && power
                    && on_roots >= 0.7
                    && program(s, Chords) == Some(31)
                    && roots(s).iter().all(|r| [0, 5, 7, 9, 10].contains(r))
            }),
        ),
        (
            "heavy metal",
            Box::new(|s| {
                let kicks = drum_bars(s, |hit| (0..16).filter(|k| hit(KICK, *k)).count() >= 8);
                s.key.mode.is_minor() && kicks >= 0.8 && program(s, Chords) == Some(31)
            }),
        ),
        (
            "jazz tune",
            Box::new(|s| {
                let r = roots(s);
                let turns = r.chunks(8).all(|b| b.windows(3).any(|w| w == [2, 7, 0]));
                let walking = share(&bars(s, Bass), |b| {
                    (0..4).all(|k| b.iter().any(|(o, _)| *o == k * 480))
                });
                let ride = drum_bars(s, |hit| hit(51, 0));
                let swung = s.swing == Some(Swing::Eighths);
                swung && chord_share(s, sevenths) >= 0.8 && turns && walking >= 0.9 && ride >= 0.9
            }),
        ),
        (
            "jazz waltz",
            Box::new(|s| {
                let swung = s.swing == Some(Swing::Eighths);
                s.meter.count == 3 && swung && chord_share(s, sevenths) >= 0.8
            }),
        ),
        (
            "bossa nova",
            Box::new(|s| {
                let bass = share(&bars(s, Bass), |b| {
                    b.iter().any(|(o, _)| *o == 0) && b.iter().any(|(o, _)| *o == 720)
                });
                let clave = drum_bars(s, |hit| hit(37, 0));
                s.swing.is_none()
                    && (110..=145).contains(&s.tempo)
                    && bass >= 0.9
                    && clave == 1.0
                    && program(s, Chords) == Some(25)
                    && chord_share(s, sevenths) >= 0.7
            }),
        ),
        (
            "reggae",
            Box::new(|s| {
                let drop = drum_bars(s, |hit| hit(KICK, 8) && hit(37, 8) && !hit(KICK, 0));
                let off = bars(s, Chords).iter().flatten().all(|(o, _)| o % 480 != 0);
                (60..=90).contains(&s.tempo) && drop >= 0.9 && off
            }),
        ),
        (
            "funk",
            Box::new(|s| {
                let hats = drum_bars(s, |hit| (0..16).all(|k| hit(42, k)));
                let kick = drum_bars(s, |hit| hit(KICK, 0));
                let short = bars(s, Chords)
                    .iter()
                    .flatten()
                    .all(|(_, n)| n.duration <= 240);
                let sync = share(&bars(s, Bass), |b| b.iter().any(|(o, _)| o % 240 == 120));
                let dominant = chord_share(s, |q| {
                    matches!(q, ChordQuality::Dominant7 | ChordQuality::Dominant9)
                });
                let ninths = chord_share(s, |q| q == ChordQuality::Dominant9);
                hats >= 0.8
                    && kick == 1.0
                    && short
                    && sync >= 0.8
                    && dominant >= 0.5
                    && ninths > 0.0
            }),
        ),
        (
            "house",
            Box::new(|s| (118..=130).contains(&s.tempo) && four_on_the_floor(s)),
        ),
        (
            "chiptune",
            Box::new(|s| {
                // The chords as an arpeggio: one tone at a time, on the lead's square wave.
                let chords = bars(s, Chords).concat();
                let one_at_a_time = chords.windows(2).all(|w| w[0].1.start != w[1].1.start);
                let square = program(s, Melody) == Some(81) && program(s, Chords) == Some(81);
                (130..=170).contains(&s.tempo) && square && one_at_a_time && !chords.is_empty()
            }),
        ),
        (
            "techno",
            Box::new(|s| (125..=140).contains(&s.tempo) && four_on_the_floor(s)),
        ),
        (
            "trance",
            Box::new(|s| {
                let loop_chords = share(&roots(s), |r| [0, 8, 3, 10].contains(r));
                (128..=142).contains(&s.tempo) && four_on_the_floor(s) && loop_chords >= 0.8
            }),
        ),
        (
            "ambient",
            Box::new(|s| {
                let mut counts: Vec<usize> = bars(s, Melody).iter().map(Vec::len).collect();
                counts.sort();
                let held = bars(s, Chords)
                    .iter()
                    .flatten()
                    .all(|(_, n)| n.duration >= 1920);
                program(s, Drums).is_none()
                    && counts[counts.len() / 2] <= 2
                    && held
                    && (89..=96).contains(&program(s, Chords).unwrap())
            }),
        ),
        (
            "hip hop beat",
            Box::new(|s| {
                (80..=100).contains(&s.tempo)
                    && swung_sixteenth_hats(s)
                    && backbeat(s) >= 0.9
                    && chord_share(s, sevenths) >= 0.7
                    && program(s, Chords) == Some(5)
            }),
        ),
        (
            "lofi",
            Box::new(|s| {
                (65..=90).contains(&s.tempo)
                    && swung_sixteenth_hats(s)
                    && backbeat(s) >= 0.9
                    && chord_share(s, sevenths) >= 0.7
            }),
        ),
        (
            "classical piece",
            Box::new(|s| {
                let r = roots(s);
                let periods = r.chunks(8).all(|p| p.ends_with(&[7, 0]));
                let mut starts: Vec<u32> = bars(s, Chords)
                    .concat()
                    .iter()
                    .map(|(_, n)| n.start)
                    .collect();
                let notes = starts.len();
                starts.dedup();
                // One tone at a time, but for the last chord, struck whole.
                let broken = starts.len() as f64 >= 0.9 * notes as f64;
                program(s, Drums).is_none() && periods && broken
            }),
        ),
        (
            "cinematic",
            Box::new(|s| {
                let all: Vec<&Note> = s.parts.iter().flat_map(|p| &p.notes).collect();
                let quarter = s.total_ticks() / 4;
                let mean = |f: &dyn Fn(u32) -> bool| {
                    let v: Vec<u32> = all
                        .iter()
                        .filter(|n| f(n.start))
                        .map(|n| n.velocity as u32)
                        .collect();
                    v.iter().sum::<u32>() / v.len().max(1) as u32
                };
                let swell = mean(&|t| t >= 3 * quarter) > mean(&|t| t < quarter) + 8;
                program(s, Drums).is_none()
                    && s.key.mode.is_minor()
                    && swell
                    && program(s, Chords) == Some(49)
                    && program(s, Bass) == Some(48)
            }),
        ),
        (
            "country song",
            Box::new(|s| {
                let alternating = share(&bars(s, Bass), |b| {
                    let root = s.chord_at(b[0].1.start).unwrap();
                    b.len() == 4
                        && b.iter().enumerate().all(|(i, (_, n))| {
                            n.pitch.class()
                                == if i % 2 == 0 {
                                    root.root_class()
                                } else {
                                    root.fifth()
                                }
                        })
                });
                alternating >= 0.8 && roots(s).iter().all(|r| [0, 5, 7].contains(r))
            }),
        ),
        (
            "gospel",
            Box::new(|s| {
                roots(s).ends_with(&[5, 0])
                    && program(s, Chords) == Some(17)
                    && program(s, Melody) == Some(1)
            }),
        ),
        (
            "salsa",
            Box::new(|s| {
                let clave = drum_bars(s, |hit| (0..16).any(|k| hit(75, k)));
                let congas = drum_bars(s, |hit| (0..16).any(|k| hit(63, k)));
                // The tumbao: nothing on beat 1, notes on the and of 2 and on 4.
                let tumbao = share(&bars(s, Bass), |b| {
                    let at: Vec<u32> = b.iter().map(|(o, _)| *o).collect();
                    !at.contains(&0) && at.contains(&720) && at.contains(&1440)
                });
                let son = son_clave(s);
                (160..=220).contains(&s.tempo)
                    && clave == 1.0
                    && son == 1.0
                    && congas >= 0.9
                    && tumbao >= 0.9
            }),
        ),
        (
            "Christmas song",
            Box::new(|s| {
                !s.key.mode.is_minor() && s.parts.iter().any(|p| [9, 10, 15].contains(&p.program))
            }),
        ),
    ]
}

#[test]
fn every_genre_shows_its_defining_features() {
    for (prompt, holds) in genres() {
        for seed in 0..SEEDS {
            let score = common::score("genre", prompt, seed);
            assert!(
                holds(&score),
                "{prompt} seed {seed} lacks a defining feature"
            );
        }
    }
}

#[test]
fn the_words_people_use_name_the_genres() {
    let same = [
        ("EDM track", "house"),
        ("dance track", "house"),
        ("epic orchestral piece", "film"),
        ("cinematic piece", "film"),
        ("boom bap beat", "hip hop beat"),
        ("lo-fi beat", "lofi beat"),
        ("salsa", "latin"),
        ("heavy metal", "metal"),
        ("bossa", "bossa nova"),
    ];
    for (a, b) in same {
        assert_eq!(
            common::score("g", a, 3),
            common::score("g", b, 3),
            "{a} vs {b}"
        );
    }
}

/// Each part's (role, program, channel, doubles), in track order.
fn seats(score: &Score) -> Vec<Seat> {
    (score.parts.iter())
        .map(|p| (p.role, p.program, p.channel + 1, p.doubles))
        .collect()
}

/// A part's role, program, channel (1–16) and whether it doubles another.
type Seat = (PartRole, u8, u8, bool);

#[test]
fn ensembles_seat_the_parts() {
    use PartRole::*;
    let cases: [(&str, &[Seat]); 5] = [
        (
            "classical piece for string quartet",
            &[
                (Melody, 41, 1, false),
                (CounterMelody, 41, 2, false),
                (Chords, 42, 3, false),
                (Bass, 43, 4, false),
            ],
        ),
        (
            "funk for brass section",
            &[
                (Melody, 57, 1, false),
                (CounterMelody, 61, 2, false),
                (Chords, 58, 3, false),
                (Bass, 59, 4, false),
                (Drums, 1, 10, false),
            ],
        ),
        (
            "jazz tune for piano trio",
            &[
                (Melody, 1, 1, false),
                (Chords, 1, 3, false),
                (Bass, 33, 4, false),
                (Drums, 1, 10, false),
            ],
        ),
        (
            "classical piece for piano trio",
            &[
                (Melody, 41, 1, false),
                (Chords, 1, 3, false),
                (Bass, 43, 4, false),
            ],
        ),
        (
            "solo piano waltz",
            &[
                (Melody, 1, 1, false),
                (Chords, 1, 3, false),
                (Bass, 1, 4, false),
            ],
        ),
    ];
    for (prompt, wanted) in cases {
        for seed in 0..4 {
            assert_eq!(seats(&common::score("e", prompt, seed)), wanted, "{prompt}");
        }
    }
    // A part line still names its own player; a sentence's other instruments keep
    // `brass section` an instrument.
    let flute = common::score("e", "folk tune for string quartet\nmelody: flute", 1);
    assert_eq!(seats(&flute)[0], (Melody, 74, 1, false));
    let march = common::score("e", "A march featuring trumpet, brass section and tuba.", 1);
    assert_eq!(program(&march, Chords), Some(62));
}

#[test]
fn a_doubled_line_plays_the_same_notes_on_a_channel_of_its_own() {
    use PartRole::*;
    let source = "folk tune, 8 bars\nmelody: violin and flute\nbass: cello and contrabass";
    for seed in 0..SEEDS {
        let score = common::score("d", source, seed);
        assert_eq!(
            seats(&score),
            [
                (Melody, 41, 1, false),
                (Melody, 74, 5, true),
                (Chords, 25, 3, false),
                (Bass, 43, 4, false),
                (Bass, 44, 6, true),
            ]
        );
        assert_eq!(score.parts[0].notes, score.parts[1].notes);
        assert_eq!(score.parts[3].notes, score.parts[4].notes);
    }
    // The MIDI file writes a named track for each, on its channel.
    let compiled = tunec::compile(source, &tunec::Options::new()).unwrap();
    let midi = compiled.render(tunec::Format::Midi).unwrap();
    let smf = midly::Smf::parse(&midi).unwrap();
    let names: Vec<String> = (smf.tracks.iter().skip(1))
        .filter_map(|t| {
            t.iter().find_map(|e| match e.kind {
                midly::TrackEventKind::Meta(midly::MetaMessage::TrackName(n)) => {
                    Some(String::from_utf8_lossy(n).into_owned())
                }
                _ => None,
            })
        })
        .collect();
    assert_eq!(
        names,
        [
            "melody",
            "melody (flute)",
            "chords",
            "bass",
            "bass (contrabass)"
        ]
    );
    let xml = String::from_utf8(compiled.render(tunec::Format::MusicXml).unwrap()).unwrap();
    assert!(xml.contains("<part-name>melody (flute)</part-name>"));
    let abc = String::from_utf8(compiled.render(tunec::Format::Abc).unwrap()).unwrap();
    assert!(abc.contains("V:2 name=\"melody (flute)\""), "{abc}");
    let plan = String::from_utf8(compiled.render(tunec::Format::Plan).unwrap()).unwrap();
    assert!(plan.contains("doubled by       flute (program 74), same notes"));
}

#[test]
fn doublings_stop_where_the_sixteen_channels_end() {
    let players = |n: usize| vec!["flute"; n].join(" and ");
    let eleven = format!("folk tune, 8 bars\nmelody: violin and {}", players(11));
    let score = common::score("d", &eleven, 0);
    let mut channels: Vec<u8> = score.parts.iter().map(|p| p.channel).collect();
    channels.sort();
    channels.dedup();
    assert_eq!(channels.len(), score.parts.len());
    assert!(channels.iter().all(|c| *c < 16) && !channels.contains(&9));
    let twelve = format!("folk tune, 8 bars\nmelody: violin and {}", players(12));
    let err = tunec::compile(&twelve, &tunec::Options::new()).unwrap_err();
    let codes: Vec<&str> = err.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0225"]);
}

/// One row of docs/language.md's table of styles, from the style's preset row.
fn style_row(s: &tunec::presets::Style) -> String {
    use tunec::presets::{Feel, Swing, instruments::name};
    let named = |n: &str| match s.aliases {
        [] => n.to_string(),
        aka => format!("{n} (`{}`)", aka.join("`, `")),
    };
    let key = tunec::theory::Key::new(tunec::theory::NoteName::new(s.tonic, 0), s.mode);
    let mut melody = name(s.melody).to_string();
    let mut notes: Vec<&str> = Vec::new();
    notes.extend(match s.feel {
        Feel::Running => Some("running eighths"),
        Feel::Dotted => Some("dotted"),
        _ => None,
    });
    notes.extend(s.long_notes.then_some("notes of two beats or more"));
    notes.extend(s.crescendo.then_some("a crescendo over the piece"));
    if !notes.is_empty() {
        melody += &format!(" ({})", notes.join(", "));
    }
    let chords = s.chords.map_or("—".to_string(), |(program, pattern)| {
        let mut cell = format!("{}, {}", name(program), pattern.name());
        cell += match (s.sevenths, s.ninths) {
            (_, true) => ", sevenths and ninths",
            (true, false) => ", sevenths",
            _ => "",
        };
        cell += if s.flat_seven { ", bVII" } else { "" };
        cell
    });
    let bass = s.bass.map_or("—".to_string(), |(program, pattern)| {
        format!("{}, {}", name(program), pattern.name())
    });
    let swing = match s.swing {
        Some(Swing::Eighths) => "eighths",
        Some(Swing::Sixteenths) => "sixteenths",
        None => "—",
    };
    let cells = [
        named(s.name),
        format!("{}/{}", s.meter.0, s.meter.1),
        s.tempo.to_string(),
        format!("{}–{}", s.tempo_range.0, s.tempo_range.1),
        swing.to_string(),
        key.to_string(),
        s.bars.to_string(),
        s.form.to_string(),
        melody,
        chords,
        bass,
        s.drums.map_or("—", |g| g.name()).to_string(),
    ];
    format!("| {} |", cells.join(" | "))
}

/// Every style's tempo lies in its own range, and the range is one (slowest first).
#[test]
fn every_style_plays_at_a_tempo_in_its_range() {
    for s in &tunec::presets::STYLES {
        let (low, high) = s.tempo_range;
        assert!(low < high, "{}: {low}–{high} is no range", s.name);
        assert!(
            (low..=high).contains(&s.tempo),
            "{}: {} bpm lies outside {low}–{high}",
            s.name,
            s.tempo
        );
    }
}

/// docs/language.md lists every style with the defaults its preset row gives: the table is
/// the rows, generated (a failure prints the table to paste in).
#[test]
fn the_language_doc_lists_every_style_as_its_preset_row() {
    let mut table = vec![
        "| style | meter | tempo | tempo range | swing | key | bars | form | melody | chords | bass | drums |"
            .to_string(),
        "|---|---|---|---|---|---|---|---|---|---|---|---|".to_string(),
    ];
    table.extend(tunec::presets::STYLES.iter().map(style_row));
    let table = table.join("\n") + "\n";
    let doc = std::fs::read_to_string("docs/language.md").unwrap();
    assert!(
        doc.contains(&table),
        "docs/language.md's table of styles differs from the presets; it should read:\n{table}"
    );
}
