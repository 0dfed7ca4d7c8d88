package io.sfsync.emulator.cdc;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map that keeps insertion order in two arrays. Retained change events are the emulator's largest
 * use of heap (every event of the last 72 hours, each a tree of maps that CometD writes as JSON): a
 * {@link java.util.LinkedHashMap} spends about 48 bytes per entry on its nodes and table, this map 8. Lookups scan
 * the keys, which suits these maps: they are written out whole and rarely read by key. Null values are kept, as
 * JSON {@code null}s of the payload.
 */
final class FrozenMap extends AbstractMap<String, Object> {

    private final String[] keys;
    private final Object[] values;

    /** A copy of {@code source} in its iteration order; values are taken as they are (callers freeze them). */
    FrozenMap(Map<String, ?> source, java.util.function.UnaryOperator<Object> valueCopier) {
        keys = new String[source.size()];
        values = new Object[source.size()];
        int i = 0;
        for (Map.Entry<String, ?> e : source.entrySet()) {
            keys[i] = e.getKey();
            values[i] = valueCopier.apply(e.getValue());
            i++;
        }
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (Objects.equals(keys[i], key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }
}
