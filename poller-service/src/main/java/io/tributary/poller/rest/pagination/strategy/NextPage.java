package io.tributary.poller.rest.pagination.strategy;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The request for one page: either paging parameters to add to the entity's endpoint (beside its static
 * query and the incremental filter), or, for a Link header, the absolute URL the server gave (followed as
 * it is: it already carries every parameter).
 *
 * @param params paging query parameters, in order
 * @param url    the absolute URL to follow instead; null to build one from the endpoint and {@code params}
 * @param number 0 for the first page, then 1, 2, ...
 */
public record NextPage(Map<String, String> params, @Nullable URI url, int number) {

    public NextPage {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    static NextPage of(int number, String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return new NextPage(params, null, number);
    }
}
