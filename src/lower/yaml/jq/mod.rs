//! Pure wfl code as jq programs. The DSL has no expressions beyond its
//! typed predicates, so every pure computation of a workflow (formatting,
//! prompts, records, list functions, defns) runs as a `jq` step over the
//! JSON files earlier steps wrote. jq (1.6 or later) is deterministic and
//! JSON-native: wfl's JSON forms (records as objects, unions with a
//! `variant` key, options as `null`) are jq values as they are.
//!
//! A `Jq` translates one program: locals and parameters map to jq
//! expressions (`$design`), defns become `def`s emitted before the body
//! (in dependency order: defns are never recursive), and the few built-ins
//! whose jq spelling differs in an edge case get a small helper `def` that
//! gives wfl's exact result (`_split`, `_trim`, `_path`). What cannot be
//! translated (function values that are not named defns, prompts or
//! built-ins; expressions that failed to check) comes back as `Untranslatable`.

mod builtins;
mod expr;
mod forms;
mod text;

pub use expr::{field_suffix, key};
pub use text::jq_string;

use crate::diag::Span;
use crate::typeck::Tables;
use crate::typeck::typed::LocalId;
use crate::typeck::types::Name;
use indexmap::IndexSet;
use std::collections::{BTreeSet, HashMap};

/// Why an expression has no jq translation.
#[derive(Debug, Clone, PartialEq)]
pub struct Untranslatable {
    pub span: Span,
    pub what: String,
}

pub type Jr = Result<String, Untranslatable>;

/// A helper `def` some translations need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Helper {
    Split,
    Trim,
    Path,
    ErrorRecord,
}

impl Helper {
    fn def(self) -> &'static str {
        match self {
            Helper::Split => {
                r#"def _split($sep): if $sep == "" then [explode[] | [.] | implode] elif . == "" then [""] else split($sep) end;"#
            }
            Helper::Trim => r#"def _trim: sub("^\\s+"; "") | sub("\\s+$"; "");"#,
            Helper::Path => {
                r#"def _path($under; $ext): . as $s
  | [$s | splits("[/\\\\]") | select(. != "" and . != ".")] as $seg
  | if $s == "" or ($s | test("^([/\\\\]|[A-Za-z]:)")) or ($seg | index([".."]) != null)
    then error("\($s | tojson) is not a workspace-relative path")
    elif $under != null and ([$under | splits("[/\\\\]") | select(. != "" and . != ".")] as $u
      | $seg[:($u | length)] != $u or ($seg | length) <= ($u | length))
    then error("\($s | tojson) is not under \($under | tojson)")
    elif $ext != null and (($s | test("[/\\\\]$")) or (($seg | last // "") as $l
      | ($l | endswith($ext)) and ($l | length) > ($ext | length) | not))
    then error("\($s | tojson) does not end with \($ext)")
    else $s end;"#
            }
            Helper::ErrorRecord => {
                r#"def _error_record: {step: "", kind: "FAIL", message: (if type == "string" then . else tojson end), stderr: "", attempt: 1};"#
            }
        }
    }
}

/// One jq program under translation.
pub struct Jq<'t> {
    pub tables: &'t Tables,
    locals: HashMap<LocalId, String>,
    params: Vec<String>,
    /// Defns called, in first-use order.
    pub defns: IndexSet<Name>,
    pub helpers: BTreeSet<Helper>,
    /// Pure loops being translated, innermost last: their function names.
    loops: Vec<String>,
    /// Parameters of the defn being translated that are functions: jq
    /// filter parameters, applied to an array of arguments.
    filters: std::collections::HashSet<usize>,
    /// Parameters of the workflow that are functions fixed by its
    /// specialisation: the function each is.
    pub param_funcs: HashMap<usize, crate::typeck::typed::TExpr>,
    next: u32,
}

