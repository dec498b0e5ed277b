//! The built-in synth: wavetable oscillators with envelopes per General MIDI family,
//! Karplus–Strong strings, a percussion kit of sine thumps and filtered noise, and a small
//! Freeverb-style room. Only exactly rounded arithmetic, so the same samples everywhere.

use std::collections::HashMap;
use std::sync::Arc;

use super::{BLOCK, Engine, Setup};
use crate::parts::DRUM_CHANNEL;

/// sin(2πx), x in turns, from a polynomial (error below 1e-7): the same bits everywhere.
fn sin_turns(x: f64) -> f64 {
    let mut t = x - x.round(); // −0.5 ..= 0.5
    if t > 0.25 {
        t = 0.5 - t;
    } else if t < -0.25 {
        t = -0.5 - t;
    }
    let y = t * std::f64::consts::TAU; // −π/2 ..= π/2
    let y2 = y * y;
    // Taylor series to y^13.
    let mut s = 1.0 / 6_227_020_800.0;
    s = s * -y2 + 1.0 / 39_916_800.0;
    s = s * -y2 + 1.0 / 362_880.0;
    s = s * -y2 + 1.0 / 5_040.0;
    s = s * -y2 + 1.0 / 120.0;
    s = s * -y2 + 1.0 / 6.0;
    s = s * -y2 + 1.0;
    y * s
}

/// 2^(k/12) for k in 0..12, written out so no platform `pow` is needed.
const SEMITONES: [f64; 12] = [
    1.0,
    1.059_463_094_359_295_3,
    1.122_462_048_309_373,
    1.189_207_115_002_721,
    1.259_921_049_894_873_2,
    1.334_839_854_170_034_4,
    std::f64::consts::SQRT_2,
    1.498_307_076_876_681_5,
    1.587_401_051_968_199_4,
    1.681_792_830_507_429,
    1.781_797_436_280_678_6,
    1.887_748_625_363_386_8,
];

/// The frequency of MIDI key `key` in Hz (A4 = 69 = 440 Hz).
fn frequency(key: u8) -> f64 {
    let above_c_minus_1 = key as i32; // key 0 is C−1 = 440 / 2^(69/12) Hz
    let octave = above_c_minus_1 / 12;
    let ratio = SEMITONES[(above_c_minus_1 % 12) as usize];
    // C−1 = 8.175798915643707 Hz; times 2^octave is exact.
    8.175_798_915_643_707 * ratio * (1u32 << octave) as f64
}

/// Per-sample factor that takes a level down by 60 dB in `seconds`.
fn decay_coefficient(seconds: f32, rate: f32) -> f32 {
    (1.0 - 6.907_755 / (seconds * rate).max(1.0)).max(0.0)
}

/// One-pole low-pass coefficient for a cutoff of `hz`.
fn one_pole(hz: f32, rate: f32) -> f32 {
    let w = std::f32::consts::TAU * hz / rate;
    w / (1.0 + w)
}

/// xorshift64*: the only noise source, seeded from the Score's seed.
#[derive(Clone, Debug)]
struct Noise(u64);

