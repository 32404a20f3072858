package dev.secretrotator.ops;

import dev.secretrotator.config.RotatorConfig;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;

/**
 * How the sweep and {@code status} narrow ListSecrets to the deployment's secrets, so that
 * enumeration needs no list of secret ids in any event: the selector tag
 * ({@code ROTATOR_SECRET_TAG}) as {@code tag-key}/{@code tag-value} filters, the allow-list's name
 * prefixes ({@code team-a/*}) as a {@code name} filter. Secrets Manager matches these as
 * case-insensitive prefixes (and a key and a value from different tags match together), so the
 * result is a superset: callers still apply {@link RotatorConfig#secretAllowed(String, java.util.Map)}.
 */
final class Selection {

    /** ListSecrets accepts at most 10 values per filter. */
    static final int MAX_FILTER_VALUES = 10;

    private Selection() {}

    static List<Filter> filters(RotatorConfig config) {
        List<Filter> filters = new ArrayList<>();
        config.secretTag().ifPresent(tag -> {
            filters.add(Filter.builder().key(FilterNameStringType.TAG_KEY).values(tag.key()).build());
            filters.add(Filter.builder().key(FilterNameStringType.TAG_VALUE).values(tag.value()).build());
        });
        List<String> prefixes = config.secretNamePrefixes();
        if (!prefixes.isEmpty() && prefixes.size() <= MAX_FILTER_VALUES && prefixes.stream().noneMatch(String::isEmpty)) {
            filters.add(Filter.builder().key(FilterNameStringType.NAME).values(prefixes).build());
        }
        return filters;
    }

    /** Whether the deployment names its secrets at all (allow-list or tag), rather than relying on IAM alone. */
    static boolean hasSelector(RotatorConfig config) {
        return !config.allowedSecretArns().isEmpty() || config.secretTag().isPresent();
    }
}
