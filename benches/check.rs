//! Front-end benchmarks on a generated, realistic program: units of about a
//! hundred lines, each with an enum, records, a union, a defpath, prompts,
//! pure helpers and two workflows (let*, match, loop/recur, retry, for-each,
//! parallel, try/catch, budget, phase, provider, command, human, call).
//! The setup asserts the program checks without a single diagnostic, so a
//! number is never measured on a program the checker rejects. Measured:
//! each phase alone on 10,000 lines (lex; read, from tokens; parse, which is
//! lex + read + lower; check, the whole of `wfl::check_file`) and the whole
//! check at 2,500 / 5,000 / 10,000 lines, to show that it grows linearly;
//! and a small program importing `std/stack` (which imports std/review and
//! std/text), so the cost of loading and checking modules is measured too.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;
use wfl::diag::{FileId, RenderOptions, SourceMap, render_text};

/// The same allocator as the `wfl` binary, so the numbers are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HEADER: &str = r#"; Generated for the benchmarks: many independent delivery units.
(module bench-program
  :doc "A large, realistic program for measuring the front end.")

(defprovider claude :argv ("claude" "-p") :prompt-via stdin :timeout 900)
(defprovider codex :argv ("codex" "exec" "-") :prompt-via stdin :timeout 1800)

(defn pick [T] ((c Bool) (a T) (b T)) -> T
  (if c a b))

(defn bullet ((s String)) -> String
  (concat "- " s))

(defn bullets ((items (List String))) -> String
  (join "\n" (map bullet items)))
"#;

/// One unit of the program; `{i}` is replaced by the unit's number so that
/// every definition is distinct.
const UNIT: &str = r#"
;; Unit {i} ---------------------------------------------------------------

(defenum Severity{i} LOW MEDIUM HIGH)

(defpath Report{i} :under "reports" :ext ".md")

(defrecord Finding{i}
  (file Path)
  (line Int)
  (severity Severity{i})
  (message String))

(defrecord Plan{i}
  (title String)
  (steps (List String))
  (risky (List Path)))

(defrecord TestReport{i}
  (passed Int)
  (failed Int)
  (failing (List String)))

(defunion Review{i}
  (APPROVE (notes String))
  (REVISE (findings (List Finding{i})))
  (REJECT (reason String)))

(defrecord Result{i} (plan Plan{i}) (summary String) (rounds Int) (report Report{i}))

