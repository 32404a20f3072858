package dev.secretrotator.cdk;

import dev.secretrotator.cdk.internal.RotationScheduleLink;
import dev.secretrotator.cdk.internal.RotatorPolicies;
import dev.secretrotator.cdk.internal.RotatorProps;
import dev.secretrotator.cdk.internal.SecretArns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.ec2.Connections;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.CfnPermission;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionAttributes;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * The rotation function: the shaded jar on java25 (or java21, a prop), its log group, a least-privilege role and the
 * permission for Secrets Manager to invoke it from this account only.
 *
 * <p>Which secrets it may rotate is chosen in one of two ways (docs/deployment.md, "Sizing"):
 * <ul>
 *   <li><b>listed</b> (default): {@link #addRotatedSecret(ISecret)} (which {@link SecretRotation}
 *   calls) grants the rotation actions on exactly that secret, pins it in the function's allow-list
 *   and adds it to the retirement sweep's input. Both grow with every secret, so this mode holds at
 *   most {@link #MAX_LISTED_SECRETS}.</li>
 *   <li><b>selected</b>, by {@link SecretRotatorFunctionProps#secretTag() tag} and/or
 *   {@link SecretRotatorFunctionProps#secretNamePrefixes() name prefix}: the role, the environment and
 *   the sweep input name the selector only, so nothing in this stack grows with the number of secrets,
 *   and the sweep enumerates with ListSecrets. {@link SecretRotation}s may then live in the teams' own
 *   stacks; registering a secret adds nothing to this stack but its KMS key (same stack only).</li>
 * </ul>
 * Construct ids below are stable.
 *
 * <p>For aws-cdk-lib's own {@code secret.addRotationSchedule(...)}, pass {@link #function()} as the
 * {@code rotationLambda} and register the secret with {@link #addRotatedSecret} (aws-cdk grants the
 * four rotation actions only; the function also needs its own tags and the allow-list entry):
 * <pre>{@code
 * rotator.addRotatedSecret(secret);
 * secret.addRotationSchedule("Rotation", RotationScheduleOptions.builder()
 *         .rotationLambda(rotator.function()).automaticallyAfter(Duration.days(30)).build());
 * }</pre>
 * It is an {@link IGrantable} (its role) and an {@link IConnectable} (the function's security
 * groups, when it runs in a VPC).
 */
public class SecretRotatorFunction extends Construct implements IGrantable, IConnectable {

    /**
     * Listed mode's limit: each ARN (about 90 characters) goes into the function's environment (4 KB
     * in all) and the sweep rule's input, and twice into the role's policy.
     */
    public static final int MAX_LISTED_SECRETS = 20;

    /** The Lambda handler: a class in the jar implementing RequestStreamHandler. */
    public static final String HANDLER = "dev.secretrotator.handler.RotationHandler::handleRequest";

    private final SecretRotatorFunctionProps props;
    private final Role role;
    private final LogGroup logGroup;
    private final Function function;
    private final IFunction invokeTarget;
    private final CfnPermission invokePermission;
    private final Policy invokeSelfPolicy;
    private final FailedInvocations failedInvocations;
    private final IFunction rotationLambda;
    private boolean scheduleLinkAdded;
    private final IEventBus eventBus;
    private final List<String> rotatedSecretArns = new ArrayList<>();
    private int rotatedSecrets;
    private final PolicyStatement listedSecrets = RotatorPolicies.rotateListedSecrets();
    private final PolicyStatement listedSecretTags = RotatorPolicies.tagListedSecrets();
    private final PolicyStatement secretsKeys;
    private boolean listedSecretsAttached;
    private boolean secretsKeysAttached;

    public SecretRotatorFunction(Construct scope, String id, SecretRotatorFunctionProps props) {
        super(scope, id);
        RotatorProps.validate(props);
        this.props = props;
        Stack stack = Stack.of(this);
        this.secretsKeys = RotatorPolicies.useSecretsKeys(stack);
        this.eventBus = props.eventBus() != null ? props.eventBus()
                : EventBus.fromEventBusName(this, "DefaultBus", "default");

        this.logGroup = LogGroup.Builder.create(this, "LogGroup")
                .retention(props.logRetention())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Secret rotator: rotates only the secrets, users and roles its deployment names")
                .build();
        grantBaseline(stack);

        this.function = Function.Builder.create(this, "Function")
                .description("Rotates Secrets Manager secrets (secret-rotator)")
                .runtime(props.fastStart() != null ? props.fastStart().runtime() : props.runtime().lambdaRuntime())
                .architecture(props.architecture())
                .handler(HANDLER)
                .code(props.fastStart() != null ? props.fastStart().code()
                        : props.code() != null ? props.code() : Code.fromAsset(SecretRotatorFunctionProps.DEFAULT_JAR_PATH))
                .memorySize(props.memorySize())
                .timeout(props.timeout())
                .role(role)
                .logGroup(logGroup)
                .environment(environment())
                .snapStart(props.snapStart() ? SnapStartConf.ON_PUBLISHED_VERSIONS : null)
                .vpc(props.vpc())
                .securityGroups(props.vpc() == null ? null : nullIfEmpty(props.securityGroups()))
                .build();
        // SnapStart only applies to published versions, so Secrets Manager must invoke an alias
        this.invokeTarget = props.snapStart()
                ? Alias.Builder.create(this, "LiveAlias").aliasName("live").version(function.getCurrentVersion()).build()
                : function;
        this.failedInvocations = new FailedInvocations(this, "FailedInvocations", invokeTarget);

        // emergency's RotateSecret needs lambda:InvokeFunction on the rotation function (see RotatorPolicies)
        String functionArn = function.getFunctionArn();
        this.invokeSelfPolicy = Policy.Builder.create(this, "InvokeSelfPolicy").roles(List.of(role))
                .statements(List.of(RotatorPolicies.invokeRotationFunction(
                        props.snapStart() ? List.of(functionArn, functionArn + ":*") : List.of(functionArn))))
                .build();

        this.invokePermission = CfnPermission.Builder.create(this, "SecretsManagerInvoke")
                .action("lambda:InvokeFunction")
                .functionName(invokeTarget.getFunctionArn())
                .principal("secretsmanager.amazonaws.com")
                // without SourceAccount any account's Secrets Manager could drive this function
                .sourceAccount(stack.getAccount())
                .build();

        props.secretsKeys().forEach(this::addSecretsKey);
        this.rotationLambda = Function.fromFunctionAttributes(this, "RotationLambda", FunctionAttributes.builder()
                .functionArn(invokeTarget.getFunctionArn()).role(role).sameEnvironment(true).skipPermissions(true).build());
        RotatorNag.suppress(this);
        getNode().addValidation(() -> rotatedSecretArns.isEmpty() && !isSelected()
                ? List.of("SecretRotatorFunction must rotate at least one secret: call addRotatedSecret(...), "
                        + "use SecretRotation, or set secretTag or secretNamePrefixes; got no secret")
                : List.of());
    }

    private void grantBaseline(Stack stack) {
        role.addToPrincipalPolicy(RotatorPolicies.writeLogs(logGroup.getLogGroupArn()));
        role.addToPrincipalPolicy(RotatorPolicies.generatePasswords());
        role.addToPrincipalPolicy(RotatorPolicies.putEvents(eventBus.getEventBusArn()));
        role.addToPrincipalPolicy(RotatorPolicies.denyBindingTags());
        List<String> selected = RotatorPolicies.secretsNamed(stack, props.secretNamePrefixes());
        if (props.secretTag() != null) {
            SecretTag tag = props.secretTag();
            role.addToPrincipalPolicy(RotatorPolicies.rotateTaggedSecrets(selected, tag.key(), tag.value()));
            role.addToPrincipalPolicy(RotatorPolicies.tagTaggedSecrets(selected, tag.key(), tag.value()));
            role.addToPrincipalPolicy(RotatorPolicies.denySelectorTag(tag.key()));
        } else if (!props.secretNamePrefixes().isEmpty()) {
            role.addToPrincipalPolicy(RotatorPolicies.rotatePrefixedSecrets(selected));
            role.addToPrincipalPolicy(RotatorPolicies.tagPrefixedSecrets(selected));
        }
        if (isSelected()) {
            // the sweep cannot be given a list of secrets that are onboarded by tag or name
            role.addToPrincipalPolicy(RotatorPolicies.listSecrets());
        }
        if (!props.adminSecretArns().isEmpty()) {
            role.addToPrincipalPolicy(RotatorPolicies.readAdminSecrets(props.adminSecretArns()));
        }
        if (props.iamUserPath() != null) {
            role.addToPrincipalPolicy(RotatorPolicies.rotateIamUserKeys(stack, props.iamUserPath()));
        }
        if (!props.assumeRoleArns().isEmpty()) {
            role.addToPrincipalPolicy(RotatorPolicies.assumeRoles(props.assumeRoleArns()));
        }
        if (props.vpc() != null) {
            RotatorPolicies.vpcNetworkInterfaces(stack).forEach(role::addToPrincipalPolicy);
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ROTATOR_ALLOWED_SECRET_ARNS", Lazy.string(() -> {
            List<String> all = new ArrayList<>(rotatedSecretArns);
            if (!props.secretNamePrefixes().isEmpty()) {
                all.addAll(RotatorPolicies.secretsNamed(Stack.of(this), props.secretNamePrefixes()));
            }
            all.addAll(props.allowedSecretArnPatterns());
            return all.isEmpty() ? "" : Fn.join(",", all);
        }));
        if (props.secretTag() != null) {
            env.put("ROTATOR_SECRET_TAG", props.secretTag().key() + "=" + props.secretTag().value());
        }
        env.put("ROTATOR_ALLOWED_ENDPOINT_HOSTS", String.join(",", props.allowedEndpointHosts()));
        env.put("ROTATOR_EVENT_BUS_NAME", eventBus.getEventBusName());
        env.put("ROTATOR_GRACE_PERIOD", iso(props.gracePeriod()));
        env.put("ROTATOR_QUIET_PERIOD", iso(props.quietPeriod()));
        env.put("ROTATOR_DELETE_AFTER", iso(props.deleteAfter()));
        env.put("ROTATOR_VERIFY_TIMEOUT", iso(props.verifyTimeout()));
        env.put("ROTATOR_VERIFY_SUCCESSES", Integer.toString(props.verifySuccesses()));
        if (!props.javaToolOptions().isEmpty() && props.fastStart() == null) {
            env.put("JAVA_TOOL_OPTIONS", props.javaToolOptions());
        }
        env.putAll(props.passwordOptions());
        return env;
    }

    /**
     * Lets the function rotate this secret. Listed mode: the rotation actions on its full ARN, the ARN
     * in the allow-list and in the retirement sweep (idempotent per ARN). Selected mode: nothing per
     * secret (a secret defined in a CDK app gets the selector tag; an imported one must carry it or match
     * a prefix already), only its KMS key when it is in this stack. A secret imported by name or partial
     * ARN ({@code Secret.fromSecretNameV2}) is granted as {@code <arn>-??????}, as aws-cdk does.
     *
     * @throws IllegalArgumentException in listed mode, if the secret lives in another stack (the reference
     *                                  would make the two stacks depend on each other) or is secret number
     *                                  {@link #MAX_LISTED_SECRETS} + 1; in prefix mode, if its known name
     *                                  matches no prefix
     */
    public void addRotatedSecret(ISecret secret) {
        if (isSelected()) {
            addSelectedSecret(secret);
            return;
        }
        String arn = SecretArns.forPolicies(secret);
        if (Token.isUnresolved(secret.getSecretArn()) && Stack.of(secret) != Stack.of(this)) {
            throw new IllegalArgumentException("secret must be defined in the rotator's stack '"
                    + Stack.of(this).getStackName() + "' or imported by complete ARN (Secret.fromSecretCompleteArn), "
                    + "got secret " + secret.getNode().getPath() + " of stack '" + Stack.of(secret).getStackName()
                    + "'; to rotate secrets of other stacks, select them with secretTag or secretNamePrefixes");
        }
        if (rotatedSecretArns.contains(arn)) {
            return;
        }
        if (rotatedSecretArns.size() == MAX_LISTED_SECRETS) {
            throw new IllegalArgumentException("listed mode rotates at most " + MAX_LISTED_SECRETS + " secrets (each ARN"
                    + " goes into the function's 4 KB environment and the sweep's input), got secret number "
                    + (MAX_LISTED_SECRETS + 1) + ": " + secret.getNode().getPath() + "; select secrets with secretTag or"
                    + " secretNamePrefixes instead (docs/deployment.md, Sizing)");
        }
        rotatedSecretArns.add(arn);
        listedSecrets.addResources(arn);
        listedSecretTags.addResources(arn);
        if (!listedSecretsAttached) {
            role.addToPrincipalPolicy(listedSecrets);
            role.addToPrincipalPolicy(listedSecretTags);
            listedSecretsAttached = true;
        }
        if (secret.getEncryptionKey() != null) {
            addSecretsKey(secret.getEncryptionKey());
        }
    }

    private void addSelectedSecret(ISecret secret) {
        SecretArns.requireSelected(secret, props.secretNamePrefixes());
        if (props.secretTag() != null) {
            // applies to secrets defined in the app only; an imported secret's owner tags it
            Tags.of(secret).add(props.secretTag().key(), props.secretTag().value());
        }
        IKey key = secret.getEncryptionKey();
        if (key != null && Stack.of(key) == Stack.of(this)) {
            addSecretsKey(key);
        } else if (key != null && Token.isUnresolved(key.getKeyArn())) {
            throw new IllegalArgumentException("the KMS key of secret " + secret.getNode().getPath() + " is defined in"
                    + " stack '" + Stack.of(key).getStackName() + "', not the rotator's stack '" + Stack.of(this).getStackName()
                    + "'; list the key in secretsKeys (Key.fromKeyArn in the rotator's stack), so this stack does not"
                    + " depend on the team's");
        }
        rotatedSecrets++;
    }

    /** Whether secrets are selected by tag or name prefix rather than listed one by one. */
    public boolean isSelected() {
        return props.secretTag() != null || !props.secretNamePrefixes().isEmpty();
    }

    /** How many secrets were registered with {@link #addRotatedSecret} (both modes). */
    public int rotatedSecretCount() {
        return rotatedSecrets + rotatedSecretArns.size();
    }

    /** Lets the function decrypt and encrypt secret values with this key, through Secrets Manager only. */
    public void addSecretsKey(IKey key) {
        secretsKeys.addResources(key.getKeyArn());
        if (!secretsKeysAttached) {
            role.addToPrincipalPolicy(secretsKeys);
            secretsKeysAttached = true;
        }
    }

    /** ARNs registered with {@link #addRotatedSecret} in listed mode, in registration order (may contain tokens). */
    public List<String> getRotatedSecretArns() {
        return List.copyOf(rotatedSecretArns);
    }

    /** A lazy list of the rotated secret ARNs, complete at synth time (for sweep input). */
    public List<String> lazyRotatedSecretArns() {
        return Lazy.list(() -> List.copyOf(rotatedSecretArns));
    }

    /**
     * What Secrets Manager invokes, as an {@link IFunction} for aws-cdk's
     * {@code RotationScheduleOptions.rotationLambda}: a reference to the function (or its
     * {@code live} alias with SnapStart). A reference on purpose: aws-cdk then adds neither its own
     * invoke permission (which has no {@code SourceAccount}, so any account's Secrets Manager could
     * drive the function) nor grants; the rotator's account-scoped permission and
     * {@link #addRotatedSecret}'s grants apply, and once this was called every schedule of the
     * rotator's stack naming the function waits for that permission (and warns, with listed secrets,
     * when its secret was not registered).
     */
    public IFunction function() {
        if (!scheduleLinkAdded) {
            // only once function() is handed out: a Java aspect is a jsii callback per construct of the stack,
            // which overflows the stack at the scale of selected mode (1,000 schedules); SecretRotation's own
            // schedules wait for the permission without it
            Aspects.of(Stack.of(this)).add(new RotationScheduleLink(getRotationLambdaArn(), invokePermission,
                    () -> isSelected() ? null : List.copyOf(rotatedSecretArns)));
            scheduleLinkAdded = true;
        }
        return rotationLambda;
    }

    /** The function's role: grants to this construct are grants to the rotation function. */
    @Override
    public IPrincipal getGrantPrincipal() {
        return role;
    }

    /**
     * The function's network connections (its security groups).
     *
     * @throws RuntimeException from aws-cdk when the function does not run in a VPC ({@code vpc} unset)
     */
    @Override
    public Connections getConnections() {
        return function.getConnections();
    }

    public Function getFunction() {
        return function;
    }

    /** What Secrets Manager, the sweep and alarms invoke: the function, or its {@code live} alias with SnapStart. */
    public IFunction getInvokeTarget() {
        return invokeTarget;
    }

    /** The {@code RotationLambdaARN} for rotation schedules. */
    public String getRotationLambdaArn() {
        return invokeTarget.getFunctionArn();
    }

    /** The dead-letter queue of the asynchronous invocations (sweep, automatic rollback). */
    public FailedInvocations getFailedInvocations() {
        return failedInvocations;
    }

    public CfnPermission getInvokePermission() {
        return invokePermission;
    }

    public Role getRole() {
        return role;
    }

    /** The role's policy that lets emergency rotation's {@code RotateSecret} invoke this function. */
    public Policy getInvokeSelfPolicy() {
        return invokeSelfPolicy;
    }

    public LogGroup getLogGroup() {
        return logGroup;
    }

    public IEventBus getEventBus() {
        return eventBus;
    }

    public SecretRotatorFunctionProps getProps() {
        return props;
    }

    // java.time's form (PT24H rather than CDK's P1D) is the one the function documents
    private static String iso(software.amazon.awscdk.Duration d) {
        return java.time.Duration.ofMillis(d.toMilliseconds().longValue()).toString();
    }

    private static <T> List<T> nullIfEmpty(List<T> list) {
        return list.isEmpty() ? null : list;
    }
}
