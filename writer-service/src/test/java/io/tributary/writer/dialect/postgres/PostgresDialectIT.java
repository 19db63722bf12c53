package io.tributary.writer.dialect.postgres;

import static io.tributary.writer.TestEvents.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.tributary.writer.PostgresTestDatabase;
import io.tributary.writer.WriterDbFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import io.tributary.model.ChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the real server answers, and how the dialect classifies it. */
class PostgresDialectIT {

    static PostgresTestDatabase postgres;
    static WriterDbFixture db;

    @BeforeAll
    static void open() {
        postgres = PostgresTestDatabase.create("dialect");
        db = new WriterDbFixture(postgres.properties(2), new PostgresDialect());
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aRealDeadlockIsTransient() throws Exception {
        db.apply(section("a", 1, "a"), section("b", 1, "b"));
        try (Connection one = postgres.connect(); Connection two = postgres.connect();
                Statement first = one.createStatement(); Statement second = two.createStatement()) {
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            first.execute("UPDATE sections SET title = 'one' WHERE external_id = 'a'");
            second.execute("UPDATE sections SET title = 'two' WHERE external_id = 'b'");
            CompletableFuture<SQLException> blocked = CompletableFuture.supplyAsync(() -> failure(first,
                    "UPDATE sections SET title = 'one' WHERE external_id = 'b'"));
            await("first transaction waiting for the second").atMost(Duration.ofSeconds(10))
                    .until(() -> waitingForLocks() == 1);
            SQLException secondFailure = failure(second, "UPDATE sections SET title = 'two' WHERE external_id = 'a'");
            SQLException deadlock = secondFailure != null ? secondFailure : blocked.get();

            assertThat(deadlock.getSQLState()).isEqualTo("40P01");
            assertThat(new PostgresDialect().isTransient(deadlock)).isTrue();
            one.rollback();
            two.rollback();
        }
    }

    @Test
    void textPostgresqlCannotStoreIsPermanent() {
        // SQLite stores a NUL character; PostgreSQL text cannot (22021): the record is dead-lettered, not retried.
        SQLException nul = catchThrowableOfType(SQLException.class, () -> db.apply(section("nul", 1, "a\u0000b")));

        assertThat((Throwable) nul).isNotNull();
        assertThat(new PostgresDialect().isTransient(nul)).as(nul.getMessage()).isFalse();
    }

    @Test
    void twoWritersApplyingTheSameKeysAtOnceNeitherDeadlockNorLoseTheNewestVersion() throws Exception {
        // What a rebalance handover can do at worst: two instances applying overlapping batches of the same
        // records at the same moment, in different arrival orders. Each batch is sorted by key before it takes
        // row locks, so the two transactions lock in the same order and queue instead of deadlocking.
        try (WriterDbFixture other = new WriterDbFixture(postgres.properties(2), new PostgresDialect())) {
            Map<String, Long> newest = new ConcurrentHashMap<>();
            List<CompletableFuture<Integer>> runs = new ArrayList<>();
            for (WriterDbFixture writer : List.of(db, other)) {
                Random random = new Random(runs.size());
                runs.add(CompletableFuture.supplyAsync(() -> {
                    int deadlocks = 0;
                    for (int round = 0; round < 30; round++) {
                        List<ChangeEvent> batch = new ArrayList<>();
                        for (int k = 0; k < 200; k++) {
                            long version = 1 + random.nextInt(50);
                            newest.merge("c" + k, version, Math::max);
                            batch.add(section("c" + k, version, "v" + version));
                        }
                        batch.add(section("c-final", 100 + round, "v" + (100 + round)));
                        Collections.shuffle(batch, random);
                        try {
                            writer.apply(batch);
                        } catch (SQLException e) {
                            deadlocks++;
                        }
                    }
                    return deadlocks;
                }));
            }
            for (CompletableFuture<Integer> run : runs) {
                assertThat(run.get(60, TimeUnit.SECONDS)).as("failed batches (deadlocks)").isZero();
            }
            for (int k = 0; k < 200; k++) {
                long version = newest.get("c" + k);
                assertThat(db.content("sections", "c" + k)).as("c" + k).containsEntry("source_version", version)
                        .containsEntry("title", "v" + version);
            }
        }
        assertThat(db.content("sections", "c-final")).containsEntry("source_version", 129L).containsEntry("title", "v129");
    }

    private static long waitingForLocks() throws SQLException {
        return ((Number) db.query("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'").get(0).get("n")).longValue();
    }

    private static SQLException failure(Statement statement, String sql) {
        try {
            statement.execute(sql);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }
}
