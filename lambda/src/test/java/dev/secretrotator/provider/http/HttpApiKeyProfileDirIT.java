package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.CloudflareTestServer;
import dev.secretrotator.testing.saas.EntraTestServer;
import dev.secretrotator.testing.saas.SendGridTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Deployment profile files come from the directory ROTATOR_PROFILE_DIR names, through the real handler and moto. */
@ExtendWith({Moto.class, LeakCheck.class})
class HttpApiKeyProfileDirIT {
    final MutableClock clock = new MutableClock();
    SendGridTestServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() {
        server = new SendGridTestServer(clock);
    }

    @AfterEach
    void stopServer() {
        server.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret()));
        server.close();
    }

    @Test
    void profileFile_inTheDirectoryRotatorProfileDirNames_isFoundAndUsedForTheRotation(MotoServer moto) throws IOException {
        // GIVEN a function whose ROTATOR_PROFILE_DIR holds "acme-mail.json" (SendGrid's API under another name)
        Map<String, Object> profile = ProfileCatalogTest.sendgrid();
        profile.put("name", "acme-mail");
        Files.writeString(dir.resolve("acme-mail.json"), JSON.std.asString(profile));
        SaasRig rig = new SaasRig(moto, clock, Map.of("ROTATOR_PROFILE_DIR", dir.toString()));
        ApiKeys.Key first = server.seedKey("made in the console");
        String arn = rig.createSecret("saas/acme-mail", SaasRig.secret("acme-mail", server, first, rig.adminSecret("admin/acme", server)));

        // WHEN Secrets Manager rotates a secret naming that profile
        ServiceDriver.Result result = rig.driver.rotate(arn);

        // THEN the profile file drove it: a new key, named after the token, is current and works
        Map<String, Object> current = rig.current(arn);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(current.get("keyId")).isNotEqualTo(first.id());
        assertThat(server.key((String) current.get("keyId")).name()).contains(result.token());
        assertThat(server.accepts(current)).isTrue();
    }

    @Test
    void vendorAddedWithAJsonFileAlone_theDocumentedCloudflareAccountTokenExample_rotatesAndRetires(MotoServer moto)
            throws IOException {
        // GIVEN the guide's example file, copied as is into the directory ROTATOR_PROFILE_DIR names
        Path example = Path.of("..", "docs", "providers", "examples", "cloudflare-account-token.json");
        Files.copy(example, dir.resolve("cloudflare-account-token.json"));
        try (CloudflareTestServer cloudflare = new CloudflareTestServer(clock)) {
            SaasRig rig = new SaasRig(moto, clock, Map.of("ROTATOR_PROFILE_DIR", dir.toString()));
            ApiKeys.Key first = cloudflare.seedKey("made in the dashboard");
            Map<String, Object> secret = SaasRig.secret("cloudflare-account-token", cloudflare, first,
                    rig.adminSecret("admin/cloudflare-account", cloudflare));
            secret.put("accountId", CloudflareTestServer.ACCOUNT);
            String arn = rig.createSecret("saas/cloudflare-account", secret);

            // WHEN it is rotated, and swept after the grace period
            ServiceDriver.Result result = rig.driver.rotate(arn);
            clock.advance(Duration.ofHours(25));
            Map<String, Object> line = rig.sweep(arn);
            clock.advance(Duration.ofHours(-25));

            // THEN the file drove it: a new token with the first one's policies is current and works; the first is gone
            Map<String, Object> current = rig.current(arn);
            String newId = (String) current.get("keyId");
            assertThat(cloudflare.key(newId).name()).contains(result.token());
            assertThat(cloudflare.policies(newId)).hasSameSizeAs(cloudflare.policies(first.id()));
            assertThat(cloudflare.accepts(current)).isTrue();
            assertThat(line).containsEntry("action", "DEACTIVATED").containsEntry("credentialId", first.id());
            assertThat(cloudflare.isActive(first.id())).isFalse();
            cloudflare.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret()));
        }
    }

    @Test
    void vendorWithATokenStepAddedWithAJsonFileAlone_theDocumentedEntraUsGovExample_rotatesAndRetires(MotoServer moto)
            throws IOException {
        // GIVEN the guide's US Government cloud example (its own Graph scope), copied as is into ROTATOR_PROFILE_DIR,
        // and an Entra stand-in that accepts only that scope
        Path example = Path.of("..", "docs", "providers", "examples", "entra-usgov-client-secret.json");
        Files.copy(example, dir.resolve("entra-usgov-client-secret.json"));
        try (EntraTestServer entra = new EntraTestServer(clock).scope("https://graph.microsoft.us/.default")) {
            SaasRig rig = new SaasRig(moto, clock, Map.of("ROTATOR_PROFILE_DIR", dir.toString()));
            ApiKeys.Key first = entra.seedKey("made in the portal");
            Map<String, Object> secret = SaasRig.secret("entra-usgov-client-secret", entra, first,
                    rig.adminSecret("admin/entra-usgov", entra));
            secret.put("tokenEndpoint", entra.url());
            String arn = rig.createSecret("saas/entra-usgov", secret);

            // WHEN it is rotated, and swept after the grace period
            ServiceDriver.Result result = rig.driver.rotate(arn);
            clock.advance(Duration.ofHours(25));
            Map<String, Object> line = rig.sweep(arn);
            clock.advance(Duration.ofHours(-25));

            // THEN the file drove it: a new client secret is current and gets tokens with that scope; the first is removed
            Map<String, Object> current = rig.current(arn);
            assertThat(result.attempts()).isEqualTo(1);
            assertThat(current.get("keyId")).isNotEqualTo(first.id());
            assertThat(entra.accepts(current)).isTrue();
            assertThat(line).containsEntry("action", "DEACTIVATED").containsEntry("credentialId", first.id());
            assertThat(entra.isActive(first.id())).isFalse();
            entra.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret()));
        }
    }

    @Test
    void profileDirectory_thatDoesNotExist_failsCreateSecretNamingTheVariableAndTheDirectory(MotoServer moto) {
        // GIVEN ROTATOR_PROFILE_DIR naming a directory that is not there (a layer not attached, a typo)
        Path missing = dir.resolve("no-such-layer");
        SaasRig rig = new SaasRig(moto, clock, Map.of("ROTATOR_PROFILE_DIR", missing.toString()));
        ApiKeys.Key first = server.seedKey("made in the console");
        String arn = rig.createSecret("saas/acme-missing", SaasRig.secret("acme-mail", server, first, null));
        String token = rig.driver.startRotation(arn);
        List<String> keysBefore = server.activeKeys().stream().map(ApiKeys.Key::id).toList();

        // WHEN / THEN createSecret refuses before anything is changed, saying which setting and directory to fix
        assertThatThrownBy(() -> rig.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown profile \"acme-mail\"").hasMessageContaining("ROTATOR_PROFILE_DIR")
                .hasMessageContaining(missing + ", which does not exist");
        assertThat(rig.faults.calls("putSecretValue")).isZero();
        assertThat(server.activeKeys()).extracting(ApiKeys.Key::id).containsExactlyElementsOf(keysBefore);
    }
}
