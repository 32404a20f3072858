package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import dev.secretrotator.config.Retirement;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Profile format 2's token steps, deactivation, unnamed keys and new-key lifetimes: what parses,
 * what is refused (naming the field), and the JWT-bearer assertion the JDK signs.
 */
class TokenStepFormatTest {

    @Test
    void builtInOAuthProfiles_haveTokenStepsAndTheirRetirementShape() {
        ProfileCatalog catalog = new ProfileCatalog(java.util.List.of());

        Profile entra = catalog.named("entra-client-secret");
        assertThat(entra.auth().admin()).get().satisfies(a -> assertThat(a.token()).isPresent());
        assertThat(entra.verify().call()).isEmpty();
        assertThat(entra.verify().rejectedStatuses()).containsExactly(401); // unused: a token request's refusal is fixed
        assertThat(entra.tokenEndpoint()).contains("https://login.microsoftonline.com");
        assertThat(entra.create().named()).isTrue();
        Profile okta = catalog.named("okta-client-secret");
        assertThat(okta.deactivate()).get().satisfies(d -> assertThat(d.inactive()).isEqualTo("INACTIVE"));
        assertThat(okta.create().named()).isFalse();
        Profile gcp = catalog.named("gcp-service-account-key");
        assertThat(gcp.auth().key().token()).get().satisfies(t -> assertThat(t.grant()).isEqualTo(Profile.GrantType.JWT_BEARER));
        assertThat(gcp.deactivate()).get().satisfies(d -> assertThat(d.inactive()).isEqualTo(true));
        assertThat(catalog.named("atlas-service-account-secret").expiry())
                .get().satisfies(e -> assertThat(e.format()).isEqualTo(ReadBeforeCreate.ExpiryFormat.LIFETIME_HOURS));
    }

