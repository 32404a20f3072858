package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileCatalogTest {
    final ProfileCatalog catalog = new ProfileCatalog(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"sendgrid", "twilio", "datadog", "openai-admin-key"})
    void builtInProfile_loads_withEveryCallARotationNeeds(String name) {
        // WHEN
        Profile profile = catalog.named(name);

        // THEN
        assertThat(profile.name()).isEqualTo(name);
        assertThat(profile.endpoint()).hasValueSatisfying(e -> assertThat(e).startsWith("https://"));
        assertThat(profile.list()).as("a retried createSecret must find its own key").isPresent();
        assertThat(profile.revoke().path()).contains("{keyId}");
        assertThat(profile.keyName()).contains("{versionId}");
        assertThat(profile.verify().rejectedStatuses()).contains(401);
    }

    @Test
    void builtInProfiles_acceptOnlyA2xxAsProof_exceptTwilio403_namedWithItsReason() {
        assertThat(catalog.named("sendgrid").verify().acceptedStatuses()).isEmpty();
        assertThat(catalog.named("datadog").verify().acceptedStatuses()).isEmpty();
        assertThat(catalog.named("openai-admin-key").verify().acceptedStatuses()).isEmpty();
        assertThat(catalog.named("twilio").verify().acceptedStatuses()).containsOnlyKeys(403)
                .hasValueSatisfying(new org.assertj.core.api.Condition<>(r -> r.contains("restricted key"), "a reason"));
    }

    @Test
    void builtInProfiles_authenticateAsTheVendorsDocument() {
        assertThat(catalog.named("sendgrid").auth().key().headers()).containsEntry("Authorization", "Bearer {apiKey}");
        assertThat(catalog.named("twilio").auth().key().basic()).hasValue("{keyId}:{apiKey}");
        assertThat(catalog.named("datadog").auth().admin().orElseThrow().headers())
                .containsOnlyKeys("DD-API-KEY", "DD-APPLICATION-KEY");
        assertThat(catalog.named("openai-admin-key").auth().management()).isEqualTo(Profile.Management.ADMIN_OR_KEY);
        assertThat(catalog.named("openai-admin-key").lastUsed()).isPresent();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("no create call", p -> p.remove("create"), "field \"create\" is missing"),
                bad("no key pointer", p -> obj(p, "create", "response").remove("key"), "field \"create.response.key\" is missing"),
                bad("revoke without the key id", p -> obj(p, "revoke").put("path", "/v3/api_keys"),
                        "field \"revoke.path\" must contain {keyId}"),
                bad("a misspelt field", p -> p.put("revokee", Map.of()), "field \"revokee\" is not a profile field"),
                bad("unknown method", p -> obj(p, "verify").put("method", "FETCH"), "field \"verify.method\" must be one of"),
                bad("relative path", p -> obj(p, "verify").put("path", "v3/scopes"), "field \"verify.path\" must be a path"),
                bad("path to another host", p -> obj(p, "verify").put("path", "//evil.example/x"), "field \"verify.path\""),
                bad("illegal path characters", p -> obj(p, "list").put("path", "/v3/api keys"),
                        "field \"list.path\" is not a valid URL path"),
                bad("key name without the token", p -> p.put("keyName", "rotated-key"), "field \"keyName\" must contain {versionId}"),
                bad("no name sent on create", p -> obj(p, "create").put("body", Map.of("label", "x")),
                        "field \"create\" must send the new key's name"),
                bad("credential in a body", p -> obj(p, "create").put("body", Map.of("name", "{name}", "k", "{apiKey}")),
                        "credentials may appear only in the auth headers"),
                bad("key auth without the key", p -> obj(p, "auth").put("key", Map.of("headers", Map.of("X-Key", "fixed"))),
                        "field \"auth.key\" must use {apiKey}"),
                bad("admin management without admin auth", p -> {
                    obj(p, "auth").remove("admin");
                    obj(p, "auth").put("management", "admin");
                }, "field \"auth.admin\" is missing"),
                bad("a reserved header", p -> obj(p, "auth").put("key", Map.of("headers", Map.of("Host", "{apiKey}"))),
                        "field \"auth.key.headers.Host\" is not a header name"),
                bad("2xx as a rejection", p -> obj(p, "verify").put("rejectedStatuses", List.of(200)),
                        "field \"verify.rejectedStatuses\" must hold 4xx statuses only"),
                bad("an accepted status without a reason", p -> obj(p, "verify").put("acceptStatuses", Map.of("403", "")),
                        "field \"verify.acceptStatuses.403\" must give the reason"),
                bad("401 accepted as proof", p -> obj(p, "verify").put("acceptStatuses", Map.of("401", "it is fine")),
                        "field \"verify.acceptStatuses.401\" cannot prove a key"),
                bad("a status both accepted and rejected", p -> {
                    obj(p, "verify").put("rejectedStatuses", List.of(401, 403));
                    obj(p, "verify").put("acceptStatuses", Map.of("403", "valid key without a scope"));
                }, "field \"verify.acceptStatuses.403\" cannot prove a key"),
                bad("a 5xx accepted as proof", p -> obj(p, "verify").put("acceptStatuses",
                        Map.of("503", "maintenance")), "field \"verify.acceptStatuses.503\" cannot prove a key"),
                bad("an accepted status that is not a number", p -> obj(p, "verify").put("acceptStatuses", Map.of("forbidden", "x")),
                        "must be an HTTP status"),
                bad("bad duration", p -> obj(p, "propagation").put("timeout", "soon"),
                        "field \"propagation.timeout\" must be an ISO-8601 duration"),
                bad("list without items", p -> obj(p, "list").remove("items"), "field \"list.items\" is missing"),
                bad("auth not an object", p -> p.put("auth", "bearer"), "field \"auth\" must be a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedOrIncompleteProfile_isRejectedAtLoad_namingTheField(String what, Consumer<Map<String, Object>> change,
            String expected) {
        // GIVEN a profile with one defect, given inline in a secret
        Map<String, Object> profile = sendgrid();
        change.accept(profile);
        SecretValue secret = SecretValue.of(Map.of("provider", "http-api-key", "profile", profile));

        // WHEN / THEN
        assertThatThrownBy(() -> catalog.forSecret(secret))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining("the profile in the secret's \"profile\" field");
    }

    @Test
    void deploymentProfileFile_isFoundByName(@TempDir Path dir) throws IOException {
        // GIVEN a profile file shipped with the deployment
        Map<String, Object> profile = sendgrid();
        profile.put("name", "kubeadapt");
        Files.writeString(dir.resolve("kubeadapt.json"), JSON.std.asString(profile));

        // WHEN
        Profile loaded = new ProfileCatalog(List.of(dir)).forSecret(SecretValue.of(Map.of("profile", "kubeadapt")));

        // THEN
        assertThat(loaded.name()).isEqualTo("kubeadapt");
    }

    @Test
    void deploymentProfileFile_thatIsNotJson_isRejected_namingTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.json"), "{\"name\": \"broken\",");

        assertThatThrownBy(() -> new ProfileCatalog(List.of(dir)).named("broken"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("profile \"broken\"").hasMessageContaining("broken.json")
                .hasMessageContaining("is not valid JSON");
    }

    @Test
    void deploymentProfileFile_namedOtherwiseInside_isRejected(@TempDir Path dir) throws IOException {
        Map<String, Object> profile = sendgrid();
        profile.put("name", "other");
        Files.writeString(dir.resolve("mine.json"), JSON.std.asString(profile));

        assertThatThrownBy(() -> new ProfileCatalog(List.of(dir)).named("mine"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("field \"name\" must match");
    }

    @Test
    void profileOfAMissingDirectory_isRejected_namingTheVariableAndTheDirectory(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-layer");

        assertThatThrownBy(() -> new ProfileCatalog(List.of(missing)).named("kubeadapt"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown profile \"kubeadapt\"").hasMessageContaining("ROTATOR_PROFILE_DIR")
                .hasMessageContaining(missing + ", which does not exist");
    }

    @Test
    void unknownProfile_isRejected_namingTheBuiltInOnes() {
        assertThatThrownBy(() -> catalog.forSecret(SecretValue.of(Map.of("profile", "stripe"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown profile \"stripe\"").hasMessageContaining("sendgrid");
    }

    @Test
    void profileName_withPathCharacters_isRejected() {
        assertThatThrownBy(() -> catalog.forSecret(SecretValue.of(Map.of("profile", "../../etc/passwd"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("lower-case letters");
    }

    @Test
    void missingProfile_isRejected() {
        assertThatThrownBy(() -> catalog.forSecret(SecretValue.of(Map.of("provider", "http-api-key"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("field \"profile\" is missing");
    }

    static Arguments bad(String what, Consumer<Map<String, Object>> change, String expected) {
        return Arguments.of(what, change, expected);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> root, String... path) {
        Map<String, Object> node = root;
        for (String p : path) {
            node = (Map<String, Object>) node.get(p);
        }
        return node;
    }

    /** A deep, mutable copy of the built-in sendgrid profile. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sendgrid() {
        try (InputStream in = ProfileCatalogTest.class.getResourceAsStream("/profiles/sendgrid.json")) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) JSON.std.anyFrom(in));
            copy.remove("name");
            return copy;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
