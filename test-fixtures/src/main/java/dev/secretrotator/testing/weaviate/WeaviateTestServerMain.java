package dev.secretrotator.testing.weaviate;

/**
 * Runs the Weaviate test server as a process (benchmarks): prints {@code READY <baseUrl>} and
 * serves until killed. Argument: the root user's API key.
 */
public final class WeaviateTestServerMain {
    private WeaviateTestServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: WeaviateTestServerMain ROOT_API_KEY");
            System.exit(2);
        }
        WeaviateTestServer server = WeaviateTestServer.builder().withRootUser("admin", args[0])
                .withRole("reader", "read_data").start();
        System.out.println("READY " + server.baseUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
