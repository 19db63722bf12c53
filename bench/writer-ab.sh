#!/usr/bin/env bash
# A/B of writer builds or settings on the same change events: produces the events to a broker once, then runs each
# variant's writer exec jar in turn (ROUNDS times, alternating A B A B ...), each on a fresh main DB and consumer
# group, timed from its first applied row to its last. Reports per variant the rows/s and the writer process's CPU
# time per row (user + system, /proc/<pid>/stat) with the JIT compiler threads' share apart (a warm-up cost).
#
#   bench/writer-ab.sh [--records N] [--rounds R] [--compression lz4|none|zstd|...] [--postgres] VARIANT...
#   VARIANT = NAME=JAR [writer arguments...], e.g.
#   bench/writer-ab.sh --records 400000 "before=/tmp/writer-before.jar" \
#       "after=writer-service/target/writer-service-0.1.0-SNAPSHOT-exec.jar --tributary.writer.consumer.max-poll-records=2000"
#   WRITER_JAVA_OPTS (env): JVM options of every variant's writer, after the script's own (-Xms256m -Xmx1g
#   -XX:+UseSerialGC), so they can override them.
#
# --postgres: the main DB is a fresh database on the machine's PostgreSQL (127.0.0.1:5432, user postgres, trust auth)
# per run, dropped after it (the server's own CPU is not counted). Uses bench/writer-bench's event generator (build it
# with bench/writer-apply.sh once, or ./mvnw -pl writer-service,bench/writer-bench -am package
# dependency:build-classpath -Dmdep.outputFile=target/classpath.txt). Own ports (Kafka 19492/19493, writer 18484).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
records=400000 rounds=2 compression=lz4 postgres=0 variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=${2:?--records needs a number}; shift ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift ;;
    --compression) compression=${2:?--compression needs a type}; shift ;;
    --postgres) postgres=1 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p;}' "$0"; exit 0 ;;
    *=*) variants+=("$1") ;;
    *) echo "writer-ab: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#variants[@]} -gt 0 ] || { echo "writer-ab: give at least one NAME=JAR variant (try --help)" >&2; exit 2; }

proc_label=writer-ab
work="$root/bench/target/writer-ab"
proc_logs="$work/logs"
source "$root/dev/lib/processes.sh"
writer_pid=""
stop_all() { [ -n "$writer_pid" ] && kill -TERM "$writer_pid" 2>/dev/null && wait "$writer_pid" 2>/dev/null; stop_processes; }
trap stop_all EXIT
trap 'exit 130' INT TERM
KAFKA=19492 CONTROLLER=19493 WRITER=18484
require_free_ports $KAFKA $CONTROLLER $WRITER
[ -s bench/writer-bench/target/classpath.txt ] || fail "bench/writer-bench is not built (see --help)"
bench_cp="bench/writer-bench/target/classes:$(cat bench/writer-bench/target/classpath.txt)"
rm -rf "$work" && mkdir -p "$proc_logs"

say "==> Kafka"
start_process kafka "$proc_logs/kafka.log" dev/kafka/kafka-broker.sh "$work/kafka" $KAFKA $CONTROLLER
wait_port kafka $KAFKA 90
say "==> Producing $records change events ($compression)"
say "    $(java -Xmx3g -cp "$bench_cp" io.tributary.bench.writer.WriterApplyBench produce 127.0.0.1:$KAFKA "$records" 3 \
  "$compression" 2>&1 | grep '^produced=')"
n=0
for round in $(seq 1 "$rounds"); do
  for variant in "${variants[@]}"; do
    n=$(( n + 1 ))
    name=${variant%%=*} rest=${variant#*=}
    read -r -a words <<<"$rest"
    jar=${words[0]} args=("${words[@]:1}")
    [ -f "$jar" ] || fail "variant $name: no jar $jar"
    db=(--tributary.writer.database.path="$work/db-$n.db")
    if [ "$postgres" = 1 ]; then
      psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS writer_ab_$n" -c "CREATE DATABASE writer_ab_$n" >/dev/null
      db=(--tributary.writer.database.dialect=postgresql --tributary.writer.database.username=postgres
        --tributary.writer.database.url="jdbc:postgresql://127.0.0.1:5432/writer_ab_$n")
    fi
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    # Not start_process: each run's writer is stopped here, and check_processes would then call it gone.
    java -Xms256m -Xmx1g -XX:+UseSerialGC ${WRITER_JAVA_OPTS:-} \
      -jar "$jar" --server.port=$WRITER --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA "${db[@]}" \
      --tributary.writer.consumer.group-id="writer-ab-$n" "${args[@]}" >"$proc_logs/writer-$n.log" 2>&1 &
    pid=$! writer_pid=$!
    wait_port "writer-$n" $WRITER 120
    j1=$(jit_seconds "$pid")
    out=$(java -Xmx256m -cp "$bench_cp" io.tributary.bench.writer.WriterApplyBench await \
      "http://127.0.0.1:$WRITER/actuator/prometheus" "$records" "$pid" 2>&1 | grep '^writer ')
    j2=$(jit_seconds "$pid")
    rows=$(grep -o 'rows=[0-9.]*' <<<"$out" | cut -d= -f2)
    say "round $round $name: $out jit_us_per_row=$(awk -v a="$j1" -v b="$j2" -v n="$rows" \
      'BEGIN { printf "%.1f", (b - a) * 1e6 / n }') load=$load"
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    writer_pid=""
    rm -f "$work/db-$n.db"*
    if [ "$postgres" = 1 ]; then psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS writer_ab_$n" >/dev/null; fi
  done
done
