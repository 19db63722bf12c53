/**
 * webhook-ingest-service: everything pushed to Tributary. {@code receive} is the endpoint and the path to
 * Kafka, {@code signature} the signature schemes.
 */
@NullMarked
package io.tributary.ingest;

import org.jspecify.annotations.NullMarked;
