//! The DAG IR: each workflow as a graph of steps, pure computations and
//! structured nodes that own sub-graphs. It is built from the typed program
//! by hoisting every effect out of the expression it sits in (A-normal
//! form), so a node's expressions are pure and the graph shows every step.
//! Inside a block, node indices are program order; edges are data
//! dependencies (a node reads a local another node binds) and sequencing
//! (program order of effects). Both back ends consume this IR: the
//! interpreter executes blocks, the YAML lowering translates them.

mod build;
mod render;
mod visit;

pub use build::build;
pub use render::{GraphFormat, render};
pub use visit::{children, has_effects, locals_read};

use crate::diag::Span;
use crate::typeck::typed::{LocalId, StepId, TCall, TCommand, TExpr, THuman, TPattern, TProvider};
use crate::typeck::types::{Name, Type};
use crate::typeck::{ParamInfo, Tables};
use indexmap::IndexMap;
use petgraph::graph::{DiGraph, NodeIndex};
use std::sync::Arc;

/// The IR of one checked file.
#[derive(Debug, Clone)]
pub struct Program {
    /// Types, defns, prompts and providers, shared with the runtime.
    pub tables: Arc<Tables>,
    pub workflows: IndexMap<Name, Workflow>,
}

#[derive(Debug, Clone)]
pub struct Workflow {
    pub name: Name,
    pub type_params: Vec<Name>,
    pub params: Vec<ParamInfo>,
    pub ret: Type,
    pub body: Block,
    pub span: Span,
    /// One more than the largest local id used, for slot-based environments.
    pub locals: u32,
}

/// A sequence of nodes and the pure expression that is its value.
#[derive(Debug, Clone)]
pub struct Block {
    pub graph: DiGraph<Node, Edge>,
    /// Pure; reads the locals the nodes bind. Unused when the block ends in
    /// `recur` or `fail`.
    pub result: TExpr,
}

impl Block {
    /// The nodes in program order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeIndex, &Node)> {
        self.graph.node_indices().map(|i| (i, &self.graph[i]))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The target reads the local the source binds.
    Data(LocalId),
    /// Program order between two effects.
    Seq,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    /// The local this node's value is bound to (a `let*` name or a fresh one).
    pub out: LocalId,
    /// A readable name: the binding, the step's name, or the form.
    pub name: Name,
    pub ty: Type,
    pub span: Span,
    /// Static step id for steps and named structured nodes.
    pub step: Option<StepId>,
    /// Locals read from outside the node, in first-read order.
    pub reads: Vec<LocalId>,
    /// Lineage: the locals carrying paths this node reads.
    pub consumes: Vec<(LocalId, Name)>,
    /// Lineage: whether the node's value carries paths (it produces artifacts).
    pub produces_paths: bool,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    /// An effect-free expression.
    Pure(TExpr),
    Command(TCommand),
    Provider(TProvider),
    Human(THuman),
    Call(TCall),
    /// A function value applied: a defn, prompt or built-in evaluates purely,
    /// a workflow runs as a call step with this id.
    Apply {
        step: StepId,
        func: TExpr,
        args: Vec<TExpr>,
    },
    If {
        cond: TExpr,
        then: Block,
        els: Block,
    },
    Match {
        scrutinee: TExpr,
        arms: Vec<(TPattern, Block)>,
    },
    Loop {
        step: StepId,
        max: Option<TExpr>,
        /// State variables and their initial values.
        state: Vec<(LocalId, Name, TExpr)>,
        body: Block,
        exhausted: Option<Block>,
    },
    /// Next round of the innermost IR loop; ends its block.
    Recur(Vec<TExpr>),
    ForEach {
        step: StepId,
        var: LocalId,
        list: TExpr,
        limit: Option<TExpr>,
        body: Block,
    },
    Parallel {
        /// Branches run concurrently; each binds its local.
        branches: Vec<(LocalId, Name, Block)>,
        limit: Option<TExpr>,
        body: Block,
    },
    Retry {
        step: StepId,
        attempts: Option<TExpr>,
        backoff: Option<TExpr>,
        attempt: LocalId,
        failures: LocalId,
        body: Block,
    },
    Try {
        body: Block,
        var: LocalId,
        handler: Block,
    },
    Phase {
        step: StepId,
        name: Name,
        body: Block,
    },
    Budget {
        tokens: Option<TExpr>,
        usd: Option<TExpr>,
        body: Block,
    },
    /// Ends its block with a failure.
    Fail(TExpr),
    Assert {
        cond: TExpr,
        message: TExpr,
    },
}

