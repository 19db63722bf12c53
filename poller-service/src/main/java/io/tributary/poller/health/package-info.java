/**
 * Health and readiness: the Kafka health indicator ({@code kafka}) that makes up the readiness group
 * ({@code /actuator/health/readiness}).
 */
@NullMarked
package io.tributary.poller.health;

import org.jspecify.annotations.NullMarked;
