//! The YAML workflow DSL as typed Rust structs, serialized with serde. The
//! field order of each struct is the key order in the emitted YAML, and an
//! absent optional field is never written, so the output is stable and
//! every key that can appear is named here. Only structs, maps, sequences
//! and untagged enums are used: the serializer writes externally tagged
//! enums as YAML tags, which the DSL does not read.

use indexmap::IndexMap;
use serde::Serialize;

/// The DSL version every emitted file declares (callers and callees must
/// agree). 2.14 has `variant_output` and `repeat_until.on_exhausted`.
pub const VERSION: &str = "2.14";

/// One workflow file.
#[derive(Debug, Clone, Serialize)]
pub struct WorkflowFile {
    pub version: String,
    pub name: String,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub imports: IndexMap<String, String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub providers: IndexMap<String, ProviderTemplate>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub inputs: IndexMap<String, Contract>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub outputs: IndexMap<String, Contract>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProviderTemplate {
    pub command: Vec<String>,
    /// `argv` (the prompt is `${PROMPT}` in `command`) or `stdin`.
    pub input_mode: &'static str,
}

/// A typed contract: a workflow input or output, a loop output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Contract {
    /// `scalar`; absent for `relpath` (the default kind of inputs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    #[serde(rename = "type")]
    pub ty: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub must_exist_target: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Ref>,
}

/// A literal scalar value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// `{ref: root.steps.X.artifacts.y}`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ref {
    #[serde(rename = "ref")]
    pub path: String,
}

impl Ref {
    pub fn new(path: impl Into<String>) -> Ref {
        Ref { path: path.into() }
    }
}

/// A step. Exactly one execution form (`command`, `provider`, `call`,
/// `for_each`, `if`, `match`, `repeat_until`) is set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Step {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Predicate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_params: Option<IndexMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with: Option<IndexMap<String, WithValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub for_each: Option<ForEach>,
    #[serde(rename = "if", skip_serializing_if = "Option::is_none")]
    pub if_: Option<Predicate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub then: Option<Vec<Step>>,
    #[serde(rename = "else", skip_serializing_if = "Option::is_none")]
    pub else_: Option<Vec<Step>>,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_: Option<Match>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat_until: Option<RepeatUntil>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<IndexMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_capture: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_bundle: Option<Bundle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_output: Option<VariantOutput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<Retries>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_sec: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<On>,
}

impl Step {
    pub fn named(name: impl Into<String>) -> Step {
        Step {
            name: name.into(),
            ..Step::default()
        }
    }
}

/// A value bound by `call … with:`: a literal (never `${…}`-substituted by
/// the DSL) or a structured reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum WithValue {
    Ref(Ref),
    Literal(Scalar),
}

#[derive(Debug, Clone, Serialize)]
pub struct ForEach {
    pub items_from: String,
    #[serde(rename = "as")]
    pub alias: String,
    pub steps: Vec<Step>,
}

/// `match`: every allowed value of the enum at `ref` has its steps (a
/// branch of `if` or a case of `match` is a plain step list).
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    #[serde(rename = "ref")]
    pub path: String,
    pub cases: IndexMap<String, Vec<Step>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RepeatUntil {
    pub max_iterations: u64,
    pub outputs: IndexMap<String, Contract>,
    pub condition: Predicate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_exhausted: Option<OnExhausted>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OnExhausted {
    pub outputs: IndexMap<String, Scalar>,
}

/// `output_bundle`: one JSON file, fields read by JSON pointer.
#[derive(Debug, Clone, Serialize)]
pub struct Bundle {
    pub path: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: String,
    pub json_pointer: String,
    #[serde(rename = "type")]
    pub ty: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub must_exist_target: Option<bool>,
}

/// `variant_output`: a tagged union in one JSON file.
#[derive(Debug, Clone, Serialize)]
pub struct VariantOutput {
    pub path: String,
    pub discriminant: Field,
    pub variants: IndexMap<String, VariantFields>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantFields {
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Retries {
    pub max: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct On {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<Goto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Goto>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Goto {
    pub goto: String,
}

/// A typed predicate (`if`, `when`, `repeat_until.condition`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Predicate {
    ArtifactBool { artifact_bool: Ref },
    Compare { compare: Compare },
    AllOf { all_of: Vec<Predicate> },
    AnyOf { any_of: Vec<Predicate> },
    Not { not: Box<Predicate> },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compare {
    pub left: Operand,
    pub op: &'static str,
    pub right: Operand,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Operand {
    Ref(Ref),
    Literal(Scalar),
}

impl Predicate {
    pub fn artifact_bool(path: impl Into<String>) -> Predicate {
        Predicate::ArtifactBool {
            artifact_bool: Ref::new(path),
        }
    }

    pub fn negate(p: Predicate) -> Predicate {
        match p {
            Predicate::Not { not } => *not,
            p => Predicate::Not { not: Box::new(p) },
        }
    }
}
