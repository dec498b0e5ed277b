// The tunec playground: every change to the source recompiles it on the server (at most one
// request in flight; the newest text goes next), then shows the piano roll, the score (abcjs),
// the problems, the canonical program and the plan. Nothing is loaded from the network.
"use strict";

const $ = (id) => document.getElementById(id);
const editor = $("source");
const state = {
  seed: null, // the seed asked for; null: the program's own
  shownSeed: null,
  version: 0, // bumped on every edit
  editedAt: 0, // when the newest edit was asked for (its key press), on performance.now()'s clock
  keyAt: null, // the timeStamp of the key held down, until it is released
  edits: 0, // bumped on every edit of the text
  inFlight: false,
  dirty: false,
  diagnostics: [],
  piece: null,
  engraving: null, // the timer that engraves the newest piece once typing pauses
  phrases: new Map(), // first word -> [[words, class], ...], longest first
};

// --- Compiling -----------------------------------------------------------------------------

// abcjs engraves a 32-bar, five-part score in a few hundred milliseconds, holding the page the
// while; engraving each keystroke's piece made the next keystroke wait, and so did engraving
// after a 250 ms pause, which typing often makes. The piano roll shows at once, the score when
// typing pauses this long.
const ENGRAVE_AFTER_MS = 500;

function edited() {
  state.version += 1;
  state.edits += 1;
  // Typing: from the key press itself, which the browser stamped before any script ran.
  state.editedAt = state.keyAt ?? performance.now();
  clearTimeout(state.engraving);
  compileSoon(); // the request goes first, the colours are painted while the server works
  paint();
}

function compileSoon() {
  if (state.inFlight) {
    state.dirty = true;
    return;
  }
  compileNow();
}

async function compileNow() {
  state.inFlight = true;
  state.dirty = false;
  const version = state.version;
  const editedAt = state.editedAt;
  try {
    const sent = performance.now();
    const reply = await fetch("/api/compile", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ source: editor.value, seed: state.seed }),
    });
    const answered = performance.now();
    const answer = await reply.json();
    const parsed = performance.now();
    show(answer, version, editedAt);
    const server = Number((reply.headers.get("Server-Timing") || "").split("dur=")[1]) || 0;
    if (answer.ok) timed(version, editedAt, { sent, answered, parsed, shown: performance.now(), server });
  } catch (error) {
    showProblems([{ message: `the playground server does not answer: ${error}` }]);
  }
  state.inFlight = false;
  if (state.dirty) compileSoon();
}

function show(answer, version, editedAt) {
  const problems = answer.error ? [{ message: answer.error }] : answer.diagnostics || [];
  state.diagnostics = problems;
  showProblems(problems);
  paint();
  const roll = $("piano-roll");
  if (!answer.ok) {
    roll.classList.add("stale");
    $("score").classList.add("stale");
    // The edit that broke the program stopped the engraving of the last good piece: it
    // follows when typing pauses, as for any piece.
    if (state.piece && $("score").dataset.version !== roll.dataset.version) {
      engraveSoon(state.piece, roll.dataset.version);
    }
    return;
  }
  state.piece = answer;
  state.shownSeed = answer.seed;
  roll.innerHTML = answer.svg;
  roll.classList.remove("stale");
  roll.dataset.version = String(version);
  $("seed").textContent = `seed ${answer.seed}`;
  $("summary").textContent = [answer.summary, ...answer.audio.map((gap) => `(${gap})`)].join(" ");
  $("canonical").textContent = answer.tune;
  $("plan").textContent = answer.plan;
  for (const [format, link] of Object.entries(answer.downloads)) {
    const a = $(`download-${format}`);
    a.href = link;
    a.setAttribute("download", link.split("/").pop());
    a.removeAttribute("aria-disabled");
  }
  for (const id of ["play", "stop", "next-seed"]) $(id).disabled = false;
  $("previous-seed").disabled = answer.seed === 0;
  engraveSoon(answer, String(version));
}

function engraveSoon(piece, version) {
  clearTimeout(state.engraving);
  const edits = state.edits;
  state.engraving = setTimeout(() => engrave(piece, version, edits), ENGRAVE_AFTER_MS);
}

