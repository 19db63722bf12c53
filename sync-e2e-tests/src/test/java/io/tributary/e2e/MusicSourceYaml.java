package io.tributary.e2e;

/**
 * The music-items source definition the live-source tests store through the admin API: organization
 * {@code acme-records}, one entity {@code music_items} ({@code id}, {@code name}, {@code updatedAt}) of a fake API, landing in the table
 * {@code music_items} (its target: the writer creates the table from it);
 * each test sets the id, the interval, the endpoint and, if it needs them, more top-level keys (webhooks).
 */
final class MusicSourceYaml {

    private MusicSourceYaml() {
    }

    /** {@code endpoint}: the YAML flow map, e.g. {@code {path: /music, itemPath: "/items/{id}"}}. */
    static String of(String id, int port, String interval, String endpoint, String extra) {
        return """
                organization: acme-records
                id: %s
                kind: rest
                baseUrl: http://127.0.0.1:%d
                schedule: {interval: %s}
                %s
                entities:
                  - name: music_items
                    endpoint: %s
                    pagination: {type: none}
                    records: {path: $}
                    mapping:
                      key: externalId
                      version: {source: updatedAt, format: iso-instant}
                      fields:
                        externalId: {type: string, source: id, required: true}
                        name: {type: string, source: name, required: true}
                    target:
                      table: music_items
                      columns:
                        - {name: name, type: text, required: true}
                """.formatted(id, port, interval, extra.strip(), endpoint);
    }
}
