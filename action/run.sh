#!/usr/bin/env bash
# The action's main step: the inputs (WG_* variables, set by action.yml) become one writegate argv,
# writegate runs, and report.mjs turns its outcome into the outputs, the job summary, the annotations
# and the pull request comment's text.
#
# The argv is a bash array and nothing here is re-read by a shell: each line of a multi-line input
# is one argument as the user typed it (quotes, $VARS and ; included), and writegate splits a
# template itself and runs it without a shell.
#
# This step records writegate's exit code and exits 0, so the upload and the comment still happen;
# the action's last step exits with the recorded code. Bad input to the action is exit 2, like bad
# input to writegate.
set -euo pipefail

action_path=${GITHUB_ACTION_PATH:?run.sh runs inside the writegate action (GITHUB_ACTION_PATH is unset)}
# The writegate the install step chose (the release, or this checkout built); run.sh alone uses the build.
bin=${WG_BIN:-"$action_path/dist/cli/bin.js"}
outputs=${GITHUB_OUTPUT:-/dev/null}
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/writegate-action.XXXXXX")
: > "$work/stdout.json"
: > "$work/stderr.txt"

command=${WG_COMMAND:-gate}
profile=${WG_PROFILE:-quick}
out=${WG_OUT:-writegate-results}
working_directory=${WG_WORKING_DIRECTORY:-.}

# Which commands take each input; an input given to another command is refused rather than ignored,
# so a typo in `command` cannot silently gate nothing. thresholds, config and profile apply to all.
declare -A applies=(
  [subjects]='gate bench crash'
  [writer-cmd]='gate bench crash'
  [writer-noop]='gate bench crash'
  [driver]='gate bench crash'
  [wrapper]='gate parity'
  [hook]='gate hook'
  [base]='compare'
  [head]='compare'
  [base-driver]='compare'
  [head-driver]='compare'
  [base-noop]='compare'
  [head-noop]='compare'
  [max-time]='compare'
  [max-rounds]='compare'
  [regression-policy]='compare'
  [sizes]='gate bench crash compare'
  [modes]='bench compare'
)
# The flag each input becomes, in the order they are passed.
inputs_in_order=(subjects writer-cmd writer-noop driver wrapper hook base head base-driver head-driver base-noop head-noop max-time max-rounds sizes modes regression-policy)
# Inputs that take one entry per line; each line is one flag.
declare -A per_line=([writer-cmd]=1 [writer-noop]=1 [driver]=1 [wrapper]=1 [hook]=1 [base]=1 [head]=1 [base-driver]=1 [head-driver]=1 [base-noop]=1 [head-noop]=1)
# List inputs: writegate takes them comma-separated, and a line per item reads as well in YAML.
declare -A comma_list=([subjects]=1 [sizes]=1 [modes]=1)

problems=()
value_of() {
  local var="WG_${1//-/_}"
  var=${var^^}
  printf '%s' "${!var-}"
}

# The non-blank lines of $1, each trimmed (a CRLF line end included).
lines() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    if [ -n "$line" ]; then printf '%s\n' "$line"; fi
  done <<< "$1"
}

# A one-line input, trimmed, into REPLY (not a $(...) subshell: a problem must reach `problems`);
# more than one line is refused, as a path or a number has one.
single() {
  REPLY=$(lines "$2")
  if [[ $REPLY == *$'\n'* ]]; then problems+=("input $1: expected one line, got $(wc -l <<< "$REPLY")"); fi
}

is_bool() { [ "$1" = true ] || [ "$1" = false ]; }

case "$command" in
  gate | compare | bench | crash | parity | hook) ;;
  *) problems+=("input command: expected gate, compare, bench, crash, parity or hook, got '$command'") ;;
esac
for name in comment upload allow-inconclusive require-judged; do
  value=$(value_of "$name")
  if [ -n "$value" ] && ! is_bool "$value"; then problems+=("input $name: expected 'true' or 'false', got '$value'"); fi
done
if [ -z "$out" ]; then problems+=("input out: empty; give a directory"); fi