impl Noise {
    fn new(seed: u64) -> Noise {
        // SplitMix64 step so that nearby seeds give unrelated streams; never zero.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Noise((z ^ (z >> 31)) | 1)
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [−1, 1).
    fn sample(&mut self) -> f32 {
        ((self.next_u64() >> 40) as f32 / (1u64 << 23) as f32) - 1.0
    }
}

/// How a pitched General MIDI program sounds on the built-in synth.
#[derive(Clone, Copy, Debug)]
struct Timbre {
    id: u8,
    shape: Shape,
    /// Seconds from silence to full level.
    attack: f32,
    /// Seconds to fall 60 dB towards `sustain` after the attack.
    decay: f32,
    /// Level held while the note lasts, 0 to 1.
    sustain: f32,
    /// Seconds to fall 60 dB after the note ends.
    release: f32,
    /// Vibrato depth as a fraction of the frequency.
    vibrato: f32,
    gain: f32,
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Harmonic amplitudes, fundamental first.
    Harmonics(&'static [f32]),
    /// A plucked string (Karplus–Strong): brightness of the pluck (0–1) and ring time.
    Pluck { brightness: f32, ring: f32 },
}

const SINE: &[f32] = &[1.0];
const PIANO: &[f32] = &[1.0, 0.45, 0.3, 0.18, 0.12, 0.08, 0.06, 0.04, 0.03, 0.02];
const BELL: &[f32] = &[1.0, 0.0, 0.35, 0.0, 0.0, 0.2, 0.0, 0.0, 0.0, 0.1];
const ORGAN: &[f32] = &[1.0, 0.7, 0.45, 0.35, 0.0, 0.25, 0.0, 0.2];
const REED: &[f32] = &[
    1.0, 0.75, 0.6, 0.5, 0.45, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.08,
];
const SAW: &[f32] = &[
    1.0, 0.5, 0.333, 0.25, 0.2, 0.167, 0.143, 0.125, 0.111, 0.1, 0.091, 0.083, 0.077, 0.071, 0.067,
    0.0625, 0.059, 0.056, 0.053, 0.05,
];
const STRINGS: &[f32] = &[
    1.0, 0.6, 0.45, 0.3, 0.25, 0.2, 0.15, 0.12, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03,
];
const BRASS: &[f32] = &[
    1.0, 0.85, 0.7, 0.6, 0.5, 0.42, 0.35, 0.28, 0.22, 0.17, 0.13, 0.1,
];
const CLARINET: &[f32] = &[1.0, 0.0, 0.55, 0.0, 0.3, 0.0, 0.18, 0.0, 0.1, 0.0, 0.06];
const OBOE: &[f32] = &[0.6, 1.0, 0.8, 0.5, 0.4, 0.3, 0.2, 0.12, 0.08];
const FLUTE: &[f32] = &[1.0, 0.18, 0.07, 0.03];
const SQUARE: &[f32] = &[
    1.0, 0.0, 0.333, 0.0, 0.2, 0.0, 0.143, 0.0, 0.111, 0.0, 0.091, 0.0, 0.077,
];
const VOICE: &[f32] = &[1.0, 0.5, 0.25, 0.12, 0.06];

/// The built-in sound of General MIDI program `program` (1-based).
fn timbre(program: u8) -> Timbre {
    let held = |id, shape, attack, release, vibrato, gain| Timbre {
        id,
        shape: Shape::Harmonics(shape),
        attack,
        decay: 0.4,
        sustain: 0.85,
        release,
        vibrato,
        gain,
    };
    let struck = |id, shape, decay, gain| Timbre {
        id,
        shape: Shape::Harmonics(shape),
        attack: 0.004,
        decay,
        sustain: 0.0,
        release: 0.25,
        vibrato: 0.0,
        gain,
    };
    let plucked = |id, brightness, ring, gain| Timbre {
        id,
        shape: Shape::Pluck { brightness, ring },
        attack: 0.0,
        decay: 1.0,
        sustain: 1.0,
        release: 0.12,
        vibrato: 0.0,
        gain,
    };
    match program {
        1..=8 => struck(1, PIANO, 3.0, 0.5),
        9..=16 => struck(2, BELL, 1.8, 0.45),
        17..=21 => held(3, ORGAN, 0.01, 0.1, 0.0, 0.32),
        22..=24 => held(4, REED, 0.03, 0.1, 0.002, 0.3),
        25..=32 => plucked(5, 0.6, 3.0, 0.6),
        33..=38 => plucked(6, 0.45, 2.5, 0.9),
        39..=40 => held(7, SAW, 0.005, 0.08, 0.0, 0.4),
        46 | 47 => plucked(8, 0.6, 1.5, 0.6),
        48 => struck(9, SINE, 1.2, 0.8),
        41..=45 | 111 => held(10, STRINGS, 0.05, 0.2, 0.004, 0.4),
        53..=55 => held(11, VOICE, 0.15, 0.3, 0.004, 0.4),
        49..=56 => held(12, STRINGS, 0.15, 0.4, 0.003, 0.35),
        57..=64 => held(13, BRASS, 0.04, 0.12, 0.002, 0.32),
        69 | 70 => held(14, OBOE, 0.03, 0.1, 0.003, 0.35),
        72 => held(15, CLARINET, 0.03, 0.1, 0.002, 0.4),
        65..=71 => held(16, REED, 0.03, 0.1, 0.003, 0.32),
        73..=80 => held(17, FLUTE, 0.04, 0.12, 0.004, 0.5),
        81..=88 => held(18, SQUARE, 0.01, 0.1, 0.0, 0.3),
        89..=96 => held(19, SAW, 0.3, 0.6, 0.002, 0.3),
        105..=108 => plucked(20, 0.85, 2.0, 0.6),
        109 => struck(21, BELL, 1.0, 0.5),
        110 | 112 => held(22, OBOE, 0.02, 0.1, 0.002, 0.32),
        113..=120 => struck(23, BELL, 0.6, 0.5),
        _ => held(24, VOICE, 0.02, 0.2, 0.0, 0.4),
    }
}

/// How a General MIDI percussion key sounds: a pitched thump and/or filtered noise.
#[derive(Clone, Copy, Debug)]
struct Drum {
    tone: f32,
    /// Level of the tone, start and end frequency (Hz), seconds of the sweep, ring time.
    tone_from: f32,
    tone_to: f32,
    sweep: f32,
    tone_ring: f32,
    noise: f32,
    /// Band of the noise: high-pass and low-pass cutoffs in Hz, ring time.
    noise_high: f32,
    noise_low: f32,
    noise_ring: f32,
}

fn drum(key: u8) -> Drum {
    let thump = |from, to, ring, noise| Drum {
        tone: 1.0,
        tone_from: from,
        tone_to: to,
        sweep: 0.04,
        tone_ring: ring,
        noise,
        noise_high: 200.0,
        noise_low: 3000.0,
        noise_ring: 0.05,
    };
    let hiss = |level, high, low, ring| Drum {
        tone: 0.0,
        tone_from: 0.0,
        tone_to: 0.0,
        sweep: 0.01,
        tone_ring: 0.01,
        noise: level,
        noise_high: high,
        noise_low: low,
        noise_ring: ring,
    };
    let tone = |hz, ring, level| Drum {
        tone: level,
        tone_from: hz,
        tone_to: hz,
        sweep: 0.01,
        tone_ring: ring,
        noise: 0.05,
        noise_high: 1000.0,
        noise_low: 8000.0,
        noise_ring: 0.01,
    };
    match key {
        35 | 36 => thump(130.0, 48.0, 0.45, 0.25),
        37 => Drum {
            tone: 0.5,
            ..hiss(0.5, 1500.0, 8000.0, 0.04)
        }
        .with_tone(900.0, 0.04),
        38 | 40 => Drum {
            tone: 0.55,
            ..hiss(0.9, 800.0, 9000.0, 0.22)
        }
        .with_tone(200.0, 0.12),
        39 => hiss(0.9, 700.0, 4000.0, 0.18),
        41 | 43 | 45 | 47 | 48 | 50 => {
            let hz = 70.0 + (key - 41) as f32 * 16.0;
            thump(hz * 1.4, hz, 0.45, 0.15)
        }
        42 => hiss(0.45, 7000.0, 16000.0, 0.06),
        44 => hiss(0.35, 6000.0, 14000.0, 0.09),
        46 => hiss(0.45, 6000.0, 16000.0, 0.5),
        49 | 52 | 55 | 57 => hiss(0.5, 4000.0, 16000.0, 1.6),
        51 | 59 => Drum {
            tone: 0.12,
            ..hiss(0.3, 5000.0, 16000.0, 1.2)
        }
        .with_tone(3200.0, 0.9),
        53 => tone(2500.0, 1.0, 0.4),
        54 => hiss(0.45, 6000.0, 16000.0, 0.25),
        56 => tone(560.0, 0.3, 0.5),
        60..=64 => tone(460.0 - (key - 60) as f32 * 60.0, 0.22, 0.8),
        69 | 70 => hiss(0.4, 5000.0, 14000.0, 0.07),
        75 => tone(2500.0, 0.06, 0.6),
        76 | 77 => tone(if key == 76 { 1200.0 } else { 900.0 }, 0.08, 0.6),
        _ => hiss(0.35, 2000.0, 10000.0, 0.12),
    }
}

impl Drum {
    fn with_tone(self, hz: f32, ring: f32) -> Drum {
        Drum {
            tone_from: hz,
            tone_to: hz,
            tone_ring: ring,
            ..self
        }
    }
}

/// The built-in synth's level, to sit about as loud as a General MIDI SoundFont.
const EMBEDDED_GAIN: f32 = 1.5;

/// A single cycle of a waveform, `TABLE` samples plus one guard sample.
const TABLE: usize = 2048;

pub(super) struct Embedded {
    rate: f32,
    setups: [Setup; 16],
    voices: Vec<Voice>,
    tables: HashMap<(u8, usize), Arc<[f32]>>,
    noise: Noise,
    room: Room,
    dry_l: Vec<f32>,
    dry_r: Vec<f32>,
}

struct Voice {
    channel: u8,
    key: u8,
    released: bool,
    level: f32,
    amplitude: f32,
    gain_l: f32,
    gain_r: f32,
    attack_step: f32,
    decay: f32,
    sustain: f32,
    release: f32,
    attacking: bool,
    sound: Sound,
}

enum Sound {
    Table {
        table: Arc<[f32]>,
        phase: f64,
        step: f64,
        vibrato: f64,
        vibrato_phase: f64,
        vibrato_step: f64,
        age: u32,
        vibrato_delay: u32,
    },
    Pluck {
        line: Vec<f32>,
        write: usize,
        delay: f32,
        loss: f32,
        last: f32,
    },
    Drum {
        drum: Drum,
        phase: f64,
        /// Seconds per frame.
        period: f64,
        frequency: f32,
        sweep: f32,
        tone_level: f32,
        tone_decay: f32,
        noise_level: f32,
        noise_decay: f32,
        low: f32,
        high: f32,
        low_state: f32,
        high_state: f32,
        noise: Noise,
    },
}

impl Embedded {
    pub(super) fn new(rate: u32, seed: u64) -> Embedded {
        let setup = Setup {
            program: 1,
            volume: 0.8,
            pan: 0.0,
        };
        Embedded {
            rate: rate as f32,
            setups: [setup; 16],
            voices: Vec::new(),
            tables: HashMap::new(),
            noise: Noise::new(seed),
            room: Room::new(rate),
            dry_l: vec![0.0; BLOCK],
            dry_r: vec![0.0; BLOCK],
        }
    }

