package dev.secretrotator.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An ISO-8601 duration option ({@code PT2H}, {@code PT30M}); a bad one is a usage error naming the form. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration such as PT2H or PT30M");
        }
    }
}
