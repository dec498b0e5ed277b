//! Benchmarks of each pipeline stage on a typical tune, of long pieces, and of variations.
//!
//! `cargo bench --bench compile`; the figures are recorded in docs/performance.md.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use tunec::{Options, compile, compose_plan, plan_of, render, syntax};

/// A constraint-heavy tune: 32 bars, four parts, the user's chords, and the melodic constraints
/// that cost the sampler the most (a count and a leap limit in an AABB form).
const HEAVY: &str = include_str!("heavy_reel.tune");

/// The typical tune: a 32-bar reel with the style's four parts and nothing else asked.
const TYPICAL: &str = include_str!("typical_reel.tune");

/// A 10-line prompt in English (chat sentences and a spec sheet): reading it must stay fast.
const ENGLISH: &str = include_str!("english_prompt.tune");

fn long_tune(bars: u32) -> String {
    format!(
        "folk tune in D major, {bars} bars\nmelody: mostly stepwise, no leaps larger than a fifth, ends on the tonic\n"
    )
}

fn stages(c: &mut Criterion) {
    let options = Options::new().seed(1).name("bench");
    let mut group = c.benchmark_group("32-bar reel");
    group.bench_function("parse", |b| b.iter(|| syntax::parse(black_box(TYPICAL)).0));
    let (program, _) = syntax::parse(TYPICAL);
    group.bench_function("resolve", |b| {
        b.iter(|| tunec::resolve::resolve(black_box(&program), TYPICAL, None).unwrap())
    });
    let plan = plan_of(TYPICAL).unwrap();
    group.bench_function("10-line English prompt, parse and resolve", |b| {
        b.iter(|| plan_of(black_box(ENGLISH)).unwrap())
    });
    group.bench_function("10-line English prompt, parse", |b| {
        b.iter(|| syntax::parse(black_box(ENGLISH)).0)
    });
    group.bench_function("compose and check", |b| {
        b.iter(|| compose_plan(black_box(&plan), 1, "bench").unwrap())
    });
    let compiled = compile(TYPICAL, &options).unwrap();
    group.bench_function("render midi", |b| {
        b.iter(|| render::midi::render(black_box(compiled.score())))
    });
    group.bench_function("render text", |b| {
        b.iter(|| render::text::render(black_box(compiled.score())))
    });
    group.bench_function("whole pipeline to midi", |b| {
        b.iter(|| render::midi::render(compile(black_box(TYPICAL), &options).unwrap().score()))
    });
    group.bench_function("heavy reel, whole pipeline to midi", |b| {
        b.iter(|| render::midi::render(compile(black_box(HEAVY), &options).unwrap().score()))
    });
    group.finish();
}

fn lengths(c: &mut Criterion) {
    let mut group = c.benchmark_group("length");
    group.sample_size(10);
    for bars in [100u32, 1_000, 10_000] {
        let source = long_tune(bars);
        let options = Options::new().seed(1).name("bench");
        group.throughput(Throughput::Elements(bars as u64));
        group.bench_with_input(BenchmarkId::from_parameter(bars), &source, |b, source| {
            b.iter(|| render::midi::render(compile(black_box(source), &options).unwrap().score()))
        });
    }
    group.finish();
}

/// Forms of thousands of sections (issue 14: linear in sections, each under 1.5 s): 10,000
/// one-bar sections, and ABAC 2,500 times over with a stepwise melody, counter-melody and bass.
fn sections(c: &mut Criterion) {
    let one_bar = format!("folk tune, 10000 bars, form {}\n", "AB".repeat(5_000));
    let abac = format!(
        "folk tune, 10000 bars, form {}\nmelody: stepwise\ncounter-melody: stepwise\nbass: stepwise\n",
        "ABAC".repeat(2_500)
    );
    let options = Options::new().seed(1).name("bench");
    let mut group = c.benchmark_group("sections");
    group.sample_size(10);
    group.throughput(Throughput::Elements(10_000));
    for (name, source) in [
        ("10,000 one-bar sections", one_bar),
        ("ABAC x2,500, three lines", abac),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                compile(black_box(&source), &options)
                    .unwrap()
                    .score()
                    .parts
                    .len()
            })
        });
    }
    group.finish();
}

fn variations(c: &mut Criterion) {
    let plan = plan_of(TYPICAL).unwrap();
    let mut group = c.benchmark_group("variations");
    group.sample_size(10);
    group.bench_function("1000 seeds, one thread", |b| {
        b.iter(|| {
            (0..1000u64)
                .map(|seed| {
                    render::midi::render(&compose_plan(&plan, seed, "bench").unwrap()).len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

/// Refusals, explained over the whole program (issue 14): a bass start the user's key rules out,
/// under a jazz walking bass (seconds before, the slowest the bass sweep found) and a folk bass.
fn refusals(c: &mut Criterion) {
    let mut group = c.benchmark_group("refusals");
    group.sample_size(10);
    for (name, source) in [
        (
            "jazz bass start outside C mixolydian, 2 bars",
            "jazz, in C mixolydian, 2 bars\nbass: starts on C#2\n",
        ),
        (
            "folk bass start outside D major",
            "folk tune in D major\nbass: stepwise, starts on C2\n",
        ),
        // Every way the chords make room for the bass's line is tried before this refusal.
        (
            "jig bass two octaves stepwise in one bar",
            "jig, 1 bars\nbass: stepwise, starts on C2, ends on C4\n",
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| compile(black_box(source), &Options::new()).is_err())
        });
    }
    group.finish();
}

/// The style's chords drawn with the bass's line (issue 14): a leap limit the salsa's chords
/// leave no line, over 1,000 and 10,000 bars (linear in chords), and in a form the user wrote
/// whose sections play twice (each distinct section drawn once), and style chords the form's
/// repeats leave the bass no line under.
fn chords_for_bass(c: &mut Criterion) {
    let mut group = c.benchmark_group("chords for the bass");
    group.sample_size(10);
    for (name, source) in [
        (
            "salsa, 1,000 bars, bass leaps of 3 semitones at most",
            "salsa, 1000 bars\nbass: no leaps larger than 3 semitones, root-fifth\n",
        ),
        (
            "salsa, 10,000 bars, bass leaps of 3 semitones at most",
            "salsa, 10000 bars\nbass: no leaps larger than 3 semitones, root-fifth\n",
        ),
        (
            "salsa, 1,000 bars, form AABA, bass leaps of 3 semitones at most",
            "salsa, 1000 bars, form AABA\nbass: no leaps larger than 3 semitones, root-fifth\n",
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| compile(black_box(source), &Options::new()).is_ok())
        });
    }
    // Seed 1 draws style chords under which the repeated A leaves the walking bass no line:
    // refused up front over the form, not by every widening of the writer's rhythm.
    let doomed = "salsa, 1600 bars, form AABA'\n\
                  bass: no leaps larger than 2 semitones, walking, starts on C2, ends on C3\n";
    group.bench_function("salsa, 1,600 bars, form AABA', walking bass, seed 1", |b| {
        b.iter(|| compile(black_box(doomed), &Options::new().seed(1)).is_ok())
    });
    group.finish();
}

criterion_group!(
    benches,
    stages,
    lengths,
    sections,
    variations,
    refusals,
    chords_for_bass
);
criterion_main!(benches);
