package io.tributary.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** How requests to the source (or to an outbound webhook) authenticate; credentials are {@link SecretRef}s. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Auth.None.class, name = "none"),
        @JsonSubTypes.Type(value = Auth.Bearer.class, name = "bearer"),
        @JsonSubTypes.Type(value = Auth.ApiKey.class, name = "api-key"),
        @JsonSubTypes.Type(value = Auth.Basic.class, name = "basic"),
        @JsonSubTypes.Type(value = Auth.OAuth2ClientCredentials.class, name = "oauth2-client-credentials")})
public sealed interface Auth {

    record None() implements Auth {
    }

    /** {@code Authorization: Bearer <token>}. */
    record Bearer(SecretRef token) implements Auth {
    }

    enum Location {
        @JsonProperty("header") HEADER,
        @JsonProperty("query") QUERY
    }

    /** A key sent in a header (e.g. {@code X-API-Key}) or a query parameter (e.g. {@code api_key}). */
    record ApiKey(Location in, String name, SecretRef value) implements Auth {
    }

    /** RFC 7617 basic authentication. */
    record Basic(String username, SecretRef password) implements Auth {
    }

    /**
     * RFC 6749 client credentials: a token is fetched from {@code tokenUrl} and fetched again
     * {@code refreshBefore} its expiry (or after a 401).
     */
    record OAuth2ClientCredentials(String tokenUrl, String clientId, SecretRef clientSecret, List<String> scopes,
            Duration refreshBefore) implements Auth {

        public OAuth2ClientCredentials(String tokenUrl, String clientId, SecretRef clientSecret,
                @Nullable List<String> scopes, @Nullable Duration refreshBefore) {
            this.tokenUrl = tokenUrl;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.scopes = scopes == null ? List.of() : List.copyOf(scopes);
            this.refreshBefore = refreshBefore == null ? Duration.ofSeconds(60) : refreshBefore;
        }
    }
}
