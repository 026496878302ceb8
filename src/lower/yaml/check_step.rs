//! The per-step half of the self-checks: the closed key sets of a step's
//! sub-blocks (`retries`, `for_each`, `output_bundle` and its fields, `on`,
//! branches, loops), typed predicates with exactly one operator, and the
//! references each part makes, in the scope where the DSL evaluates it.
//! Nested step lists are checked with their own scope.

use super::check::{Checker, get, is_string_list, keys, provider_known};
use super::refs::{Scope, resolve_ref};
use serde_norway::{Mapping, Value};

const FIELD_KEYS: &[&str] = &[
    "name",
    "json_pointer",
    "type",
    "allowed",
    "under",
    "must_exist_target",
    "required",
];

fn closed(c: &mut Checker, m: &Mapping, allowed: &[&str], what: &str, at: &str) {
    for k in keys(m) {
        if !allowed.contains(&k.as_str()) {
            c.problem(at, format!("unknown key `{k}` in {what}"));
        }
    }
}

fn str_of<'v>(m: &'v Mapping, key: &str) -> Option<&'v str> {
    get(m, key).and_then(Value::as_str)
}

pub(super) fn check_step(c: &mut Checker, m: &Mapping, scope: &Scope, at: &str) {
    if let (Some(cmd), Some(out)) = (
        get(m, "command").and_then(Value::as_sequence),
        str_of(m, "output_file"),
    ) && cmd.iter().skip(1).any(|a| a.as_str() == Some(out))
    {
        c.problem(at, format!("the step reads {out}, the file it writes"));
    }
    if let Some(cmd) = get(m, "command") {
        if is_string_list(cmd) {
            for item in cmd
                .as_sequence()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                c.text_refs(item, scope, at);
            }
        } else {
            c.problem(at, "command is not a non-empty list of strings");
        }
    }
    if let Some(p) = get(m, "provider") {
        match p.as_str() {
            Some(p) if provider_known(p, &scope.providers) => {}
            _ => c.problem(at, format!("provider {p:?} is not declared")),
        }
    }
    for key in ["input_file", "output_file"] {
        if let Some(v) = get(m, key) {
            match v.as_str() {
                Some(s) => c.text_refs(s, scope, at),
                None => c.problem(at, format!("{key} is not a string")),
            }
        }
    }
    if let Some(params) = get(m, "provider_params").and_then(Value::as_mapping) {
        for v in params.values() {
            match v.as_str() {
                Some(s) => c.text_refs(s, scope, at),
                None => c.problem(at, "a provider_params value is not a string"),
            }
        }
    }
    if let Some(env) = get(m, "env") {
        let ok = env
            .as_mapping()
            .is_some_and(|e| e.values().all(Value::is_string));
        if !ok {
            c.problem(at, "env is not a map of strings");
        }
    }
    if let Some(cap) = get(m, "output_capture")
        && !matches!(cap.as_str(), Some("text" | "lines" | "json"))
    {
        c.problem(
            at,
            format!("output_capture {cap:?} is not text, lines or json"),
        );
    }
    if let Some(r) = get(m, "retries").and_then(Value::as_mapping) {
        closed(c, r, &["max", "delay_ms"], "retries", at);
    }
    if let Some(b) = get(m, "output_bundle").and_then(Value::as_mapping) {
        closed(c, b, &["path", "fields"], "output_bundle", at);
        bundle_path_and_fields(c, b, scope, at);
    }
    if let Some(v) = get(m, "variant_output").and_then(Value::as_mapping) {
        closed(
            c,
            v,
            &["path", "discriminant", "variants"],
            "variant_output",
            at,
        );
        bundle_path_and_fields(c, v, scope, at);
        for (_, variant) in get(v, "variants")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
        {
            if let Some(vm) = variant.as_mapping() {
                closed(c, vm, &["fields"], "a variant", at);
                bundle_path_and_fields(c, vm, scope, at);
            }
        }
    }
    if let Some(on) = get(m, "on") {
        on_routes(c, on, scope, at);
    }
    if let Some(w) = get(m, "when") {
        predicate(c, w, scope, at);
    }
    if get(m, "call").is_some() {
        call(c, m, scope, at);
    }
    if let Some(fe) = get(m, "for_each").and_then(Value::as_mapping) {
        closed(c, fe, &["items_from", "as", "steps"], "for_each", at);
        let from = str_of(fe, "items_from").unwrap_or("");
        c.text_refs(&format!("${{{from}}}"), scope, at);
        let mut inner = scope.nested();
        inner.in_loop = true;
        inner.aliases.extend(str_of(fe, "as").map(str::to_string));
        list(c, get(fe, "steps"), &inner, at);
    }
    if let Some(cond) = get(m, "if") {
        predicate(c, cond, scope, at);
        for key in ["then", "else"] {
            match get(m, key) {
                Some(b) => branch(c, b, scope, &format!("{at}/{key}")),
                None => c.problem(at, format!("if without `{key}`")),
            }
        }
    }
    if let Some(mt) = get(m, "match").and_then(Value::as_mapping) {
        closed(c, mt, &["ref", "cases"], "match", at);
        ref_at(c, str_of(mt, "ref"), scope, at);
        for (case, b) in get(mt, "cases")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
        {
            let case = case.as_str().unwrap_or("?");
            branch(c, b, scope, &format!("{at}/{case}"));
        }
    }
    if let Some(r) = get(m, "repeat_until").and_then(Value::as_mapping) {
        repeat_until(c, r, scope, at);
    }
}

