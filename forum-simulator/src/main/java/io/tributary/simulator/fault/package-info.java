@NullMarked
package io.tributary.simulator.fault;

import org.jspecify.annotations.NullMarked;
