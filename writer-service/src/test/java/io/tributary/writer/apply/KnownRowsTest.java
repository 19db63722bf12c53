package io.tributary.writer.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.writer.apply.CollapsedBatch.RecordKey;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownRowsTest {

    private final EntityDefinition users = EntityCatalog.forum().get("users");
    private final EntityDefinition topics = EntityCatalog.forum().get("topics");

    @Test
    void remembersTheMostRecentKeysPerEntityOnly() {
        KnownRows known = new KnownRows(2);
        known.addAll(users, List.of(key("u1"), key("u2")));
        known.addAll(users, List.of(key("u3")));

        assertThat(known.contains(users, key("u1"))).as("evicted, the oldest").isFalse();
        assertThat(known.contains(users, key("u2"))).isTrue();
        assertThat(known.contains(users, key("u3"))).isTrue();
        assertThat(known.contains(topics, key("u3"))).as("per entity").isFalse();
    }

    @Test
    void zeroRemembersNothing() {
        KnownRows known = new KnownRows(0);
        known.addAll(users, List.of(key("u1")));

        assertThat(known.contains(users, key("u1"))).isFalse();
    }

    private static RecordKey key(String id) {
        return new RecordKey("forum-sim", id);
    }
}
