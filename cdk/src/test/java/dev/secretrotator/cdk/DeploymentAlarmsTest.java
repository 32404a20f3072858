package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Issue 17 item 3: two deployments in one account and region alarm only on their own metrics.
 * Every alarm on the rotator's namespace selects {@code FunctionName}, and the two sets are disjoint.
 */
class DeploymentAlarmsTest {

    @Test
    void twoDeploymentsInOneApp_haveDisjointAlarmsOnTheRotatorsMetrics() {
        // GIVEN two deployments in the same account and region
        App app = new App();
        Stack a = deployment(app, "TeamA");
        Stack b = deployment(app, "TeamB");

        // WHEN
        List<String> alarmsA = rotatorAlarmKeys(a);
        List<String> alarmsB = rotatorAlarmKeys(b);

        // THEN each selects its own function, and no alarm of one watches a metric of the other
        assertThat(alarmsA).hasSize(2).allMatch(k -> k.contains("FunctionName="));
        assertThat(alarmsB).hasSize(2);
        Set<String> common = new HashSet<>(alarmsA);
        common.retainAll(alarmsB);
        assertThat(common).isEmpty();
    }

    private static Stack deployment(App app, String id) {
        Stack stack = new Stack(app, id, StackProps.builder()
                .env(Environment.builder().account(TestSupport.ACCOUNT).region(TestSupport.REGION).build()).build());
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props()
                .secretTag(new SecretTag("rotation-deployment", id)).build());
        new RotationAlarms(stack, "Monitoring", RotationAlarmsProps.of(rotator));
        return stack;
    }

    /**
     * Each alarm on the SecretRotator namespace as "metric|dimension=value...", its function name
     * resolved to the function's logical id (two stacks' Refs would otherwise look alike).
     */
    @SuppressWarnings("unchecked")
    private static List<String> rotatorAlarmKeys(Stack stack) {
        List<String> keys = new ArrayList<>();
        for (Object r : Template.fromStack(stack).findResources("AWS::CloudWatch::Alarm").values()) {
            Map<String, Object> p = (Map<String, Object>) ((Map<String, Object>) r).get("Properties");
            if (!RotationAlarms.NAMESPACE.equals(p.get("Namespace"))) {
                continue;
            }
            StringBuilder key = new StringBuilder((String) p.get("MetricName"));
            for (Object d : (List<Object>) p.getOrDefault("Dimensions", List.of())) {
                Map<String, Object> dim = (Map<String, Object>) d;
                Object value = dim.get("Value");
                String resolved = value instanceof Map<?, ?> ref && ref.get("Ref") != null
                        ? stack.getStackName() + "/" + ref.get("Ref") : String.valueOf(value);
                key.append('|').append(dim.get("Name")).append('=').append(resolved);
            }
            keys.add(key.toString());
        }
        return keys;
    }
}
