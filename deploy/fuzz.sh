#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of every parser of outside input: each @FuzzTest in fuzzing mode, ROUNDS times
# (10 s a round), the corpus kept in .cifuzz-corpus between rounds and runs. A finding fails the run and leaves its
# input in src/test/resources/<package>/<Class>Inputs/<method>/, where the normal test run replays it from then on.
# Prints one line per target (executions, coverage, corpus) and a total; docs/reliability.md keeps the figures.
#   deploy/fuzz.sh [ROUNDS]      CI runs 1 round; the longer run behind docs/reliability.md used 30.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"
targets=(
  'io.feishuipsync.fuzz.FeishuAnswerFuzzTest#anyAnswerIsAListOrOneClearError'
  'io.feishuipsync.fuzz.ConfigFuzzTest#anyTextIsAConfigOrOneClearError'
  'io.feishuipsync.fuzz.KernelOutputFuzzTest#nftOutputIsAHoldingOrOneClearError'
  'io.feishuipsync.fuzz.KernelOutputFuzzTest#iptablesAndIpsetOutputIsAHoldingOrOneClearError'
  'io.feishuipsync.state.StateFilesFuzzTest#anySnapshotBytesAreASnapshotOrOneClearProblem'
  'io.feishuipsync.state.StateFilesFuzzTest#anyStatusBytesAreAStatusOrNothing'
  'io.feishuipsync.state.StateFilesFuzzTest#anyHistoryBytesAreKeptAndTheChangeAppended'
  'io.feishuipsync.state.DatabaseRowsFuzzTest#anyRowsAreCheckedValuesOrOneClearProblem'
  'io.feishuipsync.writer.tencent.TencentAnswerFuzzTest#anyAnswerIsReadOrOneClearError'
  'io.feishuipsync.writer.aliyun.EcsAnswerFuzzTest#anyAnswerIsReadOrOneClearError'
  'io.feishuipsync.writer.aliyun.AclAnswerFuzzTest#anyAnswerIsReadOrOneClearError'
  'io.feishuipsync.writer.huaweicloud.HuaweiAnswerFuzzTest#anyAnswerIsReadOrOneClearError'
  'io.feishuipsync.writer.volcengine.VolcAnswerFuzzTest#anyAnswerIsReadOrOneClearError'
  'io.feishuipsync.writer.aws.Ec2AnswerFuzzTest#anyAnswerIsReadOrOneClearError'
  'io.feishuipsync.fuzz.PublishedListFuzzTest#anyPublishedListIsAListOrOneClearError'
)
logs="target/fuzz"
mkdir -p "$logs"
# The classes once; each round then only runs Surefire. Its reports of the last full run (which
# deploy/reliability.py reads) are put back at the end: a fuzzing round would leave one method per class in them.
mvn -B -q -o test-compile
if [ -d target/surefire-reports ]; then
  rm -rf "$logs/surefire-reports.kept" && cp -a target/surefire-reports "$logs/surefire-reports.kept"
  trap 'rm -rf target/surefire-reports && mv "$logs/surefire-reports.kept" target/surefire-reports' EXIT
fi
failed=0
total=0
for t in "${targets[@]}"; do
  execs=0
  last=""
  for ((r = 1; r <= rounds; r++)); do
    log="$logs/${t##*.}-$r.log"
    if ! JAZZER_FUZZ=1 mvn -B -o surefire:test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
      echo "fuzz: $t: FINDING in round $r, see $log and the inputs directory" >&2
      grep -m1 -E "FuzzTestFindingException|FuzzerSecurityIssue" "$log" >&2 || true
      failed=1
      break
    fi
    done_line="$(grep -E '#[0-9]+[[:space:]]+DONE' "$log" | tail -1)"
    n="$(sed -E 's/^#([0-9]+).*/\1/' <<<"$done_line")"
    execs=$((execs + ${n:-0}))
    last="$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+b' <<<"$done_line" || true)"
  done
  total=$((total + execs))
  printf 'fuzz: %-95s %10d executions in %d round(s), %s\n' "$t" "$execs" "$rounds" "$last"
done
echo "fuzz: $total executions in all; $([ "$failed" = 0 ] && echo 'no finding' || echo 'FINDINGS above')"
exit "$failed"
