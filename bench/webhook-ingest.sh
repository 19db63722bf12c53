#!/usr/bin/env bash
# Benchmark of webhook-ingest-service: sustained accepted webhooks/s and p50/p99 accept latency.
# Starts a real Kafka broker (dev/kafka, KRaft, from Kafka's jars) and the ingest service (its exec jar,
# own JVM), then the load generator (bench/webhook-ingest/, own JVM): COUNT distinct signed Standard Webhooks with at most
# CONCURRENCY in flight over loopback, after WARMUP unmeasured ones. Everything it starts is stopped on exit.
#
#   bench/webhook-ingest.sh [COUNT] [CONCURRENCY]      defaults: 50000 32 (WARMUP=10000 from the environment)
#   NO_BUILD=1 bench/webhook-ingest.sh ...             skip the builds
#   PROFILE=1 bench/webhook-ingest.sh ...              and record the receiver with JFR (bench/target/webhook-ingest.jfr)
#   INGEST_ARGS='--spring.kafka.producer.properties.linger.ms=5' bench/webhook-ingest.sh   extra receiver arguments
# Own ports (Kafka 19192/19193, ingest 18183) and a temporary directory: runs beside ./run-local.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
count=${1:-50000}
concurrency=${2:-32}
warmup=${WARMUP:-10000}
KAFKA_PORT=${KAFKA_PORT:-19192} CONTROLLER_PORT=${CONTROLLER_PORT:-19193} INGEST_PORT=${INGEST_PORT:-18183}
work=$(mktemp -d /tmp/tributary-bench.XXXXXX)

if [ "${NO_BUILD:-0}" != 1 ]; then
  echo "==> Building webhook-ingest-service, the broker classpath and the load generator"
  ./mvnw -q -B -pl webhook-ingest-service -am package -DskipTests
  ./mvnw -q -B -f dev/kafka/pom.xml package
fi
./mvnw -q -B -f bench/webhook-ingest/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
jar=$(ls webhook-ingest-service/target/webhook-ingest-service-*-exec.jar | head -1)

pids=()
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 300); do port_open "$1" && return 0; sleep 0.2; done; echo "port $1 did not open; logs in $work" >&2; exit 1; }

secret="whsec_$(head -c 32 /dev/urandom | base64)"
echo "==> Kafka on 127.0.0.1:$KAFKA_PORT"
dev/kafka/kafka-broker.sh "$work/kafka" "$KAFKA_PORT" "$CONTROLLER_PORT" >"$work/kafka.log" 2>&1 &
pids+=($!)
wait_port "$KAFKA_PORT"
echo "==> webhook-ingest-service on 127.0.0.1:$INGEST_PORT"
# PROFILE=1: a JFR recording of the receiver, dumped to bench/target/webhook-ingest.jfr when the load ends
jfr=()
if [ "${PROFILE:-0}" = 1 ]; then
  mkdir -p bench/target
  jfr=(-XX:StartFlightRecording=settings=profile,filename="$root/bench/target/webhook-ingest.jfr",dumponexit=true)
fi
java -Xms512m -Xmx1g "${jfr[@]}" -jar "$jar" --server.port="$INGEST_PORT" \
  --spring.kafka.bootstrap-servers=127.0.0.1:"$KAFKA_PORT" \
  --tributary.ingest.sources[0].id=bench --tributary.ingest.sources[0].secrets[0]="$secret" \
  --tributary.ingest.log-every=100000 ${INGEST_ARGS:-} >"$work/ingest.log" 2>&1 &
pids+=($!)
ingest_pid=$!
wait_port "$INGEST_PORT"
sleep 2 # topics created at start
echo "==> $(nproc) cores, $(java -version 2>&1 | head -1); $count webhooks, $concurrency in flight, $warmup warm-up"
# CPU seconds (user + system) of a process's threads, from /proc/<pid>/task/*/stat (clock ticks): all of them, and
# those doing the work (the JIT compiler threads left out: in a run this short they take a third of the CPU).
cpu_seconds() { # pid [work] -> seconds
  local hz total=0 name fields
  hz=$(getconf CLK_TCK)
  for task in /proc/"$1"/task/*; do
    name=$(cat "$task/comm" 2>/dev/null) || continue
    if [ "${2:-}" = work ] && [[ "$name" == C[12]\ CompilerThre* ]]; then continue; fi
    fields=$(sed 's/.*) //' "$task/stat" 2>/dev/null) || continue
    total=$((total + $(awk '{ print $12 + $13 }' <<<"$fields")))
  done
  awk -v t="$total" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'
}
cpu_before=$(cpu_seconds "$ingest_pid") work_before=$(cpu_seconds "$ingest_pid" work)
java -Xms256m -Xmx1g -cp "bench/webhook-ingest/target/classes:$(cat bench/webhook-ingest/target/classpath.txt)" io.tributary.bench.WebhookIngestBench \
  "http://127.0.0.1:$INGEST_PORT/webhooks/bench" "$secret" "$count" "$concurrency" "$warmup"
cpu_after=$(cpu_seconds "$ingest_pid") work_after=$(cpu_seconds "$ingest_pid" work)
# The receiver's own cost per webhook, warm-up included: what a receiver with a core to itself could sustain.
awk -v a="$cpu_before" -v b="$cpu_after" -v wa="$work_before" -v wb="$work_after" -v n="$((count + warmup))" 'BEGIN {
  us = (b - a) * 1e6 / n; work = (wb - wa) * 1e6 / n
  printf "receiver CPU: %.1f s for %d webhooks = %.0f us per webhook; without the JIT compiler threads %.0f us (one dedicated core: ~%.0f webhooks/s)\n", b - a, n, us, work, 1e6 / work }'
echo "load average after the run: $(uptime | sed 's/.*load average: //')"
