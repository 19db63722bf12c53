/**
 * Health and readiness: the Kafka health indicator ({@code kafka}) that, with Spring Boot's database
 * indicator ({@code db}), makes up the readiness group ({@code /actuator/health/readiness}).
 */
@NullMarked
package io.tributary.writer.health;

import org.jspecify.annotations.NullMarked;
