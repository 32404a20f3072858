package dev.secretrotator.provider.http;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.handler.AwsClients;
import dev.secretrotator.provider.Deadline;
import dev.secretrotator.provider.http.Profile.BodyFormat;
import dev.secretrotator.provider.http.Profile.Call;
import dev.secretrotator.provider.http.Template.Encoding;
import dev.secretrotator.provider.http.Template.Vars;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The vendor's key API, as the profile describes it. Every call has a timeout; no redirect is
 * followed (the client never follows them). Response bodies carry keys: they are parsed, never
 * logged, and never quoted in an exception message, which names the call by its profile template
 * ({@code create (POST /v3/api_keys)}) and the HTTP status.
 */
final class KeyApi {
    private final Target target;
    private final HttpClient http;
    private final java.util.function.Consumer<String> redact;
    /** Access tokens of management credentials, fetched once per KeyApi (one step). */
    private final Map<Credential, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    /** A key the vendor just minted; {@link #toString()} hides the value. */
    record Minted(String id, String key) {
        @Override
        public String toString() {
            return "Minted[id=" + id + "]";
        }
    }

    /** A key of the vendor's list. */
    record Listed(String id, String name) {}

    /** Whether a key still exists, and when it was last used (empty: never, as far as the vendor knows). */
    record LastUse(boolean exists, Optional<Instant> at) {}

    /**
     * The answer of one verify call: proof (2xx, or a status the profile accepts), refusal (a
     * rejected status), neither for now (a throttle, a server error, no answer), or an answer that
     * can never prove the key (any other status: a wrong verify path answers 404).
     */
    enum Verdict { AUTHENTICATES, REJECTED, INCONCLUSIVE, UNEXPECTED }

    /** One verify call's verdict and what was seen ({@code HTTP 401}, {@code ConnectException}). */
    record Check(Verdict verdict, String seen) {}

    private record Answer(int status, byte[] body) {}

    /**
     * @param redact registers a value the output must never show (access tokens as they arrive)
     */
    KeyApi(Target target, HttpClient http, java.util.function.Consumer<String> redact) {
        this.target = target;
        this.http = http;
        this.redact = redact;
    }

    /**
     * The answer of a token request: its status, the access token if one was issued, and the OAuth
     * {@code error} code of a refusal ({@code invalid_client}); {@link #toString()} hides the token.
     */
    private record TokenAnswer(int status, Optional<String> accessToken, Optional<String> error) {
        /** A refusal of the credential itself: 401, or 400 with invalid_client / invalid_grant (RFC 6749 5.2). */
        boolean refusesCredential() {
            return status == 401 || status == 400 && error.filter(e -> e.equals("invalid_client") || e.equals("invalid_grant")).isPresent();
        }

        @Override
        public String toString() {
            return "TokenAnswer[HTTP " + status + error.map(e -> ", " + e).orElse("") + "]";
        }
    }

    /** Mints a key named {@code name}. */
    Minted create(Credential management, String name) {
        return create(management, name, Map.of());
    }

    /**
     * Mints a key named {@code name}; {@code inherited} are further variables of the create
     * template (the current key's attributes, {@link ReadBeforeCreate}).
     */
    Minted create(Credential management, String name, Map<String, Object> inherited) {
        Profile.Create create = target.profile().create();
        Vars vars = target.vars().with("name", name);
        for (Map.Entry<String, Object> e : inherited.entrySet()) {
            vars = vars.with(e.getKey(), e.getValue());
        }
        Answer answer = expect2xx("create", create.call(), vars, management);
        Object json = parse("create", create.call(), answer);
        String id = JsonPointer.text(json, create.idPointer()).flatMap(text -> create.idPattern().map(p -> {
            java.util.regex.Matcher m = p.matcher(text);
            return m.find() && m.group(1) != null && !m.group(1).isEmpty() ? Optional.of(m.group(1)) : Optional.<String>empty();
        }).orElse(Optional.of(text))).orElseThrow(() -> missing("create", create.call(), "response.id"));
        String key = JsonPointer.text(json, create.keyPointer()).orElseThrow(() -> missing("create", create.call(), "response.key"));
        return new Minted(id, key);
    }

