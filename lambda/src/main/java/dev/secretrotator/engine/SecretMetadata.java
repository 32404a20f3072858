package dev.secretrotator.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code DescribeSecret} says about a secret, as the protocol needs it.
 *
 * @param arn the full ARN
 * @param name the name
 * @param rotationEnabled whether rotation is switched on
 * @param rotationLambdaArn the configured rotation function, if any
 * @param stagesByVersion staging labels per version id
 * @param tags the secret's tags (this function keeps its retirement ledger there)
 * @param lastRotated when Secrets Manager last rotated the secret, if known
 * @param nextRotation when Secrets Manager will rotate it next, if scheduled
 */
public record SecretMetadata(
        String arn, String name, boolean rotationEnabled, Optional<String> rotationLambdaArn,
        Map<String, List<String>> stagesByVersion, Map<String, String> tags, Optional<java.time.Instant> lastRotated,
        Optional<java.time.Instant> nextRotation) {

    public static final String CURRENT = "AWSCURRENT";
    public static final String PENDING = "AWSPENDING";
    public static final String PREVIOUS = "AWSPREVIOUS";

    public SecretMetadata {
        stagesByVersion = Map.copyOf(stagesByVersion);
        tags = Map.copyOf(tags);
    }

    /**
     * Whether the secret's rotation function is the function named {@code functionName}, invoked as
     * {@code arn:...:function:<name>} or through a version or alias ({@code ...:function:<name>:live}
     * with SnapStart).
     */
    public boolean rotatedBy(String functionName) {
        return rotationLambdaArn.map(arn -> {
            int at = arn.indexOf(":function:");
            String rest = at < 0 ? "" : arn.substring(at + ":function:".length());
            int qualifier = rest.indexOf(':');
            return (qualifier < 0 ? rest : rest.substring(0, qualifier)).equals(functionName);
        }).orElse(false);
    }

    /** This metadata with tag {@code key} set to {@code value}, as after a {@code TagResource} of it. */
    public SecretMetadata withTag(String key, String value) {
        Map<String, String> changed = new java.util.HashMap<>(tags);
        changed.put(key, value);
        return new SecretMetadata(arn, name, rotationEnabled, rotationLambdaArn, stagesByVersion, changed, lastRotated, nextRotation);
    }

    /** This metadata without tag {@code key}, as after an {@code UntagResource} of it. */
    public SecretMetadata withoutTag(String key) {
        Map<String, String> changed = new java.util.HashMap<>(tags);
        changed.remove(key);
        return new SecretMetadata(arn, name, rotationEnabled, rotationLambdaArn, stagesByVersion, changed, lastRotated, nextRotation);
    }

    public boolean hasVersion(String versionId) {
        return stagesByVersion.containsKey(versionId);
    }

    public boolean hasStage(String versionId, String stage) {
        return stagesByVersion.getOrDefault(versionId, List.of()).contains(stage);
    }

    /** The version holding {@code stage}, if any (a label sits on at most one version). */
    public Optional<String> versionWith(String stage) {
        return stagesByVersion.entrySet().stream()
                .filter(e -> e.getValue().contains(stage)).map(Map.Entry::getKey).findFirst();
    }
}
