//! Values as JSON (BRIEF §2): records are objects with every field in
//! declaration order; union values are objects `{"variant": "NAME", …}`;
//! enum members are strings; `none` and Unit are `null`; lists are arrays;
//! Paths are strings; Int and Float are numbers; Json is itself.
//!
//! `from_json` is the strict reader used at every boundary (provider
//! replies, command results, `--input`, `wfl answer`, the journal). What it
//! guarantees of the value it returns: it has exactly the static type's
//! shape — every record field present (an `(Option T)` field may be `null`
//! or absent, and absent reads as `none`: models often leave out what they
//! have nothing to say about), no unknown field, a union's `variant` names
//! one of its variants, an enum string names a member, an Int is a whole
//! JSON number in i64 range (`1.5` and `2.0` are both rejected), a Float
//! is any number, and a Path passes `check_path` with its refinement
//! (`:must-exist` is left to `check_must_exist`). A generic record or
//! union reads its fields with the type arguments substituted. A failure is
//! a `ShapeError` naming the place JSONPath-style (`$.findings[2]`).

use super::shape::{ShapeError, Trail, describe_json, path_problem};
use super::{Func, Value};
use crate::typeck::types::{Name, Type};
use crate::typeck::{FieldInfo, Tables};
use serde_json::{Map, Value as Json};
use std::borrow::Cow;
use std::fmt;

/// A function value met a run boundary (the checker forbids this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncInJson {
    pub kind: &'static str,
    pub name: String,
}

impl fmt::Display for FuncInJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} `{}` is a function value, and function values never cross a run boundary",
            self.kind, self.name
        )
    }
}

impl std::error::Error for FuncInJson {}

/// The JSON of a value. A function value (which the checker keeps from
/// every run boundary) becomes the string `"<defn name>"`; use
/// `try_to_json` where that must be an error instead.
pub fn to_json(v: &Value) -> Json {
    convert(v, false).unwrap_or_else(|e| Json::String(e.to_string()))
}

/// The JSON of a value, or an error if a function value is inside.
pub fn try_to_json(v: &Value) -> Result<Json, FuncInJson> {
    convert(v, true)
}

fn fields_json(
    map: &mut Map<String, Json>,
    fields: &[(Name, Value)],
    strict: bool,
) -> Result<(), FuncInJson> {
    for (name, v) in fields {
        map.insert(name.to_string(), convert(v, strict)?);
    }
    Ok(())
}

fn convert(v: &Value, strict: bool) -> Result<Json, FuncInJson> {
    Ok(match v {
        Value::Unit | Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.to_string()),
        Value::List(xs) => Json::Array(
            xs.iter()
                .map(|x| convert(x, strict))
                .collect::<Result<_, _>>()?,
        ),
        Value::Record(r) => {
            let mut map = Map::with_capacity(r.fields.len());
            fields_json(&mut map, &r.fields, strict)?;
            Json::Object(map)
        }
        Value::Variant(u) => {
            let mut map = Map::with_capacity(u.fields.len() + 1);
            map.insert("variant".into(), Json::String(u.variant.to_string()));
            fields_json(&mut map, &u.fields, strict)?;
            Json::Object(map)
        }
        Value::Enum(e) => Json::String(e.member.to_string()),
        Value::Json(j) => (**j).clone(),
        Value::Func(f) if strict => {
            return Err(FuncInJson {
                kind: f.kind(),
                name: f.name().to_string(),
            });
        }
        Value::Func(f) => Json::String(describe_func(f)),
    })
}

fn describe_func(f: &Func) -> String {
    format!("<{} {}>", f.kind(), f.name())
}

/// Reads a JSON value as a value of type `ty`, strictly (see the module
/// doc). A record or variant field of an `(Option T)` type may be `null` or
/// left out, and a left-out one reads as `none`; every other field must be
/// present, and a field the type does not have is an error.
pub fn from_json(json: &Json, ty: &Type, tables: &Tables) -> Result<Value, ShapeError> {
    let mut trail = Trail::default();
    read(json, ty, tables, &mut trail)
}

const MISSING: &str = "nothing (the field is missing)";

