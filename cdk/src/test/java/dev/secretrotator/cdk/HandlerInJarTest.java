package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** The handler string in the CDK stack and in templates/*.yaml names a real RequestStreamHandler in the jar. */
class HandlerInJarTest {

    private static final Pattern YAML_HANDLER = Pattern.compile("(?m)^\\s*Handler:\\s*['\"]?([^'\"\\s#]+)");
    private static Set<String> handlers;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void collectHandlers() throws Exception {
        handlers = new TreeSet<>();
        Template template = Template.fromStack(TestStacks.sample(new App()));
        for (Object function : template.findResources("AWS::Lambda::Function").values()) {
            handlers.add(((Map<String, Object>) ((Map<String, Object>) function).get("Properties")).get("Handler").toString());
        }
        try (Stream<Path> files = Files.list(TestSupport.repoDir().resolve("templates"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher m = YAML_HANDLER.matcher(Files.readString(file));
                while (m.find()) {
                    handlers.add(m.group(1));
                }
            }
        }
    }

    @Test
    void stackAndTemplates_nameTheSameHandler() {
        assertThat(handlers).containsExactly(SecretRotatorFunction.HANDLER);
    }

    @Test
    void handlerClass_isInTheJar() throws Exception {
        for (String handler : handlers) {
            String entry = handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".class";
            try (JarFile jar = new JarFile(TestSupport.jar().toFile())) {
                assertThat(jar.getEntry(entry)).as("%s in %s", entry, TestSupport.jar()).isNotNull();
            }
        }
    }

    @Test
    void handlerClass_implementsRequestStreamHandlerWithTheNamedMethod() throws Exception {
        for (String handler : handlers) {
            String className = handler.substring(0, handler.indexOf("::"));
            String methodName = handler.substring(handler.indexOf("::") + 2);
            // only the jar and the JDK: the class must stand on what Lambda loads
            try (URLClassLoader loader = new URLClassLoader(new URL[] {TestSupport.jar().toUri().toURL()},
                    ClassLoader.getPlatformClassLoader())) {
                Class<?> type = Class.forName(className, false, loader);
                Class<?> streamHandler = loader.loadClass("com.amazonaws.services.lambda.runtime.RequestStreamHandler");
                Class<?> context = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");

                assertThat(streamHandler.isAssignableFrom(type)).as("%s implements RequestStreamHandler", className)
                        .isTrue();
                Method method = type.getMethod(methodName, InputStream.class, OutputStream.class, context);
                assertThat(Modifier.isPublic(method.getModifiers())).isTrue();
                assertThat(Modifier.isAbstract(type.getModifiers())).isFalse();
                assertThat(type.getConstructor().getParameterCount()).as("public no-arg constructor for Lambda")
                        .isZero();
            }
        }
    }
}
