use super::*;
use crate::score::fixtures::{melody_over_c as score, n};
use crate::theory::Meter;

/// The MusicXML of `score` on one line, without its indentation.
fn text(score: &Score) -> String {
    let xml = String::from_utf8(render(score)).unwrap();
    xml.lines().map(str::trim).collect()
}

#[test]
fn a_jig_counts_dotted_quarters_and_a_pickup_is_measure_zero() {
    let mut s = score(
        Meter::new(6, 8).unwrap(),
        vec![n(0, 240, 62), n(240, 2640, 64)],
    );
    s.pickup = 240;
    s.tempo = 139;
    let xml = text(&s);
    assert!(
        xml.contains("<measure number=\"0\" implicit=\"yes\">"),
        "{xml}"
    );
    assert!(
        xml.contains("<beat-unit>quarter</beat-unit><beat-unit-dot/><per-minute>139</per-minute>"),
        "{xml}"
    );
    assert!(xml.contains("<sound tempo=\"208.5\"/>"), "{xml}");
    assert!(xml.contains("<creator type=\"composer\">tunec, seed 0</creator>"));
}

#[test]
fn titles_are_escaped_and_chords_are_harmony() {
    let mut s = score(Meter::new(4, 4).unwrap(), vec![n(0, 480, 61)]);
    s.title = "Tom & \"Jerry\" <live>".into();
    let xml = text(&s);
    assert!(
        xml.contains("<work-title>Tom &amp; &quot;Jerry&quot; &lt;live&gt;</work-title>"),
        "{xml}"
    );
    assert!(xml.contains("<root-step>C</root-step>"));
    assert!(xml.contains("<kind text=\"\">major</kind>"));
    assert!(xml.contains("<accidental>sharp</accidental>"));
}

#[test]
fn a_slash_chord_has_its_bass() {
    let mut s = score(Meter::new(4, 4).unwrap(), vec![n(0, 1920, 72)]);
    s.parts.push(crate::score::Part {
        role: crate::resolve::PartRole::Bass,
        program: 33,
        channel: 2,
        doubles: false,
        notes: vec![n(0, 1920, 52)],
        dynamics: Vec::new(),
    });
    let xml = text(&s);
    assert!(
        xml.contains("<kind text=\"\">major</kind><bass><bass-step>E</bass-step></bass></harmony>"),
        "{xml}"
    );
}

#[test]
fn a_tempo_change_has_its_metronome_and_a_wedge_spans_its_bars() {
    use crate::score::{Change, Hairpin};
    let notes = vec![n(0, 1920, 60), n(1920, 960, 62), n(2880, 960, 64)];
    let mut s = score(Meter::new(6, 8).unwrap(), notes);
    s.changes = vec![(1, Change::Tempo(60))];
    s.hairpins = vec![Hairpin {
        from: 0,
        to: 2,
        louder: true,
    }];
    let xml = text(&s);
    let second = &xml[xml.find("<measure number=\"2\"").unwrap()..];
    assert!(
        second.contains(
            "<per-minute>60</per-minute></metronome></direction-type><sound tempo=\"90\"/>"
        ),
        "{second}"
    );
    let first = &xml[..xml.find("<measure number=\"2\"").unwrap()];
    assert!(first.contains("<wedge type=\"crescendo\"/>"), "{first}");
    assert!(!first.contains("<wedge type=\"stop\"/>"), "{first}");
    // The wedge stops before the last note of its last bar.
    let stop = second.find("<wedge type=\"stop\"/>").unwrap();
    assert_eq!(second[stop..].matches("<note>").count(), 1, "{second}");
}

#[test]
fn a_ninth_chord_is_a_dominant_ninth() {
    let mut s = score(Meter::new(4, 4).unwrap(), vec![n(0, 1920, 72)]);
    s.harmony[0].chord.quality = crate::theory::ChordQuality::Dominant9;
    let xml = text(&s);
    assert!(
        xml.contains("<kind text=\"9\">dominant-ninth</kind>"),
        "{xml}"
    );
}
