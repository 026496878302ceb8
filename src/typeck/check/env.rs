//! The scope stack of local names while checking one item body. Lookups
//! are O(1): each name maps to a stack of its bindings (innermost last), and
//! a log of entered names lets `pop_scope` undo a scope without cloning or
//! scanning the environment.

use crate::diag::Span;
use crate::typeck::fxhash::FxMap;
use crate::typeck::typed::Ref;
use crate::typeck::types::{Name, Type};

/// The variant a match-arm binder proves: its fields are reachable through it.
#[derive(Debug, Clone)]
pub struct Proven {
    pub union: Name,
    pub variant: Name,
}

#[derive(Debug, Clone)]
pub struct Local {
    pub ty: Type,
    pub r: Ref,
    /// Where the name is bound, for "defined here".
    pub span: Span,
    pub proven: Option<Proven>,
}

#[derive(Debug, Default)]
pub struct Env {
    map: FxMap<Name, Vec<Local>>,
    log: Vec<Name>,
    marks: Vec<usize>,
}

impl Env {
    pub fn clear(&mut self) {
        self.map.clear();
        self.log.clear();
        self.marks.clear();
    }

    pub fn push_scope(&mut self) {
        self.marks.push(self.log.len());
    }

    pub fn pop_scope(&mut self) {
        let mark = self.marks.pop().unwrap_or(0);
        while self.log.len() > mark {
            if let Some(name) = self.log.pop()
                && let Some(stack) = self.map.get_mut(&name)
            {
                stack.pop();
                if stack.is_empty() {
                    self.map.remove(&name);
                }
            }
        }
    }

    pub fn bind(&mut self, name: Name, local: Local) {
        self.map.entry(name.clone()).or_default().push(local);
        self.log.push(name);
    }

    pub fn lookup(&self, name: &str) -> Option<&Local> {
        self.map.get(name).and_then(|s| s.last())
    }

    /// Every visible local name, for suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(|k| &**k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeck::typed::LocalId;

    fn local(id: u32) -> Local {
        Local {
            ty: Type::Int,
            r: Ref::Local {
                name: "x".into(),
                id: LocalId(id),
            },
            span: Span::default(),
            proven: None,
        }
    }

    #[test]
    fn inner_scopes_shadow_and_unwind() {
        let mut env = Env::default();
        env.push_scope();
        env.bind("x".into(), local(0));
        env.push_scope();
        env.bind("x".into(), local(1));
        assert!(matches!(
            env.lookup("x").map(|l| &l.r),
            Some(Ref::Local { id: LocalId(1), .. })
        ));
        env.pop_scope();
        assert!(matches!(
            env.lookup("x").map(|l| &l.r),
            Some(Ref::Local { id: LocalId(0), .. })
        ));
        env.pop_scope();
        assert!(env.lookup("x").is_none());
    }
}
