package io.tributary.simulator.content;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Text for generated records, drawn from small pools that deliberately mix scripts and awkward
 * characters: emoji (including surrogate pairs and ZWJ sequences), right-to-left scripts, quotes,
 * backslashes, tabs and newlines. Deterministic for a given random sequence.
 */
final class ForumText {

    /** Longest body, in UTF-8 bytes (the contract's 64 KiB). */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String[] FIRST = {
        "Ada", "Grace", "Linus", "José", "Zoë", "Björn", "Søren", "Ömer", "Chloé", "Mateus",
        "محمد", "فاطمة", "דוד", "שרה", "李雷", "韩梅梅", "さくら", "Дмитрий", "Ἀλέξανδρος", "Nguyễn",
        "O'Brien", "\"Big\" Tony", "Anne-Marie", "🦊 Fox", "Renée", "Ñuño", "Łukasz", "Πέτρος",
    };
    private static final String[] LAST = {
        "Lovelace", "Hopper", "Torvalds", "García", "Müller", "Østergaard", "Yılmaz", "Dubois",
        "العلي", "כהן", "王", "山田", "Иванов", "Smith-Jones", "D'Angelo", "van der Berg", "✨", "Ó Súilleabháin",
    };
    private static final String[] MAIL_NAMES = {
        "ada", "grace", "linus", "jose", "zoe", "bjorn", "omer", "chloe", "mo", "sara", "lei", "dima",
        "anne.marie", "fox+forum", "o_brien", "renee",
    };
    private static final String[] DOMAINS = {"example.com", "example.org", "forum.test", "mail.example.net"};
    private static final String[] WORDS = {
        "crypto", "mortgage", "BTC", "garden", "tomatoes", "Java", "Kafka", "sync", "bug", "release",
        "café", "naïve", "smörgåsbord", "façade", "straße", "日本語", "中文", "한국어", "עברית", "العربية",
        "русский", "ελληνικά", "हिन्दी", "🚀", "😱", "👩‍💻", "🏳️‍🌈", "🇫🇷", "𝄞", "“quoted”", "'single'",
        "\"double\"", "back\\slash", "tab\there", "<b>not html</b>", "&amp;", "50%", "C++", "e=mc²", "∑∞",
        "'; DROP TABLE users; --", "null", "{\"json\":true}", "—", "…",
    };
    private static final String[] SENTENCE_ENDS = {".", "!", "?", "!!", "...", " 🤔", " :scream:", "؟"};

    private ForumText() {
    }

    static String name(SplittableRandom rnd) {
        return pick(rnd, FIRST) + " " + pick(rnd, LAST);
    }

    static String email(SplittableRandom rnd, long n) {
        return pick(rnd, MAIL_NAMES) + n + "@" + pick(rnd, DOMAINS);
    }

    static String title(SplittableRandom rnd) {
        int words = 2 + rnd.nextInt(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(pick(rnd, WORDS));
        }
        if (rnd.nextInt(5) == 0) {
            sb.append(pick(rnd, SENTENCE_ENDS));
        }
        return capitalize(sb.toString());
    }

    static String body(SplittableRandom rnd) {
        int sentences = 1 + rnd.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            if (i > 0) {
                sb.append(rnd.nextInt(4) == 0 ? "\n\n" : rnd.nextInt(6) == 0 ? "\r\n" : " ");
            }
            sentence(rnd, sb);
        }
        return sb.toString();
    }

    /** A long body of exactly {@code maxBytes} UTF-8 bytes (capped at {@link #MAX_BODY_BYTES}). */
    static String longBody(SplittableRandom rnd, int maxBytes) {
        int target = Math.min(maxBytes, MAX_BODY_BYTES);
        StringBuilder sb = new StringBuilder(target);
        int bytes = 0;
        while (true) {
            StringBuilder next = new StringBuilder();
            next.append(sb.isEmpty() ? "" : rnd.nextInt(3) == 0 ? "\n" : " ");
            sentence(rnd, next);
            int nextBytes = next.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes + nextBytes > target) {
                break;
            }
            sb.append(next);
            bytes += nextBytes;
        }
        // pad with single-byte characters to land close to the target
        while (bytes < target) {
            sb.append('.');
            bytes++;
        }
        return sb.toString();
    }

    private static void sentence(SplittableRandom rnd, StringBuilder sb) {
        int words = 3 + rnd.nextInt(12);
        int start = sb.length();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(pick(rnd, WORDS));
        }
        sb.append(pick(rnd, SENTENCE_ENDS));
        String first = sb.substring(start, start + 1);
        sb.replace(start, start + 1, first.toUpperCase(Locale.ROOT));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String pick(SplittableRandom rnd, String[] pool) {
        return pool[rnd.nextInt(pool.length)];
    }
}
