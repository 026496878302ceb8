//! Budgets: `(budget :tokens N :usd X body…)` caps what the provider steps
//! inside may spend. Every provider step's reported usage (tokens in and
//! out, dollars) is charged to each budget around it — in every scope it
//! runs in, through calls too — when the step finishes, and again when a
//! resume replays it, so the spend is rebuilt from the journal's
//! `step_finished`/`step_failed` usage and never stored twice. A provider
//! step starts only while every budget around it has spent less than its
//! cap; otherwise the run journals `budget_exceeded` and pauses (exit 3).
//! `wfl resume --raise-budget tokens=N` journals `budget_raised`, and the
//! sum of the raises is added to the cap of every budget that declares
//! that dimension.

use super::{Exec, Halt, Interpreter, Pause, Scope};
use crate::runtime::journal::{Event, Usage};
use std::sync::Mutex;

/// One budget scope as it runs.
#[derive(Debug)]
pub(crate) struct Budget {
    /// `budget :tokens 100 in w/impl[2]`, for messages and the journal.
    label: String,
    tokens: Option<u64>,
    usd: Option<f64>,
    spent: Mutex<Usage>,
}

impl Budget {
    /// A budget with its declared caps raised by `raised` (tokens, usd).
    pub fn new(scope: &str, tokens: Option<u64>, usd: Option<f64>, raised: (u64, f64)) -> Budget {
        let mut label = "budget".to_string();
        if let Some(t) = tokens {
            label.push_str(&format!(" :tokens {t}"));
        }
        if let Some(u) = usd {
            label.push_str(&format!(" :usd {u}"));
        }
        label.push_str(&format!(" in {scope}"));
        Budget {
            label,
            tokens: tokens.map(|t| t.saturating_add(raised.0)),
            usd: usd.map(|u| u + raised.1),
            spent: Mutex::new(Usage::default()),
        }
    }

    fn charge(&self, usage: &Usage) {
        if let Ok(mut spent) = self.spent.lock() {
            spent.input_tokens = spent.input_tokens.saturating_add(usage.input_tokens);
            spent.output_tokens = spent.output_tokens.saturating_add(usage.output_tokens);
            spent.usd += usage.usd;
        }
    }

    /// The pause for `step` if this budget is spent.
    fn exceeded(&self, step: &str) -> Option<Pause> {
        let spent = self.spent.lock().map(|s| s.clone()).unwrap_or_default();
        let over_tokens = self.tokens.is_some_and(|cap| spent.tokens() >= cap);
        let over_usd = self.usd.is_some_and(|cap| spent.usd >= cap);
        (over_tokens || over_usd).then(|| Pause::Budget {
            step: step.to_string(),
            budget: self.label.clone(),
            spent_tokens: spent.tokens(),
            spent_usd: spent.usd,
            cap_tokens: self.tokens,
            cap_usd: self.usd,
        })
    }
}

impl Interpreter {
    /// Charges a provider step's usage to every budget around it.
    pub(crate) fn charge(&self, scope: &Scope, usage: Option<&Usage>) {
        if let Some(usage) = usage {
            for b in scope.budgets.iter() {
                b.charge(usage);
            }
        }
    }

    /// Before provider step `step` starts: a pause if a budget around it
    /// is spent (journaled as `budget_exceeded`).
    pub(crate) fn check_budgets(&self, scope: &Scope, step: &str) -> Exec<()> {
        let Some(pause) = scope.budgets.iter().find_map(|b| b.exceeded(step)) else {
            return Ok(());
        };
        if let Pause::Budget {
            budget,
            spent_tokens,
            spent_usd,
            cap_tokens,
            cap_usd,
            ..
        } = &pause
        {
            self.record(Event::BudgetExceeded {
                step: step.to_string(),
                budget: budget.clone(),
                spent_tokens: *spent_tokens,
                spent_usd: *spent_usd,
                cap_tokens: *cap_tokens,
                cap_usd: *cap_usd,
            })?;
        }
        Err(Halt::Paused(vec![pause]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(tokens: u64, usd: f64) -> Usage {
        Usage {
            input_tokens: tokens,
            output_tokens: 0,
            usd,
        }
    }

    #[test]
    fn a_budget_is_spent_once_its_cap_is_reached() {
        let b = Budget::new("w", Some(100), None, (0, 0.0));
        assert!(b.exceeded("w/a").is_none());
        b.charge(&usage(60, 0.0));
        assert!(b.exceeded("w/b").is_none());
        b.charge(&usage(40, 0.0));
        match b.exceeded("w/c") {
            Some(Pause::Budget {
                step,
                budget,
                spent_tokens,
                cap_tokens,
                ..
            }) => {
                assert_eq!(step, "w/c");
                assert_eq!(budget, "budget :tokens 100 in w");
                assert_eq!((spent_tokens, cap_tokens), (100, Some(100)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn raises_apply_to_declared_dimensions_only() {
        let b = Budget::new("w", None, Some(1.0), (500, 0.5));
        assert_eq!((b.tokens, b.usd), (None, Some(1.5)));
        b.charge(&usage(10_000, 1.2));
        assert!(b.exceeded("w/a").is_none());
        b.charge(&usage(0, 0.3));
        assert!(b.exceeded("w/a").is_some());
    }
}
