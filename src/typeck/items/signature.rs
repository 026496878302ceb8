//! The second pass of collection: every item's signature. Field, variant,
//! member and parameter lists are resolved with their duplicates reported
//! (E0208, E0209, E0210); a union field named `variant` is E0225; a
//! function type where a value crosses a run boundary is E0220 (record and
//! union fields, workflow results, functions nested in workflow inputs).

use super::collect::Collector;
use super::resolve::{TypeScope, resolve_type};
use super::*;
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{FieldDef, FnDef, Ident, Item, Param};
use std::collections::HashMap;

impl Collector<'_> {
    fn fields(&mut self, scope_params: &[Name], defs: &[FieldDef], union: bool) -> Vec<FieldInfo> {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut out = Vec::with_capacity(defs.len());
        for f in defs {
            let scope = TypeScope {
                tables: &self.tables,
                type_params: scope_params,
            };
            let ty = resolve_type(scope, &f.ty, self.diags);
            if let Some(first) = first_seen(&mut seen, &f.name.name, f.name.span) {
                self.diags.push(dup(Code::E0208, "field", &f.name, first));
                continue;
            }
            if union && f.name.name == "variant" {
                self.diags.push(
                    Diagnostic::error(
                        Code::E0225,
                        f.name.span,
                        "a union field may not be named `variant`",
                    )
                    .with_primary("reserved name")
                    .with_hint(
                        "a union value's JSON form is {\"variant\": \"NAME\", …fields}; rename the field",
                    ),
                );
            }
            if ty.contains_fn() {
                self.diags.push(
                    Diagnostic::error(
                        Code::E0220,
                        f.ty.span,
                        format!("field `{}` has a function type", f.name.name),
                    )
                    .with_primary(format!("`{ty}` cannot be stored"))
                    .with_hint(
                        "records and unions cross run boundaries (journal, inputs, results), \
                         and functions cannot; pass functions as parameters instead",
                    ),
                );
            }
            out.push(FieldInfo {
                name: f.name.name.as_str().into(),
                ty,
                span: f.span,
            });
        }
        out
    }

    fn params(&mut self, type_params: &[Name], params: &[Param]) -> Vec<ParamInfo> {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut out = Vec::with_capacity(params.len());
        for p in params {
            let scope = TypeScope {
                tables: &self.tables,
                type_params,
            };
            let ty = resolve_type(scope, &p.ty, self.diags);
            if let Some(first) = first_seen(&mut seen, &p.name.name, p.name.span) {
                self.diags
                    .push(dup(Code::E0210, "parameter", &p.name, first));
            }
            out.push(ParamInfo {
                name: p.name.name.as_str().into(),
                ty,
                default: None,
                has_default: p.default.is_some(),
                span: p.span,
                ty_span: p.ty.span,
            });
        }
        out
    }

    pub(super) fn signature(&mut self, item: &Item) {
        match item {
            Item::Record(d) => {
                let tp = self.tables.type_params(&d.name.name).to_vec();
                let fields = self.fields(&tp, &d.fields, false);
                let key = self.canonical(&d.name);
                if let Some(r) = self.tables.records.get_mut(&key) {
                    r.fields = fields;
                }
            }
            Item::Union(d) => {
                let tp = self.tables.type_params(&d.name.name).to_vec();
                let mut seen: HashMap<&str, Span> = HashMap::new();
                let mut variants = Vec::with_capacity(d.variants.len());
                for v in &d.variants {
                    let fields = self.fields(&tp, &v.fields, true);
                    if let Some(first) = first_seen(&mut seen, &v.name.name, v.name.span) {
                        self.diags.push(dup(Code::E0209, "variant", &v.name, first));
                        continue;
                    }
                    variants.push(VariantInfo {
                        name: v.name.name.as_str().into(),
                        fields,
                        span: v.span,
                    });
                }
                let key = self.canonical(&d.name);
                if let Some(u) = self.tables.unions.get_mut(&key) {
                    u.variants = variants;
                }
            }
            Item::Enum(d) => {
                let mut seen: HashMap<&str, Span> = HashMap::new();
                let mut members = Vec::with_capacity(d.members.len());
                for m in &d.members {
                    if let Some(first) = first_seen(&mut seen, &m.name, m.span) {
                        self.diags.push(dup(Code::E0209, "member", m, first));
                        continue;
                    }
                    members.push(MemberInfo {
                        name: m.name.as_str().into(),
                        span: m.span,
                    });
                }
                let name = self.canonical(&d.name);
                self.tables.enums.insert(
                    name.clone(),
                    EnumInfo {
                        name,
                        members,
                        doc: d.doc.clone(),
                        span: d.span,
                        builtin: false,
                    },
                );
            }
            Item::Path(d) => {
                let name = self.canonical(&d.name);
                self.tables.paths.insert(
                    name.clone(),
                    PathInfo {
                        name,
                        under: d.under.as_ref().map(|s| s.value.clone()),
                        ext: d.ext.as_ref().map(|s| s.value.clone()),
                        must_exist: d.must_exist,
                        doc: d.doc.clone(),
                        span: d.span,
                    },
                );
            }
            Item::Provider(d) => {
                let name = self.canonical(&d.name);
                self.tables.providers.insert(
                    name.clone(),
                    ProviderInfo {
                        name,
                        argv: d.argv.iter().map(|a| a.value.clone()).collect(),
                        prompt_via: d.prompt_via,
                        timeout: None,
                        env: d
                            .env
                            .iter()
                            .map(|(k, v)| (k.value.clone(), v.value.clone()))
                            .collect(),
                        doc: d.doc.clone(),
                        span: d.span,
                    },
                );
            }
            Item::Prompt(d) => {
                let params = self.params(&[], &d.params);
                let name = self.canonical(&d.name);
                self.tables.prompts.insert(
                    name.clone(),
                    PromptInfo {
                        name,
                        params,
                        template: crate::typeck::typed::TTemplate {
                            parts: Vec::new(),
                            span: d.template.span,
                        },
                        doc: d.doc.clone(),
                        span: d.span,
                    },
                );
            }
            Item::Fn(d) => {
                let info = self.fn_sig(d, false);
                self.tables.fns.insert(info.name.clone(), info);
            }
            Item::Workflow(d) => {
                let info = self.fn_sig(d, true);
                self.tables.workflows.insert(info.name.clone(), info);
            }
            Item::Module(_) | Item::Import(_) | Item::Export(_) => {}
        }
    }
}

