package io.tributary.poller.rest.definition;

import io.tributary.definition.Auth;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * RFC 6749 section 4.4 client credentials: a token is fetched from {@code tokenUrl} (client authenticated with
 * HTTP Basic, section 2.3.1), shared by every request of the source, and fetched again {@code refreshBefore}
 * its {@code expires_in} runs out (half-way when the token lives shorter than that), or at once after the
 * API answers 401 to it — then the request is sent once more with the new token. One fetch at a time: the
 * requests that need a token meanwhile wait for the same one. Thread-safe.
 */
final class OAuth2Tokens {

    private static final Logger LOG = LoggerFactory.getLogger(OAuth2Tokens.class);

    /** A token and when it should be replaced; its value never leaves this class but in a header. */
    private static final class Token {
        private final String value;
        private final @Nullable Instant refreshAt;

        Token(String value, @Nullable Instant refreshAt) {
            this.value = value;
            this.refreshAt = refreshAt;
        }

        @Override
        public String toString() {
            return "Token[refreshAt=" + refreshAt + "]";
        }
    }

    private final Auth.OAuth2ClientCredentials auth;
    private final String basic;
    private final WebClient client;
    private final InstantSource clock;
    private @Nullable Token current;
    private @Nullable Mono<Token> inflight;

    OAuth2Tokens(Auth.OAuth2ClientCredentials auth, String clientSecret, WebClient client, InstantSource clock) {
        this.auth = auth;
        this.basic = SourceAuth.basicHeader(auth.clientId(), clientSecret);
        this.client = client;
        this.clock = clock;
    }

    ExchangeFilterFunction filter() {
        return (request, next) -> token().flatMap(token -> next.exchange(bearer(request, token))
                .flatMap(response -> {
                    if (response.statusCode().value() != HttpStatus.UNAUTHORIZED.value()) {
                        return Mono.just(response);
                    }
                    LOG.info("{} refused the OAuth2 token of {} (401): fetching a new one", request.url().getHost(),
                            auth.clientId());
                    return response.releaseBody()
                            .then(Mono.defer(() -> refreshAfterRefusal(token)))
                            .flatMap(fresh -> next.exchange(bearer(request, fresh)));
                }));
    }

    private static ClientRequest bearer(ClientRequest request, Token token) {
        return ClientRequest.from(request).headers(headers -> headers.setBearerAuth(token.value)).build();
    }

    /** The cached token while it is fresh, else the one being fetched, else a new fetch. */
    synchronized Mono<Token> token() {
        Token token = current;
        if (token != null && (token.refreshAt == null || clock.instant().isBefore(token.refreshAt))) {
            return Mono.just(token);
        }
        return fetch();
    }

    /** After a 401 with {@code refused}: a new token, unless another request already replaced it. */
    private synchronized Mono<Token> refreshAfterRefusal(Token refused) {
        if (current != null && current != refused) {
            return Mono.just(current);
        }
        current = null;
        return fetch();
    }

    private synchronized Mono<Token> fetch() {
        if (inflight == null) {
            Instant asked = clock.instant();
            StringBuilder form = new StringBuilder("grant_type=client_credentials");
            if (!auth.scopes().isEmpty()) {
                form.append("&scope=").append(java.net.URLEncoder.encode(String.join(" ", auth.scopes()),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            inflight = client.post().uri(auth.tokenUrl())
                    .header(HttpHeaders.AUTHORIZATION, basic)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .accept(MediaType.APPLICATION_JSON)
                    .body(BodyInserters.fromValue(form.toString()))
                    .exchangeToMono(response -> read(response, asked))
                    .doOnNext(this::fetched)
                    .doFinally(signal -> cleared())
                    .cache();
        }
        return inflight;
    }

    private synchronized void fetched(Token token) {
        current = token;
    }

    private synchronized void cleared() {
        inflight = null;
    }

    private Mono<Token> read(ClientResponse response, Instant asked) {
        int status = response.statusCode().value();
        if (!response.statusCode().is2xxSuccessful()) {
            // the token endpoint's body may echo what it was sent: not quoted
            return response.releaseBody().then(Mono.error(new TransientHttpException(
                    "The OAuth2 token endpoint " + auth.tokenUrl() + " answered " + status + " for client " + auth.clientId(),
                    status, Duration.ZERO, status >= 500 || status == 429)));
        }
        return response.bodyToMono(JsonNode.class).map(body -> {
            JsonNode value = body.get("access_token");
            if (value == null || !value.isString() || value.asString().isEmpty()) {
                throw new IllegalStateException("The OAuth2 token endpoint " + auth.tokenUrl() + " answered without an access_token");
            }
            JsonNode expiresIn = body.get("expires_in");
            Instant refreshAt = null;
            if (expiresIn != null && expiresIn.canConvertToLong()) {
                Duration lifetime = Duration.ofSeconds(expiresIn.asLong());
                Duration early = auth.refreshBefore().compareTo(lifetime) < 0 ? auth.refreshBefore() : lifetime.dividedBy(2);
                refreshAt = asked.plus(lifetime).minus(early);
            }
            LOG.debug("Fetched an OAuth2 token for {} from {}, refreshed at {}", auth.clientId(), auth.tokenUrl(), refreshAt);
            return new Token(value.asString(), refreshAt);
        });
    }
}