    /// A band-limited single cycle of `timbre` for `frequency`, built once and shared.
    fn table(&mut self, timbre: &Timbre, harmonics: &'static [f32], frequency: f64) -> Arc<[f32]> {
        let limit = (0.45 * self.rate as f64 / frequency).floor().max(1.0) as usize;
        let count = harmonics.len().min(limit);
        self.tables
            .entry((timbre.id, count))
            .or_insert_with(|| {
                let mut table = vec![0.0f32; TABLE + 1];
                let mut peak = 0.0f32;
                for (i, slot) in table.iter_mut().take(TABLE).enumerate() {
                    let mut sum = 0.0f64;
                    for (h, &a) in harmonics[..count].iter().enumerate() {
                        if a != 0.0 {
                            let turns = ((h + 1) * i % TABLE) as f64 / TABLE as f64;
                            sum += a as f64 * sin_turns(turns);
                        }
                    }
                    *slot = sum as f32;
                    peak = peak.max(slot.abs());
                }
                for s in &mut table {
                    *s /= peak.max(1e-9);
                }
                table[TABLE] = table[0];
                table.into()
            })
            .clone()
    }
}

/// Left and right gains for a pan position, constant power.
fn pan_gains(pan: f32) -> (f32, f32) {
    let p = (pan.clamp(-1.0, 1.0) + 1.0) / 2.0;
    ((1.0 - p).sqrt(), p.sqrt())
}

/// A drum hit: a swept tone and a band of noise, each dying away; its timbre a plain envelope.
fn drum_sound(key: u8, rate: f32, seed: u64) -> (Sound, Timbre) {
    let d = drum(key);
    let sound = Sound::Drum {
        drum: d,
        phase: 0.0,
        period: 1.0 / rate as f64,
        frequency: d.tone_from,
        sweep: decay_coefficient(d.sweep, rate),
        tone_level: d.tone,
        tone_decay: decay_coefficient(d.tone_ring, rate),
        noise_level: d.noise,
        noise_decay: decay_coefficient(d.noise_ring, rate),
        // At low sample rates the band moves down rather than closing.
        low: one_pole(d.noise_low.min(rate * 0.45), rate),
        high: one_pole(d.noise_high.min(rate * 0.25), rate),
        low_state: 0.0,
        high_state: 0.0,
        noise: Noise::new(seed),
    };
    let timbre = Timbre {
        id: 0,
        shape: Shape::Harmonics(SINE),
        attack: 0.0,
        decay: 1.0,
        sustain: 1.0,
        release: 10.0,
        vibrato: 0.0,
        gain: 0.7,
    };
    (sound, timbre)
}

/// A plucked string (Karplus–Strong): a delay line of filtered noise, `brightness` and
/// velocity `v` setting its first colour, `ring` seconds to fade.
fn pluck_sound(f: f64, rate: f32, seed: u64, (brightness, ring): (f32, f32), v: f32) -> Sound {
    let delay = ((rate as f64 / f) - 0.5).max(2.0) as f32;
    let length = delay as usize + 4;
    let mut noise = Noise::new(seed);
    let smooth = 1.0 - brightness * (0.4 + 0.6 * v);
    let mut line = Vec::with_capacity(length);
    let mut y = 0.0f32;
    for _ in 0..length {
        y += (1.0 - smooth) * (noise.sample() - y);
        line.push(y);
    }
    let mean = line.iter().sum::<f32>() / length as f32;
    let peak = line
        .iter()
        .map(|s| (s - mean).abs())
        .fold(1e-6f32, f32::max);
    for s in &mut line {
        *s = (*s - mean) / peak;
    }
    let periods = ring * f as f32;
    let loss = (1.0 - 6.907_755 / periods.max(8.0)).clamp(0.5, 0.9999);
    Sound::Pluck {
        line,
        write: 0,
        delay,
        loss,
        last: 0.0,
    }
}

impl Engine for Embedded {
    fn setup(&mut self, channel: u8, setup: Setup) {
        self.setups[channel as usize & 15] = setup;
    }

