package dev.secretrotator.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds CloudWatch Embedded Metric Format documents. */
final class Emf {
    private Emf() {}

    static Map<String, Object> line(
            String namespace, long epochMillis, String name, double value, String unit, Map<String, String> given,
            java.util.Optional<String> functionName) {
        Map<String, String> dims = new LinkedHashMap<>();
        functionName.ifPresent(f -> dims.put(Telemetry.FUNCTION_DIMENSION, f));
        dims.putAll(given);
        List<List<String>> dimensionSets = new ArrayList<>();
        if (!given.isEmpty()) {
            dimensionSets.add(List.copyOf(dims.keySet()));
        }
        functionName.ifPresent(f -> dimensionSets.add(List.of(Telemetry.FUNCTION_DIMENSION)));
        dimensionSets.add(List.of());
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", dimensionSets);
        directive.put("Metrics", List.of(Map.of("Name", name, "Unit", unit)));
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", epochMillis);
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_aws", aws);
        doc.putAll(dims);
        doc.put(name, value);
        return doc;
    }
}
