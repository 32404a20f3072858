package dev.secretrotator.hardening;

import dev.secretrotator.testing.AwsFaults;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.FaultInjector.When;
import dev.secretrotator.testing.FaultyHttpClient;
import dev.secretrotator.testing.ServiceDriver;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * One generated run: whether the secret was rotated before (so the rotation must retire a previous
 * credential), and one to three faults, each at a random point: any AWS call or target call
 * throwing throttling, a 5xx or a timeout, before it reached the service or after the service
 * acted (a lost answer, or the process dying right after), or the process dying between two
 * steps. The service then retries, as Secrets Manager does.
 *
 * @param rotatedBefore whether one rotation already happened
 * @param faults what fails, in no particular order
 */
record Scenario(boolean rotatedBefore, List<Scenario.Fault> faults) {

    /** Where a fault strikes. */
    enum Where { SECRETS_MANAGER, IAM, STS, HTTP, STEP_BOUNDARY }

    /**
     * @param call the SDK method, {@code "METHOD path-regex"} for HTTP, or the step for a boundary
     * @param nth which call of it, counted from the start of the faulted rotation (1-based)
     * @param when before the call reaches the service, or after it acted
     * @param kind an {@link AwsFaults.Kind}, an HTTP status, or {@code TIMEOUT}
     */
    record Fault(Where where, String call, int nth, When when, String kind) {
        @Override
        public String toString() {
            return where == Where.STEP_BOUNDARY
                    ? "process dies " + (when == When.BEFORE_CALL ? "before " : "after ") + call
                    : where + " " + call + " #" + nth + " " + kind + " " + (when == When.BEFORE_CALL ? "before" : "after") + " the call";
        }
    }

    @Override
    public String toString() {
        return (rotatedBefore ? "second rotation" : "first rotation") + ": "
                + faults.stream().map(Fault::toString).collect(Collectors.joining("; "));
    }

    /** Scenarios with faults from {@code points}. */
    static Arbitrary<Scenario> of(Arbitrary<Fault> points) {
        return Combinators.combine(Arbitraries.of(true, false), points.list().ofMinSize(1).ofMaxSize(3)).as(Scenario::new);
    }

    static Arbitrary<Fault> sdk(Where where, String... methods) {
        return Combinators.combine(Arbitraries.of(methods), Arbitraries.integers().between(1, 3), Arbitraries.of(When.values()),
                Arbitraries.of(AwsFaults.Kind.values())).as((m, n, w, k) -> new Fault(where, m, n, w, k.name()));
    }

    /** HTTP calls as {@code "METHOD path-regex"}. */
    static Arbitrary<Fault> http(String... calls) {
        return Combinators.combine(Arbitraries.of(calls), Arbitraries.integers().between(1, 3), Arbitraries.of(When.values()),
                Arbitraries.of("500", "503", "429", "TIMEOUT")).as((c, n, w, k) -> new Fault(Where.HTTP, c, n, w, k));
    }

    static Arbitrary<Fault> boundary() {
        return Combinators.combine(Arbitraries.of(EventFixtures.STEPS), Arbitraries.of(When.values()))
                .as((step, w) -> new Fault(Where.STEP_BOUNDARY, step, 1, w, "CRASH"));
    }

    @SafeVarargs
    static Arbitrary<Fault> mix(Tuple.Tuple2<Integer, Arbitrary<Fault>>... weighted) {
        return Arbitraries.frequencyOf(java.util.Arrays.asList(weighted));
    }

    /** Arms the call faults on the clients (boundary faults strike through {@link #boundaryFault}). */
    void arm(FaultInjector sm, FaultInjector iam, FaultInjector sts, FaultyHttpClient http) {
        for (Fault f : faults) {
            switch (f.where()) {
                case SECRETS_MANAGER -> sm.fail(f.call(), sm.calls(f.call()) + f.nth(), f.when(),
                        () -> AwsFaults.of(AwsFaults.Kind.valueOf(f.kind()), SecretsManagerException::builder, "SecretsManager",
                                "ThrottlingException"));
                case IAM -> iam.fail(f.call(), iam.calls(f.call()) + f.nth(), f.when(),
                        () -> AwsFaults.of(AwsFaults.Kind.valueOf(f.kind()), IamException::builder, "IAM", "Throttling"));
                case STS -> sts.fail(f.call(), sts.calls(f.call()) + f.nth(), f.when(),
                        () -> AwsFaults.of(AwsFaults.Kind.valueOf(f.kind()), StsException::builder, "STS", "Throttling"));
                case HTTP -> {
                    String[] parts = f.call().split(" ", 2);
                    if (f.kind().equals("TIMEOUT")) {
                        http.failWithTimeout(parts[0], parts[1], f.nth(), f.when());
                    } else {
                        http.failWithStatus(parts[0], parts[1], f.nth(), f.when(), Integer.parseInt(f.kind()));
                    }
                }
                case STEP_BOUNDARY -> { }
            }
        }
    }

    /** Throws once, the first time the rotation reaches a boundary fault's step and phase. */
    ServiceDriver.Fault boundaryFault() {
        java.util.Set<Fault> fired = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return (step, phase, attempt) -> {
            for (Fault f : faults) {
                boolean here = f.where() == Where.STEP_BOUNDARY && f.call().equals(step)
                        && (phase == ServiceDriver.Phase.BEFORE) == (f.when() == When.BEFORE_CALL);
                if (here && fired.add(f)) {
                    throw new ServiceDriver.InjectedFault("injected: the process dies " + phase + " " + step);
                }
            }
        };
    }
}
