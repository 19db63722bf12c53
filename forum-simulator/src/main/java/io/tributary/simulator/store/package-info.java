@NullMarked
package io.tributary.simulator.store;

import org.jspecify.annotations.NullMarked;