    /** The keys named exactly {@code name} (the list call must exist). */
    List<Listed> findByName(Credential management, String name) {
        Profile.ListCall list = target.profile().list().orElseThrow();
        List<Listed> found = new ArrayList<>();
        for (Object item : listItems(list, target.vars().with("name", name), management)) {
            Optional<String> itemName = JsonPointer.text(item, list.namePointer());
            Optional<String> id = JsonPointer.text(item, list.idPointer());
            if (itemName.filter(name::equals).isPresent() && id.isPresent()) {
                found.add(new Listed(id.get(), itemName.get()));
            }
        }
        return found;
    }

    /**
     * Revokes a key; false if the vendor no longer has it: it answers 404 or 410, or it refuses the
     * call with another 4xx and its list of every key (a list call without {@code {name}}) no longer
     * holds the key (a vendor that answers an unknown id with 400). Revoking is idempotent.
     */
    boolean revoke(Credential management, String keyId) {
        Call call = target.profile().revoke();
        Answer answer = send("revoke", call, target.vars().with(Target.KEY_ID, keyId), management);
        if (answer.status == 404 || answer.status == 410) {
            return false;
        }
        if (answer.status >= 400 && answer.status < 500 && answer.status != 401 && answer.status != 403 && answer.status != 429
                && listed(management, keyId).filter(listed -> !listed).isPresent()) {
            return false;
        }
        check2xx("revoke", call, answer, management);
        return true;
    }

    /**
     * Revokes a key at once (an emergency, an orphan, an abandoned rotation's key): deactivated first
     * where the vendor deletes only inactive keys. False if the vendor no longer has it.
     */
    boolean revokeNow(Credential management, String keyId) {
        if (target.profile().deactivate().isPresent()) {
            try {
                Optional<Boolean> inactive = isInactive(management, keyId);
                if (inactive.isEmpty()) {
                    return false;
                }
                if (!inactive.get()) {
                    deactivate(management, keyId);
                }
            } catch (TargetServiceException e) {
                // the delete below is what matters: it fails with the vendor's own answer if it needs an inactive key
            }
        }
        return revoke(management, keyId);
    }

