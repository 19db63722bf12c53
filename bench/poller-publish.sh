#!/usr/bin/env bash
# Benchmark: the poller alone — an initial walk of the simulated forum published to a real Kafka broker, no writer
# (issue 9a's poller half). Reports the poller's CPU time per record (user + system of its process from
# /proc/<pid>/stat, between the first and the last published record: its JVM start is left out), the broker's and
# the simulator's over the same window, wall time and the poller's CPU by thread.
#
#   bench/poller-publish.sh                      1,000,000 records (the initial-sync script's mix of collections)
#   bench/poller-publish.sh --records 300000
#   bench/poller-publish.sh --no-build           use the jars built last
#   POLLER_JAR=/path/to/other-exec.jar bench/poller-publish.sh --no-build   A/B against another build of the poller
#   POLLER_ARGS='--spring.kafka.producer.compression-type=none' bench/poller-publish.sh --no-build   a setting to try
#   POLLER_JAVA_OPTS='-XX:+UseParallelGC' bench/poller-publish.sh --no-build   JVM options of the poller, after the
#       script's own (-Xms256m -Xmx1g -XX:+UseSerialGC), so they can override them
#
# The simulator's database is kept between runs (bench/target/poller-publish-sim-N.db; it seeds only an empty file),
# so runs compare the same forum and skip the seeding. Own ports (18381/18382, Kafka 19392/19393).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
records=1000000 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --records) records=${2:?--records needs a number}; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p;}' "$0"; exit 0 ;;
    *) echo "poller-publish: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$records" =~ ^[0-9]+$ ]] && [ "$records" -ge 1000 ] || { echo "poller-publish: --records must be a number >= 1000" >&2; exit 2; }

proc_label=poller-publish
work="$root/bench/target/poller-publish-$records"
proc_logs="$work/logs"
source "$root/dev/lib/processes.sh"
trap stop_processes EXIT
trap 'exit 130' INT TERM

SIM=18381 POLLER=18382 KAFKA=19392 CONTROLLER=19393
require_free_ports $SIM $POLLER $KAFKA $CONTROLLER
if [ "$build" = 1 ]; then
  say "==> Building"
  ./mvnw -q -B -DskipTests -pl forum-simulator,poller-service -am package
  ./mvnw -q -B -f dev/kafka/pom.xml package
fi
poller_jar=${POLLER_JAR:-$(service_jar poller-service)}
rm -rf "$work" && mkdir -p "$proc_logs"
users=$(( records / 20 )) sections=100 topics=$(( records / 10 ))
messages=$(( records - users - sections - topics ))
java_opts=(-Xms256m -Xmx1g -XX:+UseSerialGC)
threads_cpu() { # pid -> CPU seconds per thread name (digits folded), largest first
  local hz; hz=$(getconf CLK_TCK)
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(tr -d '\n' < "$t/comm" | sed '/Compiler/!s/[0-9][0-9]*/N/g')" "$(sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }')"
  done | awk -F'\t' -v hz="$hz" '{ s[$1] += $2 } END { for (k in s) if (s[k] / hz >= 0.5) printf "%.1f s  %s\n", s[k] / hz, k }' | sort -rn
}

say "==> Kafka"
start_process kafka "$proc_logs/kafka.log" dev/kafka/kafka-broker.sh "$work/kafka" $KAFKA $CONTROLLER
wait_port kafka $KAFKA 90
say "==> Simulator: users $users, sections $sections, topics $topics, messages $messages"
start_process forum-simulator "$proc_logs/forum-simulator.log" java "${java_opts[@]}" -jar "$(service_jar forum-simulator)" \
  --server.port=$SIM --forum-simulator.database="$root/bench/target/poller-publish-sim-$records.db" \
  --forum-simulator.seed.users=$users --forum-simulator.seed.sections=$sections \
  --forum-simulator.seed.topics=$topics --forum-simulator.seed.messages=$messages
wait_port forum-simulator $SIM 900
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

say "==> Publishing $records records ($poller_jar)"
t0=$(date +%s.%N)
start_process poller-service "$proc_logs/poller-service.log" java "${java_opts[@]}" ${POLLER_JAVA_OPTS:-} -jar "$poller_jar" \
  --server.port=$POLLER --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA \
  --tributary.poller.sources[0].id=forum-sim --tributary.poller.sources[0].kind=forum-rest \
  --tributary.poller.sources[0].base-url=http://127.0.0.1:$SIM ${POLLER_ARGS:-}
poller=$(pid_of poller-service) kafka=$(pid_of kafka) sim=$(pid_of forum-simulator)
elapsed() { awk -v t="$t0" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - t }'; }
first="" published=0
while true; do
  sleep 1
  check_processes
  published=$(http_get $POLLER /actuator/prometheus | grep '^tributary_poller_records_published_total' \
    | awk '{ s += $NF } END { printf "%d", s }' || true)
  published=${published:-0}
  if [ -z "$first" ] && [ "$published" -gt 0 ]; then
    first=$published t1=$(date +%s.%N)
    p1=$(cpu_seconds "$poller") j1=$(jit_seconds "$poller") k1=$(cpu_seconds "$kafka") s1=$(cpu_seconds "$sim")
  fi
  say "    $(elapsed) s  published $published / $records"
  [ "$published" -ge "$records" ] && break
done
p2=$(cpu_seconds "$poller") j2=$(jit_seconds "$poller") k2=$(cpu_seconds "$kafka") s2=$(cpu_seconds "$sim") t2=$(date +%s.%N)
wall=$(elapsed)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
per() { awk -v a="$1" -v b="$2" -v n=$(( records - first )) 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }'; }
say "" "poller-publish records=$records wall_s=$wall window_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')" \
  "  cpu_us_per_record poller=$(per "$p1" "$p2") poller_without_jit=$(per "$(awk -v a="$p1" -v j="$j1" 'BEGIN { print a - j }')" "$(awk -v a="$p2" -v j="$j2" 'BEGIN { print a - j }')") kafka=$(per "$k1" "$k2") simulator=$(per "$s1" "$s2") (records after the first sample: $(( records - first )))" \
  "  load before / after: $load_before / $load_after" \
  "  poller CPU by thread (whole run, incl. start):"
threads_cpu "$poller" | head -12 | sed 's/^/    /'
