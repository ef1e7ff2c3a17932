package io.ensign.engine.http.internal;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.http.CorsPolicy;
import io.ensign.api.model.Environment;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * CORS as the environments say: an origin may call for an environment that lists it in {@code allowedOrigins}.
 * The environments are read again only when the evaluator's state version moves, so a request costs a lookup.
 */
@Component(service = CorsPolicy.class)
public final class EnvironmentOrigins implements CorsPolicy {
    private final KnownEnvironments environments;

    @Activate
    public EnvironmentOrigins(@Reference FlagEvaluator evaluator, @Reference FlagCatalog catalog) {
        this.environments = new KnownEnvironments(evaluator, catalog);
        environments.readAhead();
    }

    @Override
    public boolean allows(String origin, String environment) {
        Environment named = environments.named(environment);
        return named != null && named.allowsOrigin(origin);
    }

    @Override
    public boolean allowsAnywhere(String origin) {
        return environments.all().stream().anyMatch(e -> e.allowsOrigin(origin));
    }
}
