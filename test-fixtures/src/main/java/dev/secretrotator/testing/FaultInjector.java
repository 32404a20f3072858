package dev.secretrotator.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Wraps a real client (an SDK client interface) so chosen calls fail: before the call reaches
 * the service (nothing happened), or after it (the service acted, the caller saw an error, as
 * with a lost response or a crash right after). Counts calls per method.
 */
public final class FaultInjector {
    /** When an injected fault strikes relative to the real call. */
    public enum When { BEFORE_CALL, AFTER_CALL }

    private record Rule(String method, int nth, When when, Supplier<RuntimeException> failure) {}

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final java.util.List<Object> requests = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The {@code nth} call (1-based) of {@code method} fails {@code when}, once. */
    public FaultInjector fail(String method, int nth, When when, Supplier<RuntimeException> failure) {
        rules.put(method + "#" + nth, new Rule(method, nth, when, failure));
        return this;
    }

    /** Every single-argument request passed through, in order (requests, or builder consumers). */
    public java.util.List<Object> requests() {
        return java.util.List.copyOf(requests);
    }

    public int calls(String method) {
        return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    public Map<String, Integer> allCalls() {
        Map<String, Integer> copy = new java.util.TreeMap<>();
        calls.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public <T> T wrap(Class<T> type, T real) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return invoke(real, method, args);
            }
            int n = calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
            if (args != null && args.length == 1) {
                requests.add(args[0]);
            }
            Rule rule = rules.remove(method.getName() + "#" + n);
            if (rule != null && rule.when == When.BEFORE_CALL) {
                throw rule.failure.get();
            }
            Object result = invoke(real, method, args);
            if (rule != null) {
                throw rule.failure.get();
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
