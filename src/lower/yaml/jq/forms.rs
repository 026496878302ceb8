//! Prompts, pure loops and pure `try` as jq. A prompt renders its
//! template with its parameters bound (simple values fill the holes
//! directly). A pure `loop` is a local recursive `def` whose last
//! parameter counts rounds; `recur` calls it with the next values. `try`
//! is jq's `try … catch`, the caught error turned into an `Error` record.

use super::text::jq_string;
use super::{Helper, Jq, Jr, Untranslatable};
use crate::lower::yaml::names::jq_ident;
use crate::typeck::typed::{TExpr, TLoop, TTry};

impl Jq<'_> {
    /// A prompt rendered with arguments (one per parameter; `None` is the
    /// parameter's default).
    pub fn prompt(&mut self, name: &str, args: &[Option<&TExpr>], e: &TExpr) -> Jr {
        let Some(info) = self.tables.prompts.get(name) else {
            return Err(self.unsupported(e, format!("the prompt `{name}`")));
        };
        let values = self.prompt_args(info, args, e)?;
        self.render_prompt(info, values)
    }

    fn prompt_args(
        &mut self,
        info: &crate::typeck::PromptInfo,
        args: &[Option<&TExpr>],
        e: &TExpr,
    ) -> Result<Vec<String>, Untranslatable> {
        let mut values = Vec::new();
        for (i, p) in info.params.iter().enumerate() {
            let value = match args.get(i).copied().flatten() {
                Some(a) => self.expr(a)?,
                None => match &p.default {
                    Some(d) => self.expr(d)?,
                    None => return Err(self.unsupported(e, format!("the argument `{}`", p.name))),
                },
            };
            values.push(value);
        }
        Ok(values)
    }

    /// The template of `info` with its parameters bound to `values`:
    /// simple values fill the holes directly, others are bound first.
    pub fn render_prompt(&mut self, info: &crate::typeck::PromptInfo, values: Vec<String>) -> Jr {
        let saved = std::mem::take(&mut self.params);
        let mut binds = String::new();
        for (i, (p, v)) in info.params.iter().zip(values).enumerate() {
            if v.starts_with('$') && !v.contains(' ') {
                self.bind_param(i, v);
            } else {
                let var = format!("${}", jq_ident(&p.name));
                binds.push_str(&format!("{v} as {var} | "));
                self.bind_param(i, var);
            }
        }
        let text = self.template(&info.template.parts);
        self.params = saved;
        let text = text?;
        Ok(if binds.is_empty() {
            text
        } else {
            format!("({binds}{text})")
        })
    }

    pub(super) fn pure_loop(&mut self, l: &TLoop, e: &TExpr) -> Jr {
        let f = format!("_loop_{}", jq_ident(l.step.name()));
        let max = match &l.max {
            Some(m) => self.expr(m)?,
            None => return Err(self.unsupported(e, "a loop without :max")),
        };
        let mut inits = Vec::new();
        let mut params = Vec::new();
        for s in &l.state {
            inits.push(self.expr(&s.value)?);
            let var = format!("${}", jq_ident(&s.name));
            self.bind_local(s.id, var.clone());
            params.push(var);
        }
        params.push("$round".into());
        self.loops.push(f.clone());
        let body = self.body(&l.body, e.span);
        self.loops.pop();
        let exhausted = match &l.exhausted {
            Some(x) => self.expr(x)?,
            None => format!(
                "error({})",
                jq_string(&format!(
                    "loop {}: no value after its :max rounds",
                    l.step.name()
                ))
            ),
        };
        inits.push("1".into());
        let maxv = self.fresh("max");
        Ok(format!(
            "({max} as {maxv} | def {f}({}): if $round > {maxv} then {exhausted} else {} end; {f}({}))",
            params.join("; "),
            body?,
            inits.join("; ")
        ))
    }

    pub(super) fn pure_try(&mut self, t: &TTry, e: &TExpr) -> Jr {
        self.helpers.insert(Helper::ErrorRecord);
        let body = self.body(&t.body, e.span)?;
        let var = format!("${}", jq_ident(&t.var));
        self.bind_local(t.var_id, var.clone());
        let handler = self.body(&t.handler, e.span)?;
        Ok(format!(
            "(try {body} catch (_error_record as {var} | {handler}))"
        ))
    }
}
