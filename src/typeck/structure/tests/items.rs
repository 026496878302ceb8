//! Item checks: prompt placeholders must name a parameter (E0219), and
//! `defpath` roots and extensions must be well formed (E0221).

use super::{clean, codes, only, text};
use crate::diag::Code;

#[test]
fn placeholders_naming_parameters_are_fine() {
    clean(
        "(defprompt p ((doc Path) (plan Plan)) \"Review {doc} against {plan.steps.first}; {{literal}}\")",
    );
}

#[test]
fn unknown_placeholder_with_a_close_parameter() {
    let src = "(defprompt review-doc ((doc Path) (focus String))\n  \"Review {doc} for {fcous}.\")";
    let d = only(src, Code::E0219);
    assert_eq!(text(src, d.span()), "fcous");
    assert_eq!(
        d.message,
        "placeholder `{fcous}` names no parameter of prompt `review-doc`"
    );
    assert_eq!(text(src, d.secondary[0].span), "(doc Path) (focus String)");
    assert_eq!(d.hint.as_deref(), Some("did you mean `focus`?"));
}

#[test]
fn unknown_placeholder_with_fields_points_at_its_first_segment() {
    let src = "(defprompt p ((plan Plan)) \"Do {pln.steps}\")";
    let d = only(src, Code::E0219);
    assert_eq!(text(src, d.span()), "pln");
    assert!(d.message.contains("`{pln.steps}`"), "{}", d.message);
    assert_eq!(d.hint.as_deref(), Some("did you mean `plan`?"));
}

#[test]
fn unknown_placeholder_without_a_close_parameter() {
    let src = "(defprompt p ((doc Path)) \"Use {zzzzzz}\")";
    let d = only(src, Code::E0219);
    let hint = d.hint.unwrap();
    assert!(hint.contains("`(zzzzzz String)`"), "{hint}");
    assert!(hint.contains("`{{`"), "{hint}");
    let src = "(defprompt greet () \"Hello {name}\")";
    let d = only(src, Code::E0219);
    assert_eq!(text(src, d.secondary[0].span), "greet");
    assert_eq!(d.secondary[0].message, "`greet` has no parameters");
}

#[test]
fn every_bad_placeholder_is_reported() {
    let src = "(defprompt p ((a String)) \"{b} {a} {c.d} {b}\")";
    assert_eq!(codes(src), vec![Code::E0219, Code::E0219, Code::E0219]);
}

#[test]
fn relative_roots_and_dotted_extensions_are_fine() {
    for under in ["docs", "./docs", "docs/design", "a..b/c", "docs/..x", ""] {
        clean(&format!("(defpath P :under \"{under}\" :ext \".md\")"));
    }
    clean("(defpath P :ext \".tar.gz\")");
}

#[test]
fn absolute_roots_are_refused() {
    for (under, why) in [
        ("/docs", "`/`"),
        ("/", "`/`"),
        ("~", "home directory"),
        ("~/notes", "home directory"),
        ("C:\\\\docs", "drive letter"),
        ("c:/docs", "drive letter"),
        ("C:", "drive letter"),
        ("\\\\docs", "drive root"),
        ("\\\\\\\\server\\\\share", "UNC"),
    ] {
        let src = format!("(defpath P :under \"{under}\")");
        let d = only(&src, Code::E0221);
        assert_eq!(text(&src, d.span()), format!("\"{under}\""));
        assert!(
            d.primary.message.contains(why),
            "{under}: {}",
            d.primary.message
        );
        assert!(d.message.contains("is absolute"), "{}", d.message);
    }
    let d = only("(defpath P :under \"/docs/design\")", Code::E0221);
    assert!(d.hint.unwrap().contains("relative to the workspace"));
}

#[test]
fn parent_segments_are_refused() {
    for under in [
        "..",
        "../docs",
        "docs/..",
        "docs/../../etc",
        "docs\\\\..\\\\x",
    ] {
        let src = format!("(defpath P :under \"{under}\")");
        let d = only(&src, Code::E0221);
        assert!(
            d.message.contains("contains `..`"),
            "{under}: {}",
            d.message
        );
    }
}

#[test]
fn extensions_must_start_with_a_dot() {
    let src = "(defpath Doc :under \"docs\" :ext \"md\")";
    let d = only(src, Code::E0221);
    assert_eq!(text(src, d.span()), "\"md\"");
    assert_eq!(
        d.hint.as_deref(),
        Some("write the extension with its dot: `:ext \".md\"`")
    );
    only("(defpath Doc :ext \"\")", Code::E0221);
    only("(defpath Doc :ext \".\")", Code::E0221);
}

#[test]
fn root_and_extension_are_reported_separately() {
    assert_eq!(
        codes("(defpath Doc :under \"/docs\" :ext \"md\")"),
        vec![Code::E0221, Code::E0221]
    );
}
