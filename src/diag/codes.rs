//! The table of stable diagnostic codes. Codes never change meaning once
//! published: E01xx lexing and parsing, E02xx names and types, E03xx effects,
//! control and step ids, E04xx runtime, E05xx lowering. `Code::ALL` drives the
//! test that demands a failing fixture for every code, and docs/language.md.

use serde::Serialize;

macro_rules! codes {
    ($($name:ident => $summary:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($name,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as printed: `E0213`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => stringify!($name),)* }
            }

            /// One line saying what the code means, for the docs table.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$name => $summary,)* }
            }
        }
    };
}

codes! {
    // Lexing and parsing.
    E0101 => "unexpected character",
    E0102 => "unterminated string",
    E0103 => "invalid escape sequence in a string",
    E0104 => "unmatched closing delimiter",
    E0105 => "unclosed delimiter",
    E0106 => "nesting too deep",
    E0107 => "invalid number literal",
    E0108 => "malformed special form",
    E0109 => "not allowed at top level",
    E0110 => "invalid type syntax",
    E0111 => "malformed template placeholder",
    E0112 => "misplaced or repeated module declaration",
    E0113 => "keyword argument without a value",
    E0114 => "source is not valid UTF-8",
    // Names and types.
    E0201 => "unknown name",
    E0202 => "unknown type",
    E0203 => "unknown field",
    E0204 => "unknown variant",
    E0205 => "unknown enum member",
    E0206 => "unknown keyword argument",
    E0207 => "duplicate definition",
    E0208 => "duplicate field",
    E0209 => "duplicate variant or enum member",
    E0210 => "duplicate parameter or binding",
    E0211 => "wrong number of arguments",
    E0212 => "missing required argument",
    E0213 => "type mismatch",
    E0214 => "condition is not Bool",
    E0215 => "non-exhaustive match",
    E0216 => "unreachable match arm",
    E0217 => "variant field used outside the match arm that proves it",
    E0218 => "field access on a value without fields",
    E0219 => "prompt placeholder names no parameter",
    E0220 => "type cannot cross a run boundary",
    E0221 => "defpath root is absolute or contains ..",
    E0222 => "path literal violates its path type",
    E0223 => "wrong number of type arguments",
    E0224 => "not callable",
    E0225 => "union field named variant",
    E0226 => "cannot infer type",
    E0227 => "match on a value that is neither a union nor an enum",
    E0228 => "duplicate keyword argument",
    E0229 => "missing record or variant field",
    E0230 => "unknown provider",
    E0231 => "unknown prompt",
    E0232 => "unknown workflow",
    E0233 => "unknown module",
    E0234 => "import cycle",
    E0235 => "imported name not defined in the module",
    E0236 => "imported name is private to its module",
    E0237 => "ambiguous import",
    E0238 => "duplicate import prefix",
    // Effects, control and step ids.
    E0301 => "effect inside a pure function",
    E0302 => "recursion among functions or workflows",
    E0303 => "duplicate step id",
    E0304 => "recur not in tail position of its loop",
    E0305 => "recur outside a loop",
    E0306 => "recur with the wrong number of values",
    E0307 => "loop without :max",
    E0308 => "for-each without :limit",
    E0309 => "retry without :attempts",
    E0310 => "bound is not a positive integer literal",
    E0311 => "budget without a cap",
    // Lowering to the YAML workflow DSL.
    E0501 => "human step has no YAML equivalent",
    E0502 => "budget has no YAML equivalent",
    E0503 => "retry with accumulated context has no YAML equivalent",
    E0504 => "retry around more than one step",
    E0505 => "function value not known when lowering to YAML",
    E0507 => "step result with no scalar field for the YAML output contract",
    E0508 => "step option must be a literal number in YAML",
    E0509 => "two names flatten to the same YAML name",
    E0510 => "pure code with no jq translation",
    E0599 => "internal error in the YAML back end",
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
