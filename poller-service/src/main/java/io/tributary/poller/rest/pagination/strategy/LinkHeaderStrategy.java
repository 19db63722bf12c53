package io.tributary.poller.rest.pagination.strategy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * RFC 8288 web linking: the next page is the target of the {@code Link} whose {@code rel} includes
 * {@code next}, resolved against the page's URL when relative, and followed as it is. No such link ends
 * the walk. Only the first request carries {@code sizeParam}; later ones use the server's URL unchanged.
 */
record LinkHeaderStrategy(@Nullable String sizeParam, @Nullable Integer size) implements PaginationStrategy {

    @Override
    public NextPage first() {
        return new NextPage(sizeParam == null || size == null ? Map.of() : Map.of(sizeParam, Integer.toString(size)),
                null, 0);
    }

    @Override
    public Optional<NextPage> next(Page page) {
        for (String header : page.response().headerValues("Link")) {
            for (Link link : parse(header)) {
                if (link.rels().contains("next")) {
                    URI target = page.response().requestUrl().resolve(link.target());
                    if (target.equals(page.response().requestUrl())) {
                        throw new IllegalStateException("The source's rel=next link of page " + page.request().number()
                                + " points to the same page: the walk would never end");
                    }
                    return Optional.of(new NextPage(Map.of(), target, page.request().number() + 1));
                }
            }
        }
        return Optional.empty();
    }

    /** One link-value: its target (a URI reference) and its relation types, lower-cased. */
    record Link(String target, List<String> rels) {
    }

    /**
     * Parses a {@code Link} field value: comma-separated {@code <uri-reference>; param=value; ...}, where a
     * quoted value may hold commas and semicolons and {@code rel} may list several space-separated types.
     */
    static List<Link> parse(String value) {
        List<Link> links = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            int open = value.indexOf('<', i);
            if (open < 0) {
                break;
            }
            int close = value.indexOf('>', open);
            if (close < 0) {
                break;
            }
            String target = value.substring(open + 1, close).strip();
            List<String> rels = new ArrayList<>();
            i = close + 1;
            // parameters up to the next comma outside quotes
            while (i < n && value.charAt(i) != ',') {
                if (value.charAt(i) != ';') {
                    i++;
                    continue;
                }
                i++;
                int eq = value.indexOf('=', i);
                int nextSemi = nextDelimiter(value, i);
                if (eq < 0 || eq > nextSemi) {
                    i = nextSemi;
                    continue;
                }
                String name = value.substring(i, eq).strip().toLowerCase(Locale.ROOT);
                int start = eq + 1;
                while (start < n && value.charAt(start) == ' ') {
                    start++;
                }
                String paramValue;
                if (start < n && value.charAt(start) == '"') {
                    int end = value.indexOf('"', start + 1);
                    end = end < 0 ? n : end;
                    paramValue = value.substring(start + 1, end);
                    i = Math.min(n, end + 1);
                } else {
                    int end = nextDelimiter(value, start);
                    paramValue = value.substring(start, end).strip();
                    i = end;
                }
                if (name.equals("rel") && rels.isEmpty()) { // the first rel wins (RFC 8288 section 3.3)
                    for (String rel : paramValue.strip().split("\\s+")) {
                        rels.add(rel.toLowerCase(Locale.ROOT));
                    }
                }
            }
            links.add(new Link(target, List.copyOf(rels)));
            i++;
        }
        return links;
    }

    private static int nextDelimiter(String value, int from) {
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ';' || c == ',') {
                return i;
            }
        }
        return value.length();
    }
}
