//! The events of a run journal, one JSON object per line. Every line carries
//! a sequence number and a timestamp; the `event` field names the variant.
//! Values are stored in their JSON form (the one of BRIEF §2), so a journal
//! can be read without the workflow's source.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// What kind of step an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Command,
    Provider,
    Human,
    Call,
}

impl Usage {
    /// Tokens counted against a budget: input and output.
    pub fn tokens(&self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Command => "command",
            StepKind::Provider => "provider",
            StepKind::Human => "human",
            StepKind::Call => "call",
        }
    }
}

/// Tokens and cost a provider reported for one step.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    #[serde(default)]
    pub input_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(default)]
    pub usd: f64,
}

/// A file a step produced or consumed, with its content hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    pub path: String,
    /// Hex SHA-256 of the content; `None` if the file did not exist.
    pub sha256: Option<String>,
}

/// A step's failure as journaled: the fields of the wfl `Error` value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepError {
    pub kind: String,
    pub message: String,
    #[serde(default)]
    pub stderr: String,
    /// The step the failure began at, when it is not this one (a call
    /// fails with the failure of a step inside it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    RunStarted {
        workflow: String,
        source_hash: String,
        inputs: Json,
    },
    /// Written and flushed before the step launches.
    StepStarted {
        step: String,
        kind: StepKind,
        /// Hash of the step's normalized form, resolved inputs and provider.
        identity: String,
        /// The same description field by field (`argv`, `env`, `stdin`,
        /// `prompt`, `provider`, `returns`, `workflow`, `args`), each a
        /// 16-hex-digit hash, so a resume can say what changed.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        parts: BTreeMap<String, String>,
        /// For a call: the workflow it runs, by its full name, with the
        /// module it comes from (`std/review:review-loop`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        workflow: Option<String>,
    },
    StepFinished {
        step: String,
        value: Json,
        duration_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        usage: Option<Usage>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        artifacts: Vec<Artifact>,
    },
    StepFailed {
        step: String,
        error: StepError,
        duration_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        /// What a provider reported spending before its reply was refused.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        usage: Option<Usage>,
    },
    /// A question waits for `wfl answer`: a `human` step, or a step found
    /// started but not finished on resume (`in_doubt`).
    HumanAsked {
        step: String,
        question: String,
        /// The type the answer must have, as written in source.
        returns: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        in_doubt: bool,
    },
    /// `wfl answer`: the validated value of an open question, or (for an
    /// in-doubt step, `--rerun`) leave to run the step again.
    HumanAnswered {
        step: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<Json>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        rerun: bool,
    },
    /// `wfl resume` started replaying the run.
    RunResumed {
        /// The source hash the resume runs (it may differ from the run's).
        source_hash: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        force: bool,
    },
    /// `wfl resume --raise-budget`: added to the cap of every budget.
    BudgetRaised {
        #[serde(default)]
        tokens: u64,
        #[serde(default)]
        usd: f64,
    },
    /// A provider step did not start: a budget around it was spent.
    BudgetExceeded {
        step: String,
        /// The budget, as `budget :tokens N :usd X in SCOPE`.
        budget: String,
        spent_tokens: u64,
        spent_usd: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cap_tokens: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cap_usd: Option<f64>,
    },
    PhaseStarted {
        phase: String,
    },
    PhaseFinished {
        phase: String,
    },
    /// The run stopped to wait (for a human answer or a raised budget), or
    /// a resume was refused because a step changed.
    RunPaused {
        reason: String,
    },
    RunFinished {
        /// `succeeded` or `failed`.
        status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<Json>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<StepError>,
    },
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    /// Milliseconds since the Unix epoch, from the run's clock.
    pub at_ms: u64,
    #[serde(flatten)]
    pub event: Event,
}