impl<'t> Jq<'t> {
    pub fn new(tables: &'t Tables) -> Jq<'t> {
        Jq {
            tables,
            locals: HashMap::new(),
            params: Vec::new(),
            defns: IndexSet::new(),
            helpers: BTreeSet::new(),
            loops: Vec::new(),
            filters: std::collections::HashSet::new(),
            param_funcs: HashMap::new(),
            next: 0,
        }
    }

    /// `id` reads as the jq expression `expr` (usually `$name`).
    pub fn bind_local(&mut self, id: LocalId, expr: impl Into<String>) {
        self.locals.insert(id, expr.into());
    }

    /// Parameter `index` of the current item reads as `expr`.
    pub fn bind_param(&mut self, index: usize, expr: impl Into<String>) {
        let expr = expr.into();
        if self.params.len() <= index {
            self.params.resize(index + 1, "null".into());
        }
        self.params[index] = expr;
    }

    /// A variable name not used before in this program.
    fn fresh(&mut self, base: &str) -> String {
        self.next += 1;
        format!("${base}{}", self.next)
    }

    /// The `def`s this program needs: helpers, then every defn it calls
    /// (directly or not), each after the defns it calls.
    pub fn prelude(&mut self) -> Result<Vec<String>, Untranslatable> {
        let mut helpers = self.helpers.clone();
        let mut defs: Vec<String> = Vec::new();
        let mut done: IndexSet<Name> = IndexSet::new();
        let roots: Vec<Name> = self.defns.iter().cloned().collect();
        for name in roots {
            self.define(&name, &mut done, &mut defs, &mut helpers, 0)?;
        }
        let mut out: Vec<String> = helpers.iter().map(|h| h.def().to_string()).collect();
        out.extend(defs);
        Ok(out)
    }

    /// Appends the `def` of `name` after those of the defns it calls (jq
    /// needs a function defined before its use; defns never recurse).
    fn define(
        &self,
        name: &Name,
        done: &mut IndexSet<Name>,
        defs: &mut Vec<String>,
        helpers: &mut BTreeSet<Helper>,
        depth: usize,
    ) -> Result<(), Untranslatable> {
        if done.contains(name) || depth > 256 {
            return Ok(());
        }
        let mut sub = Jq::new(self.tables);
        let text = sub.defn_def(name)?;
        helpers.extend(sub.helpers.iter().copied());
        for callee in &sub.defns {
            self.define(callee, done, defs, helpers, depth + 1)?;
        }
        if done.insert(name.clone()) {
            defs.push(text);
        }
        Ok(())
    }

    /// `def name($a; $b): body;` for defn `name`.
    fn defn_def(&mut self, name: &Name) -> Jr {
        let Some(info) = self.tables.fns.get(name) else {
            return Err(Untranslatable {
                span: Span::default(),
                what: format!("the definition of `{name}`"),
            });
        };
        let mut params = Vec::new();
        for (i, p) in info.params.iter().enumerate() {
            let ident = super::names::jq_ident(&p.name);
            if matches!(p.ty, crate::typeck::types::Type::Fn(..)) {
                // A function parameter is a jq filter over its arguments.
                self.filters.insert(i);
                self.bind_param(i, ident.clone());
                params.push(ident);
                continue;
            }
            let var = format!("${ident}");
            self.bind_param(i, var.clone());
            params.push(var);
        }
        let body = self.body(&info.body, info.span)?;
        let ident = super::names::jq_ident(name);
        if params.is_empty() {
            Ok(format!("def {ident}: {body};"))
        } else {
            Ok(format!("def {ident}({}): {body};", params.join("; ")))
        }
    }
}

/// The full text of a jq program: its `def`s, one input line per file it
/// reads (`input as $design |`), and the body.
pub fn program(defs: &[String], header: &[String], body: &str) -> String {
    let mut out = String::new();
    for d in defs {
        out.push_str(d);
        out.push('\n');
    }
    for h in header {
        out.push_str(h);
        out.push_str(" |\n");
    }
    out.push_str(body);
    out
}
