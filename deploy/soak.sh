#!/usr/bin/env bash
# The soak (issue 23, part 4): the packaged daemon for an hour ("deploy/soak.sh 10" for ten minutes) at a one-second
# schedule, with the list changing every 7 s, Feishu failing a run every 53 s, the firewall flushed every 97 s and
# the cluster database restarted once half way. Prints resident memory, threads, open files and the state
# directory every minute, checks every target at the end, and draws docs/soak.svg from target/soak.csv.
# Needs root (a scratch network namespace: the host's firewall is never touched), Docker with the testbed image
# (moto, .ci/setup.sh builds it) and PostgreSQL's binaries. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "soak: run as root (it needs a scratch network namespace)" >&2; exit 1; }
MINUTES=${1:-60}
mvn -q -B package -DskipTests
rm -rf target/soak-deb && mkdir -p target/soak-deb && dpkg -x target/feishu-ipsync.deb target/soak-deb
JAR=target/soak-deb/usr/share/feishu-ipsync/feishu-ipsync.jar
CP="target/test-classes:target/classes:$(mvn -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)"
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost
java -cp "$CP" io.feishuipsync.bench.Soak "$JAR" "$MINUTES" | tee target/soak.txt
python3 deploy/soak_plot.py target/soak.csv target/soak.txt docs/soak.svg
echo "soak: wrote docs/soak.svg"
