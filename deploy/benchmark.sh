#!/usr/bin/env bash
# Regenerates docs/benchmarks.md. Needs root, nft, iptables and ipset (.ci/setup.sh installs them). Everything runs
# in a new network namespace, so the host's firewall is never touched; no packets are sent.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "benchmark: run as root (it needs a scratch network namespace)" >&2; exit 1; }
mvn -q -B package -DskipTests
CP="target/test-classes:$(mvn -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)"
mkdir -p docs
unshare --net -- sh -c 'ip link set lo up && exec java -cp "$0" io.feishuipsync.bench.Benchmark target/feishu-ipsync.jar' "target/classes:$CP" \
  > docs/benchmarks.md.tmp
mv docs/benchmarks.md.tmp docs/benchmarks.md
echo "benchmark: wrote docs/benchmarks.md"
