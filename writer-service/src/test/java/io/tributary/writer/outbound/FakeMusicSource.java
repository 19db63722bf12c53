package io.tributary.writer.outbound;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake music API for delivery tests (JDK HTTP server on an ephemeral port), shaped as
 * {@code examples/music-inventory.yaml} expects: {@code POST /music}, {@code GET|PUT|DELETE /music/{id}}, items
 * {@code {"id", "name", "artist", "album", "updatedAt"}} with an {@code ETag} of their version, and
 * {@code If-Match} honoured (412 when it is not the item's). Every request is recorded with its headers. Faults are
 * scripted per method: the next requests hang (no answer: the client's timeout ends them) or are refused with a
 * status; someone at the source can edit an item, also just before the next write arrives (a change landing
 * between a client's read and its write).
 */
final class FakeMusicSource implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int HANG = -1;

    /** A request as received. */
    record Request(String method, String path, Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<String, ObjectNode> items = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new HashMap<>();
    private final Map<String, String> editsBeforeNextWrite = new HashMap<>();
    private long lastVersion;

    FakeMusicSource() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/music", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code times} requests of {@code method} get no answer (until the source is closed). */
    synchronized void hangNext(String method, int times) {
        for (int i = 0; i < times; i++) {
            scripted.computeIfAbsent(method, m -> new ArrayDeque<>()).add(HANG);
        }
    }

    /** Someone at the source renames item {@code id} just before the next PUT or DELETE of it is handled. */
    synchronized void editBeforeNextWrite(String id, String name) {
        editsBeforeNextWrite.put(id, name);
    }

    /** Someone at the source renames item {@code id}; returns its new version. */
    synchronized long edit(String id, String name) {
        ObjectNode item = items.get(id);
        item.put("name", name);
        item.put("updatedAt", Instant.ofEpochMilli(stamp()).toString());
        return version(item);
    }

    synchronized JsonNode item(String id) {
        return items.get(id).deepCopy();
    }

    synchronized long version(String id) {
        return version(items.get(id));
    }

    synchronized List<Request> requests(String method) {
        return requests.stream().filter(request -> request.method().equals(method)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Integer scriptedStatus;
            synchronized (this) {
                requests.add(request);
                Deque<Integer> script = scripted.get(request.method());
                scriptedStatus = script == null ? null : script.poll();
            }
            if (scriptedStatus != null && scriptedStatus == HANG) {
                await(); // the client gives up first; the answer is never read
                return;
            }
            Answer answer = scriptedStatus != null ? new Answer(scriptedStatus, null) : serve(request);
            byte[] body = answer.body() == null ? new byte[0] : JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (answer.body() != null && answer.body().has("updatedAt")) {
                exchange.getResponseHeaders().set("ETag", etag(answer.body()));
            }
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private record Answer(int status, ObjectNode body) {
    }

    private synchronized Answer serve(Request request) {
        String id = request.path().startsWith("/music/") ? request.path().substring("/music/".length()) : null;
        if (id == null) {
            if (!request.method().equals("POST")) {
                return new Answer(405, null);
            }
            ObjectNode item = (ObjectNode) JSON.readTree(request.body());
            item.put("id", "mu-" + nextId.getAndIncrement());
            item.put("updatedAt", Instant.ofEpochMilli(stamp()).toString());
            items.put(item.get("id").asString(), item);
            return new Answer(201, item.deepCopy());
        }
        String edit = request.method().equals("GET") ? null : editsBeforeNextWrite.remove(id);
        if (edit != null && items.containsKey(id)) {
            edit(id, edit);
        }
        ObjectNode item = items.get(id);
        if (item == null) {
            return new Answer(404, null);
        }
        String ifMatch = request.header("If-Match");
        if (ifMatch != null && !ifMatch.equals(etag(item))) {
            return new Answer(412, null);
        }
        return switch (request.method()) {
            case "GET" -> new Answer(200, item.deepCopy());
            case "PUT" -> {
                ObjectNode replaced = (ObjectNode) JSON.readTree(request.body());
                replaced.put("id", id);
                replaced.put("updatedAt", Instant.ofEpochMilli(stamp()).toString());
                items.put(id, replaced);
                yield new Answer(200, replaced.deepCopy());
            }
            case "DELETE" -> {
                items.remove(id);
                yield new Answer(204, null);
            }
            default -> new Answer(405, null);
        };
    }

    private void await() {
        try {
            closed.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long stamp() {
        lastVersion = Math.max(lastVersion + 1, System.currentTimeMillis());
        return lastVersion;
    }

    private static long version(JsonNode item) {
        return Instant.parse(item.get("updatedAt").asString()).toEpochMilli();
    }

    private static String etag(JsonNode item) {
        return "\"" + version(item) + "\"";
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
