//! Audio: the Score played into a WAV file, 16-bit stereo, 44.1 kHz by default.
//!
//! Two synthesizers play the same event list:
//! - a General MIDI SoundFont through `rustysynth` (pure Rust), when one is given or installed
//!   in a usual place ([`SOUNDFONT_PLACES`]);
//! - otherwise the built-in synth: wavetable oscillators with envelopes per General MIDI
//!   family, Karplus–Strong strings for plucked instruments, a percussion kit of sine thumps
//!   and filtered noise for channel 10, and a small Freeverb-style room.
//!
//! Same Score + same settings → the same samples. Nothing runs in parallel; the only
//! randomness is a xorshift generator seeded from the Score's seed. The built-in synth uses
//! only `+ − × ÷`, `sqrt`, `floor` and `round` (all exactly rounded in IEEE 754), with sines
//! from a polynomial, so its samples are the same on every platform; a SoundFont render is
//! repeatable on one platform (rustysynth calls the platform's `exp` and `pow`).
//!
//! A SoundFont that has no sample for some notes of a part's program would play them as
//! silence; those notes go to a spare channel playing the nearest program that has them
//! ([`coverage`]).
//!
//! The file lasts the piece's playing time plus [`TAIL_SECONDS`] for the last notes to ring
//! out. Mixing uses a fixed gain and a soft limiter, so the audio streams out block by block
//! and a loud moment never changes the level of the rest.

pub mod coverage;
mod embedded;
mod soundfont;

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Arc;

use rustysynth::SoundFont;

use crate::score::Score;
use crate::theory::meter::TICKS_PER_QUARTER;

use embedded::Embedded;
pub use soundfont::SOUNDFONT_PLACES;
use soundfont::SoundFontEngine;

/// The sample rate of `tunec --emit wav`.
pub const SAMPLE_RATE: u32 = 44_100;
/// Seconds of audio after the last bar line, for the last notes (and the room) to ring out.
pub const TAIL_SECONDS: f64 = 1.5;
/// The longest audio tunec renders, in seconds (the file is built in memory).
pub const MAX_SECONDS: u32 = 20 * 60;

/// Frames rendered between checks for events and progress reports.
const BLOCK: usize = 512;
/// Gain from the synth's mix to full scale, before the soft limiter.
const MASTER_GAIN: f32 = 0.9;

/// Which synthesizer plays the notes.
#[derive(Clone)]
pub enum Synth {
    /// The built-in oscillators: always available, the same samples everywhere.
    Embedded,
    /// A General MIDI SoundFont played by rustysynth.
    SoundFont { font: Arc<SoundFont>, path: PathBuf },
}

impl std::fmt::Debug for Synth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Synth {
    /// `built-in synth` or `SoundFont /usr/share/sounds/sf2/TimGM6mb.sf2`.
    pub fn describe(&self) -> String {
        match self {
            Synth::Embedded => "built-in synth".into(),
            Synth::SoundFont { path, .. } => format!("SoundFont {}", path.display()),
        }
    }
}

/// How to render: the sample rate and the synthesizer.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Frames per second: 8000–192000 for the built-in synth, 16000–192000 for a SoundFont.
    pub sample_rate: u32,
    pub synth: Synth,
}

impl Default for Settings {
    /// 44.1 kHz with the built-in synth.
    fn default() -> Settings {
        Settings {
            sample_rate: SAMPLE_RATE,
            synth: Synth::Embedded,
        }
    }
}

/// The bytes of a 16-bit stereo WAV file of `score`.
pub fn render(score: &Score, settings: &Settings) -> Result<Vec<u8>, String> {
    render_with_progress(score, settings, &mut |_| {})
}

/// Like [`render`], calling `progress` with the fraction done (0 to 1) now and then.
pub fn render_with_progress(
    score: &Score,
    settings: &Settings,
    progress: &mut dyn FnMut(f64),
) -> Result<Vec<u8>, String> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: settings.sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let frames = frames(score, settings)?;
    let mut bytes = Cursor::new(Vec::with_capacity(44 + frames as usize * 4));
    let mut writer = hound::WavWriter::new(&mut bytes, spec).map_err(|e| e.to_string())?;
    let mut ints = writer.get_i16_writer(frames as u32 * 2);
    play(score, settings, progress, &mut |l, r| {
        ints.write_sample(l);
        ints.write_sample(r);
    })?;
    ints.flush().map_err(|e| e.to_string())?;
    writer.finalize().map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}

/// The audio as interleaved stereo samples (left, right, left, …).
pub fn samples(
    score: &Score,
    settings: &Settings,
    progress: &mut dyn FnMut(f64),
) -> Result<Vec<i16>, String> {
    let mut out = Vec::with_capacity(frames(score, settings)? as usize * 2);
    play(score, settings, progress, &mut |l, r| {
        out.push(l);
        out.push(r);
    })?;
    Ok(out)
}

