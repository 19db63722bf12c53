/**
 * The change-event envelope every producer (poller, webhook ingest, reconcile, CDC) publishes and the
 * single writer consumes: {@link io.tributary.model.ChangeEvent}, its Kafka key
 * {@link io.tributary.model.ChangeKey}, the topic names in {@link io.tributary.model.ChangeTopics} and
 * the JSON serde. This is a published contract: change it only by bumping
 * {@link io.tributary.model.ChangeEvent#SCHEMA_VERSION}.
 */
@NullMarked
package io.tributary.model;

import org.jspecify.annotations.NullMarked;
