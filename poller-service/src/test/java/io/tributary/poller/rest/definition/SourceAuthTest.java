package io.tributary.poller.rest.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.definition.Auth;
import io.tributary.definition.SecretRef;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Each auth type against a fake API that checks the credential (401 otherwise); OAuth2 client credentials
 * against a fake token endpoint issuing short-lived tokens: cached, refreshed before expiry, fetched again
 * once after a 401. No credential appears in an error message.
 */
class SourceAuthTest {

    private static final SourcePartition ALBUMS = new SourcePartition("albums-api", "albums");
    private static final String SECRET = "s3cr3t-value";

    @TempDir
    Path dir;
    private final TestSources sources = new TestSources();

    @AfterEach
    void close() {
        sources.close();
    }

    static Stream<Arguments> auths() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("reader:" + SECRET).getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("bearer", "{type: bearer, token: \"${file:%s}\"}",
                        (Predicate<FakeApi.Request>) r -> ("Bearer " + SECRET).equals(r.header("Authorization"))),
                Arguments.of("api-key header", "{type: api-key, in: header, name: X-Api-Key, value: \"${file:%s}\"}",
                        (Predicate<FakeApi.Request>) r -> SECRET.equals(r.header("X-Api-Key"))),
                Arguments.of("api-key query", "{type: api-key, in: query, name: api_key, value: \"${file:%s}\"}",
                        (Predicate<FakeApi.Request>) r -> SECRET.equals(r.query().get("api_key"))),
                Arguments.of("basic", "{type: basic, username: reader, password: \"${file:%s}\"}",
                        (Predicate<FakeApi.Request>) r -> basic.equals(r.header("Authorization"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("auths")
    void eachRequestCarriesTheCredential(String name, String auth, Predicate<FakeApi.Request> authorized) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        Albums albums = new Albums(25, 11);
        try (FakeApi api = new FakeApi()) {
            api.route("/albums", request -> authorized.test(request) ? albums.pageNumber().apply(request)
                    : FakeApi.Response.status(401));
            SourceTask task = task(api, auth.formatted(secret));
            task.start(ALBUMS, Optional.empty());
            List<SourceBatch> pass = TestSources.pass(task);
            assertThat(pass.stream().mapToInt(batch -> batch.events().size()).sum()).isEqualTo(25);
            assertThat(api.requests("/albums")).hasSize(3).allMatch(authorized);

            // a refusal is reported without the credential (the query key is added after the URL is logged)
            api.route("/albums", request -> FakeApi.Response.status(403));
            assertThatThrownBy(() -> TestSources.pass(task))
                    .hasMessageContaining("answered 403").hasMessageNotContaining(SECRET)
                    .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain(SECRET));
        }
    }

    /**
     * A credential in the endpoint's query is a reference, resolved when the source is built and added to the URL only
     * as each listing request is sent: an error names the URL without it, and a next-page link that echoes it (as many
     * APIs' do) is not followed with it twice nor logged with it. Decision 0031.
     */
    @Test
    void aQueryCredentialIsSentWithEachListingRequestAndNeverNamedInAMessage() throws Exception {
        Path secret = Files.writeString(dir.resolve("query-key"), SECRET + "\n");
        Albums albums = new Albums(25, 11);
        try (FakeApi api = new FakeApi()) {
            java.util.function.Function<FakeApi.Request, FakeApi.Response> pages = albums.linkHeader(api.url());
            api.route("/albums", request -> {
                String raw = request.uri().getRawQuery();
                boolean once = raw.split("api_key=", -1).length == 2;
                if (!once || !SECRET.equals(request.query().get("api_key")) || !"active".equals(request.query().get("status"))) {
                    return FakeApi.Response.status(401);
                }
                FakeApi.Response page = pages.apply(request);
                // the server's next link echoes every parameter it was given, the key included
                java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(page.headers());
                headers.computeIfPresent("Link", (name, link) -> link.replace("&_limit=", "&api_key=" + SECRET + "&status=active&_limit="));
                return new FakeApi.Response(page.status(), headers, page.body());
            });
            String yaml = TestSources.albums(api.url(), "{type: none}", "{type: link-header, sizeParam: _limit, size: 10}",
                    "{path: $}").replace("endpoint: {path: /albums}",
                    "endpoint: {path: /albums, query: {status: active, api_key: \"${file:" + secret + "}\"}}");
            SourceTask task = sources.kind.createTask(ALBUMS, TestSources.properties(TestSources.write(dir, "query.yaml", yaml)));
            task.start(ALBUMS, Optional.empty());
            List<SourceBatch> pass = TestSources.pass(task);
            assertThat(pass.stream().mapToInt(batch -> batch.events().size()).sum()).isEqualTo(25);
            assertThat(api.requests("/albums")).hasSize(3);

            api.route("/albums", request -> FakeApi.Response.status(403));
            assertThatThrownBy(() -> TestSources.pass(task))
                    .hasMessageContaining("answered 403").hasMessageContaining("status=active").hasMessageNotContaining(SECRET)
                    .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain(SECRET));
        }
    }

