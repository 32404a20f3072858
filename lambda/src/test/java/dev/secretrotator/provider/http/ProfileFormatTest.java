package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The versioned profile format: version 1 profiles stay as they were; version 2 members need "formatVersion": 2. */
class ProfileFormatTest {

    @Test
    void profileWithoutFormatVersion_isVersion1_andHasNoReadBeforeCreate() {
        Profile profile = parse(p -> { });

        assertThat(profile.formatVersion()).isEqualTo(1);
        assertThat(profile.current()).isEmpty();
        assertThat(profile.expiry()).isEmpty();
    }

    @Test
    void everyBuiltInProfile_parses() {
        ProfileCatalog catalog = new ProfileCatalog(List.of());
        for (String name : ProfileCatalog.BUILT_IN) {
            assertThat(catalog.named(name).name()).isEqualTo(name);
        }
        assertThat(catalog.named("gitlab-project-token").formatVersion()).isEqualTo(2);
        assertThat(catalog.named("sendgrid").formatVersion()).isEqualTo(1);
    }

    @Test
    void currentBlock_withoutFormatVersion2_isRejectedNamingTheField() {
        assertThatThrownBy(() -> parse(p -> p.put("current", current())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("field \"current\" needs \"formatVersion\": 2");
    }

    @Test
    void formatVersionNewerThanTheFunction_isRejectedSayingWhatItReads() {
        assertThatThrownBy(() -> parse(p -> p.put("formatVersion", 3)))
                .hasMessageContaining("field \"formatVersion\" is 3, but this function reads profile formats 1 to 2");
    }

    @Test
    void createUsingACurrentFieldThatIsNotRead_isRejected() {
        assertThatThrownBy(() -> parse(p -> {
            p.put("formatVersion", 2);
            p.put("current", current());
            p.put("create", create(Map.of("name", "{name}", "policies", "{current.policies}")));
        })).hasMessageContaining("uses {current.policies}, which the profile's current.fields does not read");
    }

    @Test
    void createUsingNewExpiryWithoutAnExpiryBlock_isRejected() {
        assertThatThrownBy(() -> parse(p -> {
            p.put("formatVersion", 2);
            p.put("create", create(Map.of("name", "{name}", "expires_at", "{newExpiry}")));
        })).hasMessageContaining("uses {newExpiry}, which needs an expiry block");
    }

    @Test
    void currentFieldUsedOutsideTheCreateCall_isRejected() {
        assertThatThrownBy(() -> parse(p -> {
            p.put("formatVersion", 2);
            p.put("current", current());
            p.put("revoke", Map.of("path", "/tokens/{keyId}?scopes={current.scopes}"));
        })).hasMessageContaining("uses {current.scopes}, which only the create call has");
    }

    @Test
    void verifyEndpointNamingACredential_isRejected() {
        assertThatThrownBy(() -> parse(p -> {
            p.put("formatVersion", 2);
            p.put("verify", Map.of("path", "/v3/scopes", "endpoint", "https://{apiKey}.example.com"));
        })).hasMessageContaining("use {apiKey}, a credential");
    }

    @Test
    void revokeWithABody_needsKeyIdInPathOrBody() {
        assertThatThrownBy(() -> parse(p -> {
            p.put("formatVersion", 2);
            p.put("revoke", Map.of("method", "POST", "path", "/token/delete", "body", Map.of("id", "{name}")));
        })).hasMessageContaining("field \"revoke.path\" must contain {keyId} (or the body must)");
    }

    @Test
    void version2Profile_readsCurrentFieldsAndExpiry() {
        Profile profile = parse(p -> {
            p.put("formatVersion", 2);
            p.put("current", current());
            p.put("expiry", Map.of("format", "date", "lifetime", "P30D", "issuedField", "createdAt", "expiresField", "expiresAt"));
            p.put("create", create(Map.of("name", "{name}", "scopes", "{current.scopes}", "expires_at", "{newExpiry}")));
        });

        assertThat(profile.current()).get().satisfies(c -> assertThat(c.fields()).containsEntry("scopes", "/scopes"));
        assertThat(profile.expiry()).get().satisfies(e -> assertThat(e.format()).isEqualTo(ReadBeforeCreate.ExpiryFormat.DATE));
    }

    @Test
    void expiryNamingAFieldTheReadDoesNotHave_isRejected() {
        assertThatThrownBy(() -> parse(p -> {
            p.put("formatVersion", 2);
            p.put("current", current());
            p.put("expiry", Map.of("format", "date", "issuedField", "issued", "expiresField", "expiresAt"));
        })).hasMessageContaining("field \"expiry.issuedField\" must name a field of the profile's current.fields");
    }

    @Test
    void vendorTimes_areReadAsDatesDateTimesOrEpochSecondsAndMillis() {
        assertThat(ReadBeforeCreate.instant("2026-12-31")).contains(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(ReadBeforeCreate.instant("2021-01-20T22:11:48.151Z")).contains(Instant.parse("2021-01-20T22:11:48.151Z"));
        assertThat(ReadBeforeCreate.instant(1621287738473L)).contains(Instant.ofEpochMilli(1621287738473L));
        assertThat(ReadBeforeCreate.instant(1621287738)).contains(Instant.ofEpochSecond(1621287738));
        assertThat(ReadBeforeCreate.instant(-1)).isEmpty();
        assertThat(ReadBeforeCreate.instant(null)).isEmpty();
    }

    @Test
    void newExpiry_keepsTheCurrentKeysLifetimeInDays_unlessTheSecretSetsKeyLifetime() {
        ReadBeforeCreate.Expiry expiry = new ReadBeforeCreate.Expiry(ReadBeforeCreate.ExpiryFormat.DATE,
                Optional.of(java.time.Duration.ofDays(90)), Optional.of("createdAt"), Optional.of("expiresAt"));
        Map<String, Object> current = Map.of("current.createdAt", "2026-01-10T08:30:00.000Z", "current.expiresAt", "2026-03-11");
        Instant now = Instant.parse("2026-12-06T05:00:00Z");

        assertThat(ReadBeforeCreate.newExpiry(expiry, Optional.empty(), current, now)).contains("2027-02-04"); // 60 days
        assertThat(ReadBeforeCreate.newExpiry(expiry, Optional.of("P7D"), current, now)).contains("2026-12-13");
        assertThat(ReadBeforeCreate.newExpiry(expiry, Optional.empty(), Map.of(), now)).contains("2027-03-06"); // default 90
        assertThatThrownBy(() -> ReadBeforeCreate.newExpiry(expiry, Optional.of("90 days"), current, now))
                .hasMessageContaining("field \"keyLifetime\" must be an ISO-8601 duration such as P90D");
    }

    @Test
    void newExpiry_withoutAnyLifetime_isAbsent_soAKeyThatNeverExpiresStaysSo() {
        ReadBeforeCreate.Expiry expiry = new ReadBeforeCreate.Expiry(ReadBeforeCreate.ExpiryFormat.ISO_8601,
                Optional.empty(), Optional.of("issuedOn"), Optional.of("expiresOn"));

        assertThat(ReadBeforeCreate.newExpiry(expiry, Optional.empty(), Map.of("current.issuedOn", "2026-01-10T08:30:00Z"),
                Instant.parse("2026-12-06T05:00:00Z"))).isEmpty();
    }

    private static Map<String, Object> current() {
        return Map.of("path", "/tokens/{keyId}", "fields", Map.of("scopes", "/scopes", "createdAt", "/created_at",
                "expiresAt", "/expires_at"));
    }

    private static Map<String, Object> create(Map<String, Object> body) {
        return Map.of("path", "/tokens", "body", body, "response", Map.of("id", "/id", "key", "/token"));
    }

    private static Profile parse(Consumer<Map<String, Object>> change) {
        Map<String, Object> profile = new LinkedHashMap<>(ProfileCatalogTest.sendgrid());
        change.accept(profile);
        return ProfileParser.parse(profile, Optional.empty(), "the profile in the secret's \"profile\" field");
    }
}
