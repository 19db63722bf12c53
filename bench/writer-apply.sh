#!/usr/bin/env bash
# Benchmark (issue 9b): the writer alone — change events already in Kafka → SQLite — beside the physical
# limit measured in the same run: the same rows written with plain JDBC into an empty SQLite file with the
# writer's schema and connection settings (bench/writer-bench, RawJdbc). Reports rows/s of each and the ratio.
#
#   bench/writer-apply.sh                       200,000 records (users 5%, sections 100, topics 10%, messages rest)
#   bench/writer-apply.sh --records 1000000
#   bench/writer-apply.sh --append              also append the result to docs/benchmarks.md
#   bench/writer-apply.sh --no-build            use the jars built last
#   WRITER_ARGS="--tributary.writer.consumer.max-poll-records=2000" bench/writer-apply.sh   writer settings to try
#   WRITER_JAVA_OPTS='-XX:+UseParallelGC' bench/writer-apply.sh   JVM options of the writer, after the script's own
#                                               (-Xms256m -Xmx1g -XX:+UseSerialGC), so they can override them
#
# Steps: start a broker; produce the events (3 partitions per topic, like the writer's default); start the
# writer's exec jar (own JVM) on an empty main DB and time it from its first applied row to its last (its JVM
# start is left out; progress read from its applied counter, not /status, which counts rows on the writer's
# one connection); stop it; then the raw JDBC variants, one fresh file each, in the same JVM as the generator.
# Own ports (Kafka 19292/19293, writer 18284), data under bench/target/. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
records=200000 append=0 build=1 batch=5000 # rows per raw transaction: the writer's max-poll-records default (like with like)
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=${2:?--records needs a number}; shift ;;
    --append) append=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p;}' "$0"; exit 0 ;;
    *) echo "writer-apply: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$records" =~ ^[0-9]+$ ]] && [ "$records" -ge 1000 ] || { echo "writer-apply: --records must be a number >= 1000" >&2; exit 2; }

proc_label=writer-apply
work="$root/bench/target/writer-apply-$records"
proc_logs="$work/logs"
source "$root/dev/lib/processes.sh"
trap stop_processes EXIT
trap 'exit 130' INT TERM

KAFKA=19292 CONTROLLER=19293 WRITER=18284
require_free_ports $KAFKA $CONTROLLER $WRITER
if [ "$build" = 1 ]; then
  say "==> Building the writer and bench/writer-bench"
  # (each module of the reactor writes its classpath; bench/writer-bench's names the reactor's jars)
  ./mvnw -q -B -DskipTests -pl writer-service,bench/writer-bench -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt
  ./mvnw -q -B -f dev/kafka/pom.xml package
fi
[ -s bench/writer-bench/target/classpath.txt ] || fail "bench/writer-bench is not built; run without --no-build"
bench_cp="bench/writer-bench/target/classes:$(cat bench/writer-bench/target/classpath.txt)"
rm -rf "$work" && mkdir -p "$proc_logs"
java_opts=(-Xms256m -Xmx1g -XX:+UseSerialGC)
load_before=$(uptime | sed 's/.*load average: //')

say "==> Kafka"
start_process kafka "$proc_logs/kafka.log" dev/kafka/kafka-broker.sh "$work/kafka" $KAFKA $CONTROLLER
wait_port kafka $KAFKA 90
say "==> Producing $records change events"
produced=$(java "${java_opts[@]}" -cp "$bench_cp" io.tributary.bench.writer.WriterApplyBench produce 127.0.0.1:$KAFKA "$records" 3 \
  2>&1 | tee "$proc_logs/produce.log" | grep '^produced=')
say "    $produced"

say "==> Writer: events already in Kafka → empty SQLite main DB"
start_process writer-service "$proc_logs/writer-service.log" java "${java_opts[@]}" ${WRITER_JAVA_OPTS:-} -jar "$(service_jar writer-service)" \
  --server.port=$WRITER --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA \
  --tributary.writer.database.path="$work/tributary.db" ${WRITER_ARGS:-}
writer=$(java -Xmx256m -cp "$bench_cp" io.tributary.bench.writer.WriterApplyBench await \
  "http://127.0.0.1:$WRITER/actuator/prometheus" "$records" "$(pid_of writer-service)" 2>&1 | grep '^writer ')
say "    $writer"
writer_rss=$(peak_rss_mib "$(pid_of writer-service)")
kill -TERM "$(pid_of writer-service)"; wait "$(pid_of writer-service)" 2>/dev/null || true

say "==> Raw JDBC, same rows, same schema and settings, $batch rows per transaction"
raw=$(java "${java_opts[@]}" -cp "$bench_cp" io.tributary.bench.writer.WriterApplyBench raw "$work/raw" "$records" $batch \
  2>&1 | tee "$proc_logs/raw.log" | grep '^raw_')
say "$raw" | sed 's/^/    /'
load_after=$(uptime | sed 's/.*load average: //')

field() { grep "^$1" <<<"$2" | grep -o " $3=[0-9.]*" | cut -d= -f2; }
w=$(field writer "$writer" rate) rs=$(field raw_writer_statements "$raw" rate) rp=$(field raw_plain_inserts "$raw" rate)
wc=$(field writer "$writer" cpu_us_per_row) rsc=$(field raw_writer_statements "$raw" cpu_us_per_row)
rpc=$(field raw_plain_inserts "$raw" cpu_us_per_row)
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
result=$(cat <<RESULT
### Writer alone beside raw JDBC, $records records — $(date -u '+%Y-%m-%d %H:%M') UTC — \`bench/writer-apply.sh --records $records\`${WRITER_ARGS:+ with \`WRITER_ARGS="$WRITER_ARGS"\`}
$(nproc) cores shared with other agents' builds; load average before / after: $load_before / $load_after.
Events produced first ($(field produced "$produced" rate) events/s, lz4); writer from first to last applied row; raw JDBC in the same run, $batch rows per transaction.

| path | rows/s | writer's share | CPU µs per row | writer's share by CPU |
|---|---|---|---|---|
| writer (Kafka → JSON → validate → collapse → placeholders → upsert), whole process | $w | — | $wc | — |
| raw JDBC, the writer's upsert statements, applying thread | $rs | $(pct "$w" "$rs") | $rsc | $(pct "$rsc" "$wc") |
| raw JDBC, plain INSERTs, ids resolved in Java, applying thread | $rp | $(pct "$w" "$rp") | $rpc | $(pct "$rpc" "$wc") |

Writer peak RSS $writer_rss MiB.
RESULT
)
say "" "$result" ""
if [ "$append" = 1 ]; then
  printf '\n%s\n' "$result" >> docs/benchmarks.md
  say "==> Appended to docs/benchmarks.md"
fi
