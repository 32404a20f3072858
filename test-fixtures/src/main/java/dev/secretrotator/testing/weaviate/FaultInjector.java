package dev.secretrotator.testing.weaviate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One-shot faults: each registered fault answers exactly one matching request, in registration order.
 * Thread-safe.
 */
final class FaultInjector {
    private record Fault(String method, Pattern path, int status) {
        boolean matches(String requestMethod, String requestPath) {
            return method.equals(requestMethod.toUpperCase(Locale.ROOT)) && path.matcher(requestPath).matches();
        }
    }

    private final List<Fault> faults = new ArrayList<>();

    synchronized void add(String method, String pathRegex, int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599: " + status);
        }
        faults.add(new Fault(method.toUpperCase(Locale.ROOT), Pattern.compile(pathRegex), status));
    }

    /** Removes and returns the status of the first fault matching this request, if any. */
    synchronized OptionalInt take(String method, String path) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (fault.matches(method, path)) {
                it.remove();
                return OptionalInt.of(fault.status());
            }
        }
        return OptionalInt.empty();
    }
}
