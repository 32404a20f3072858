package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag AwsSolutions: no unsuppressed finding, and every suppression is justified in the docs. */
class CdkNagTest {

    private static Stack sample;
    private static Stack everyOption;
    private static Stack prefixMode;

    @BeforeAll
    static void synth() {
        // GIVEN both stacks under the AwsSolutions pack
        App app = new App();
        sample = TestStacks.sample(app);
        everyOption = TestStacks.everyOption(app);
        prefixMode = new Stack(app, "PrefixMode", software.amazon.awscdk.StackProps.builder().env(software.amazon.awscdk.Environment.builder()
                        .account(TestSupport.ACCOUNT).region(TestSupport.REGION).build()).build());
        SecretRotatorFunction prefixed = new SecretRotatorFunction(prefixMode, "Rotator", TestSupport.props()
                .secretNamePrefixes(List.of("team-a/", "team-b/")).build());
        new RetirementSweep(prefixMode, "Sweep", prefixed, null);
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
    }

    // Annotations still hands out cxapi.SynthesisMessage, deprecated without a replacement in this release
    @SuppressWarnings("deprecation")
    private static List<String> findings(Stack stack) {
        List<String> out = new ArrayList<>();
        for (SynthesisMessage m : Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            out.add(m.getId() + ": " + m.getEntry().getData());
        }
        for (SynthesisMessage m : Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            out.add(m.getId() + ": " + m.getEntry().getData());
        }
        return out;
    }

    @Test
    void sampleStack_hasNoUnsuppressedFinding() {
        assertThat(findings(sample)).isEmpty();
    }

    @Test
    void everyOptionStack_hasNoUnsuppressedFinding() {
        assertThat(findings(everyOption)).isEmpty();
    }

    @Test
    void prefixModeStack_hasNoUnsuppressedFinding() {
        assertThat(findings(prefixMode)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySuppression_hasItsReasonInTheDeploymentGuide() throws IOException {
        // GIVEN
        String guide = Files.readString(TestSupport.repoDir().resolve("docs/deployment.md"));
        List<Map<String, Object>> suppressions = new ArrayList<>();
        for (Stack stack : List.of(sample, everyOption)) {
            for (Object resource : Template.fromStack(stack).toJSON().get("Resources") instanceof Map<?, ?> r
                    ? r.values() : List.of()) {
                Map<String, Object> metadata = (Map<String, Object>) ((Map<String, Object>) resource).get("Metadata");
                Object nag = metadata == null ? null : metadata.get("cdk_nag");
                if (nag != null) {
                    suppressions.addAll((List<Map<String, Object>>) ((Map<String, Object>) nag).get("rules_to_suppress"));
                }
            }
        }

        // THEN
        assertThat(suppressions).isNotEmpty().allSatisfy(s -> {
            assertThat(s.get("reason").toString()).hasSizeGreaterThan(40);
            assertThat(guide).as("docs/deployment.md documents %s", s.get("id")).contains(s.get("id").toString());
            assertThat(guide).as("docs/deployment.md gives the reason of %s", s.get("id"))
                    .contains(s.get("reason").toString());
        });
    }
}
