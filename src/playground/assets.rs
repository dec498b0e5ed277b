//! The playground's page and everything it loads, embedded in the binary so that it works
//! offline (web/playground, and abcjs vendored from npm in web/vendor/abcjs with its licence),
//! and the vocabulary the page's highlighting colours words by.

use serde_json::{Value, json};

use crate::vocabulary::{self, Kind};

/// Each path the page loads: its content type and bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "/",
        "text/html; charset=utf-8",
        include_bytes!("../../web/playground/index.html"),
    ),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/playground/app.js"),
    ),
    (
        "/style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../web/playground/style.css"),
    ),
    (
        "/vendor/abcjs-basic-min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/vendor/abcjs/abcjs-basic-min.js"),
    ),
    (
        "/vendor/abcjs-LICENSE.md",
        "text/plain; charset=utf-8",
        include_bytes!("../../web/vendor/abcjs/LICENSE.md"),
    ),
];

/// The content type and bytes served at `path`, if any.
pub(super) fn asset(path: &str) -> Option<(&'static str, &'static [u8])> {
    let path = if path == "/index.html" { "/" } else { path };
    ASSETS
        .iter()
        .find(|(at, _, _)| *at == path)
        .map(|(_, content_type, bytes)| (*content_type, *bytes))
}

/// `{"words": [[word, class], …]}`: every word of the language with the highlighting class
/// it is shown in (`keyword`, `style`, `instrument`, `part`, `mode`, `pattern`, `drum`),
/// longest phrases first so that `mostly stepwise` wins over `stepwise`.
pub(super) fn vocabulary() -> Value {
    let mut words: Vec<(&str, &str)> = vocabulary::words()
        .filter_map(|w| class(w.kind).map(|c| (w.text, c)))
        .collect();
    words.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
    words.dedup_by(|a, b| a.0 == b.0);
    json!({ "words": words })
}

/// The class a kind of word is highlighted with; none for glue words.
fn class(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Style | Kind::Noun | Kind::Genre | Kind::Mood | Kind::MoodWord(_) => "style",
        Kind::Instrument | Kind::Ensemble => "instrument",
        Kind::Part | Kind::PartNoun(_) | Kind::Section | Kind::Loudness(_) => "part",
        Kind::Mode => "mode",
        Kind::ChordPattern | Kind::BassPattern => "pattern",
        Kind::Drum => "drum",
        Kind::Keyword
        | Kind::Unit
        | Kind::Switch(_)
        | Kind::Dynamic
        | Kind::Density(_)
        | Kind::Contour(_)
        | Kind::Target
        | Kind::Cadence
        | Kind::Duration
        | Kind::Interval
        | Kind::Tempo(..)
        | Kind::Length(_) => "keyword",
        Kind::Joiner | Kind::Phrasing | Kind::Skip | Kind::Count | Kind::Refused(_) => {
            return None;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_abcjs_are_embedded_with_the_licence() {
        let (kind, page) = asset("/").unwrap();
        assert!(kind.starts_with("text/html"));
        let page = String::from_utf8_lossy(page);
        for loaded in ["/app.js", "/style.css", "/vendor/abcjs-basic-min.js"] {
            assert!(page.contains(loaded), "the page loads {loaded}");
            assert!(asset(loaded).is_some(), "{loaded} is served");
        }
        let licence = String::from_utf8_lossy(asset("/vendor/abcjs-LICENSE.md").unwrap().1);
        assert!(licence.contains("Paul Rosen"));
        assert!(asset("/../Cargo.toml").is_none());
    }

    #[test]
    fn the_vocabulary_colours_words_by_kind_longest_first() {
        let value = vocabulary();
        let words = value["words"].as_array().unwrap();
        let class_of = |w: &str| {
            words
                .iter()
                .find(|pair| pair[0] == w)
                .map(|pair| pair[1].as_str().unwrap().to_string())
        };
        assert_eq!(class_of("jig").as_deref(), Some("style"));
        assert_eq!(class_of("fiddle").as_deref(), Some("instrument"));
        assert_eq!(class_of("melody").as_deref(), Some("part"));
        assert_eq!(class_of("stepwise").as_deref(), Some("keyword"));
        assert_eq!(class_of("please"), None, "glue words stay plain");
        let lengths: Vec<usize> = words.iter().map(|p| p[0].as_str().unwrap().len()).collect();
        assert!(lengths.windows(2).all(|w| w[0] >= w[1]));
    }
}
