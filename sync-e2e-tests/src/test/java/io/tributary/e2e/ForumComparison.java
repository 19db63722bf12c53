package io.tributary.e2e;

import io.tributary.simulator.store.ForumStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares every live record of the source with the main DB, field by field, with references resolved to
 * external ids through the main DB's own foreign keys. Live rows in the main DB are those neither deleted
 * nor placeholders ({@code source_version > 0}).
 */
final class ForumComparison {

    private final ForumStore source;
    private final String mainDbUrl;
    private final String sourceId;

    ForumComparison(ForumStore source, String mainDbUrl, String sourceId) {
        this.source = source;
        this.mainDbUrl = mainDbUrl;
        this.sourceId = sourceId;
    }

    List<SyncDifferences> compareAll() {
        return compareAll(Map.of());
    }

    /**
     * Like {@link #compareAll()}, but rows of the main DB whose id is in {@code ignoredExtras} (per entity)
     * are not reported as extra: records deleted at the source whose deletion no path could observe (see
     * {@code WebhookSyncIT}).
     */
    List<SyncDifferences> compareAll(Map<String, Set<String>> ignoredExtras) {
        List<SyncDifferences> all = new ArrayList<>();
        for (ForumEntity entity : ForumEntity.ALL) {
            all.add(compare(entity, ignoredExtras.getOrDefault(entity.name(), Set.of())));
        }
        return all;
    }

    /** A record's state in the main DB. */
    enum RowState { LIVE, DELETED, PLACEHOLDER, ABSENT }

    RowState state(String entity, String externalId) {
        try (Connection db = DriverManager.getConnection(mainDbUrl);
             PreparedStatement st = db.prepareStatement("SELECT deleted, source_version FROM " + entity
                     + " WHERE source_id = ? AND external_id = ?")) {
            st.setString(1, sourceId);
            st.setString(2, externalId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return RowState.ABSENT;
                }
                return rs.getInt(1) != 0 ? RowState.DELETED : rs.getLong(2) > 0 ? RowState.LIVE : RowState.PLACEHOLDER;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read " + entity + " " + externalId + " from the main DB", e);
        }
    }

    /** Live rows (neither deleted nor placeholders) of one entity of this source in the main DB. */
    long liveRows(String entity) {
        return countRows(entity, "deleted = 0 AND source_version > 0");
    }

    /** Placeholder rows ({@code source_version = 0}) of this source over every entity: references never filled. */
    long placeholders() {
        return ForumEntity.ALL.stream().mapToLong(e -> countRows(e.name(), "source_version = 0")).sum();
    }

    private long countRows(String entity, String condition) {
        try (Connection db = DriverManager.getConnection(mainDbUrl);
             PreparedStatement st = db.prepareStatement("SELECT count(*) FROM " + entity
                     + " WHERE source_id = ? AND " + condition)) {
            st.setString(1, sourceId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to count " + entity + " rows (" + condition + ") in the main DB", e);
        }
    }

    /** Cheap pre-check for waiting: live row counts per entity equal the source's counts. */
    boolean countsMatch() {
        try (Connection db = DriverManager.getConnection(mainDbUrl)) {
            for (ForumEntity entity : ForumEntity.ALL) {
                try (PreparedStatement st = db.prepareStatement("SELECT count(*) FROM " + entity.name()
                        + " WHERE source_id = ? AND deleted = 0 AND source_version > 0")) {
                    st.setString(1, sourceId);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) != source.count(entity.name())) {
                            return false;
                        }
                    }
                }
            }
            return true;
        } catch (SQLException e) {
            // the writer may not have created its schema yet
            return false;
        }
    }

    SyncDifferences compare(ForumEntity entity) {
        return compare(entity, Set.of());
    }

    SyncDifferences compare(ForumEntity entity, Set<String> ignoredExtras) {
        Map<String, Map<String, Object>> rows = mainDbRows(entity);
        rows.keySet().removeAll(ignoredExtras);
        SyncDifferences.Builder diff = new SyncDifferences.Builder(entity.name());
        source.forEach(entity.name(), record -> {
            String id = (String) record.get("id");
            diff.compared();
            Map<String, Object> row = rows.remove(id);
            if (row == null) {
                diff.missing(id);
                return;
            }
            for (String field : fieldsOf(entity)) {
                Object expected = record.get(field);
                Object actual = row.get(field);
                if (!Objects.equals(expected == null ? null : expected.toString(), actual)) {
                    diff.different(id, field, expected, actual);
                }
            }
        });
        rows.keySet().forEach(diff::extra);
        return diff.build();
    }

    private static List<String> fieldsOf(ForumEntity entity) {
        List<String> fields = new ArrayList<>(entity.plainFields());
        fields.addAll(entity.references().keySet());
        return fields;
    }

    private Map<String, Map<String, Object>> mainDbRows(ForumEntity entity) {
        String t = entity.name();
        StringBuilder sql = new StringBuilder("SELECT t.external_id");
        entity.plainFields().forEach(f -> sql.append(", t.").append(f));
        StringBuilder joins = new StringBuilder();
        int alias = 0;
        for (Map.Entry<String, String> ref : entity.references().entrySet()) {
            String a = "r" + alias++;
            sql.append(", ").append(a).append(".external_id AS ").append(ref.getKey());
            joins.append(" LEFT JOIN ").append(ref.getValue()).append(' ').append(a)
                    .append(" ON t.").append(ref.getKey()).append(" = ").append(a).append(".id");
        }
        sql.append(" FROM ").append(t).append(" t").append(joins)
                .append(" WHERE t.source_id = ? AND t.deleted = 0 AND t.source_version > 0");
        Map<String, Map<String, Object>> rows = new HashMap<>();
        List<String> fields = fieldsOf(entity);
        try (Connection db = DriverManager.getConnection(mainDbUrl);
             PreparedStatement st = db.prepareStatement(sql.toString())) {
            st.setString(1, sourceId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (String field : fields) {
                        row.put(field, rs.getString(field));
                    }
                    rows.put(rs.getString("external_id"), row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read " + t + " from the main DB: " + e.getMessage(), e);
        }
        return rows;
    }

    static String describe(List<SyncDifferences> differences) {
        return differences.stream().map(SyncDifferences::toString).collect(Collectors.joining("\n"));
    }
}
