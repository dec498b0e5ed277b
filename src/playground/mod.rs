//! `tunec serve`: the playground in the browser. An HTTP server on 127.0.0.1 that serves one
//! page (every asset embedded in the binary) and compiles what is typed there through the
//! library's front door, answering with the diagnostics, the piano roll, the ABC the page
//! engraves, the canonical program and the plan, and the files to download or play.
//!
//! The server is synchronous ([tiny_http]): a few worker threads take requests from one
//! listener, so clients are served side by side, and every request is bounded — the body by
//! [`MAX_BODY_BYTES`], the piece by the work budget in [`api`] — so no request can hang it.

mod api;
mod assets;
mod guard;
mod ranges;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use tiny_http::{Header, Method, Request, Response, Server};

use crate::Synth;

/// The largest request body read, in bytes: a program at the size limit, escaped as JSON.
pub const MAX_BODY_BYTES: u64 = 2 * 1024 * 1024;
/// How many requests are handled at once.
const WORKERS: usize = 4;

/// `tunec serve [--port N] [--bind ADDRESS] [--soundfont FILE] [FILE]`
#[derive(Parser, Debug)]
#[command(name = "tunec serve", version)]
#[command(about = "A playground in the browser: type a program, see and hear it at once")]
struct ServeArgs {
    /// The .tune file to open; "Save" writes it back (without one, nothing is ever written)
    file: Option<PathBuf>,
    /// The port to listen on (0: any free port)
    #[arg(long, default_value_t = 8017)]
    port: u16,
    /// Listen on this address instead of 127.0.0.1. Anyone who can reach it can use the
    /// playground (and save FILE), so tunec warns
    #[arg(long, value_name = "ADDRESS")]
    bind: Option<IpAddr>,
    /// The SoundFont (.sf2) that plays the audio, or `none` for the built-in synth
    /// [default: an installed General MIDI SoundFont, else the built-in synth]
    #[arg(long, value_name = "FILE")]
    soundfont: Option<PathBuf>,
}

/// Runs `tunec serve` with `args` (those after `serve`) until the process is stopped; returns
/// the exit status when it cannot start: 2 for misuse, 1 when the port or a file cannot be used.
pub fn serve(args: &[OsString], stderr: &mut dyn Write) -> i32 {
    let program = std::iter::once(OsString::from("tunec serve"));
    let args = match ServeArgs::try_parse_from(program.chain(args.iter().cloned())) {
        Ok(args) => args,
        Err(e) => return clap_exit(&e, stderr),
    };
    let playground = match api::Playground::open(args.file.clone(), synth(&args)) {
        Ok(playground) => Arc::new(playground),
        Err(message) => return fail(stderr, &message),
    };
    let address = SocketAddr::new(args.bind.unwrap_or(Ipv4Addr::LOCALHOST.into()), args.port);
    if !address.ip().is_loopback() {
        let _ = writeln!(
            stderr,
            "warning: listening on {}: anyone who can reach this address can use the playground{}",
            address.ip(),
            match &args.file {
                Some(file) => format!(" and overwrite {}", file.display()),
                None => String::new(),
            }
        );
    }
    let server = match Server::http(address) {
        Ok(server) => Arc::new(server),
        Err(e) => return fail(stderr, &format!("cannot listen on {address}: {e}")),
    };
    let bound = server.server_addr().to_ip().unwrap_or(address);
    let open = !address.ip().is_loopback();
    let _ = writeln!(
        stderr,
        "tunec playground at http://{bound}/ ({}); stop it with Ctrl-C",
        playground.describe()
    );
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, playground) = (Arc::clone(&server), Arc::clone(&playground));
            std::thread::spawn(move || work(&server, &playground, open))
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    0
}

/// `--soundfont`: a file, `none` for the built-in synth, else the installed default.
fn synth(args: &ServeArgs) -> Result<Synth, String> {
    match args.soundfont.as_deref() {
        Some(path) if path == std::path::Path::new("none") => Ok(Synth::builtin()),
        Some(path) => Synth::load(path).map_err(|d| d.message),
        None => Ok(Synth::system_default()),
    }
}

/// The argument parser's message: an error on stderr (status 2), `--help` on stdout.
fn clap_exit(e: &clap::Error, stderr: &mut dyn Write) -> i32 {
    if e.use_stderr() {
        let _ = write!(stderr, "{}", e.render());
        return 2;
    }
    let mut stdout = std::io::stdout();
    let _ = write!(stdout, "{}", e.render()).and_then(|_| stdout.flush());
    0
}

fn fail(stderr: &mut dyn Write, message: &str) -> i32 {
    let _ = writeln!(stderr, "error: {message}");
    1
}

