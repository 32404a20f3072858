package dev.secretrotator.handler;

import dev.secretrotator.engine.Step;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.iam.IamClients;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Lambda SnapStart runtime hooks (a CRaC {@link Resource}, registered only when Lambda initialises
 * the function for a snapshot, see {@link RotationHandler}).
 *
 * <p>{@link #beforeCheckpoint}: does, once, before the snapshot, what the first invocation of every
 * restored environment would otherwise pay for. It builds every client registered with
 * {@link ProviderServices} except sources of randomness (the AWS SDK clients, the IAM client and an
 * STS client of the {@code aws-iam} provider, the providers' HTTP client, the EventBridge events),
 * loads and initialises the function's classes and the SDK model classes of the four steps' calls
 * ({@link PrimedClasses}), and parses a synthetic event of each step and a synthetic secret value of
 * each provider. It sends no request: SDK clients resolve credentials per request, so none is
 * resolved and none can be captured in the snapshot. A failure propagates: Lambda then fails to
 * create the version rather than publish a half-primed one.
 *
 * <p>Nothing unique is left in the snapshot: a source of randomness built during initialisation is
 * discarded before the checkpoint and again after each restore ({@link #afterRestore}), so every
 * restored environment draws its randomness from an instance it created itself.
 *
 * <p>The runtime calls the hooks one at a time; not meant for concurrent use.
 */
public final class SnapStartPriming implements Resource {
    /** What Lambda sets {@code AWS_LAMBDA_INITIALIZATION_TYPE} to while it initialises for a snapshot. */
    static final String SNAP_START = "snap-start";
    private static final String TOKEN = "00000000-0000-0000-0000-000000000000";
    private static final List<String> SAMPLE_SECRETS = List.of(
            "{\"provider\":\"random-password\",\"password\":\"priming\"}",
            "{\"provider\":\"aws-iam\",\"userName\":\"priming\",\"accessKeyId\":\"AKIAPRIMING\",\"secretAccessKey\":\"priming\"}",
            "{\"provider\":\"weaviate\",\"endpoint\":\"https://weaviate.invalid\",\"userId\":\"priming\",\"apiKey\":\"priming\"}",
            "{\"provider\":\"http-api-key\",\"profile\":\"sendgrid\",\"keyId\":\"priming\",\"apiKey\":\"priming\"}");

    private final ProviderServices services;
    private int checkpoints;
    private int restores;

    SnapStartPriming(ProviderServices services) {
        this.services = services;
    }

    /**
     * Registers hooks for {@code components} with the global CRaC context, which on Lambda is the
     * runtime's; elsewhere (no CRaC) registering does nothing and the hooks never run. The context
     * holds resources weakly: the caller keeps the returned hooks.
     */
    static SnapStartPriming register(Components components) {
        return register(components, Core.getGlobalContext());
    }

    static SnapStartPriming register(Components components, Context<Resource> context) {
        SnapStartPriming hooks = new SnapStartPriming(components.services());
        context.register(hooks);
        return hooks;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        discardRandomness();
        int clients = buildClients();
        int classes = PrimedClasses.initialise();
        parseSamples();
        checkpoints++;
        services.telemetry().info("SnapStart priming done", java.util.Map.of("classes", classes,
                "clients", clients));
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        discardRandomness();
        restores++;
    }

    /** How often the hooks ran: {@code [checkpoints, restores]} (for tests). */
    int[] runs() {
        return new int[] {checkpoints, restores};
    }

    /** Drops every built {@link Random} (SecureRandom included): it is rebuilt on first use. */
    private void discardRandomness() {
        services.clientTypes().stream().filter(Random.class::isAssignableFrom).forEach(services::discard);
    }

    /** Builds the clients; returns how many types. */
    private int buildClients() {
        int built = 0;
        for (Class<?> type : services.clientTypes()) {
            if (!Random.class.isAssignableFrom(type)) {
                services.client(type);
                built++;
            }
        }
        if (services.clientTypes().contains(IamClients.class)) {
            IamClients iam = services.client(IamClients.class);
            iam.iam(Optional.empty());
            // verification signs with the new key: its STS client is built per key, so build (and drop) one
            try (StsClient sts = iam.stsWith(AwsBasicCredentials.create("AKIAPRIMING", "priming"))) {
                sts.serviceName();
            }
        }
        return built;
    }

    private static void parseSamples() {
        for (Step step : Step.values()) {
            String json = "{\"Step\":\"" + step.wireName() + "\",\"SecretId\":\"priming\",\"ClientRequestToken\":\"" + TOKEN + "\"}";
            RotationHandler.toRequest(Event.parse(json.getBytes(StandardCharsets.UTF_8)).asRotationEvent());
        }
        Event.parse("{\"action\":\"sweep\"}".getBytes(StandardCharsets.UTF_8)).action();
        SAMPLE_SECRETS.forEach(SecretValue::parse);
    }
}
