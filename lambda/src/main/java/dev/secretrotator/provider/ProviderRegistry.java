package dev.secretrotator.provider;

import dev.secretrotator.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The providers on the class path, by name. Immutable and thread-safe. */
public final class ProviderRegistry {
    private final Map<String, RotationProvider> byName;

    ProviderRegistry(List<RotationProvider> providers) {
        Map<String, RotationProvider> map = new TreeMap<>();
        for (RotationProvider p : providers) {
            RotationProvider clash = map.put(p.name(), p);
            if (clash != null) {
                throw new IllegalStateException("two providers are named '" + p.name() + "': "
                        + clash.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        this.byName = Map.copyOf(map);
    }

    /** Loads every provider listed in {@code META-INF/services}. */
    public static ProviderRegistry load() {
        return of(ServiceLoader.load(RotationProvider.class, ProviderRegistry.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList());
    }

    public static ProviderRegistry of(List<RotationProvider> providers) {
        return new ProviderRegistry(providers);
    }

    /**
     * The provider a secret value names in its {@code "provider"} field.
     *
     * @throws InvalidInputException if the field is missing or names no known provider
     */
    public RotationProvider forSecret(SecretValue value) {
        String name = value.string("provider").orElseThrow(() -> new InvalidInputException(
                "the secret value has no \"provider\" field; set it to one of " + byName.keySet()));
        RotationProvider provider = byName.get(name);
        if (provider == null) {
            throw new InvalidInputException("unknown provider '" + abbreviate(name) + "'; known providers: " + byName.keySet());
        }
        return provider;
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
