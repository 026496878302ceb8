//! The built-ins in jq, with wfl's semantics (src/runtime/pure): Int `/`
//! truncates toward zero, `take`/`drop` clamp their count, `nth` of a
//! negative index is `none`, `split`/`trim`/`path` go through helpers,
//! `unwrap-or` evaluates its default only for `none`, `json-get` of a
//! non-object is `none`. Where jq cannot match wfl exactly it is said in
//! docs/yaml-lowering.md: numbers are doubles (no Int overflow failure,
//! whole Floats print without `.0`), `upper`/`lower` change ASCII only.

use super::text::jq_string;
use super::{Helper, Jq, Jr, Untranslatable};
use crate::lower::yaml::names::jq_ident;
use crate::typeck::Builtin;
use crate::typeck::typed::{Ref, TExpr, TExprKind};
use crate::typeck::types::Type;

impl Jq<'_> {
    fn args(&mut self, args: &[TExpr]) -> Result<Vec<String>, Untranslatable> {
        args.iter().map(|a| self.expr(a)).collect()
    }

    pub(super) fn builtin(&mut self, op: Builtin, args: &[TExpr], e: &TExpr) -> Jr {
        use Builtin as B;
        if matches!(op, B::Map | B::Filter) {
            let [f, xs] = args else {
                return Err(self.arity(op, e));
            };
            let xs = self.expr(xs)?;
            let x = self.fresh("x");
            let f = self.apply_to_var(f, &x)?;
            return Ok(if op == B::Map {
                format!("[{xs}[] as {x} | {f}]")
            } else {
                format!("[{xs}[] as {x} | if {f} then {x} else empty end]")
            });
        }
        let zero = match args.get(1).map(|d| &d.kind) {
            Some(TExprKind::Int(0)) => true,
            Some(TExprKind::Float(f)) => *f == 0.0,
            _ => false,
        };
        if op == B::Div && zero {
            // jq folds a constant division by zero into a compile error,
            // which `try` could not catch.
            return Ok("error(\"division by zero\")".into());
        }
        let a = self.args(args)?;
        let bin = |sym: &str| -> Jr { Ok(format!("({})", a.join(&format!(" {sym} ")))) };
        let one = || a.first().cloned().unwrap_or_else(|| "null".into());
        let two = || a.get(1).cloned().unwrap_or_else(|| "null".into());
        Ok(match op {
            B::Add => bin("+")?,
            B::Sub => bin("-")?,
            B::Mul => bin("*")?,
            B::Div if e.ty == Type::Int => format!("({} / {} | trunc)", one(), two()),
            B::Div => bin("/")?,
            B::Eq => bin("==")?,
            B::Ne => bin("!=")?,
            B::Lt => bin("<")?,
            B::Le => bin("<=")?,
            B::Gt => bin(">")?,
            B::Ge => bin(">=")?,
            B::And => bin("and")?,
            B::Or => bin("or")?,
            B::Not => format!("({} | not)", one()),
            B::Str => format!("({} | tostring)", one()),
            B::Concat if a.is_empty() => "\"\"".into(),
            B::Concat => bin("+")?,
            B::Join => format!("({} | join({}))", two(), one()),
            B::Split => {
                self.helpers.insert(Helper::Split);
                format!("({} | _split({}))", one(), two())
            }
            B::Trim => {
                self.helpers.insert(Helper::Trim);
                format!("({} | _trim)", one())
            }
            B::Upper => format!("({} | ascii_upcase)", one()),
            B::Lower => format!("({} | ascii_downcase)", one()),
            B::Contains => format!("({} | contains({}))", one(), two()),
            B::StartsWith => format!("({} | startswith({}))", one(), two()),
            B::EndsWith => format!("({} | endswith({}))", one(), two()),
            B::Replace => {
                let to = a.get(2).cloned().unwrap_or_else(|| "null".into());
                format!(
                    "({} as $from | {} | if $from == \"\" then . else split($from) | join({to}) end)",
                    two(),
                    one()
                )
            }
            B::StringLength | B::Length => format!("({} | length)", one()),
            B::IsEmpty => format!("(({} | length) == 0)", one()),
            B::First => format!("({} | .[0])", one()),
            B::Last => format!("({} | .[-1])", one()),
            B::Nth => format!(
                "({} as $i | {} | if $i < 0 then null else .[$i] end)",
                two(),
                one()
            ),
            B::Append => format!("({} + [{}])", one(), two()),
            B::ListConcat => bin("+")?,
            B::Take => format!("({} as $n | {} | .[:([$n, 0] | max)])", two(), one()),
            B::Drop => format!("({} as $n | {} | .[([$n, 0] | max):])", two(), one()),
            B::Reverse => format!("({} | reverse)", one()),
            B::Range => format!(
                "({} as $a | {} as $b | if $b - $a > 1000000 then error(\"(range \\($a) \\($b)) has more than 1000000 elements\") else [range($a; $b)] end)",
                one(),
                two()
            ),
            B::Some | B::ToJson | B::ToFloat => one(),
            B::IsSome => format!("({} != null)", one()),
            B::IsNone => format!("({} == null)", one()),
            B::UnwrapOr => format!(
                "({} as $o | if $o == null then {} else $o end)",
                one(),
                two()
            ),
            B::JsonStr => format!("({} | tojson)", one()),
            B::JsonGet => format!(
                "({} as $j | if ($j | type) == \"object\" then $j[{}] else null end)",
                one(),
                two()
            ),
            B::Path => {
                self.helpers.insert(Helper::Path);
                let (under, ext) = match &e.ty {
                    Type::Refined(name) => match self.tables.paths.get(name) {
                        Some(info) => (info.under.clone(), info.ext.clone()),
                        None => (None, None),
                    },
                    _ => (None, None),
                };
                let lit =
                    |s: Option<String>| s.map_or_else(|| "null".to_string(), |s| jq_string(&s));
                format!("({} | _path({}; {}))", one(), lit(under), lit(ext))
            }
            B::Round => format!("({} | round)", one()),
            B::Min => format!(
                "({} as $a | {} as $b | if $a <= $b then $a else $b end)",
                one(),
                two()
            ),
            B::Max => format!(
                "({} as $a | {} as $b | if $a >= $b then $a else $b end)",
                one(),
                two()
            ),
            B::Map | B::Filter => return Err(self.arity(op, e)),
        })
    }

    fn arity(&self, op: Builtin, e: &TExpr) -> Untranslatable {
        Untranslatable {
            span: e.span,
            what: format!("`{}` with these arguments", op.name()),
        }
    }

    /// A function value applied to the jq variable `var` (for map/filter).
    fn apply_to_var(&mut self, f: &TExpr, var: &str) -> Jr {
        if let TExprKind::Var(Ref::Param { index, .. }) = &f.kind
            && let Some(known) = self.param_funcs.get(index).cloned()
        {
            return self.apply_to_var(&known, var);
        }
        if let TExprKind::Var(Ref::Param { index, .. }) = &f.kind
            && self.filters.contains(index)
        {
            let name = self.params.get(*index).cloned().unwrap_or_default();
            return Ok(format!("([{var}] | {name})"));
        }
        let id = crate::typeck::typed::LocalId(u32::MAX);
        let elem = TExpr::new(
            TExprKind::Var(Ref::Local {
                name: "element".into(),
                id,
            }),
            elem_param(&f.ty),
            f.span,
        );
        self.bind_local(id, var);
        self.apply(f, std::slice::from_ref(&elem), f)
    }

    /// A function value applied to arguments.
    pub(super) fn apply(&mut self, func: &TExpr, args: &[TExpr], e: &TExpr) -> Jr {
        if let TExprKind::Var(Ref::Param { index, .. }) = &func.kind
            && let Some(known) = self.param_funcs.get(index).cloned()
        {
            return self.apply(&known, args, e);
        }
        match &func.kind {
            TExprKind::Var(Ref::Defn { name, .. }) => {
                let opt: Vec<Option<TExpr>> = args.iter().cloned().map(Some).collect();
                let Some(info) = self.tables.fns.get(name) else {
                    return Err(self.arity_name(name, e));
                };
                let mut parts = Vec::new();
                for (i, p) in info.params.iter().enumerate() {
                    let function = matches!(p.ty, Type::Fn(..));
                    match opt.get(i).cloned().flatten().or_else(|| p.default.clone()) {
                        Some(a) if function => parts.push(self.fn_filter(&a)?),
                        Some(a) => parts.push(self.expr(&a)?),
                        None => return Err(self.arity_name(name, e)),
                    }
                }
                self.defns.insert(name.clone());
                let ident = jq_ident(name);
                Ok(if parts.is_empty() {
                    ident
                } else {
                    format!("{ident}({})", parts.join("; "))
                })
            }
            TExprKind::Var(Ref::Prompt { name }) => {
                let refs: Vec<Option<&TExpr>> = args.iter().map(Some).collect();
                self.prompt(name, &refs, e)
            }
            TExprKind::Var(Ref::Builtin { op, .. }) => self.builtin(*op, args, e),
            TExprKind::Var(Ref::Param { index, .. }) if self.filters.contains(index) => {
                let f = self.params.get(*index).cloned().unwrap_or_default();
                let values: Result<Vec<String>, Untranslatable> =
                    args.iter().map(|a| self.expr(a)).collect();
                Ok(format!("([{}] | {f})", values?.join(", ")))
            }
            _ => Err(Untranslatable {
                span: func.span,
                what: "a function value that is not a named defn, prompt or built-in".into(),
            }),
        }
    }

    /// A function value as a jq filter over the array of its arguments,
    /// for a defn's function parameter: `(. as [$a1] | label($a1))`.
    pub(super) fn fn_filter(&mut self, f: &TExpr) -> Jr {
        if let TExprKind::Var(Ref::Param { index, .. }) = &f.kind
            && let Some(known) = self.param_funcs.get(index).cloned()
        {
            return self.fn_filter(&known);
        }
        if let TExprKind::Var(Ref::Param { index, .. }) = &f.kind
            && self.filters.contains(index)
        {
            return Ok(self.params.get(*index).cloned().unwrap_or_default());
        }
        let Type::Fn(params, _) = &f.ty else {
            return Err(Untranslatable {
                span: f.span,
                what: "a value passed as a function".into(),
            });
        };
        let mut vars = Vec::new();
        let mut args = Vec::new();
        for (k, ty) in params.iter().enumerate() {
            let var = self.fresh("a");
            let id = crate::typeck::typed::LocalId(u32::MAX - 100 - self.next - k as u32);
            self.bind_local(id, var.clone());
            args.push(TExpr::new(
                TExprKind::Var(Ref::Local {
                    name: "argument".into(),
                    id,
                }),
                ty.clone(),
                f.span,
            ));
            vars.push(var);
        }
        let body = self.apply(f, &args, f)?;
        Ok(format!("(. as [{}] | {body})", vars.join(", ")))
    }

    fn arity_name(&self, name: &str, e: &TExpr) -> Untranslatable {
        Untranslatable {
            span: e.span,
            what: format!("`{name}` with these arguments"),
        }
    }
}

/// The parameter type of a one-argument function type (for the `.` stand-in).
fn elem_param(ty: &Type) -> Type {
    match ty {
        Type::Fn(params, _) => params.first().cloned().unwrap_or(Type::Invalid),
        _ => Type::Invalid,
    }
}
