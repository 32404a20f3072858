package dev.secretrotator.provider.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A vendor's key API, as data: how management calls and key calls authenticate, and the create,
 * list, verify, revoke and last-use calls. Built only by {@link ProfileParser}, which has checked
 * every field; immutable. The format is documented in {@code docs/providers/http-api-key.md}.
 *
 * @param name the profile's name (built-in, file name, or {@code inline})
 * @param endpoint the vendor's documented base URL, if the profile has a default
 * @param keyName template of a new key's name; contains {@code {versionId}}
 * @param auth how requests authenticate
 * @param create the call that mints a key, and where its id and value are in the answer
 * @param list the call that lists keys by name (finds a retried createSecret's own key), if the vendor has one
 * @param verify the cheap authenticated request a key proves itself with
 * @param revoke the call that revokes a key by id
 * @param lastUsed the call that tells when a key was last used, if the vendor exposes it
 * @param propagation polling defaults for verification
 * @param formatVersion the profile format the profile is written in (1 or 2; see {@link ProfileFormat})
 * @param current the read of the current key's attributes before create (format 2), if any
 * @param expiry how a new key's expiry is chosen (format 2), if the create call sends one
 */
record Profile(
        String name,
        Optional<String> endpoint,
        String keyName,
        Auth auth,
        Create create,
        Optional<ListCall> list,
        Verify verify,
        Call revoke,
        Optional<LastUsed> lastUsed,
        Propagation propagation,
        int formatVersion,
        Optional<ReadBeforeCreate.Current> current,
        Optional<ReadBeforeCreate.Expiry> expiry) {

    /** Which credential authenticates management calls (create, list, revoke, last use). */
    enum Management {
        /** The admin secret named by the secret's {@code adminSecretArn}. */
        ADMIN,
        /** The key in {@code AWSCURRENT}: it mints its successor and revokes its predecessor. */
        KEY,
        /** The admin secret when the secret names one, else the current key. */
        ADMIN_OR_KEY
    }

    /**
     * @param key how a rotated key authenticates; placeholders name fields of the secret
     * @param admin how the admin credential authenticates; placeholders name fields of the admin secret
     * @param management which of the two management calls use
     */
    record Auth(AuthTemplate key, Optional<AuthTemplate> admin, Management management) {}

    /**
     * Request headers to send, as templates, and optionally HTTP Basic credentials
     * ({@code "user:password"} template).
     */
    record AuthTemplate(Map<String, String> headers, Optional<String> basic) {
        /** Every placeholder the template uses. */
        Set<String> placeholders() {
            java.util.Set<String> names = new java.util.TreeSet<>();
            headers.values().forEach(v -> names.addAll(Template.placeholders(v)));
            basic.ifPresent(b -> names.addAll(Template.placeholders(b)));
            return names;
        }
    }

    /** How a request body is encoded. */
    enum BodyFormat { JSON, FORM }

    /**
     * One HTTP call.
     *
     * @param method the HTTP method
     * @param path path and query, starting with {@code /}; placeholders are percent-encoded
     * @param body the body template (a JSON object), if any
     * @param bodyFormat how the body is encoded
     */
    record Call(String method, String path, Optional<Map<String, Object>> body, BodyFormat bodyFormat) {}

    /**
     * @param call the mint request
     * @param idPointer JSON pointer to the new key's id in the answer
     * @param keyPointer JSON pointer to the new key's value in the answer
     */
    record Create(Call call, String idPointer, String keyPointer) {}

    /**
     * @param call the list request (may use {@code {name}} to filter)
     * @param itemsPointer JSON pointer to the array of keys ({@code ""}: the answer is the array)
     * @param idPointer pointer to an item's id, relative to the item
     * @param namePointer pointer to an item's name, relative to the item
     */
    record ListCall(Call call, String itemsPointer, String idPointer, String namePointer) {}

    /**
     * Only a 2xx answer proves a key, unless the profile names another status, with the reason
     * (a vendor that answers 403 to a valid key lacking a scope).
     *
     * @param call the request, authenticated with the key under test
     * @param rejectedStatuses statuses that mean the key does not authenticate (yet): polling goes on
     *     (401 by default)
     * @param acceptedStatuses 4xx statuses that prove the key authenticates all the same, each with
     *     the vendor's reason; none by default
     * @param endpoint the base URL of the verify call when it is not the profile's endpoint (format 2): a
     *     template of the secret's fields, e.g. {@code {restEndpoint}}, a Kafka cluster's REST endpoint
     */
    record Verify(Call call, Set<Integer> rejectedStatuses, Map<Integer, String> acceptedStatuses, Optional<String> endpoint) {}

    /** How a last-use time is written. */
    enum TimeFormat { EPOCH_SECONDS, ISO_8601 }

    /**
     * @param call a management request about one key ({@code {keyId}})
     * @param pointer JSON pointer to the last-use time (null or absent: never used)
     * @param format how that time is written
     * @param activePointer pointer to a boolean that is false once the key is revoked (format 2), for
     *     vendors that still describe a revoked key
     */
    record LastUsed(Call call, String pointer, TimeFormat format, Optional<String> activePointer) {}

    /** Verification defaults of this vendor; the secret's {@code "verification"} object overrides them. */
    record Propagation(Optional<Duration> pollInterval, Optional<Duration> timeout, OptionalInt consecutiveSuccesses) {
        static final Propagation NONE = new Propagation(Optional.empty(), Optional.empty(), OptionalInt.empty());
    }

    /** Every placeholder that request templates (paths and bodies, not auth) use. */
    Set<String> requestPlaceholders() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        List<Call> calls = new java.util.ArrayList<>(List.of(create.call(), verify.call(), revoke));
        list.ifPresent(l -> calls.add(l.call()));
        lastUsed.ifPresent(l -> calls.add(l.call()));
        current.ifPresent(c -> calls.add(c.call()));
        for (Call call : calls) {
            names.addAll(Template.placeholders(call.path()));
            call.body().ifPresent(b -> names.addAll(Template.placeholders(b)));
        }
        names.addAll(Template.placeholders(keyName));
        verify.endpoint().ifPresent(e -> names.addAll(Template.placeholders(e)));
        return names;
    }
}
