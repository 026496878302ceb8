//! Tab completion, independent of the line editor: the word before the
//! cursor is completed from the REPL commands (a `:` word at the start of
//! the input), the keywords of the special forms (any other `:` word), or
//! the special forms, built-in functions and the session's own names.

use super::COMMANDS;
use crate::typeck::Builtin;

/// The keywords the special forms take.
pub const KEYWORDS: &[&str] = &[
    ":argv",
    ":as",
    ":ask",
    ":attempts",
    ":backoff",
    ":default",
    ":doc",
    ":env",
    ":exhausted",
    ":ext",
    ":idempotent",
    ":limit",
    ":max",
    ":must-exist",
    ":name",
    ":only",
    ":prompt",
    ":prompt-via",
    ":returns",
    ":shell",
    ":stdin",
    ":timeout",
    ":tokens",
    ":under",
    ":usd",
];

/// The special forms and definition heads.
pub const FORMS: &[&str] = &[
    "assert",
    "budget",
    "call",
    "catch",
    "command",
    "cond",
    "def",
    "defenum",
    "defn",
    "defpath",
    "defprompt",
    "defprovider",
    "defrecord",
    "defunion",
    "defworkflow",
    "do",
    "else",
    "export",
    "fail",
    "fmt",
    "for-each",
    "human",
    "if",
    "import",
    "let*",
    "list",
    "loop",
    "match",
    "module",
    "parallel",
    "phase",
    "provider",
    "record",
    "recur",
    "retry",
    "try",
    "variant",
];

/// Characters that end a word.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || "()[]\"".contains(c)
}

/// Completions of the word that ends at byte `pos` of `line`: where the
/// word starts, and the candidates, sorted and without repeats. `names`
/// are the session's names (definitions, bindings, enum members).
pub fn complete(line: &str, pos: usize, names: &[String]) -> (usize, Vec<String>) {
    let pos = pos.min(line.len());
    let before = line.get(..pos).unwrap_or("");
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| is_delimiter(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    if word.is_empty() {
        return (start, Vec::new());
    }
    let mut out: Vec<String> = if word.starts_with(':') {
        if before[..start].trim().is_empty() {
            COMMANDS.iter().map(|(c, ..)| c.to_string()).collect()
        } else {
            KEYWORDS.iter().map(|k| k.to_string()).collect()
        }
    } else {
        let builtins = Builtin::ALL.iter().map(|b| b.name().to_string());
        let forms = FORMS.iter().map(|f| f.to_string());
        names.iter().cloned().chain(builtins).chain(forms).collect()
    };
    out.retain(|c| c.starts_with(word));
    out.sort();
    out.dedup();
    (start, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_at_the_start_keywords_elsewhere() {
        let (start, got) = complete(":lo", 3, &[]);
        assert_eq!((start, got), (0, vec![":load".to_string()]));
        let (start, got) = complete("(loop l :ma", 11, &[]);
        assert_eq!((start, got), (8, vec![":max".to_string()]));
    }

    #[test]
    fn names_builtins_and_forms() {
        let names = vec!["review-loop".to_string(), "Severity.HIGH".to_string()];
        let (start, got) = complete("(call revi", 10, &names);
        assert_eq!((start, got), (6, vec!["review-loop".to_string()]));
        let (_, got) = complete("(Sev", 4, &names);
        assert_eq!(got, vec!["Severity.HIGH".to_string()]);
        let (_, got) = complete("(defr", 5, &names);
        assert_eq!(got, vec!["defrecord".to_string()]);
        assert!(complete("(a ", 3, &names).1.is_empty());
    }
}