fn read<'a>(
    j: &'a Json,
    ty: &Type,
    tables: &'a Tables,
    trail: &mut Trail<'a>,
) -> Result<Value, ShapeError> {
    let mismatch = |trail: &Trail<'a>| trail.error(ty.to_string(), describe_json(j));
    match ty {
        Type::String => match j {
            Json::String(s) => Ok(Value::str(s)),
            _ => Err(mismatch(trail)),
        },
        Type::Bool => j.as_bool().map(Value::Bool).ok_or_else(|| mismatch(trail)),
        Type::Int => match j {
            Json::Number(n) => n.as_i64().map(Value::Int).ok_or_else(|| {
                let why = if n.is_f64() { "" } else { " (out of range)" };
                trail.error("Int", format!("{n}{why}"))
            }),
            _ => Err(mismatch(trail)),
        },
        Type::Float => match j.as_f64() {
            Some(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(mismatch(trail)),
        },
        Type::Json => Ok(Value::json(j.clone())),
        Type::Unit => match j {
            Json::Null => Ok(Value::Unit),
            _ => Err(trail.error("null", describe_json(j))),
        },
        Type::Path | Type::Refined(_) => {
            let Json::String(s) = j else {
                return Err(mismatch(trail));
            };
            let info = match ty {
                Type::Refined(name) => Some(tables.paths.get(name).ok_or_else(|| {
                    trail.error(format!("{name} (an unknown path type)"), "a string")
                })?),
                _ => None,
            };
            match path_problem(s, info) {
                None => Ok(Value::str(s)),
                Some(reason) => Err(trail.error(ty.to_string(), format!("{s:?}, which {reason}"))),
            }
        }
        Type::List(elem) => {
            let Json::Array(xs) = j else {
                return Err(mismatch(trail));
            };
            let mut out = Vec::with_capacity(xs.len());
            for (i, x) in xs.iter().enumerate() {
                trail.push_index(i);
                out.push(read(x, elem, tables, trail)?);
                trail.pop();
            }
            Ok(Value::list(out))
        }
        Type::Option(inner) => match j {
            Json::Null => Ok(Value::None),
            _ => read(j, inner, tables, trail),
        },
        Type::Enum(name) => {
            let info = tables.enums.get(name).ok_or_else(|| {
                trail.error(format!("{name} (an unknown enum)"), describe_json(j))
            })?;
            let expected = || {
                let names: Vec<&str> = info.members.iter().map(|m| &*m.name).collect();
                format!("one of {} ({name})", names.join(", "))
            };
            let Json::String(s) = j else {
                return Err(trail.error(expected(), describe_json(j)));
            };
            match info.members.iter().find(|m| *m.name == **s) {
                Some(m) => Ok(Value::enum_member(info.name.clone(), m.name.clone())),
                None => Err(trail.error(expected(), describe_json(j))),
            }
        }
        Type::Record(name, args) => {
            let info = tables.records.get(name).ok_or_else(|| {
                trail.error(format!("{name} (an unknown record)"), describe_json(j))
            })?;
            let Json::Object(map) = j else {
                return Err(trail.error(format!("{ty} (an object)"), describe_json(j)));
            };
            let fields = read_fields(
                map,
                &info.fields,
                &info.type_params,
                args,
                None,
                tables,
                trail,
            )
            .map_err(|e| e.named(ty))?;
            Ok(Value::record(info.name.clone(), fields))
        }
        Type::Union(name, args) => read_union(j, ty, name, args, tables, trail),
        Type::Never | Type::Invalid | Type::Fn(..) | Type::Param(_) | Type::Var(_) => {
            Err(trail.error(format!("{ty} (which no JSON value is)"), describe_json(j)))
        }
    }
}

fn read_union<'a>(
    j: &'a Json,
    ty: &Type,
    name: &Name,
    args: &[Type],
    tables: &'a Tables,
    trail: &mut Trail<'a>,
) -> Result<Value, ShapeError> {
    let info = tables
        .unions
        .get(name)
        .ok_or_else(|| trail.error(format!("{name} (an unknown union)"), describe_json(j)))?;
    let Json::Object(map) = j else {
        return Err(trail.error(
            format!("{ty} (an object with a \"variant\")"),
            describe_json(j),
        ));
    };
    let names: Vec<&str> = info.variants.iter().map(|v| &*v.name).collect();
    let expected = || format!("one of {} ({ty})", names.join(", "));
    trail.push_key("variant");
    let tag = map.get("variant");
    let variant = match tag {
        Some(Json::String(s)) => info.variants.iter().find(|v| *v.name == **s),
        _ => None,
    };
    let Some(variant) = variant else {
        let found = tag.map_or_else(|| MISSING.to_string(), describe_json);
        return Err(trail.error(expected(), found));
    };
    trail.pop();
    let fields = read_fields(
        map,
        &variant.fields,
        &info.type_params,
        args,
        Some("variant"),
        tables,
        trail,
    )
    .map_err(|e| e.named(&format!("{name}.{}", variant.name)))?;
    Ok(Value::variant(
        info.name.clone(),
        variant.name.clone(),
        fields,
    ))
}

/// A field type with the owner's type arguments substituted (borrowed when
/// the owner is not generic).
fn field_ty<'t>(field: &'t FieldInfo, params: &[Name], args: &[Type]) -> Cow<'t, Type> {
    if params.is_empty() {
        Cow::Borrowed(&field.ty)
    } else {
        Cow::Owned(field.ty.substitute(params, args))
    }
}

/// An error inside the fields of a record or variant, before it knows the
/// owner's name (for the unknown-field message).
enum FieldsError {
    Shape(ShapeError),
    Unknown { path: String, known: String },
}

impl FieldsError {
    fn named(self, owner: &dyn fmt::Display) -> ShapeError {
        match self {
            FieldsError::Shape(e) => e,
            FieldsError::Unknown { path, known } => ShapeError {
                path,
                expected: format!("only the fields of {owner} ({known})"),
                found: "a field it does not have".into(),
            },
        }
    }
}

fn read_fields<'a>(
    map: &'a Map<String, Json>,
    fields: &'a [FieldInfo],
    params: &[Name],
    args: &[Type],
    tag: Option<&str>,
    tables: &'a Tables,
    trail: &mut Trail<'a>,
) -> Result<Vec<(Name, Value)>, FieldsError> {
    for key in map.keys() {
        if Some(key.as_str()) != tag && !fields.iter().any(|f| *f.name == **key) {
            trail.push_key(key);
            let path = trail.render();
            trail.pop();
            let mut known: Vec<&str> = tag.into_iter().collect();
            known.extend(fields.iter().map(|f| &*f.name));
            let known = if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            };
            return Err(FieldsError::Unknown { path, known });
        }
    }
    let mut out = Vec::with_capacity(fields.len());
    for field in fields {
        let fty = field_ty(field, params, args);
        trail.push_key(&field.name);
        let value = match map.get(&*field.name) {
            Some(j) => read(j, &fty, tables, trail).map_err(FieldsError::Shape)?,
            None if matches!(*fty, Type::Option(_)) => Value::None,
            None => return Err(FieldsError::Shape(trail.error(fty.to_string(), MISSING))),
        };
        trail.pop();
        out.push((field.name.clone(), value));
    }
    Ok(out)
}
