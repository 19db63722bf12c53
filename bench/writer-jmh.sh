#!/usr/bin/env bash
# JMH benchmark of the writer's apply path (bench/writer-bench, BatchApplierBenchmark): a forum of 100,000
# change events in batches of 2,000 into a fresh SQLite file per invocation — through BatchApplier, from the
# JSON bytes (deserialize + validate + apply), decode only, fill-then-update, and raw JDBC with the writer's
# statements. Arguments go to JMH, e.g.:
#
#   bench/writer-jmh.sh                                  every benchmark (about 3 minutes)
#   bench/writer-jmh.sh 'initialApply|rawJdbc' -p rows=50000 -i 3     only these two
#   NO_BUILD=1 bench/writer-jmh.sh ...                   use what was built last
#
# Not part of ./mvnw verify (the module has no tests; the build only compiles it).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${NO_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B -DskipTests -pl bench/writer-bench -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt
fi
echo "==> $(nproc) cores, load average $(uptime | sed 's/.*load average: //'), $(java -version 2>&1 | head -1)"
# A first argument that is no option selects benchmarks (a regular expression over the method names).
select="BatchApplierBenchmark"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then select="BatchApplierBenchmark\\.($1)\$"; shift; fi
exec java -Xmx256m -cp "bench/writer-bench/target/classes:$(cat bench/writer-bench/target/classpath.txt)" \
  org.openjdk.jmh.Main "$select" "$@"
