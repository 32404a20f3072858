package dev.secretrotator.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the CloudFormation intrinsics of a template for given parameter values, as
 * CloudFormation would at deploy time: {@code Ref} (pseudo parameters, parameters, resources),
 * {@code Fn::GetAtt}, {@code Fn::Join}, {@code Fn::Sub}, {@code Fn::If} with the template's
 * {@code Conditions} ({@code Fn::Equals}, {@code Fn::Not}, {@code Fn::And}, {@code Fn::Or},
 * {@code Condition}), {@code Fn::Select} and {@code Fn::Split}; {@code AWS::NoValue} removes the
 * element. A resource's Ref or attribute becomes {@code <LogicalId>.<Attr>} unless the caller names
 * its value. Anything else throws, so an unresolved value can never reach the policy evaluator.
 */
final class CfnResolver {
    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, Object> template;
    private final Map<String, Object> values = new LinkedHashMap<>();

    /**
     * @param template the template as JSON maps
     * @param partition the pseudo parameters' values
     * @param parameters values of the template's parameters (strings; comma-separated for lists);
     *     the others take their Default
     */
    CfnResolver(Map<String, Object> template, String partition, String region, String account,
            Map<String, String> parameters) {
        this.template = template;
        values.put("AWS::Partition", partition);
        values.put("AWS::Region", region);
        values.put("AWS::AccountId", account);
        values.put("AWS::URLSuffix", "amazonaws.com");
        values.put("AWS::StackName", "contract");
        values.put("AWS::NoValue", NO_VALUE);
        map(template.get("Parameters")).forEach((name, decl) -> {
            Map<String, Object> d = map(decl);
            Object value = parameters.containsKey(name) ? parameters.get(name) : d.get("Default");
            if (value == null) {
                throw new IllegalArgumentException("template parameter " + name + " has no Default and was not given");
            }
            String text = String.valueOf(value);
            values.put(name, String.valueOf(d.get("Type")).startsWith("CommaDelimitedList") || String.valueOf(d.get("Type")).startsWith("List<")
                    ? List.of(text.split(",", -1)) : text);
        });
        parameters.keySet().stream().filter(p -> !values.containsKey(p)).findAny().ifPresent(p -> {
            throw new IllegalArgumentException("the template has no parameter " + p);
        });
    }

    /** Names the value of a resource's Ref (or {@code Logical.Attr} for an attribute). */
    CfnResolver with(String refOrAttribute, String value) {
        values.put(refOrAttribute, value);
        return this;
    }

    Object resolve(Object node) {
        Object r = resolveOrNoValue(node);
        if (r == NO_VALUE) {
            throw new IllegalStateException("AWS::NoValue at the top of " + node);
        }
        return r;
    }

    private Object resolveOrNoValue(Object node) {
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                Object r = resolveOrNoValue(o);
                if (r != NO_VALUE) {
                    out.add(r);
                }
            }
            return out;
        }
        if (!(node instanceof Map<?, ?> raw)) {
            return node;
        }
        Map<String, Object> m = map(raw);
        if (m.size() == 1) {
            String key = m.keySet().iterator().next();
            if (key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition")) {
                return intrinsic(key, m.get(key));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            Object r = resolveOrNoValue(v);
            if (r != NO_VALUE) {
                out.put(k, r);
            }
        });
        return out;
    }

    private Object intrinsic(String function, Object arg) {
        return switch (function) {
            case "Ref" -> ref((String) arg);
            case "Fn::GetAtt" -> ref(arg instanceof List<?> l ? l.get(0) + "." + l.get(1) : (String) arg);
            case "Fn::Join" -> join(list(arg));
            case "Fn::Sub" -> sub(arg);
            case "Fn::If" -> condition((String) list(arg).get(0)) ? resolveOrNoValue(list(arg).get(1)) : resolveOrNoValue(list(arg).get(2));
            case "Fn::Select" -> list(resolve(list(arg).get(1))).get(Integer.parseInt(String.valueOf(resolve(list(arg).get(0)))));
            case "Fn::Split" -> List.of(((String) resolve(list(arg).get(1))).split(java.util.regex.Pattern.quote((String) list(arg).get(0)), -1));
            case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition" -> test(function, arg);
            default -> throw new IllegalStateException("CfnResolver does not resolve " + function + ": " + arg);
        };
    }

    private Object ref(String name) {
        if (values.containsKey(name)) {
            return values.get(name);
        }
        String logical = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        if (map(template.get("Resources")).containsKey(logical)) {
            return name.contains(".") ? name : name + ".Ref";
        }
        throw new IllegalStateException("CfnResolver: nothing named " + name + " to reference");
    }

    private String join(List<Object> arg) {
        List<String> parts = new ArrayList<>();
        for (Object o : list(resolve(arg.get(1)))) {
            parts.add(string(o));
        }
        return String.join((String) arg.get(0), parts);
    }

    private String sub(Object arg) {
        String text = arg instanceof List<?> l ? (String) l.get(0) : (String) arg;
        Map<String, Object> vars = arg instanceof List<?> l ? map(l.get(1)) : Map.of();
        Matcher m = SUB_VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String var = m.group(1);
            Object value = vars.containsKey(var) ? resolve(vars.get(var)) : ref(var);
            m.appendReplacement(out, Matcher.quoteReplacement(string(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    boolean condition(String name) {
        Object c = map(template.get("Conditions")).get(name);
        if (c == null) {
            throw new IllegalStateException("CfnResolver: no condition " + name);
        }
        return (Boolean) resolve(c);
    }

    private Boolean test(String function, Object arg) {
        return switch (function) {
            case "Condition" -> condition((String) arg);
            case "Fn::Equals" -> String.valueOf(canonical(resolve(list(arg).get(0)))).equals(String.valueOf(canonical(resolve(list(arg).get(1)))));
            case "Fn::Not" -> !(Boolean) resolve(list(arg).get(0));
            case "Fn::And" -> list(arg).stream().allMatch(a -> (Boolean) resolve(a));
            default -> list(arg).stream().anyMatch(a -> (Boolean) resolve(a));
        };
    }

    private static Object canonical(Object v) {
        return v instanceof List<?> l && l.size() == 1 ? l.get(0) : v;
    }

    private static String string(Object o) {
        if (!(o instanceof String s)) {
            throw new IllegalStateException("CfnResolver: expected a string, got " + o);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (!(o instanceof List)) {
            throw new IllegalStateException("CfnResolver: expected a list, got " + o);
        }
        return (List<Object>) o;
    }
}