    fn note_on(&mut self, channel: u8, key: u8, velocity: u8) {
        let setup = self.setups[channel as usize & 15];
        let v = velocity as f32 / 127.0;
        let loudness = 0.2 + 0.8 * v * v;
        let (pan_l, pan_r) = pan_gains(setup.pan);
        let rate = self.rate;
        let seed = self.noise.next_u64();
        let (sound, timbre) = if channel == DRUM_CHANNEL {
            drum_sound(key, rate, seed)
        } else {
            let timbre = timbre(setup.program);
            let f = frequency(key);
            let sound = match timbre.shape {
                Shape::Harmonics(harmonics) => {
                    let table = self.table(&timbre, harmonics, f);
                    Sound::Table {
                        table,
                        phase: 0.0,
                        step: f * TABLE as f64 / rate as f64,
                        vibrato: timbre.vibrato as f64,
                        vibrato_phase: 0.0,
                        vibrato_step: 5.5 / rate as f64,
                        age: 0,
                        vibrato_delay: (0.25 * rate) as u32,
                    }
                }
                Shape::Pluck { brightness, ring } => {
                    pluck_sound(f, rate, seed, (brightness, ring), v)
                }
            };
            (sound, timbre)
        };
        let amplitude = EMBEDDED_GAIN * timbre.gain * loudness * setup.volume;
        let attack_frames = timbre.attack * rate;
        self.voices.push(Voice {
            channel,
            key,
            released: false,
            level: if attack_frames < 1.0 { 1.0 } else { 0.0 },
            amplitude,
            gain_l: pan_l,
            gain_r: pan_r,
            attack_step: 1.0 / attack_frames.max(1.0),
            decay: decay_coefficient(timbre.decay, rate),
            sustain: timbre.sustain,
            release: decay_coefficient(timbre.release, rate),
            attacking: attack_frames >= 1.0,
            sound,
        });
    }

