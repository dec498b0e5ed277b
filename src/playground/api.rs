//! What the playground's page asks the server: compile a program with a seed, download or play
//! what was composed, save the file. Every answer is JSON but the downloads.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Deserialize;
use serde_json::{Value, json};

use super::Reply;
use crate::diagnostic::{Code, Diagnostic};
use crate::resolve::Origin;
use crate::{Compiled, Diagnostics, Format, Options, Program, Synth};

/// The most bars the playground composes: its work budget, so that no request holds a worker
/// for long (a 512-bar, four-part piece composes in well under a second).
pub const MAX_BARS: u32 = 512;
/// The longest piece the playground plays or writes as audio, in seconds.
pub const MAX_AUDIO_SECONDS: f64 = 10.0 * 60.0;
/// How many composed pieces are kept for their downloads (the newest ones).
const KEPT_PIECES: usize = 32;
/// What the page shows when the playground is started without a file.
const FIRST_PROGRAM: &str = "title \"The Kettle on the Hob\"\nlively jig in G major, form AABB, 32 bars\nmelody: fiddle, mostly stepwise, ends on the tonic\n";

/// The server's state: the file it may save, the synth that plays, the pieces composed lately.
pub(crate) struct Playground {
    file: Option<PathBuf>,
    synth: Synth,
    pieces: Mutex<Pieces>,
}

/// The pieces composed lately, numbered, for the download links of the page that asked.
#[derive(Default)]
struct Pieces {
    next: u64,
    recent: VecDeque<(u64, Compiled)>,
    /// The last WAV rendered and its piece's number: an audio element asks for the file in
    /// several byte ranges, and each must not render it again.
    wav: Option<(u64, Vec<u8>)>,
}

/// The body of `/api/compile`.
#[derive(Deserialize)]
struct CompileRequest {
    source: String,
    /// The seed to compose with; none: the program's own (its `seed`, else 0).
    seed: Option<u64>,
}

/// The body of `/api/save`.
#[derive(Deserialize)]
struct SaveRequest {
    source: String,
}

impl Playground {
    /// A playground that saves `file` (when given) and plays through `synth`. A file that does
    /// not exist yet is created by the first "Save"; one that cannot be read is an error.
    pub(crate) fn open(
        file: Option<PathBuf>,
        synth: Result<Synth, String>,
    ) -> Result<Playground, String> {
        let synth = synth?;
        if let Some(path) = &file {
            if path.is_dir() {
                return Err(format!("{} is a folder, not a .tune file", path.display()));
            }
            if path.exists() {
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            }
        }
        Ok(Playground {
            file,
            synth,
            pieces: Mutex::new(Pieces::default()),
        })
    }

    /// `editing song.tune, SoundFont …` for the server's first line.
    pub(crate) fn describe(&self) -> String {
        let file = match &self.file {
            Some(path) => format!("editing {}", path.display()),
            None => "no file: nothing is saved".to_string(),
        };
        format!("{file}; audio from the {}", self.synth.describe())
    }

    /// The file name diagnostics point into.
    fn file_name(&self) -> String {
        self.file.as_ref().map_or("playground.tune".into(), |p| {
            p.file_name().unwrap_or_default().to_string_lossy().into()
        })
    }

    /// The name downloads are saved under: the file's stem in plain letters, else `tune`.
    fn stem(&self) -> String {
        let stem = self.file.as_deref().and_then(Path::file_stem);
        let stem: String = stem
            .map(|s| s.to_string_lossy())
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect();
        if stem.is_empty() { "tune".into() } else { stem }
    }

