//! Resume benchmark: a run whose journal holds 10,000 finished command
//! steps (a `for-each` over 10,000 elements, then a `human` question that
//! pauses it) is resumed: the journal is read, indexed, and every step
//! replayed from it, and the run pauses again at the question. The goal is
//! under 200 ms. The run is recorded once with an in-process executor that
//! answers every command at once, so the setup spawns no processes; the
//! resume never calls the executor at all. The setup asserts the journal
//! holds the 10,000 finished steps and that every resume pauses at the
//! question without running a step, so a number is never measured on a
//! resume that did something else.

use async_trait::async_trait;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;
use wfl::diag::{SourceMap, has_errors};
use wfl::runtime::eval::{Progress, SystemClock};
use wfl::runtime::executor::{Executor, ProcessEnd, ProcessOutcome, ProcessSpec};
use wfl::runtime::rundir::RunDir;
use wfl::runtime::{ResumeRequest, RunOutcome, RunRequest, resume, run};

const STEPS: usize = 10_000;

const SOURCE: &str = r#"
(defworkflow w ((n Int)) -> Int
  (let* ((xs (for-each each (i (range 0 n)) :limit 8
               (command :argv ("step" (str i)) :returns Int)))
         (ok (human :ask "All done?" :returns Bool)))
    (if ok (length xs) 0)))
"#;

/// Answers every command with `1` at once, and counts the calls.
#[derive(Default)]
struct Instant {
    calls: std::sync::atomic::AtomicUsize,
}

#[async_trait]
impl Executor for Instant {
    async fn run(&self, _spec: ProcessSpec) -> ProcessOutcome {
        self.calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        ProcessOutcome {
            end: ProcessEnd::Exited(0),
            stdout: b"1\n".to_vec(),
            stderr_tail: String::new(),
            duration: Duration::ZERO,
        }
    }
}

fn program() -> (Arc<wfl::ir::Program>, String) {
    let mut map = SourceMap::new();
    let file = map.add("bench.wfl", SOURCE);
    let (checked, diags) = wfl::check_file(&mut map, file);
    assert!(!has_errors(&diags), "the bench workflow does not check");
    let program = Arc::new(wfl::ir::build(Arc::new(checked.tables)));
    let hash = wfl::runtime::eval::identity_hex(SOURCE.as_bytes());
    (program, hash)
}

fn paused(outcome: &RunOutcome) -> bool {
    matches!(outcome, RunOutcome::Paused { pauses, .. } if pauses.len() == 1)
}

fn benches(c: &mut Criterion) {
    let Ok(rt) = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    else {
        panic!("cannot start a runtime");
    };
    let Ok(ws) = tempfile::tempdir() else {
        panic!("cannot make a temporary workspace");
    };
    let (program, hash) = program();
    let executor = Arc::new(Instant::default());
    let recorded = rt.block_on(run(RunRequest {
        file: "bench.wfl".into(),
        source_hash: hash.clone(),
        program: program.clone(),
        entry: None,
        inputs: vec![("n".into(), STEPS.to_string())],
        workspace: ws.path().to_path_buf(),
        providers: Vec::new(),
        jobs: 8,
        progress: Progress::silent(),
        executor: executor.clone(),
        clock: Arc::new(SystemClock),
    }));
    let run_id = match recorded {
        Ok(outcome) if paused(&outcome) => outcome.run_id().to_string(),
        other => panic!("the recorded run did not pause at its question: {other:?}"),
    };
    let calls = executor.calls.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(calls, STEPS, "the recorded run ran every step");
    let Ok(dir) = RunDir::open(ws.path(), &run_id) else {
        panic!("no run directory");
    };
    let Ok(text) = std::fs::read_to_string(dir.journal()) else {
        panic!("no journal");
    };
    let finished = text.matches("\"event\":\"step_finished\"").count();
    assert_eq!(finished, STEPS, "the journal holds every finished step");

    let resume_once = || {
        let outcome = rt.block_on(resume(ResumeRequest {
            rundir: dir.clone(),
            program: program.clone(),
            source_hash: hash.clone(),
            force: false,
            raise_tokens: 0,
            raise_usd: 0.0,
            jobs: 8,
            progress: Progress::silent(),
            executor: executor.clone(),
            clock: Arc::new(SystemClock),
        }));
        match outcome {
            Ok(outcome) if paused(&outcome) => outcome,
            other => panic!("the resume did not pause at its question: {other:?}"),
        }
    };
    resume_once();
    let calls = executor.calls.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(calls, STEPS, "a resume replays, it runs nothing");

    let mut group = c.benchmark_group("resume");
    group.sample_size(20);
    // The part of a resume that reads the journal, for comparison.
    group.bench_function("read-journal", |b| {
        b.iter(|| black_box(wfl::runtime::journal::read(&dir.journal()).map(|r| r.len())))
    });
    group.bench_function("10000-finished-steps", |b| {
        b.iter(|| black_box(resume_once()))
    });
    group.finish();
}

criterion_group!(resume_benches, benches);
criterion_main!(resume_benches);
