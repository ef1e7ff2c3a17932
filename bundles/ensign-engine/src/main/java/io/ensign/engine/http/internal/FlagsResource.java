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
import io.ensign.api.model.Flag;
import io.ensign.codec.ModelCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /api/v1/flags}: the flags of the catalog. */
@Component(service = ApiResource.class)
public final class FlagsResource extends CatalogResource<Flag> {
    private final FlagCatalog catalog;
    private final ModelCodec codec = new ModelCodec();

    @Activate
    public FlagsResource(@Reference FlagCatalog catalog) {
        super(FlagCatalog.FLAG, "/api/v1/flags", "key");
        this.catalog = catalog;
    }

    @Override
    public URL openApi() {
        return FlagsResource.class.getResource("openapi.json");
    }

    @Override
    protected Optional<Flag> find(String key) {
        return catalog.flag(key);
    }

    @Override
    protected List<Flag> all() {
        return catalog.flags();
    }

    @Override
    protected Flag decode(JsonNode body, String key) {
        return codec.decodeFlag(body, key, 0);
    }

    @Override
    protected ObjectNode encode(Flag value) {
        return codec.encodeFlag(value);
    }

    @Override
    protected long version(Flag value) {
        return value.version();
    }

    @Override
    protected WriteResult<Flag> write(Flag value, long expectedVersion, WriteContext context) {
        return catalog.putFlag(value, expectedVersion, context);
    }

    @Override
    protected void delete(String key, long expectedVersion, WriteContext context) {
        catalog.deleteFlag(key, expectedVersion, context);
    }
}
