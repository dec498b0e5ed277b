// Drives the tunec playground (`tunec serve`) in headless Chromium with playwright-core, as a
// musician would: types a prompt, sees the piano roll and the score, makes a typo and fixes it,
// plays, steps the seed, downloads the MIDI, and times recompiles of a 32-bar tune.
//
// Run by tests/playground.rs (`cargo test --test playground -- --ignored`), which starts the
// server and checks what this prints on stdout as JSON. Environment:
//   TUNEC_URL          the playground's address (required)
//   TUNEC_OUT          a folder for the downloaded MIDI file (required)
//   TUNEC_SCREENSHOTS  a folder for screenshots of the page (optional)
//   CHROMIUM           the browser (default /usr/bin/chromium)
"use strict";

const assert = require("node:assert/strict");
const path = require("node:path");
const { chromium } = require("playwright-core");

const url = process.env.TUNEC_URL;
const out = process.env.TUNEC_OUT;
const shots = process.env.TUNEC_SCREENSHOTS;
const WAIT = { timeout: 60_000 };
// How many keystrokes the recompile latency is measured over.
const KEYSTROKES = 20;

const FIRST = "jig in G, 16 bars\nmelody: fiddle, mostly stepwise\n";
const THIRTY_TWO_BARS =
  'title "The Kettle on the Hob"\nlively jig in G major, form AABB, 32 bars\n' +
  "melody: tin whistle, mostly stepwise, ends on the tonic\ncounter-melody: flute\n" +
  "section B: louder\n# typing here recompiles: ";

// Waits until the page has shown the newest text: the piano roll is from the newest edit, or
// the problems are.
async function settled(page) {
  await page.waitForFunction(
    () => !state.inFlight && !state.dirty && (state.diagnostics.length > 0 ||
      document.getElementById("piano-roll").dataset.version === String(state.version)),
    null,
    WAIT,
  );
}

// Replaces the editor's text as typing would (one input event).
async function setSource(page, text) {
  await page.getByRole("textbox", { name: "tune source" }).fill(text);
  await settled(page);
}

// The piano roll's notes as one string: their places and lengths.
function rollNotes(page) {
  return page.getByRole("region", { name: "piano roll" }).locator("rect.note").evaluateAll(
    (rects) => rects.map((r) => ["x", "y", "width"].map((a) => r.getAttribute(a)).join(",")).join(" "),
  );
}

// Waits until the score is engraved from the piece the piano roll shows (it follows once typing
// pauses), so that no check or picture sees the score of an earlier program.
async function scoreFollowed(page) {
  await page.waitForFunction(
    () => document.getElementById("score").dataset.version ===
      document.getElementById("piano-roll").dataset.version,
    null,
    WAIT,
  );
}

async function problems(page) {
  return page.getByRole("region", { name: "problems" }).locator("li").allTextContents();
}

async function notesShown(page, result) {
  await setSource(page, FIRST);
  const roll = page.getByRole("region", { name: "piano roll" });
  const score = page.getByRole("region", { name: "score" });
  await scoreFollowed(page);
  assert.match(await score.locator(".abcjs-title").first().textContent(), /^tune$/);
  result.rollNotes = await roll.locator("rect.note").count();
  result.scoreNotes = await score.locator(".abcjs-note").count();
  assert.ok(result.rollNotes > 50, `piano roll notes: ${result.rollNotes}`);
  assert.ok(result.scoreNotes > 20, `score notes: ${result.scoreNotes}`);
  assert.deepEqual(await problems(page), []);
}

async function typoShownAndFixed(page, result) {
  const editor = page.getByRole("textbox", { name: "tune source" });
  await editor.press("Control+End");
  await editor.pressSequentially("counter-melody: flute, stepwize");
  await settled(page);
  const listed = await problems(page);
  result.typo = listed;
  assert.equal(listed.length, 1, JSON.stringify(listed));
  assert.match(listed[0], /^line 3, column 24: error\[E0101\] unknown word `stepwize`/);
  const marked = await page.locator("#highlight .problem").allTextContents();
  assert.deepEqual(marked, ["stepwize"]);
  await scoreFollowed(page);
  if (shots) await page.screenshot({ path: path.join(shots, "playground-problem.png") });
  await editor.press("Backspace");
  await editor.press("Backspace");
  await editor.pressSequentially("se");
  await settled(page);
  assert.deepEqual(await problems(page), []);
  assert.equal(await page.locator("#highlight .problem").count(), 0);
}

async function plays(page, result) {
  await page.getByRole("button", { name: "Play" }).click();
  await page.waitForFunction(() => {
    const player = document.getElementById("player");
    return !player.paused && player.currentTime > 0.3;
  }, null, WAIT);
  result.played = await page.evaluate(() => {
    const player = document.getElementById("player");
    return { currentTime: player.currentTime, duration: player.duration, paused: player.paused };
  });
  await page.getByRole("button", { name: "Stop" }).click();
  assert.equal(await page.evaluate(() => document.getElementById("player").paused), true);
}

