//! Drawing the IR for `wfl graph`: Graphviz DOT, Mermaid flowcharts and
//! JSON. Node ids are stable paths (`n2`, `n2.body.n0`) derived from
//! program order, so output is deterministic and diffable. Structured nodes
//! are drawn as a header node plus one cluster per owned block; data edges
//! are solid and labelled with the local they carry, sequencing edges are
//! dashed.

use super::{Block, Edge, Node, NodeKind, Program, Workflow};
use crate::diag::SourceMap;
use petgraph::visit::EdgeRef;
use serde_json::{Value as Json, json};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

/// Renders the workflows of `program` (only `entry` when given).
pub fn render(
    program: &Program,
    map: &SourceMap,
    entry: Option<&str>,
    format: GraphFormat,
) -> String {
    let workflows: Vec<&Workflow> = program
        .workflows
        .values()
        .filter(|w| entry.is_none_or(|e| &*w.name == e))
        .collect();
    match format {
        GraphFormat::Dot => workflows
            .iter()
            .map(|w| dot(w))
            .collect::<Vec<_>>()
            .join("\n"),
        GraphFormat::Mermaid => workflows
            .iter()
            .map(|w| mermaid(w))
            .collect::<Vec<_>>()
            .join("\n"),
        GraphFormat::Json => {
            let all: Vec<Json> = workflows.iter().map(|w| json_workflow(w, map)).collect();
            let mut s =
                serde_json::to_string_pretty(&json!({ "workflows": all })).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

fn node_id(prefix: &str, index: usize) -> String {
    format!("{prefix}n{index}")
}

/// "review\nprovider codex : Review"
fn describe(node: &Node) -> String {
    let what = match &node.kind {
        NodeKind::Provider(p) => format!("provider {}", p.provider),
        NodeKind::Call(c) => format!("call {}", c.workflow),
        NodeKind::Phase { name, .. } => format!("phase {name}"),
        other => other.label().to_string(),
    };
    format!("{}\n{what} : {}", node.name, node.ty)
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn dot(w: &Workflow) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", escape(&w.name));
    out.push_str("  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n");
    dot_block(&w.body, "", 1, &mut out);
    out.push_str("}\n");
    out
}

fn dot_block(block: &Block, prefix: &str, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for (index, node) in block.nodes() {
        let id = node_id(prefix, index.index());
        let shape = match node.kind {
            NodeKind::Pure(_) => "ellipse",
            NodeKind::Command(_)
            | NodeKind::Provider(_)
            | NodeKind::Human(_)
            | NodeKind::Call(_)
            | NodeKind::Apply { .. } => "box",
            _ => "hexagon",
        };
        let _ = writeln!(
            out,
            "{pad}\"{id}\" [label=\"{}\", shape={shape}];",
            escape(&describe(node))
        );
        for (label, sub) in node.kind.blocks() {
            let sub_prefix = format!("{id}.{label}.");
            let _ = writeln!(out, "{pad}subgraph \"cluster_{id}.{label}\" {{");
            let _ = writeln!(
                out,
                "{pad}  label=\"{}\";",
                escape(&format!("{} {label}", node.name))
            );
            dot_block(sub, &sub_prefix, depth + 1, out);
            let _ = writeln!(out, "{pad}}}");
            if sub.graph.node_count() > 0 {
                let _ = writeln!(
                    out,
                    "{pad}\"{id}\" -> \"{}\" [style=dotted, arrowhead=none];",
                    node_id(&sub_prefix, 0)
                );
            }
        }
    }
    for edge in block.graph.edge_references() {
        let from = node_id(prefix, edge.source().index());
        let to = node_id(prefix, edge.target().index());
        let attrs = match edge.weight() {
            Edge::Data(local) => {
                let name = block.graph[edge.source()].name.clone();
                let _ = local;
                format!("label=\"{}\"", escape(&name))
            }
            Edge::Seq => "style=dashed".to_string(),
        };
        let _ = writeln!(out, "{pad}\"{from}\" -> \"{to}\" [{attrs}];");
    }
}

fn mermaid_id(id: &str) -> String {
    id.replace('.', "_")
}

fn mermaid(w: &Workflow) -> String {
    let mut out = format!("%% workflow {}\nflowchart TD\n", w.name);
    mermaid_block(&w.body, "", 1, &mut out);
    out
}

fn mermaid_block(block: &Block, prefix: &str, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for (index, node) in block.nodes() {
        let id = mermaid_id(&node_id(prefix, index.index()));
        let text = describe(node).replace('"', "'").replace('\n', "<br/>");
        let shape = match node.kind {
            NodeKind::Pure(_) => format!("([\"{text}\"])"),
            NodeKind::Command(_)
            | NodeKind::Provider(_)
            | NodeKind::Human(_)
            | NodeKind::Call(_)
            | NodeKind::Apply { .. } => format!("[\"{text}\"]"),
            _ => format!("{{{{\"{text}\"}}}}"),
        };
        let _ = writeln!(out, "{pad}{id}{shape}");
        for (label, sub) in node.kind.blocks() {
            let sub_prefix = format!("{}.{label}.", node_id(prefix, index.index()));
            let sub_id = mermaid_id(&format!("{}{label}", node_id(prefix, index.index())));
            let _ = writeln!(
                out,
                "{pad}subgraph {sub_id}_block [\"{} {label}\"]",
                node.name
            );
            mermaid_block(sub, &sub_prefix, depth + 1, out);
            let _ = writeln!(out, "{pad}end");
            let _ = writeln!(out, "{pad}{id} -.- {sub_id}_block");
        }
    }
    for edge in block.graph.edge_references() {
        let from = mermaid_id(&node_id(prefix, edge.source().index()));
        let to = mermaid_id(&node_id(prefix, edge.target().index()));
        match edge.weight() {
            Edge::Data(_) => {
                let name = &block.graph[edge.source()].name;
                let _ = writeln!(out, "{pad}{from} -->|{name}| {to}");
            }
            Edge::Seq => {
                let _ = writeln!(out, "{pad}{from} -.-> {to}");
            }
        }
    }
}

fn json_workflow(w: &Workflow, map: &SourceMap) -> Json {
    json!({
        "name": &*w.name,
        "params": w.params.iter().map(|p| json!({"name": &*p.name, "type": p.ty.to_string()})).collect::<Vec<_>>(),
        "returns": w.ret.to_string(),
        "body": json_block(&w.body, "", map),
    })
}

fn json_block(block: &Block, prefix: &str, map: &SourceMap) -> Json {
    let nodes: Vec<Json> = block
        .nodes()
        .map(|(index, node)| {
            let id = node_id(prefix, index.index());
            let (line, column) = map
                .get(node.span.file)
                .map_or((0, 0), |f| f.line_col(node.span.start as usize));
            let name_of = |local| {
                block
                    .nodes()
                    .find(|(_, n)| n.out == local)
                    .map(|(_, n)| n.name.to_string())
            };
            let reads: Vec<String> = node
                .reads
                .iter()
                .map(|l| name_of(*l).unwrap_or_else(|| format!("local{}", l.0)))
                .collect();
            let blocks: Vec<Json> = node
                .kind
                .blocks()
                .into_iter()
                .map(|(label, sub)| {
                    json!({"label": label, "block": json_block(sub, &format!("{id}.{label}."), map)})
                })
                .collect();
            let mut obj = json!({
                "id": id,
                "name": &*node.name,
                "kind": node.kind.label(),
                "type": node.ty.to_string(),
                "line": line,
                "column": column,
                "reads": reads,
                "consumes": node.consumes.iter().map(|(_, n)| n.to_string()).collect::<Vec<_>>(),
                "produces_paths": node.produces_paths,
            });
            if let Some(step) = &node.step {
                obj["step"] = json!(step.to_string());
            }
            if !blocks.is_empty() {
                obj["blocks"] = json!(blocks);
            }
            obj
        })
        .collect();
    let edges: Vec<Json> = block
        .graph
        .edge_references()
        .map(|e| {
            let mut obj = json!({
                "from": node_id(prefix, e.source().index()),
                "to": node_id(prefix, e.target().index()),
                "kind": match e.weight() { Edge::Data(_) => "data", Edge::Seq => "seq" },
            });
            if let Edge::Data(_) = e.weight() {
                obj["local"] = json!(&*block.graph[e.source()].name);
            }
            obj
        })
        .collect();
    json!({ "nodes": nodes, "edges": edges })
}