    /**
     * Whether the vendor still lists the key, for a profile whose list call lists every key (no
     * {@code {name}} filter); empty when the list cannot tell.
     */
    Optional<Boolean> listed(Credential management, String keyId) {
        Optional<Profile.ListCall> list = target.profile().list();
        if (list.isEmpty() || Template.placeholders(list.get().call().path()).contains("name")
                || list.get().call().body().map(b -> Template.placeholders(b).contains("name")).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(listItems(list.get(), target.vars(), management).stream()
                .anyMatch(item -> JsonPointer.text(item, list.get().idPointer()).filter(keyId::equals).isPresent()));
    }

    /** The items of one list call's answer. */
    private List<?> listItems(Profile.ListCall list, Vars vars, Credential management) {
        Answer answer = expect2xx("list", list.call(), vars, management);
        Object items = JsonPointer.find(parse("list", list.call(), answer), list.itemsPointer())
                .orElseThrow(() -> missing("list", list.call(), "items"));
        if (!(items instanceof List<?> array)) {
            throw missing("list", list.call(), "items");
        }
        return array;
    }

    /** Deactivates a key (the profile's deactivate call); false if the vendor no longer has it. */
    boolean deactivate(Credential management, String keyId) {
        Call call = target.profile().deactivate().orElseThrow().call();
        Answer answer = send("deactivate", call, target.vars().with(Target.KEY_ID, keyId), management);
        if (answer.status == 404 || answer.status == 410) {
            return false;
        }
        check2xx("deactivate", call, answer, management);
        return true;
    }

    /**
     * Whether a key is inactive, by the profile's deactivate check; empty if the vendor no longer
     * has it.
     */
    Optional<Boolean> isInactive(Credential management, String keyId) {
        Profile.Deactivate deactivate = target.profile().deactivate().orElseThrow();
        Answer answer = send("deactivate.check", deactivate.check(), target.vars().with(Target.KEY_ID, keyId), management);
        if (answer.status == 404 || answer.status == 410) {
            return Optional.empty();
        }
        check2xx("deactivate.check", deactivate.check(), answer, management);
        Optional<Object> state = JsonPointer.find(parse("deactivate.check", deactivate.check(), answer), deactivate.pointer());
        return Optional.of(state.filter(v -> String.valueOf(v).equals(String.valueOf(deactivate.inactive()))).isPresent());
    }

    /** The parsed answer of a read about the current key ({@link ReadBeforeCreate}); never logged. */
    Object read(Call call, Credential credential) {
        Answer answer = expect2xx("current", call, target.vars(), credential);
        return parse("current", call, answer);
    }

    /** When the key was last used (the lastUsed call must exist). */
    LastUse lastUsed(Credential management, String keyId) {
        Profile.LastUsed lastUsed = target.profile().lastUsed().orElseThrow();
        Answer answer = send("lastUsed", lastUsed.call(), target.vars().with(Target.KEY_ID, keyId), management);
        if (answer.status == 404 || answer.status == 410) {
            return new LastUse(false, Optional.empty());
        }
        check2xx("lastUsed", lastUsed.call(), answer, management);
        Object parsed = parse("lastUsed", lastUsed.call(), answer);
        if (lastUsed.items().isPresent()) {
            Profile.Items items = lastUsed.items().get();
            Object array = JsonPointer.find(parsed, items.itemsPointer()).orElse(List.of()); // Google-style: empty lists left out
            if (!(array instanceof List<?> list)) {
                throw missing("lastUsed", lastUsed.call(), "items");
            }
            Optional<?> item = list.stream().filter(i -> JsonPointer.text(i, items.idPointer()).filter(keyId::equals).isPresent())
                    .findFirst();
            if (item.isEmpty()) {
                return new LastUse(false, Optional.empty()); // the vendor no longer lists it
            }
            parsed = item.get();
        }
        Object json = parsed;
        if (lastUsed.activePointer().flatMap(p -> JsonPointer.find(json, p)).filter(Boolean.FALSE::equals).isPresent()) {
            return new LastUse(false, Optional.empty()); // the vendor still describes a revoked key
        }
        Optional<Object> value = JsonPointer.find(json, lastUsed.pointer());
        try {
            return new LastUse(true, value.map(v -> switch (lastUsed.format()) {
                case EPOCH_SECONDS -> Instant.ofEpochSecond(((Number) v).longValue());
                case ISO_8601 -> Instant.parse((String) v);
            }));
        } catch (ClassCastException | DateTimeParseException e) {
            throw missing("lastUsed", lastUsed.call(), "pointer (as " + lastUsed.format() + ")");
        }
    }

    /**
     * One verify call with the key's credential: its token step first when it has one (a refused
     * token request is a refusal of the key), then the verify call, unless the token is the proof.
     */
    Check verify(Credential key) {
        Profile.Verify verify = target.profile().verify();
        Map<String, String> headers = key.headers();
        if (key.token().isPresent()) {
            TokenAnswer token;
            try {
                token = token(key.token().get());
            } catch (TargetServiceException e) {
                return new Check(Verdict.INCONCLUSIVE, e.getCause() == null ? "no answer" : e.getCause().getClass().getSimpleName());
            }
            if (token.accessToken().isEmpty()) {
                int s = token.status();
                String seen = "token request HTTP " + s + token.error().map(e -> " (" + e + ")").orElse("");
                if (s >= 200 && s < 300) {
                    return new Check(Verdict.UNEXPECTED, seen + " without an access_token");
                }
                // only a refusal of the credential is "not valid (yet)": invalid_scope, unauthorized_client... never heal
                return token.refusesCredential() ? new Check(Verdict.REJECTED, seen)
                        : new Check(s == 408 || s == 429 || s >= 500 ? Verdict.INCONCLUSIVE : Verdict.UNEXPECTED, seen);
            }
            if (verify.call().isEmpty()) {
                return new Check(Verdict.AUTHENTICATES, "token request HTTP " + token.status() + " (an access token was issued)");
            }
            headers = key.headersWith(token.accessToken().get());
        }
        Answer answer;
        try {
            answer = exchange(target.verifyBase(), verify.call().orElseThrow(), target.vars(), headers);
        } catch (TargetServiceException e) {
            return new Check(Verdict.INCONCLUSIVE, e.getCause() == null ? "no answer" : e.getCause().getClass().getSimpleName());
        }
        return verdict(answer.status, "HTTP " + answer.status, verify);
    }

    private static Check verdict(int s, String seen, Profile.Verify verify) {
        if (s >= 200 && s < 300) {
            return new Check(Verdict.AUTHENTICATES, seen);
        }
        if (verify.acceptedStatuses().containsKey(s)) {
            return new Check(Verdict.AUTHENTICATES, seen + " (accepted by the profile: " + verify.acceptedStatuses().get(s) + ")");
        }
        if (verify.rejectedStatuses().contains(s)) {
            return new Check(Verdict.REJECTED, seen);
        }
        boolean transient_ = s == 408 || s == 429 || s >= 500;
        return new Check(transient_ ? Verdict.INCONCLUSIVE : Verdict.UNEXPECTED, seen);
    }

    /**
     * Why an {@link Verdict#UNEXPECTED} answer proves nothing, and how to fix the profile.
     *
     * @param check the verify call's answer
     */
    String unexpectedVerifyAnswer(Check check) {
        String what = target.profile().verify().call().map(call -> describe("verify", call))
                .orElseGet(() -> describe("verify", new Call("POST", target.profile().auth().key().token().orElseThrow().path(),
                        Optional.empty(), Profile.BodyFormat.FORM)) + " (the key's token request)");
        return what + " answered " + check.seen() + ": only a 2xx proves a key"
                + (check.seen().equals("HTTP 404") ? "; a 404 usually means the profile's verify.path is wrong" : "")
                + ". If this vendor answers that status to a valid key, name it in the profile's verify.acceptStatuses"
                + " with the reason; if it answers it to a key that is not valid (yet), add it to verify.rejectedStatuses";
    }

    private Answer expect2xx(String operation, Call call, Vars vars, Credential credential) {
        Answer answer = send(operation, call, vars, credential);
        check2xx(operation, call, answer, credential);
        return answer;
    }

    private Answer send(String operation, Call call, Vars vars, Credential credential) {
        Map<String, String> headers = authenticate(credential);
        try {
            return exchange(target.base(), call, vars, headers);
        } catch (TargetServiceException e) {
            throw new TargetServiceException(describe(operation, call) + " " + e.getMessage(), e.getCause());
        }
    }

    /** The credential's headers, after its token step (once per credential) when it has one. */
    private Map<String, String> authenticate(Credential credential) {
        if (credential.token().isEmpty()) {
            return credential.headers();
        }
        String accessToken = tokens.computeIfAbsent(credential, c -> {
            Credential.TokenRequest request = c.token().get();
            String what = "profile \"" + target.profile().name() + "\" token request (POST " + request.path() + ") for the "
                    + c.description();
            TokenAnswer answer;
            try {
                answer = token(request);
            } catch (TargetServiceException e) {
                throw new TargetServiceException(what + " " + e.getMessage(), e.getCause());
            }
            int s = answer.status();
            if (answer.accessToken().isPresent()) {
                return answer.accessToken().get();
            }
            throw new TargetServiceException(what + " answered HTTP " + s + (s >= 200 && s < 300 ? " without an access_token"
                    : s == 400 || s == 401 || s == 403 ? ": the credential was refused; check its client id and secret (or key"
                    + " file) and that it may use the token service" : s == 429 || s >= 500 ? "; retry later" : "; check the profile"));
        });
        return credential.headersWith(accessToken);
    }

    /** Makes a token request; the access token, if one was issued, is masked in all output from now on. */
    private TokenAnswer token(Credential.TokenRequest request) {
        Deadline.current().check("before calling " + request.uri().getHost());
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(Deadline.current().cap(AwsClients.READ_TIMEOUT))
                .header("Accept", "application/json")
                .header("User-Agent", "secret-rotator")
                .header("Content-Type", "application/x-www-form-urlencoded");
        request.headers().forEach(builder::setHeader);
        builder.POST(HttpRequest.BodyPublishers.ofString(form(request.form())));
        Answer response = send(builder.build());
        Object json;
        try {
            json = JSON.std.anyFrom(response.body);
        } catch (IOException | RuntimeException e) {
            json = null;
        }
        boolean ok = response.status >= 200 && response.status < 300;
        Optional<String> accessToken = ok ? JsonPointer.text(json, "/access_token").filter(t -> !t.isBlank()) : Optional.empty();
        accessToken.ifPresent(redact);
        Optional<String> error = ok ? Optional.empty()
                : JsonPointer.text(json, "/error").filter(e -> e.matches("[a-z_]{1,40}")); // an RFC 6749 code, never free text
        return new TokenAnswer(response.status, accessToken, error);
    }

    private Answer exchange(String base, Call call, Vars vars, Map<String, String> authHeaders) {
        URI uri = URI.create(base + Template.render(call.path(), vars, Encoding.URL, "path " + call.path()));
        Deadline.current().check("before calling " + uri.getHost());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Deadline.current().cap(AwsClients.READ_TIMEOUT))
                .header("Accept", "application/json")
                .header("User-Agent", "secret-rotator");
        authHeaders.forEach(request::setHeader); // a profile's header replaces a default one (a versioned Accept)
        request.method(call.method(), body(call, vars, request));
        return send(request.build());
    }