    fn note_off(&mut self, channel: u8, key: u8) {
        if channel == DRUM_CHANNEL {
            return; // drums ring out on their own
        }
        for v in &mut self.voices {
            if v.channel == channel && v.key == key {
                v.released = true;
            }
        }
    }

    fn render(&mut self, left: &mut [f32], right: &mut [f32]) {
        let n = left.len();
        let dry_l = &mut self.dry_l[..n];
        let dry_r = &mut self.dry_r[..n];
        dry_l.fill(0.0);
        dry_r.fill(0.0);
        for voice in &mut self.voices {
            voice.render(dry_l, dry_r);
        }
        self.voices.retain(|v| !v.finished());
        self.room.process(dry_l, dry_r, left, right);
    }
}

impl Voice {
    fn finished(&self) -> bool {
        (self.released || self.sustain == 0.0) && !self.attacking && self.level < 1e-4
            || matches!(&self.sound, Sound::Drum { tone_level, noise_level, .. }
                if *tone_level < 1e-4 && *noise_level < 1e-4)
    }

    fn envelope(&mut self) -> f32 {
        if self.released {
            self.level *= self.release;
        } else if self.attacking {
            self.level += self.attack_step;
            if self.level >= 1.0 {
                self.level = 1.0;
                self.attacking = false;
            }
        } else {
            self.level = self.sustain + (self.level - self.sustain) * self.decay;
        }
        self.level
    }

