package io.tributary.poller.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets Kafka's LZ4 compression use lz4-java's native (JNI) compressor inside the Spring Boot jar. lz4-java's
 * {@code LZ4Factory.fastestInstance()}, which Kafka's LZ4 block stream asks for, only tries its native library when
 * lz4-java was loaded by the system class loader, so in a Boot jar it falls back to its pure-Java compressor: a
 * quarter of the poller thread's CPU (docs/benchmarks.md, 2026-12-07). Loading the native library first makes
 * {@code fastestInstance()} return it, as it does in Kafka's own processes. Decompression is unaffected (Kafka's LZ4
 * reader uses lz4-java's safe Java decompressor whatever is loaded). Through reflection: lz4-java is Kafka's runtime
 * dependency, at Kafka's version; where it is absent or its library cannot load, nothing changes.
 */
final class NativeLz4 {

    private static final Logger LOG = LoggerFactory.getLogger(NativeLz4.class);

    private NativeLz4() {
    }

    static void load() {
        try {
            Object factory = Class.forName("net.jpountz.lz4.LZ4Factory").getMethod("nativeInstance").invoke(null);
            LOG.info("Kafka LZ4 compression: {}", factory);
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.info("Kafka LZ4 compression: lz4-java's Java implementation (no native library: {})", e.toString());
        }
    }
}
