#!/usr/bin/env bash
# Runs Tributary's main job on the embedded defaults: a real Kafka broker (KRaft, from Kafka's own jars),
# the simulated external forum seeded with a sample forum and changing a little every second, the
# poller, the webhook receiver, the writer and the admin API (organizations and sources, applied live), with
# the main database in ./data/tributary.db (SQLite).
# Shows sync progress every few seconds; Ctrl-C stops everything it started.
#
#   ./run-local.sh              build, then run
#   ./run-local.sh --no-build   run what was built last
#   ./run-local.sh --fresh      wipe ./data first (new sample forum, empty main DB, empty Kafka)
#
# Environment: SEED_MESSAGES (default 20000), MUTATIONS_PER_SECOND (default 5), PROGRESS_EVERY (default 5 s),
# WEBHOOK_DELIVERY (share of webhooks the simulator sends, default 1.0; 0.5 = half lost),
# RECONCILE_EVERY (default 2m: reconciliation finds deletes whose webhook was lost).
# While it runs, bin/tributary-verify reports drift between the forum and the main DB (exit 1 on drift).
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
data="$root/data"
logs="$data/logs"
build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --fresh) rm -rf "$data" ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run-local: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

SIM_PORT=8081 POLLER_PORT=8082 INGEST_PORT=8083 WRITER_PORT=8084 ADMIN_PORT=8085 KAFKA_PORT=9092 CONTROLLER_PORT=9093
seed_messages=${SEED_MESSAGES:-20000}
mutations=${MUTATIONS_PER_SECOND:-5}
progress_every=${PROGRESS_EVERY:-5}
webhook_delivery=${WEBHOOK_DELIVERY:-1.0}
reconcile_every=${RECONCILE_EVERY:-2m}

proc_label=run-local
proc_logs="$logs"
source "$root/dev/lib/processes.sh"
trap 'stopped=${#proc_pids[@]}; stop_processes; [ "$stopped" -gt 0 ] && say "==> Stopped. Main database: $data/tributary.db   logs: $logs"' EXIT
trap 'exit 130' INT TERM
require_free_ports $SIM_PORT $POLLER_PORT $INGEST_PORT $WRITER_PORT $ADMIN_PORT $KAFKA_PORT $CONTROLLER_PORT

if [ "$build" = 1 ]; then
  echo "==> Building (./mvnw package, tests skipped; run them with ./mvnw verify)"
  ./mvnw -q -B -DskipTests package
  ./mvnw -q -B -f dev/kafka/pom.xml package
fi
for m in forum-simulator poller-service webhook-ingest-service writer-service admin-service; do
  [ -n "$(service_jar $m)" ] || fail "$m is not built; run without --no-build"
done
mkdir -p "$logs"

java_opts=(-Xms128m -Xmx768m -XX:+UseSerialGC)
echo "==> Starting Kafka (KRaft, 127.0.0.1:$KAFKA_PORT, data in data/kafka)"
start_process kafka "$logs/kafka.log" dev/kafka/kafka-broker.sh "$data/kafka" $KAFKA_PORT $CONTROLLER_PORT
wait_port kafka $KAFKA_PORT 90

