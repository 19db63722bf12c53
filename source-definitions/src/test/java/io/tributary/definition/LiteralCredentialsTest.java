package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which query parameter names carry a credential: whole names, words within a name, and parts anywhere in it. */
class LiteralCredentialsTest {

    @ParameterizedTest
    @ValueSource(strings = {"apikey", "api_key", "apiKey", "x-api-key", "X-Api-Key", "app_key", "key", "consumer_key",
            "private_key", "token", "access_token", "accessToken", "id_token", "user_token", "client_secret",
            "secret_key", "password", "passwd", "pwd", "pass", "passphrase", "signature", "sig", "oauth_signature", "jwt",
            "sessionid", "session_id", "sid", "auth", "authorization", "credentials"})
    void namedLikeACredential(String name) {
        assertThat(LiteralCredentials.credentialName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sort_key", "group_key", "keyword", "monkey", "page", "per_page", "limit", "offset",
            "cursor", "status", "q", "sort", "fields", "updated_since", "session", "author_id", "passage", "signal"})
    void anOrdinaryParameter(String name) {
        assertThat(LiteralCredentials.credentialName(name)).isFalse();
    }
}
