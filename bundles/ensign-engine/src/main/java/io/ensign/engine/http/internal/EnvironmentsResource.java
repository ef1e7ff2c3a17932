package io.ensign.engine.http.internal;

import java.net.URL;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.catalog.WriteResult;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.CatalogResource;
import io.ensign.api.model.Environment;
import io.ensign.codec.ModelCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /api/v1/environments}: deployment environments; made by PUT, never deleted (flags refer to them). */
@Component(service = ApiResource.class)
public final class EnvironmentsResource extends CatalogResource<Environment> {
    private final FlagCatalog catalog;
    private final ModelCodec codec = new ModelCodec();

    @Activate
    public EnvironmentsResource(@Reference FlagCatalog catalog) {
        super(FlagCatalog.ENVIRONMENT, "/api/v1/environments", "name");
        this.catalog = catalog;
    }

    @Override
    public URL openApi() {
        return EnvironmentsResource.class.getResource("openapi.json");
    }

    @Override
    protected Optional<Environment> find(String name) {
        return catalog.environment(name);
    }

    @Override
    protected List<Environment> all() {
        return catalog.environments();
    }

    @Override
    protected Environment decode(JsonNode body, String name) {
        return codec.decodeEnvironment(body, name, 0);
    }

    @Override
    protected ObjectNode encode(Environment value) {
        return codec.encodeEnvironment(value);
    }

    @Override
    protected long version(Environment value) {
        return value.version();
    }

    @Override
    protected WriteResult<Environment> write(Environment value, long expectedVersion, WriteContext context) {
        return catalog.putEnvironment(value, expectedVersion, context);
    }

    @Override
    protected boolean deletable() {
        return false;
    }

    @Override
    protected boolean bodyRequired() {
        return false;
    }
}
