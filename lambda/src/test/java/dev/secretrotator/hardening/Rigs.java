package dev.secretrotator.hardening;

import dev.secretrotator.TestRotator;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.ServiceSemantics;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.SaasTestServer;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordResponse;

/** The per-provider worlds of {@link FaultPropertiesIT} and the run every scenario goes through. */
final class Rigs {
    /** What the service waits before it retries a failed rotation (keys of a failed attempt then look old). */
    static final Duration RETRY_DELAY = Duration.ofSeconds(60);

    private Rigs() {}

    /** A secret on the emulator, with its target, ready for one faulted rotation. */
    interface Rig {
        TestRotator rotator();

        String arn();

        /** Arms the scenario's call faults. */
        void arm(Scenario s);

        /** Time passes before the service retries. */
        default void beforeRetry() {}

        /** Invariants that must hold at every step boundary. */
        default void atBoundary(List<String> violations) {}

        /** Invariants after the run. */
        void atEnd(boolean completed, List<String> violations);

        /** Every credential the target issued, stored or not. */
        List<String> issued();
    }

    /** What one run showed. */
    record Outcome(int failedAttempts, List<String> violations) {}

    static Outcome run(Rig rig, Scenario s) {
        List<String> violations = new CopyOnWriteArrayList<>();
        TestRotator rotator = rig.rotator();
        String currentBefore = rotator.stages(rig.arn()).entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        rig.arm(s);
        ServiceDriver.Fault crash = s.boundaryFault();
        ServiceDriver.Fault hook = (step, phase, attempt) -> {
            if (attempt > 1 && step.equals("createSecret") && phase == ServiceDriver.Phase.BEFORE) {
                rig.beforeRetry();
            }
            try {
                rig.atBoundary(violations);
                if (step.equals("finishSecret") && phase == ServiceDriver.Phase.AFTER
                        && !FaultChecks.pendingOnlyOnCurrent(rotator, rig.arn())) {
                    violations.add("after finishSecret AWSPENDING sits on a version without AWSCURRENT: " + rotator.stages(rig.arn()));
                }
            } catch (RuntimeException e) {
                violations.add("checking at " + phase + " " + step + " failed: " + e);
            }
            crash.at(step, phase, attempt);
        };
        List<RuntimeException> failures;
        boolean completed;
        String output;
        String token = null;
        try (OutputTap tap = new OutputTap()) {
            try {
                ServiceDriver.Result result = rotator.driver.rotate(rig.arn(), hook);
                failures = result.failures();
                token = result.token();
                completed = true;
            } catch (ServiceDriver.RotationFailed e) {
                failures = e.failures();
                completed = false;
                violations.add("the retried rotation did not complete: " + failures.size() + " attempts failed, last: "
                        + e.getCause().getMessage());
            }
            output = tap.text();
        }
        if (completed) {
            Map<String, List<String>> stages = rotator.stages(rig.arn());
            if (!List.of("AWSCURRENT").equals(stages.get(token))) {
                violations.add("the new version's labels are " + stages.get(token) + ", not [AWSCURRENT]");
            }
            if (!Map.of(token, List.of("AWSCURRENT"), currentBefore, List.of("AWSPREVIOUS")).equals(stages)) {
                violations.add("the labelled versions are " + stages + ", not the new one AWSCURRENT and " + currentBefore
                        + " AWSPREVIOUS only");
            }
        }
        rig.atEnd(completed, violations);
        FaultChecks.leaks(rig, output, failures, violations);
        return new Outcome(failures.size(), new ArrayList<>(violations));
    }

