package io.sfsync.salesforce.streaming;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The field values of a change event: everything in {@code payload} except {@code ChangeEventHeader}, as sent.
 *
 * <p><b>Present, null and absent.</b> On UPDATE Salesforce sends only the changed fields (plus LastModifiedDate);
 * a field set to null is present with a null value, an unchanged field is absent. {@link #isPresent} and
 * {@link #isNull} tell the two apart; {@link #get} returns null for both.
 *
 * <p><b>Compound fields</b> (addresses, person names, geolocations) arrive nested, with only the changed parts on
 * UPDATE: {@code "BillingAddress":{"City":"Paris"}}. {@link #nested()} keeps that shape. {@link #flattened()} turns
 * each part into the record field it stands for, by this rule on the compound field name {@code C} and part key
 * {@code k}:
 * <ul>
 *   <li>{@code C} ends with {@code Address}: the prefix before {@code Address} plus {@code k}:
 *   {@code BillingAddress.City} → {@code BillingCity}, {@code MailingAddress.Street} → {@code MailingStreet},
 *   Lead's {@code Address.PostalCode} → {@code PostalCode}.</li>
 *   <li>{@code C} is a custom geolocation {@code X__c}: {@code X__k__s}: {@code Location__c.Latitude} →
 *   {@code Location__Latitude__s}.</li>
 *   <li>otherwise (the {@code Name} of contacts, leads and person accounts): {@code k} itself:
 *   {@code Name.FirstName} → {@code FirstName}.</li>
 * </ul>
 * Only object values are flattened; a part present with null stays present with null. Non-object values are copied
 * as they are. Values are the JSON values: String, Boolean, Integer/Long/BigInteger, BigDecimal (decimals are never
 * rounded through double), nested Map, List, or null. Dates stay ISO-8601 strings.
 */
public final class ChangeEventFields {

    private final Map<String, Object> nested;
    private volatile Map<String, Object> flattened;

    ChangeEventFields(Map<String, Object> nested) {
        this.nested = Collections.unmodifiableMap(nested);
    }

    /** The fields as sent, compound fields nested. Unmodifiable; may contain null values. */
    public Map<String, Object> nested() {
        return nested;
    }

    /** The fields with compound parts flattened to record field names (see the class comment). */
    public Map<String, Object> flattened() {
        Map<String, Object> f = flattened;
        if (f == null) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : nested.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> parts) {
                    for (Map.Entry<?, ?> p : parts.entrySet()) {
                        out.put(flatName(e.getKey(), String.valueOf(p.getKey())), p.getValue());
                    }
                } else {
                    out.put(e.getKey(), e.getValue());
                }
            }
            f = Collections.unmodifiableMap(out);
            flattened = f;
        }
        return f;
    }

    /** The record field name of part {@code part} of compound field {@code compound}. */
    public static String flatName(String compound, String part) {
        if (compound.endsWith("Address")) {
            return compound.substring(0, compound.length() - "Address".length()) + part;
        }
        if (compound.endsWith("__c")) {
            return compound.substring(0, compound.length() - 1) + part + "__s";
        }
        return part;
    }

    /**
     * Whether the event carries {@code field}: a top-level name ({@code Name}, {@code BillingAddress}), a flattened
     * part ({@code BillingCity}) or a dotted part ({@code BillingAddress.City}).
     */
    public boolean isPresent(String field) {
        return lookup(field) != ABSENT;
    }

    /** Whether the event carries {@code field} with the value null (it was cleared). */
    public boolean isNull(String field) {
        return lookup(field) == null;
    }

    /** The value of {@code field} (any of the forms {@link #isPresent} accepts); null when null or absent. */
    public Object get(String field) {
        Object v = lookup(field);
        return v == ABSENT ? null : v;
    }

    /** Top-level names, compound fields as one name each. */
    public Set<String> names() {
        return nested.keySet();
    }

    public boolean isEmpty() {
        return nested.isEmpty();
    }

    private static final Object ABSENT = new Object();

    private Object lookup(String field) {
        if (nested.containsKey(field)) {
            return nested.get(field);
        }
        int dot = field.indexOf('.');
        if (dot > 0) {
            Object parent = nested.get(field.substring(0, dot));
            if (parent instanceof Map<?, ?> parts && parts.containsKey(field.substring(dot + 1))) {
                return parts.get(field.substring(dot + 1));
            }
            return ABSENT;
        }
        Map<String, Object> f = flattened();
        return f.containsKey(field) ? f.get(field) : ABSENT;
    }

    @Override
    public String toString() {
        // Field names only: values are customer data.
        return "ChangeEventFields" + nested.keySet();
    }
}