    /** One exchange; no answer at all is a {@link TargetServiceException} to retry later. */
    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new TargetServiceException("failed: " + e.getClass().getSimpleName() + "; retry later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetServiceException("was interrupted", e);
        }
    }

    /** {@code application/x-www-form-urlencoded} fields. */
    private static String form(Map<String, ?> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static HttpRequest.BodyPublisher body(Call call, Vars vars, HttpRequest.Builder request) {
        if (call.body().isEmpty()) {
            return HttpRequest.BodyPublishers.noBody();
        }
        Map<String, Object> body = Template.renderBody(call.body().get(), vars, "body");
        if (call.bodyFormat() == BodyFormat.FORM) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
            return HttpRequest.BodyPublishers.ofString(form(body));
        }
        request.header("Content-Type", "application/json");
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.std.asString(body));
        } catch (IOException e) {
            throw new IllegalStateException("a rendered body could not be written as JSON", e);
        }
    }

    private void check2xx(String operation, Call call, Answer answer, Credential credential) {
        int s = answer.status;
        if (s >= 200 && s < 300) {
            return;
        }
        String hint = s == 401 || s == 403
                ? "; the " + credential.description() + " was refused: check it may manage keys"
                : s == 429 || s >= 500 ? "; retry later" : "; check the profile";
        throw new TargetServiceException(describe(operation, call) + " answered HTTP " + s + hint);
    }

    private Object parse(String operation, Call call, Answer answer) {
        try {
            return JSON.std.anyFrom(answer.body);
        } catch (IOException | RuntimeException e) {
            throw new TargetServiceException(describe(operation, call) + " answered HTTP " + answer.status
                    + " with a body that is not JSON (" + answer.body.length + " bytes)");
        }
    }

    private TargetServiceException missing(String operation, Call call, String field) {
        return new TargetServiceException(describe(operation, call) + " answered without a value where the profile's "
                + operation + "." + field + " points");
    }

    private String describe(String operation, Call call) {
        return "profile \"" + target.profile().name() + "\" " + operation + " (" + call.method() + " " + call.path() + ")";
    }
}
