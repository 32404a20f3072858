package dev.secretrotator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TestRotator;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.handler.Components;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Issue 17 item 1: the sweep and status find a deployment's secrets with a filtered ListSecrets
 * (tag or name prefix), not from a list in the event, and still apply the exact allow-list check.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class SelectionIT {
    static final String VALUE = "{\"provider\":\"random-password\",\"password\":\"first-password-%s\"}";

    TestRotator setup;
    FaultInjector calls = new FaultInjector();
    String tagged;
    String otherValue;
    String untagged;
    String prefixed;

    @BeforeEach
    void setUp(MotoServer moto) {
        setup = new TestRotator(moto);
        tagged = create("platform/db", Map.of("rotation-deployment", "platform"));
        otherValue = create("platform-b/db", Map.of("rotation-deployment", "platform-b"));
        untagged = create("team-a/api", Map.of());
        prefixed = create("team-a/db", Map.of());
        create("team-b/db", Map.of());
    }

    @Test
    void sweep_inTagMode_listsWithTagFilters_andKeepsOnlyTheExactTag() {
        Operations ops = operations(Map.of("ROTATOR_SECRET_TAG", "rotation-deployment=platform"));

        List<String> managed = ops.sweep().managedSecrets();

        // "platform-b" matches the tag-value prefix filter but not the tag: the exact check drops it
        assertThat(managed).containsExactly(tagged);
        assertThat(listFilters()).extracting(Filter::keyAsString).containsExactly("tag-key", "tag-value");
    }

    @Test
    void sweep_inPrefixMode_listsWithANameFilter() {
        Operations ops = operations(Map.of("ROTATOR_ALLOWED_SECRET_ARNS", "arn:aws:secretsmanager:*:*:secret:team-a/*"));

        List<String> managed = ops.sweep().managedSecrets();

        assertThat(managed).containsExactlyInAnyOrder(untagged, prefixed);
        assertThat(listFilters()).singleElement().satisfies(f -> {
            assertThat(f.keyAsString()).isEqualTo("name");
            assertThat(f.values()).containsExactly("team-a/");
        });
    }

    @Test
    void sweep_ofTheFunction_inTagMode_sweepsTaggedSecretsOfThisFunctionOnly() {
        Operations ops = operations(Map.of("ROTATOR_SECRET_TAG", "rotation-deployment=platform",
                "AWS_LAMBDA_FUNCTION_NAME", "secret-rotator-under-test"));

        Object report = ops.run("sweep", Map.of("action", "sweep"));

        assertThat(report.toString()).contains(tagged).doesNotContain(otherValue).doesNotContain(untagged);
    }

    @Test
    void status_inTagMode_listsTheTaggedSecrets() {
        Operations ops = operations(Map.of("ROTATOR_SECRET_TAG", "rotation-deployment=platform"));

        assertThat(ops.status().candidates(java.util.Optional.empty())).containsExactly(tagged);
    }

    private String create(String name, Map<String, String> tags) {
        String arn = setup.client.createSecret(b -> b.name(name).secretString(VALUE.formatted(name.replace('/', '-')))
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()))
                .arn();
        setup.driver.rotate(arn);
        return arn;
    }

    private Operations operations(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(TestRotator.testEnv(env));
        SecretsManagerClient client = calls.wrap(SecretsManagerClient.class, setup.client);
        return Components.of(ProviderServices.builder().config(RotatorConfig.fromEnv(all)).telemetry(Telemetry.stdout())
                .client(SecretsManagerClient.class, () -> client).build()).operations();
    }

    private List<Filter> listFilters() {
        return calls.requests().stream().filter(ListSecretsRequest.class::isInstance).map(ListSecretsRequest.class::cast)
                .findFirst().orElseThrow().filters();
    }
}
