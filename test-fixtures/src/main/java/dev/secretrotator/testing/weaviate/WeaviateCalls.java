package dev.secretrotator.testing.weaviate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A test's own calls to a Weaviate (the test server or a real one), as a consumer or an admin
 * would make them: one request with a bearer key, answered as a string. Failures name the call,
 * never the key.
 */
public final class WeaviateCalls {
    private WeaviateCalls() {}

    /**
     * @param body a JSON body, or null for none
     * @throws IllegalStateException if the request gets no answer
     */
    public static HttpResponse<String> send(HttpClient http, String baseUrl, String method, String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
