//! Step identity: a SHA-256 over the normalized step — its kind, its
//! resolved inputs (argv, environment, stdin, prompt text), its result type
//! and its provider — written into `step_started`. Resume compares it with
//! the journal to notice a step that is no longer the one that ran. Next
//! to the whole hash, every field has a short hash of its own (`parts`), so
//! the resume can name what changed: the argv, the prompt, the provider…

use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Lower-case hex of a SHA-256 digest.
pub fn hex_digest(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// A step's identity: the hash of its whole normalized description, and
/// the description, whose fields are hashed one by one only when needed
/// (journaling the step, or naming what changed).
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub hash: String,
    description: Json,
}

impl Identity {
    /// A 16-hex-digit hash of each field but `kind`.
    pub fn parts(&self) -> BTreeMap<String, String> {
        let mut parts = BTreeMap::new();
        if let Json::Object(fields) = &self.description {
            for (k, v) in fields {
                if k != "kind" {
                    let mut h = hex_digest(v.to_string().as_bytes());
                    h.truncate(16);
                    parts.insert(k.clone(), h);
                }
            }
        }
        parts
    }
}

/// The identity of a step from its normalized description, an object of
/// fields. The fields are written in the order the description lists
/// them, so equal steps hash equally.
pub fn identity(description: Json) -> Identity {
    Identity {
        hash: hex_digest(description.to_string().as_bytes()),
        description,
    }
}

pub fn command_identity(
    argv: &[String],
    env: &[(String, String)],
    stdin: Option<&str>,
    returns: &str,
) -> Identity {
    identity(json!({
        "kind": "command",
        "argv": argv,
        "env": env,
        "stdin": stdin,
        "returns": returns,
    }))
}

pub fn provider_identity(provider: &str, prompt: &str, returns: &str) -> Identity {
    identity(json!({
        "kind": "provider",
        "provider": provider,
        "prompt": prompt,
        "returns": returns,
    }))
}

/// The fields whose hashes differ between two identities (a field only
/// one side has counts as changed), in name order.
pub fn changed_parts(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (k, v) in new {
        if old.get(k) != Some(v) {
            out.push(k.clone());
        }
    }
    for k in old.keys() {
        if !new.contains_key(k) {
            out.push(k.clone());
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_steps_hash_alike_and_changes_show() {
        let a = command_identity(&["cargo".into(), "test".into()], &[], None, "CommandResult");
        let b = command_identity(&["cargo".into(), "test".into()], &[], None, "CommandResult");
        let c = command_identity(
            &["cargo".into(), "build".into()],
            &[],
            None,
            "CommandResult",
        );
        assert_eq!(a, b);
        assert_ne!(a.hash, c.hash);
        assert_eq!(a.hash.len(), 64);
        assert_eq!(changed_parts(&a.parts(), &c.parts()), ["argv"]);
        assert_eq!(
            a.parts().keys().cloned().collect::<Vec<_>>(),
            ["argv", "env", "returns", "stdin"]
        );
        assert_eq!(
            hex_digest(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn a_field_on_one_side_only_is_a_change() {
        let old = identity(json!({"kind": "call", "workflow": "w"})).parts();
        let new = identity(json!({"kind": "call", "workflow": "w", "args": [1]})).parts();
        assert_eq!(changed_parts(&old, &new), ["args"]);
        assert_eq!(changed_parts(&new, &old), ["args"]);
    }
}
