package dev.secretrotator.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * A {@code moto_server} (AWS API emulator) on a free loopback port, or the emulator named by
 * {@code AWS_ENDPOINT_URL} when one is given from outside.
 *
 * <p>Started with request authentication off for a very large number of requests
 * ({@code INITIAL_NO_AUTH_ACTION_COUNT}); {@link #enforceAuthentication()} switches it on.
 */
public final class MotoServer implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";
    static final String INSTALL_HINT = "moto_server is not on PATH. Install it with:  pip install 'moto[server]'"
            + "   (or set AWS_ENDPOINT_URL to a running emulator)";

    private final Process process;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts moto_server, or connects to {@code AWS_ENDPOINT_URL} if set. */
    public static MotoServer start() {
        String external = System.getenv("AWS_ENDPOINT_URL");
        if (external != null && !external.isBlank()) {
            return new MotoServer(null, URI.create(external));
        }
        Path program = findOnPath("moto_server");
        try {
            int port = freePort();
            Path log = Files.createTempFile("moto-server-", ".log");
            ProcessBuilder builder = new ProcessBuilder(program.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", "1000000000");
            MotoServer server = new MotoServer(builder.start(), URI.create("http://127.0.0.1:" + port));
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto_server: " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Points an SDK client builder at this emulator with fixed region and test credentials. */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return configure(builder, AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** Points an SDK client builder at this emulator, signing with {@code credentials}. */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder, software.amazon.awssdk.auth.credentials.AwsCredentials credentials) {
        return builder.endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials));
    }

    /** Clears every resource (not the authentication counter). */
    public void reset() {
        post("/moto-api/reset", "");
    }

    /** From now on every request's signature and access key are checked. */
    public void enforceAuthentication() {
        post("/moto-api/reset-auth", "0");
    }

    /** Switches request authentication off again. */
    public void relaxAuthentication() {
        post("/moto-api/reset-auth", "1000000000");
    }

    private void post(String path, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("moto " + path + " answered HTTP " + r.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("moto_server exited (" + process.exitValue() + "): " + Files.readString(log));
            }
            try {
                http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for moto_server", e);
            }
        }
        close();
        throw new IOException("moto_server did not answer within 60 s; its log: " + log);
    }

    static Path findOnPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(INSTALL_HINT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
        }
    }
}
