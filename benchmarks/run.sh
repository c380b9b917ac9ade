#!/usr/bin/env bash
# Builds the benchmarks jar, runs a quick profile (about six minutes on 2 cores) and renders docs/benchmarks.md
# with the raw result next to it in docs/benchmarks.json. Needs only a JDK 17+ and Maven.
#
#   bash benchmarks/run.sh                         # every benchmark, quick profile
#   bash benchmarks/run.sh 'CoreSuccess|Proxied'   # only those matching a JMH regexp
#   JMH_OPTS='-f 2 -wi 5 -w 2s -i 5 -r 2s' bash benchmarks/run.sh   # a longer, steadier run
set -euo pipefail
cd "$(dirname "$0")/.."

jmh_opts=${JMH_OPTS:--f 1 -wi 2 -w 1s -i 5 -r 1s}
include=${1:-dev.resilience.benchmarks}
json=docs/benchmarks.json
markdown=docs/benchmarks.md
jar=benchmarks/target/benchmarks.jar

mvn -B -q -pl benchmarks -am package -DskipTests
mkdir -p docs
# shellcheck disable=SC2086 # the options are meant to split into words
java -jar "$jar" $jmh_opts -prof gc -rf json -rff "$json" "$include"
java -cp "$jar" dev.resilience.benchmarks.report.Report "$json" "$markdown" "$jmh_opts -prof gc $include"
