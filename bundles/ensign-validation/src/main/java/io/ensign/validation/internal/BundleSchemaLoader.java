package io.ensign.validation.internal;

import java.util.List;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.ClasspathResourceLoader;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;

/**
 * Loads only the meta-schemas this bundle carries, from this bundle's own class loader. The library's
 * default asks the thread context class loader, which in OSGi belongs to whoever called (e.g. Jetty),
 * and nothing here ever fetches a remote {@code $ref}: a schema must be self-contained.
 */
final class BundleSchemaLoader extends SchemaLoader {
    private final ClasspathResourceLoader bundleResources =
            new ClasspathResourceLoader(BundleSchemaLoader.class::getClassLoader);

    BundleSchemaLoader() {
        super(List.of(), List.of());
    }

    @Override
    protected InputStreamSource getClasspathResource(AbsoluteIri absoluteIri) {
        return bundleResources.getResource(absoluteIri);
    }
}
