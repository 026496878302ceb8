//! The item tables: every top-level definition of a file with its resolved
//! signature, in source order (built-ins `Error`, `ErrorKind` and
//! `CommandResult` first). The checker fills them in two passes — names
//! first, then signatures — so items may be used before they are defined;
//! bodies are added once checked. The runtime validates JSON against the
//! record, union, enum and path tables.

mod builtin_types;
mod collect;
mod imports;
mod resolve;
mod signature;

pub(crate) use collect::collect;
pub(crate) use resolve::{TypeScope, resolve_type};
pub(crate) use signature::boundary as boundary_error;

use super::typed::{TExpr, TTemplate};
use super::types::{Name, Type};
use crate::diag::Span;
use crate::parser::ast::PromptVia;
use indexmap::IndexMap;

#[derive(Debug, Clone, PartialEq)]
pub struct FieldInfo {
    pub name: Name,
    pub ty: Type,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordInfo {
    pub name: Name,
    pub type_params: Vec<Name>,
    pub fields: Vec<FieldInfo>,
    pub doc: Option<String>,
    pub span: Span,
    /// `Error` and `CommandResult`: no source span.
    pub builtin: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariantInfo {
    pub name: Name,
    pub fields: Vec<FieldInfo>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionInfo {
    pub name: Name,
    pub type_params: Vec<Name>,
    pub variants: Vec<VariantInfo>,
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberInfo {
    pub name: Name,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumInfo {
    pub name: Name,
    pub members: Vec<MemberInfo>,
    pub doc: Option<String>,
    pub span: Span,
    /// `ErrorKind`: no source span.
    pub builtin: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PathInfo {
    pub name: Name,
    pub under: Option<String>,
    pub ext: Option<String>,
    pub must_exist: bool,
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProviderInfo {
    pub name: Name,
    pub argv: Vec<String>,
    pub prompt_via: PromptVia,
    /// Seconds (Int).
    pub timeout: Option<TExpr>,
    pub env: Vec<(String, String)>,
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    pub name: Name,
    pub ty: Type,
    /// Checked against `ty`, in an empty scope (items only).
    pub default: Option<TExpr>,
    /// Whether a default is declared (known before `default` is checked).
    pub has_default: bool,
    pub span: Span,
    /// The span of the parameter's type, for "expected because of this".
    pub ty_span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PromptInfo {
    pub name: Name,
    pub params: Vec<ParamInfo>,
    /// Holes are `Var(Ref::Param)` with field accesses.
    pub template: TTemplate,
    pub doc: Option<String>,
    pub span: Span,
}

/// A `defn` or a `defworkflow`.
#[derive(Debug, Clone, PartialEq)]
pub struct FnInfo {
    pub name: Name,
    pub type_params: Vec<Name>,
    pub params: Vec<ParamInfo>,
    pub ret: Type,
    pub ret_span: Span,
    /// The body forms; the value of the last is the result.
    pub body: Vec<TExpr>,
    pub doc: Option<String>,
    pub span: Span,
    /// The span of the name in the definition.
    pub name_span: Span,
}

impl FnInfo {
    /// The function type, with the type parameters left as `Param`s.
    pub fn fn_type(&self) -> Type {
        Type::Fn(
            self.params.iter().map(|p| p.ty.clone()).collect(),
            Box::new(self.ret.clone()),
        )
    }
}

/// What kind of item a top-level name defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Record,
    Union,
    Enum,
    Path,
    Provider,
    Prompt,
    Fn,
    Workflow,
    Module,
    /// A name listed in an import whose module could not be loaded: opaque,
    /// so its uses add no errors beyond the import's own.
    Imported,
}

impl ItemKind {
    pub fn describe(self) -> &'static str {
        match self {
            ItemKind::Record => "a record type",
            ItemKind::Union => "a union type",
            ItemKind::Enum => "an enum type",
            ItemKind::Path => "a path type",
            ItemKind::Provider => "a provider",
            ItemKind::Prompt => "a prompt",
            ItemKind::Fn => "a function",
            ItemKind::Workflow => "a workflow",
            ItemKind::Module => "the module",
            ItemKind::Imported => "an imported name",
        }
    }

    pub fn is_type(self) -> bool {
        matches!(
            self,
            ItemKind::Record | ItemKind::Union | ItemKind::Enum | ItemKind::Path
        )
    }
}

/// Every item the file can reach by kind, in source order: its own and
/// those of the modules it imports, transitively. Items are keyed by their
/// canonical name: the name itself in the file being checked, and
/// `module:name` in an imported module (`std/review:Review`), which no
/// source spelling can take (`:` is not a symbol character).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    pub records: IndexMap<Name, RecordInfo>,
    pub unions: IndexMap<Name, UnionInfo>,
    pub enums: IndexMap<Name, EnumInfo>,
    pub paths: IndexMap<Name, PathInfo>,
    pub providers: IndexMap<Name, ProviderInfo>,
    pub prompts: IndexMap<Name, PromptInfo>,
    pub fns: IndexMap<Name, FnInfo>,
    pub workflows: IndexMap<Name, FnInfo>,
    /// Every item by canonical name: its kind and where its name is written.
    pub names: IndexMap<Name, (ItemKind, Span)>,
    /// What the file can write: each visible spelling (`Review`,
    /// `rv/review-loop`) and the canonical name it stands for.
    pub scope: IndexMap<Name, Name>,
    /// Imports whose module could not be loaded (their names are unknown).
    pub open_imports: Vec<String>,
    /// Spellings that would name a private item of an imported module
    /// (`sh/bang`), and that module's import path, for hints.
    pub private: IndexMap<Name, String>,
}

impl Tables {
    /// The canonical name a written name stands for (itself if unknown).
    pub fn canon<'a>(&'a self, written: &'a str) -> &'a str {
        self.scope.get(written).map_or(written, |c| &**c)
    }

    /// The kind of the item a written (or canonical) name stands for.
    pub fn kind_of(&self, name: &str) -> Option<ItemKind> {
        self.names.get(self.canon(name)).map(|(k, _)| *k)
    }

    /// The visible spellings of items of the kinds `keep` accepts, for
    /// suggestions.
    pub fn visible(&self, keep: impl Fn(ItemKind) -> bool) -> impl Iterator<Item = &Name> {
        self.scope.iter().filter_map(move |(written, canon)| {
            let (kind, _) = self.names.get(canon)?;
            keep(*kind).then_some(written)
        })
    }

    /// The fields of `variant` of union `union`.
    pub fn variant(&self, union: &str, variant: &str) -> Option<&VariantInfo> {
        self.unions
            .get(union)?
            .variants
            .iter()
            .find(|v| &*v.name == variant)
    }

    /// The type parameters of a record or union.
    pub fn type_params(&self, name: &str) -> &[Name] {
        let name = self.canon(name);
        if let Some(r) = self.records.get(name) {
            &r.type_params
        } else if let Some(u) = self.unions.get(name) {
            &u.type_params
        } else {
            &[]
        }
    }

    /// For an unknown name: a hint that a failed import may explain it.
    pub fn import_hint(&self) -> Option<String> {
        let first = self.open_imports.first()?;
        Some(format!(
            "\"{first}\" could not be loaded, so the names it exports are unknown here"
        ))
    }

    /// The span where a user item is defined; `None` for built-ins.
    pub fn def_span(&self, name: &str) -> Option<Span> {
        let name = self.canon(name);
        let (kind, span) = self.names.get(name)?;
        let builtin = match kind {
            ItemKind::Record => self.records.get(name).is_some_and(|r| r.builtin),
            ItemKind::Enum => self.enums.get(name).is_some_and(|e| e.builtin),
            _ => false,
        };
        (!builtin).then_some(*span)
    }
}
