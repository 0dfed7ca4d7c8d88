package io.sfsync.emulator.soql;

import java.util.List;

/**
 * A field reference as written in the query: {@code Name}, or a path through parent relationships such as
 * {@code Account.Owner.Name}. {@code position} is the index of its first character in the query text.
 */
public record FieldPath(List<String> segments, int position) {

    public FieldPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("empty field path");
        }
    }

    /** The path as written, segments joined by dots. */
    public String text() {
        return String.join(".", segments);
    }
}