    fn render(&mut self, left: &mut [f32], right: &mut [f32]) {
        for i in 0..left.len() {
            let envelope = self.envelope();
            let s = match &mut self.sound {
                Sound::Table {
                    table,
                    phase,
                    step,
                    vibrato,
                    vibrato_phase,
                    vibrato_step,
                    age,
                    vibrato_delay,
                } => {
                    let at = *phase as usize;
                    let frac = (*phase - at as f64) as f32;
                    let s = table[at] + (table[at + 1] - table[at]) * frac;
                    let mut inc = *step;
                    if *vibrato > 0.0 && *age > *vibrato_delay {
                        let depth = (*vibrato * (*age - *vibrato_delay) as f64
                            / *vibrato_delay as f64)
                            .min(*vibrato);
                        inc *= 1.0 + depth * sin_turns(*vibrato_phase);
                        *vibrato_phase += *vibrato_step;
                        if *vibrato_phase >= 1.0 {
                            *vibrato_phase -= 1.0;
                        }
                    }
                    *age = age.saturating_add(1);
                    *phase += inc;
                    while *phase >= TABLE as f64 {
                        *phase -= TABLE as f64;
                    }
                    s
                }
                Sound::Pluck {
                    line,
                    write,
                    delay,
                    loss,
                    last,
                } => {
                    let len = line.len();
                    let read = *write as f32 + len as f32 - *delay;
                    let at = read as usize;
                    let frac = read - at as f32;
                    let a = line[at % len];
                    let b = line[(at + 1) % len];
                    let y = a + (b - a) * frac;
                    let out = *loss * 0.5 * (y + *last);
                    *last = y;
                    line[*write] = out;
                    *write = (*write + 1) % len;
                    out
                }
                Sound::Drum {
                    drum,
                    phase,
                    period,
                    frequency,
                    sweep,
                    tone_level,
                    tone_decay,
                    noise_level,
                    noise_decay,
                    low,
                    high,
                    low_state,
                    high_state,
                    noise,
                } => {
                    let tone = *tone_level * sin_turns(*phase) as f32;
                    *frequency = drum.tone_to + (*frequency - drum.tone_to) * *sweep;
                    *phase += *frequency as f64 * *period;
                    if *phase >= 1.0 {
                        *phase -= 1.0;
                    }
                    *tone_level *= *tone_decay;
                    let x = noise.sample();
                    *low_state += *low * (x - *low_state);
                    *high_state += *high * (*low_state - *high_state);
                    let hiss = (*low_state - *high_state) * *noise_level;
                    *noise_level *= *noise_decay;
                    tone + hiss
                }
            };
            let s = s * envelope * self.amplitude;
            left[i] += s * self.gain_l;
            right[i] += s * self.gain_r;
        }
    }
}

/// A small room: Freeverb's four shortest combs and two all-passes per side, mixed lightly
/// under the dry sound.
struct Room {
    combs: [[Comb; 4]; 2],
    allpasses: [[Allpass; 2]; 2],
}

const ROOM_WET: f32 = 0.22;
const ROOM_INPUT: f32 = 0.06;

struct Comb {
    line: Vec<f32>,
    at: usize,
    store: f32,
}

impl Comb {
    fn process(&mut self, x: f32) -> f32 {
        const FEEDBACK: f32 = 0.78;
        const DAMP: f32 = 0.3;
        let y = self.line[self.at];
        self.store = y * (1.0 - DAMP) + self.store * DAMP;
        self.line[self.at] = x + self.store * FEEDBACK;
        self.at = (self.at + 1) % self.line.len();
        y
    }
}

struct Allpass {
    line: Vec<f32>,
    at: usize,
}

impl Allpass {
    fn process(&mut self, x: f32) -> f32 {
        let b = self.line[self.at];
        self.line[self.at] = x + b * 0.5;
        self.at = (self.at + 1) % self.line.len();
        b - x
    }
}

impl Room {
    fn new(rate: u32) -> Room {
        let scaled = |frames: usize| (frames * rate as usize / 44_100).max(1);
        let comb = |frames| Comb {
            line: vec![0.0; scaled(frames)],
            at: 0,
            store: 0.0,
        };
        let allpass = |frames| Allpass {
            line: vec![0.0; scaled(frames)],
            at: 0,
        };
        const SPREAD: usize = 23;
        let side = |s: usize| {
            (
                [
                    comb(1116 + s),
                    comb(1188 + s),
                    comb(1277 + s),
                    comb(1356 + s),
                ],
                [allpass(556 + s), allpass(441 + s)],
            )
        };
        let (cl, al) = side(0);
        let (cr, ar) = side(SPREAD);
        Room {
            combs: [cl, cr],
            allpasses: [al, ar],
        }
    }

