package io.ensign.audit.http.internal;

import java.io.IOException;
import java.net.URL;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ensign.api.auth.Authenticator;
import io.ensign.api.audit.AuditDelivery;
import io.ensign.api.auth.Authenticator;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.auth.Authenticator;
import io.ensign.api.audit.AuditVerifier;
import io.ensign.api.auth.Authenticator;
import io.ensign.api.audit.SinkStatus;
import io.ensign.api.auth.Authenticator;
import io.ensign.api.audit.Verification;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.store.Store;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code /api/v1/audit}: the store's change log (the audit trail itself), the verification of the journal and
 * where each audit sink stands. Token hashes are left out of token records: they are what a login compares
 * against, and the audit trail is readable by viewers. Secret config values are ciphertext in the log already.
 */
@Component(service = ApiResource.class)
public final class AuditResource implements ApiResource {
    /** The verifier this resource reports: the journal sink's. */
    static final String VERIFIER = "journal";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final String TOKEN_HASH = "hash";

    private final Store store;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile AuditVerifier verifier;
    private volatile AuditDelivery delivery;

    @Activate
    public AuditResource(@Reference(target = Store.SELECTED) Store store) {
        this.store = store;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(name=" + VERIFIER + ")")
    void bindVerifier(AuditVerifier verifier) {
        this.verifier = verifier;
    }

    /** A greedy replacement is bound before the old one is unbound, so only the one in use is cleared. */
    void unbindVerifier(AuditVerifier verifier) {
        if (this.verifier == verifier) {
            this.verifier = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDelivery(AuditDelivery delivery) {
        this.delivery = delivery;
    }

    void unbindDelivery(AuditDelivery delivery) {
        if (this.delivery == delivery) {
            this.delivery = null;
        }
    }

    @Override
    public URL openApi() {
        return AuditResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/audit", Permission.READ, this::records),
                Route.get("/api/v1/audit/verify", Permission.READ, this::verify),
                Route.get("/api/v1/audit/sinks", Permission.READ, this::sinks));
    }

    /** Records after {@code since}, oldest first; {@code next} is where the following page starts. */
    private void records(Call call) throws IOException {
        long since = call.queryNumber("since", 0, Long.MAX_VALUE, 0L);
        int limit = (int) call.queryNumber("limit", 1, Integer.MAX_VALUE, (long) DEFAULT_LIMIT);
        List<AuditRecord> records = store.changes(since, Math.min(limit, MAX_LIMIT));
        long last = store.lastSequence();
        call.respond(200, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("records");
            for (AuditRecord record : records) {
                writeRecord(g, record);
            }
            g.writeEndArray();
            g.writeNumberField("next", records.isEmpty() ? since : records.get(records.size() - 1).sequence());
            g.writeNumberField("lastSequence", Math.max(last, since));
            g.writeEndObject();
        });
    }

    private void verify(Call call) throws IOException {
        AuditVerifier current = verifier;
        if (current == null) {
            throw unavailable("no audit journal verifier is running (bundle ensign-audit-journal)");
        }
        Verification verification = current.verify();
        call.respond(200, g -> {
            g.writeStartObject();
            g.writeBooleanField("valid", verification.valid());
            g.writeNumberField("records", verification.records());
            if (verification.firstInvalidSequence() != null) {
                g.writeNumberField("firstInvalidSequence", verification.firstInvalidSequence());
            }
            g.writeStringField("message", verification.message());
            g.writeStringField("verifier", VERIFIER);
            g.writeEndObject();
        });
    }

    private void sinks(Call call) throws IOException {
        AuditDelivery current = delivery;
        if (current == null) {
            throw unavailable("no audit dispatcher is running (bundle ensign-audit)");
        }
        List<SinkStatus> sinks = current.sinks();
        call.respond(200, g -> {
            g.writeStartArray();
            for (SinkStatus sink : sinks) {
                g.writeStartObject();
                g.writeStringField("name", sink.name());
                g.writeNumberField("cursor", sink.cursor());
                g.writeNumberField("lag", sink.lag());
                g.writeNumberField("failures", sink.failures());
                g.writeStringField("lastError", sink.lastError());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private void writeRecord(JsonGenerator g, AuditRecord record) throws IOException {
        g.writeStartObject();
        g.writeNumberField("sequence", record.sequence());
        g.writeStringField("time", record.time().toString());
        g.writeStringField("actor", record.actor());
        g.writeStringField("action", record.action());
        g.writeStringField("kind", record.kind());
        g.writeStringField("key", record.key());
        g.writeStringField("environment", record.environment());
        g.writeNumberField("version", record.version());
        g.writeFieldName("before");
        writeDocument(g, record.kind(), record.before());
        g.writeFieldName("after");
        writeDocument(g, record.kind(), record.after());
        g.writeStringField("reason", record.reason());
        g.writeStringField("requestId", record.requestId());
        g.writeEndObject();
    }

    /** A stored document embedded as JSON (as a string when it is not JSON), a token's hash left out. */
    private void writeDocument(JsonGenerator g, String kind, String json) throws IOException {
        if (json == null) {
            g.writeNull();
            return;
        }
        JsonNode document;
        try {
            document = mapper.readTree(json);
        } catch (IOException e) {
            g.writeString(json);
            return;
        }
        if (Authenticator.TOKEN_KIND.equals(kind) && document instanceof ObjectNode token) {
            token.remove(TOKEN_HASH);
        }
        g.writeTree(document);
    }

    private static ApiException unavailable(String message) {
        return new ApiException(503, ErrorCodes.SERVICE_UNAVAILABLE, message);
    }
}
