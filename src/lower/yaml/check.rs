//! Self-checks on the emitted YAML, read back as plain YAML values, for
//! what the DSL's own validator lets through (reference §1.4, §3.12): a
//! closed key set for every step and its sub-blocks at version 2.14, one
//! execution form per step, string-only `command` lists, every `${…}` and
//! `ref:` resolving to an input, an earlier step and an artifact it
//! declares, provider names declared (or built in), imports that exist
//! with the same version, no `${…}` in `call … with:` literals, and every
//! `for_each` followed by its failure gate. Any problem is a bug in the
//! back end: it comes back as text naming the file and the step path.

use super::model::VERSION;
use super::refs::{Scope, check_text_refs, resolve_ref};
use serde_norway::{Mapping, Value};

/// The DSL's built-in provider templates (usable without declaring them).
const BUILTIN_PROVIDERS: &[&str] = &[
    "claude",
    "claude_haiku_summary",
    "claude_sonnet_summary",
    "claude_unrestricted_workspace",
    "codex",
    "codex_gpt55",
    "codex_unrestricted_workspace",
    "gemini",
];

const TOP_KEYS: &[&str] = &[
    "version",
    "name",
    "imports",
    "providers",
    "inputs",
    "outputs",
    "steps",
];

/// Step keys with the version that introduced them (reference §2.1, §3.1).
const STEP_KEYS: &[(&str, &str)] = &[
    ("name", "1.1"),
    ("id", "2.0"),
    ("when", "1.1"),
    ("command", "1.1"),
    ("provider", "1.1"),
    ("provider_params", "1.1"),
    ("input_file", "1.1"),
    ("call", "2.5"),
    ("with", "2.5"),
    ("for_each", "1.1"),
    ("if", "2.2"),
    ("then", "2.2"),
    ("else", "2.2"),
    ("match", "2.6"),
    ("repeat_until", "2.7"),
    ("env", "1.1"),
    ("output_capture", "1.1"),
    ("output_file", "1.1"),
    ("output_bundle", "1.3"),
    ("variant_output", "2.14"),
    ("retries", "1.1"),
    ("timeout_sec", "1.1"),
    ("on", "1.1"),
];

const FORMS: &[&str] = &[
    "command",
    "provider",
    "call",
    "for_each",
    "if",
    "match",
    "repeat_until",
];

/// Problems found in all files, each naming its file and step.
pub fn check_files(files: &[(String, Value)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, doc) in files {
        let mut c = Checker {
            file: name,
            files,
            problems: &mut problems,
        };
        c.file(doc);
    }
    problems
}

pub(super) struct Checker<'a> {
    pub file: &'a str,
    pub files: &'a [(String, Value)],
    pub problems: &'a mut Vec<String>,
}

pub(super) fn get<'v>(m: &'v Mapping, key: &str) -> Option<&'v Value> {
    m.get(Value::String(key.to_string()))
}

pub(super) fn keys(m: &Mapping) -> Vec<String> {
    m.keys()
        .map(|k| k.as_str().map_or_else(|| format!("{k:?}"), str::to_string))
        .collect()
}

fn version_le(a: &str, b: &str) -> bool {
    let parse = |s: &str| -> Vec<u32> { s.split('.').filter_map(|p| p.parse().ok()).collect() };
    parse(a) <= parse(b)
}