fn bundle_path_and_fields(c: &mut Checker, b: &Mapping, scope: &Scope, at: &str) {
    if let Some(path) = get(b, "path") {
        match path.as_str() {
            Some(p) => c.text_refs(p, scope, at),
            None => c.problem(at, "bundle path is not a string"),
        }
    }
    let fields = get(b, "fields").and_then(Value::as_sequence);
    let discriminant = get(b, "discriminant").and_then(Value::as_mapping);
    for f in fields
        .into_iter()
        .flatten()
        .map(Value::as_mapping)
        .chain([discriminant].into_iter().filter(Option::is_some))
    {
        match f {
            Some(f) => closed(c, f, FIELD_KEYS, "an output field", at),
            None => c.problem(at, "an output field is not a mapping"),
        }
    }
}

fn list(c: &mut Checker, steps: Option<&Value>, scope: &Scope, at: &str) {
    match steps.and_then(Value::as_sequence) {
        Some(s) if !s.is_empty() => c.steps(s, scope, at),
        _ => c.problem(at, "no steps"),
    }
}

/// A branch or case: a step list, or `{id?, steps}`.
fn branch(c: &mut Checker, b: &Value, scope: &Scope, at: &str) {
    match b.as_mapping() {
        Some(m) => {
            closed(c, m, &["id", "steps"], "a branch", at);
            list(c, get(m, "steps"), &scope.nested(), at);
        }
        None => list(c, Some(b), &scope.nested(), at),
    }
}

fn repeat_until(c: &mut Checker, r: &Mapping, scope: &Scope, at: &str) {
    let allowed = [
        "id",
        "max_iterations",
        "outputs",
        "condition",
        "on_exhausted",
        "steps",
    ];
    closed(c, r, &allowed, "repeat_until", at);
    let positive = get(r, "max_iterations")
        .and_then(Value::as_u64)
        .is_some_and(|n| n > 0);
    if !positive {
        c.problem(at, "max_iterations is not a positive integer");
    }
    let mut body = scope.nested();
    body.in_loop = true;
    let steps = get(r, "steps").and_then(Value::as_sequence);
    list(c, get(r, "steps"), &body, at);
    let after = Scope::after_all(&body, steps.map_or(&[][..], |s| s.as_slice()));
    let outputs = get(r, "outputs").and_then(Value::as_mapping);
    for (name, out) in outputs.into_iter().flatten() {
        let from = out
            .as_mapping()
            .and_then(|o| get(o, "from"))
            .and_then(Value::as_mapping)
            .and_then(|f| str_of(f, "ref"));
        match from {
            Some(r) if r.starts_with("self.steps.") => ref_at(c, Some(r), &after, at),
            _ => c.problem(at, format!("loop output {name:?} is not from a body step")),
        }
    }
    let mut cond = body.clone();
    cond.self_outputs = outputs.map(keys).unwrap_or_default();
    match get(r, "condition") {
        Some(p) => predicate(c, p, &cond, at),
        None => c.problem(at, "repeat_until without condition"),
    }
    for (name, _) in get(r, "on_exhausted")
        .and_then(Value::as_mapping)
        .and_then(|o| get(o, "outputs"))
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap_or("?");
        if !cond.self_outputs.iter().any(|o| o == name) {
            c.problem(
                at,
                format!("on_exhausted sets {name:?}, which is not a loop output"),
            );
        }
    }
}

