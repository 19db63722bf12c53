/**
 * webhook-ingest-service: everything pushed to Tributary. For now it starts and reports health; verified,
 * deduplicated webhook ingestion onto the change topics is the next issue.
 */
@NullMarked
package io.tributary.ingest;

import org.jspecify.annotations.NullMarked;