    /// `GET /api/start`: the program to begin with (the file's, else an example) and whether
    /// "Save" has a file to write.
    pub(crate) fn start(&self) -> Reply {
        let source = match &self.file {
            Some(path) if path.exists() => match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) => {
                    return Reply::refused(500, &format!("cannot read {}: {e}", path.display()));
                }
            },
            Some(_) => String::new(),
            None => FIRST_PROGRAM.to_string(),
        };
        let file = self.file.as_ref().map(|_| self.file_name());
        Reply::json(200, &json!({ "source": source, "file": file }))
    }

    /// `POST /api/compile`: the program composed with the seed asked for, or every diagnostic.
    pub(crate) fn compile(&self, body: &[u8]) -> Reply {
        let request: CompileRequest = match serde_json::from_slice(body) {
            Ok(request) => request,
            Err(e) => return Reply::refused(400, &format!("not a compile request: {e}")),
        };
        let started = std::time::Instant::now();
        let options = Options::new().name(self.stem()).file_name(self.file_name());
        let composed = Program::read(&request.source, &options).and_then(|program| {
            within_budget(&program)?;
            let seed = request.seed.unwrap_or(program.seed());
            program.compose(seed)
        });
        let mut reply = match composed.and_then(|piece| self.shown(piece)) {
            Ok(answer) => Reply::json(200, &answer),
            Err(diagnostics) => Reply::json(200, &failed(&diagnostics, request.seed)),
        };
        reply.worked = Some(started.elapsed());
        reply
    }

    /// What the page shows of a composed piece, and the links to its files.
    fn shown(&self, piece: Compiled) -> Result<Value, Diagnostics> {
        let text = |format| {
            piece
                .render(format)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        };
        // What the page shows at once; the ABC it engraves once typing pauses is its "Download
        // ABC" file, and the WAV is rendered when Play or "Download WAV" asks for it.
        let (svg, tune, plan) = (text(Format::Svg)?, text(Format::Tune)?, text(Format::Plan)?);
        let (seed, summary) = (piece.seed(), piece.summary());
        let audio: Vec<String> = (piece.audio_gaps(&self.synth).into_iter())
            .map(|(severity, gap)| format!("{}: {gap}", severity.map_or("note", |_| "warning")))
            .collect();
        let id = self.keep(piece);
        let link = |ext: &str| format!("/api/piece/{id}/{}-{seed}.{ext}", self.stem());
        Ok(json!({
            "ok": true, "seed": seed, "summary": summary, "diagnostics": [], "audio": audio,
            "svg": svg, "tune": tune, "plan": plan,
            "downloads": {
                "midi": link("mid"), "musicxml": link("musicxml"),
                "abc": link("abc"), "wav": link("wav"),
            },
        }))
    }

    /// Keeps `piece` for its downloads; returns its number.
    fn keep(&self, piece: Compiled) -> u64 {
        let mut pieces = self.pieces.lock().unwrap_or_else(|e| e.into_inner());
        let id = pieces.next;
        pieces.next += 1;
        pieces.recent.push_back((id, piece));
        if pieces.recent.len() > KEPT_PIECES {
            pieces.recent.pop_front();
        }
        id
    }

    /// `GET /api/piece/ID/NAME.EXT`: a kept piece written as MIDI, MusicXML, ABC or WAV.
    pub(crate) fn download(&self, rest: &str) -> Reply {
        let (id, name) = rest.split_once('/').unwrap_or((rest, ""));
        let format = match name.rsplit_once('.').map(|(_, ext)| ext) {
            Some("mid") => Format::Midi,
            Some("musicxml") => Format::MusicXml,
            Some("abc") => Format::Abc,
            Some("wav") => Format::Wav,
            _ => return Reply::refused(404, &format!("no download called {name:?}")),
        };
        let id = id.parse::<u64>().ok();
        let piece = id.and_then(|id| {
            let pieces = self.pieces.lock().unwrap_or_else(|e| e.into_inner());
            pieces
                .recent
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, p)| p.clone())
        });
        let (Some(id), Some(piece)) = (id, piece) else {
            return Reply::refused(404, "that piece is no longer kept: compile it again");
        };
        match self.written(id, &piece, format) {
            Ok(bytes) => {
                let mut reply = Reply::new(200, content_type(format), bytes);
                reply.attachment = Some(name.to_string());
                reply
            }
            Err(diagnostics) => Reply::json(413, &failed(&diagnostics, Some(piece.seed()))),
        }
    }

    /// The piece as `format`; audio through the playground's synth, within its budget.
    fn written(&self, id: u64, piece: &Compiled, format: Format) -> Result<Vec<u8>, Diagnostics> {
        if format != Format::Wav {
            return piece.render(format);
        }
        let kept = |pieces: &Pieces| pieces.wav.as_ref().filter(|(i, _)| *i == id).cloned();
        if let Some((_, wav)) = kept(&self.pieces.lock().unwrap_or_else(|e| e.into_inner())) {
            return Ok(wav);
        }
        let wav = self.rendered(piece)?;
        let mut pieces = self.pieces.lock().unwrap_or_else(|e| e.into_inner());
        pieces.wav = Some((id, wav.clone()));
        Ok(wav)
    }

    /// The piece as WAV through the playground's synth, within its budget.
    fn rendered(&self, piece: &Compiled) -> Result<Vec<u8>, Diagnostics> {
        let seconds = piece.score().seconds();
        if seconds > MAX_AUDIO_SECONDS {
            let message = format!(
                "the piece plays for {}, and the playground plays at most {} minutes",
                crate::render::duration(piece.score()),
                MAX_AUDIO_SECONDS / 60.0
            );
            let over = Diagnostic::new(Code::OverBudget, message)
                .hint("ask for fewer bars, or download the MIDI file");
            return Err(Diagnostics::single(&self.file_name(), over));
        }
        piece.render_audio(&self.synth, &mut |_| {})
    }

    /// `POST /api/save`: writes the program to the file the playground was started with, whole
    /// or not at all.
    pub(crate) fn save(&self, body: &[u8]) -> Reply {
        let Some(path) = &self.file else {
            return Reply::refused(
                403,
                "the playground was started without a file, so it writes nothing; start it as `tunec serve FILE`",
            );
        };
        let request: SaveRequest = match serde_json::from_slice(body) {
            Ok(request) => request,
            Err(e) => return Reply::refused(400, &format!("not a save request: {e}")),
        };
        if let Err(too_large) = crate::limits::check_size(&request.source) {
            return Reply::json(413, &diagnostics_json(&[too_large], ""));
        }
        match write_whole(path, request.source.as_bytes()) {
            Ok(()) => Reply::json(200, &json!({ "saved": self.file_name() })),
            Err(e) => Reply::refused(500, &format!("cannot write {}: {e}", path.display())),
        }
    }
}

