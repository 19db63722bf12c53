#!/usr/bin/env bash
# Benchmark: initial sync of a forum of N records from the simulated forum through a real Kafka broker into
# an empty SQLite main DB (issue 9a). Measures wall time from the poller's start to the last row applied,
# records/s, when publishing finished, and each JVM's peak RSS and heap at the end.
#
#   bench/initial-sync.sh                      100,000 records (users 5%, sections 100, topics 10%, messages rest)
#   bench/initial-sync.sh --records 1000000    the 1M run
#   bench/initial-sync.sh --append             also append the result to docs/benchmarks.md
#   bench/initial-sync.sh --no-build           use the jars built last
#   bench/initial-sync.sh --profile            also record JFR of the simulator, poller and writer (bench/target/.../*.jfr)
#
# POLLER_ARGS and WRITER_ARGS (env) add arguments to the poller's or the writer's command line, for A/B runs of a
# setting, e.g. POLLER_ARGS='--spring.kafka.producer.properties.linger.ms=10'.
# Uses its own ports (18081/18082/18084, Kafka 19092/19093) and data under bench/target/, so it can run
# beside ./run-local.sh. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
records=100000 append=0 build=1 profile=0
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=${2:?--records needs a number}; shift ;;
    --append) append=1 ;;
    --no-build) build=0 ;;
    --profile) profile=1 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p;}' "$0"; exit 0 ;;
    *) echo "initial-sync: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$records" =~ ^[0-9]+$ ]] && [ "$records" -ge 1000 ] || { echo "initial-sync: --records must be a number >= 1000" >&2; exit 2; }

seconds_since() { awk -v t="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - t }'; }
proc_label=initial-sync
work="$root/bench/target/initial-sync-$records"
proc_logs="$work/logs"
source "$root/dev/lib/processes.sh"
trap stop_processes EXIT
trap 'exit 130' INT TERM

SIM=18081 POLLER=18082 WRITER=18084 KAFKA=19092 CONTROLLER=19093
require_free_ports $SIM $POLLER $WRITER $KAFKA $CONTROLLER
if [ "$build" = 1 ]; then
  say "==> Building"
  ./mvnw -q -B -DskipTests package
  ./mvnw -q -B -f dev/kafka/pom.xml package
fi
rm -rf "$work" && mkdir -p "$proc_logs"

users=$(( records / 20 )) sections=100 topics=$(( records / 10 ))
messages=$(( records - users - sections - topics ))
java_opts=(-Xms256m -Xmx1g -XX:+UseSerialGC)
jfr() { # name -> the JVM option recording a profile of that service with --profile; otherwise a no-op
  # property, because an empty word would be taken for the main class
  [ "$profile" = 1 ] && echo "-XX:StartFlightRecording=name=bench,settings=profile" || echo "-Dprofile=off"
}

say "==> Kafka"
start_process kafka "$proc_logs/kafka.log" dev/kafka/kafka-broker.sh "$work/kafka" $KAFKA $CONTROLLER
wait_port kafka $KAFKA 90
say "==> Seeding the simulator: users $users, sections $sections, topics $topics, messages $messages"
seed_start=$(date +%s.%N)
start_process forum-simulator "$proc_logs/forum-simulator.log" java "${java_opts[@]}" "$(jfr forum-simulator)" -jar "$(service_jar forum-simulator)" \
  --server.port=$SIM --forum-simulator.database="$work/forum-simulator.db" \
  --forum-simulator.seed.users=$users --forum-simulator.seed.sections=$sections \
  --forum-simulator.seed.topics=$topics --forum-simulator.seed.messages=$messages
wait_port forum-simulator $SIM 900
say "    seeded in $(seconds_since "$seed_start") s"
start_process writer-service "$proc_logs/writer-service.log" java "${java_opts[@]}" "$(jfr writer-service)" -jar "$(service_jar writer-service)" \
  --server.port=$WRITER --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA \
  --tributary.writer.database.path="$work/tributary.db" ${WRITER_ARGS:-}
wait_port writer-service $WRITER 120

declare -A cpu0
for p in forum-simulator writer-service kafka; do cpu0[$p]=$(cpu_seconds "$(pid_of $p)"); done
cpu0[poller-service]=0
say "==> Syncing $records records"
t0=$(date +%s.%N)
start_process poller-service "$proc_logs/poller-service.log" java "${java_opts[@]}" "$(jfr poller-service)" -jar "$(service_jar poller-service)" \
  --server.port=$POLLER --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA \
  --tributary.poller.sources[0].id=forum-sim --tributary.poller.sources[0].kind=forum-rest \
  --tributary.poller.sources[0].base-url=http://127.0.0.1:$SIM ${POLLER_ARGS:-}

elapsed() { seconds_since "$t0"; }
published_done="" applied=0
# CPU per record of the poller (first to last published record: its JVM start left out) and of the writer (first to
# last applied row), each also without its JIT compiler threads: "n cpu jit" at the first and the last sample.
poller_first="" poller_last="" writer_first="" writer_last=""
cpu_mark() { echo "$2 $(cpu_seconds "$1") $(jit_seconds "$1")"; }
while true; do
  sleep 1
  check_processes
  metrics=$(http_get $POLLER /actuator/prometheus || true)
  published=$(grep '^tributary_poller_records_published_total' <<<"$metrics" | awk '{ s += $NF } END { printf "%d", s }' || true)
  # The writer's applied counter, not /status: that counts rows on the writer's one SQLite connection (a scan
  # of every table each second, competing with the applier). An initial sync has no deletes: applied = live.
  applied=$(http_get $WRITER /actuator/prometheus | grep '^tributary_writer_applied_total' | grep 'outcome="applied"' \
    | awk '{ s += $NF } END { printf "%d", s }' || true)
  applied=${applied:-0}
  [ -z "$poller_first" ] && [ "${published:-0}" -gt 0 ] && poller_first=$(cpu_mark "$(pid_of poller-service)" "$published")
  [ -z "$writer_first" ] && [ "$applied" -gt 0 ] && writer_first=$(cpu_mark "$(pid_of writer-service)" "$applied")
  if [ -z "$published_done" ] && [ "${published:-0}" -ge "$records" ]; then
    published_done=$(elapsed) poller_last=$(cpu_mark "$(pid_of poller-service)" "$published")
  fi
  say "    $(elapsed) s  published ${published:-0}  applied $applied / $records"
  [ "$applied" -ge "$records" ] && break
done
wall=$(elapsed)
writer_last=$(cpu_mark "$(pid_of writer-service)" "$applied")
per_record() { # "n cpu jit" first, "n cpu jit" last -> "µs per record (without JIT)"
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); n = y[1] - x[1]
    if (n <= 0) { print "?"; exit } printf "%.1f (%.1f)", (y[2] - x[2]) * 1e6 / n, ((y[2] - y[3]) - (x[2] - x[3])) * 1e6 / n }'
}
cpu_used() { awk -v a="$(cpu_seconds "$(pid_of $1)")" -v b="${cpu0[$1]}" 'BEGIN { printf "%.0f", a - b }'; }
cpu="$(cpu_used forum-simulator) / $(cpu_used poller-service) / $(cpu_used writer-service) / $(cpu_used kafka)"
load=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$profile" = 1 ]; then
  for p in forum-simulator poller-service writer-service; do
    jcmd "$(pid_of $p)" JFR.dump name=bench filename="$work/$p.jfr" >/dev/null && say "    profile: $work/$p.jfr"
  done
