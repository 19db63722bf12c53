package io.tributary.ingest.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class SignatureSchemesTest {

    private static final String SECRET = "whsec_c2VjcmV0LWtleS1ieXRlcy0wMTIzNDU2Nzg5";
    private final SignatureSchemes schemes = new SignatureSchemes(
            List.of(new StandardWebhooksScheme(), new GithubScheme(), new StripeScheme()));

    @Test
    void unknownSchemesAndMalformedSecretsFailWithoutEchoingTheSecret() {
        assertThatThrownBy(() -> schemes.byName("svix")).hasMessageContaining("'svix'").hasMessageContaining("github");
        assertThatThrownBy(() -> schemes.byName("standard-webhooks").verifier(List.of("whsec_%%%not-base64"),
                Duration.ofMinutes(5))).hasMessageContaining("secrets[0]").hasMessageNotContaining("not-base64");
    }

    @Test
    void aListOfSignaturesPassesIfAnyEntryMatchesAndABodyThatIsNotUtf8NeverDoes() throws Exception {
        Verifier verifier = schemes.byName("standard-webhooks").verifier(List.of(SECRET), Duration.ofMinutes(5));
        Instant now = Instant.now();
        String body = "{\"type\":\"user.updated\"}";
        String good = new Webhook(SECRET).sign("msg_1", now.getEpochSecond(), body);
        HttpHeaders headers = new HttpHeaders();
        headers.set("webhook-id", "msg_1");
        headers.set("webhook-timestamp", Long.toString(now.getEpochSecond()));
        headers.set("webhook-signature", "v1,AAAA " + good + " v2,whatever");

        VerifiedDelivery delivery = verifier.verify(headers, body.getBytes(StandardCharsets.UTF_8), now);
        assertThat(delivery.deliveryId()).isEqualTo("msg_1");
        assertThat(delivery.timestamp()).isEqualTo(Instant.ofEpochSecond(now.getEpochSecond()));

        byte[] latin1 = "{\"name\":\"Zo\u00eb\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> verifier.verify(headers, latin1, now))
                .isInstanceOfSatisfying(SignatureRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(SignatureRejectedException.Reason.SIGNATURE_INVALID))
                .hasMessageContaining("UTF-8");
    }
}
