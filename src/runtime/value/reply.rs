//! The two ends of a provider step's reply: the output contract appended
//! to its prompt, and finding the reply's JSON in what it printed.
//!
//! The contract is a JSON skeleton of the `:returns` type (field names as
//! they must appear, a placeholder or the allowed values for each, `|`
//! between alternatives) and one sentence of rules, generated from the same
//! tables `from_json` validates against, so the two cannot disagree. It is
//! deterministic for a type (it goes into the step's identity through the
//! prompt), shows every record and variant field in declaration order with
//! generic arguments substituted, and shows a type that contains itself
//! once and then by name.
//!
//! The reply is the last top-level JSON object in the text: tools print
//! logs and prose around their answer, and models wrap it in ```json
//! fences. The scan goes forward once; at each `{` not inside an object
//! already found it tries to parse one JSON value there and, on success,
//! jumps past it, so nested objects never count as top-level and a fenced
//! block is found like any other object. A `{` that does not start valid
//! JSON (log text, a truncated object) is skipped.

use crate::typeck::types::{Name, Type};
use crate::typeck::{FieldInfo, PathInfo, Tables};
use serde_json::Value as Json;

/// The last top-level JSON object in `text`, if any.
pub fn last_json_object(text: &str) -> Option<Json> {
    let mut last = None;
    let mut at = 0;
    while let Some(off) = text.get(at..).and_then(|rest| rest.find('{')) {
        let start = at + off;
        let rest = &text[start..];
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Json>();
        match stream.next() {
            Some(Ok(obj @ Json::Object(_))) => {
                at = start + stream.byte_offset().max(1);
                last = Some(obj);
            }
            _ => at = start + 1,
        }
    }
    last
}

/// How wide a line may get before an object breaks over several lines.
const WIDTH: usize = 78;

/// A skeleton of a JSON shape.
enum Shape {
    Atom(String),
    Obj(Vec<(String, Shape)>),
    Alt(Vec<Shape>),
    List(Box<Shape>),
}

/// The contract for a provider whose reply must be a `ty`.
pub fn output_contract(ty: &Type, tables: &Tables) -> String {
    let mut seen = Vec::new();
    let shape = shape(ty, tables, &mut seen);
    let object = matches!(shape, Shape::Obj(_))
        || matches!(&shape, Shape::Alt(alts) if alts.iter().all(|a| matches!(a, Shape::Obj(_))));
    let mut out = String::new();
    if object {
        out.push_str(&format!(
            "Reply with one JSON object of type {ty}, shaped like this:\n"
        ));
    } else {
        out.push_str(&format!(
            "Reply with JSON of type {ty}, shaped like this:\n"
        ));
    }
    match &shape {
        Shape::Obj(fields) if fields.len() > 1 => out.push_str(&block_obj(fields, 0)),
        _ => out.push_str(&block(&shape, 0, 0)),
    }
    out.push('\n');
    out.push_str(
        "Rules: give every field shown, with exactly these names and no others (a field that \
         may be null may be left out); `|` separates the allowed alternatives, <…> marks a value \
         you fill in, and a \"variant\" field picks the alternative of its object. Put the JSON \
         last in your reply, or write it to the file named by $WFL_RESULT.",
    );
    out
}

fn path_atom(info: Option<&PathInfo>) -> String {
    let mut text = String::from("<workspace-relative path");
    if let Some(info) = info {
        if let Some(under) = &info.under {
            text.push_str(&format!(" under {}/", under.trim_end_matches('/')));
        }
        if let Some(ext) = &info.ext {
            let bare = ext.strip_prefix('.').unwrap_or(ext);
            text.push_str(&format!(" ending .{bare}"));
        }
        if info.must_exist {
            text.push_str(", which must exist");
        }
    }
    text.push('>');
    serde_json::Value::from(text).to_string()
}

fn fields_shape(
    fields: &[FieldInfo],
    params: &[Name],
    args: &[Type],
    tables: &Tables,
    seen: &mut Vec<Name>,
) -> Vec<(String, Shape)> {
    fields
        .iter()
        .map(|f| {
            let ty = f.ty.substitute(params, args);
            (f.name.to_string(), shape(&ty, tables, seen))
        })
        .collect()
}