    /// Writes dry plus room sound into `left` and `right`.
    fn process(&mut self, dry_l: &[f32], dry_r: &[f32], left: &mut [f32], right: &mut [f32]) {
        for i in 0..dry_l.len() {
            let input = (dry_l[i] + dry_r[i]) * ROOM_INPUT;
            let mut wet = [0.0f32; 2];
            for (side, w) in wet.iter_mut().enumerate() {
                let mut y = 0.0;
                for comb in &mut self.combs[side] {
                    y += comb.process(input);
                }
                for allpass in &mut self.allpasses[side] {
                    y = allpass.process(y);
                }
                *w = y;
            }
            left[i] += dry_l[i] + wet[0] * ROOM_WET;
            right[i] += dry_r[i] + wet[1] * ROOM_WET;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polynomial_sine_is_accurate() {
        for i in 0..=1000 {
            let x = i as f64 / 1000.0 * 3.0 - 1.0;
            let err = (sin_turns(x) - (x * std::f64::consts::TAU).sin()).abs();
            assert!(err < 2e-7, "sin({x} turns) off by {err}");
        }
    }

    #[test]
    fn frequencies_are_equal_tempered() {
        assert!((frequency(69) - 440.0).abs() < 1e-9);
        assert!((frequency(60) - 261.625_565_300_598_6).abs() < 1e-9);
        for key in 0..127u8 {
            let ratio = frequency(key + 1) / frequency(key);
            assert!((ratio - 2f64.powf(1.0 / 12.0)).abs() < 1e-12);
        }
    }

    #[test]
    fn noise_is_uniform_enough() {
        let mut n = Noise::new(7);
        let xs: Vec<f32> = (0..10_000).map(|_| n.sample()).collect();
        assert!(xs.iter().all(|x| (-1.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f32>() / xs.len() as f32;
        assert!(mean.abs() < 0.03, "{mean}");
    }
}
