package io.tributary.simulator.music;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One item as the music API renders it. */
record MusicItem(String id, @Nullable String name, @Nullable String artist, @Nullable String album, Instant updatedAt) {

    Map<String, @Nullable Object> json() {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        json.put("artist", artist);
        json.put("album", album);
        json.put("updatedAt", updatedAt.toString());
        return json;
    }
}
