//! Lowering of effect steps (command, provider, human, call) and control
//! forms (loop, recur, for-each, parallel, retry, try, phase, budget, fail,
//! assert). Bounds such as `:max` are kept as expressions; whether they are
//! present and positive is the checker's business.

use super::kwargs::KwArgs;
use super::{Lowerer, head_span};
use crate::diag::{Code, Diagnostic};
use crate::parser::ast::*;
use crate::parser::sexpr::Sexpr;

/// Keywords every effect step accepts.
const STEP_KEYS: [&str; 3] = ["name", "timeout", "idempotent"];

impl Lowerer<'_> {
    /// Lowers `(name rest…)` if `name` is an effect or control form.
    pub(super) fn effect_or_control(
        &mut self,
        s: &Sexpr,
        name: &str,
        rest: &[Sexpr],
    ) -> Option<ExprKind> {
        Some(match name {
            "command" => self.command(s, rest),
            "provider" => self.provider(s, rest),
            "human" => self.human(s, rest),
            "call" => self.call(s, rest),
            "loop" => self.loop_expr(s, rest),
            "recur" => {
                let kw = KwArgs::split(self, "recur", rest, &[]);
                ExprKind::Recur(self.body(&kw.positional))
            }
            "for-each" => self.for_each(s, rest),
            "parallel" => self.parallel(s, rest),
            "retry" => self.retry(s, rest),
            "try" => self.try_expr(s, rest),
            "phase" => {
                let kw = KwArgs::split(self, "phase", rest, &[]);
                let Some(name) = self.form_name(s, "phase", &kw) else {
                    return Some(ExprKind::Error);
                };
                let body = self.rest_body(s, "phase", &kw.positional[1..]);
                ExprKind::Phase { name, body }
            }
            "budget" => {
                let kw = KwArgs::split(self, "budget", rest, &["tokens", "usd"]);
                ExprKind::Budget(BudgetExpr {
                    tokens: kw.get("tokens").map(|e| Box::new(self.expr(e))),
                    usd: kw.get("usd").map(|e| Box::new(self.expr(e))),
                    body: self.rest_body(s, "budget", &kw.positional),
                })
            }
            "fail" => {
                let kw = KwArgs::split(self, "fail", rest, &[]);
                match kw.positional.as_slice() {
                    [msg] => ExprKind::Fail(Box::new(self.expr(msg))),
                    other => {
                        self.malformed(head_span(s), "fail", "one message", other.get(1).copied());
                        ExprKind::Error
                    }
                }
            }
            "assert" => {
                let kw = KwArgs::split(self, "assert", rest, &[]);
                match kw.positional.as_slice() {
                    [cond, msg] => ExprKind::Assert {
                        cond: Box::new(self.expr(cond)),
                        message: Box::new(self.expr(msg)),
                    },
                    other => {
                        self.malformed(
                            s.span,
                            "assert",
                            "a condition and a message",
                            other.get(2).copied(),
                        );
                        ExprKind::Error
                    }
                }
            }
            _ => return None,
        })
    }

    fn step_opts(&mut self, kw: &KwArgs, form: &str) -> StepOpts {
        StepOpts {
            name: kw
                .get("name")
                .and_then(|n| self.ident(n, form, "a step name")),
            timeout: kw.get("timeout").map(|t| Box::new(self.expr(t))),
            idempotent: kw
                .get("idempotent")
                .and_then(|b| self.bool(b, form, "`true` or `false`"))
                .unwrap_or(false),
        }
    }

    /// Effect steps take keyword arguments only.
    fn only_keywords(&mut self, kw: &KwArgs, form: &str, expected: &str) {
        if let Some(extra) = kw.positional.first() {
            self.malformed(extra.span, form, expected, Some(extra));
        }
    }

    fn command(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        const FORM: &str = "command";
        let mut keys = vec!["argv", "returns", "env", "stdin", "shell"];
        keys.extend(STEP_KEYS);
        let kw = KwArgs::split(self, FORM, rest, &keys);
        self.only_keywords(&kw, FORM, "a keyword argument such as `:argv`");
        let argv = match kw.require(self, FORM, head_span(s), "argv") {
            Some(a) => {
                let items = self
                    .list(a, FORM, "a list such as (\"cargo\" \"test\")")
                    .unwrap_or_default();
                if items.is_empty() && a.as_list().is_some() {
                    self.malformed(a.span, FORM, "at least the program to run", None);
                }
                items.iter().map(|i| self.expr(i)).collect()
            }
            None => Vec::new(),
        };
        let env = kw
            .get("env")
            .map(|e| self.env_pairs(e, FORM))
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, self.expr(v)))
            .collect();
        ExprKind::Command(CommandStep {
            argv,
            returns: kw.get("returns").map(|t| self.type_expr(t)),
            env,
            stdin: kw.get("stdin").map(|e| Box::new(self.expr(e))),
            shell: kw
                .get("shell")
                .and_then(|b| self.bool(b, FORM, "`true` or `false`"))
                .unwrap_or(false),
            opts: self.step_opts(&kw, FORM),
        })
    }

    fn provider(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        const FORM: &str = "provider";
        let mut keys = vec!["prompt", "returns"];
        keys.extend(STEP_KEYS);
        let kw = KwArgs::split(self, FORM, rest, &keys);
        let Some(provider) = self.form_name(s, FORM, &kw) else {
            return ExprKind::Error;
        };
        self.no_more(
            &kw.positional,
            1,
            FORM,
            "a keyword argument such as `:prompt`",
        );
        let prompt = kw.require(self, FORM, head_span(s), "prompt");
        let returns = kw.require(self, FORM, head_span(s), "returns");
        let (Some(prompt), Some(returns)) = (prompt, returns) else {
            return ExprKind::Error;
        };
        ExprKind::Provider(ProviderStep {
            provider,
            prompt: Box::new(self.expr(prompt)),
            returns: self.type_expr(returns),
            opts: self.step_opts(&kw, FORM),
        })
    }

    fn human(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        const FORM: &str = "human";
        let mut keys = vec!["ask", "returns"];
        keys.extend(STEP_KEYS);
        let kw = KwArgs::split(self, FORM, rest, &keys);
        self.only_keywords(&kw, FORM, "a keyword argument such as `:ask`");
        let Some(ask) = kw.require(self, FORM, head_span(s), "ask") else {
            return ExprKind::Error;
        };
        let returns = match kw.get("returns") {
            Some(t) => self.type_expr(t),
            None => TypeExpr {
                kind: TypeExprKind::Named(Ident {
                    name: "String".into(),
                    span: s.span,
                }),
                span: s.span,
            },
        };
        ExprKind::Human(HumanStep {
            ask: Box::new(self.expr(ask)),
            returns,
            opts: self.step_opts(&kw, FORM),
        })
    }

    /// `(call wf :param v … :name id)`: keyword arguments are the workflow's
    /// parameters, except the step options `:name`, `:timeout`, `:idempotent`.
    fn call(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        const FORM: &str = "call";
        let Some((wf, args)) = rest.split_first() else {
            self.malformed(head_span(s), FORM, "the name of the workflow to call", None);
            return ExprKind::Error;
        };
        let Some(workflow) = self.ident(wf, FORM, "the name of the workflow to call") else {
            return ExprKind::Error;
        };
        let mut opts = StepOpts::default();
        let mut params: Vec<FieldInit> = Vec::new();
        let mut iter = args.iter();
        while let Some(item) = iter.next() {
            let Some(key) = item.as_keyword() else {
                self.malformed(
                    item.span,
                    FORM,
                    "an argument such as `:doc value`",
                    Some(item),
                );
                continue;
            };
            let Some(value) = iter.next() else {
                self.push(
                    Diagnostic::error(Code::E0113, item.span, format!("`:{key}` has no value"))
                        .with_primary("a keyword argument needs a value after it"),
                );
                break;
            };
            let ident = Ident {
                name: key.to_string(),
                span: item.span,
            };
            match key {
                "name" => opts.name = self.ident(value, FORM, "a step name"),
                "idempotent" => {
                    opts.idempotent = self.bool(value, FORM, "`true` or `false`").unwrap_or(false)
                }
                _ => {
                    if let Some(first) = params.iter().find(|p| p.name.name == key) {
                        self.push(
                            Diagnostic::error(
                                Code::E0228,
                                item.span,
                                format!("`:{key}` given twice"),
                            )
                            .with_primary("repeated here")
                            .with_label(first.name.span, "first given here"),
                        );
                        continue;
                    }
                    params.push(FieldInit {
                        name: ident,
                        value: self.expr(value),
                    });
                }
            }
        }
        ExprKind::Call(CallStep {
            workflow,
            args: params,
            opts,
        })
    }

    /// The name every named control form starts with.
    fn form_name(&mut self, s: &Sexpr, form: &str, kw: &KwArgs) -> Option<Ident> {
        match kw.positional.first() {
            Some(n) => self.ident(n, form, "a name"),
            None => {
                self.malformed(head_span(s), form, "a name", None);
                None
            }
        }
    }

    /// The body forms of a control form, at least one.
    fn rest_body(&mut self, s: &Sexpr, form: &str, items: &[&Sexpr]) -> Vec<Expr> {
        if items.is_empty() {
            self.malformed(head_span(s), form, "a body", None);
        }
        self.body(items)
    }

    fn loop_expr(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        const FORM: &str = "loop";
        let kw = KwArgs::split(self, FORM, rest, &["max", "exhausted"]);
        let Some(name) = self.form_name(s, FORM, &kw) else {
            return ExprKind::Error;
        };
        let Some(state) = kw.positional.get(1) else {
            self.malformed(
                s.span,
                FORM,
                "a list of state variables such as `((doc draft))`",
                None,
            );
            return ExprKind::Error;
        };
        let state = self.bindings(state, FORM);
        ExprKind::Loop(LoopExpr {
            name,
            max: kw.get("max").map(|m| Box::new(self.expr(m))),
            state,
            body: self.rest_body(s, FORM, &kw.positional[2..]),
            exhausted: kw.get("exhausted").map(|e| Box::new(self.expr(e))),
        })
    }

    fn for_each(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        const FORM: &str = "for-each";
        let kw = KwArgs::split(self, FORM, rest, &["limit"]);
        let Some(name) = self.form_name(s, FORM, &kw) else {
            return ExprKind::Error;
        };
        let source = kw.positional.get(1);
        let Some([var, list]) = source.and_then(|b| b.as_list()) else {
            self.malformed(
                source.map_or(s.span, |b| b.span),
                FORM,
                "the element name and the list, such as `(x xs)`",
                source.copied(),
            );
            return ExprKind::Error;
        };
        let Some(var) = self.ident(var, FORM, "the element name") else {
            return ExprKind::Error;
        };
        ExprKind::ForEach(ForEachExpr {
            name,
            var,
            list: Box::new(self.expr(list)),
            limit: kw.get("limit").map(|l| Box::new(self.expr(l))),
            body: self.rest_body(s, FORM, &kw.positional[2..]),
        })
    }

    fn parallel(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        const FORM: &str = "parallel";
        let kw = KwArgs::split(self, FORM, rest, &["limit"]);
        let Some(bindings) = kw.positional.first() else {
            self.malformed(
                s.span,
                FORM,
                "a list of bindings such as `((a e1) (b e2))`",
                None,
            );
            return ExprKind::Error;
        };
        let bindings = self.bindings(bindings, FORM);
        ExprKind::Parallel(ParallelExpr {
            bindings,
            limit: kw.get("limit").map(|l| Box::new(self.expr(l))),
            body: self.rest_body(s, FORM, &kw.positional[1..]),
        })
    }

    fn retry(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        const FORM: &str = "retry";
        let kw = KwArgs::split(self, FORM, rest, &["attempts", "backoff"]);
        let Some(name) = self.form_name(s, FORM, &kw) else {
            return ExprKind::Error;
        };
        ExprKind::Retry(RetryExpr {
            name,
            attempts: kw.get("attempts").map(|a| Box::new(self.expr(a))),
            backoff: kw.get("backoff").map(|b| Box::new(self.expr(b))),
            body: self.rest_body(s, FORM, &kw.positional[1..]),
        })
    }

    fn try_expr(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        const FORM: &str = "try";
        let kw = KwArgs::split(self, FORM, rest, &[]);
        let Some((last, body)) = kw.positional.split_last() else {
            self.malformed(
                head_span(s),
                FORM,
                "a body and a `(catch e handler…)`",
                None,
            );
            return ExprKind::Error;
        };
        let catch = match last.as_list() {
            Some([head, var, handler @ ..]) if head.as_symbol() == Some("catch") => {
                let Some(var) = self.ident(var, "catch", "a name for the error") else {
                    return ExprKind::Error;
                };
                if handler.is_empty() {
                    self.malformed(last.span, "catch", "a handler after the error name", None);
                }
                CatchClause {
                    var,
                    body: handler.iter().map(|h| self.expr(h)).collect(),
                    span: last.span,
                }
            }
            _ => {
                self.push(
                    Diagnostic::error(Code::E0108, last.span, "`try` without a `catch`")
                        .with_primary("this is not a `(catch e handler…)`")
                        .with_label(head_span(s), "the `try` whose last form must be a `catch`")
                        .with_hint("write `(try body… (catch e handler…))`"),
                );
                return ExprKind::Error;
            }
        };
        if body.is_empty() {
            self.malformed(head_span(s), FORM, "a body before the `catch`", None);
        }
        ExprKind::Try(TryExpr {
            body: self.body(body),
            catch,
        })
    }
}