fn ref_at(c: &mut Checker, r: Option<&str>, scope: &Scope, at: &str) {
    match r {
        Some(r) => {
            if let Err(e) = resolve_ref(r, scope, c.files) {
                c.problem(at, e);
            }
        }
        None => c.problem(at, "missing ref"),
    }
}

/// A typed predicate: exactly one operator, every ref resolving.
pub(super) fn predicate(c: &mut Checker, p: &Value, scope: &Scope, at: &str) {
    let Some(m) = p.as_mapping() else {
        return c.problem(at, "a predicate is not a mapping");
    };
    if m.len() != 1 {
        return c.problem(at, "a predicate must have exactly one operator");
    }
    for (op, v) in m {
        match op.as_str() {
            Some("artifact_bool") => {
                ref_at(c, v.as_mapping().and_then(|r| str_of(r, "ref")), scope, at)
            }
            Some("compare") => {
                let Some(cmp) = v.as_mapping() else {
                    return c.problem(at, "compare is not a mapping");
                };
                closed(c, cmp, &["left", "op", "right"], "compare", at);
                for side in ["left", "right"] {
                    if let Some(r) = get(cmp, side).and_then(Value::as_mapping) {
                        ref_at(c, str_of(r, "ref"), scope, at);
                    }
                }
                let ops = ["eq", "ne", "lt", "lte", "gt", "gte"];
                if !str_of(cmp, "op").is_some_and(|o| ops.contains(&o)) {
                    c.problem(at, "compare without a known op");
                }
            }
            Some("all_of" | "any_of") => match v.as_sequence() {
                Some(ps) if !ps.is_empty() => ps.iter().for_each(|p| predicate(c, p, scope, at)),
                _ => c.problem(at, "all_of/any_of without predicates"),
            },
            Some("not") => predicate(c, v, scope, at),
            other => c.problem(at, format!("unknown predicate operator {other:?}")),
        }
    }
}

fn on_routes(c: &mut Checker, on: &Value, scope: &Scope, at: &str) {
    let Some(on) = on.as_mapping() else {
        return c.problem(at, "on is not a mapping");
    };
    closed(c, on, &["success", "failure", "always"], "on", at);
    if !scope.at_top {
        c.problem(at, "goto routing outside the top level");
    }
    for (_, route) in on {
        let target = route.as_mapping().and_then(|r| str_of(r, "goto"));
        let known = target.is_some_and(|t| t == "_end" || scope.top_names.iter().any(|n| n == t));
        if !known {
            c.problem(
                at,
                format!("goto target {target:?} is not a top-level step"),
            );
        }
    }
}

fn call(c: &mut Checker, m: &Mapping, scope: &Scope, at: &str) {
    let alias = str_of(m, "call").unwrap_or("");
    if !scope.imports.iter().any(|(a, _)| a == alias) {
        c.problem(at, format!("call of unknown import {alias:?}"));
    }
    if get(m, "id").is_none() {
        c.problem(at, "call step without an id");
    }
    let Some(with) = get(m, "with").and_then(Value::as_mapping) else {
        return;
    };
    for (k, v) in with {
        let k = k.as_str().unwrap_or("?");
        if let Some(r) = v.as_mapping() {
            ref_at(c, str_of(r, "ref"), scope, at);
        } else if v.as_str().is_some_and(|s| s.contains("${")) {
            c.problem(
                at,
                format!("with.{k} is a literal with `${{`, which the DSL does not substitute"),
            );
        }
    }
}
