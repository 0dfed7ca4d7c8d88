package io.sfsync.salesforce.streaming;

import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A working, non-inheriting MDC for tests: slf4j-simple's MDC is a no-op, and slf4j's BasicMDCAdapter is inherited
 * by new threads, which would hide a missing hand-over. Installed into slf4j's MDC for the duration of a test.
 */
final class ThreadLocalMdc implements MDCAdapter, AutoCloseable {

    private final ThreadLocal<Map<String, String>> map = ThreadLocal.withInitial(HashMap::new);
    private final ThreadLocal<Map<String, Deque<String>>> deques = ThreadLocal.withInitial(HashMap::new);
    private final MDCAdapter previous;

    private ThreadLocalMdc() throws ReflectiveOperationException {
        previous = MDC.getMDCAdapter();
        field().set(null, this);
    }

    static ThreadLocalMdc install() throws ReflectiveOperationException {
        return new ThreadLocalMdc();
    }

    private static Field field() throws NoSuchFieldException {
        Field f = MDC.class.getDeclaredField("MDC_ADAPTER");
        f.setAccessible(true);
        return f;
    }

    @Override
    public void close() throws ReflectiveOperationException {
        field().set(null, previous);
    }

    @Override public void put(String key, String val) { map.get().put(key, val); }
    @Override public String get(String key) { return map.get().get(key); }
    @Override public void remove(String key) { map.get().remove(key); }
    @Override public void clear() { map.get().clear(); }
    @Override public Map<String, String> getCopyOfContextMap() { return new HashMap<>(map.get()); }
    @Override public void setContextMap(Map<String, String> contextMap) { map.set(new HashMap<>(contextMap)); }
    @Override public void pushByKey(String key, String value) {
        deques.get().computeIfAbsent(key, k -> new ArrayDeque<>()).push(value);
    }
    @Override public String popByKey(String key) {
        Deque<String> d = deques.get().get(key);
        return d == null ? null : d.poll();
    }
    @Override public Deque<String> getCopyOfDequeByKey(String key) {
        Deque<String> d = deques.get().get(key);
        return d == null ? null : new ArrayDeque<>(d);
    }
    @Override public void clearDequeByKey(String key) { deques.get().remove(key); }
}
