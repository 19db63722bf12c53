package io.tributary.poller.rest.definition;

import io.tributary.poller.rest.definition.FakeApi.Request;
import io.tributary.poller.rest.definition.FakeApi.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The fake API's data: albums with a nested artist and a track list, versioned by {@code updatedAt} (epoch
 * ms, several albums sharing one), listed in id order (no order by version: a generic API promises none),
 * filtered by {@code updated_since} (inclusive, epoch ms) when asked. Routes for each way of paging.
 */
final class Albums {

    static final long BASE = 1_780_000_000_000L;

    private final Map<String, Map<String, Object>> byId = new LinkedHashMap<>();

    Albums(int count, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            put(album("al-" + (1000 + i), BASE + random.nextInt(count / 2 + 1) * 1000L, random));
        }
    }

    static Map<String, Object> album(String id, long updatedAt, Random random) {
        Map<String, Object> album = new LinkedHashMap<>();
        album.put("id", id);
        album.put("title", "  Title of " + id + " ");
        album.put("updatedAt", updatedAt);
        album.put("artist", Map.of("name", "Artist " + random.nextInt(50), "origin", Map.of("country", "FR")));
        List<Object> tracks = new ArrayList<>();
        for (int t = 0; t < 1 + random.nextInt(3); t++) {
            tracks.add(Map.of("name", "Track " + t, "length", Map.of("s", 100 + t)));
        }
        album.put("tracks", tracks);
        return album;
    }

    synchronized void put(Map<String, Object> album) {
        byId.put((String) album.get("id"), album);
    }

    synchronized Map<String, Object> get(String id) {
        return byId.get(id);
    }

    synchronized List<Map<String, Object>> listing(Request request) {
        String since = request.query().get("updated_since");
        return byId.values().stream()
                .filter(album -> since == null || (Long) album.get("updatedAt") >= Long.parseLong(since))
                .sorted(Comparator.comparing(album -> (String) album.get("id")))
                .toList();
    }

    static List<Map<String, Object>> slice(List<Map<String, Object>> all, long from, long size) {
        return all.subList((int) Math.min(from, all.size()), (int) Math.min(from + size, all.size()));
    }

    /** {@code ?page&per_page}, body {@code {data: [...], meta: {has_more}}}. */
    Function<Request, Response> pageNumber() {
        return request -> {
            List<Map<String, Object>> all = listing(request);
            int page = Integer.parseInt(request.query().get("page"));
            int size = Integer.parseInt(request.query().get("per_page"));
            return Response.json(Map.of("data", slice(all, (long) (page - 1) * size, size),
                    "meta", Map.of("has_more", (long) page * size < all.size())));
        };
    }

    /** {@code ?offset&limit}, a bare array, capped at 7 whatever the limit (an empty page ends). */
    Function<Request, Response> offsetLimit() {
        return request -> {
            List<Map<String, Object>> all = listing(request);
            long offset = Long.parseLong(request.query().get("offset"));
            long limit = Math.min(7, Long.parseLong(request.query().get("limit")));
            return Response.json(slice(all, offset, limit));
        };
    }

    /** {@code ?cursor&size}; the next token in the body ({@code paging.next}) or in {@code X-Next-Cursor}. */
    Function<Request, Response> cursor(boolean inHeader) {
        return request -> {
            List<Map<String, Object>> all = listing(request);
            String token = request.query().get("cursor");
            int from = token == null ? 0 : Integer.parseInt(token.substring("tok-".length()));
            int size = Integer.parseInt(request.query().get("size"));
            String next = from + size < all.size() ? "tok-" + (from + size) : null;
            if (inHeader) {
                return Response.json(Map.of("items", slice(all, from, size)),
                        next == null ? Map.of() : Map.of("X-Next-Cursor", next));
            }
            Map<String, Object> paging = new LinkedHashMap<>();
            paging.put("next", next);
            return Response.json(Map.of("items", slice(all, from, size), "paging", paging));
        };
    }

    /** json-server style: {@code ?_page&_limit}, a bare array and {@code Link: <...>; rel="next"}. */
    Function<Request, Response> linkHeader(String baseUrl) {
        return request -> {
            List<Map<String, Object>> all = listing(request);
            int page = Integer.parseInt(request.query().getOrDefault("_page", "1"));
            int limit = Integer.parseInt(request.query().get("_limit"));
            Map<String, String> headers = new LinkedHashMap<>();
            if ((long) page * limit < all.size()) {
                String since = request.query().get("updated_since");
                headers.put("Link", "<" + baseUrl + request.path() + "?_page=1&_limit=" + limit + ">; rel=\"first\", <"
                        + request.path() + "?_page=" + (page + 1) + "&_limit=" + limit
                        + (since == null ? "" : "&updated_since=" + since) + ">; rel=\"next\"");
            }
            return Response.json(slice(all, (long) (page - 1) * limit, limit), headers);
        };
    }

    synchronized List<String> ids() {
        return byId.keySet().stream().sorted().toList();
    }

    synchronized long maxVersion() {
        return byId.values().stream().mapToLong(album -> (Long) album.get("updatedAt")).max().orElseThrow();
    }
}
