/**
 * Health and readiness: the Kafka health indicator ({@code kafka}) that makes up the readiness group
 * ({@code /actuator/health/readiness}).
 */
@NullMarked
package io.tributary.ingest.health;

import org.jspecify.annotations.NullMarked;
