//! Two engravers read every example's MusicXML (seed 0): MuseScore 3 (Debian's `musescore3`,
//! headless) converts each to a PDF without an error, and verovio (PyPI, through
//! tests/readers/engrave_verovio.py and `$TUNEC_PYTHON`) lays each out as SVG pages.

mod common;
use common::{named_examples, score};
use std::path::{Path, PathBuf};
use std::process::Command;

use tunec::render;

/// Writes every example's MusicXML into `dir`; (path, whether the piece is swung).
fn write_examples(dir: &Path) -> Vec<(PathBuf, bool)> {
    named_examples()
        .into_iter()
        .map(|(name, source)| {
            let score = score(&name, &source, 0);
            let path = dir.join(format!("{name}.musicxml"));
            std::fs::write(&path, render::musicxml::render(&score)).unwrap();
            (path, score.swing)
        })
        .collect()
}

/// Converts `files` to PDFs beside them in one MuseScore run; its report.
fn musescore(dir: &Path, files: &[PathBuf]) -> String {
    let jobs: Vec<serde_json::Value> = files
        .iter()
        .map(|f| serde_json::json!({"in": f, "out": f.with_extension("pdf")}))
        .collect();
    let job = dir.join("job.json");
    std::fs::write(&job, serde_json::Value::from(jobs).to_string()).unwrap();
    let out = Command::new("mscore3")
        .arg("-j")
        .arg(&job)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run mscore3 ({e}): install MuseScore 3 (Debian: apt-get install musescore3)"
            )
        });
    assert!(out.status.success(), "mscore3 failed: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Whether a line of MuseScore's report is an error or a complaint about the file: invalid
/// against its MusicXML 3.1 schema, an error at a line, or two notes or rests put in one
/// place of one voice (which it reports as an element that already exists, and shows as
/// doubled rests).
fn is_error(line: &str) -> bool {
    line.contains("not a valid MusicXML file")
        || line.starts_with("Error")
        || line.contains("element already exists")
}

/// The report's error lines, each after the file it is about.
fn errors_by_file(report: &str) -> Vec<String> {
    let mut current = String::new();
    let mut bad = Vec::new();
    for line in report.lines() {
        if let Some(file) = line.strip_prefix("convert <") {
            current = file.trim_end_matches(">...").to_string();
        }
        if is_error(line) {
            bad.push(format!("{current}: {line}"));
        }
    }
    bad
}

/// A copy of `path` with MusicXML 4.0's `<sound><swing>` (which MusicXML 3.1 lacks) after its
/// first `<words>`: a file MuseScore 3 must call invalid, so the check is seen to work.
fn with_swing_sound(path: &Path) -> PathBuf {
    let xml = std::fs::read_to_string(path).unwrap();
    let swing = "<sound><swing><first>2</first><second>1</second>\
                 <swing-type>eighth</swing-type></swing></sound>";
    let at = xml.find("</direction-type>").expect("a direction") + "</direction-type>".len();
    let copy = path.with_file_name("canary.musicxml");
    std::fs::write(&copy, format!("{}{swing}{}", &xml[..at], &xml[at..])).unwrap();
    copy
}

#[test]
#[ignore = "needs MuseScore 3 (Debian: musescore3); .ci/run runs it"]
fn musescore_converts_every_example_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let examples = write_examples(dir.path());
    let mut files: Vec<PathBuf> = examples.iter().map(|e| e.0.clone()).collect();
    let swung = examples.iter().find(|e| e.1).expect("a swung example");
    files.push(with_swing_sound(&swung.0));
    let report = musescore(dir.path(), &files);
    let (canary, bad): (Vec<String>, Vec<String>) = errors_by_file(&report)
        .into_iter()
        .partition(|l| l.contains("canary.musicxml:"));
    assert!(
        bad.is_empty(),
        "MuseScore reports errors:\n{}",
        bad.join("\n")
    );
    assert!(
        canary.iter().any(|l| l.contains("not a valid MusicXML file")),
        "MuseScore must call a file with <sound><swing> invalid:\n{report}"
    );
    for file in &files {
        let pdf = std::fs::metadata(file.with_extension("pdf"));
        assert!(
            pdf.is_ok_and(|m| m.len() > 1000),
            "{}: no PDF",
            file.display()
        );
    }
}

#[test]
#[ignore = "needs verovio (TUNEC_PYTHON); .ci/run runs it"]
fn verovio_engraves_every_example() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = write_examples(dir.path())
        .into_iter()
        .map(|e| e.0)
        .collect();
    let python = std::env::var("TUNEC_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers/engrave_verovio.py");
    let out = Command::new(&python)
        .arg(script)
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} ({e})"));
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let n = files.len();
    assert!(
        out.status.success()
            && report.contains(&format!("checked {n} files: {n} passed, 0 failed")),
        "verovio could not engrave every example (install it with `pip install verovio` and set \
         TUNEC_PYTHON):\n{report}"
    );
}
