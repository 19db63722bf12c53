package io.tributary.poller.rest.pagination.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.definition.EntitySource.RecordSelector;
import io.tributary.definition.Pagination;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each strategy walks a fake API shaped the way real ones are (an envelope with has_more, a total, a bare
 * array, a server that caps the page size, cursors in the body or a header, Link headers relative or
 * absolute) and must read every record exactly once, in order, for listings of 0, 1 and around a page.
 */
class PaginationStrategiesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final URI BASE = URI.create("http://fake.test/api/items");

    /** A fake API: answers a request with a page of {@code all}. */
    interface FakeApi {
        PageResponse answer(NextPage request, List<JsonNode> all, List<NextPage> seen);
    }

    static Stream<Arguments> apis() {
        List<Arguments> rows = new ArrayList<>();
        for (int count : new int[] {0, 1, 9, 10, 11, 95}) {
            rows.add(Arguments.of("page-number + has_more envelope", count,
                    new Pagination.PageNumber(null, null, 10, null), new RecordSelector("data", "meta.has_more", null),
                    (FakeApi) (request, all, seen) -> {
                        int page = Integer.parseInt(request.params().get("page"));
                        int size = Integer.parseInt(request.params().get("per_page"));
                        List<JsonNode> slice = slice(all, (page - 1) * size, size);
                        ObjectNode body = JSON.createObjectNode();
                        body.set("data", array(slice));
                        body.putObject("meta").put("has_more", page * size < all.size());
                        return response(body, Map.of());
                    }));
            rows.add(Arguments.of("page-number from 0 + total", count,
                    new Pagination.PageNumber("p", "n", 10, 0), new RecordSelector("results", null, "count"),
                    (FakeApi) (request, all, seen) -> {
                        int page = Integer.parseInt(request.params().get("p"));
                        int size = Integer.parseInt(request.params().get("n"));
                        ObjectNode body = JSON.createObjectNode();
                        body.set("results", array(slice(all, page * size, size)));
                        body.put("count", all.size());
                        return response(body, Map.of());
                    }));
            rows.add(Arguments.of("_page/_limit bare array, short page ends", count,
                    new Pagination.PageNumber("_page", "_limit", 10, 1), new RecordSelector("$", null, null),
                    (FakeApi) (request, all, seen) -> {
                        int page = Integer.parseInt(request.params().get("_page"));
                        int size = Integer.parseInt(request.params().get("_limit"));
                        return response(array(slice(all, (page - 1) * size, size)), Map.of());
                    }));
            rows.add(Arguments.of("offset-limit, server caps the limit at 7", count,
                    new Pagination.OffsetLimit("_start", "_limit", 10), new RecordSelector("$", null, null),
                    (FakeApi) (request, all, seen) -> {
                        int offset = Integer.parseInt(request.params().get("_start"));
                        int limit = Math.min(7, Integer.parseInt(request.params().get("_limit")));
                        return response(array(slice(all, offset, limit)), Map.of());
                    }));
            rows.add(Arguments.of("offset-limit + total, capped", count,
                    new Pagination.OffsetLimit(null, null, 10), new RecordSelector("items", null, "total"),
                    (FakeApi) (request, all, seen) -> {
                        int offset = Integer.parseInt(request.params().get("offset"));
                        ObjectNode body = JSON.createObjectNode();
                        body.set("items", array(slice(all, offset, 7)));
                        body.put("total", all.size());
                        return response(body, Map.of());
                    }));
            rows.add(Arguments.of("cursor in the body", count,
                    new Pagination.Cursor(Pagination.CursorFrom.BODY, "after", "paging.next", null, "limit", 10),
                    new RecordSelector("items", null, null),
                    (FakeApi) (request, all, seen) -> {
                        int start = request.params().containsKey("after") ? decode(request.params().get("after")) : 0;
                        ObjectNode body = JSON.createObjectNode();
                        body.set("items", array(slice(all, start, 10)));
                        if (start + 10 < all.size()) {
                            body.putObject("paging").put("next", encode(start + 10));
                        } else {
                            body.putObject("paging").putNull("next");
                        }
                        return response(body, Map.of());
                    }));
            rows.add(Arguments.of("cursor in a header", count,
                    new Pagination.Cursor(Pagination.CursorFrom.HEADER, "page_token", null, "X-Next-Page-Token", null, null),
                    new RecordSelector("$", null, null),
                    (FakeApi) (request, all, seen) -> {
                        int start = request.params().containsKey("page_token") ? decode(request.params().get("page_token")) : 0;
                        Map<String, List<String>> headers = start + 10 < all.size()
                                ? Map.of("x-next-page-token", List.of(encode(start + 10))) : Map.of();
                        return response(array(slice(all, start, 10)), headers);
                    }));
            rows.add(Arguments.of("Link rel=next, relative, among other rels", count,
                    new Pagination.LinkHeader("_limit", 10), new RecordSelector("$", null, null),
                    (FakeApi) (request, all, seen) -> {
                        int page = request.url() == null ? 1 : Integer.parseInt(query(request.url(), "_page"));
                        int size = request.url() == null ? Integer.parseInt(request.params().get("_limit"))
                                : Integer.parseInt(query(request.url(), "_limit"));
                        String link = "</api/items?_page=1&_limit=" + size + ">; rel=\"first\", "
                                + (page * size < all.size() ? "</api/items?_page=" + (page + 1) + "&_limit=" + size
                                        + ">; title=\"next, please; thanks\"; rel=\"next\", " : "")
                                + "<http://fake.test/api/items?_page=9&_limit=" + size + ">; rel=last";
                        return response(array(slice(all, (page - 1) * size, size)), Map.of("Link", List.of(link)), request);
                    }));
            rows.add(Arguments.of("Link rel=next absolute, in a second Link header", count,
                    new Pagination.LinkHeader(null, null), new RecordSelector("data", null, null),
                    (FakeApi) (request, all, seen) -> {
                        int start = request.url() == null ? 0 : Integer.parseInt(query(request.url(), "since"));
                        ObjectNode body = JSON.createObjectNode();
                        body.set("data", array(slice(all, start, 4)));
                        List<String> links = new ArrayList<>(List.of("<http://fake.test/docs>; rel=\"help\""));
                        if (start + 4 < all.size()) {
                            links.add("<http://fake.test/api/items?since=" + (start + 4) + ">; rel=\"prev next\"");
                        }
                        return response(body, Map.of("link", links), request);
                    }));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}, {1} records")
    @MethodSource("apis")
    void readsEveryRecordOnceInOrder(String shape, int count, Pagination pagination, RecordSelector selector, FakeApi api) {
        List<JsonNode> all = IntStream.range(0, count)
                .mapToObj(i -> (JsonNode) JSON.createObjectNode().put("id", "r" + i)).toList();
        List<NextPage> seen = new ArrayList<>();
        Function<NextPage, PageResponse> fetch = request -> {
            seen.add(request);
            return api.answer(request, all, seen);
        };
        List<JsonNode> read = PagedWalk.readAll(PaginationResolver.resolve(pagination), PageReader.of(selector), fetch, 100);
        assertThat(read).extracting(node -> node.get("id").stringValue())
                .containsExactlyElementsOf(all.stream().map(node -> node.get("id").stringValue()).toList());
        assertThat(seen).extracting(NextPage::number).containsExactlyElementsOf(IntStream.range(0, seen.size()).boxed().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stuck")
    void aSourceThatDoesNotAdvanceIsRefused(String shape, Pagination pagination, PageResponse answer, String message) {
        RecordSelector selector = new RecordSelector("$", null, null);
        assertThatThrownBy(() -> PagedWalk.readAll(PaginationResolver.resolve(pagination), PageReader.of(selector),
                request -> answer, 50)).isInstanceOf(IllegalStateException.class).hasMessageContaining(message);
    }

    static Stream<Arguments> stuck() {
        ArrayNode one = array(List.of(JSON.createObjectNode().put("id", "x")));
        return Stream.of(
                Arguments.of("the same cursor again", new Pagination.Cursor(Pagination.CursorFrom.HEADER, null, null, "X-Next", null, null),
                        response(one, Map.of("X-Next", List.of("same"))), "with the cursor it was asked for"),
                Arguments.of("a next link to the same page", new Pagination.LinkHeader(null, null),
                        response(one, Map.of("Link", List.of("<" + BASE + ">; rel=next"))), "points to the same page"),
                Arguments.of("has_more forever", new Pagination.PageNumber(null, null, 1, null),
                        response(one, Map.of()), "did not end within 50 pages"),
                Arguments.of("no list where one is expected", new Pagination.None(),
                        response(JSON.createObjectNode().put("error", "moved"), Map.of()), "has no list at '$'"));
    }

    private static List<JsonNode> slice(List<JsonNode> all, int from, int size) {
        return from >= all.size() ? List.of() : all.subList(from, Math.min(all.size(), from + size));
    }

    private static ArrayNode array(List<JsonNode> items) {
        ArrayNode array = JSON.createArrayNode();
        items.forEach(array::add);
        return array;
    }

    private static PageResponse response(JsonNode body, Map<String, List<String>> headers) {
        return new PageResponse(BASE, body, headers);
    }

    private static PageResponse response(JsonNode body, Map<String, List<String>> headers, NextPage request) {
        return new PageResponse(request.url() == null ? BASE : request.url(), body, headers);
    }

    private static String query(URI url, String name) {
        for (String pair : url.getQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name)) {
                return kv[1];
            }
        }
        throw new AssertionError("no " + name + " in " + url);
    }

    /** Opaque tokens, as a real API's would be. */
    private static String encode(int offset) {
        return java.util.Base64.getUrlEncoder().encodeToString(("o:" + offset).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static int decode(String token) {
        return Integer.parseInt(new String(java.util.Base64.getUrlDecoder().decode(token),
                java.nio.charset.StandardCharsets.UTF_8).substring(2));
    }
}
