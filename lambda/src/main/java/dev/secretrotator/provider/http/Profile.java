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
 * @param tokenEndpoint the base URL of the vendor's OAuth token service when it is not {@code endpoint}
 *     (format 2; the secret's {@code tokenEndpoint} field overrides it)
 * @param deactivate how a key is deactivated before it is deleted (format 2), for vendors that can
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
        Optional<ReadBeforeCreate.Expiry> expiry,
        Optional<String> tokenEndpoint,
        Optional<Deactivate> deactivate) {

    /** The variable an auth template's headers use for the access token its {@code token} step obtained. */
    static final String ACCESS_TOKEN = "accessToken";

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
     * Request headers to send, as templates, optionally HTTP Basic credentials ({@code "user:password"}
     * template), and optionally an OAuth 2.0 token step whose access token the headers use as
     * {@code {accessToken}} (format 2).
     */
    record AuthTemplate(Map<String, String> headers, Optional<String> basic, Optional<TokenGrant> token) {
        /** Every placeholder the template uses, but {@code {accessToken}} (the token step's answer). */
        Set<String> placeholders() {
            java.util.Set<String> names = new java.util.TreeSet<>();
            headers.values().forEach(v -> names.addAll(Template.placeholders(v)));
            basic.ifPresent(b -> names.addAll(Template.placeholders(b)));
            token.ifPresent(t -> names.addAll(t.placeholders()));
            names.remove(ACCESS_TOKEN);
            return names;
        }
    }

    /** The OAuth 2.0 grants a token step can make. */
    enum GrantType {
        /** RFC 6749 section 4.4: a client id and secret. */
        CLIENT_CREDENTIALS,
        /** RFC 7523: an RS256-signed JWT of a service-account key file (Google's JSON format). */
        JWT_BEARER
    }

    /** How a client-credentials request presents the client secret. */
    enum ClientAuth { BASIC, BODY }

    /**
     * A token request before a call: {@code POST <token endpoint><path>} with a form body; the answer's
     * {@code access_token} fills {@code {accessToken}}. Values are templates of the same fields as the
     * auth template's headers.
     *
     * @param grant the grant type
     * @param path the token service's path, e.g. {@code /{tenantId}/oauth2/v2.0/token}
     * @param clientId client-credentials: the client id
     * @param clientSecret client-credentials: the client secret
     * @param clientAuth client-credentials: HTTP Basic or form fields
     * @param scope the scope to ask for, if any
     * @param keyFile jwt-bearer: the service-account key file (JSON, or base64 of it)
     */
    record TokenGrant(GrantType grant, String path, Optional<String> clientId, Optional<String> clientSecret,
            ClientAuth clientAuth, Optional<String> scope, Optional<String> keyFile) {
        Set<String> placeholders() {
            java.util.Set<String> names = new java.util.TreeSet<>(Template.placeholders(path));
            java.util.stream.Stream.of(clientId, clientSecret, scope, keyFile)
                    .flatMap(Optional::stream).forEach(v -> names.addAll(Template.placeholders(v)));
            return names;
        }
    }

    /**
     * How a vendor deactivates a key (it stops authenticating but can be activated again), and how
     * the sweep checks it is still inactive before deleting it after the hold.
     *
     * @param call the deactivate request ({@code {keyId}})
     * @param check a management read of the key ({@code {keyId}})
     * @param pointer JSON pointer into the read's answer
     * @param inactive the value at {@code pointer} that means inactive ({@code "INACTIVE"}, {@code true})
     */
    record Deactivate(Call call, Call check, String pointer, Object inactive) {}

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
     * @param idPattern a regular expression whose first group is the id within that value (format 2),
     *     e.g. the last segment of a resource name
     * @param named whether the call sends the key's name ({@code {name}}); a vendor whose keys have no
     *     name cannot find a retried createSecret's key (format 2, {@code "named": false})
     */
    record Create(Call call, String idPointer, String keyPointer, Optional<java.util.regex.Pattern> idPattern, boolean named) {}

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
     * @param call the request, authenticated with the key under test; absent when the key's token step
     *     is the proof (format 2: a token service issuing an access token for the key)
     * @param rejectedStatuses statuses that mean the key does not authenticate (yet): polling goes on
     *     (401 by default)
     * @param acceptedStatuses 4xx statuses that prove the key authenticates all the same, each with
     *     the vendor's reason; none by default
     * @param endpoint the base URL of the verify call when it is not the profile's endpoint (format 2): a
     *     template of the secret's fields, e.g. {@code {restEndpoint}}, a Kafka cluster's REST endpoint
     */
    record Verify(Optional<Call> call, Set<Integer> rejectedStatuses, Map<Integer, String> acceptedStatuses, Optional<String> endpoint) {}

    /** How a last-use time is written. */
    enum TimeFormat { EPOCH_SECONDS, ISO_8601 }

    /**
     * @param call a management request about one key ({@code {keyId}})
     * @param pointer JSON pointer to the last-use time (null or absent: never used)
     * @param format how that time is written
     * @param activePointer pointer to a boolean that is false once the key is revoked (format 2), for
     *     vendors that still describe a revoked key
     * @param items where the answer lists keys, for a vendor that tells last use only in a list (format 2):
     *     the array's pointer and each item's id pointer; the item with the key's id is read, and a key
     *     the list no longer holds is revoked
     */
    record LastUsed(Call call, String pointer, TimeFormat format, Optional<String> activePointer, Optional<Items> items) {}

    /**
     * @param itemsPointer JSON pointer to the array of keys
     * @param idPointer pointer to an item's id, relative to the item
     */
    record Items(String itemsPointer, String idPointer) {}

    /** Verification defaults of this vendor; the secret's {@code "verification"} object overrides them. */
    record Propagation(Optional<Duration> pollInterval, Optional<Duration> timeout, OptionalInt consecutiveSuccesses) {
        static final Propagation NONE = new Propagation(Optional.empty(), Optional.empty(), OptionalInt.empty());
    }

    /** Every placeholder that request templates (paths and bodies, not auth) use. */
    Set<String> requestPlaceholders() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Call call : calls()) {
            names.addAll(Template.placeholders(call.path()));
            call.body().ifPresent(b -> names.addAll(Template.placeholders(b)));
        }
        names.addAll(Template.placeholders(keyName));
        verify.endpoint().ifPresent(e -> names.addAll(Template.placeholders(e)));
        return names;
    }

    /** Every HTTP call of the profile but the token steps. */
    List<Call> calls() {
        List<Call> calls = new java.util.ArrayList<>(List.of(create.call(), revoke));
        verify.call().ifPresent(calls::add);
        list.ifPresent(l -> calls.add(l.call()));
        lastUsed.ifPresent(l -> calls.add(l.call()));
        current.ifPresent(c -> calls.add(c.call()));
        deactivate.ifPresent(d -> {
            calls.add(d.call());
            calls.add(d.check());
        });
        return calls;
    }
}
