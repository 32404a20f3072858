package dev.secretrotator.provider.http;

import dev.secretrotator.provider.http.Profile.Call;
import dev.secretrotator.provider.http.ReadBeforeCreate.Current;
import dev.secretrotator.provider.http.ReadBeforeCreate.Expiry;
import dev.secretrotator.provider.http.ReadBeforeCreate.ExpiryFormat;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The profile format's version and the members version 2 added: {@code current} (read the
 * current key's attributes before create), {@code expiry} (the new key's expiry), a {@code body}
 * on {@code revoke}, {@code lastUsed.activePointer}, {@code verify.endpoint}, OAuth 2.0 token steps
 * ({@code auth.key.token}, {@code auth.admin.token}, {@code tokenEndpoint}; a {@code verify} without
 * a call when the key's token step is the proof), {@code deactivate} (deactivate before delete), and
 * on {@code create} {@code response.idPattern} and {@code "named": false}. A profile without {@code formatVersion}
 * is version 1 and stays valid as it was; the members of version 2 need {@code "formatVersion": 2},
 * so a profile written for a newer function is refused by name rather than half understood.
 */
final class ProfileFormat {
    static final int LATEST = 2;
    private static final String EXPIRY_FORMATS = "date, iso-8601, epoch-seconds, lifetime-seconds or lifetime-hours";

    private final int version;
    private final Function<ProfileNode, Call> calls;

    private ProfileFormat(int version, Function<ProfileNode, Call> calls) {
        this.version = version;
        this.calls = calls;
    }

    /**
     * @param root the profile
     * @param calls parses one call object (method, path, body) as the profile parser does
     */
    static ProfileFormat of(ProfileNode root, Function<ProfileNode, Call> calls) {
        Object raw = root.raw("formatVersion").orElse(1);
        if (!(raw instanceof Integer v) || v < 1) {
            throw root.error(root.field("formatVersion"), "must be a whole number: 1 or " + LATEST);
        }
        if (v > LATEST) {
            throw root.error(root.field("formatVersion"), "is " + v + ", but this function reads profile formats 1 to "
                    + LATEST + ": update the function, or write the profile in an older format");
        }
        return new ProfileFormat(v, calls);
    }

    int version() {
        return version;
    }

    /** Refuses a member of a newer format than the profile declares. */
    void require(ProfileNode node, String member) {
        if (node.raw(member).isPresent() && version < 2) {
            throw node.error(node.field(member), "needs \"formatVersion\": 2 at the top of the profile");
        }
    }

    Optional<Current> current(ProfileNode root) {
        require(root, "current");
        return root.optionalObject("current").map(node -> {
            node.only("method", "path", "auth", "fields");
            Call call = calls.apply(node);
            boolean withKey = node.string("auth").map(a -> switch (a) {
                case "key" -> true;
                case "management" -> false;
                default -> throw node.error(node.field("auth"), "must be key or management");
            }).orElse(false);
            ProfileNode fields = node.object("fields", "the attributes to read: name -> JSON pointer, e.g. {\"scopes\": \"/scopes\"}");
            Map<String, String> pointers = new LinkedHashMap<>();
            fields.map.forEach((name, pointer) -> {
                if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                    throw fields.error(fields.field(name), "must be a name of letters, digits and _");
                }
                if (!(pointer instanceof String p) || !p.startsWith("/")) {
                    throw fields.error(fields.field(name), "must be a JSON pointer starting with /");
                }
                pointers.put(name, p);
            });
            if (pointers.isEmpty()) {
                throw node.error(node.field("fields"), "must name at least one attribute");
            }
            return new Current(call, withKey, Map.copyOf(pointers));
        });
    }

    Optional<Expiry> expiry(ProfileNode root, Optional<Current> current) {
        require(root, "expiry");
        return root.optionalObject("expiry").map(node -> {
            node.only("format", "lifetime", "issuedField", "expiresField");
            ExpiryFormat format = node.string("format").map(f -> switch (f) {
                case "date" -> ExpiryFormat.DATE;
                case "iso-8601" -> ExpiryFormat.ISO_8601;
                case "epoch-seconds" -> ExpiryFormat.EPOCH_SECONDS;
                case "lifetime-seconds" -> ExpiryFormat.LIFETIME_SECONDS;
                case "lifetime-hours" -> ExpiryFormat.LIFETIME_HOURS;
                default -> throw node.error(node.field("format"), "must be " + EXPIRY_FORMATS);
            }).orElseThrow(() -> node.error(node.field("format"), "is missing; " + EXPIRY_FORMATS));
            Optional<Duration> lifetime = node.string("lifetime").map(text -> {
                try {
                    Duration d = Duration.parse(text);
                    if (d.isNegative() || d.isZero()) {
                        throw node.error(node.field("lifetime"), "must be positive");
                    }
                    return d;
                } catch (DateTimeParseException e) {
                    throw node.error(node.field("lifetime"), "must be an ISO-8601 duration such as P90D");
                }
            });
            Set<String> known = current.map(c -> c.fields().keySet()).orElse(Set.of());
            Optional<String> issued = currentField(node, "issuedField", known);
            Optional<String> expires = currentField(node, "expiresField", known);
            if (issued.isPresent() != expires.isPresent()) {
                throw node.error(node.path, "needs both issuedField and expiresField, or neither");
            }
            return new Expiry(format, lifetime, issued, expires);
        });
    }

    private static Optional<String> currentField(ProfileNode node, String member, Set<String> known) {
        Optional<String> field = node.string(member);
        if (field.isPresent() && !known.contains(field.get())) {
            throw node.error(node.field(member), "must name a field of the profile's current.fields " + known);
        }
        return field;
    }

    /**
     * {@code {current.x}} and {@code {newExpiry}} exist only while creating: no other call, no
     * endpoint, no key name and no auth template may use them.
     */
    static void checkOnlyCreateUses(Profile profile, ProfileNode root) {
        Map<String, Set<String>> others = new LinkedHashMap<>();
        List<Call> calls = new ArrayList<>(profile.calls());
        calls.remove(profile.create().call());
        for (Call call : calls) {
            Set<String> used = new java.util.TreeSet<>(Template.placeholders(call.path()));
            call.body().ifPresent(b -> used.addAll(Template.placeholders(b)));
            others.put(call.method() + " " + call.path(), used);
        }
        others.put("keyName", Template.placeholders(profile.keyName()));
        profile.verify().endpoint().ifPresent(e -> others.put("verify.endpoint", Template.placeholders(e)));
        others.put("auth.key", profile.auth().key().placeholders());
        profile.auth().admin().ifPresent(a -> others.put("auth.admin", a.placeholders()));
        others.forEach((where, used) -> {
            for (String name : used) {
                if (name.startsWith(ReadBeforeCreate.PREFIX) || name.equals(ReadBeforeCreate.NEW_EXPIRY)) {
                    throw root.error(where, "uses {" + name + "}, which only the create call has");
                }
            }
        });
    }

    /** Every {@code {current.x}} the create call uses must be read, and {@code {newExpiry}} needs an expiry block. */
    static void checkCreateVariables(Set<String> placeholders, Optional<Current> current, Optional<Expiry> expiry,
            ProfileNode create) {
        for (String name : placeholders) {
            if (name.startsWith(ReadBeforeCreate.PREFIX)
                    && current.map(c -> c.fields().containsKey(name.substring(ReadBeforeCreate.PREFIX.length()))).orElse(false) == false) {
                throw create.error(create.path, "uses {" + name + "}, which the profile's current.fields does not read");
            }
            if (name.equals(ReadBeforeCreate.NEW_EXPIRY) && expiry.isEmpty()) {
                throw create.error(create.path, "uses {" + ReadBeforeCreate.NEW_EXPIRY + "}, which needs an expiry block");
            }
        }
        if (expiry.isPresent() && !placeholders.contains(ReadBeforeCreate.NEW_EXPIRY)) {
            throw create.error(create.path, "does not send {" + ReadBeforeCreate.NEW_EXPIRY + "}, so the profile's expiry"
                    + " block would change nothing: use {" + ReadBeforeCreate.NEW_EXPIRY + "} in the create call, or drop the block");
        }
    }

    /** The profile's {@code tokenEndpoint}, an absolute URL, if it has one. */
    Optional<String> tokenEndpoint(ProfileNode root) {
        require(root, "tokenEndpoint");
        return root.string("tokenEndpoint");
    }

    /**
     * An auth template's {@code token} step: {@code {"grant": "client-credentials", "path": ..., "clientId": ...,
     * "clientSecret": ..., "clientAuth": "basic"|"body", "scope": ...}} or {@code {"grant": "jwt-bearer", "path": ...,
     * "keyFile": ..., "scope": ...}}.
     */
    Optional<Profile.TokenGrant> token(ProfileNode auth) {
        require(auth, "token");
        return auth.optionalObject("token").map(node -> {
            node.only("grant", "path", "clientId", "clientSecret", "clientAuth", "scope", "keyFile");
            Profile.GrantType grant = node.string("grant").map(g -> switch (g) {
                case "client-credentials" -> Profile.GrantType.CLIENT_CREDENTIALS;
                case "jwt-bearer" -> Profile.GrantType.JWT_BEARER;
                default -> throw node.error(node.field("grant"), "must be client-credentials or jwt-bearer");
            }).orElseThrow(() -> node.error(node.field("grant"), "is missing; client-credentials or jwt-bearer"));
            String path = calls.apply(node).path();
            Optional<String> clientId = node.string("clientId");
            Optional<String> clientSecret = node.string("clientSecret");
            Optional<String> keyFile = node.string("keyFile");
            if (grant == Profile.GrantType.CLIENT_CREDENTIALS && (clientId.isEmpty() || clientSecret.isEmpty() || keyFile.isPresent())) {
                throw node.error(node.path, "with grant client-credentials needs clientId and clientSecret, and no keyFile");
            }
            if (grant == Profile.GrantType.JWT_BEARER && (keyFile.isEmpty() || clientId.isPresent() || clientSecret.isPresent())) {
                throw node.error(node.path, "with grant jwt-bearer needs keyFile (a service-account key file), and no clientId"
                        + " or clientSecret");
            }
            Profile.ClientAuth clientAuth = node.string("clientAuth").map(a -> switch (a) {
                case "basic" -> Profile.ClientAuth.BASIC;
                case "body" -> Profile.ClientAuth.BODY;
                default -> throw node.error(node.field("clientAuth"), "must be basic or body");
            }).orElse(Profile.ClientAuth.BASIC);
            return new Profile.TokenGrant(grant, path, clientId, clientSecret, clientAuth, node.string("scope"), keyFile);
        });
    }

    /**
     * {@code "deactivate": {"method", "path", "check": {"method", "path", "pointer", "inactive"}}}: the sweep
     * deactivates the previous key after the grace period and deletes it after the hold, once the check
     * still reads it inactive.
     */
    Optional<Profile.Deactivate> deactivate(ProfileNode root) {
        require(root, "deactivate");
        return root.optionalObject("deactivate").map(node -> {
            node.only("method", "path", "body", "check");
            if (node.raw("method").isEmpty()) {
                throw node.error(node.field("method"), "is missing: the vendor's deactivate method (usually POST)");
            }
            Call call = calls.apply(node);
            ProfileNode checkNode = node.object("check", "the read that tells whether a key is still inactive");
            checkNode.only("method", "path", "pointer", "inactive");
            Call check = calls.apply(checkNode);
            for (Call c : List.of(call, check)) {
                if (!Template.placeholders(c.path()).contains(Target.KEY_ID)) {
                    throw node.error(c == call ? node.field("path") : checkNode.field("path"), "must contain {keyId}");
                }
            }
            String pointer = checkNode.string("pointer").filter(p -> p.startsWith("/"))
                    .orElseThrow(() -> checkNode.error(checkNode.field("pointer"), "must be a JSON pointer starting with /"));
            Object inactive = checkNode.raw("inactive").filter(v -> v instanceof String || v instanceof Boolean || v instanceof Number)
                    .orElseThrow(() -> checkNode.error(checkNode.field("inactive"), "must be the value (a string, boolean or number)"
                            + " that means inactive, e.g. \"INACTIVE\" or true"));
            return new Profile.Deactivate(call, check, pointer, inactive);
        });
    }
}
