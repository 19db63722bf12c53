package io.tributary.poller.runtime;

/**
 * Lets Kafka's LZ4 compression use lz4-java's native (JNI) implementation inside the poller's Spring Boot jar.
 * Kafka's LZ4 block streams ask lz4-java for {@code LZ4Factory.fastestInstance()}, which tries the native library
 * only when lz4-java was loaded by the system class loader: in a Boot jar it falls back to its pure-Java code, which
 * took a quarter of the poller's publishing thread (docs/benchmarks.md, 2026-12-07). Loading the native library
 * first makes {@code fastestInstance()} return it, as it does in Kafka's own processes. Through reflection: lz4-java
 * is Kafka's runtime dependency, at Kafka's version; where it is absent or its library cannot load, nothing changes.
 * Called by {@code PollerApplication.builder()}, before any Kafka client starts; silent, since logging is not
 * configured yet then ({@code PollerConfiguration} logs {@link #status()}). The writer gains nothing measurable from it
 * (it only decompresses, a few percent of its CPU): it does not load it.
 */
public final class NativeLz4 {

    private static volatile String status = "not loaded";

    private NativeLz4() {
    }

    public static void load() {
        try {
            status = String.valueOf(Class.forName("net.jpountz.lz4.LZ4Factory").getMethod("nativeInstance").invoke(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            status = "lz4-java's Java implementation (no native library: " + e + ")";
        }
    }

    /** What {@link #load()} found, e.g. {@code LZ4Factory:JNI}. */
    public static String status() {
        return status;
    }
}