/// The work budget: a piece of more than [`MAX_BARS`] bars is refused before it is composed,
/// at the words that asked for its length when there are some.
fn within_budget(program: &Program) -> Result<(), Diagnostics> {
    let bars = &program.plan.bars;
    if bars.value <= MAX_BARS {
        return Ok(());
    }
    let message = format!(
        "the piece has {} bars, and the playground composes at most {MAX_BARS}",
        bars.value
    );
    let mut over = Diagnostic::new(Code::OverBudget, message)
        .hint("ask for fewer bars here, and compile the whole piece with `tunec FILE`");
    if let Origin::Line { span, .. } = &bars.origin {
        over = over.label(*span, "this length");
    }
    let file_name = program.options.shown_file_name();
    Err(Diagnostics::new(file_name, &program.source, vec![over]))
}

/// The answer for a program with problems: each diagnostic with its line and column.
fn failed(diagnostics: &Diagnostics, seed: Option<u64>) -> Value {
    let list: Value = serde_json::from_str(&diagnostics.to_json()).unwrap_or(json!([]));
    json!({ "ok": false, "seed": seed, "diagnostics": list, "text": diagnostics.to_string() })
}

/// `items` as the JSON of `--error-format json`.
pub(crate) fn diagnostics_json(items: &[Diagnostic], source: &str) -> Value {
    failed(&Diagnostics::new("", source, items.to_vec()), None)
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Midi => "audio/midi",
        Format::MusicXml => "application/vnd.recordare.musicxml+xml",
        Format::Abc => "text/vnd.abc; charset=utf-8",
        Format::Wav => "audio/wav",
        _ => "text/plain; charset=utf-8",
    }
}

/// Writes `bytes` to a temporary file beside `path`, then moves it there: never half a file.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}
