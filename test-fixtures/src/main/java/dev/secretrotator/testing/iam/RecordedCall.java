package dev.secretrotator.testing.iam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One AWS call the function made, as IAM authorizes it.
 *
 * @param scenario what the test was doing ({@code rotation/aws-iam}, {@code sweep-all}, ...)
 * @param action the IAM action, {@code service:Operation}
 * @param resource the ARN acted on, or {@code *}
 * @param context request context keys for conditions ({@code aws:TagKeys}, {@code kms:ViaService})
 * @param own true when signed with the function's own credentials; false for calls the role's
 *     policy does not govern (a new access key proving itself, an assumed role)
 * @param implied true for calls a service makes on the caller's behalf (KMS behind Secrets Manager)
 */
public record RecordedCall(String scenario, String action, String resource, Map<String, List<String>> context,
        boolean own, boolean implied) {
    public RecordedCall {
        context = Map.copyOf(context);
    }

    public Request request() {
        return new Request(action, resource, context);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario);
        json.put("action", action);
        json.put("resource", resource);
        json.put("context", new LinkedHashMap<>(context));
        json.put("own", own);
        json.put("implied", implied);
        return json;
    }

    @SuppressWarnings("unchecked")
    public static RecordedCall fromJson(Map<String, Object> json) {
        return new RecordedCall((String) json.get("scenario"), (String) json.get("action"), (String) json.get("resource"),
                (Map<String, List<String>>) json.get("context"), (Boolean) json.get("own"), (Boolean) json.get("implied"));
    }

    @Override
    public String toString() {
        return action + " on " + resource + (context.isEmpty() ? "" : " with " + context) + " (" + scenario + ")";
    }
}
