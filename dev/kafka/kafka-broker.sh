#!/usr/bin/env bash
# Runs a single-node Kafka broker (KRaft, combined broker + controller) from Kafka's own jars.
# Usage: dev/kafka/kafka-broker.sh DATA_DIR [BROKER_PORT] [CONTROLLER_PORT]
# Foreground process (exec java): the caller owns its lifecycle. The storage is formatted once per DATA_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data_dir=${1:?usage: kafka-broker.sh DATA_DIR [BROKER_PORT] [CONTROLLER_PORT]}
port=${2:-9092}
controller_port=${3:-9093}
lib="$here/target/lib"
if [ ! -d "$lib" ]; then
  "$here/../../mvnw" -q -f "$here/pom.xml" package
fi
mkdir -p "$data_dir"
data_dir=$(cd "$data_dir" && pwd)
props="$data_dir/server.properties"
cat > "$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data_dir/log
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
cp="$lib/*"
java_opts=(-Xms256m -Xmx1g -Dlog4j2.configurationFile="$here/log4j2.properties")
if [ ! -f "$data_dir/log/meta.properties" ]; then
  cluster_id=$(java "${java_opts[@]}" -cp "$cp" kafka.tools.StorageTool random-uuid)
  java "${java_opts[@]}" -cp "$cp" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$props" >/dev/null
fi
exec java "${java_opts[@]}" -cp "$cp" kafka.Kafka "$props"