fn shape(ty: &Type, tables: &Tables, seen: &mut Vec<Name>) -> Shape {
    let atom = |s: &str| Shape::Atom(s.to_string());
    match ty {
        Type::String => atom("\"<string>\""),
        Type::Int => atom("<integer>"),
        Type::Float => atom("<number>"),
        Type::Bool => Shape::Alt(vec![atom("true"), atom("false")]),
        Type::Json => atom("<any JSON>"),
        Type::Unit => atom("null"),
        Type::Path => Shape::Atom(path_atom(None)),
        Type::Refined(name) => Shape::Atom(path_atom(tables.paths.get(name))),
        Type::List(elem) => Shape::List(Box::new(shape(elem, tables, seen))),
        Type::Option(inner) => match shape(inner, tables, seen) {
            Shape::Alt(mut alts) => {
                alts.push(atom("null"));
                Shape::Alt(alts)
            }
            one => Shape::Alt(vec![one, atom("null")]),
        },
        Type::Enum(name) => match tables.enums.get(name) {
            Some(info) => Shape::Alt(
                info.members
                    .iter()
                    .map(|m| Shape::Atom(serde_json::Value::from(&*m.name).to_string()))
                    .collect(),
            ),
            None => Shape::Atom(format!("\"<{name}>\"")),
        },
        Type::Record(name, args) => {
            let Some(info) = tables.records.get(name) else {
                return Shape::Atom(format!("<{ty}>"));
            };
            if seen.contains(name) {
                return Shape::Atom(format!("<{ty} object>"));
            }
            seen.push(name.clone());
            let fields = fields_shape(&info.fields, &info.type_params, args, tables, seen);
            seen.pop();
            Shape::Obj(fields)
        }
        Type::Union(name, args) => {
            let Some(info) = tables.unions.get(name) else {
                return Shape::Atom(format!("<{ty}>"));
            };
            if seen.contains(name) {
                return Shape::Atom(format!("<{ty} object>"));
            }
            seen.push(name.clone());
            let alts = info
                .variants
                .iter()
                .map(|v| {
                    let mut fields = vec![(
                        "variant".to_string(),
                        Shape::Atom(serde_json::Value::from(&*v.name).to_string()),
                    )];
                    fields.extend(fields_shape(
                        &v.fields,
                        &info.type_params,
                        args,
                        tables,
                        seen,
                    ));
                    Shape::Obj(fields)
                })
                .collect();
            seen.pop();
            Shape::Alt(alts)
        }
        Type::Never | Type::Invalid | Type::Fn(..) | Type::Param(_) | Type::Var(_) => {
            Shape::Atom(format!("<{ty}>"))
        }
    }
}

fn key(k: &str) -> String {
    serde_json::Value::from(k).to_string()
}

fn inline(s: &Shape) -> String {
    match s {
        Shape::Atom(a) => a.clone(),
        Shape::Obj(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{}: {}", key(k), inline(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Shape::Alt(alts) => alts.iter().map(inline).collect::<Vec<_>>().join(" | "),
        Shape::List(elem) => format!("[{}, …]", inline(elem)),
    }
}

/// `s` starting at column `col` of a line indented by `base`: inline when
/// it fits, else broken over lines indented from `base`.
fn block(s: &Shape, base: usize, col: usize) -> String {
    let flat = inline(s);
    if col + flat.chars().count() <= WIDTH {
        return flat;
    }
    match s {
        Shape::Atom(a) => a.clone(),
        Shape::Obj(fields) => block_obj(fields, base),
        Shape::List(elem) => {
            let pad = " ".repeat(base + 2);
            let elem = block(elem, base + 2, base + 2);
            format!("[\n{pad}{elem},\n{pad}…\n{}]", " ".repeat(base))
        }
        Shape::Alt(alts) => {
            let pad = " ".repeat(base + 2);
            let mut out = String::new();
            for (i, alt) in alts.iter().enumerate() {
                if i == 0 {
                    out.push_str(&block(alt, base, col));
                } else {
                    out.push_str(&format!("\n{pad}| {}", block(alt, base + 4, base + 4)));
                }
            }
            out
        }
    }
}

/// An object broken over lines: one field a line, indented from `base`.
fn block_obj(fields: &[(String, Shape)], base: usize) -> String {
    let pad = " ".repeat(base + 2);
    let mut out = String::from("{\n");
    for (i, (k, v)) in fields.iter().enumerate() {
        let head = format!("{pad}{}: ", key(k));
        let body = block(v, base + 2, head.chars().count());
        out.push_str(&head);
        out.push_str(&body);
        out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
    }
    out.push_str(&" ".repeat(base));
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_object() {
        assert_eq!(last_json_object(r#"{"a": 1}"#), Some(json!({"a": 1})));
        assert_eq!(last_json_object("  {}\n"), Some(json!({})));
    }

    #[test]
    fn logs_before_and_after() {
        let text = "starting {pid 42}\nloading model...\n{\"ok\": true, \"n\": {\"x\": [1, 2]}}\ndone in 3s\n";
        assert_eq!(
            last_json_object(text),
            Some(json!({"ok": true, "n": {"x": [1, 2]}}))
        );
    }

    #[test]
    fn the_last_of_several_wins_and_nested_never_counts() {
        let text = r#"{"step": 1} then {"outer": {"inner": 1}} trailing {oops"#;
        assert_eq!(last_json_object(text), Some(json!({"outer": {"inner": 1}})));
    }

    #[test]
    fn fenced_block() {
        let text = "Here is my review:\n```json\n{\"variant\": \"APPROVE\", \"report\": \"r.md\"}\n```\nThanks!";
        assert_eq!(
            last_json_object(text),
            Some(json!({"variant": "APPROVE", "report": "r.md"}))
        );
    }

    #[test]
    fn braces_inside_strings_do_not_confuse() {
        let text = r#"{"msg": "a } and { inside", "k": "}"}"#;
        assert_eq!(
            last_json_object(text),
            Some(json!({"msg": "a } and { inside", "k": "}"}))
        );
    }

    #[test]
    fn truncated_outer_falls_back_to_a_complete_inner_object() {
        let text = r#"{"partial": {"a": 1}"#;
        assert_eq!(last_json_object(text), Some(json!({"a": 1})));
    }

    #[test]
    fn nothing_found() {
        assert_eq!(last_json_object(""), None);
        assert_eq!(last_json_object("no json here [1, 2]"), None);
        assert_eq!(last_json_object("{ not json }"), None);
        assert_eq!(last_json_object("}{"), None);
    }

    #[test]
    fn multibyte_text_around() {
        let text = "résumé → {\"é\": \"ü\"} ✓";
        assert_eq!(last_json_object(text), Some(json!({"é": "ü"})));
    }
}
