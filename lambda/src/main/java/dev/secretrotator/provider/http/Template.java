package dev.secretrotator.provider.http;

import dev.secretrotator.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placeholders in profile templates: {@code {field}} is replaced by a variable, {@code {field?}}
 * by the variable or nothing. In a JSON body, a string that is exactly one placeholder takes the
 * variable's JSON value (an array of scopes, a number); an optional one that is absent drops the
 * member. In paths every substituted value is percent-encoded, so a value can never add a path
 * segment, a query or another host.
 */
final class Template {
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_.-]*)(\\??)}");

    /**
     * Variables and what they came from, for messages ("the secret", "the admin secret").
     *
     * @param values the variables; a value is a string, number, boolean or JSON structure
     * @param source what the variables are fields of
     */
    record Vars(Map<String, ?> values, String source) {
        Vars with(String name, Object value) {
            Map<String, Object> copy = new LinkedHashMap<>(values);
            copy.put(name, value);
            return new Vars(copy, source);
        }
    }

    /** How substituted values are encoded. */
    enum Encoding { NONE, URL }

    private Template() {}

    /** The names of the placeholders in a string template (without the {@code ?}). */
    static Set<String> placeholders(String template) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The names of the placeholders in every string of a JSON template. */
    static Set<String> placeholders(Object json) {
        Set<String> names = new TreeSet<>();
        if (json instanceof String s) {
            names.addAll(placeholders(s));
        } else if (json instanceof Map<?, ?> map) {
            map.values().forEach(v -> names.addAll(placeholders(v)));
        } else if (json instanceof List<?> list) {
            list.forEach(v -> names.addAll(placeholders(v)));
        }
        return names;
    }

    /**
     * Renders a string template.
     *
     * @param where the template's place in the profile, for messages ({@code create.path})
     * @throws InvalidInputException if a required variable is missing or not a scalar
     */
    static String render(String template, Vars vars, Encoding encoding, String where) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = lookup(m.group(1), !m.group(2).isEmpty(), vars, where);
            String text = value == null ? "" : scalar(value, m.group(1), where);
            m.appendReplacement(out, Matcher.quoteReplacement(encoding == Encoding.URL ? encode(text) : text));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Renders a JSON body template; members whose optional placeholder is absent are dropped. */
    static Map<String, Object> renderBody(Map<String, Object> body, Vars vars, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        body.forEach((k, v) -> {
            Object rendered = renderValue(v, vars, where + "." + k);
            if (rendered != null) {
                out.put(k, rendered);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object renderValue(Object value, Vars vars, String where) {
        if (value instanceof String s) {
            Matcher whole = PLACEHOLDER.matcher(s);
            if (whole.matches()) {
                return lookup(whole.group(1), !whole.group(2).isEmpty(), vars, where);
            }
            return render(s, vars, Encoding.NONE, where);
        }
        if (value instanceof Map<?, ?> map) {
            return renderBody((Map<String, Object>) map, vars, where);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> renderValue(v, vars, where)).filter(v -> v != null).toList();
        }
        return value;
    }

    private static Object lookup(String name, boolean optional, Vars vars, String where) {
        Object value = vars.values().get(name);
        if ((value == null || "".equals(value)) && !optional) {
            throw new InvalidInputException("the profile's " + where + " uses {" + name + "}, but " + vars.source()
                    + " has no field \"" + name + "\"");
        }
        return "".equals(value) ? null : value;
    }

    private static String scalar(Object value, String name, String where) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new InvalidInputException("the profile's " + where + " uses {" + name + "} inside a string,"
                + " so field \"" + name + "\" must be a string or a number");
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
