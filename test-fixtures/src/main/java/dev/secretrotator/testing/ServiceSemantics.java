package dev.secretrotator.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Makes an emulator's client behave like the documented service where moto does not
 * (design.md §7): a {@code PutSecretValue} whose {@code ClientRequestToken} names a version that
 * already holds a value succeeds without effect when the value is the same, and fails with
 * {@code ResourceExistsException} when it differs ("you can't modify an existing version"); moto
 * 5.2.1 refuses too, except for a version labelled {@code AWSPENDING}, which it overwrites (the
 * pending value of a rotation: the case that matters most). The check and the write are atomic per version, as in the service, so two
 * threads racing to store a pending value see exactly one win. And {@code DescribeSecret} lists
 * in {@code VersionIdsToStages} only versions that carry a label, as the service does (moto
 * lists deprecated versions too).
 */
public final class ServiceSemantics {
    private ServiceSemantics() {}

    /** A client whose {@code PutSecretValue} follows the service; every other call passes through. */
    public static SecretsManagerClient secretsManager(SecretsManagerClient real) {
        Map<String, Object> locks = new ConcurrentHashMap<>();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("putSecretValue") && args != null && args.length == 1) {
                PutSecretValueRequest request = args[0] instanceof PutSecretValueRequest r ? r : build(args[0]);
                if (request.clientRequestToken() != null) {
                    synchronized (locks.computeIfAbsent(request.clientRequestToken(), k -> new Object())) {
                        return put(real, request);
                    }
                }
                return real.putSecretValue(request);
            }
            if (method.getName().equals("describeSecret") && args != null && args.length == 1) {
                return labelledOnly((DescribeSecretResponse) invoke(real, method, args));
            }
            return invoke(real, method, args);
        };
        return (SecretsManagerClient) Proxy.newProxyInstance(SecretsManagerClient.class.getClassLoader(),
                new Class<?>[] {SecretsManagerClient.class}, handler);
    }

    private static DescribeSecretResponse labelledOnly(DescribeSecretResponse response) {
        if (!response.hasVersionIdsToStages()) {
            return response;
        }
        Map<String, java.util.List<String>> labelled = new java.util.LinkedHashMap<>();
        response.versionIdsToStages().forEach((version, stages) -> {
            if (!stages.isEmpty()) {
                labelled.put(version, stages);
            }
        });
        return response.toBuilder().versionIdsToStages(labelled).build();
    }

    @SuppressWarnings("unchecked")
    private static PutSecretValueRequest build(Object consumer) {
        return PutSecretValueRequest.builder().applyMutation((Consumer<PutSecretValueRequest.Builder>) consumer).build();
    }

    private static PutSecretValueResponse put(SecretsManagerClient real, PutSecretValueRequest request) {
        GetSecretValueResponse existing;
        try {
            existing = real.getSecretValue(b -> b.secretId(request.secretId()).versionId(request.clientRequestToken()));
        } catch (ResourceNotFoundException noValueYet) {
            return real.putSecretValue(request);
        }
        if (existing.secretString() == null && existing.secretBinary() == null) {
            return real.putSecretValue(request);
        }
        boolean same = Objects.equals(existing.secretString(), request.secretString())
                && Objects.equals(existing.secretBinary(), request.secretBinary());
        if (!same) {
            throw (ResourceExistsException) ResourceExistsException.builder()
                    .message("You can't modify an existing version, you can only create a new version.")
                    .statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceExistsException")
                            .errorMessage("You can't modify an existing version, you can only create a new version.")
                            .serviceName("SecretsManager").build())
                    .build();
        }
        return PutSecretValueResponse.builder().arn(existing.arn()).name(existing.name())
                .versionId(existing.versionId()).versionStages(existing.versionStages()).build();
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
