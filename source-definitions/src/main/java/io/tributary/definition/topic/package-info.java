/** The values of the admin service's compacted config topic, as the services that follow it read them. */
@NullMarked
package io.tributary.definition.topic;

import org.jspecify.annotations.NullMarked;
