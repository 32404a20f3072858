package dev.secretrotator.cli;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A Lambda {@link Context} for local runs: a fresh request id, a 5-minute budget, its logger on stderr (the CLI keeps stdout for results). */
final class LocalContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final long deadline = System.currentTimeMillis() + 300_000;

    LocalContext(String functionName) {
        this.functionName = functionName;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "local"; }
    @Override public String getLogStreamName() { return "local"; }
    @Override public String getFunctionName() { return "secret-rotator-" + functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:local:000000000000:function:" + getFunctionName(); }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
    @Override public int getMemoryLimitInMB() { return 512; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.err.print(message); }
            @Override public void log(byte[] message) { System.err.print(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
