package io.tributary.e2e;

import java.util.ArrayList;
import java.util.List;

/** The outcome of comparing one entity between the source and the main DB, with a few samples of each kind. */
record SyncDifferences(String entity, long compared, long missing, long extra, long different, List<String> samples) {

    static final int MAX_SAMPLES = 10;

    boolean none() {
        return missing == 0 && extra == 0 && different == 0;
    }

    @Override
    public String toString() {
        return entity + ": compared " + compared + ", missing " + missing + ", extra " + extra + ", different "
                + different + (samples.isEmpty() ? "" : " e.g. " + samples);
    }

    static final class Builder {
        private final String entity;
        private long compared;
        private long missing;
        private long extra;
        private long different;
        private final List<String> samples = new ArrayList<>();

        Builder(String entity) {
            this.entity = entity;
        }

        void compared() {
            compared++;
        }

        void missing(String id) {
            missing++;
            sample("missing " + id);
        }

        void extra(String id) {
            extra++;
            sample("extra " + id);
        }

        void different(String id, String field, Object expected, Object actual) {
            different++;
            sample(id + "." + field + ": source=" + abbreviate(expected) + " db=" + abbreviate(actual));
        }

        private void sample(String text) {
            if (samples.size() < MAX_SAMPLES) {
                samples.add(text);
            }
        }

        private static String abbreviate(Object value) {
            String text = String.valueOf(value);
            return text.length() > 60 ? text.substring(0, 60) + "…" : text;
        }

        SyncDifferences build() {
            return new SyncDifferences(entity, compared, missing, extra, different, List.copyOf(samples));
        }
    }
}
