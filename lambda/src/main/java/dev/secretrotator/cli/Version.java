package dev.secretrotator.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the jar's version (its manifest), or "development build" when run from classes. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"secret-rotator " + (version == null ? "0.1.0-SNAPSHOT (development build)" : version),
                "Java " + System.getProperty("java.version")};
    }
}
