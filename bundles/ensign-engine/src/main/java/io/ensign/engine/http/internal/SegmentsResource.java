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
import io.ensign.api.model.Segment;
import io.ensign.codec.ModelCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /api/v1/segments}: the segments of the catalog. */
@Component(service = ApiResource.class)
public final class SegmentsResource extends CatalogResource<Segment> {
    private final FlagCatalog catalog;
    private final ModelCodec codec = new ModelCodec();

    @Activate
    public SegmentsResource(@Reference FlagCatalog catalog) {
        super(FlagCatalog.SEGMENT, "/api/v1/segments", "key");
        this.catalog = catalog;
    }

    @Override
    public URL openApi() {
        return SegmentsResource.class.getResource("openapi.json");
    }

    @Override
    protected Optional<Segment> find(String key) {
        return catalog.segment(key);
    }

    @Override
    protected List<Segment> all() {
        return catalog.segments();
    }

    @Override
    protected Segment decode(JsonNode body, String key) {
        return codec.decodeSegment(body, key, 0);
    }

    @Override
    protected ObjectNode encode(Segment value) {
        return codec.encodeSegment(value);
    }

    @Override
    protected long version(Segment value) {
        return value.version();
    }

    @Override
    protected WriteResult<Segment> write(Segment value, long expectedVersion, WriteContext context) {
        return catalog.putSegment(value, expectedVersion, context);
    }

    @Override
    protected void delete(String key, long expectedVersion, WriteContext context) {
        catalog.deleteSegment(key, expectedVersion, context);
    }
}
