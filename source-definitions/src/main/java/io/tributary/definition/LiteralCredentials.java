package io.tributary.definition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Credentials written where a definition would keep them in clear: user:password in a URL, and literal values of
 * query parameters named like credentials. A definition is stored, returned by the admin API and logged as it is,
 * so a credential belongs in {@code auth} (or, for a query parameter, in a reference), as a {@code ${env:NAME}} or
 * {@code ${file:/path}} reference. Read on the parsed tree, so it is reported whatever else is wrong with the
 * definition; a message never quotes the value.
 */
final class LiteralCredentials {

    /**
     * Whole names (lower-case, separators dropped) that are credentials. Not {@code key} within a name:
     * {@code sort_key}, {@code group_key} are ordinary parameters; the key-like credentials are named whole.
     */
    private static final Set<String> NAMES = Set.of("key", "appkey", "clientkey", "accesskey", "privatekey",
            "sessionkey", "consumerkey", "licensekey", "subscriptionkey", "userkey", "pwd", "pass", "passphrase",
            "authorization", "sessionid", "sid");
    /**
     * Words that make any name a credential ({@code oauth_signature}, {@code user_sig}); a whole name too when written
     * across separators ({@code pass_wd}).
     */
    private static final Set<String> WORDS = Set.of("passwd", "signature", "sig", "auth", "oauth", "credential",
            "credentials", "jwt");
    /**
     * Parts that make any name a credential wherever they stand: {@code x-api-key}, {@code accessToken},
     * {@code app_secret}.
     */
    private static final List<String> PARTS = List.of("apikey", "token", "secret", "password");

    private final List<DefinitionProblem> problems = new ArrayList<>();

    private LiteralCredentials() {
    }

    static List<DefinitionProblem> check(JsonNode tree) {
        LiteralCredentials check = new LiteralCredentials();
        check.url(tree.path("baseUrl"), "$.baseUrl");
        check.url(tree.path("auth").path("tokenUrl"), "$.auth.tokenUrl");
        JsonNode outbound = tree.path("webhooks").path("outbound");
        for (int j = 0; j < outbound.size(); j++) {
            check.url(outbound.path(j).path("url"), "$.webhooks.outbound[" + j + "].url");
            check.url(outbound.path(j).path("auth").path("tokenUrl"), "$.webhooks.outbound[" + j + "].auth.tokenUrl");
        }
        JsonNode entities = tree.path("entities");
        for (int i = 0; i < entities.size(); i++) {
            JsonNode query = entities.path(i).path("endpoint").path("query");
            String path = "$.entities[" + i + "].endpoint.query";
            if (query.isObject()) {
                query.properties().forEach(entry -> check.query(entry.getKey(), entry.getValue(),
                        JsonPath.property(path, entry.getKey())));
            }
        }
        return check.problems;
    }

    /**
     * Whether a query parameter of this name carries a credential: {@code api_key}, {@code accessToken}, {@code sig}...
     * Each name is in one list only ({@link #NAMES}, {@link #WORDS}, {@link #PARTS}), the one that catches all its forms.
     */
    static boolean credentialName(String name) {
        String[] words = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
        String joined = String.join("", words);
        return NAMES.contains(joined) || WORDS.contains(joined) || Arrays.stream(words).anyMatch(WORDS::contains)
                || PARTS.stream().anyMatch(joined::contains);
    }

    /** The authority of a URL (between {@code //} and the path) holds an {@code @}: user info. */
    static boolean hasUserInfo(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return false;
        }
        int end = start + 3;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(start + 3, end).contains("@");
    }

    private void url(JsonNode node, String path) {
        if (node.isString() && hasUserInfo(node.asString())) {
            problems.add(new DefinitionProblem(path, "the URL carries credentials (user info before '@'): a definition is "
                    + "stored, returned by the admin API and logged as written. Remove them from the URL and authenticate "
                    + "with auth (e.g. {type: basic, username: <user>, password: \"${env:NAME}\"}), whose secret is a "
                    + "${env:NAME} or ${file:/path} reference"));
        }
    }

    private void query(String name, JsonNode value, String path) {
        if (!value.isString()) {
            return; // the schema says what it should be
        }
        String text = value.asString();
        if (SecretRef.isReference(text)) {
            return;
        }
        if (text.startsWith("${")) {
            problems.add(new DefinitionProblem(path, "is not a well-formed reference: write ${env:NAME} or ${file:/path} "
                    + "(letters, digits and _ . / - in the name)"));
        } else if (credentialName(name)) {
            problems.add(new DefinitionProblem(path, "'" + name + "' is named like a credential and its value is written "
                    + "in clear: a definition is stored, returned by the admin API and logged as written. Give a "
                    + "${env:NAME} or ${file:/path} reference (resolved when the request is sent, within the "
                    + "organization's secrets), or send the key with auth {type: api-key, in: query, name: " + name
                    + ", value: \"${env:NAME}\"}"));
        }
    }
}
