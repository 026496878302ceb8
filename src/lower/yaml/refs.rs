//! What a `${…}` substitution or a structured `ref:` may name at a point of
//! a workflow file, and the checks that each one does. A scope holds the
//! workflow's inputs, the top-level steps before the point (for `root.`),
//! the steps before it in its own list (for `self.` and `${steps.…}`), the
//! loop variables in force, and each visible step's declared artifacts.
//! Step names may contain dots, so a name is matched longest first, as the
//! DSL's runtime does.

use super::check::{get, keys};
use serde_norway::{Mapping, Value};

/// A visible step and the artifacts it declares.
#[derive(Debug, Clone)]
pub struct Seen {
    pub name: String,
    pub artifacts: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub inputs: Vec<String>,
    pub providers: Vec<String>,
    /// Import alias and file.
    pub imports: Vec<(String, String)>,
    /// Top-level steps before this point.
    pub root: Vec<Seen>,
    /// Steps before this point in the current list.
    pub local: Vec<Seen>,
    /// Names taken in the current list (for duplicates).
    pub names: Vec<String>,
    /// Whether the current list is the top level (`self` is `root`).
    pub at_top: bool,
    /// Inside `for_each` or `repeat_until`: `${loop.index}` is defined.
    pub in_loop: bool,
    /// `for_each` aliases in force.
    pub aliases: Vec<String>,
    /// `self.outputs.*` names (a `repeat_until` condition only).
    pub self_outputs: Vec<String>,
    /// Declared outputs of each imported file, by alias.
    pub callee_outputs: Vec<(String, Vec<String>)>,
    /// Every top-level step name of the file (`goto` targets).
    pub top_names: Vec<String>,
}

impl Scope {
    /// The scope at the start of a file's top-level steps; `files` are
    /// every emitted file, for the outputs of imported ones.
    pub fn top(top: &Mapping, files: &[(String, Value)]) -> Scope {
        let names = |key: &str| -> Vec<String> {
            get(top, key)
                .and_then(Value::as_mapping)
                .map(keys)
                .unwrap_or_default()
        };
        let imports: Vec<(String, String)> = get(top, "imports")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
            .filter_map(|(a, p)| Some((a.as_str()?.to_string(), p.as_str()?.to_string())))
            .collect();
        let callee_outputs = imports
            .iter()
            .map(|(alias, path)| {
                let outputs = files
                    .iter()
                    .find(|(n, _)| n == path)
                    .and_then(|(_, d)| d.as_mapping())
                    .and_then(|d| get(d, "outputs"))
                    .and_then(Value::as_mapping)
                    .map(keys)
                    .unwrap_or_default();
                (alias.clone(), outputs)
            })
            .collect();
        let top_names = get(top, "steps")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(|s| {
                s.as_mapping()
                    .and_then(|s| get(s, "name"))
                    .and_then(Value::as_str)
            })
            .map(str::to_string)
            .collect();
        Scope {
            inputs: names("inputs"),
            providers: names("providers"),
            imports,
            callee_outputs,
            top_names,
            at_top: true,
            ..Scope::default()
        }
    }

    /// The scope after every step of the top-level list (for `outputs`).
    pub fn after_all(scope: &Scope, steps: &[Value]) -> Scope {
        let mut s = scope.clone();
        for step in steps.iter().filter_map(Value::as_mapping) {
            let name = get(step, "name").and_then(Value::as_str).unwrap_or("?");
            s.add_step(name, step);
        }
        s
    }

    /// A nested list (branch or loop body): `self` starts empty.
    pub fn nested(&self) -> Scope {
        Scope {
            local: Vec::new(),
            names: Vec::new(),
            at_top: false,
            self_outputs: Vec::new(),
            ..self.clone()
        }
    }

    pub fn add_step(&mut self, name: &str, step: &Mapping) {
        let seen = Seen {
            name: name.to_string(),
            artifacts: self.artifacts_of(step),
        };
        if self.at_top {
            self.root.push(seen.clone());
        }
        self.local.push(seen);
        self.names.push(name.to_string());
    }

    fn artifacts_of(&self, step: &Mapping) -> Vec<String> {
        let mut out = Vec::new();
        let field_names = |fields: Option<&Value>, out: &mut Vec<String>| {
            for f in fields.and_then(Value::as_sequence).into_iter().flatten() {
                if let Some(n) = f
                    .as_mapping()
                    .and_then(|f| get(f, "name"))
                    .and_then(Value::as_str)
                {
                    out.push(n.to_string());
                }
            }
        };
        if let Some(b) = get(step, "output_bundle").and_then(Value::as_mapping) {
            field_names(get(b, "fields"), &mut out);
        }
        if let Some(v) = get(step, "variant_output").and_then(Value::as_mapping) {
            if let Some(n) = get(v, "discriminant")
                .and_then(Value::as_mapping)
                .and_then(|d| get(d, "name"))
                .and_then(Value::as_str)
            {
                out.push(n.to_string());
            }
            for (_, variant) in get(v, "variants")
                .and_then(Value::as_mapping)
                .into_iter()
                .flatten()
            {
                field_names(
                    variant.as_mapping().and_then(|m| get(m, "fields")),
                    &mut out,
                );
            }
        }
        if let Some(r) = get(step, "repeat_until").and_then(Value::as_mapping) {
            out.extend(
                get(r, "outputs")
                    .and_then(Value::as_mapping)
                    .map(keys)
                    .unwrap_or_default(),
            );
        }
        if let Some(alias) = get(step, "call").and_then(Value::as_str)
            && let Some((_, outs)) = self.callee_outputs.iter().find(|(a, _)| a == alias)
        {
            out.extend(outs.iter().cloned());
        }
        out
    }
}