// Where the time from the key press to the new piano roll on screen went, for the browser
// test: measured once the frame that shows it has been painted (a task queued from the
// animation frame runs after its paint).
function timed(version, editedAt, at) {
  requestAnimationFrame(() => setTimeout(() => {
    const painted = performance.now();
    window.tunecTimings = {
      waited: at.sent - editedAt, // for the request before it, and for highlighting
      server: at.server,
      network: at.answered - at.sent - at.server,
      json: at.parsed - at.answered,
      shown: at.shown - at.parsed, // the SVG put in the document
      painted: painted - at.shown, // its layout and paint
      total: painted - editedAt,
    };
    window.tunecLatency = painted - editedAt;
    window.tunecPainted = version;
  }, 0));
}

// The score: the piece's ABC, asked for only now (it is its "Download ABC" file), engraved by
// abcjs, unless the text was edited in the meantime (its piece engraves when typing pauses).
async function engrave(piece, version, edits) {
  const score = $("score");
  if (typeof ABCJS === "undefined") {
    score.textContent = "abcjs did not load";
    return;
  }
  let abc;
  try {
    const reply = await fetch(piece.downloads.abc);
    if (!reply.ok) throw new Error(`HTTP ${reply.status}`);
    abc = await reply.text();
  } catch (error) {
    score.textContent = `the score could not be engraved: ${error}`;
    return;
  }
  // Typing went on while the ABC came: engraving now would hold up the newer edit's piano roll.
  if (state.edits !== edits) return;
  ABCJS.renderAbc(score, abc, {
    responsive: "resize",
    add_classes: true,
    staffwidth: 860,
    wrap: { minSpacing: 1.6, maxSpacing: 2.6, preferredMeasuresPerLine: 4 },
  });
  score.classList.toggle("stale", $("piano-roll").classList.contains("stale"));
  score.dataset.version = version;
}

// --- Problems ------------------------------------------------------------------------------

function showProblems(problems) {
  const list = document.querySelector("#problems ul");
  list.replaceChildren();
  for (const problem of problems) {
    const item = document.createElement("li");
    const where = problem.line ? `line ${problem.line}, column ${problem.column}: ` : "";
    const code = problem.code ? `${problem.severity || "error"}[${problem.code}] ` : "";
    const hint = problem.hint ? ` (hint: ${problem.hint})` : "";
    item.textContent = `${where}${code}${problem.message}${hint}`;
    if (problem.line) {
      item.tabIndex = 0;
      item.addEventListener("click", () => goTo(problem.line, problem.column));
    }
    list.append(item);
  }
  $("problems").classList.toggle("clear", problems.length === 0);
}

function goTo(line, column) {
  const lines = editor.value.split("\n");
  let at = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
  const chars = Array.from(lines[line - 1] || "").slice(0, column - 1).join("");
  editor.focus();
  editor.setSelectionRange(at + chars.length, at + chars.length);
}

// --- Highlighting --------------------------------------------------------------------------

function learnVocabulary(words) {
  for (const [text, cls] of words) {
    const parts = text.split(" ");
    const list = state.phrases.get(parts[0]) || [];
    list.push([parts, cls]);
    state.phrases.set(parts[0], list);
  }
}

