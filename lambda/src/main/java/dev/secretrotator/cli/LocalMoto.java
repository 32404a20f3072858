package dev.secretrotator.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** A {@code moto_server} process on a free loopback port, for the demo. */
final class LocalMoto implements AutoCloseable {
    static final String INSTALL_HINT = "moto_server was not found on PATH. Install it with:  pip install 'moto[server]'"
            + "  (or set AWS_ENDPOINT_URL to an emulator you already run)";

    private final Process process;
    private final String endpoint;

    private LocalMoto(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Turns rotation on for a secret on an emulator, as the deployment does on AWS: RotateSecret
     * naming a local function that does not exist stages a version AWSPENDING and stops; the
     * label is taken off again. Emulator only (the demo and the throughput check): production
     * code never enables rotation.
     */
    static void enableRotation(SecretsManagerClient client, String secretArn) {
        String[] arn = secretArn.split(":", 6); // arn:partition:service:region:account:resource
        String function = "arn:" + arn[1] + ":lambda:" + arn[3] + ":" + arn[4] + ":function:secret-rotator-local";
        String token = UUID.randomUUID().toString();
        try {
            client.rotateSecret(b -> b.secretId(secretArn).clientRequestToken(token).rotationLambdaARN(function)
                    .rotationRules(r -> r.automaticallyAfterDays(30L)));
        } catch (ResourceNotFoundException expected) {
            client.updateSecretVersionStage(b -> b.secretId(secretArn).versionStage("AWSPENDING").removeFromVersionId(token));
        }
    }

    /** Starts moto_server, or returns empty when it is not installed. */
    static Optional<LocalMoto> start(Path log) throws IOException, InterruptedException {
        Optional<Path> program = onPath("moto_server");
        if (program.isEmpty()) {
            return Optional.empty();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(program.get().toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalMoto moto = new LocalMoto(process, "http://127.0.0.1:" + port);
        moto.awaitPort(port);
        return Optional.of(moto);
    }

    String endpoint() {
        return endpoint;
    }

    private void awaitPort(int port) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("moto_server exited with status " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IOException("moto_server did not listen on port " + port + " within 30 s");
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
