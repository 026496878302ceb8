//! E0302: recursion among defns and workflows. Every reference from one to
//! another (application, `call`, or passing it as a function value) is an
//! edge; each strongly connected component with a cycle is reported once,
//! with one concrete cycle from its first-defined member and a label on
//! every edge. Tarjan's algorithm, iterative, so deep call chains cannot
//! overflow the stack; linear in items plus references.

use super::check::Edge;
use super::items::Tables;
use super::types::Name;
use crate::diag::{Code, Diagnostic, Span};
use std::collections::{HashMap, VecDeque};

struct Graph {
    names: Vec<Name>,
    /// Per node: (target, span of the first reference), in source order.
    out: Vec<Vec<(usize, Span)>>,
}

fn graph(tables: &Tables, edges: &[Edge]) -> Graph {
    let mut items: Vec<(&Name, Span)> = tables
        .fns
        .values()
        .chain(tables.workflows.values())
        .map(|f| (&f.name, f.span))
        .collect();
    items.sort_by_key(|(_, span)| (span.start, span.end));
    let names: Vec<Name> = items.iter().map(|(n, _)| (*n).clone()).collect();
    let index: HashMap<&Name, usize> = names.iter().enumerate().map(|(i, n)| (n, i)).collect();
    let mut out: Vec<Vec<(usize, Span)>> = vec![Vec::new(); names.len()];
    for e in edges {
        if let (Some(&from), Some(&to)) = (index.get(&e.from), index.get(&e.to))
            && !out[from].iter().any(|(t, _)| *t == to)
        {
            out[from].push((to, e.span));
        }
    }
    Graph { names, out }
}

/// Strongly connected components (Tarjan, iterative).
fn components(g: &Graph) -> Vec<Vec<usize>> {
    let n = g.names.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comps = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, i)) = work.last() {
            if let Some(&(w, _)) = g.out[v].get(i) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                comps.push(comp);
            }
        }
    }
    comps
}

/// The shortest cycle from `start` back to itself inside `comp`, as edges.
fn cycle(g: &Graph, comp: &[usize], start: usize) -> Vec<(usize, usize, Span)> {
    let inside: std::collections::HashSet<usize> = comp.iter().copied().collect();
    let mut prev: HashMap<usize, (usize, Span)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &(w, span) in &g.out[v] {
            if w == start {
                let mut path = vec![(v, w, span)];
                let mut cur = v;
                while cur != start {
                    let Some(&(p, s)) = prev.get(&cur) else { break };
                    path.push((p, cur, s));
                    cur = p;
                }
                path.reverse();
                return path;
            }
            if inside.contains(&w) && !prev.contains_key(&w) && w != start {
                prev.insert(w, (v, span));
                queue.push_back(w);
            }
        }
    }
    Vec::new()
}

pub(crate) fn check_recursion(tables: &Tables, edges: &[Edge], diags: &mut Vec<Diagnostic>) {
    let g = graph(tables, edges);
    let mut comps = components(&g);
    for c in &mut comps {
        c.sort_unstable();
    }
    comps.sort();
    for comp in comps {
        let start = comp[0];
        let cyclic = comp.len() > 1 || g.out[start].iter().any(|(t, _)| *t == start);
        if !cyclic {
            continue;
        }
        let path = cycle(&g, &comp, start);
        let Some(&(_, _, first_span)) = path.first() else {
            continue;
        };
        let name = |i: usize| &g.names[i];
        let message = if path.len() == 1 {
            format!("`{}` calls itself", name(start))
        } else {
            let chain: Vec<String> = path
                .iter()
                .map(|(f, _, _)| format!("`{}`", name(*f)))
                .chain(std::iter::once(format!("`{}`", name(start))))
                .collect();
            format!("recursion among {}", chain.join(" → "))
        };
        let label = |f: usize, t: usize| {
            if f == t {
                format!("`{}` calls itself here", name(f))
            } else {
                format!("`{}` calls `{}` here", name(f), name(t))
            }
        };
        let (f0, t0, _) = path[0];
        let mut d = Diagnostic::error(Code::E0302, first_span, message).with_primary(label(f0, t0));
        for &(f, t, span) in &path[1..] {
            d = d.with_label(span, label(f, t));
        }
        diags.push(d.with_hint(
            "functions and workflows may not recurse, so every run is bounded; repeat with a `loop` and `:max` instead",
        ));
    }
}
