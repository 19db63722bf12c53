package io.tributary.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/** A fake REST API for the live-source tests: fixed JSON answers per exact path, and how often each was asked. */
final class FakeJsonApi implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    private FakeJsonApi(HttpServer server) {
        this.server = server;
    }

    static FakeJsonApi start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
        return new FakeJsonApi(server);
    }

    /** Answers {@code GET path} (exactly that path; any query) with {@code body} as JSON. */
    FakeJsonApi serve(String path, Supplier<Object> body) {
        AtomicLong counter = requests.computeIfAbsent(path, p -> new AtomicLong());
        server.createContext(path, exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                counter.incrementAndGet();
                byte[] bytes = JSON.writeValueAsBytes(body.get());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        return this;
    }

    long count(String path) {
        return requests.get(path).get();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
