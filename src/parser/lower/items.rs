//! Lowering of top-level forms: module, import, export, defenum, defpath,
//! defrecord, defunion, defprovider, defprompt, defn and defworkflow. An
//! unknown or malformed top-level form is reported and skipped; the rest of
//! the file is still lowered.

use super::kwargs::KwArgs;
use super::{Lowerer, head_span};
use crate::diag::{Code, Diagnostic, closest};
use crate::parser::ast::*;
use crate::parser::sexpr::Sexpr;
use crate::parser::template::parse_template;

/// Heads of the forms allowed at top level (every one defines something).
pub const TOP_LEVEL_FORMS: &[&str] = &[
    "module",
    "import",
    "export",
    "defenum",
    "defpath",
    "defrecord",
    "defunion",
    "defprovider",
    "defprompt",
    "defn",
    "defworkflow",
];

pub fn lower_items(src: &str, sexprs: &[Sexpr], diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    let mut lw = Lowerer { src, diags };
    let mut items = Vec::with_capacity(sexprs.len());
    let mut module_span = None;
    for (index, sexpr) in sexprs.iter().enumerate() {
        let Some(item) = lw.item(sexpr) else { continue };
        if let Item::Module(m) = &item {
            if let Some(first) = module_span {
                lw.push(
                    Diagnostic::error(Code::E0112, m.span, "a file declares its module once")
                        .with_primary("second module declaration")
                        .with_label(first, "first declared here"),
                );
                continue;
            }
            module_span = Some(m.span);
            if index > 0 {
                lw.push(
                    Diagnostic::error(
                        Code::E0112,
                        m.span,
                        "`module` must be the first form of the file",
                    )
                    .with_primary("declared after other forms")
                    .with_hint("move this declaration to the top of the file"),
                );
            }
        }
        items.push(item);
    }
    items
}

