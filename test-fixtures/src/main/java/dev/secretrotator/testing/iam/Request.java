package dev.secretrotator.testing.iam;

import java.util.List;
import java.util.Map;

/**
 * One request to authorize: the IAM action ({@code secretsmanager:TagResource}), the resource ARN
 * (or {@code *} for actions without a resource type) and the request context, each key with its
 * values (a single-valued key has one). A key that is absent is absent from the map.
 */
public record Request(String action, String resource, Map<String, List<String>> context) {
    public Request {
        context = Map.copyOf(context);
    }

    public static Request of(String action, String resource) {
        return new Request(action, resource, Map.of());
    }
}