impl NodeKind {
    /// The form's name, for graphs and reports.
    pub fn label(&self) -> &'static str {
        match self {
            NodeKind::Pure(_) => "pure",
            NodeKind::Command(_) => "command",
            NodeKind::Provider(_) => "provider",
            NodeKind::Human(_) => "human",
            NodeKind::Call(_) => "call",
            NodeKind::Apply { .. } => "apply",
            NodeKind::If { .. } => "if",
            NodeKind::Match { .. } => "match",
            NodeKind::Loop { .. } => "loop",
            NodeKind::Recur(_) => "recur",
            NodeKind::ForEach { .. } => "for-each",
            NodeKind::Parallel { .. } => "parallel",
            NodeKind::Retry { .. } => "retry",
            NodeKind::Try { .. } => "try",
            NodeKind::Phase { .. } => "phase",
            NodeKind::Budget { .. } => "budget",
            NodeKind::Fail(_) => "fail",
            NodeKind::Assert { .. } => "assert",
        }
    }

    /// Whether the node runs a step or may run one (effects are ordered).
    pub fn is_effect(&self) -> bool {
        !matches!(self, NodeKind::Pure(_))
    }

    /// The expressions the node evaluates itself (not those of its blocks).
    pub fn exprs(&self) -> Vec<&TExpr> {
        fn opt(e: &Option<TExpr>) -> Option<&TExpr> {
            e.as_ref()
        }
        let mut out: Vec<&TExpr> = Vec::new();
        match self {
            NodeKind::Pure(e) | NodeKind::Fail(e) => out.push(e),
            NodeKind::Command(c) => {
                out.extend(&c.argv);
                out.extend(c.env.iter().map(|(_, v)| v));
                out.extend(c.stdin.as_deref());
                out.extend(c.opts.timeout.as_deref());
            }
            NodeKind::Provider(p) => {
                out.push(&p.prompt);
                out.extend(p.opts.timeout.as_deref());
            }
            NodeKind::Human(h) => {
                out.push(&h.ask);
                out.extend(h.opts.timeout.as_deref());
            }
            NodeKind::Call(c) => {
                out.extend(c.args.iter().flatten());
                out.extend(c.opts.timeout.as_deref());
            }
            NodeKind::Apply { func, args, .. } => {
                out.push(func);
                out.extend(args);
            }
            NodeKind::If { cond, .. } => out.push(cond),
            NodeKind::Match { scrutinee, .. } => out.push(scrutinee),
            NodeKind::Loop { max, state, .. } => {
                out.extend(opt(max));
                out.extend(state.iter().map(|(_, _, e)| e));
            }
            NodeKind::Recur(args) => out.extend(args),
            NodeKind::ForEach { list, limit, .. } => {
                out.push(list);
                out.extend(opt(limit));
            }
            NodeKind::Parallel { limit, .. } => out.extend(opt(limit)),
            NodeKind::Retry {
                attempts, backoff, ..
            } => {
                out.extend(opt(attempts));
                out.extend(opt(backoff));
            }
            NodeKind::Try { .. } | NodeKind::Phase { .. } => {}
            NodeKind::Budget { tokens, usd, .. } => {
                out.extend(opt(tokens));
                out.extend(opt(usd));
            }
            NodeKind::Assert { cond, message } => {
                out.push(cond);
                out.push(message);
            }
        }
        out
    }

    /// The sub-blocks the node owns, with a label each.
    pub fn blocks(&self) -> Vec<(String, &Block)> {
        match self {
            NodeKind::If { then, els, .. } => vec![("then".into(), then), ("else".into(), els)],
            NodeKind::Match { arms, .. } => {
                arms.iter().map(|(p, b)| (pattern_label(p), b)).collect()
            }
            NodeKind::Loop {
                body, exhausted, ..
            } => {
                let mut v = vec![("body".to_string(), body)];
                if let Some(e) = exhausted {
                    v.push(("exhausted".into(), e));
                }
                v
            }
            NodeKind::ForEach { body, .. }
            | NodeKind::Retry { body, .. }
            | NodeKind::Phase { body, .. }
            | NodeKind::Budget { body, .. } => vec![("body".into(), body)],
            NodeKind::Parallel { branches, body, .. } => {
                let mut v: Vec<_> = branches
                    .iter()
                    .map(|(_, n, b)| (n.to_string(), b))
                    .collect();
                v.push(("body".into(), body));
                v
            }
            NodeKind::Try { body, handler, .. } => {
                vec![("body".into(), body), ("catch".into(), handler)]
            }
            _ => Vec::new(),
        }
    }
}

fn pattern_label(p: &TPattern) -> String {
    match p {
        TPattern::Variant { name, .. } | TPattern::Member { name, .. } => name.to_string(),
        TPattern::Wildcard => "_".into(),
    }
}

#[cfg(test)]
mod tests;