impl Lowerer<'_> {
    fn item(&mut self, s: &Sexpr) -> Option<Item> {
        let Some(items) = s.as_list() else {
            self.push(
                Diagnostic::error(
                    Code::E0109,
                    s.span,
                    format!("{} is not allowed at top level", s.describe()),
                )
                .with_primary("expected a definition such as `(defworkflow …)`"),
            );
            return None;
        };
        let head = items.first().and_then(Sexpr::as_symbol);
        let rest = items.get(1..).unwrap_or_default();
        match head {
            Some("module") => self.module(s, rest).map(Item::Module),
            Some("import") => self.import(s, rest).map(Item::Import),
            Some("export") => Some(Item::Export(self.export(s, rest))),
            Some("defenum") => self.defenum(s, rest).map(Item::Enum),
            Some("defpath") => self.defpath(s, rest).map(Item::Path),
            Some("defrecord") => self.defrecord(s, rest).map(Item::Record),
            Some("defunion") => self.defunion(s, rest).map(Item::Union),
            Some("defprovider") => self.defprovider(s, rest).map(Item::Provider),
            Some("defprompt") => self.defprompt(s, rest).map(Item::Prompt),
            Some("defn") => self.defn(s, rest, "defn").map(|d| {
                Item::Fn(FnDef {
                    name: d.name,
                    type_params: d.type_params,
                    params: d.params,
                    ret: d.ret,
                    body: d.body,
                    doc: d.doc,
                    span: d.span,
                })
            }),
            Some("defworkflow") => self.defn(s, rest, "defworkflow").map(Item::Workflow),
            other => {
                let what = other.map_or_else(
                    || items.first().map_or("`()`".to_string(), Sexpr::describe),
                    |h| format!("`({h} …)`"),
                );
                let mut d = Diagnostic::error(
                    Code::E0109,
                    items.first().map_or(s.span, |h| h.span),
                    format!("{what} is not allowed at top level"),
                )
                .with_primary("expected a definition");
                match other.and_then(|h| closest(h, TOP_LEVEL_FORMS.iter().copied())) {
                    Some(form) => d = d.with_hint(format!("did you mean `{form}`?")),
                    None => d = d.with_hint("expressions belong inside a `defworkflow` or `defn`"),
                }
                self.push(d);
                None
            }
        }
    }

    /// The definition's name: the first positional item.
    fn def_name(&mut self, s: &Sexpr, form: &str, first: Option<&&Sexpr>) -> Option<Ident> {
        match first {
            Some(n) => self.ident(n, form, "a name"),
            None => {
                self.malformed(head_span(s), form, "a name", None);
                None
            }
        }
    }

    fn doc(&mut self, kw: &KwArgs, form: &str) -> Option<String> {
        kw.get("doc")
            .and_then(|d| self.string(d, form, "a documentation string"))
            .map(|s| s.value)
    }

    fn module(&mut self, s: &Sexpr, rest: &[Sexpr]) -> Option<ModuleDecl> {
        let kw = KwArgs::split(self, "module", rest, &["doc"]);
        let name = self.def_name(s, "module", kw.positional.first())?;
        self.no_more(&kw.positional, 1, "module", "`:doc` or `)`");
        Some(ModuleDecl {
            name,
            doc: self.doc(&kw, "module"),
            span: s.span,
        })
    }

    fn import(&mut self, s: &Sexpr, rest: &[Sexpr]) -> Option<Import> {
        let kw = KwArgs::split(self, "import", rest, &["only", "as"]);
        let Some(path) = kw.positional.first() else {
            self.malformed(
                s.span,
                "import",
                "a module path such as \"std/review\"",
                None,
            );
            return None;
        };
        let path = self.string(path, "import", "a module path such as \"std/review\"")?;
        self.no_more(&kw.positional, 1, "import", "`:only`, `:as` or `)`");
        let only = kw.get("only").and_then(|o| {
            let names = self.list(
                o,
                "import",
                "a list of names such as `(review-loop Review)`",
            )?;
            Some(
                names
                    .iter()
                    .filter_map(|n| self.ident(n, "import", "a name"))
                    .collect(),
            )
        });
        let alias = kw
            .get("as")
            .and_then(|a| self.ident(a, "import", "an alias name"));
        Some(Import {
            path,
            only,
            alias,
            span: s.span,
        })
    }

    fn export(&mut self, s: &Sexpr, rest: &[Sexpr]) -> Export {
        let names = rest
            .iter()
            .filter_map(|n| self.ident(n, "export", "a name to export"))
            .collect();
        Export {
            names,
            span: s.span,
        }
    }

    fn defenum(&mut self, s: &Sexpr, rest: &[Sexpr]) -> Option<EnumDef> {
        let kw = KwArgs::split(self, "defenum", rest, &["doc"]);
        let name = self.def_name(s, "defenum", kw.positional.first())?;
        let members: Vec<Ident> = kw.positional[1..]
            .iter()
            .filter_map(|m| self.ident(m, "defenum", "a member name"))
            .collect();
        if members.is_empty() {
            self.malformed(head_span(s), "defenum", "at least one member", None);
        }
        Some(EnumDef {
            name,
            members,
            doc: self.doc(&kw, "defenum"),
            span: s.span,
        })
    }

    fn defpath(&mut self, s: &Sexpr, rest: &[Sexpr]) -> Option<PathDef> {
        let kw = KwArgs::split(
            self,
            "defpath",
            rest,
            &["under", "ext", "must-exist", "doc"],
        );
        let name = self.def_name(s, "defpath", kw.positional.first())?;
        self.no_more(
            &kw.positional,
            1,
            "defpath",
            "`:under`, `:ext`, `:must-exist` or `)`",
        );
        let under = kw
            .get("under")
            .and_then(|u| self.string(u, "defpath", "a directory string"));
        let ext = kw
            .get("ext")
            .and_then(|e| self.string(e, "defpath", "an extension string such as \".md\""));
        let must_exist = kw
            .get("must-exist")
            .and_then(|m| self.bool(m, "defpath", "`true` or `false`"))
            .unwrap_or(false);
        Some(PathDef {
            name,
            under,
            ext,
            must_exist,
            doc: self.doc(&kw, "defpath"),
            span: s.span,
        })
    }

    /// `Name` or `(Name T …)` heading a defrecord/defunion.
    fn type_head(
        &mut self,
        s: &Sexpr,
        form: &str,
        head: Option<&&Sexpr>,
    ) -> Option<(Ident, Vec<Ident>)> {
        match head.map(|h| (h, h.as_list())) {
            Some((h, Some(items))) => {
                let name = match items.first() {
                    Some(n) => self.ident(n, form, "a type name")?,
                    None => {
                        self.malformed(h.span, form, "a type name", None);
                        return None;
                    }
                };
                let params = items[1..]
                    .iter()
                    .filter_map(|p| self.ident(p, form, "a type parameter name"))
                    .collect();
                Some((name, params))
            }
            _ => Some((self.def_name(s, form, head)?, Vec::new())),
        }
    }

    /// `(name Type)` field definitions.
    fn fields(&mut self, items: &[&Sexpr], form: &str) -> Vec<FieldDef> {
        let mut fields = Vec::with_capacity(items.len());
        for item in items {
            match item.as_list() {
                Some([name, ty]) => {
                    if let Some(name) = self.ident(name, form, "a field name") {
                        fields.push(FieldDef {
                            name,
                            ty: self.type_expr(ty),
                            span: item.span,
                        });
                    }
                }
                _ => self.malformed(item.span, form, "a field such as `(doc Path)`", Some(item)),
            }
        }
        fields
    }

    fn defrecord(&mut self, s: &Sexpr, rest: &[Sexpr]) -> Option<RecordDef> {
        let kw = KwArgs::split(self, "defrecord", rest, &["doc"]);
        let (name, type_params) = self.type_head(s, "defrecord", kw.positional.first())?;
        let fields = self.fields(kw.positional.get(1..).unwrap_or_default(), "defrecord");
        Some(RecordDef {
            name,
            type_params,
            fields,
            doc: self.doc(&kw, "defrecord"),
            span: s.span,
        })
    }

    fn defunion(&mut self, s: &Sexpr, rest: &[Sexpr]) -> Option<UnionDef> {
        let kw = KwArgs::split(self, "defunion", rest, &["doc"]);
        let (name, type_params) = self.type_head(s, "defunion", kw.positional.first())?;
        let mut variants = Vec::new();
        for v in kw.positional.get(1..).unwrap_or_default() {
            let (name, fields) = match v.as_list() {
                Some([head, fields @ ..]) => {
                    let refs: Vec<&Sexpr> = fields.iter().collect();
                    (
                        self.ident(head, "defunion", "a variant name"),
                        self.fields(&refs, "defunion"),
                    )
                }
                _ => (
                    self.ident(v, "defunion", "a variant such as `(APPROVE (report Path))`"),
                    Vec::new(),
                ),
            };
            if let Some(name) = name {
                variants.push(VariantDef {
                    name,
                    fields,
                    span: v.span,
                });
            }
        }
        if variants.is_empty() {
            self.malformed(head_span(s), "defunion", "at least one variant", None);
        }
        Some(UnionDef {
            name,
            type_params,
            variants,
            doc: self.doc(&kw, "defunion"),
            span: s.span,
        })
    }

    fn defprovider(&mut self, s: &Sexpr, rest: &[Sexpr]) -> Option<ProviderDef> {
        const FORM: &str = "defprovider";
        let kw = KwArgs::split(
            self,
            FORM,
            rest,
            &["argv", "prompt-via", "timeout", "env", "doc"],
        );
        let name = self.def_name(s, FORM, kw.positional.first())?;
        self.no_more(
            &kw.positional,
            1,
            FORM,
            "`:argv`, `:prompt-via`, `:timeout`, `:env` or `)`",
        );
        let argv = match kw.require(self, FORM, head_span(s), "argv") {
            Some(a) => {
                let items = self.list(
                    a,
                    FORM,
                    "a list of strings such as (\"codex\" \"exec\" \"-\")",
                );
                let argv: Vec<StrLit> = items
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|i| self.string(i, FORM, "an argv string"))
                    .collect();
                if items.is_some_and(<[Sexpr]>::is_empty) {
                    self.malformed(a.span, FORM, "at least the program to run", None);
                }
                argv
            }
            None => Vec::new(),
        };
        let prompt_via = match kw.get("prompt-via") {
            None => PromptVia::Stdin,
            Some(v) => match v.as_symbol() {
                Some("stdin") => PromptVia::Stdin,
                Some("file") => PromptVia::File,
                Some("arg") => PromptVia::Arg,
                _ => {
                    self.malformed(v.span, FORM, "`stdin`, `file` or `arg`", Some(v));
                    PromptVia::Stdin
                }
            },
        };
        let timeout = kw.get("timeout").map(|t| self.expr(t));
        let env = kw
            .get("env")
            .map(|e| self.env_pairs(e, FORM))
            .unwrap_or_default();
        let env = env
            .into_iter()
            .filter_map(|(k, v)| Some((k, self.string(v, FORM, "an environment value string")?)))
            .collect();
        Some(ProviderDef {
            name,
            argv,
            prompt_via,
            timeout,
            env,
            doc: self.doc(&kw, FORM),
            span: s.span,
        })
    }

    /// `(("KEY" value) …)`: the keys as strings, the values left to the caller.
    pub(super) fn env_pairs<'s, 'src>(
        &mut self,
        s: &'s Sexpr<'src>,
        form: &str,
    ) -> Vec<(StrLit, &'s Sexpr<'src>)> {
        let Some(items) = self.list(
            s,
            form,
            "a list of pairs such as ((\"RUST_LOG\" \"debug\"))",
        ) else {
            return Vec::new();
        };
        let mut pairs = Vec::new();
        for item in items {
            match item.as_list() {
                Some([k, v]) => {
                    if let Some(k) = self.string(k, form, "an environment variable name") {
                        pairs.push((k, v));
                    }
                }
                _ => self.malformed(
                    item.span,
                    form,
                    "a pair such as (\"KEY\" value)",
                    Some(item),
                ),
            }
        }
        pairs
    }

    fn defprompt(&mut self, s: &Sexpr, rest: &[Sexpr]) -> Option<PromptDef> {
        const FORM: &str = "defprompt";
        let kw = KwArgs::split(self, FORM, rest, &["doc"]);
        let name = self.def_name(s, FORM, kw.positional.first())?;
        let params = match kw.positional.get(1) {
            Some(p) => self.params(p, FORM),
            None => {
                self.malformed(head_span(s), FORM, "a parameter list", None);
                return None;
            }
        };
        let template = match kw.positional.get(2) {
            Some(t) if matches!(t.kind, crate::parser::sexpr::SexprKind::Str(_)) => {
                parse_template(self.src, t.span, self.diags)
            }
            other => {
                self.malformed(
                    other.map_or(s.span, |o| o.span),
                    FORM,
                    "the prompt template string",
                    other.copied(),
                );
                return None;
            }
        };
        self.no_more(&kw.positional, 3, FORM, "`)` after the template");
        Some(PromptDef {
            name,
            params,
            template,
            doc: self.doc(&kw, FORM),
            span: s.span,
        })
    }

    /// `(defn name [T…] ((p T)…) -> R body…)` and the same for defworkflow.
    fn defn(&mut self, s: &Sexpr, rest: &[Sexpr], form: &str) -> Option<WorkflowDef> {
        let kw = KwArgs::split(self, form, rest, &["doc"]);
        let name = self.def_name(s, form, kw.positional.first())?;
        let mut pos = 1;
        let type_params = match kw.positional.get(pos) {
            Some(v) if v.as_vector().is_some() => {
                pos += 1;
                self.type_params(v, form)
            }
            _ => Vec::new(),
        };
        let params = match kw.positional.get(pos) {
            Some(p) => self.params(p, form),
            None => {
                self.malformed(head_span(s), form, "a parameter list", None);
                return None;
            }
        };
        pos += 1;
        let arrow = kw.positional.get(pos);
        if arrow.and_then(|a| a.as_symbol()) != Some("->") {
            self.malformed(
                arrow.map_or(s.span, |a| a.span),
                form,
                "`->` and the result type",
                arrow.copied(),
            );
            return None;
        }
        let Some(ret) = kw.positional.get(pos + 1) else {
            self.malformed(head_span(s), form, "the result type after `->`", None);
            return None;
        };
        let ret = self.type_expr(ret);
        let body: Vec<Expr> = kw.positional[pos + 2..]
            .iter()
            .map(|b| self.expr(b))
            .collect();
        if body.is_empty() {
            self.malformed(head_span(s), form, "a body after the result type", None);
        }
        Some(WorkflowDef {
            name,
            type_params,
            params,
            ret,
            body,
            doc: self.doc(&kw, form),
            span: s.span,
        })
    }

    /// Reports positional items beyond the first `n`.
    pub(super) fn no_more(&mut self, positional: &[&Sexpr], n: usize, form: &str, expected: &str) {
        if let Some(extra) = positional.get(n) {
            self.malformed(extra.span, form, expected, Some(extra));
        }
    }
}
