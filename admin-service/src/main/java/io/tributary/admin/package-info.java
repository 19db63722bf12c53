/** The admin API: organizations, API tokens and source definitions over compacted Kafka config topics. */
@NullMarked
package io.tributary.admin;

import org.jspecify.annotations.NullMarked;