async function seedsStep(page, result) {
  const before = await rollNotes(page);
  const firstSeed = await page.locator("#seed").textContent();
  await page.getByRole("button", { name: "Next seed" }).click();
  await page.waitForFunction((s) => document.getElementById("seed").textContent !== s, firstSeed, WAIT);
  await settled(page);
  const after = await rollNotes(page);
  result.seeds = [firstSeed, await page.locator("#seed").textContent()];
  assert.notEqual(after, before, "the next seed gives other notes");
  await page.getByRole("button", { name: "Previous seed" }).click();
  await page.waitForFunction((s) => document.getElementById("seed").textContent === s, firstSeed, WAIT);
  await settled(page);
  assert.equal(await rollNotes(page), before, "the previous seed gives the same notes back");
  await page.getByRole("button", { name: "Next seed" }).click();
  await page.waitForFunction((s) => document.getElementById("seed").textContent !== s, firstSeed, WAIT);
  await settled(page);
}

async function midiDownloaded(page, result) {
  const [download] = await Promise.all([
    page.waitForEvent("download", WAIT),
    page.getByRole("link", { name: "Download MIDI" }).click(),
  ]);
  result.midi = path.join(out, download.suggestedFilename());
  await download.saveAs(result.midi);
  result.midiSeed = Number((await page.locator("#seed").textContent()).replace("seed ", ""));
  result.source = await page.getByRole("textbox", { name: "tune source" }).inputValue();
}

// Keystroke to piano roll, for a 32-bar five-part tune: in the page (from the key press as the
// browser stamped it to the painted frame that shows the new piano roll) and from here (key
// press sent to the new roll seen). Every keystroke is a whole recompile on the server (it
// keeps no result to reuse), though it types in a comment so that every version composes.
async function recompileLatency(page, result) {
  await setSource(page, THIRTY_TWO_BARS);
  const summary = await page.locator("#summary").textContent();
  assert.match(summary, /32 bars/);
  result.latency = { page: [], outside: [], timings: [], summary };
  for (let i = 0; i < KEYSTROKES; i++) {
    const version = await page.evaluate(() => state.version);
    const start = Date.now();
    await page.keyboard.type("x");
    await page.waitForFunction((v) => (window.tunecPainted ?? -1) > v, version, WAIT);
    result.latency.outside.push(Date.now() - start);
    result.latency.page.push(await page.evaluate(() => window.tunecLatency));
    result.latency.timings.push(await page.evaluate(() => window.tunecTimings));
    await settled(page);
  }
  // The score follows once typing pauses.
  await page.waitForFunction(
    () => document.getElementById("score").dataset.version === String(state.version), null, WAIT);
  result.legible = await legible(page);
  if (shots) {
    await page.screenshot({ path: path.join(shots, "playground.png") });
    // The score, below the piano roll: its first 900 pixels.
    const box = await page.getByRole("region", { name: "score" }).boundingBox();
    await page.screenshot({
      path: path.join(shots, "playground-score.png"),
      fullPage: true,
      clip: { x: box.x - 10, y: box.y - 10, width: box.width + 20, height: 900 },
    });
  }
}

// The piano roll's words as drawn on the page: the smallest height, in CSS pixels, of its
// legend entries, bar numbers and drum names. Scaled down to fit the column they were 5 px.
async function legible(page) {
  const heights = await page.evaluate(() => {
    const smallest = (selector) => Math.min(...Array.from(
      document.querySelectorAll(`#piano-roll ${selector}`), (t) => t.getBoundingClientRect().height));
    return {
      legend: smallest(".legend text"), barNumbers: smallest(".bar-number"),
      drumNames: smallest(".drum-name"),
    };
  });
  for (const [what, height] of Object.entries(heights)) {
    assert.ok(height >= 9, `the piano roll's ${what} are ${height.toFixed(1)} px high`);
  }
  return heights;
}

async function main() {
  assert.ok(url && out, "set TUNEC_URL and TUNEC_OUT");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
  });
  const result = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.on("pageerror", (error) => { result.pageErrors = [...(result.pageErrors || []), String(error)]; });
    await page.goto(url);
    await page.getByRole("textbox", { name: "tune source" }).focus();
    await settled(page);
    await notesShown(page, result);
    await typoShownAndFixed(page, result);
    await plays(page, result);
    await seedsStep(page, result);
    await midiDownloaded(page, result);
    await recompileLatency(page, result);
    assert.equal(result.pageErrors, undefined, "no script errors on the page");
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