    @Test
    void aMissingCredentialFailsTheStartNamingTheReferenceOnly() throws Exception {
        try (FakeApi api = new FakeApi()) {
            assertThatThrownBy(() -> task(api, "{type: bearer, token: \"${env:TRIBUTARY_SURELY_UNSET_TOKEN}\"}"))
                    .hasMessageContaining("${env:TRIBUTARY_SURELY_UNSET_TOKEN}").hasMessageContaining("not set");
        }
    }

    @Test
    void oauth2TokensAreCachedRefreshedBeforeExpiryAndFetchedAgainOnceAfterA401() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        AtomicReference<String> valid = new AtomicReference<>();
        String clientAuth = "Basic " + Base64.getEncoder().encodeToString(("tributary:" + SECRET).getBytes(StandardCharsets.UTF_8));
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T08:00:00Z"));
        InstantSource clock = now::get;
        try (FakeApi api = new FakeApi()) {
            api.route("/oauth/token", request -> {
                if (!clientAuth.equals(request.header("Authorization"))
                        || !request.body().contains("grant_type=client_credentials")
                        || !request.body().contains("scope=albums.read")) {
                    return FakeApi.Response.status(401);
                }
                String token = "token-" + issued.incrementAndGet();
                valid.set(token);
                return FakeApi.Response.json(Map.of("access_token", token, "token_type", "Bearer", "expires_in", 120));
            });
            api.route("/albums", request -> ("Bearer " + valid.get()).equals(request.header("Authorization"))
                    ? FakeApi.Response.json(List.of()) : FakeApi.Response.status(401));
            Auth.OAuth2ClientCredentials auth = new Auth.OAuth2ClientCredentials(api.url() + "/oauth/token", "tributary",
                    new SecretRef("${env:ALBUMS_CLIENT_SECRET}"), List.of("albums.read"), Duration.ofSeconds(30));
            WebClient plain = WebClient.builder().clientConnector(new ReactorClientHttpConnector(sources.resources, h -> h)).build();
            WebClient client = plain.mutate()
                    .filter(SourceAuth.filter(auth, name -> name.equals("ALBUMS_CLIENT_SECRET") ? SECRET : null, plain, clock))
                    .build();

            assertThat(get(client, api)).isEqualTo(200);
            assertThat(get(client, api)).isEqualTo(200);
            assertThat(issued).as("cached").hasValue(1);

            now.set(now.get().plusSeconds(89));      // 120 s token, refreshed 30 s before: not yet
            assertThat(get(client, api)).isEqualTo(200);
            assertThat(issued).hasValue(1);
            now.set(now.get().plusSeconds(2));       // past 90 s: refreshed before it expires
            assertThat(get(client, api)).isEqualTo(200);
            assertThat(issued).as("refreshed before expiry").hasValue(2);

            valid.set("revoked");                    // the server revokes it: one 401, one new token, one retry
            int before = api.requests("/albums").size();
            assertThat(get(client, api)).isEqualTo(200);
            assertThat(issued).hasValue(3);
            assertThat(api.requests("/albums").size() - before).isEqualTo(2);

            api.route("/albums", request -> FakeApi.Response.status(401)); // always refused: no loop
            before = api.requests("/albums").size();
            assertThat(get(client, api)).isEqualTo(401);
            assertThat(api.requests("/albums").size() - before).isEqualTo(2);
            assertThat(issued).hasValue(4);
        }
    }

    private static int get(WebClient client, FakeApi api) {
        return client.get().uri(api.url() + "/albums").exchangeToMono(response ->
                response.releaseBody().thenReturn(response.statusCode().value())).block(Duration.ofSeconds(10));
    }

    private SourceTask task(FakeApi api, String auth) {
        RestSourceProperties properties = TestSources.properties(TestSources.write(dir, "albums.yaml",
                TestSources.albums(api.url(), auth, "{type: page-number, size: 10}", "{path: data, hasMore: meta.has_more}")));
        return sources.kind.createTask(ALBUMS, properties);
    }
}
