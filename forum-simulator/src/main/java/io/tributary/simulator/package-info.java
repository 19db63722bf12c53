@NullMarked
package io.tributary.simulator;

import org.jspecify.annotations.NullMarked;
