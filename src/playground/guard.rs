//! Who may use the playground: its own page and local tools. Any web page the user visits can
//! make the browser send requests to 127.0.0.1 — a form posted across sites, or a name that
//! resolves to 127.0.0.1 after the page loaded (DNS rebinding) — and could read the file or
//! save over it. Those requests are refused: the Host must name this machine (unless `--bind`
//! opened the server), an Origin must be the playground's own, and a POST must be JSON, which a
//! page elsewhere cannot send without the browser asking first (a preflight nobody answers).

use tiny_http::{Method, Request};

/// Why `request` is refused (a status and a reason), or `None` when it may go on. `open`: the
/// server listens on an address other machines reach, so any Host is expected.
pub(super) fn refusal(request: &Request, open: bool) -> Option<(u16, String)> {
    let header = |name: &'static str| super::header(request, name).map(str::to_string);
    let host = header("Host");
    if let Some(host) = &host
        && !open
        && !is_local(host)
    {
        return Some((
            403,
            format!("the playground answers only to this machine, not to {host}"),
        ));
    }
    if let Some(origin) = header("Origin")
        && Some(origin.as_str()) != host.as_ref().map(|h| format!("http://{h}")).as_deref()
    {
        return Some((
            403,
            format!("requests from {origin} are not the playground's own"),
        ));
    }
    let json = header("Content-Type").is_some_and(|t| t.starts_with("application/json"));
    if *request.method() == Method::Post && !json {
        return Some((
            415,
            "the playground takes JSON (Content-Type: application/json)".into(),
        ));
    }
    None
}

/// Whether a Host header names this machine: `127.0.0.1`, `localhost` or `[::1]`, any port.
fn is_local(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "127.0.0.1" | "localhost" | "::1"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_is_local() {
        for host in [
            "127.0.0.1:8017",
            "localhost:8017",
            "LOCALHOST",
            "[::1]:8017",
        ] {
            assert!(is_local(host), "{host}");
        }
        for host in [
            "evil.example:8017",
            "127.0.0.1.evil.example",
            "[::2]:80",
            "",
        ] {
            assert!(!is_local(host), "{host}");
        }
    }
}
