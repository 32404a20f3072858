package dev.secretrotator.hardening;

import dev.secretrotator.TestRotator;
import java.util.ArrayList;
import java.util.List;

/** Checks shared by every rig of {@link FaultPropertiesIT}. */
final class FaultChecks {
    private FaultChecks() {}

    /** Whether every version holding AWSPENDING also holds AWSCURRENT. */
    static boolean pendingOnlyOnCurrent(TestRotator rotator, String arn) {
        return rotator.stages(arn).values().stream().noneMatch(l -> l.contains("AWSPENDING") && !l.contains("AWSCURRENT"));
    }

    /**
     * No credential the target issued, no stored credential and no rotation token appears in what
     * was printed or in any error (messages and causes).
     */
    static void leaks(Rigs.Rig rig, String output, List<RuntimeException> failures, List<String> violations) {
        StringBuilder seen = new StringBuilder(output);
        for (Throwable f : failures) {
            for (Throwable t = f; t != null; t = t.getCause()) {
                seen.append('\n').append(t.getMessage());
            }
        }
        List<String> secrets = new ArrayList<>(rig.issued());
        secrets.addAll(EmulatorState.storedCredentials(rig.rotator().client));
        secrets.addAll(rig.rotator().driver.rotationTokensSent());
        String text = seen.toString();
        for (String s : secrets) {
            if (s != null && s.length() >= 8 && text.contains(s)) {
                violations.add("a credential or rotation token (" + s.length() + " characters) appeared in the output or an error");
            }
        }
    }
}
