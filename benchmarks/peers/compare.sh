#!/usr/bin/env bash
# Opsflow side by side with DBOS, Temporal, Spring Batch and JobRunr: one command, from the
# repository root. Builds the benchmarks jar and each peer's driver (its own classpath), then runs
# dev.opsflow.bench.peers.PeerComparison. PostgreSQL systems run when OPSFLOW_BENCH_JDBC_URL is set
# (and OPSFLOW_BENCH_JDBC_USER / OPSFLOW_BENCH_JDBC_PASSWORD, the password passed to the drivers
# through the environment only; docs/performance.md shows how to
# start a throwaway server). Arguments go to PeerComparison: rounds, round trips (per system and
# round, interleaved trip by trip across the systems, one serving JVM each; `java
# -Dopsflow.bench.roundtrip=per-jvm ... PeerComparison` measures them the old way, one JVM per
# system after another), runs; then as many rounds of kill -9 in the middle of 100 runs
# (KillComparison). `compare.sh kill [rounds] [runs]` runs the kill -9 comparison alone. Never run by `mvn verify`. driver-common is not a
# project: it is the source directory of DriverMain, KillWork and PeerDatabase that every driver
# compiles.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q package -pl benchmarks -am -DskipTests -Djacoco.skip=true
for peer in benchmarks/peers/*/; do
  if [ -f "$peer/pom.xml" ]; then
    echo "building $peer" >&2
    if ! mvn -B -q -f "$peer/pom.xml" package dependency:build-classpath \
        -Dmdep.outputFile=target/classpath.txt >&2; then
      echo "peer $peer did not build; left out" >&2
      rm -f "$peer/target/classpath.txt"
    fi
  fi
done
props=()
if [ -n "${OPSFLOW_BENCH_JDBC_URL:-}" ]; then
  props+=("-Dopsflow.bench.jdbc.url=$OPSFLOW_BENCH_JDBC_URL")
  props+=("-Dopsflow.bench.jdbc.user=${OPSFLOW_BENCH_JDBC_USER:-postgres}")
fi
exec java "${props[@]}" -cp benchmarks/target/benchmarks.jar \
  dev.opsflow.bench.peers.PeerComparison "$@"
