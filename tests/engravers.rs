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

/// The lines of MuseScore's report that are errors: invalid files, errors at a line.
fn errors(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|l| l.contains("not a valid MusicXML file") || l.starts_with("Error"))
        .collect()
}

/// MuseScore 3 checks files against MusicXML 3.1, which lacks 4.0's `<sound><swing>`: a swung
/// piece is reported invalid for that element alone, so it is also converted without it,
/// and that copy must be valid.
fn without_swing(path: &Path) -> PathBuf {
    let xml = std::fs::read_to_string(path).unwrap();
    let start = xml.find("<sound>\n").expect("a swing sound");
    let end = xml[start..].find("</sound>").unwrap() + start + "</sound>".len();
    let copy = path.with_file_name(format!(
        "{}-no-swing.musicxml",
        path.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::write(&copy, format!("{}{}", &xml[..start], &xml[end..])).unwrap();
    copy
}

#[test]
#[ignore = "needs MuseScore 3 (Debian: musescore3); .ci/run runs it"]
fn musescore_converts_every_example_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let examples = write_examples(dir.path());
    let swung: Vec<PathBuf> = examples
        .iter()
        .filter(|e| e.1)
        .map(|e| e.0.clone())
        .collect();
    let mut files: Vec<PathBuf> = examples.iter().map(|e| e.0.clone()).collect();
    files.extend(swung.iter().map(|p| without_swing(p)));
    let report = musescore(dir.path(), &files);
    let mut current = String::new();
    let mut bad = Vec::new();
    for line in report.lines() {
        if let Some(file) = line.strip_prefix("convert <") {
            current = file.trim_end_matches(">...").to_string();
        }
        let swing_only = swung.iter().any(|s| s.to_string_lossy() == current)
            && line.contains("not a valid MusicXML file");
        if !errors(line).is_empty() && !swing_only {
            bad.push(format!("{current}: {line}"));
        }
    }
    assert!(
        bad.is_empty(),
        "MuseScore reports errors:\n{}",
        bad.join("\n")
    );
    for file in &files {
        let pdf = std::fs::metadata(file.with_extension("pdf"));
        assert!(
            pdf.is_ok_and(|m| m.len() > 1000),
            "{}: no PDF",
            file.display()
        );
    }
    assert!(!swung.is_empty(), "the examples include swung pieces");
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
