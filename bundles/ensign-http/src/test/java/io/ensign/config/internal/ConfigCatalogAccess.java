package io.ensign.config.internal;

import java.nio.file.Path;
import java.util.Map;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.config.ConfigService;
import io.ensign.api.store.Store;
import io.ensign.api.validation.ValidationRule;

/** Lets the HTTP tests run the real configuration service (bundle ensign-config) without a framework. */
public final class ConfigCatalogAccess {
    private ConfigCatalogAccess() {
    }

    /** The service over a store and catalog, its secrets key in the data directory. */
    public static ConfigService create(Store store, FlagCatalog catalog, Path dataDirectory) {
        return new ConfigCatalog(store, catalog, dataDirectory.resolve(ConfigCatalog.KEY_FILE));
    }

    /** Makes a validation rule consulted on config writes, as DS would bind it. */
    public static void bindRule(ConfigService service, String name, ValidationRule rule) {
        ((ConfigCatalog) service).bindRule(rule, Map.of(ValidationRule.NAME, name));
    }
}
