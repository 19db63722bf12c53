@NullMarked
package io.tributary.simulator.api;

import org.jspecify.annotations.NullMarked;
