package io.sfsync.emulator.model;

import java.util.regex.Pattern;

/**
 * Salesforce record ids: 15-character case-sensitive base-62 ids and their 18-character case-safe form.
 *
 * <p>The three-character suffix encodes, for each 5-character chunk, which characters are upper-case letters
 * (bit i set for the i-th character), mapped into {@code A-Z0-5}. REST always returns the 18-character form.
 */
public final class SalesforceIds {

    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern ID_SHAPE = Pattern.compile("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}");

    /** The id Salesforce uses where there is no record (gap overflow events, the master record type). */
    public static final String EMPTY_ID = "000000000000000AAA";

    private SalesforceIds() {
    }

    /** The 18-character case-safe form of a 15-character id. */
    public static String toCaseSafe(String id15) {
        if (id15.length() != 15) {
            throw new IllegalArgumentException("not a 15-character id");
        }
        StringBuilder sb = new StringBuilder(18).append(id15);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            sb.append(SUFFIX_ALPHABET.charAt(bits));
        }
        return sb.toString();
    }

    /**
     * Normalises a 15- or 18-character id to its 18-character form, or returns null if it is not a well-formed id
     * (wrong length, wrong characters, or an 18-character id whose suffix does not match).
     * An 18-character id is matched case-insensitively, as Salesforce does: the suffix restores the case.
     */
    public static String normalize(String id) {
        if (id == null || !ID_SHAPE.matcher(id).matches()) {
            return null;
        }
        if (id.length() == 15) {
            return toCaseSafe(id);
        }
        String suffix = id.substring(15).toUpperCase(java.util.Locale.ROOT);
        char[] restored = id.substring(0, 15).toCharArray();
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = SUFFIX_ALPHABET.indexOf(suffix.charAt(chunk));
            if (bits < 0) {
                return null;
            }
            for (int i = 0; i < 5; i++) {
                int pos = chunk * 5 + i;
                char c = restored[pos];
                boolean upper = (bits & (1 << i)) != 0;
                if (Character.isLetter(c)) {
                    restored[pos] = upper ? Character.toUpperCase(c) : Character.toLowerCase(c);
                } else if (upper) {
                    return null;
                }
            }
        }
        return toCaseSafe(new String(restored));
    }

    /** Builds the id of the n-th record with a given key prefix: prefix + pod + zero padding + base-62 counter. */
    public static String newId(String keyPrefix, String pod, long sequence) {
        StringBuilder counter = new StringBuilder();
        long n = sequence;
        do {
            counter.insert(0, BASE62.charAt((int) (n % 62)));
            n /= 62;
        } while (n > 0);
        int padding = 15 - keyPrefix.length() - pod.length() - counter.length();
        if (padding < 0) {
            throw new IllegalStateException("id space exhausted for prefix " + keyPrefix);
        }
        return toCaseSafe(keyPrefix + pod + "0".repeat(padding) + counter);
    }

    public static String keyPrefix(String id) {
        return id.substring(0, 3);
    }
}
