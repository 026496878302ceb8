//! Step identity: a SHA-256 over the normalized step — its kind, its
//! resolved inputs (argv, environment, stdin, prompt text), its result type
//! and its provider — written into `step_started`. Resume compares it with
//! the journal to notice a step that is no longer the one that ran.

use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

/// Lower-case hex of a SHA-256 digest.
pub fn hex_digest(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The identity of a step from its normalized description. `serde_json`
/// writes object keys in sorted order, so equal steps hash equally.
pub fn identity(description: &Json) -> String {
    hex_digest(description.to_string().as_bytes())
}

pub fn command_identity(
    argv: &[String],
    env: &[(String, String)],
    stdin: Option<&str>,
    returns: &str,
) -> String {
    identity(&json!({
        "kind": "command",
        "argv": argv,
        "env": env,
        "stdin": stdin,
        "returns": returns,
    }))
}

pub fn provider_identity(provider: &str, prompt: &str, returns: &str) -> String {
    identity(&json!({
        "kind": "provider",
        "provider": provider,
        "prompt": prompt,
        "returns": returns,
    }))
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
        assert_ne!(a, c);
        assert_eq!(a.len(), 64);
        assert_eq!(
            hex_digest(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
