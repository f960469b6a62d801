#!/usr/bin/env bash
# Mutation score (PIT) of the core and sync packages: the share of mutants the unit tests and properties kill.
# Prints the totals and every surviving mutant in the guards and plans (core.Plan, core.AddressSets,
# sync.ListMerge, sync.PendingRemovals, sync.Holdings), for docs/reliability.md. Not in CI: about 15 minutes on 2 cores.
#   deploy/mutation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -P pit test-compile org.pitest:pitest-maven:mutationCoverage >target/pit.log 2>&1 \
  || { tail -40 target/pit.log >&2; exit 1; }
csv=target/pit-reports/mutations.csv
python3 - "$csv" <<'PY'
import csv, collections, sys
rows = list(csv.reader(open(sys.argv[1])))
# file, class, mutator, method, line, status, killing test
by = collections.Counter(r[5] for r in rows)
total = len(rows)
killed = by["KILLED"] + by["TIMED_OUT"] + by["MEMORY_ERROR"] + by["RUN_ERROR"]
covered = total - by["NO_COVERAGE"]
print(f"mutants: {total}; killed {killed}; survived {by['SURVIVED']}; no coverage {by['NO_COVERAGE']}")
print(f"mutation score: {100.0 * killed / total:.1f} % of all mutants; test strength: {100.0 * killed / covered:.1f} %"
      " of the mutants a test reaches")
per = collections.defaultdict(lambda: [0, 0])
for r in rows:
    pkg = r[1].rsplit(".", 1)[0]
    per[pkg][1] += 1
    if r[5] in ("KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"):
        per[pkg][0] += 1
for pkg, (k, t) in sorted(per.items()):
    print(f"  {pkg}: {k}/{t} killed ({100.0 * k / t:.1f} %)")
watched = ("core.Plan", "core.AddressSets", "sync.ListMerge", "sync.PendingRemovals", "sync.Holdings")
print("surviving mutants in the guards and plans:")
for r in rows:
    if r[5] in ("SURVIVED", "NO_COVERAGE") and any(r[1].endswith(w) for w in watched):
        print(f"  {r[1].rsplit('.', 1)[1]}.{r[3]} line {r[4]}: {r[2].rsplit('.', 1)[-1]} ({r[5].lower()})")
PY
