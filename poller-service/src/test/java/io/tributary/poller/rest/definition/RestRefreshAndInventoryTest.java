package io.tributary.poller.rest.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.model.RefreshRequest;
import io.tributary.poller.runtime.RecordRefresher;
import io.tributary.poller.runtime.SourceInventory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code rest} kind's refresher (one record by {@code itemPath}: 200 → UPSERT mapped as polling maps it,
 * 404 → DELETE) and inventory (every mappable record with its version, over all pages, unfiltered).
 */
class RestRefreshAndInventoryTest {

    @TempDir
    Path dir;
    private final TestSources sources = new TestSources();

    @AfterEach
    void close() {
        sources.close();
    }

    @Test
    void refreshReadsOneRecordAndA404IsADelete() throws Exception {
        Albums albums = new Albums(10, 5);
        try (FakeApi api = new FakeApi()) {
            api.route("/albums/*", request -> {
                Map<String, Object> album = albums.get(request.path().substring("/albums/".length()));
                return album == null ? FakeApi.Response.status(404) : FakeApi.Response.json(album);
            });
            RestSourceProperties properties = properties(api);
            RecordRefresher refresher = sources.kind.refresher("albums-api", properties).orElseThrow();

            ChangeEvent upsert = refresher.refresh(request("al-1004"));
            assertThat(upsert.op()).isEqualTo(Operation.UPSERT);
            assertThat(upsert.origin()).isEqualTo(Origin.WEBHOOK);
            assertThat(upsert.sourceVersion()).isEqualTo(albums.get("al-1004").get("updatedAt"));
            assertThat(upsert.payload()).containsEntry("title", "Title of al-1004");

            ChangeEvent delete = refresher.refresh(request("al-9999"));
            assertThat(delete.op()).isEqualTo(Operation.DELETE);
            assertThat(api.requests("/albums/al-9999")).hasSize(1);
        }
    }

    @Test
    void inventoryVisitsEveryMappableRecordWithItsVersion() throws Exception {
        Albums albums = new Albums(33, 9);
        Map<String, Object> broken = Albums.album("al-1002", Albums.BASE, new Random(4));
        broken.remove("title");
        albums.put(broken);
        try (FakeApi api = new FakeApi()) {
            api.route("/albums", albums.pageNumber());
            SourceInventory inventory = sources.kind.inventory("albums-api", properties(api)).orElseThrow();
            Map<String, Long> seen = new TreeMap<>();
            inventory.scan("albums", seen::put);

            Map<String, Long> expected = new TreeMap<>();
            albums.ids().stream().filter(id -> !id.equals("al-1002"))
                    .forEach(id -> expected.put(id, (Long) albums.get(id).get("updatedAt")));
            assertThat(seen).isEqualTo(expected);
            assertThat(api.requests("/albums")).hasSize(4)
                    .allSatisfy(request -> assertThat(request.query()).doesNotContainKey("updated_since"));
        }
    }

    private RestSourceProperties properties(FakeApi api) {
        return TestSources.properties(TestSources.write(dir, "albums.yaml", TestSources.albums(api.url(), "{type: none}",
                "{type: page-number, size: 10}", "{path: data, hasMore: meta.has_more}")
                .replace("endpoint: {path: /albums}", "endpoint: {path: /albums, itemPath: \"/albums/{id}\"}")));
    }

    private static RefreshRequest request(String id) {
        return new RefreshRequest("albums-api", "albums", id, Instant.now(), Origin.WEBHOOK, "test");
    }
}