fi
rate=$(awk -v n="$records" -v s="$wall" 'BEGIN { printf "%d", n / s }')
heap() { # port pid name -> "used (reachable)" MiB after a full GC (what the sync left behind, not garbage)
  jcmd "$2" GC.run >/dev/null 2>&1 || true
  jcmd "$2" GC.class_histogram > "$work/heap-$3.txt" 2>/dev/null || true # what it is, if the figure surprises
  local used reachable=""
  used=$(http_get "$1" /actuator/prometheus | grep '^jvm_memory_used_bytes{.*area="heap"' | awk '{ s += $NF } END { printf "%d", s }' || true)
  # reachable: the histogram with its int[] counted as a heap dump finds them referenced (G1's filler int[] are
  # counted by a heap walk though nothing refers to them; bench/heap-fillers.py)
  if command -v python3 >/dev/null && jcmd "$2" GC.heap_dump "$work/heap-$3.hprof" >/dev/null 2>&1; then
    local ints
    ints=$(python3 bench/heap-fillers.py "$work/heap-$3.hprof" 2>"$work/heap-$3.err" || true)
    [ -n "${KEEP_HEAP_DUMPS:-}" ] || rm -f "$work/heap-$3.hprof" # KEEP_HEAP_DUMPS=1 keeps them for a closer look
    [ -n "$ints" ] && reachable=$(awk -v ints="$ints" '/ \[I /{ h = $3 } /^Total/{ t = $3 } END { if (t) printf "%d", (t - h + ints) / 1048576 }' "$work/heap-$3.txt")
  fi
  awk -v u="${used:-0}" -v r="${reachable:-?}" 'BEGIN { printf "%d (%s)", u / 1048576, r }'
}
result=$(cat <<RESULT
### Initial sync, $records records — $(date -u +%Y-%m-%d) — \`${POLLER_ARGS:+POLLER_ARGS='$POLLER_ARGS' }${WRITER_ARGS:+WRITER_ARGS='$WRITER_ARGS' }bench/initial-sync.sh --records $records\`
users $users, sections $sections, topics $topics, messages $messages (nested); SQLite main DB, 1 broker, 3 partitions per topic.

| figure | value |
|---|---|
| wall time, poller start → last row applied | $wall s |
| end-to-end rate | $rate records/s |
| poller finished publishing at | ${published_done:-?} s |
| CPU seconds during the sync: simulator / poller (incl. its start) / writer / kafka | $cpu s |
| CPU µs per record, first to last record (without the JIT compiler threads): poller / writer | $(per_record "$poller_first" "${poller_last:-$poller_first}") / $(per_record "$writer_first" "$writer_last") |
| load average at the end (1/5/15 min) | $load |
| peak RSS: simulator / poller / writer / kafka | $(peak_rss_mib "$(pid_of forum-simulator)") / $(peak_rss_mib "$(pid_of poller-service)") / $(peak_rss_mib "$(pid_of writer-service)") / $(peak_rss_mib "$(pid_of kafka)") MiB |
| heap used at the end, after a full GC (reachable: int[] as a heap dump finds them referenced): poller / writer | $(heap $POLLER "$(pid_of poller-service)" poller-service) / $(heap $WRITER "$(pid_of writer-service)" writer-service) MiB |
RESULT
)
say "" "$result" ""
if [ "$append" = 1 ]; then
  printf '\n%s\n' "$result" >> docs/benchmarks.md
  say "==> Appended to docs/benchmarks.md"
fi
