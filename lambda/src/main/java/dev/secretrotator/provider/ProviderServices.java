package dev.secretrotator.provider;

import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.telemetry.Telemetry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What providers may use: configuration, clock, telemetry, and clients built lazily on first
 * use and then kept for the life of the container (a provider that is never used never pays
 * for its client's start-up).
 *
 * <p>Thread-safe. Clients are looked up by type, so a new provider can add the client it needs
 * without this class knowing it; tests register their own.
 */
public final class ProviderServices {
    private final RotatorConfig config;
    private final Clock clock;
    private final Telemetry telemetry;
    private final Map<Class<?>, Supplier<?>> factories;
    private final Map<Class<?>, Object> built = new ConcurrentHashMap<>();

    private ProviderServices(Builder builder) {
        this.config = Objects.requireNonNull(builder.config, "config must not be null");
        this.clock = Objects.requireNonNull(builder.clock, "clock must not be null");
        this.telemetry = Objects.requireNonNull(builder.telemetry, "telemetry must not be null");
        this.factories = Map.copyOf(builder.factories);
    }

    public static Builder builder() {
        return new Builder();
    }

    public RotatorConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /**
     * A source of randomness, created on first use; under SnapStart the hooks discard it before the
     * snapshot and after each restore, so no two environments share one.
     */
    public SecureRandom random() {
        return client(SecureRandom.class);
    }

    /**
     * The client of the given type, built on first use.
     *
     * @throws IllegalStateException if no factory for that type was registered
     */
    public <T> T client(Class<T> type) {
        Object client = built.computeIfAbsent(type, t -> {
            Supplier<?> factory = factories.get(t);
            if (factory == null) {
                throw new IllegalStateException("no client of type " + t.getName() + " is configured");
            }
            return factory.get();
        });
        return type.cast(client);
    }

    /** The types a client factory is registered for (built or not). */
    public java.util.Set<Class<?>> clientTypes() {
        return factories.keySet();
    }

    /**
     * Drops the built instance of {@code type}, if any, so the next {@link #client} call builds a
     * new one: for state that must be created per execution environment, such as a source of
     * randomness after a SnapStart restore ({@code handler.SnapStartPriming}).
     */
    public void discard(Class<?> type) {
        built.remove(type);
    }

    /** Builds {@link ProviderServices}; every client factory is optional. */
    public static final class Builder {
        private RotatorConfig config = RotatorConfig.defaults();
        private Clock clock = Clock.systemUTC();
        private Telemetry telemetry = Telemetry.stdout();
        private final Map<Class<?>, Supplier<?>> factories = new HashMap<>(Map.of(SecureRandom.class, SecureRandom::new,
                dev.secretrotator.telemetry.RotationEvents.class, () -> dev.secretrotator.telemetry.RotationEvents.NONE));

        private Builder() {}

        public Builder config(RotatorConfig value) {
            this.config = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder telemetry(Telemetry value) {
            this.telemetry = value;
            return this;
        }

        public <T> Builder client(Class<T> type, Supplier<? extends T> factory) {
            factories.put(type, factory);
            return this;
        }

        public ProviderServices build() {
            return new ProviderServices(this);
        }
    }
}