(defprompt plan-task-{i} ((task String) (context String))
  "Plan this task in small steps that can each be tested on their own:

{task}

Context: {context}. Name the files that are risky to touch.")

(defprompt review-work-{i} ((plan Plan{i}) (tests String) (round Int))
  "Review round {round} of {plan.title}.
Test run: {tests}
Approve only if you would merge it as is; otherwise list concrete findings.")

(defprompt fix-work-{i} ((plan Plan{i}) (findings String))
  "Your change for {plan.title} needs another pass. Address every item:

{findings}")

(defn severity-rank-{i} ((s Severity{i})) -> Int
  (match s (LOW 1) (MEDIUM 2) (HIGH 3)))

(defn finding-line-{i} ((f Finding{i})) -> String
  (let* ((rank (str (severity-rank-{i} f.severity)))
         (line (str f.line)))
    (fmt "[{rank}] {f.file}:{line}: {f.message}")))

(defn serious-{i} ((f Finding{i})) -> Bool
  (>= (severity-rank-{i} f.severity) 2))

(defn test-line-{i} ((r TestReport{i})) -> String
  (cond ((= r.failed 0) "all tests pass")
        ((> r.failed 10) (fmt "{r.failed} tests fail"))
        (else (concat "failing: " (join ", " r.failing)))))

(defn report-path-{i} () -> Report{i}
  "reports/unit-{i}.md")

(defworkflow deliver-{i} ((task String) (rounds Int :default 3) (width Int :default 2))
  -> Result{i}
  :doc "Plan, check each step, then review and fix for at most `rounds` rounds."
  (let* ((plan (phase planning
                 (retry plan-retry :attempts 2
                   (provider claude :prompt (plan-task-{i} :task task :context "unit {i}")
                             :returns Plan{i} :name plan))))
         (checks (for-each check-steps (step plan.steps) :limit width
                   (let* ((out (command :argv ("echo" step) :timeout 30)))
                     (= out.exit-code 0)))))
    (assert (not (empty? plan.steps)) "the plan has no steps")
    (loop review-fix :max rounds ((summary "first cut") (round 1))
      (let* ((tests (command :argv ("cargo" "xtask" "test-report" "--json")
                             :returns TestReport{i} :timeout 1200))
             (review (provider claude
                               :prompt (review-work-{i} :plan plan :tests (test-line-{i} tests)
                                                        :round round)
                               :returns Review{i})))
        (match review
          ((APPROVE a)
           (record Result{i} :plan plan :summary (pick (= round 1) a.notes summary)
                             :rounds (+ round (length checks)) :report (report-path-{i})))
          ((REVISE r)
           (let* ((serious (filter serious-{i} r.findings))
                  (fixed (provider codex
                                   :prompt (fix-work-{i} :plan plan
                                                         :findings (bullets (map finding-line-{i} serious)))
                                   :returns String)))
             (recur fixed (+ round 1))))
          ((REJECT r) (fail (fmt "rejected: {r.reason}")))))
      :exhausted (fail (fmt "no approval after {rounds} rounds")))))

(defworkflow release-{i} ((task String) (version String :default "0.1.0")) -> String
  (let* ((result (call deliver-{i} :task task))
         (green (parallel ((build (command :argv ("cargo" "build") :timeout 600))
                           (lint (command :argv ("cargo" "clippy") :timeout 600)))
                  (and (= build.exit-code 0) (= lint.exit-code 0))))
         (notes (try
                  (budget :tokens 100000 :usd 2.0
                    (provider claude :prompt (fmt "Release notes for {version}: {result.summary}")
                              :returns String))
                  (catch e (fmt "no notes: {e.message}"))))
         (go (human :ask (fmt "Ship {version}?\n{notes}") :returns Bool)))
    (if (and green go) notes (fail "release held"))))
"#;

/// A program of at least `lines` lines: the header, then whole units.
fn program(lines: usize) -> String {
    let mut src = String::from(HEADER);
    let mut i = 0;
    while src.lines().count() < lines {
        let _ = write!(src, "{}", UNIT.replace("{i}", &i.to_string()));
        i += 1;
    }
    src
}

/// The program in a source map, after asserting it checks clean.
fn checked_program(lines: usize) -> (SourceMap, FileId) {
    let mut map = SourceMap::new();
    let file = map.add(format!("bench-{lines}.wfl"), program(lines));
    let (_, diags) = wfl::check_file(&mut map, file);
    assert!(
        diags.is_empty(),
        "the generated program must check clean, but got {} diagnostic(s):\n{}",
        diags.len(),
        render_text(
            &map,
            &diags[..diags.len().min(20)],
            RenderOptions::default()
        )
    );
    (map, file)
}

fn phases(c: &mut Criterion) {
    let (map, file) = checked_program(10_000);
    let src = map.text(file);
    let (tokens, _) = wfl::lexer::lex(file, src);
    let mut group = c.benchmark_group("10k-lines");
    group.throughput(Throughput::Bytes(src.len() as u64));
    group.bench_function("lex", |b| b.iter(|| wfl::lexer::lex(file, black_box(src))));
    group.bench_function("read", |b| {
        b.iter(|| wfl::parser::sexpr::read(file, black_box(&tokens), src.len()))
    });
    group.bench_function("parse", |b| {
        b.iter(|| wfl::parser::parse(file, black_box(src)))
    });
    // The program imports nothing, so checking adds no file to the map.
    let mut check_map = map.clone();
    group.bench_function("check", |b| {
        b.iter(|| wfl::check_file(black_box(&mut check_map), file))
    });
    group.finish();
}

fn growth(c: &mut Criterion) {
    let mut group = c.benchmark_group("check-by-lines");
    for lines in [2_500, 5_000, 10_000] {
        let (mut map, file) = checked_program(lines);
        group.throughput(Throughput::Elements(lines as u64));
        group.bench_function(BenchmarkId::from_parameter(lines), |b| {
            b.iter(|| wfl::check_file(black_box(&mut map), file))
        });
    }
    group.finish();
}

/// A user of the standard library: the module loader, three embedded
/// modules parsed and checked, and the tables merged into the root's.
fn with_imports(c: &mut Criterion) {
    let source = r#"(import "std/stack" :only (stack Stacked))
(import "std/review" :only (Review))
(defworkflow design ((brief String)) -> String brief)
(defworkflow review ((s String) (round Int)) -> Review
  (variant Review APPROVE :notes (fmt "{s} {round}")))
(defworkflow fix ((s String) (findings (List String))) -> String s)
"#;
    let mut map = SourceMap::new();
    let file = map.add("uses-std.wfl", source);
    let (_, diags) = wfl::check_file(&mut map, file);
    assert!(
        diags.is_empty(),
        "{}",
        render_text(&map, &diags, RenderOptions::default())
    );
    c.bench_function("check-with-std-imports", |b| {
        b.iter(|| {
            // A fresh map each time: every module is read and parsed again.
            let mut map = SourceMap::new();
            let file = map.add("uses-std.wfl", source);
            wfl::check_file(black_box(&mut map), file)
        })
    });
}

criterion_group!(benches, phases, growth, with_imports);
criterion_main!(benches);
