#!/usr/bin/env bash
# Runs one example end to end, offline: a fresh temporary workspace, every
# provider answered from examples/answers/NAME.json (the replay provider),
# and the stand-ins in examples/bin/ in place of `cargo` and `git`.
#
#   examples/run.sh design_plan_implement      # or any example's name
#   examples/run.sh verification_panel --quiet # extra `wfl run` options
#
# The run directory stays in the workspace printed at the end, so
# `wfl report` and `wfl runs --workspace …` can look at it afterwards.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=${1:?usage: examples/run.sh NAME [wfl run options]}
shift
case "$name" in
  design_plan_implement) inputs=(--input "task=Add a --dry-run flag to the deploy command") ;;
  pm_coder_reviewer) inputs=(--input "request=Users want to export their data as CSV") ;;
  verification_panel) inputs=() ;;
  retry_with_context) inputs=(--input "task=Make the config parser accept durations such as 90s and 5m") ;;
  *) echo "no example named $name (see examples/*.wfl)" >&2; exit 2 ;;
esac
wfl=${WFL:-}
if [ -z "$wfl" ]; then
  cargo build --release --quiet --manifest-path "$here/../Cargo.toml"
  wfl="$here/../target/release/wfl"
fi
workspace=$(mktemp -d "${TMPDIR:-/tmp}/wfl-$name.XXXXXX")
status=0
PATH="$here/bin:$PATH" "$wfl" run "$here/$name.wfl" --workspace "$workspace" \
  --replay "$here/answers/$name.json" "${inputs[@]}" "$@" || status=$?
echo "workspace: $workspace (wfl runs --workspace $workspace)" >&2
exit "$status"