    /** {@code random-password}: no target; the value in AWSCURRENT is the credential. */
    static Rig password(MotoServer moto, Scenario s) {
        moto.relaxAuthentication();
        moto.reset();
        List<String> issued = new CopyOnWriteArrayList<>();
        SecretsManagerClient sm = recordingPasswords(ServiceSemantics.secretsManager(moto.configure(SecretsManagerClient.builder()).build()),
                issued);
        TestRotator rotator = new TestRotator(sm, Map.of(), ProviderServices.builder());
        String arn = rotator.createSecret("prop/password-" + FaultPropertiesIT.RUN.incrementAndGet(),
                "{\"provider\":\"random-password\",\"password\":\"initial-password-1\",\"team\":\"platform\"}");
        if (s.rotatedBefore()) {
            rotator.driver.rotate(arn);
        }
        String before = rotator.value(arn, "AWSCURRENT");
        return new Rig() {
            public TestRotator rotator() {
                return rotator;
            }

            public String arn() {
                return arn;
            }

            public void arm(Scenario sc) {
                sc.arm(rotator.faults, null, null, null);
            }

            public void atEnd(boolean completed, List<String> violations) {
                Map<String, Object> current = Json.object(rotator.value(arn, "AWSCURRENT"));
                if (!(current.get("password") instanceof String p) || p.isEmpty() || !"platform".equals(current.get("team"))) {
                    violations.add("AWSCURRENT holds no password or lost a field");
                }
                if (completed && rotator.value(arn, "AWSCURRENT").equals(before)) {
                    violations.add("AWSCURRENT did not change");
                }
            }

            public List<String> issued() {
                return issued;
            }
        };
    }

    /**
     * {@code aws-iam} on moto with request authentication; the second rotation must deactivate and
     * (no hold) delete the previous key.
     */
    static Rig iam(MotoServer moto, Scenario s, String user) {
        moto.relaxAuthentication();
        moto.reset();
        IamBench bench = new IamBench(moto, Map.of(), user);
        AccessKey current = bench.newKey(user);
        String name = "prop/iam-" + FaultPropertiesIT.RUN.incrementAndGet();
        String arn;
        if (s.rotatedBefore()) {
            AccessKey previous = bench.newKey(user);
            arn = bench.secret(name, iamSecret(user, previous), user);
            bench.rotator.client.putSecretValue(b -> b.secretId(arn).secretString(iamSecret(user, current)));
        } else {
            arn = bench.secret(name, iamSecret(user, current), user);
        }
        return new Rig() {
            public TestRotator rotator() {
                return bench.rotator;
            }

            public String arn() {
                return arn;
            }

            public void arm(Scenario sc) {
                sc.arm(bench.rotator.faults, bench.iamFaults, bench.stsFaults, null);
            }

            public void beforeRetry() {
                bench.clock.advance(RETRY_DELAY);
            }

            public void atBoundary(List<String> violations) {
                int keys = bench.keys(user).size();
                if (keys > 2) {
                    violations.add("the user holds " + keys + " access keys, over IAM's limit of two");
                }
                if (!currentWorks()) {
                    violations.add("AWSCURRENT did not authenticate during the rotation");
                }
            }

            public void atEnd(boolean completed, List<String> violations) {
                if (!currentWorks()) {
                    violations.add("AWSCURRENT does not authenticate after the run");
                }
                Set<String> held = new java.util.HashSet<>();
                held.add(keyId("AWSCURRENT"));
                held.add(keyId("AWSPREVIOUS"));
                List<String> orphans = bench.keys(user).stream().map(AccessKeyMetadata::accessKeyId)
                        .filter(id -> !held.contains(id)).toList();
                if (!orphans.isEmpty()) {
                    violations.add("access keys held by neither AWSCURRENT nor AWSPREVIOUS: " + orphans);
                }
            }

            private boolean currentWorks() {
                Map<String, Object> v = Json.object(bench.rotator.value(arn, "AWSCURRENT"));
                return bench.authenticates((String) v.get("accessKeyId"), (String) v.get("secretAccessKey"), user);
            }

            private String keyId(String stage) {
                try {
                    return (String) Json.object(bench.rotator.value(arn, stage)).get("accessKeyId");
                } catch (RuntimeException none) {
                    return null;
                }
            }

            public List<String> issued() {
                return bench.issued;
            }
        };
    }

