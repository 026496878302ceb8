//! What a journal recorded, indexed for replay: one entry per step id
//! (the latest events win, so a step re-run after `--force` or a `--rerun`
//! answer counts as its last run), the retry scopes that have steps, the
//! budget raises, and the open questions. Building it is one pass over the
//! records; every lookup is one `HashMap` probe, so replaying a step costs
//! O(1) whatever the journal's length.
//!
//! `decide` holds the replay rules: a step recorded finished (or failed)
//! with the same identity gives its recorded outcome and never runs again;
//! a different identity stops the resume (`Changed`) unless it is forced,
//! in which case that step and every step recorded after it run again; a
//! step started but never finished is in doubt: it runs again when it is
//! re-runnable, takes its answer when someone gave one, and otherwise
//! waits for one.

use super::identity::{Identity, changed_parts};
use crate::runtime::journal::{Event, Record, StepError, StepKind, Usage};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

/// How a recorded step ended, if it did.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Started and never finished (or a `human` step not answered yet).
    Started,
    Finished {
        value: Json,
        usage: Option<Usage>,
    },
    Failed {
        error: StepError,
        usage: Option<Usage>,
    },
}

/// A question the journal asked: a `human` step or an in-doubt step.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub question: String,
    /// The answer's type, as written in source.
    pub returns: String,
    pub in_doubt: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Value(Json),
    Rerun,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    /// Sequence number of the step's last `step_started` (`human_asked`
    /// for a `human` step).
    pub seq: u64,
    pub kind: StepKind,
    pub identity: String,
    pub parts: BTreeMap<String, String>,
    pub state: State,
    pub question: Option<Question>,
    pub answer: Option<Answer>,
}

/// The journal of a run, ready for replay (empty for a fresh run).
#[derive(Debug)]
pub struct Recorded {
    steps: HashMap<String, StepRecord>,
    /// Every `…[n]` prefix of a recorded step id (`w/impl[2]`).
    scopes: HashSet<String>,
    /// The sum of every `budget_raised`: tokens, usd.
    pub raised: (u64, f64),
    /// `--force`: a changed step re-runs instead of stopping the resume.
    pub force: bool,
    /// The workflow's source differs from the one the run started with.
    pub source_changed: bool,
    /// Steps recorded at or after this sequence number run again (`--force`).
    cutoff: AtomicU64,
}

impl Default for Recorded {
    fn default() -> Recorded {
        Recorded {
            steps: HashMap::new(),
            scopes: HashSet::new(),
            raised: (0, 0.0),
            force: false,
            source_changed: false,
            cutoff: AtomicU64::new(u64::MAX),
        }
    }
}

/// What replay makes of a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision<'a> {
    /// Not recorded (or re-run): run it.
    Run,
    /// Recorded finished: this value (and usage to charge).
    Value(&'a Json, Option<&'a Usage>),
    /// Recorded failed: this error.
    Failed(&'a StepError, Option<&'a Usage>),
    /// Recorded with another identity; these description fields differ.
    Changed(Vec<String>),
    /// In doubt, or a question without an answer; `asked` if the journal
    /// already holds the question.
    Waiting { asked: bool },
}

impl Recorded {
    /// The index of a journal's records (taken, not copied: a journal of
    /// 10,000 steps holds 10,000 values).
    pub fn from_records(records: Vec<Record>) -> Recorded {
        let mut r = Recorded {
            steps: HashMap::with_capacity(records.len() / 2),
            ..Recorded::default()
        };
        for rec in records {
            r.add(rec.seq, rec.event);
        }
        r
    }

    fn add(&mut self, seq: u64, event: Event) {
        match event {
            Event::StepStarted {
                step,
                kind,
                identity,
                parts,
                ..
            } => self.start(step, seq, kind, identity, parts, None),
            Event::StepFinished {
                step, value, usage, ..
            } => {
                if let Some(s) = self.steps.get_mut(&step) {
                    s.state = State::Finished { value, usage };
                }
            }
            Event::StepFailed {
                step, error, usage, ..
            } => {
                if let Some(s) = self.steps.get_mut(&step) {
                    s.state = State::Failed { error, usage };
                }
            }
            Event::HumanAsked {
                step,
                question,
                returns,
                in_doubt,
            } => {
                let q = Question {
                    question,
                    returns,
                    in_doubt,
                };
                match self.steps.get_mut(&step) {
                    Some(s) if in_doubt => {
                        s.question = Some(q);
                        s.answer = None;
                    }
                    _ => self.start(
                        step,
                        seq,
                        StepKind::Human,
                        String::new(),
                        BTreeMap::new(),
                        Some(q),
                    ),
                }
            }
            Event::HumanAnswered { step, value, rerun } => {
                if let Some(s) = self.steps.get_mut(&step) {
                    s.answer = match (value, rerun) {
                        (_, true) => Some(Answer::Rerun),
                        (Some(v), false) => Some(Answer::Value(v)),
                        (None, false) => None,
                    };
                }
            }
            Event::BudgetRaised { tokens, usd } => {
                self.raised.0 = self.raised.0.saturating_add(tokens);
                self.raised.1 += usd;
            }
            _ => {}
        }
    }

