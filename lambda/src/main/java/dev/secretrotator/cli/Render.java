package dev.secretrotator.cli;

import java.util.Map;
import java.util.stream.Collectors;

/** Small text helpers for tables: maps as {@code key=value} pairs, never Java's {@code {k=v}} form. */
final class Render {
    private Render() {}

    static String pairs(Map<String, ?> map) {
        return map.entrySet().stream().filter(e -> e.getValue() != null && !String.valueOf(e.getValue()).isEmpty())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
