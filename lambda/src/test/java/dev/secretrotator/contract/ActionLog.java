package dev.secretrotator.contract;

import dev.secretrotator.testing.iam.CallRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * A global SDK interceptor of the lambda module's tests (registered in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}): every AWS call made from
 * the function's code (an engine, provider, ops, telemetry or handler class of the main jar on
 * the stack), in any test, is logged by action to {@code <permission.contract.dir>/actions/}.
 * The cdk module's {@code PermissionContractTest} checks that each action appears in some Allow
 * of the role. Calls signed with session credentials (an assumed role) are marked, since the
 * role's policy does not govern them. It never fails a call: a problem is printed, not thrown.
 */
public final class ActionLog implements ExecutionInterceptor {
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private static final Path FILE = Path.of(System.getProperty("permission.contract.dir", "target/permission-contract"),
            "actions", "actions-" + ProcessHandle.current().pid() + ".txt");
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        try {
            List<Class<?>> stack = WALKER.walk(frames -> frames.<Class<?>>map(StackWalker.StackFrame::getDeclaringClass).toList());
            // a CallRecorder on the stack: the test's own look-up while it records the function's call
            if (stack.contains(CallRecorder.class) || stack.stream().noneMatch(ActionLog::isFunctionCode)) {
                return;
            }
            boolean session = context.httpRequest().firstMatchingHeader("X-Amz-Security-Token").isPresent();
            String line = CallRecorder.iamAction(attributes) + (session ? " session" : "");
            if (SEEN.add(line)) {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("ActionLog could not record a call: " + e);
        }
    }

    // main code of the function, not the CLI's own setup calls, not test classes or fixtures
    private static boolean isFunctionCode(Class<?> type) {
        if (!type.getName().matches("dev\\.secretrotator\\.(engine|provider|ops|telemetry|handler)\\..*")) {
            return false;
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        String location = source == null || source.getLocation() == null ? "" : source.getLocation().toString();
        return !location.contains("test-classes") && !location.contains("test-fixtures");
    }
}
