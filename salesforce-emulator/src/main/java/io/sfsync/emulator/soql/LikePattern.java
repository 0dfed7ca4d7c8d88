package io.sfsync.emulator.soql;

import java.util.regex.Pattern;

/**
 * A LIKE pattern: {@code %} matches any run of characters, {@code _} exactly one, {@code \%} and {@code \_} the
 * characters themselves. Matching is case-insensitive and covers the whole value, as in Salesforce.
 */
final class LikePattern {

    private final Pattern pattern;

    private LikePattern(Pattern pattern) {
        this.pattern = pattern;
    }

    /** Builds the pattern from a string literal's body as written (escapes not yet decoded). */
    static LikePattern of(String literalBody) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < literalBody.length(); i++) {
            char c = literalBody.charAt(i);
            if (c == '\\' && i + 1 < literalBody.length()) {
                // An escaped character is always literal, including \% and \_.
                regex.append(Pattern.quote(SoqlLexer.unescape(literalBody.substring(i, i + 2))));
                i++;
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new LikePattern(Pattern.compile(regex.toString(),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL));
    }

    boolean matches(String value) {
        return value != null && pattern.matcher(value).matches();
    }
}
