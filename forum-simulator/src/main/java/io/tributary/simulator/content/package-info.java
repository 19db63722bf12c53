@NullMarked
package io.tributary.simulator.content;

import org.jspecify.annotations.NullMarked;
