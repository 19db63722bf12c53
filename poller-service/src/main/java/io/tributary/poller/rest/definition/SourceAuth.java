package io.tributary.poller.rest.definition;

import io.tributary.definition.Auth;
import io.tributary.definition.SecretRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * A definition's {@link Auth} as a WebClient filter. Credentials are resolved once, when the source is
 * built (a missing {@code ${env:...}} fails the start, naming the reference), and live only inside the
 * filter: no {@code toString}, message or log line of this package contains one. An API key sent in the
 * query is added by the filter, after every URL this package logs or puts in an error was built.
 */
final class SourceAuth {

    private SourceAuth() {
    }

    /** The filter for {@code auth}, any reference resolved from {@code environment} or the disk (an operator's source). */
    static ExchangeFilterFunction filter(Auth auth, UnaryOperator<@Nullable String> environment, WebClient tokens,
            java.time.InstantSource clock) {
        return filterResolving(auth, ref -> ref.resolve(environment), tokens, clock);
    }

    /**
     * The filter for {@code auth}; {@code secrets} resolves each reference (an organization's source: only within its
     * {@link io.tributary.definition.SecretScope}); {@code tokens} is the client the OAuth2 token endpoint is called with.
     */
    static ExchangeFilterFunction filterResolving(Auth auth, Function<SecretRef, String> secrets, WebClient tokens,
            java.time.InstantSource clock) {
        if (auth instanceof Auth.None) {
            return (request, next) -> next.exchange(request);
        }
        if (auth instanceof Auth.Bearer bearer) {
            String header = "Bearer " + secrets.apply(bearer.token());
            return (request, next) -> next.exchange(withHeader(request, HttpHeaders.AUTHORIZATION, header));
        }
        if (auth instanceof Auth.Basic basic) {
            String header = basicHeader(basic.username(), secrets.apply(basic.password()));
            return (request, next) -> next.exchange(withHeader(request, HttpHeaders.AUTHORIZATION, header));
        }
        if (auth instanceof Auth.ApiKey key) {
            String value = secrets.apply(key.value());
            if (key.in() == Auth.Location.HEADER) {
                return (request, next) -> next.exchange(withHeader(request, key.name(), value));
            }
            String encodedName = UriUtils.encodeQueryParam(key.name(), StandardCharsets.UTF_8);
            String encodedValue = UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8);
            return (request, next) -> next.exchange(ClientRequest.from(request)
                    .url(UriComponentsBuilder.fromUri(request.url()).queryParam(encodedName, encodedValue).build(true).toUri())
                    .build());
        }
        if (auth instanceof Auth.OAuth2ClientCredentials oauth) {
            OAuth2Tokens cache = new OAuth2Tokens(oauth, secrets.apply(oauth.clientSecret()), tokens, clock);
            return cache.filter();
        }
        throw new IllegalArgumentException("Unsupported auth type " + auth.getClass().getSimpleName());
    }

    static String basicHeader(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static ClientRequest withHeader(ClientRequest request, String name, String value) {
        return ClientRequest.from(request).headers(headers -> headers.set(name, value)).build();
    }
}
