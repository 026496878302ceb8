//! Run reports: what `wfl report` shows, folded from `run.json` and the
//! journal. Each step appears once, in the order it first started, as its
//! last run left it (a step run again on resume keeps its place), with its
//! status, duration, exit code, usage and the artifacts it returned; each
//! artifact with the step that produced it and its content hash.

use super::journal::{self, Artifact, Event, StepError, StepKind, Usage};
use super::rundir::{RunDir, RunInfo, RunStatus, utc_text};
use serde::Serialize;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Finished,
    Failed,
    /// Started and never finished: running now, or cut off by a crash.
    Started,
    /// A human step waiting for its answer, or a step in doubt waiting
    /// for someone to say what became of it.
    Waiting,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub step: String,
    pub kind: StepKind,
    pub status: StepStatus,
    pub started_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<StepError>,
    /// For a call: the workflow it runs (`std/review:review-loop`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
}

impl StepReport {
    /// Records how the step ended (finished or failed).
    fn ended(
        &mut self,
        status: StepStatus,
        duration_ms: u64,
        exit_code: Option<i32>,
        usage: Option<Usage>,
    ) {
        self.status = status;
        self.duration_ms = Some(duration_ms);
        self.exit_code = exit_code;
        self.usage = usage;
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ArtifactReport {
    pub path: String,
    pub produced_by: String,
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub run: RunInfo,
    /// How often `wfl resume` continued the run.
    pub resumes: u32,
    pub steps: Vec<StepReport>,
    pub artifacts: Vec<ArtifactReport>,
    pub usage: Usage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<StepError>,
}

/// Reads a run's report from its directory.
pub fn load(dir: &RunDir) -> std::io::Result<Report> {
    let run = dir.read_info()?;
    let records = journal::read(&dir.journal())?;
    let mut steps: Vec<StepReport> = Vec::new();
    // Where each step id is in `steps`: a step run again (in doubt, forced,
    // a call entered again on resume) keeps its place and shows its last run.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut result = None;
    let mut error = None;
    let mut resumes = 0;
    for record in records {
        match record.event {
            Event::StepStarted {
                step,
                kind,
                workflow,
                ..
            } => {
                let fresh = StepReport {
                    workflow,
                    step: step.clone(),
                    kind,
                    status: StepStatus::Started,
                    started_ms: record.at_ms,
                    duration_ms: None,
                    exit_code: None,
                    usage: None,
                    artifacts: Vec::new(),
                    error: None,
                };
                match index.get(&step) {
                    Some(&i) => steps[i] = fresh,
                    None => {
                        index.insert(step, steps.len());
                        steps.push(fresh);
                    }
                }
            }
            Event::StepFinished {
                step,
                duration_ms,
                exit_code,
                usage,
                artifacts,
                ..
            } => {
                if let Some(&i) = index.get(&step) {
                    let s = &mut steps[i];
                    s.ended(StepStatus::Finished, duration_ms, exit_code, usage);
                    s.artifacts = artifacts;
                }
            }
            Event::StepFailed {
                step,
                error,
                duration_ms,
                exit_code,
                usage,
            } => {
                if let Some(&i) = index.get(&step) {
                    let s = &mut steps[i];
                    s.ended(StepStatus::Failed, duration_ms, exit_code, usage);
                    s.error = Some(error);
                }
            }
            Event::HumanAsked { step, .. } => match index.get(&step) {
                // An in-doubt step, or a human step asked again.
                Some(&i) => steps[i].status = StepStatus::Waiting,
                None => {
                    index.insert(step.clone(), steps.len());
                    steps.push(StepReport {
                        step,
                        kind: StepKind::Human,
                        status: StepStatus::Waiting,
                        started_ms: record.at_ms,
                        duration_ms: None,
                        exit_code: None,
                        usage: None,
                        artifacts: Vec::new(),
                        error: None,
                        workflow: None,
                    });
                }
            },
            Event::HumanAnswered { step, rerun, .. } => {
                if let Some(&i) = index.get(&step) {
                    let s = &mut steps[i];
                    s.status = if rerun {
                        StepStatus::Started
                    } else {
                        StepStatus::Finished
                    };
                    if !rerun && s.kind == StepKind::Human {
                        s.duration_ms = Some(record.at_ms.saturating_sub(s.started_ms));
                    }
                }
            }
            Event::RunResumed { .. } => resumes += 1,
            Event::RunFinished {
                value, error: e, ..
            } => {
                result = value;
                error = e;
            }
            _ => {}
        }
    }
    let mut usage = Usage::default();
    let mut artifacts: Vec<ArtifactReport> = Vec::new();
    for s in &steps {
        if let Some(u) = &s.usage {
            usage.input_tokens += u.input_tokens;
            usage.output_tokens += u.output_tokens;
            usage.usd += u.usd;
        }
        // A call returns its callee's artifacts too; the innermost step that
        // returned a path (the first to finish) produced it.
        for a in &s.artifacts {
            if !artifacts
                .iter()
                .any(|x| x.path == a.path && x.sha256 == a.sha256)
            {
                artifacts.push(ArtifactReport {
                    path: a.path.clone(),
                    produced_by: s.step.clone(),
                    sha256: a.sha256.clone(),
                });
            }
        }
    }
    Ok(Report {
        run,
        resumes,
        steps,
        artifacts,
        usage,
        result,
        error,
    })
}

fn seconds(ms: u64) -> String {
    format!("{:.1}s", ms as f64 / 1000.0)
}

/// The report as Markdown.
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let run = &r.run;
    let _ = writeln!(
        out,
        "# Run {} — `{}` ({})\n",
        run.run_id,
        run.workflow,
        run.status.as_str()
    );
    let _ = writeln!(
        out,
        "- file: `{}` (sha256 {})",
        run.file,
        &run.source_hash.get(..12).unwrap_or("")
    );
    let _ = writeln!(out, "- started: {}", utc_text(run.started_ms));
    if let Some(end) = run.ended_ms {
        let _ = writeln!(
            out,
            "- duration: {}",
            seconds(end.saturating_sub(run.started_ms))
        );
    }
    let _ = writeln!(out, "- inputs: `{}`", run.inputs);
    if r.resumes > 0 {
        let _ = writeln!(out, "- resumed: {} times", r.resumes);
    }
    if r.usage.input_tokens + r.usage.output_tokens > 0 || r.usage.usd > 0.0 {
        let _ = writeln!(
            out,
            "- usage: {} input tokens, {} output tokens, ${:.4}",
            r.usage.input_tokens, r.usage.output_tokens, r.usage.usd
        );
    }
    out.push_str("\n## Steps\n\n| step | kind | status | duration | exit | tokens | note |\n|---|---|---|---|---|---|---|\n");
    for s in &r.steps {
        let status = match s.status {
            StepStatus::Finished => "finished",
            StepStatus::Failed => "failed",
            StepStatus::Started if run.status == RunStatus::Running => "running",
            StepStatus::Started => "in doubt",
            StepStatus::Waiting => "waiting",
        };
        let tokens = s.usage.as_ref().map_or(String::new(), |u| {
            (u.input_tokens + u.output_tokens).to_string()
        });
        let note = match (&s.error, &s.workflow) {
            (Some(e), _) => format!(
                "{}: {}",
                e.kind,
                e.message.replace('|', "\\|").replace('\n', " ")
            ),
            (None, Some(w)) => format!("runs `{w}`"),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {status} | {} | {} | {tokens} | {note} |",
            s.step,
            s.kind.as_str(),
            s.duration_ms.map_or(String::new(), seconds),
            s.exit_code.map_or(String::new(), |c| c.to_string()),
        );
    }
    if !r.artifacts.is_empty() {
        out.push_str("\n## Artifacts\n\n| path | produced by | sha256 |\n|---|---|---|\n");
        for a in &r.artifacts {
            let hash = a.sha256.as_deref().map_or("(missing)".to_string(), |h| {
                h[..h.len().min(16)].to_string()
            });
            let _ = writeln!(out, "| `{}` | `{}` | {hash} |", a.path, a.produced_by);
        }
    }
    if let Some(value) = &r.result {
        let _ = writeln!(
            out,
            "\n## Result\n\n```json\n{}\n```",
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
    }
    if let Some(e) = &r.error {
        let _ = writeln!(out, "\n## Error\n\n{}: {}", e.kind, e.message);
        if !e.stderr.trim().is_empty() {
            let _ = writeln!(out, "\n```\n{}\n```", e.stderr.trim_end());
        }
    }
    out
}
