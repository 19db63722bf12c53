package io.tributary.definition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A reference to a credential — {@code ${env:NAME}} (an environment variable) or {@code ${file:/path}} (a
 * file's content, trimmed; e.g. a mounted secret) — never the credential itself. The schema refuses a
 * literal credential, so a definition can be stored, logged and returned by an API as it is; the value
 * exists only where it is used, from {@link #resolve}.
 */
public record SecretRef(String reference) {

    static final Pattern FORM = Pattern.compile("\\$\\{(env|file):([A-Za-z0-9_./-]+)}");

    public SecretRef {
        if (!FORM.matcher(reference).matches()) {
            // the text is not echoed: it may be a credential pasted by mistake
            throw new IllegalArgumentException("a credential must be a reference like ${env:NAME} or ${file:/path}");
        }
    }

    @JsonCreator
    static SecretRef of(String reference) {
        return new SecretRef(reference);
    }

    @JsonValue
    public String reference() {
        return reference;
    }

    /** {@code env} or {@code file}. */
    public String scheme() {
        Matcher matcher = FORM.matcher(reference);
        matcher.matches();
        return matcher.group(1);
    }

    /** The variable name or file path. */
    public String name() {
        Matcher matcher = FORM.matcher(reference);
        matcher.matches();
        return matcher.group(2);
    }

    /**
     * The credential: {@code env} looks the name up in {@code environment}, {@code file} reads the file.
     * Throws {@link IllegalStateException} naming the reference (never a value) when it cannot be resolved.
     */
    public String resolve(UnaryOperator<@Nullable String> environment) {
        if (scheme().equals("env")) {
            String value = environment.apply(name());
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("credential " + reference + " is not set");
            }
            return value;
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(name())).strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("credential " + reference + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return reference;
    }
}
