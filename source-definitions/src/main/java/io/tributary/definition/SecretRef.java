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

    /** Whether {@code text} is a reference ({@code ${env:NAME}} or {@code ${file:/path}}) rather than a literal. */
    public static boolean isReference(String text) {
        return FORM.matcher(text).matches();
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
     * The credential, whatever the reference names (a definition the operator configured; one of an organization is
     * resolved through its {@link SecretScope}): {@code env} looks the name up in {@code environment}, {@code file}
     * reads the file. Throws {@link IllegalStateException} naming the reference (never a value) when it cannot be resolved.
     */
    public String resolve(UnaryOperator<@Nullable String> environment) {
        return SecretScope.unrestricted().resolve(this, environment);
    }

    @Override
    public String toString() {
        return reference;
    }
}
