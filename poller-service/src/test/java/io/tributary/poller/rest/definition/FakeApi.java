package io.tributary.poller.rest.definition;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/** A fake REST API on an ephemeral port (JDK HTTP server): routes by path, records every request. */
final class FakeApi implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Request(String method, URI uri, String path, Map<String, String> query, Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    record Response(int status, Map<String, String> headers, String body) {
        static Response json(Object value) {
            return new Response(200, Map.of(), JSON.writeValueAsString(value));
        }

        static Response json(Object value, Map<String, String> headers) {
            return new Response(200, headers, JSON.writeValueAsString(value));
        }

        static Response status(int status) {
            return new Response(status, Map.of(), "{\"error\":" + status + "}");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, Function<Request, Response>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>();

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    FakeApi route(String path, Function<Request, Response> handler) {
        routes.put(path, handler);
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized List<Request> requests(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), uri, uri.getPath(), query(uri.getRawQuery()),
                    exchange.getRequestHeaders(), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            synchronized (this) {
                requests.add(request);
            }
            Function<Request, Response> handler = routes.get(uri.getPath());
            if (handler == null) { // "/albums/*" serves "/albums/al-1"
                handler = routes.entrySet().stream()
                        .filter(route -> route.getKey().endsWith("/*")
                                && uri.getPath().startsWith(route.getKey().substring(0, route.getKey().length() - 1)))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
            }
            Response response = handler == null ? Response.status(404) : handler.apply(request);
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            response.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(name, value);
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
