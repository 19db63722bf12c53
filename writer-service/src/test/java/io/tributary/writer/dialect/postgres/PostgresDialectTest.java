package io.tributary.writer.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.writer.entity.EntityCatalog;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class PostgresDialectTest {

    private final PostgresDialect dialect = new PostgresDialect();

    @Test
    void statementsAreMultiRowAndUseGreatest() {
        EntityCatalog catalog = EntityCatalog.forum();

        String upsert = dialect.upsert(catalog.get("sections"), 3);
        String delete = dialect.delete(catalog.get("users"), 2);

        assertThat(upsert).contains("VALUES (?, ?, ?, 0, ?, ?, ?, ?), (?, ?, ?, 0, ?, ?, ?, ?), (?, ?, ?, 0, ?, ?, ?, ?)"
                        + " ON CONFLICT (source_id, external_id) DO UPDATE SET")
                .endsWith("WHERE excluded.source_version > sections.source_version AND sections.deleted = 0");
        assertThat(delete).contains("VALUES (?, ?, ?, 1, ?), (?, ?, ?, 1, ?) ON CONFLICT")
                .contains("source_version = GREATEST(users.source_version, excluded.source_version)");
        assertThat(dialect.insertPlaceholder(catalog.get("topics"), 1))
                .isEqualTo("INSERT INTO topics (source_id, external_id, source_version, deleted, synced_at)"
                        + " VALUES (?, ?, 0, 0, ?) ON CONFLICT (source_id, external_id) DO NOTHING");
        assertThat(dialect.rowsPerStatement()).isEqualTo(PostgresDialect.DEFAULT_ROWS_PER_STATEMENT);
    }

    @Test
    void contentionConnectionLossAndServerRestartsAreTransient() {
        for (String state : new String[] {"40001", "40P01", "08006", "08001", "57P01", "57P03", "53300", "55P03"}) {
            assertThat(dialect.isTransient(new SQLException("x", state))).as(state).isTrue();
        }
        assertThat(dialect.isTransient(new SQLTransientConnectionException("pool timed out"))).isTrue();
    }

    @Test
    void constraintViolationsAndBadDataArePermanent() {
        for (String state : new String[] {"23505", "23503", "23514", "22021", "22001", "42P01"}) {
            assertThat(dialect.isTransient(new SQLException("x", state))).as(state).isFalse();
        }
        assertThat(dialect.isTransient(new SQLException("no state"))).isFalse();
    }

    @Test
    void aBatchFailureIsClassifiedByTheServerErrorChainedBehindIt() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "40P01", new int[0]);
        BatchUpdateException wrapped = new BatchUpdateException("Batch entry 0 was aborted", null, new int[0]);
        wrapped.setNextException(new SQLException("deadlock detected", "40P01"));
        BatchUpdateException permanent = new BatchUpdateException("Batch entry 0 was aborted", null, new int[0]);
        permanent.setNextException(new SQLException("duplicate key", "23505"));

        assertThat(dialect.isTransient(batch)).isTrue();
        assertThat(dialect.isTransient(wrapped)).isTrue();
        assertThat(dialect.isTransient(permanent)).isFalse();
    }
}