    @Test
    void tokenStep_withoutFormatVersion2_isRefusedNamingTheField() {
        assertThatThrownBy(() -> parse(p -> p.put("auth", Map.of("key", keyWithToken()))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("field \"auth.key.token\" needs \"formatVersion\": 2");
    }

    @Test
    void clientCredentialsStep_withoutAClientSecret_isRefused() {
        Map<String, Object> key = new LinkedHashMap<>(keyWithToken());
        key.put("token", Map.of("grant", "client-credentials", "path", "/token", "clientId", "{clientId}"));

        assertThatThrownBy(() -> parse2(p -> p.put("auth", Map.of("key", key))))
                .hasMessageContaining("field \"auth.key.token\" with grant client-credentials needs clientId and clientSecret");
    }

    @Test
    void headersUsingAccessToken_withoutATokenStep_areRefused() {
        assertThatThrownBy(() -> parse2(p -> p.put("auth", Map.of("key",
                Map.of("headers", Map.of("Authorization", "Bearer {accessToken} {apiKey}"))))))
                .hasMessageContaining("uses {accessToken}, which needs a token step");
    }

    @Test
    void verifyWithoutAPath_isAProofOnlyWhenTheKeyHasATokenStep() {
        Profile profile = parse2(p -> {
            p.put("auth", Map.of("key", keyWithToken()));
            p.put("verify", Map.of());
        });
        assertThat(profile.verify().call()).isEmpty();

        assertThatThrownBy(() -> parse2(p -> p.put("verify", Map.of())))
                .hasMessageContaining("field \"verify.path\" is missing");
    }

    @Test
    void unnamedCreate_withAListCall_isRefused_andANamedCreateMustSendTheName() {
        assertThatThrownBy(() -> parse2(p -> {
            p.put("create", Map.of("path", "/keys", "named", false, "response", Map.of("id", "/id", "key", "/key")));
            p.put("list", Map.of("path", "/keys", "items", "", "id", "/id", "name", "/name"));
        })).hasMessageContaining("field \"list\" finds a retried createSecret's key by its name, but create is \"named\": false");
        assertThatThrownBy(() -> parse2(p -> p.put("create", Map.of("path", "/keys", "response", Map.of("id", "/id", "key", "/key")))))
                .hasMessageContaining("(a vendor whose keys have no name: \"named\": false)");
    }

    @Test
    void expiryBlock_whoseCreateDoesNotSendNewExpiry_isRefused() {
        assertThatThrownBy(() -> parse2(p -> p.put("expiry", Map.of("format", "lifetime-hours", "lifetime", "P365D"))))
                .hasMessageContaining("does not send {newExpiry}, so the profile's expiry block would change nothing");
    }

    @Test
    void newExpiryInAnAuthTemplateOrTheKeyName_isRefused() {
        assertThatThrownBy(() -> parse2(p -> {
            p.put("expiry", Map.of("format", "iso-8601", "lifetime", "P30D"));
            p.put("create", Map.of("path", "/keys", "body", Map.of("name", "{name}", "until", "{newExpiry}"),
                    "response", Map.of("id", "/id", "key", "/key")));
            p.put("keyName", "k-{versionId}-{newExpiry}");
        })).hasMessageContaining("field \"keyName\" uses {newExpiry}, which only the create call has");
    }

    @Test
    void deactivate_needsACheckOfTheKeysState() {
        assertThatThrownBy(() -> parse2(p -> p.put("deactivate", Map.of("method", "POST", "path", "/keys/{keyId}:disable"))))
                .hasMessageContaining("field \"deactivate.check\" is missing");
        Profile profile = parse2(p -> p.put("deactivate", Map.of("method", "POST", "path", "/keys/{keyId}:disable",
                "check", Map.of("path", "/keys/{keyId}", "pointer", "/disabled", "inactive", true))));
        assertThat(profile.deactivate()).get().satisfies(d -> assertThat(d.pointer()).isEqualTo("/disabled"));
    }

    @Test
    void idPattern_withoutAGroup_isRefused() {
        assertThatThrownBy(() -> parse2(p -> p.put("create", Map.of("path", "/keys", "body", Map.of("n", "{name}"),
                "response", Map.of("id", "/name", "idPattern", "keys/.*", "key", "/key")))))
                .hasMessageContaining("field \"create.response.idPattern\" must have a group");
    }

    @Test
    void newKeyLifetime_notLongerThanGraceQuietAndHold_isRefusedBeforeAnyKeyIsMade() {
        Timing timing = new Timing(new Retirement(Duration.ofHours(24), Duration.ofHours(4), Duration.ofHours(48)),
                Duration.ofMinutes(1), 1, Duration.ofSeconds(1));

        assertThatThrownBy(() -> ReadBeforeCreate.checkLifetime(Duration.ofDays(3), timing))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a new key would live PT72H")
                .hasMessageContaining("(PT76H)")
                .hasMessageContaining("nothing was created");
        ReadBeforeCreate.checkLifetime(Duration.ofDays(4), timing);
    }

    @Test
    void lifetimeHours_isTheLifetimeInWholeHours() {
        ReadBeforeCreate.Expiry expiry = new ReadBeforeCreate.Expiry(ReadBeforeCreate.ExpiryFormat.LIFETIME_HOURS,
                Optional.of(Duration.ofDays(365)), Optional.empty(), Optional.empty());

        assertThat(ReadBeforeCreate.newExpiry(expiry, Optional.empty(), Map.of(), Instant.now())).contains(8760L);
        assertThat(ReadBeforeCreate.newExpiry(expiry, Optional.of("P30D"), Map.of(), Instant.now())).contains(720L);
    }

    @Test
    void jwtAssertion_isSignedRs256WithTheKeyFilesKey_andVerifiesWithItsPublicKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = dev.secretrotator.testing.saas.GoogleJwt.pem(pair.getPrivate()); // a key generated for this test
        String keyFile = JSON.std.asString(Map.of("type", "service_account", "private_key_id", "abc123", "private_key", pem,
                "client_email", "rotated@proj.iam.gserviceaccount.com", "token_uri", "https://attacker.example/token"));
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        java.util.List<String> redacted = new java.util.ArrayList<>();

        // the key file as GCP's privateKeyData returns it: base64 of the JSON
        String jwt = JwtAssertion.sign(Base64.getEncoder().encodeToString(keyFile.getBytes(StandardCharsets.UTF_8)),
                "https://oauth2.googleapis.com/token", Optional.of("scope-a"), now, "key abc123", redacted::add);

        assertThat(redacted).containsExactly(pem);
        String[] parts = jwt.split("\\.");
        Map<String, Object> header = JSON.std.mapFrom(Base64.getUrlDecoder().decode(parts[0]));
        Map<String, Object> claims = JSON.std.mapFrom(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header).containsEntry("alg", "RS256").containsEntry("kid", "abc123");
        assertThat(claims).containsEntry("iss", "rotated@proj.iam.gserviceaccount.com")
                .containsEntry("aud", "https://oauth2.googleapis.com/token") // never the key file's token_uri
                .containsEntry("scope", "scope-a").containsEntry("iat", 1796551200).containsEntry("exp", 1796554800);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(pair.getPublic());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void jwtAssertion_ofAKeyFileWithoutAPrivateKey_failsNamingTheFieldNotTheValue() {
        assertThatThrownBy(() -> JwtAssertion.sign("{\"client_email\": \"a@b\", \"private_key_id\": \"k\", \"private_key\":"
                + " \"not-a-key-SECRETVALUE\"}", "https://t", Optional.empty(), Instant.now(), "admin secret arn:x", v -> { }))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the key file of admin secret arn:x has a \"private_key\" that is not a PKCS#8 RSA key")
                .hasMessageNotContaining("SECRETVALUE");
    }

    @Test
    void tokenPathNamingACredential_isRefused() {
        Map<String, Object> key = new LinkedHashMap<>(keyWithToken());
        key.put("token", Map.of("grant", "client-credentials", "path", "/oauth2/{apiKey}/token", "clientId", "{clientId}",
                "clientSecret", "{apiKey}"));

        assertThatThrownBy(() -> parse2(p -> p.put("auth", Map.of("key", key))))
                .hasMessageContaining("use {apiKey}, a credential");
    }

    @Test
    void namedThatIsNotABoolean_andDeactivateWithoutAMethod_areRefused() {
        assertThatThrownBy(() -> parse2(p -> p.put("create", Map.of("path", "/keys", "named", "false",
                "response", Map.of("id", "/id", "key", "/key")))))
                .hasMessageContaining("field \"create.named\" must be true or false");
        assertThatThrownBy(() -> parse2(p -> p.put("deactivate", Map.of("path", "/keys/{keyId}:disable",
                "check", Map.of("path", "/keys/{keyId}", "pointer", "/disabled", "inactive", true)))))
                .hasMessageContaining("field \"deactivate.method\" is missing");
    }

    @Test
    void tokenOnlyVerify_withRejectedStatuses_isRefused() {
        assertThatThrownBy(() -> parse2(p -> {
            p.put("auth", Map.of("key", keyWithToken()));
            p.put("verify", Map.of("rejectedStatuses", java.util.List.of(400)));
        })).hasMessageContaining("a token request's refusal is fixed");
    }

    @Test
    void lastUsedFromAList_readsTheItemWithTheKeysId_andAnIdWithoutItemsIsRefused() {
        Profile atlas = new ProfileCatalog(java.util.List.of()).named("atlas-service-account-secret");
        assertThat(atlas.lastUsed()).get().satisfies(l -> assertThat(l.items()).get()
                .satisfies(i -> assertThat(i.itemsPointer()).isEqualTo("/secrets")));

        assertThatThrownBy(() -> parse2(p -> p.put("lastUsed", Map.of("path", "/keys", "id", "/id",
                "pointer", "/lastUsedAt", "format", "iso-8601"))))
                .hasMessageContaining("field \"lastUsed.id\" belongs with \"items\"");
        assertThatThrownBy(() -> parse(p -> p.put("lastUsed", Map.of("path", "/keys", "items", "/keys", "id", "/id",
                "pointer", "/lastUsedAt", "format", "iso-8601"))))
                .hasMessageContaining("field \"lastUsed.items\" needs \"formatVersion\": 2");
    }

    private static Map<String, Object> keyWithToken() {
        return Map.of("token", Map.of("grant", "client-credentials", "path", "/oauth2/token", "clientId", "{clientId}",
                "clientSecret", "{apiKey}"), "headers", Map.of("Authorization", "Bearer {accessToken}"));
    }

    private static Profile parse2(Consumer<Map<String, Object>> change) {
        return parse(p -> {
            p.put("formatVersion", 2);
            change.accept(p);
        });
    }

    private static Profile parse(Consumer<Map<String, Object>> change) {
        Map<String, Object> profile = new LinkedHashMap<>(ProfileCatalogTest.sendgrid());
        change.accept(profile);
        return ProfileParser.parse(profile, Optional.empty(), "the profile in the secret's \"profile\" field");
    }
}
