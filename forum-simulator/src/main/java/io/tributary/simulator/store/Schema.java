package io.tributary.simulator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The simulator's tables. Indexes are separate so that a bulk seed can load first and index once
 * (sorting once is much faster than inserting random ids into a B-tree row by row).
 */
final class Schema {

    private Schema() {
    }

    static void createTables(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS users (id TEXT NOT NULL, name TEXT NOT NULL,"
                    + " email TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS sections (id TEXT NOT NULL, title TEXT NOT NULL,"
                    + " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS topics (id TEXT NOT NULL, section_id TEXT NOT NULL,"
                    + " user_id TEXT NOT NULL, title TEXT NOT NULL,"
                    + " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)");
            // depth is internal (0 = top-level); it is not part of the contract and never rendered
            st.execute("CREATE TABLE IF NOT EXISTS messages (id TEXT NOT NULL, topic_id TEXT NOT NULL,"
                    + " user_id TEXT NOT NULL, parent_id TEXT, body TEXT NOT NULL,"
                    + " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, depth INTEGER NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS simulator_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        }
    }

    static void createIndexes(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (ForumCollection c : ForumCollection.values()) {
                String t = c.path();
                st.execute("CREATE UNIQUE INDEX IF NOT EXISTS ux_" + t + "_id ON " + t + " (id)");
                st.execute("CREATE INDEX IF NOT EXISTS ix_" + t + "_updated ON " + t + " (updated_at, id)");
            }
        }
    }

    static void dropAll(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (ForumCollection c : ForumCollection.values()) {
                st.execute("DROP TABLE IF EXISTS " + c.path());
            }
            st.execute("DROP TABLE IF EXISTS simulator_meta");
        }
    }
}
