#!/usr/bin/env bash
# Runs every allocator benchmark once and writes the results into benchmarks/README.md (between the
# generated-tables markers), keeping JMH's JSON and log in benchmarks/results/.
#
# About 11 minutes on a 2-core machine: about 10 minutes of JMH (100 trials, each one fork with 2 warm-up
# and 3 measured iterations), then the footprint and heap-efficiency programs (under a minute).
# Run it on a quiet machine: numbers taken while other work runs are worthless.
#
# Extra arguments go to JMH, for example to run a subset: benchmarks/run-tables.sh -p live=200,2000
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -q -pl benchmarks -am clean package -DskipTests

results=benchmarks/results
mkdir -p "$results"
java -jar benchmarks/target/benchmarks.jar \
    '\.(Churn|HeapKindChurn|MegamorphicChurn|Replay|ContendedAllocator)Benchmark\.' \
    -prof gc -rf json -rff "$results/results.json" "$@" | tee "$results/jmh.log"

java -cp benchmarks/target/benchmarks.jar io.github.emballoc.benchmarks.report.Tables \
    --readme benchmarks/README.md "$results/results.json"
echo "Tables written into benchmarks/README.md from $results/results.json" >&2