/// The step of `steps` whose name starts `rest` (longest first), and what
/// follows its name.
fn split_step<'r>(rest: &'r str, steps: &[Seen]) -> Option<(Seen, &'r str)> {
    let mut best: Option<(Seen, &str)> = None;
    for s in steps {
        if let Some(after) = rest.strip_prefix(s.name.as_str())
            && (after.is_empty() || after.starts_with('.'))
            && best
                .as_ref()
                .is_none_or(|(b, _)| b.name.len() < s.name.len())
        {
            best = Some((s.clone(), after.trim_start_matches('.')));
        }
    }
    best
}

/// Whether `field` (after the step name) is something a step result has.
fn step_field_ok(seen: &Seen, field: &str, structured: bool) -> Result<(), String> {
    if let Some(a) = field.strip_prefix("artifacts.") {
        return if seen.artifacts.iter().any(|x| x == a) {
            Ok(())
        } else {
            Err(format!("step {:?} declares no artifact {a:?}", seen.name))
        };
    }
    let plain = ["exit_code"];
    let text = ["output", "lines", "duration_ms"];
    let ok = plain.contains(&field)
        || (structured && field.starts_with("outcome."))
        || (!structured
            && (text.contains(&field) || field == "json" || field.starts_with("json.")));
    if ok {
        Ok(())
    } else {
        Err(format!("step {:?} has no {field:?}", seen.name))
    }
}

/// Resolves a structured `ref:` in `scope`.
pub fn resolve_ref(r: &str, scope: &Scope, files: &[(String, Value)]) -> Result<(), String> {
    let _ = files;
    let unknown = || Err(format!("`{r}` names no step, input or output in scope"));
    if let Some(name) = r.strip_prefix("inputs.") {
        return if scope.inputs.iter().any(|i| i == name) {
            Ok(())
        } else {
            Err(format!("`{r}`: no input {name:?}"))
        };
    }
    if let Some(name) = r.strip_prefix("self.outputs.") {
        return if scope.self_outputs.iter().any(|o| o == name) {
            Ok(())
        } else {
            unknown()
        };
    }
    let (steps, rest) = if let Some(rest) = r.strip_prefix("root.steps.") {
        (&scope.root, rest)
    } else if let Some(rest) = r.strip_prefix("self.steps.") {
        (&scope.local, rest)
    } else {
        return unknown();
    };
    match split_step(rest, steps) {
        Some((seen, field)) => step_field_ok(&seen, field, true).map_err(|e| format!("`{r}`: {e}")),
        None => unknown(),
    }
}

/// The bodies of the `${…}` substitutions in `text` (not `$${…}`).
pub fn substitutions(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$'
            && bytes[i + 1] == b'{'
            && (i == 0 || bytes[i - 1] != b'$')
            && let Some(end) = text[i + 2..].find('}')
        {
            out.push(&text[i + 2..i + 2 + end]);
            i += end + 3;
            continue;
        }
        i += 1;
    }
    out
}

/// Problems with the `${…}` substitutions of `text` in `scope`.
pub fn check_text_refs(text: &str, scope: &Scope) -> Vec<String> {
    let mut problems = Vec::new();
    for sub in substitutions(text) {
        let body = sub.strip_suffix("|json").unwrap_or(sub);
        let ok = if let Some(name) = body.strip_prefix("inputs.") {
            scope.inputs.iter().any(|i| i == name)
        } else if let Some(rest) = body.strip_prefix("steps.") {
            let visible: Vec<Seen> = scope
                .local
                .iter()
                .chain(scope.root.iter())
                .cloned()
                .collect();
            match split_step(rest, &visible) {
                Some((seen, field)) => match step_field_ok(&seen, field, false) {
                    Ok(()) => true,
                    Err(e) => {
                        problems.push(format!("`${{{sub}}}`: {e}"));
                        continue;
                    }
                },
                None => false,
            }
        } else if matches!(body, "loop.index" | "loop.total") {
            scope.in_loop
        } else if let Some(field) = body.strip_prefix("run.") {
            matches!(field, "id" | "root" | "timestamp_utc")
        } else {
            scope.aliases.iter().any(|a| a == body)
        };
        if !ok {
            problems.push(format!("`${{{sub}}}` does not resolve here"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutions_skip_escaped_dollars() {
        assert_eq!(substitutions("a ${x} $${y} ${z|json}"), ["x", "z|json"]);
        assert!(substitutions("$HOME $((1+2))").is_empty());
    }

    #[test]
    fn longest_step_name_wins() {
        let steps = vec![
            Seen {
                name: "a".into(),
                artifacts: vec![],
            },
            Seen {
                name: "a.b".into(),
                artifacts: vec!["x".into()],
            },
        ];
        let (seen, rest) = split_step("a.b.artifacts.x", &steps).unwrap();
        assert_eq!((seen.name.as_str(), rest), ("a.b", "artifacts.x"));
    }
}
