package io.ensign.store.postgresql.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The launcher's {@code --store postgresql://…}: the framework properties {@value #URL_PROPERTY} (and
 * {@value #PASSWORD_FILE_PROPERTY}) become the configuration of PID {@value PostgresStore#PID}, which starts the
 * PostgreSQL store and event store. The launcher leaves the embedded store out then, so the selection's default (the
 * one store there is) is this one. Without the property this does nothing, and conf/ alone configures the store.
 */
@Component(immediate = true)
public final class StoreOption {
    static final String URL_PROPERTY = "ensign.store.url";
    static final String PASSWORD_FILE_PROPERTY = "ensign.store.passwordFile";

    @Activate
    public StoreOption(@Reference ConfigurationAdmin configurations, BundleContext context) throws IOException {
        String url = context.getProperty(URL_PROPERTY);
        if (url == null || url.isBlank()) {
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("url", url);
        String passwordFile = context.getProperty(PASSWORD_FILE_PROPERTY);
        if (passwordFile != null && !passwordFile.isBlank()) {
            properties.put("passwordFile", passwordFile);
        }
        Configuration configuration = configurations.getConfiguration(PostgresStore.PID, "?");
        configuration.updateIfDifferent(properties);
    }
}