impl Collector<'_> {
    fn fn_sig(&mut self, head: &FnDef, workflow: bool) -> FnInfo {
        let type_params = dedup_type_params(self.diags, &head.type_params);
        let params = self.params(&type_params, &head.params);
        let scope = TypeScope {
            tables: &self.tables,
            type_params: &type_params,
        };
        let mut ret = resolve_type(scope, &head.ret, self.diags);
        if workflow {
            for (p, def) in params.iter().zip(&head.params) {
                // A parameter of function type is resolved at compile time
                // (specialised per call); a function inside data is not.
                let inner = match &p.ty {
                    Type::Fn(..) => false,
                    t => t.contains_fn(),
                };
                if inner {
                    self.diags.push(boundary(
                        def.ty.span,
                        format!(
                            "parameter `{}` of workflow `{}` holds functions",
                            p.name, head.name.name
                        ),
                        &p.ty,
                    ));
                }
            }
            if ret.contains_fn() {
                self.diags.push(boundary(
                    head.ret.span,
                    format!("workflow `{}` returns a function", head.name.name),
                    &ret,
                ));
                ret = Type::Invalid;
            }
        }
        FnInfo {
            name: self.canonical(&head.name),
            type_params,
            params,
            ret,
            ret_span: head.ret.span,
            body: Vec::new(),
            doc: head.doc.clone(),
            span: head.span,
            name_span: head.name.span,
        }
    }
}

/// E0220 for a function type where a value crosses a run boundary.
pub fn boundary(span: Span, message: String, ty: &Type) -> Diagnostic {
    Diagnostic::error(Code::E0220, span, message)
        .with_primary(format!("`{ty}` contains a function type"))
        .with_hint(
            "workflow inputs and results are journaled as JSON; a function may only be a \
             parameter of its own, such as `(review (-> (S Int) Review))`",
        )
}

/// Type parameters, without duplicates (E0210).
pub(super) fn dedup_type_params(diags: &mut Vec<Diagnostic>, params: &[Ident]) -> Vec<Name> {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut out = Vec::with_capacity(params.len());
    for p in params {
        if let Some(first) = first_seen(&mut seen, &p.name, p.span) {
            diags.push(dup(Code::E0210, "type parameter", p, first));
        } else {
            out.push(p.name.as_str().into());
        }
    }
    out
}

/// A duplicate `what` named `id`, first seen at `first`.
fn dup(code: Code, what: &str, id: &Ident, first: Span) -> Diagnostic {
    Diagnostic::error(code, id.span, format!("duplicate {what} `{}`", id.name))
        .with_primary(format!("`{}` again", id.name))
        .with_label(first, "first declared here")
}

/// Records `name` at `span`; the span of an earlier occurrence, if any.
fn first_seen<'a>(seen: &mut HashMap<&'a str, Span>, name: &'a str, span: Span) -> Option<Span> {
    match seen.get(name) {
        Some(first) => Some(*first),
        None => {
            seen.insert(name, span);
            None
        }
    }
}