    static String iamSecret(String user, AccessKey key) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("provider", "aws-iam");
        v.put("userName", user);
        v.put("accessKeyId", key.accessKeyId());
        v.put("secretAccessKey", key.secretAccessKey());
        v.put("retirement", Map.of("gracePeriod", "PT0S", "quietPeriod", "PT0S", "deleteAfter", "PT0S"));
        v.put("verification", Map.of("timeout", "PT10S", "consecutiveSuccesses", 2));
        return Json.write(v);
    }

    /** {@code weaviate} against the test server; {@code alternating} or single-user. */
    static Rig weaviate(MotoServer moto, WeaviateTestServer server, String adminKey, Scenario s, String prefix, boolean alternating) {
        moto.relaxAuthentication();
        moto.reset();
        WeaviateBench bench = new WeaviateBench(moto, server, adminKey);
        String a = prefix + "a";
        String b = prefix + "b";
        String arn = alternating ? bench.alternatingSecret("prop/" + prefix, a, b, Map.of())
                : bench.singleUserSecret("prop/" + prefix, a, Map.of());
        if (s.rotatedBefore()) {
            bench.rotator.driver.rotate(arn);
        }
        Set<String> users = alternating ? Set.of(a, b) : Set.of(a);
        return new Rig() {
            public TestRotator rotator() {
                return bench.rotator;
            }

            public String arn() {
                return arn;
            }

            public void arm(Scenario sc) {
                sc.arm(bench.rotator.faults, null, null, bench.http);
            }

            public void atBoundary(List<String> violations) {
                if (alternating && !currentWorks()) {
                    violations.add("AWSCURRENT's key did not authenticate during the rotation");
                }
                Set<String> extra = bench.users(prefix).stream().filter(u -> !users.contains(u)).collect(Collectors.toSet());
                if (!extra.isEmpty()) {
                    violations.add("users beyond the configured ones: " + extra);
                }
            }

            public void atEnd(boolean completed, List<String> violations) {
                if (!currentWorks()) {
                    violations.add("AWSCURRENT's key does not authenticate after the run");
                }
                if (completed && !bench.users(prefix).equals(users)) {
                    violations.add("users after the run: " + bench.users(prefix) + ", expected " + users);
                }
            }

            private boolean currentWorks() {
                Map<String, Object> v = Json.object(bench.rotator.value(arn, "AWSCURRENT"));
                return bench.works((String) v.get("apiKey"), (String) v.get("userId"));
            }

            public List<String> issued() {
                return bench.issued;
            }
        };
    }

    /** {@code http-api-key} (SendGrid profile) against its test server; one container throughout. */
    static Rig saas(MotoServer moto, SaasTestServer server, dev.secretrotator.testing.MutableClock clock, Scenario s) {
        moto.relaxAuthentication();
        moto.reset();
        server.reset();
        SaasBench bench = new SaasBench(moto, server, clock);
        ApiKeys.Key first = bench.seed("made in the console");
        String arn = bench.rotator.createSecret("prop/saas-" + FaultPropertiesIT.RUN.incrementAndGet(),
                Json.write(bench.secret("sendgrid", first)));
        if (s.rotatedBefore()) {
            bench.rotator.driver.rotate(arn);
        }
        Set<String> before = server.activeKeys().stream().map(ApiKeys.Key::id).collect(Collectors.toSet());
        return new Rig() {
            public TestRotator rotator() {
                return bench.rotator;
            }

            public String arn() {
                return arn;
            }

            public void arm(Scenario sc) {
                sc.arm(bench.rotator.faults, null, null, bench.http);
            }

            public void beforeRetry() {
                clock.advance(RETRY_DELAY);
            }

            public void atBoundary(List<String> violations) {
                if (!bench.works(Json.object(bench.rotator.value(arn, "AWSCURRENT")))) {
                    violations.add("AWSCURRENT's key was refused during the rotation");
                }
                if (server.activeKeys().size() > 100) {
                    violations.add("more than SendGrid's 100 keys");
                }
            }

            public void atEnd(boolean completed, List<String> violations) {
                Map<String, Object> current = Json.object(bench.rotator.value(arn, "AWSCURRENT"));
                if (!bench.works(current)) {
                    violations.add("AWSCURRENT's key is refused after the run");
                }
                Set<String> allowed = new java.util.HashSet<>(before);
                allowed.add((String) current.get("keyId"));
                List<String> orphans = server.activeKeys().stream().map(ApiKeys.Key::id).filter(id -> !allowed.contains(id)).toList();
                if (!orphans.isEmpty()) {
                    violations.add("keys minted by the run that nothing holds, still active: " + orphans);
                }
            }

            public List<String> issued() {
                return bench.issued;
            }
        };
    }

    /** A Secrets Manager client that records every password GetRandomPassword returns. */
    static SecretsManagerClient recordingPasswords(SecretsManagerClient real, List<String> into) {
        return (SecretsManagerClient) Proxy.newProxyInstance(SecretsManagerClient.class.getClassLoader(),
                new Class<?>[] {SecretsManagerClient.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof GetRandomPasswordResponse r) {
                        into.add(r.randomPassword());
                    }
                    return result;
                });
    }
}
