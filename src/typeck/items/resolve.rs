//! Resolution of written type expressions to `Type`s: built-in types, user
//! records, unions, enums and defpaths, the type parameters in scope,
//! applications with an arity check (E0223) and function types. Unknown
//! names are E0202 with a "did you mean". A function type may not be a type
//! argument of a record or union (those values cross run boundaries: E0220).

use super::{ItemKind, Tables};
use crate::diag::{Code, Diagnostic, Span, did_you_mean};
use crate::parser::ast::{Ident, TypeExpr, TypeExprKind};
use crate::typeck::types::{Name, Type};

/// The built-in type names that take no arguments.
pub const PRIMITIVES: &[&str] = &["String", "Int", "Float", "Bool", "Json", "Path", "Unit"];

/// Where a type expression is resolved: the item tables and the type
/// parameters of the enclosing definition.
#[derive(Clone, Copy)]
pub struct TypeScope<'a> {
    pub tables: &'a Tables,
    pub type_params: &'a [Name],
}

fn primitive(name: &str) -> Option<Type> {
    Some(match name {
        "String" => Type::String,
        "Int" => Type::Int,
        "Float" => Type::Float,
        "Bool" => Type::Bool,
        "Json" => Type::Json,
        "Path" => Type::Path,
        "Unit" => Type::Unit,
        _ => return None,
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn arity_error(name: &Ident, expected: usize, found: usize, span: Span) -> Diagnostic {
    let msg = if expected == 0 {
        format!("`{}` takes no type arguments", name.name)
    } else {
        format!(
            "`{}` takes {expected} type argument{}, found {found}",
            name.name,
            plural(expected)
        )
    };
    let hint = match name.name.as_str() {
        "List" | "Option" => format!("write `({} T)`", name.name),
        _ if expected == 0 => format!("write `{}` alone", name.name),
        _ => format!(
            "write `({} …)` with {expected} type argument{}",
            name.name,
            plural(expected)
        ),
    };
    Diagnostic::error(Code::E0223, span, msg)
        .with_primary(format!("{found} type argument{} given", plural(found)))
        .with_hint(hint)
}

/// Resolves `te`; problems are reported and give `Invalid`.
pub fn resolve_type(scope: TypeScope, te: &TypeExpr, diags: &mut Vec<Diagnostic>) -> Type {
    match &te.kind {
        TypeExprKind::Error => Type::Invalid,
        TypeExprKind::Named(id) => resolve_app(scope, id, &[], te.span, diags),
        TypeExprKind::App(id, args) => resolve_app(scope, id, args, te.span, diags),
        TypeExprKind::Fn(params, ret) => Type::Fn(
            params
                .iter()
                .map(|p| resolve_type(scope, p, diags))
                .collect(),
            Box::new(resolve_type(scope, ret, diags)),
        ),
    }
}

fn resolve_app(
    scope: TypeScope,
    id: &Ident,
    args: &[TypeExpr],
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Type {
    let name = id.name.as_str();
    let mut resolved: Vec<Type> = args.iter().map(|a| resolve_type(scope, a, diags)).collect();
    let expect = |n: usize, diags: &mut Vec<Diagnostic>| {
        if args.len() != n {
            diags.push(arity_error(id, n, args.len(), span));
            false
        } else {
            true
        }
    };
    if scope.type_params.iter().any(|p| &**p == name) {
        return if expect(0, diags) {
            Type::Param(name.into())
        } else {
            Type::Invalid
        };
    }
    if let Some(t) = primitive(name) {
        return if expect(0, diags) { t } else { Type::Invalid };
    }
    if name == "List" || name == "Option" {
        if !expect(1, diags) {
            return Type::Invalid;
        }
        let elem = resolved.pop().unwrap_or(Type::Invalid);
        return if name == "List" {
            Type::list(elem)
        } else {
            Type::option(elem)
        };
    }
    let tables = scope.tables;
    let canonical = tables.canon(name);
    match tables.kind_of(name) {
        Some(kind @ (ItemKind::Record | ItemKind::Union)) => {
            let n = tables.type_params(name).len();
            if !expect(n, diags) {
                return Type::Invalid;
            }
            for (arg, te) in resolved.iter().zip(args) {
                if arg.contains_fn() {
                    diags.push(
                        Diagnostic::error(
                            Code::E0220,
                            te.span,
                            format!("`{arg}` cannot be a type argument of `{name}`"),
                        )
                        .with_primary("a function type")
                        .with_hint(
                            "records and unions cross run boundaries (journal, inputs, results), \
                             and functions cannot",
                        ),
                    );
                    return Type::Invalid;
                }
            }
            if kind == ItemKind::Record {
                Type::Record(canonical.into(), resolved)
            } else {
                Type::Union(canonical.into(), resolved)
            }
        }
        Some(ItemKind::Enum) => {
            if expect(0, diags) {
                Type::Enum(canonical.into())
            } else {
                Type::Invalid
            }
        }
        Some(ItemKind::Path) => {
            if expect(0, diags) {
                Type::Refined(canonical.into())
            } else {
                Type::Invalid
            }
        }
        Some(ItemKind::Imported) => Type::Invalid,
        Some(kind) => {
            let mut d = Diagnostic::error(
                Code::E0202,
                id.span,
                format!("`{name}` is {}, not a type", kind.describe()),
            )
            .with_primary("expected a type");
            if let Some(def) = tables.def_span(name) {
                d = d.with_label(def, "defined here");
            }
            diags.push(d);
            Type::Invalid
        }
        None => {
            let candidates = type_names(scope);
            diags.push(
                Diagnostic::error(Code::E0202, id.span, format!("unknown type `{name}`"))
                    .with_primary("no such type")
                    .with_opt_hint(did_you_mean(name, candidates.iter().map(|s| &**s))),
            );
            Type::Invalid
        }
    }
}

/// Every type name in scope, for suggestions.
pub fn type_names(scope: TypeScope) -> Vec<Name> {
    let mut names: Vec<Name> = PRIMITIVES.iter().map(|&p| Name::from(p)).collect();
    names.push("List".into());
    names.push("Option".into());
    names.extend(scope.type_params.iter().cloned());
    names.extend(scope.tables.visible(ItemKind::is_type).cloned());
    names
}