run_args=("$command" --profile "$profile")
for name in "${inputs_in_order[@]}"; do
  value=$(value_of "$name")
  [ -n "$(lines "$value")" ] || continue
  if [[ " ${applies[$name]} " != *" $command "* ]]; then
    problems+=("input $name: '$command' does not take it (it is for: ${applies[$name]// /, })")
    continue
  fi
  if [ -n "${per_line[$name]-}" ]; then
    while IFS= read -r line; do run_args+=("--$name" "$line"); done < <(lines "$value")
  elif [ -n "${comma_list[$name]-}" ]; then
    run_args+=("--$name" "$(lines "$value" | paste -sd, -)")
  else
    single "$name" "$value"
    run_args+=("--$name" "$REPLY")
  fi
done
if [ "${WG_ALLOW_INCONCLUSIVE:-false}" = true ]; then
  if [ "$command" = compare ]; then
    run_args+=(--allow-inconclusive)
  else
    problems+=("input allow-inconclusive: '$command' does not take it (it is for: compare)")
  fi
fi

# Suite commands run with --no-verdict (they only measure): `analyze` reads their CSV and applies the
# thresholds. A suite run keeps the other suites' rows in the CSV, so a results directory shared with
# an earlier step could hold some: --suites judges this command's suite alone.
analyze_args=(--suites "$command")
suite=false
case "$command" in bench | crash | parity | hook) suite=true ;; esac
if $suite; then run_args+=(--no-verdict); fi
# Not judged is a verdict of the analyzer: a suite command's analyze, or gate itself.
if [ "${WG_REQUIRE_JUDGED:-false}" = true ]; then
  case "$command" in
    compare) problems+=("input require-judged: 'compare' does not take it (it is for: gate, bench, crash, parity, hook)") ;;
    gate) run_args+=(--require-judged) ;;
    *) analyze_args+=(--require-judged) ;;
  esac
fi
for name in thresholds config; do
  single "$name" "$(value_of "$name")"
  value=$REPLY
  [ -n "$value" ] || continue
  if $suite; then analyze_args+=("--$name" "$value"); fi
  if ! $suite || [ "$name" = config ]; then run_args+=("--$name" "$value"); fi
done

if [ ! -d "$working_directory" ]; then problems+=("input working-directory: '$working_directory' is not a directory"); fi

out_abs=''
rc=2
if [ ${#problems[@]} -eq 0 ]; then
  cd "$working_directory"
  out_abs=$(node -p 'require("node:path").resolve(process.argv[1])' "$out")
  run_args+=(--out "$out_abs" --json)

  # writegate publishes to the job summary and annotates failed gates by itself when it sees these
  # variables; the action does both (for every command, from the --json output), so not twice.
  run_writegate() {
    echo "writegate ${*@Q}"
    echo "writegate: --json keeps it quiet until it is done; the report follows"
    set +e
    {
      env -u GITHUB_ACTIONS -u GITHUB_STEP_SUMMARY node "$bin" "$@" 2>&1 1>&3 3>&- | tee -a "$work/stderr.txt" >&2
      rc=${PIPESTATUS[0]}
    } 3> "$work/stdout.json"
    set -e
  }

  run_writegate "${run_args[@]}"
  if $suite && [ "$rc" -eq 0 ]; then
    cp "$work/stdout.json" "$work/suite.json"
    run_writegate analyze "$out_abs/results_raw.csv" --out "$out_abs" --json "${analyze_args[@]}"
  fi
  if [ -d "$out_abs" ] && [ -s "$work/stdout.json" ]; then cp "$work/stdout.json" "$out_abs/verdict.json"; fi
else
  for problem in "${problems[@]}"; do printf 'writegate action: %s\n' "$problem" | tee -a "$work/stderr.txt" >&2; done
fi

artifact=${WG_ARTIFACT_NAME:-writegate-$command-${GITHUB_JOB:-job}-${GITHUB_RUN_ATTEMPT:-1}}
{
  echo "exit-code=$rc"
  echo "results-dir=$out_abs"
  echo "artifact-name=$artifact"
  # Nothing to upload when writegate refused its input before creating the directory.
  if [ -n "$out_abs" ] && [ -d "$out_abs" ]; then echo "upload-path=$out_abs"; fi
} >> "$outputs"

WG_REPORT_JSON="$work/stdout.json" WG_REPORT_STDERR="$work/stderr.txt" WG_REPORT_EXIT="$rc" \
  WG_REPORT_OUT="$out_abs" WG_REPORT_ARTIFACT="$artifact" WG_REPORT_COMMENT_FILE="$work/comment.md" \
  node "$action_path/action/report.mjs"
