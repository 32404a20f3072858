package dev.secretrotator.provider.http;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.AdminBinding;
import dev.secretrotator.provider.AdminSecrets;
import dev.secretrotator.provider.Endpoints;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import dev.secretrotator.provider.http.Profile.AuthTemplate;
import dev.secretrotator.provider.http.Profile.Management;
import dev.secretrotator.provider.http.Template.Encoding;
import dev.secretrotator.provider.http.Template.Vars;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One secret's vendor: its profile, its checked endpoint, its timings, and the credentials its
 * calls authenticate with. Resolving it checks everything that can be checked without a request
 * (profile, fields, endpoint scheme and allow-list), so a bad secret fails before any request.
 *
 * @param profile the checked profile
 * @param base the endpoint, checked against the allow-list, without a trailing slash
 * @param secret the secret value whose fields fill the request templates
 * @param timing retirement and verification timings
 * @param verifyBase the verify call's base URL, checked like {@code base}: {@code base} unless the
 *     profile's {@code verify.endpoint} names another (a Kafka cluster's REST endpoint)
 * @param tokenBase the OAuth token service's base URL, checked like {@code base}: the secret's
 *     {@code tokenEndpoint}, else the profile's, else {@code base}
 * @param clock the clock token steps sign assertions with
 */
record Target(Profile profile, String base, SecretValue secret, Timing timing, String verifyBase, String tokenBase,
        java.time.Clock clock) {
    static final String KEY_ID = "keyId";
    static final String API_KEY = "apiKey";
    static final String ADMIN_SECRET_ARN = "adminSecretArn";

    /**
     * @throws InvalidInputException naming the field if the secret or its profile is unusable
     */
    static Target resolve(SecretValue secret, ProfileCatalog catalog, ProviderServices services) {
        Profile profile = checkFields(secret, catalog);
        String endpoint = secret.string("endpoint").or(profile::endpoint).orElseThrow(() -> new InvalidInputException(
                "field \"endpoint\" is missing, and profile \"" + profile.name() + "\" has no default endpoint"));
        URI uri = Endpoints.check(endpoint, "endpoint", services.config());
        String base = uri.toString().replaceAll("/+$", "");
        String verifyBase = profile.verify().endpoint()
                .map(t -> Endpoints.check(Template.render(t, vars(secret), Encoding.NONE, "verify.endpoint"), "verify.endpoint ("
                        + t + ")", services.config()).toString().replaceAll("/+$", ""))
                .orElse(base);
        String tokenBase = secret.string("tokenEndpoint").or(profile::tokenEndpoint)
                .map(t -> Endpoints.check(t, "tokenEndpoint", services.config()).toString().replaceAll("/+$", ""))
                .orElse(base);
        return new Target(profile, base, secret, Timing.of(secret, profile, services.config()), verifyBase, tokenBase,
                services.clock());
    }

    /** What can be checked without configuration: the profile, the key fields, the template variables. */
    static Profile checkFields(SecretValue secret, ProfileCatalog catalog) {
        Profile profile = catalog.forSecret(secret);
        secret.require(KEY_ID);
        secret.require(API_KEY);
        if (profile.auth().management() == Management.ADMIN) {
            secret.string(ADMIN_SECRET_ARN).orElseThrow(() -> new InvalidInputException("field \"" + ADMIN_SECRET_ARN
                    + "\" is missing; profile \"" + profile.name() + "\" manages keys with an admin credential"));
        }
        String keyName = secret.string("keyName").orElse(profile.keyName());
        if (!Template.placeholders(keyName).contains("versionId")) {
            throw new InvalidInputException("field \"keyName\" must contain {versionId}, so a retried createSecret"
                    + " can find the key it made");
        }
        Map<String, Object> sampleValues = new LinkedHashMap<>(secret.fields());
        sampleValues.putAll(Map.of("name", "n", KEY_ID, "k", "versionId", "v"));
        sampleValues.putAll(ReadBeforeCreate.sample(profile));
        Vars sample = new Vars(sampleValues, "the secret");
        for (Profile.Call call : profile.calls()) {
            Template.render(call.path(), sample, Encoding.URL, "path " + call.path());
            call.body().ifPresent(b -> Template.renderBody(b, sample, "body"));
        }
        keyAuth(profile, secret);
        return profile;
    }

    /** The name a key minted for {@code versionId} gets: it contains the version token. */
    String keyName(String versionId) {
        String template = secret.string("keyName").orElse(profile.keyName());
        return Template.render(template, vars(secret).with("versionId", versionId), Encoding.NONE, "keyName");
    }

    /** Variables of request templates: the secret's fields. */
    Vars vars() {
        return vars(secret);
    }

    /** The credential of the key {@code holder} stores (its {@code keyId} and {@code apiKey}). */
    Credential keyCredential(SecretValue holder, ProviderServices services) {
        return render(profile.auth().key(), vars(holder), "key " + holder.require(KEY_ID), services);
    }

    /**
     * The credential of management calls: the admin secret (read once per step, and used once its tags
     * bind it to this secret and this endpoint's host: {@link AdminBinding}) or, when the profile lets a key
     * manage keys and no admin secret is named, the key {@code keyHolder} stores.
     *
     * @param step the step or operation that manages keys, for messages
     */
    Credential managementCredential(StepContext context, String step, SecretValue keyHolder) {
        ProviderServices services = context.services();
        Optional<String> arn = secret.string(ADMIN_SECRET_ARN);
        Management mode = profile.auth().management();
        if (mode == Management.KEY || (mode == Management.ADMIN_OR_KEY && arn.isEmpty())) {
            return keyCredential(keyHolder, services);
        }
        AuthTemplate admin = profile.auth().admin().orElseThrow();
        String adminArn = arn.orElseThrow(() -> new InvalidInputException("field \"" + ADMIN_SECRET_ARN + "\" is missing"));
        if (admin.token().isPresent() && !tokenBase.equals(base)) {
            // the credential goes to the token service too: its owner must have allowed that host as well
            AdminSecrets.read(adminArn, admin.placeholders(), AdminBinding.of(context, step, URI.create(tokenBase)), context);
        }
        Map<String, Object> fields = new LinkedHashMap<>(AdminSecrets.read(adminArn, admin.placeholders(),
                AdminBinding.of(context, step, URI.create(base)), context));
        return render(admin, new Vars(fields, "the admin secret " + adminArn), "admin secret " + adminArn, services);
    }

    private static void keyAuth(Profile profile, SecretValue secret) {
        AuthTemplate key = profile.auth().key();
        Vars vars = vars(secret).with(Profile.ACCESS_TOKEN, "t");
        key.headers().values().forEach(h -> Template.render(h, vars, Encoding.NONE, "auth.key"));
        key.basic().ifPresent(b -> Template.render(b, vars, Encoding.NONE, "auth.key.basic"));
        key.token().ifPresent(t -> t.placeholders().forEach(name -> Template.render("{" + name + "}", vars, Encoding.NONE,
                "auth.key.token")));
    }

    private Credential render(AuthTemplate template, Vars vars, String description, ProviderServices services) {
        Map<String, String> headers = new LinkedHashMap<>();
        Vars withSlot = vars.with(Profile.ACCESS_TOKEN, Credential.ACCESS_TOKEN_SLOT);
        template.headers().forEach((name, value) -> headers.put(name, Template.render(value, withSlot, Encoding.NONE, "auth headers")));
        template.basic().ifPresent(b -> headers.put("Authorization", basic(Template.render(b, vars, Encoding.NONE, "auth basic"))));
        // a header value can differ from every stored credential (Basic is base64): mask it too
        headers.values().forEach(services.telemetry().redactor()::register);
        Optional<Credential.TokenRequest> token = template.token().map(t -> tokenRequest(t, vars, description, services));
        return new Credential(headers, description, token);
    }

    /** The token step's request, rendered; its derived values (Basic header, signed assertion) are masked. */
    private Credential.TokenRequest tokenRequest(Profile.TokenGrant grant, Vars vars, String description, ProviderServices services) {
        java.net.URI uri = java.net.URI.create(tokenBase + Template.render(grant.path(), vars, Encoding.URL, "token.path"));
        Map<String, String> form = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Optional<String> scope = grant.scope().map(s -> Template.render(s, vars, Encoding.NONE, "token.scope"));
        if (grant.grant() == Profile.GrantType.JWT_BEARER) {
            form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
            String keyFile = Template.render(grant.keyFile().orElseThrow(), vars, Encoding.NONE, "token.keyFile");
            form.put("assertion", JwtAssertion.sign(keyFile, uri.toString(), scope, clock.instant(), description,
                    services.telemetry().redactor()::register));
            services.telemetry().redactor().register(form.get("assertion"));
        } else {
            form.put("grant_type", "client_credentials");
            String id = Template.render(grant.clientId().orElseThrow(), vars, Encoding.NONE, "token.clientId");
            String secretValue = Template.render(grant.clientSecret().orElseThrow(), vars, Encoding.NONE, "token.clientSecret");
            if (grant.clientAuth() == Profile.ClientAuth.BASIC) {
                headers.put("Authorization", basic(id + ":" + secretValue));
                services.telemetry().redactor().register(headers.get("Authorization"));
            } else {
                form.put("client_id", id);
                form.put("client_secret", secretValue);
            }
            services.telemetry().redactor().register(secretValue);
        }
        scope.ifPresent(s -> form.put("scope", s));
        return new Credential.TokenRequest(uri, form, headers, grant.path());
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static Vars vars(SecretValue value) {
        return new Vars(value.fields(), "the secret");
    }
}