/// How many frames the audio of `score` lasts: the piece, then the tail. Checks the settings.
fn frames(score: &Score, settings: &Settings) -> Result<u64, String> {
    let rate = settings.sample_rate;
    let lowest = match settings.synth {
        Synth::Embedded => 8_000,
        Synth::SoundFont { .. } => 16_000,
    };
    if !(lowest..=192_000).contains(&rate) {
        return Err(format!(
            "a sample rate of {rate} Hz is out of range ({lowest}–192000)"
        ));
    }
    if score.seconds() > MAX_SECONDS as f64 {
        return Err(format!(
            "the piece plays for {}, and tunec renders at most {} minutes of audio",
            super::duration(score),
            MAX_SECONDS / 60
        ));
    }
    let clock = Clock::new(score, rate);
    Ok(clock.frame(score.total_ticks()) + (TAIL_SECONDS * rate as f64) as u64)
}

/// Plays `score`, handing each frame (left, right) to `sink` in order.
fn play(
    score: &Score,
    settings: &Settings,
    progress: &mut dyn FnMut(f64),
    sink: &mut dyn FnMut(i16, i16),
) -> Result<(), String> {
    let total = frames(score, settings)?;
    let rate = settings.sample_rate;
    let mut engine: Box<dyn Engine> = match &settings.synth {
        Synth::Embedded => Box::new(Embedded::new(rate, score.seed)),
        Synth::SoundFont { font, .. } => Box::new(SoundFontEngine::new(font, rate)?),
    };
    let clock = Clock::new(score, rate);
    let routes = match &settings.synth {
        Synth::SoundFont { font, .. } => Routes::new(score, &coverage::gaps(font, score)),
        Synth::Embedded => Routes::default(),
    };
    let events = events(score, &clock, &routes);
    for (channel, setup) in routes.setups(channel_setups(score)) {
        engine.setup(channel, setup);
    }
    // The last 50 ms fade to silence, so a note still ringing at the end does not click.
    let fade = (rate as u64 / 20).min(total);
    let played = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (mut left, mut right) = (vec![0.0f32; BLOCK], vec![0.0f32; BLOCK]);
        let mut now = 0u64;
        let mut next = 0;
        let mut reported = 0u64;
        progress(0.0);
        while now < total {
            while next < events.len() && events[next].frame <= now {
                let e = events[next];
                match e.velocity {
                    0 => engine.note_off(e.channel, e.key),
                    v => engine.note_on(e.channel, e.key, v),
                }
                next += 1;
            }
            let until = events.get(next).map_or(total, |e| e.frame.min(total));
            let n = (until - now).min(BLOCK as u64) as usize;
            left[..n].fill(0.0);
            right[..n].fill(0.0);
            engine.render(&mut left[..n], &mut right[..n]);
            for i in 0..n {
                let remaining = total - (now + i as u64) - 1;
                let gain = if remaining < fade {
                    remaining as f32 / fade as f32
                } else {
                    1.0
                };
                sink(to_i16(left[i] * gain), to_i16(right[i] * gain));
            }
            now += n as u64;
            if now - reported >= rate as u64 {
                reported = now;
                progress(now as f64 / total as f64);
            }
        }
        progress(1.0);
    }));
    played.map_err(|_| match &settings.synth {
        Synth::SoundFont { path, .. } => format!("the SoundFont {} failed to play", path.display()),
        Synth::Embedded => "the built-in synth failed".to_string(),
    })
}

/// Full scale with a soft knee above half scale, so peaks bend instead of clipping.
fn to_i16(x: f32) -> i16 {
    const KNEE: f32 = 0.5;
    let x = x * MASTER_GAIN;
    let a = x.abs();
    let y = if a <= KNEE {
        a
    } else {
        let r = (a - KNEE) / (1.0 - KNEE);
        KNEE + (1.0 - KNEE) * r / (1.0 + r)
    };
    (y.copysign(x) * 32767.0).round() as i16
}

/// Ticks to frames: exact integer arithmetic from the tempo in µs per quarter (changing where a
/// section changes it), with swing played as the MIDI file plays it.
struct Clock<'a> {
    score: &'a Score,
    /// From each tick where the tempo changes (the first at 0), µs per quarter.
    tempi: Vec<(u32, u128)>,
    rate: u128,
}

impl Clock<'_> {
    fn new(score: &Score, rate: u32) -> Clock<'_> {
        let first = (0, score.meter.micros_per_quarter(score.tempo) as u128);
        let changes = score.changes.iter().filter_map(|(bar, c)| match c {
            crate::score::Change::Tempo(bpm) => Some((
                score.bar_start(*bar),
                score.meter_at(*bar).micros_per_quarter(*bpm) as u128,
            )),
            _ => None,
        });
        Clock {
            score,
            tempi: std::iter::once(first).chain(changes).collect(),
            rate: rate as u128,
        }
    }

    fn frame(&self, tick: u32) -> u64 {
        let tick = self.score.performed(tick);
        let ends = self.tempi.iter().skip(1).map(|t| t.0).chain([u32::MAX]);
        let micro_ticks: u128 = (self.tempi.iter().zip(ends))
            .filter(|((from, _), _)| *from < tick)
            .map(|((from, micros), to)| (tick.min(to) - from) as u128 * micros)
            .sum();
        (micro_ticks * self.rate / (TICKS_PER_QUARTER as u128 * 1_000_000)) as u64
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    frame: u64,
    /// 0: note-off. Offs sort before ons at the same frame.
    velocity: u8,
    channel: u8,
    key: u8,
}

