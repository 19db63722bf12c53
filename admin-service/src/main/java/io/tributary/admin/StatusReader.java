package io.tributary.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads another service's JSON status ({@code GET}) within a bound: its body, or why it could not be read (no answer
 * in time, a connection failure, a status other than 200, not JSON) — never the body of a failed answer.
 */
final class StatusReader {

    private final HttpClient http;
    private final Duration timeout;
    private final JsonMapper json = JsonMapper.builder().build();

    StatusReader(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Why a status could not be read, e.g. {@code no answer within PT5S}. */
    static final class Unreadable extends Exception {
        Unreadable(String why) {
            super(why, null, false, false);
        }
    }

    JsonNode read(URI uri) throws Unreadable {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new Unreadable("no answer within " + timeout);
        } catch (IOException e) {
            throw new Unreadable(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreadable("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new Unreadable("it answered " + response.statusCode());
        }
        try {
            return json.readTree(response.body());
        } catch (JacksonException e) {
            throw new Unreadable("its answer is not JSON");
        }
    }
}
