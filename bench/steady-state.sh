#!/usr/bin/env bash
# Benchmark (issue 9c): steady state with webhooks on. The simulated forum changes RATE records per second
# and sends a signed webhook per change. Its mutations run on one thread (each tick's single-record operations in
# one transaction), which reaches about 550 single-record changes/s on this 2-core machine, so the changes are a mix of
# single creates, single updates and bulk updates of BULK records (one transaction, one updated_at; weights
# 1:1:1, i.e. (2 + BULK) / 3 changes per operation; no deletes). The achieved rate is read from the
# simulator's own counter (tributary_simulator_mutations_total) over the window. The
# whole pipeline runs (poller every 1 s, webhook receiver, writer into SQLite). After a warm-up, every change
# made during a measured window is looked up in the main DB: latency = the row's synced_at (the writer's
# clock when it wrote that version) − the change's updated_at at the forum (the simulator's clock; same
# machine, same clock). A change whose version is not in the main DB 10 s after the window counts as
# infinitely late. Reports p50/p90/p99/max and how many changes were measured.
#
#   bench/steady-state.sh                         RATE 1000/s, 30 s warm-up, 60 s window
#   bench/steady-state.sh --rate 500 --seconds 120 --bulk 1    (--bulk 1: single-record operations only)
#   bench/steady-state.sh --append                also append the result to docs/benchmarks.md
#   bench/steady-state.sh --no-build              use the jars built last
#
# Own ports (simulator 18381, poller 18382, ingest 18383, writer 18384, Kafka 19392/19393), data under
# bench/target/. Needs sqlite3. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rate=1000 seconds=60 warmup=30 append=0 build=1 bulk=28
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=${2:?--rate needs a number}; shift ;;
    --seconds) seconds=${2:?--seconds needs a number}; shift ;;
    --bulk) bulk=${2:?--bulk needs a number}; shift ;;
    --warmup) warmup=${2:?--warmup needs a number}; shift ;;
    --append) append=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p;}' "$0"; exit 0 ;;
    *) echo "steady-state: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