const PATTERNS = [
  [/"[^"]*"?/g, "string"],
  [/\b[A-G](?:#|b|♯|♭)?(?:-?\d)?(?![\w#])/g, "pitch"],
  [/\b[b#]?(?:VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)(?:°|7|maj7)?\b/g, "pitch"],
  [/\b\d+(?:\/\d+)?\b/g, "number"],
  [/(?<![\w])[xX.]{4,}(?![\w])/g, "grid"],
];

// The class of every character of `line`: strings, pitches, numbers, the vocabulary's words
// and the comment.
function classes(line) {
  const chars = Array.from(line);
  const cls = new Array(chars.length).fill("");
  const text = chars.join("");
  // Character offsets from UTF-16 offsets.
  const charAt = (utf16) => Array.from(text.slice(0, utf16)).length;
  const mark = (from, to, c) => {
    for (let i = from; i < to && i < cls.length; i++) if (!cls[i]) cls[i] = c;
  };
  const hash = commentStart(text);
  if (hash >= 0) mark(charAt(hash), chars.length, "comment");
  const words = [...text.matchAll(/[\p{L}'’-]+/gu)];
  for (let w = 0; w < words.length; w++) {
    const first = words[w][0].toLowerCase();
    for (const [parts, c] of state.phrases.get(first) || []) {
      const run = words.slice(w, w + parts.length);
      if (run.length === parts.length && run.every((m, k) => m[0].toLowerCase() === parts[k])) {
        const last = run[run.length - 1];
        mark(charAt(words[w].index), charAt(last.index + last[0].length), c);
        break;
      }
    }
  }
  for (const [pattern, c] of PATTERNS) {
    for (const m of text.matchAll(pattern)) mark(charAt(m.index), charAt(m.index + m[0].length), c);
  }
  return { chars, cls };
}

// Where the comment of `text` starts (UTF-16 offset), or -1: a `#` outside a title that does
// not continue a word (`C#` is a pitch), as the grammar reads it.
function commentStart(text) {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    if (text[i] === "#" && !quoted && !/[\w'#-]/.test(text[i - 1] || " ")) return i;
  }
  return -1;
}

// Marks of the problems on `lineNumber`: [from, to) in characters.
function problemMarks(lineNumber, length) {
  const marks = [];
  for (const problem of state.diagnostics) {
    for (const label of problem.labels || []) {
      if (label.line > lineNumber || label.end_line < lineNumber) continue;
      const from = label.line === lineNumber ? label.column - 1 : 0;
      const to = label.end_line === lineNumber ? label.end_column - 1 : length;
      marks.push([from, Math.max(to, from + 1)]);
    }
  }
  return marks;
}

const escapeHtml = (s) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);

function paint() {
  const html = editor.value.split("\n").map((line, i) => {
    const { chars, cls } = classes(line);
    const marks = problemMarks(i + 1, chars.length);
    const bad = (k) => marks.some(([from, to]) => k >= from && k < to);
    // A problem past the end of the line (a missing word) shows as one marked space.
    if (marks.some(([from]) => from >= chars.length)) {
      chars.push(" ");
      cls.push("");
    }
    let out = "";
    let k = 0;
    while (k < chars.length) {
      let end = k + 1;
      while (end < chars.length && cls[end] === cls[k] && bad(end) === bad(k)) end++;
      const names = [cls[k], bad(k) ? "problem" : ""].filter(Boolean).join(" ");
      const text = escapeHtml(chars.slice(k, end).join(""));
      out += names ? `<span class="${names}">${text}</span>` : text;
      k = end;
    }
    return out;
  });
  $("highlight").innerHTML = html.join("\n") + "\n";
  syncScroll();
}

function syncScroll() {
  const pre = $("highlight");
  pre.scrollTop = editor.scrollTop;
  pre.scrollLeft = editor.scrollLeft;
}

// --- Buttons -------------------------------------------------------------------------------

function stepSeed(by) {
  const from = state.shownSeed ?? 0;
  state.seed = Math.max(0, from + by);
  compileSoon();
}

function play() {
  if (!state.piece) return;
  const player = $("player");
  const link = state.piece.downloads.wav;
  if (!player.src.endsWith(link)) player.src = link;
  player.currentTime = 0;
  player.play().catch((error) => showProblems([{ message: `cannot play: ${error}` }]));
}

function stop() {
  const player = $("player");
  player.pause();
  player.currentTime = 0;
}

async function save() {
  const reply = await fetch("/api/save", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ source: editor.value }),
  });
  const answer = await reply.json();
  $("summary").textContent = answer.saved ? `saved ${answer.saved}` : answer.error;
}

async function start() {
  editor.addEventListener("keydown", (event) => { state.keyAt = event.timeStamp; });
  editor.addEventListener("keyup", () => { state.keyAt = null; });
  editor.addEventListener("input", edited);
  editor.addEventListener("scroll", syncScroll);
  $("play").addEventListener("click", play);
  $("stop").addEventListener("click", stop);
  $("previous-seed").addEventListener("click", () => stepSeed(-1));
  $("next-seed").addEventListener("click", () => stepSeed(1));
  $("save").addEventListener("click", save);
  $("player").addEventListener("error", () => {
    const player = $("player");
    if (player.src) showProblems([{ message: "the audio could not be played" }]);
  });
  const [first, vocabulary] = await Promise.all([
    fetch("/api/start").then((r) => r.json()),
    fetch("/api/vocabulary").then((r) => r.json()),
  ]);
  learnVocabulary(vocabulary.words);
  editor.value = first.source;
  $("save").hidden = !first.file;
  if (first.file) document.title = `${first.file} · tunec playground`;
  edited();
}

start();
