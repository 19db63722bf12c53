/**
 * The {@code kafka} health indicator every Kafka-facing service puts in its readiness group: the same
 * check, written once (decision 0021).
 */
@NullMarked
package io.tributary.runtime.health;

import org.jspecify.annotations.NullMarked;