command -v sqlite3 >/dev/null || { echo "steady-state: needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 2; }

proc_label=steady-state
work="$root/bench/target/steady-state-$rate"
proc_logs="$work/logs"
source "$root/dev/lib/processes.sh"
trap stop_processes EXIT
trap 'exit 130' INT TERM

SIM=18381 POLLER=18382 INGEST=18383 WRITER=18384 KAFKA=19392 CONTROLLER=19393
require_free_ports $SIM $POLLER $INGEST $WRITER $KAFKA $CONTROLLER
if [ "$build" = 1 ]; then
  say "==> Building"
  ./mvnw -q -B -DskipTests -pl forum-simulator,poller-service,webhook-ingest-service,writer-service -am package
  ./mvnw -q -B -f dev/kafka/pom.xml package
fi
rm -rf "$work" && mkdir -p "$proc_logs"
java_opts=(-Xms256m -Xmx1g -XX:+UseSerialGC)
# operations/s giving RATE changes/s: (2 + BULK) / 3 changes per operation with bulk, 1 without
ops=$(awk -v r="$rate" -v b="$bulk" 'BEGIN { printf "%.2f", (b > 1) ? r * 3 / (2 + b) : r }')
secret="whsec_$(head -c 32 /dev/urandom | base64)"
load_before=$(uptime | sed 's/.*load average: //')

say "==> Kafka"
start_process kafka "$proc_logs/kafka.log" dev/kafka/kafka-broker.sh "$work/kafka" $KAFKA $CONTROLLER
wait_port kafka $KAFKA 90
say "==> Writer, webhook receiver, poller, simulator ($rate changes/s, webhooks on)"
start_process writer-service "$proc_logs/writer-service.log" java "${java_opts[@]}" -jar "$(service_jar writer-service)" \
  --server.port=$WRITER --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA \
  --tributary.writer.database.path="$work/tributary.db"
start_process webhook-ingest-service "$proc_logs/webhook-ingest-service.log" \
  env TRIBUTARY_INGEST_SOURCES_0_ID=forum-sim TRIBUTARY_INGEST_SOURCES_0_SECRETS_0="$secret" \
  java "${java_opts[@]}" -jar "$(service_jar webhook-ingest-service)" \
  --server.port=$INGEST --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA
wait_port writer-service $WRITER 120
wait_port webhook-ingest-service $INGEST 120
start_process forum-simulator "$proc_logs/forum-simulator.log" env FORUM_SIMULATOR_WEBHOOKS_SECRET="$secret" \
  java "${java_opts[@]}" -jar "$(service_jar forum-simulator)" \
  --server.port=$SIM --forum-simulator.database="$work/forum-simulator.db" \
  --forum-simulator.webhooks.url=http://127.0.0.1:$INGEST/webhooks/forum-sim \
  --forum-simulator.seed.users=500 --forum-simulator.seed.sections=20 \
  --forum-simulator.seed.topics=2000 --forum-simulator.seed.messages=10000 \
  --forum-simulator.mutations.enabled=true --forum-simulator.mutations.rate-per-second=$ops \
  --forum-simulator.mutations.mix.create=1 --forum-simulator.mutations.mix.update=1 \
  --forum-simulator.mutations.mix.delete=0 --forum-simulator.mutations.mix.bulk=$([ "$bulk" -gt 1 ] && echo 1 || echo 0) \
  --forum-simulator.mutations.bulk-size=$bulk
wait_port forum-simulator $SIM 120
start_process poller-service "$proc_logs/poller-service.log" java "${java_opts[@]}" -jar "$(service_jar poller-service)" \
  --server.port=$POLLER --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA \
  --tributary.poller.sources[0].id=forum-sim --tributary.poller.sources[0].kind=forum-rest \
  --tributary.poller.sources[0].base-url=http://127.0.0.1:$SIM
wait_port poller-service $POLLER 120

say "==> Warm-up $warmup s (initial sync of the seeded forum, JIT)"
sleep "$warmup"; check_processes
mutations() { http_get $SIM /actuator/prometheus | grep '^tributary_simulator_mutations_total' | awk '{ s += $NF } END { printf "%d", s }'; }
m0=$(mutations)
t0=$(date +%s%3N)
say "==> Measuring $seconds s"
sleep "$seconds"; check_processes
t1=$(date +%s%3N)
m1=$(mutations)
load_during=$(uptime | sed 's/.*load average: //')
say "==> Draining 10 s"
sleep 10; check_processes
webhooks=$(http_get $INGEST /actuator/prometheus | grep '^tributary_ingest_webhooks_total' | grep 'outcome="accepted"' \
  | awk '{ s += $NF } END { printf "%d", s }' || true)

# Every change at the forum in [t0, t1] (its row's current updated_at; a record changed twice counts once),
# joined to the main DB row by external id; not there in that version = never (1e9 ms).
lat_sql="ATTACH '$work/forum-simulator.db' AS sim; CREATE TEMP TABLE lat AS"
sep=""
for e in users sections topics messages; do
  lat_sql+="$sep SELECT CASE WHEN m.source_version >= s.updated_at
      THEN CAST(round((julianday(m.synced_at) - 2440587.5) * 86400000) AS INTEGER) - s.updated_at
      ELSE 1000000000 END AS ms
    FROM sim.$e s LEFT JOIN main.$e m ON m.source_id = 'forum-sim' AND m.external_id = s.id
    WHERE s.updated_at BETWEEN $t0 AND $t1"
  sep=" UNION ALL"
done
lat_sql+=";
SELECT count(*), (SELECT count(*) FROM lat WHERE ms >= 1000000000),
  (SELECT ms FROM lat ORDER BY ms LIMIT 1 OFFSET (SELECT count(*) * 50 / 100 FROM lat)),
  (SELECT ms FROM lat ORDER BY ms LIMIT 1 OFFSET (SELECT count(*) * 90 / 100 FROM lat)),
  (SELECT ms FROM lat ORDER BY ms LIMIT 1 OFFSET (SELECT count(*) * 99 / 100 FROM lat)),
  (SELECT max(ms) FROM lat WHERE ms < 1000000000),
  (SELECT count(*) FROM lat WHERE ms <= 250)
FROM lat;"
IFS='|' read -r n missed p50 p90 p99 max under250 < <(sqlite3 -readonly "$work/tributary.db" "$lat_sql")
changed_rate=$(awk -v n="$(( m1 - m0 ))" -v ms="$(( t1 - t0 ))" 'BEGIN { printf "%d", n * 1000 / ms }')
share=$(awk -v a="$under250" -v n="$n" 'BEGIN { printf "%.1f%%", n ? 100 * a / n : 0 }')

result=$(cat <<RESULT
### Steady state, $rate changes/s with webhooks — $(date -u '+%Y-%m-%d %H:%M') UTC — \`bench/steady-state.sh --rate $rate --seconds $seconds\`
$(nproc) cores shared with other agents' builds; load average before / during: $load_before / $load_during.
Simulator (creates and updates, webhooks on) → webhook receiver + poller (1 s) → Kafka → writer → SQLite; change time = the forum's updated_at, DB time = the row's synced_at.

| figure | value |
|---|---|
| changes at the forum in the $seconds s window (simulator's counter) | $(( m1 - m0 )) = **$changed_rate/s** (asked: $rate/s; $ops operations/s, bulk $bulk) |
| records measured (a record changed twice in the window counts once, at its last change) | $n |
| webhooks accepted by the receiver during the whole run | $webhooks |
| change → main DB p50 / p90 / p99 | $p50 / $p90 / $p99 ms |
| max (of those that arrived) | $max ms |
| within 250 ms | $share |
| not in the main DB 10 s after the window | $missed |
RESULT
)
say "" "$result" ""
if [ "$append" = 1 ]; then
  printf '\n%s\n' "$result" >> docs/benchmarks.md
  say "==> Appended to docs/benchmarks.md"
fi