    fn start(
        &mut self,
        step: String,
        seq: u64,
        kind: StepKind,
        identity: String,
        parts: BTreeMap<String, String>,
        question: Option<Question>,
    ) {
        for (i, c) in step.char_indices() {
            if c == ']' && !self.scopes.contains(&step[..=i]) {
                self.scopes.insert(step[..=i].to_string());
            }
        }
        self.steps.insert(
            step,
            StepRecord {
                seq,
                kind,
                identity,
                parts,
                state: State::Started,
                question,
                answer: None,
            },
        );
    }

    pub fn get(&self, step: &str) -> Option<&StepRecord> {
        self.steps.get(step)
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Whether any step ran inside the scope `path` (`w/impl[2]`).
    pub fn seen_scope(&self, path: &str) -> bool {
        self.scopes.contains(path)
    }

    /// The questions still waiting for an answer, oldest first.
    pub fn open_questions(&self) -> Vec<(&str, &Question)> {
        let mut open: Vec<(u64, &str, &Question)> = self
            .steps
            .iter()
            .filter_map(|(id, s)| {
                let q = s.question.as_ref()?;
                let waiting = s.answer.is_none() && s.state == State::Started;
                waiting.then_some((s.seq, id.as_str(), q))
            })
            .collect();
        open.sort_by_key(|(seq, id, _)| (*seq, id.to_string()));
        open.into_iter().map(|(_, id, q)| (id, q)).collect()
    }

    /// Whether a recorded step replays (false once `--force` has passed
    /// a changed step recorded before it).
    fn replays(&self, rec: &StepRecord) -> bool {
        rec.seq < self.cutoff.load(Ordering::SeqCst)
    }

    /// A recorded step changed: with `--force` it and everything recorded
    /// after it run again; without, the resume stops.
    fn changed<'a>(&self, rec: &StepRecord, fields: Vec<String>) -> Decision<'a> {
        if self.force {
            self.cutoff.fetch_min(rec.seq, Ordering::SeqCst);
            Decision::Run
        } else {
            Decision::Changed(fields)
        }
    }

    /// `--force` past step `step`: it and every step recorded after it
    /// run again.
    pub fn force_from(&self, step: &str) {
        if let Some(rec) = self.get(step) {
            self.cutoff.fetch_min(rec.seq, Ordering::SeqCst);
        }
    }

    /// The replay of an effect step (`command`, `provider`, `call`) with
    /// this identity; `rerunnable` when running it twice is harmless.
    pub fn decide(&self, step: &str, identity: &Identity, rerunnable: bool) -> Decision<'_> {
        let Some(rec) = self.get(step) else {
            return Decision::Run;
        };
        if !self.replays(rec) {
            return Decision::Run;
        }
        if rec.identity != identity.hash {
            return self.changed(rec, changed_parts(&rec.parts, &identity.parts()));
        }
        match (&rec.state, &rec.answer) {
            (State::Finished { value, usage }, _) => Decision::Value(value, usage.as_ref()),
            (State::Failed { error, usage }, _) => Decision::Failed(error, usage.as_ref()),
            (State::Started, Some(Answer::Value(v))) => Decision::Value(v, None),
            (State::Started, Some(Answer::Rerun)) => Decision::Run,
            (State::Started, None) if rerunnable => Decision::Run,
            (State::Started, None) => Decision::Waiting {
                asked: rec.question.is_some(),
            },
        }
    }

    /// The replay of a `human` step asking `question` for a `returns`.
    pub fn decide_human(&self, step: &str, question: &str, returns: &str) -> Decision<'_> {
        let Some(rec) = self.get(step) else {
            return Decision::Run;
        };
        let Some(asked) = rec.question.as_ref().filter(|_| self.replays(rec)) else {
            return Decision::Run;
        };
        let mut fields = Vec::new();
        if asked.question != question {
            fields.push("question".to_string());
        }
        if asked.returns != returns {
            fields.push("returns".to_string());
        }
        match &rec.answer {
            // Nothing was done with the old question: ask the new one.
            None if !fields.is_empty() => Decision::Run,
            None | Some(Answer::Rerun) => Decision::Waiting { asked: true },
            Some(Answer::Value(_)) if !fields.is_empty() => self.changed(rec, fields),
            Some(Answer::Value(v)) => Decision::Value(v, None),
        }
    }
}

#[cfg(test)]
#[path = "tests/recorded.rs"]
mod tests;
