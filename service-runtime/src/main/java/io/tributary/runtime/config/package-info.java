/** Following the admin service's compacted config topics: desired state that services apply live. */
@NullMarked
package io.tributary.runtime.config;

import org.jspecify.annotations.NullMarked;