# Webhooks: the simulator signs them with a local secret that the receiver verifies. Generated once per data
# directory, passed through the environment (not on the command line, where ps would show it).
secret_file="$data/webhook-secret"
if [ ! -s "$secret_file" ]; then
  (umask 077; printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$secret_file")
fi
webhook_secret=$(cat "$secret_file")
# The admin API's operator token, the same way (read it from data/admin-token to create organizations).
admin_token_file="$data/admin-token"
if [ ! -s "$admin_token_file" ]; then
  (umask 077; head -c 32 /dev/urandom | base64 | tr -d '\n=+/' >"$admin_token_file"; echo >>"$admin_token_file")
fi

# The second brief's two-way music inventory runs beside the forum: examples/music-inventory.yaml against the
# simulator's /music API (items changed on either side appear on the other; decisions 0024, 0025).
music_definition="$data/music-inventory.yaml"
sed -e "s#http://localhost:5000#http://127.0.0.1:$SIM_PORT#" -e "s#schedule: {interval: 1m}#schedule: {interval: 10s}#" \
  examples/music-inventory.yaml >"$music_definition"
music_token=local-music-token   # the simulator's music API takes any bearer token

echo "==> Starting the simulated external forum (webhooks to :$INGEST_PORT), the writer, the poller and the webhook receiver"
# Webhooks sent before the receiver is up are lost: fine, they are best effort and polling is the backstop.
start_process forum-simulator "$logs/forum-simulator.log" env FORUM_SIMULATOR_WEBHOOKS_SECRET="$webhook_secret" \
  java "${java_opts[@]}" -jar "$(service_jar forum-simulator)" \
  --forum-simulator.webhooks.url=http://127.0.0.1:$INGEST_PORT/webhooks/forum-sim \
  --server.port=$SIM_PORT --forum-simulator.database="$data/forum-simulator.db" \
  --forum-simulator.seed.users=$(( seed_messages / 20 + 1 )) --forum-simulator.seed.sections=12 \
  --forum-simulator.seed.topics=$(( seed_messages / 8 + 1 )) --forum-simulator.seed.messages=$seed_messages \
  --forum-simulator.mutations.enabled=$([ "$mutations" -gt 0 ] && echo true || echo false) \
  --forum-simulator.mutations.rate-per-second=$(( mutations > 0 ? mutations : 1 )) \
  --forum-simulator.webhooks.delivery-probability="$webhook_delivery"
# Deletes reach us through webhooks (the API's listings have no tombstones); one whose webhook is lost
# (e.g. while the receiver starts) is found by the poller's reconciliation, every $reconcile_every.
# The writer and the poller resolve a stored definition's secrets only within its organization's (decision 0031;
# the default roots TRIBUTARY_SECRET_<ORG>__* and /run/secrets/tributary/<org>/, as the admin API's): the music
# token is such a variable of acme-records, for the configured file and a definition stored through the API alike.
start_process writer-service "$logs/writer-service.log" env TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN=$music_token java "${java_opts[@]}" -jar "$(service_jar writer-service)" \
  --server.port=$WRITER_PORT --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT \
  --tributary.writer.database.path="$data/tributary.db" \
  --tributary.writer.status.poller-url=http://127.0.0.1:$POLLER_PORT \
  --tributary.writer.config-topic.enabled=true \
  --tributary.writer.entities[0].name=music_items --tributary.writer.entities[0].two-way=true \
  --tributary.writer.entities[0].fields[0].name=name --tributary.writer.entities[0].fields[0].type=text \
  --tributary.writer.entities[0].fields[1].name=artist --tributary.writer.entities[0].fields[1].type=text \
  --tributary.writer.entities[0].fields[2].name=album --tributary.writer.entities[0].fields[2].type=text \
  --tributary.writer.outbound.sources[0].definition="$music_definition"
wait_port forum-simulator $SIM_PORT 120
start_process poller-service "$logs/poller-service.log" env TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN=$music_token java "${java_opts[@]}" -jar "$(service_jar poller-service)" \
  --server.port=$POLLER_PORT --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT \
  --tributary.poller.sources[0].id=forum-sim --tributary.poller.sources[0].kind=forum-rest \
  --tributary.poller.sources[0].base-url=http://127.0.0.1:$SIM_PORT \
  --tributary.poller.sources[1].id=music-faker --tributary.poller.sources[1].kind=rest \
  --tributary.poller.sources[1].definition="$music_definition" \
  --tributary.poller.capture.enabled=true --tributary.poller.capture.entities[0]=music_items \
  --tributary.poller.capture.dialect=sqlite --tributary.poller.capture.path="$data/tributary.db" \
  --tributary.poller.reconcile.writer-url=http://127.0.0.1:$WRITER_PORT \
  --tributary.poller.reconcile.interval="$reconcile_every" --tributary.poller.reconcile.initial-delay="$reconcile_every" \
  --tributary.poller.config-topic.enabled=true --tributary.poller.config-topic.directory="$data/live-sources"
start_process admin-service "$logs/admin-service.log" env TRIBUTARY_ADMIN_BOOTSTRAPTOKEN="$(cat "$admin_token_file")" \
  java "${java_opts[@]}" -jar "$(service_jar admin-service)" \
  --server.port=$ADMIN_PORT --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT \
  --tributary.admin.poller.url=http://127.0.0.1:$POLLER_PORT --tributary.admin.writer.url=http://127.0.0.1:$WRITER_PORT
# (a list binds from one property source only: the source's id goes through the environment too)
start_process webhook-ingest-service "$logs/webhook-ingest-service.log" \
  env TRIBUTARY_INGEST_SOURCES_0_ID=forum-sim TRIBUTARY_INGEST_SOURCES_0_SECRETS_0="$webhook_secret" \
  java "${java_opts[@]}" -jar "$(service_jar webhook-ingest-service)" \
  --server.port=$INGEST_PORT --spring.kafka.bootstrap-servers=127.0.0.1:$KAFKA_PORT \
  --tributary.ingest.config-topic.enabled=true
wait_port writer-service $WRITER_PORT 120
wait_port poller-service $POLLER_PORT 120
wait_port webhook-ingest-service $INGEST_PORT 120
wait_port admin-service $ADMIN_PORT 120

cat <<MSG
==> Running. The forum at http://127.0.0.1:$SIM_PORT/api/messages is being synced into data/tributary.db.
    Status: http://127.0.0.1:$WRITER_PORT/status   Metrics: http://127.0.0.1:$WRITER_PORT/actuator/prometheus
    Webhooks: simulator -> http://127.0.0.1:$INGEST_PORT/webhooks/forum-sim (tributary_ingest_* on its /actuator/prometheus)
    Two-way music inventory: http://127.0.0.1:$SIM_PORT/music <-> table music_items (insert a row with
      source_id 'music-faker' and external_id NULL, and it is created there; see docs/operations.md "Two-way")
    Admin API: http://127.0.0.1:$ADMIN_PORT (operator token in data/admin-token; sources added there are polled live,
      see docs/operations.md "Admin API")
    Drift: bin/tributary-verify (reconciliation every $reconcile_every; bin/tributary-verify --reconcile runs one now)
    Progress every ${progress_every}s (source = records at the forum, synced = live rows in the main DB). Ctrl-C stops.
MSG
while true; do
  sleep "$progress_every"
  check_processes
  stats=$(http_get $SIM_PORT /admin/stats)
  status=$(http_get $WRITER_PORT /status)
  line="$(date +%H:%M:%S)"
  for e in users sections topics messages; do
    src=$(json_number "$stats" "$e")
    dst=$(grep -o "\"$e\":{[^}]*}" <<<"$status" | grep -o '"live":[0-9]*' | cut -d: -f2 || true)
    line+="  $e ${dst:-?}/${src:-?}"
  done
  lag=$(json_number "$status" lag)
  say "$line  lag ${lag:-?}"
done
