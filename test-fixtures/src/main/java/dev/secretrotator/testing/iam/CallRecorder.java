package dev.secretrotator.testing.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An SDK v2 interceptor that records each call as IAM sees it: action, resource ARN and the
 * condition context ({@code aws:TagKeys} of tagging calls; {@code kms:ViaService} of the KMS use
 * Secrets Manager makes for a secret under a customer key). Calls that IAM authorizes against the
 * caller although another service makes them are recorded as implied: the KMS calls behind
 * {@code GetSecretValue}/{@code PutSecretValue} of a secret under a customer key, and the
 * {@code lambda:InvokeFunction} that {@code RotateSecret} needs on the rotation function (the
 * request's {@code RotationLambdaARN}, else the secret's configured one). Add it to every client the function
 * uses ({@code overrideConfiguration(o -> o.addExecutionInterceptor(recorder))}).
 *
 * <p>A call is the role's ({@link RecordedCall#own()}) only when its signature names the
 * function's access key id; calls signed with a new access key or an assumed role's credentials
 * are recorded as not own. Recording happens after signing and before sending, so a call that
 * fails is recorded too. An operation without a known resource mapping throws, so a new call is
 * never recorded wrongly. Thread-safe.
 */
public final class CallRecorder implements ExecutionInterceptor {
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/[^/]+/[^/]+/([^/]+)/");
    private static final Map<String, String> IAM_PREFIX = Map.of("secretsmanager", "secretsmanager", "iam", "iam",
            "sts", "sts", "eventbridge", "events", "kms", "kms");

    private final String ownAccessKeyId;
    private final ResourceNames names;
    private final List<RecordedCall> calls = new ArrayList<>();
    private volatile String scenario = "setup";

    /**
     * @param ownAccessKeyId the access key id the function's own clients sign with
     * @param names turns the names in requests into ARNs
     */
    public CallRecorder(String ownAccessKeyId, ResourceNames names) {
        this.ownAccessKeyId = ownAccessKeyId;
        this.names = names;
    }

    /** Labels the calls recorded from now on. */
    public void scenario(String name) {
        this.scenario = name;
    }

    public synchronized List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String authorization = context.httpRequest().firstMatchingHeader("Authorization").orElse("");
        Matcher signed = CREDENTIAL.matcher(authorization);
        boolean own = signed.find() && signed.group(1).equals(ownAccessKeyId);
        String action = iamAction(attributes);
        String prefix = action.substring(0, action.indexOf(':'));
        String operation = action.substring(action.indexOf(':') + 1);
        SdkRequest request = context.request();
        String resource = own ? resourceOf(action, request) : foreignResource(action, request);
        Map<String, List<String>> conditions = contextOf(operation, request);
        List<RecordedCall> recorded = new ArrayList<>();
        recorded.add(new RecordedCall(scenario, action, resource, conditions, own, false));
        if (prefix.equals("secretsmanager") && !resource.equals("*")) {
            impliedKms(operation, resource, own).forEach(recorded::add);
        }
        if (action.equals("secretsmanager:RotateSecret") && own) {
            impliedInvoke(request, resource).forEach(recorded::add);
        }
        synchronized (this) {
            calls.addAll(recorded);
        }
    }

    /** The IAM action of an SDK call, {@code prefix:Operation}; throws for a service it does not know. */
    public static String iamAction(ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String prefix = IAM_PREFIX.get(service.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", ""));
        if (prefix == null) {
            throw new IllegalStateException("CallRecorder: no IAM prefix known for service " + service);
        }
        return prefix + ":" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    private String resourceOf(String action, SdkRequest request) {
        return switch (action) {
            case "secretsmanager:GetRandomPassword", "secretsmanager:ListSecrets", "sts:GetCallerIdentity" -> "*";
            case "iam:GetAccessKeyLastUsed" -> names.userArnOfKey(field(request, "AccessKeyId"));
            case "sts:AssumeRole" -> field(request, "RoleArn");
            case "events:PutEvents" -> busArn(request);
            default -> {
                if (action.startsWith("secretsmanager:")) {
                    yield names.secretArn(field(request, "SecretId"));
                }
                if (action.startsWith("iam:")) {
                    yield names.userArn(field(request, "UserName"));
                }
                if (action.startsWith("kms:")) {
                    yield field(request, "KeyId");
                }
                throw new IllegalStateException("CallRecorder: no resource mapping for " + action);
            }
        };
    }

    // not the role's call: its resource may live in another account the test world does not name
    private String foreignResource(String action, SdkRequest request) {
        try {
            return resourceOf(action, request);
        } catch (RuntimeException elsewhere) {
            return "?";
        }
    }

    private Map<String, List<String>> contextOf(String operation, SdkRequest request) {
        return switch (operation) {
            case "TagResource" -> Map.of("aws:TagKeys", request.getValueForField("Tags", List.class).orElse(List.of())
                    .stream().map(t -> (String) pojoField((SdkPojo) t, "Key").orElseThrow()).toList());
            case "UntagResource" -> Map.of("aws:TagKeys", request.getValueForField("TagKeys", List.class).orElse(List.of())
                    .stream().map(String.class::cast).toList());
            default -> Map.of();
        };
    }

    private List<RecordedCall> impliedKms(String operation, String secretArn, boolean own) {
        Optional<String> key = names.secretKmsKey(secretArn);
        if (key.isEmpty()) {
            return List.of();
        }
        List<String> actions = switch (operation) {
            case "GetSecretValue" -> List.of("kms:Decrypt");
            case "PutSecretValue" -> List.of("kms:GenerateDataKey", "kms:Decrypt");
            default -> List.of();
        };
        Map<String, List<String>> via = Map.of("kms:ViaService", List.of("secretsmanager." + names.region() + ".amazonaws.com"));
        return actions.stream().map(a -> new RecordedCall(scenario, a, key.get(), via, own, true)).toList();
    }

    // RotateSecret: "you also need lambda:InvokeFunction permissions on the rotation function" (API reference)
    private List<RecordedCall> impliedInvoke(SdkRequest request, String secretArn) {
        Optional<String> function = request.getValueForField("RotationLambdaARN", String.class)
                .or(() -> names.secretRotationFunction(secretArn));
        return function.map(f -> new RecordedCall(scenario, "lambda:InvokeFunction", f, Map.of(), true, true))
                .stream().toList();
    }

    private String busArn(SdkRequest request) {
        List<?> entries = request.getValueForField("Entries", List.class).orElse(List.of());
        String bus = entries.isEmpty() ? "default"
                : pojoField((SdkPojo) entries.get(0), "EventBusName").map(String.class::cast).orElse("default");
        return bus.startsWith("arn:") ? bus
                : "arn:" + names.partition() + ":events:" + names.region() + ":" + names.account() + ":event-bus/" + bus;
    }

    private static String field(SdkRequest request, String name) {
        return request.getValueForField(name, String.class).orElseThrow(() -> new IllegalStateException(
                "CallRecorder: " + request.getClass().getSimpleName() + " has no " + name));
    }

    private static Optional<Object> pojoField(SdkPojo pojo, String name) {
        return pojo.sdkFields().stream().filter(f -> f.memberName().equals(name)).findFirst()
                .map(f -> f.getValueOrDefault(pojo));
    }
}
