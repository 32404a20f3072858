package dev.secretrotator.cdk;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.testing.iam.PolicyEvaluator;
import dev.secretrotator.testing.iam.RecordedCall;
import dev.secretrotator.testing.iam.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calls the lambda module's {@code PermissionContractIT} recorded, and the world they ran in
 * (account, secrets with their tags, IAM path, roles, bus, KMS key), read from
 * {@code permission.contract.calls}; and the check of those calls against a role's statements.
 */
final class PermissionContract {
    /** The scenario that enumerates secrets with ListSecrets: a listed-secrets deployment never runs it. */
    static final String SWEEP_ALL = "sweep-all";

    record Secret(String arn, String name, Map<String, String> tags) {}

    final Map<String, Object> world;
    final List<Secret> rotated;
    final List<Secret> admins;
    final List<RecordedCall> calls;

    private PermissionContract(Map<String, Object> world) {
        this.world = world;
        this.rotated = secrets(world.get("rotatedSecrets"));
        this.admins = secrets(world.get("adminSecrets"));
        this.calls = CfnResolver.list(world.get("calls")).stream().map(c -> RecordedCall.fromJson(CfnResolver.map(c))).toList();
    }

    /**
     * The actions the lambda tests' {@code ActionLog} saw the function call (every IT run since the
     * last {@code mvn clean}), without those signed with an assumed role's session credentials and
     * {@code sts:GetCallerIdentity}, which needs no permission (it proves a new access key).
     */
    static List<String> loggedActions() {
        Path dir = file().resolveSibling("actions");
        try (var files = Files.list(dir)) {
            Set<String> actions = new java.util.TreeSet<>();
            for (Path f : files.toList()) {
                Files.readAllLines(f).stream().filter(l -> !l.endsWith(" session") && !l.isBlank())
                        .filter(l -> !l.equals("sts:GetCallerIdentity")).forEach(actions::add);
            }
            return List.copyOf(actions);
        } catch (IOException e) {
            throw new AssertionError("no action log at " + dir.toAbsolutePath() + ": run the lambda integration tests first"
                    + " (mvn -B -pl lambda -am verify)", e);
        }
    }

    private static Path file() {
        return Path.of(System.getProperty("permission.contract.calls", "../lambda/target/permission-contract/calls.json"));
    }

    /** Reads the recorded calls; fails (never skips) when the lambda ITs have not written them. */
    static PermissionContract load() {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no recorded calls at " + file.toAbsolutePath() + ": run the lambda integration test"
                    + " first, e.g. mvn -B -pl lambda -am verify -Dit.test=PermissionContractIT -Dtest=none"
                    + " -Dsurefire.failIfNoSpecifiedTests=false (a full `mvn verify` runs it before this module)");
        }
        try {
            return new PermissionContract(JSON.std.mapFrom(Files.readString(file)));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    String string(String key) {
        return (String) world.get(key);
    }

    @SuppressWarnings("unchecked")
    List<String> strings(String key) {
        return (List<String>) world.get(key);
    }

    /**
     * Every call the role must allow in a deployment: the function's own calls (in listed mode
     * without the enumerating sweep), plus the calls of code paths the IT cannot reach on the
     * emulator (declared below), each with the resource tags of the secret it acts on and, in tag
     * mode, the selector tag on every rotated secret.
     */
    List<RecordedCall> required(boolean tagMode, SecretTag selector) {
        Set<RecordedCall> out = new LinkedHashSet<>();
        for (RecordedCall c : calls) {
            if (c.own() && (tagMode || !c.scenario().equals(SWEEP_ALL))) {
                out.add(c);
            }
        }
        out.addAll(declared());
        return out.stream().map(c -> withResourceTags(c, tagMode ? selector : null)).toList();
    }

    /**
     * Calls the function makes on a path the contract IT cannot reach: only the createSecret
     * claim's {@code ListSecretVersionIds} ({@code CreateClaim.latestGeneration}), which runs when
     * another invocation already holds this rotation's claim version and has not stored its value,
     * that is two createSecret invocations of one rotation racing. The IT drives each step once,
     * in order, so it never races. Everything else the function calls is recorded, not declared.
     */
    List<RecordedCall> declared() {
        List<RecordedCall> out = new ArrayList<>();
        rotated.forEach(s -> out.add(declared("secretsmanager:ListSecretVersionIds", s.arn())));
        return out;
    }

    private static RecordedCall declared(String action, String resource) {
        return new RecordedCall("declared", action, resource, Map.of(), true, false);
    }

    private RecordedCall withResourceTags(RecordedCall c, SecretTag selector) {
        Map<String, List<String>> context = new HashMap<>(c.context());
        for (Secret s : rotated) {
            if (s.arn().equals(c.resource())) {
                s.tags().forEach((k, v) -> context.put("aws:ResourceTag/" + k, List.of(v)));
                if (selector != null) {
                    context.put("aws:ResourceTag/" + selector.key(), List.of(selector.value()));
                }
            }
        }
        admins.stream().filter(s -> s.arn().equals(c.resource()))
                .forEach(s -> s.tags().forEach((k, v) -> context.put("aws:ResourceTag/" + k, List.of(v))));
        return new RecordedCall(c.scenario(), c.action(), c.resource(), context, c.own(), c.implied());
    }

    /** The calls {@code statements} do not allow, each named with its decision, for an assertion message. */
    static List<String> denied(List<Map<String, Object>> statements, List<RecordedCall> calls, String policy) {
        Set<String> out = new LinkedHashSet<>();
        for (RecordedCall c : calls) {
            PolicyEvaluator.Decision d = PolicyEvaluator.evaluate(statements, c.request());
            if (!d.allowed()) {
                // the function's own ledger tags on the secret do not decide anything: left out of the message
                Map<String, List<String>> shown = new java.util.TreeMap<>(c.context());
                shown.keySet().removeIf(k -> k.startsWith("aws:ResourceTag/secret-rotator:"));
                out.add(c.action() + " on " + c.resource() + (shown.isEmpty() ? "" : " with " + shown)
                        + " (" + c.scenario() + ") is not granted by " + policy + ": " + d.effect()
                        + (d.statement().isEmpty() ? "" : " by " + d.statement()));
            }
        }
        return List.copyOf(out);
    }

    static PolicyEvaluator.Decision decide(List<Map<String, Object>> statements, String action, String resource,
            Map<String, List<String>> context) {
        return PolicyEvaluator.evaluate(statements, new Request(action, resource, context));
    }

    @SuppressWarnings("unchecked")
    private static List<Secret> secrets(Object list) {
        return CfnResolver.list(list).stream().map(CfnResolver::map)
                .map(m -> new Secret((String) m.get("arn"), (String) m.get("name"), (Map<String, String>) m.get("tags")))
                .toList();
    }
}
