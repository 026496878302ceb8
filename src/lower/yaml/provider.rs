//! `provider` steps. The prompt is rendered by a jq step into a file the
//! step reads (`input_file`): the prompt text, then the JSON shape wfl asks
//! for, told to write the bundle file the DSL names. The reply is read with
//! `output_bundle` or `variant_output` (and a `-check` step where the type
//! has more than scalar fields). The step never retries unless a `retry`
//! says so, since the DSL retries providers by default. `:prompt-via file`
//! gets the prompt's path through `provider_params`.

use super::Lowering;
use super::cx::{CatchKind, Dest, Loc, Pos};
use super::jq::jq_string;
use super::model::{Retries, Step};
use crate::ir::Node;
use crate::typeck::typed::TProvider;
use crate::typeck::types::Type;

impl Lowering<'_> {
    pub(super) fn provider(
        &mut self,
        n: &Node,
        p: &TProvider,
        pos: &Pos,
        dest: Dest,
        out: &mut Vec<Step>,
    ) {
        let name = self.node_name(n, pos);
        let prompt_name = self.fresh_name(&format!("{name}-prompt"), pos);
        let prompt_loc = Loc {
            rel: pos.rel(&format!("{}.prompt.md", super::cx::file_safe(&name))),
            ..pos.loc(&name)
        };
        let mut jb = self.jq_reading(&[&p.prompt], pos);
        let returns = self.sub(&p.returns);
        let contract = jq_string(&self.contract(&returns));
        let body = jb
            .jq
            .expr(&p.prompt)
            .map(|v| format!("{v} + \"\\n\\n\" + {contract}"));
        let Some(cmd) = self.jq_command(jb, body, true) else {
            return;
        };
        out.push(self.command_step(
            &prompt_name,
            cmd,
            Some(&prompt_loc),
            pos,
            CatchKind::of(&p.prompt),
        ));
        let info = self.tables.providers.get(&p.provider).cloned();
        self.file(pos.file()).providers.insert(p.provider.clone());
        let mut step = Step::named(&name);
        step.provider = Some(p.provider.to_string());
        let prompt_path = self.spell(&prompt_loc, pos);
        if info
            .as_ref()
            .is_some_and(|i| i.prompt_via == crate::parser::ast::PromptVia::File)
        {
            step.provider_params = Some([("prompt_file".to_string(), prompt_path.clone())].into());
        }
        step.input_file = Some(prompt_path);
        let loc = super::steps::own_loc(&dest, pos, &name);
        let path = self.spell(&loc, pos);
        let fields = self.typed_output(&mut step, &returns, path, n.span);
        let timeout = p
            .opts
            .timeout
            .as_deref()
            .or(info.as_ref().and_then(|i| i.timeout.as_ref()));
        step.timeout_sec = self.literal_int(timeout, ":timeout");
        step.retries = Some(pos.retries.clone().unwrap_or(Retries {
            max: 0,
            delay_ms: None,
        }));
        let attempts = pos.retries.as_ref().map_or(1, |r| r.max + 1);
        self.finish_effect(
            n,
            step,
            fields,
            (loc, Some(&returns)),
            CatchKind::Process { attempts },
            pos,
            dest,
            out,
        );
    }

    /// The JSON shape wfl asks a provider for, told to write the bundle.
    fn contract(&self, ty: &Type) -> String {
        let full = crate::runtime::value::output_contract(ty, self.tables);
        let kept = full.split(" Put the JSON last").next().unwrap_or(&full);
        format!(
            "{kept} Write the JSON to the file named by $ORCHESTRATOR_OUTPUT_BUNDLE_PATH (the \
             output contract below)."
        )
    }
}
