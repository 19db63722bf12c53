package io.tributary.poller.outbound;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * PostgreSQL: which two-way tables the capture can put in its publication now. A table is ready once the writer
 * has created it and set {@code REPLICA IDENTITY FULL} (the echo rule needs the whole row before an update or a
 * delete, decision 0024): that is the writer's sign that the table is two-way on its side too. A table that is
 * not ready is left out and looked at again, rather than taken in and its updates refused.
 */
final class PublicationTables {

    private final CaptureProperties properties;

    PublicationTables(CaptureProperties properties) {
        this.properties = properties;
    }

    /** Per table of {@code tables} that is not ready, why (missing, or its replica identity). */
    Map<String, String> notReady(Set<String> tables) throws SQLException {
        Map<String, Character> identity = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(Objects.requireNonNull(properties.url()),
                properties.username(), properties.password());
                PreparedStatement statement = connection.prepareStatement("SELECT c.relname, c.relreplident"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY (?)")) {
            Array names = connection.createArrayOf("text", tables.toArray());
            statement.setArray(1, names);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String replident = rs.getString(2);
                    identity.put(rs.getString(1), replident == null || replident.isEmpty() ? '?' : replident.charAt(0));
                }
            }
        }
        Map<String, String> notReady = new LinkedHashMap<>();
        for (String table : tables) {
            Character replident = identity.get(table);
            if (replident == null) {
                notReady.put(table, "no table public." + table + " yet (the writer creates it)");
            } else if (replident != 'f') {
                notReady.put(table, "table public." + table + " is not REPLICA IDENTITY FULL yet (the writer sets it"
                        + " for two-way entities)");
            }
        }
        return notReady;
    }
}
