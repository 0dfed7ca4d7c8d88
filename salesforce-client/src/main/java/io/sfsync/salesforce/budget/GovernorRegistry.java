package io.sfsync.salesforce.budget;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * One {@link ApiBudgetGovernor} per org: every client, bulk job and stream of the same org in this JVM shares it,
 * so they spend one allocation together. Keyed by org id (18 characters) or, before it is known, by instance URL.
 * The first caller's configuration wins.
 */
public final class GovernorRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(GovernorRegistry.class);
    private static final GovernorRegistry SHARED = new GovernorRegistry();

    private final ConcurrentMap<String, ApiBudgetGovernor> governors = new ConcurrentHashMap<>();

    /** The JVM-wide registry. */
    public static GovernorRegistry shared() {
        return SHARED;
    }

    /** The governor for the org, built by {@code factory} if there is none yet. */
    public ApiBudgetGovernor governorFor(String orgKey, Function<String, ApiBudgetGovernor> factory) {
        ApiBudgetGovernor g = governors.computeIfAbsent(orgKey, factory);
        return g;
    }

    /** The governor for the org with the given configuration (if this call creates it). */
    public ApiBudgetGovernor governorFor(String orgKey, BudgetConfig config) {
        ApiBudgetGovernor g = governorFor(orgKey, k -> ApiBudgetGovernor.builder(k).config(config).build());
        if (!g.config().equals(config)) {
            LOG.info("org {}: an API budget governor already exists; keeping its configuration {}", orgKey,
                    g.config());
        }
        return g;
    }

    public Optional<ApiBudgetGovernor> find(String orgKey) {
        return Optional.ofNullable(governors.get(orgKey));
    }

    /** Forgets an org's governor (tests, or an org no longer used). */
    public void remove(String orgKey) {
        governors.remove(orgKey);
    }
}
