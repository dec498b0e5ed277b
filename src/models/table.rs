//! Reading the embedded tab-separated model files: one record per line, `#` comments.

/// The version of the model files this build reads; `tools/learn_styles.py` writes it.
pub const VERSION: &str = "# tunec style model v3:";

/// The records of a model file: its lines split at tabs, comments and blank lines left out.
/// Panics if the file is not of this build's version: the files are part of the build, and a
/// test reads each of them.
pub fn records(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    assert!(
        text.starts_with(VERSION),
        "a style model of another version"
    );
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

/// A number in a model file.
pub fn number(field: &str) -> u32 {
    field
        .parse()
        .unwrap_or_else(|_| panic!("a style model holds {field:?} where a number belongs"))
}
