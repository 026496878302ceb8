//! Interpreter benchmarks: the per-step overhead of `wfl run` and of the
//! journal. Measured: a workflow of 1,000 pure bindings; 200 sequential
//! `true` command steps through the whole interpreter (journal, logs,
//! result validation) next to spawning the same 200 processes directly, so
//! the difference is the interpreter's own cost; 50/100/200 steps to show
//! that it grows linearly; and appending 10,000 events to a journal.

// A benchmark has nobody to report a setup failure to but the panic.
#![allow(clippy::expect_used)]

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::sync::Arc;
use wfl::diag::SourceMap;
use wfl::runtime::eval::{Progress, SystemClock};
use wfl::runtime::executor::LocalExecutor;
use wfl::runtime::journal::{Event, JournalWriter, StepKind};
use wfl::runtime::{RunOutcome, RunRequest, run};

fn program(src: &str) -> Arc<wfl::ir::Program> {
    let mut map = SourceMap::new();
    let file = map.add("bench.wfl", src);
    let (checked, diags) = wfl::check_file(&mut map, file);
    assert!(diags.is_empty(), "{diags:#?}");
    Arc::new(wfl::ir::build(Arc::new(checked.tables)))
}

fn pure_steps(n: usize) -> String {
    let mut src = String::from("(defworkflow w ((seed Int)) -> Int\n  (let* (");
    for i in 0..n {
        let prev = if i == 0 {
            "seed".to_string()
        } else {
            format!("x{}", i - 1)
        };
        let _ = writeln!(src, "(x{i} (+ (* {prev} 1) {i}))");
    }
    let _ = write!(src, ") (- x{} x0)))", n - 1);
    src
}

fn command_steps(n: usize) -> String {
    let mut src = String::from("(defworkflow w () -> Int\n  (let* (");
    for i in 0..n {
        let _ = writeln!(src, "(c{i} (command :argv (\"true\")))");
    }
    let _ = write!(src, ") c{}.exit-code))", n - 1);
    src
}

/// One whole run in a fresh workspace, which is handed back so that its
/// removal is not timed.
fn run_once(
    rt: &tokio::runtime::Runtime,
    program: &Arc<wfl::ir::Program>,
    inputs: &[(String, String)],
    workspace: tempfile::TempDir,
) -> tempfile::TempDir {
    let request = RunRequest {
        file: "bench.wfl".into(),
        source_hash: "0".into(),
        program: program.clone(),
        entry: None,
        inputs: inputs.to_vec(),
        workspace: workspace.path().to_path_buf(),
        providers: Vec::new(),
        jobs: 8,
        progress: Progress::silent(),
        executor: Arc::new(LocalExecutor),
        clock: Arc::new(SystemClock),
    };
    match rt.block_on(run(request)) {
        Ok(RunOutcome::Succeeded { .. }) => workspace,
        other => panic!("bench run did not succeed: {other:?}"),
    }
}

fn workspace() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let pure = program(&pure_steps(1000));
    let seed = vec![("seed".to_string(), "1".to_string())];
    c.bench_function("run/1000-pure-steps", |b| {
        b.iter_batched(
            workspace,
            |ws| run_once(&rt, &pure, &seed, ws),
            BatchSize::PerIteration,
        )
    });

    let mut group = c.benchmark_group("run/commands");
    group.sample_size(10);
    for n in [50usize, 100, 200] {
        let p = program(&command_steps(n));
        group.bench_with_input(BenchmarkId::new("wfl", n), &n, |b, _| {
            b.iter_batched(
                workspace,
                |ws| run_once(&rt, &p, &[], ws),
                BatchSize::PerIteration,
            )
        });
    }
    group.bench_function("spawn-only/200", |b| {
        b.iter(|| {
            rt.block_on(async {
                for _ in 0..200 {
                    let status = tokio::process::Command::new("true")
                        .process_group(0)
                        .status()
                        .await
                        .expect("spawn true");
                    assert!(status.success());
                }
            })
        })
    });
    group.finish();

    c.bench_function("journal/10000-events", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut journal =
                JournalWriter::create(&dir.path().join("journal.jsonl")).expect("journal");
            for i in 0..10_000u64 {
                journal
                    .append(
                        i,
                        Event::StepStarted {
                            step: format!("w/loop[{i}]/step"),
                            kind: StepKind::Command,
                            identity:
                                "5f0c1e6f3b1a9d2e5f0c1e6f3b1a9d2e5f0c1e6f3b1a9d2e5f0c1e6f3b1a9d2e"
                                    .into(),
                            parts: Default::default(),
                            workflow: None,
                        },
                    )
                    .expect("append");
            }
        })
    });
}

criterion_group!(runtime, benches);
criterion_main!(runtime);
