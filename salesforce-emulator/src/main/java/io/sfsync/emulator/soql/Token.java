package io.sfsync.emulator.soql;

import java.util.Locale;

/** One token with its place in the query text: {@code start} inclusive, {@code end} exclusive. */
record Token(TokenKind kind, String text, int start, int end) {

    /** True for an undotted identifier spelled like the keyword, in any case. */
    boolean isKeyword(String keyword) {
        return kind == TokenKind.IDENTIFIER && text.equalsIgnoreCase(keyword);
    }

    boolean is(TokenKind k) {
        return kind == k;
    }

    String upper() {
        return text.toUpperCase(Locale.ROOT);
    }
}
