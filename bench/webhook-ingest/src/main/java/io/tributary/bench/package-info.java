/** Load generators for {@code docs/benchmarks.md}; not part of the build or of any service. */
@NullMarked
package io.tributary.bench;

import org.jspecify.annotations.NullMarked;
