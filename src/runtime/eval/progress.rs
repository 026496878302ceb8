//! Live progress on stderr while a run goes on: a spinner line per running
//! step when stderr is a terminal, nothing otherwise (or with `--quiet`).

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

pub struct Progress {
    bars: Option<(MultiProgress, Mutex<HashMap<String, ProgressBar>>)>,
}

impl Progress {
    /// Progress drawn on stderr when `enabled` (the caller checks for a terminal).
    pub fn new(enabled: bool) -> Progress {
        let bars = enabled.then(|| {
            (
                MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
                Mutex::new(HashMap::new()),
            )
        });
        Progress { bars }
    }

    pub fn silent() -> Progress {
        Progress { bars: None }
    }

    pub fn start(&self, step: &str, what: &str) {
        let Some((multi, bars)) = &self.bars else {
            return;
        };
        let bar = multi.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("{step} ({what})"));
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut bars) = bars.lock() {
            bars.insert(step.to_string(), bar);
        }
    }

    pub fn finish(&self, step: &str, ok: bool, millis: u64) {
        let Some((multi, bars)) = &self.bars else {
            return;
        };
        let bar = bars.lock().ok().and_then(|mut b| b.remove(step));
        if let Some(bar) = bar {
            bar.finish_and_clear();
            multi.remove(&bar);
        }
        let mark = if ok { "✓" } else { "✗" };
        let _ = multi.println(format!("{mark} {step} ({:.1}s)", millis as f64 / 1000.0));
    }

    pub fn phase(&self, phase: &str) {
        if let Some((multi, _)) = &self.bars {
            let _ = multi.println(format!("▸ {phase}"));
        }
    }
}