/// One worker: answers requests until the server stops. A panic while answering one request
/// is caught, so the worker lives on (the client sees its connection close).
fn work(server: &Server, playground: &api::Playground, open: bool) {
    while let Ok(request) = server.recv() {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            answer(request, playground, open)
        }));
    }
}

/// What the server sends back: a status, a content type and the bytes.
pub(crate) struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    /// The file name a download is saved as.
    attachment: Option<String>,
    /// How long the server worked on it, sent as `Server-Timing` so that the page (and its
    /// browser test) can tell the server's time from the network's and its own.
    worked: Option<std::time::Duration>,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type,
            body: body.into(),
            attachment: None,
            worked: None,
        }
    }

    fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply::new(status, "application/json", value.to_string())
    }

    /// A request the server will not carry out, with the reason as JSON `{"error": …}`.
    fn refused(status: u16, message: &str) -> Reply {
        Reply::json(status, &serde_json::json!({ "error": message }))
    }
}

/// Answers `request`; `open`: the server listens beyond this machine.
fn answer(mut request: Request, playground: &api::Playground, open: bool) {
    let reply = match guard::refusal(&request, open) {
        Some((status, why)) => Reply::refused(status, &why),
        None => match read_body(&mut request) {
            Ok(body) => route(request.method(), request.url(), &body, playground),
            Err(reply) => reply,
        },
    };
    let mut headers = vec![
        ("Content-Type", reply.content_type.to_string()),
        ("Cache-Control", "no-store".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
    ];
    if let Some(worked) = reply.worked {
        let ms = worked.as_secs_f64() * 1000.0;
        headers.push(("Server-Timing", format!("compile;dur={ms:.1}")));
    }
    let (mut status, mut body) = (reply.status, reply.body);
    if let Some(name) = reply.attachment {
        headers.push((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ));
        headers.push(("Accept-Ranges", "bytes".to_string()));
        let size = body.len() as u64;
        match ranges::part(header(&request, "Range"), size) {
            ranges::Part::Whole => {}
            ranges::Part::Bytes(bytes) => {
                let (start, end) = (*bytes.start(), *bytes.end());
                headers.push(("Content-Range", format!("bytes {start}-{end}/{size}")));
                body = body[start as usize..=end as usize].to_vec();
                status = 206;
            }
            ranges::Part::PastTheEnd => {
                headers.push(("Content-Range", format!("bytes */{size}")));
                (status, body) = (416, Vec::new());
            }
        }
    }
    // Every body is whole in memory: send it with its length rather than in chunks (tiny_http
    // chunks bodies over 32 KiB, and the piano roll is five times that).
    let mut response = Response::from_data(body)
        .with_status_code(status)
        .with_chunked_threshold(usize::MAX);
    for (name, value) in headers {
        if let Ok(header) = Header::from_bytes(name, value) {
            response.add_header(header);
        }
    }
    let _ = request.respond(response);
}

/// The value of the request's header `name`, if it has one.
fn header<'a>(request: &'a Request, name: &'static str) -> Option<&'a str> {
    (request.headers().iter())
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// The request's body, at most [`MAX_BODY_BYTES`]; a larger one is refused unread.
fn read_body(request: &mut Request) -> Result<Vec<u8>, Reply> {
    let too_large = || {
        let limit = crate::limits::too_large(None);
        Reply::json(413, &api::diagnostics_json(&[limit], ""))
    };
    if request
        .body_length()
        .is_some_and(|n| n as u64 > MAX_BODY_BYTES)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut body);
    match read {
        Ok(_) if body.len() as u64 > MAX_BODY_BYTES => Err(too_large()),
        Ok(_) => Ok(body),
        Err(e) => Err(Reply::refused(
            400,
            &format!("cannot read the request: {e}"),
        )),
    }
}

/// Sends each request to what answers it.
fn route(method: &Method, url: &str, body: &[u8], playground: &api::Playground) -> Reply {
    let path = url.split('?').next().unwrap_or(url);
    match (method, path) {
        (Method::Post, "/api/compile") => playground.compile(body),
        (Method::Post, "/api/save") => playground.save(body),
        (Method::Get, "/api/start") => playground.start(),
        (Method::Get, "/api/vocabulary") => Reply::json(200, &assets::vocabulary()),
        (Method::Get, _) if path.starts_with("/api/piece/") => {
            playground.download(&path["/api/piece/".len()..])
        }
        (Method::Get, _) => match assets::asset(path) {
            Some((content_type, bytes)) => Reply::new(200, content_type, bytes),
            None => Reply::refused(404, &format!("no page at {path}")),
        },
        _ => Reply::refused(
            405,
            &format!("{method} {path} is not something the playground does"),
        ),
    }
}