/// Where the notes a part's program cannot sound are played instead: for each gap with a
/// stand-in, a spare channel (one no part uses, nor the drums') playing the stand-in.
#[derive(Default)]
struct Routes {
    /// (the part's channel, its silent keys, the spare channel, the stand-in program)
    moved: Vec<(u8, Vec<u8>, u8, u8)>,
}

impl Routes {
    fn new(score: &Score, gaps: &[coverage::Gap]) -> Routes {
        let used = |c: u8| c == 9 || score.parts.iter().any(|p| p.channel == c);
        let mut spare = (0..16u8).filter(|&c| !used(c));
        let moved = (gaps.iter())
            .filter_map(|g| Some((g.channel, g.keys.clone(), spare.next()?, g.stand_in?)))
            .collect();
        Routes { moved }
    }

    /// The channel that plays `key` of the part on `channel`.
    fn channel(&self, channel: u8, key: u8) -> u8 {
        (self.moved.iter())
            .find(|(c, keys, _, _)| *c == channel && keys.contains(&key))
            .map_or(channel, |&(_, _, spare, _)| spare)
    }

    /// `setups` and a setup for each spare channel: its part's level and place, the stand-in.
    fn setups(&self, mut setups: Vec<(u8, Setup)>) -> Vec<(u8, Setup)> {
        for &(channel, _, spare, program) in &self.moved {
            if let Some(&(_, setup)) = setups.iter().find(|(c, _)| *c == channel) {
                setups.push((spare, Setup { program, ..setup }));
            }
        }
        setups
    }
}

fn events(score: &Score, clock: &Clock, routes: &Routes) -> Vec<Event> {
    let mut events = Vec::with_capacity(score.note_count() * 2);
    for part in &score.parts {
        for note in &part.notes {
            let (start, end) = (clock.frame(note.start), clock.frame(note.end()));
            let key = note.pitch.0.min(127);
            let channel = routes.channel(part.channel, key);
            events.push(Event {
                frame: start,
                velocity: note.velocity.clamp(1, 127),
                channel,
                key,
            });
            events.push(Event {
                frame: end.max(start + 1),
                velocity: 0,
                channel,
                key,
            });
        }
    }
    events.sort_unstable();
    events
}

/// What a channel plays and how it sits in the mix.
#[derive(Clone, Copy, Debug)]
struct Setup {
    /// General MIDI program, 1-based.
    program: u8,
    /// 0 to 1.
    volume: f32,
    /// −1 (left) to 1 (right).
    pan: f32,
}

/// One setup per channel used: parts that play chords are quieter per note, so that every
/// part is about as loud as the others; the melody sits in the middle, the others around it.
fn channel_setups(score: &Score) -> Vec<(u8, Setup)> {
    let mut setups: Vec<(u8, Setup)> = Vec::new();
    let mut others = 0;
    for part in &score.parts {
        if setups.iter().any(|(c, _)| *c == part.channel) {
            continue;
        }
        let pan = match part.name() {
            "melody" | "bass" => 0.0,
            "drums" => 0.15,
            _ => {
                others += 1;
                if others % 2 == 1 { -0.35 } else { 0.35 }
            }
        };
        let lead = if part.name() == "melody" { 1.0 } else { 0.8 };
        let volume = lead / polyphony(&part.notes).sqrt();
        setups.push((
            part.channel,
            Setup {
                program: part.program.clamp(1, 128),
                volume,
                pan,
            },
        ));
    }
    setups
}

/// The average number of notes sounding together, counted at note starts.
fn polyphony(notes: &[crate::score::Note]) -> f32 {
    if notes.is_empty() {
        return 1.0;
    }
    let mut starts = 0usize;
    let mut groups = 0usize;
    let mut i = 0;
    while i < notes.len() {
        let j = notes[i..]
            .iter()
            .position(|n| n.start != notes[i].start)
            .map_or(notes.len(), |k| i + k);
        starts += j - i;
        groups += 1;
        i = j;
    }
    (starts as f32 / groups as f32).max(1.0)
}

/// A synthesizer the event loop drives.
trait Engine {
    fn setup(&mut self, channel: u8, setup: Setup);
    fn note_on(&mut self, channel: u8, key: u8, velocity: u8);
    fn note_off(&mut self, channel: u8, key: u8);
    /// Adds the next `left.len()` frames into `left` and `right` (which start at zero).
    fn render(&mut self, left: &mut [f32], right: &mut [f32]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_is_transparent_below_the_knee_and_never_clips() {
        assert_eq!(to_i16(0.0), 0);
        assert_eq!(
            to_i16(0.25 / MASTER_GAIN),
            (0.25f32 * 32767.0).round() as i16
        );
        assert!(to_i16(100.0) < i16::MAX && to_i16(-100.0) > -i16::MAX);
    }
}