impl Checker<'_> {
    pub(super) fn problem(&mut self, at: &str, what: impl Into<String>) {
        let what = what.into();
        if at.is_empty() {
            self.problems.push(format!("{}: {what}", self.file));
        } else {
            self.problems
                .push(format!("{}: step {at}: {what}", self.file));
        }
    }

    fn file(&mut self, doc: &Value) {
        let Some(top) = doc.as_mapping() else {
            return self.problem("", "the document is not a mapping");
        };
        for k in keys(top) {
            if !TOP_KEYS.contains(&k.as_str()) {
                self.problem("", format!("unknown top-level key `{k}`"));
            }
        }
        if get(top, "version").and_then(Value::as_str) != Some(VERSION) {
            self.problem("", format!("version is not the string \"{VERSION}\""));
        }
        for (name, t) in get(top, "providers")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
        {
            let argv = t.as_mapping().and_then(|t| get(t, "command"));
            if !argv.is_some_and(is_string_list) {
                self.problem(
                    "",
                    format!("provider {name:?}: command is not a list of strings"),
                );
            }
        }
        let imports = get(top, "imports").and_then(Value::as_mapping);
        for (alias, path) in imports.into_iter().flatten() {
            let target = self
                .files
                .iter()
                .find(|(n, _)| Some(n.as_str()) == path.as_str());
            let version = target
                .and_then(|(_, d)| d.as_mapping())
                .and_then(|m| get(m, "version"))
                .and_then(Value::as_str);
            if version != Some(VERSION) {
                self.problem(
                    "",
                    format!("import {alias:?} is not an emitted file of version {VERSION}"),
                );
            }
        }
        let steps = get(top, "steps").and_then(Value::as_sequence);
        let Some(steps) = steps else {
            return self.problem("", "no steps");
        };
        let scope = Scope::top(top, self.files);
        self.steps(steps, &scope, "");
        if let Some(outputs) = get(top, "outputs").and_then(Value::as_mapping) {
            let all = Scope::after_all(&scope, steps);
            for (name, c) in outputs {
                let r = c
                    .as_mapping()
                    .and_then(|c| get(c, "from"))
                    .and_then(Value::as_mapping)
                    .and_then(|f| get(f, "ref"))
                    .and_then(Value::as_str);
                match r {
                    Some(r) => {
                        if let Err(e) = resolve_ref(r, &all, self.files) {
                            self.problem("", format!("output {name:?}: {e}"));
                        }
                    }
                    None => self.problem("", format!("output {name:?} has no from.ref")),
                }
            }
        }
    }

    /// Checks a step list; `scope` sees what is visible before its first step.
    pub(super) fn steps(&mut self, steps: &[Value], scope: &Scope, path: &str) {
        let mut scope = scope.clone();
        for (i, step) in steps.iter().enumerate() {
            let Some(m) = step.as_mapping() else {
                self.problem(path, format!("item {i} is not a mapping"));
                continue;
            };
            let name = get(m, "name")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string();
            let at = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}/{name}")
            };
            if scope.names.contains(&name) {
                self.problem(&at, "duplicate step name");
            }
            self.step(m, &scope, &at);
            if get(m, "for_each").is_some() {
                let next = steps.get(i + 1).and_then(Value::as_mapping);
                let gate = next.is_some_and(|n| {
                    get(n, "name").and_then(Value::as_str) == Some(&format!("{name}-gate"))
                        && get(n, "command").is_some()
                });
                if !gate {
                    self.problem(&at, "for_each is not followed by its failure gate step");
                }
            }
            scope.add_step(&name, m);
        }
    }

    fn step(&mut self, m: &Mapping, scope: &Scope, at: &str) {
        for k in keys(m) {
            match STEP_KEYS.iter().find(|(key, _)| *key == k) {
                None => self.problem(at, format!("unknown step key `{k}`")),
                Some((_, since)) if !version_le(since, VERSION) => {
                    self.problem(at, format!("`{k}` needs version {since}"))
                }
                Some(_) => {}
            }
        }
        let forms: Vec<&str> = FORMS
            .iter()
            .copied()
            .filter(|f| get(m, f).is_some())
            .collect();
        if forms.len() != 1 {
            self.problem(
                at,
                format!("{} execution forms ({forms:?}), not one", forms.len()),
            );
        }
        super::check_step::check_step(self, m, scope, at);
    }

    /// Every `${…}` in `text` resolves in `scope`.
    pub(super) fn text_refs(&mut self, text: &str, scope: &Scope, at: &str) {
        for problem in check_text_refs(text, scope) {
            self.problem(at, problem);
        }
    }
}

pub(super) fn is_string_list(v: &Value) -> bool {
    v.as_sequence()
        .is_some_and(|s| !s.is_empty() && s.iter().all(|x| x.is_string()))
}

/// Whether `name` is a provider the file declares or the DSL builds in.
pub(super) fn provider_known(name: &str, declared: &[String]) -> bool {
    declared.iter().any(|d| d == name) || BUILTIN_PROVIDERS.contains(&name)
}
