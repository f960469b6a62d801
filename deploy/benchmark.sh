#!/usr/bin/env bash
# Regenerates docs/benchmarks.md. Needs root, nft, iptables and ipset (.ci/setup.sh installs them). Everything runs
# in a new network namespace, so the host's firewall is never touched; no packets are sent. Takes about 20 minutes
# (the daemon idles 10 of them; "deploy/benchmark.sh 1" idles 1). Sections measured by hand stand below the line
# "<!-- measured by hand -->" in docs/benchmarks.md; they are kept as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "benchmark: run as root (it needs a scratch network namespace)" >&2; exit 1; }
mvn -q -B package -DskipTests
CP="target/test-classes:$(mvn -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)"
mkdir -p docs
IDLE_MINUTES=${1:-10}
unshare --net -- sh -c 'ip link set lo up && exec java -cp "$0" io.feishuipsync.bench.Benchmark target/feishu-ipsync.jar "$1"' \
  "target/classes:$CP" "$IDLE_MINUTES" > docs/benchmarks.md.tmp
if [ -f docs/benchmarks.md ]; then
  sed -n '/^<!-- measured by hand -->/,$p' docs/benchmarks.md >> docs/benchmarks.md.tmp
fi
mv docs/benchmarks.md.tmp docs/benchmarks.md
echo "benchmark: wrote docs/benchmarks.md"
