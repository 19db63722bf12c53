package io.tributary.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A forwarding proxy in front of the simulator that lets a test act between two page requests of a walk: a hook
 * armed for a path and page number runs once, just before that request is forwarded (the source changing while
 * a poller walks its listing, at a chosen moment). Counts the requests per path and page.
 */
final class ListingProxy implements AutoCloseable {

    /** The request a hook waits for, and what it does with the request's query. */
    private record Hook(String path, String page, Consumer<Map<String, String>> action) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newHttpClient();
    private final String upstream;
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final AtomicReference<@Nullable Hook> hook = new AtomicReference<>();

    ListingProxy(int upstreamPort) throws IOException {
        this.upstream = "http://127.0.0.1:" + upstreamPort;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Runs {@code action} with the query of the next request for {@code path} asking {@code page}, once. */
    void beforeNext(String path, int page, Consumer<Map<String, String>> action) {
        hook.set(new Hook(path, Integer.toString(page), action));
    }

    /** Whether the armed hook has run. */
    boolean hookRan() {
        return hook.get() == null;
    }

    /** Requests for {@code path} asking {@code page} so far. */
    long count(String path, int page) {
        return requests.computeIfAbsent(path + "#" + page, key -> new AtomicLong()).get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Map<String, String> query = query(uri.getRawQuery());
            String page = query.getOrDefault("page", "1");
            Hook armed = hook.get();
            if (armed != null && armed.path().equals(uri.getPath()) && armed.page().equals(page)
                    && hook.compareAndSet(armed, null)) {
                armed.action().accept(query);
            }
            requests.computeIfAbsent(uri.getPath() + "#" + page, key -> new AtomicLong()).incrementAndGet();
            HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(URI.create(upstream + uri)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            for (String header : List.of("Content-Type", "Retry-After")) {
                answer.headers().firstValue(header).ifPresent(value -> exchange.getResponseHeaders().set(header, value));
            }
            byte[] body = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> query = new ConcurrentHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
