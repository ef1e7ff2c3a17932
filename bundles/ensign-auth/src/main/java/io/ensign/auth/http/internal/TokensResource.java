package io.ensign.auth.http.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Caller;
import io.ensign.api.auth.Role;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.NotFoundException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import io.ensign.auth.internal.ApiToken;
import io.ensign.auth.internal.TokenRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /api/v1/tokens}: admins issue, list and revoke API tokens. The secret is in the 201 body of the issue
 * and nowhere else; lists carry no hashes. {@code /api/v1/whoami} tells any caller but a metrics token which token
 * it presented, so a client such as the console can show its name and role without admin rights.
 */
@Component(service = ApiResource.class)
public final class TokensResource implements ApiResource {
    private static final String RULE = "token";
    private static final Set<String> FIELDS = Set.of("name", "role", "environment");
    private static final int MAX_NAME_LENGTH = 128;

    private final TokenRegistry tokens;
    private final FlagCatalog catalog;

    @Activate
    public TokensResource(@Reference TokenRegistry tokens, @Reference FlagCatalog catalog) {
        this.tokens = tokens;
        this.catalog = catalog;
    }

    @Override
    public URL openApi() {
        return TokensResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/tokens", Permission.ADMIN, this::issue),
                Route.get("/api/v1/tokens", Permission.ADMIN, this::list),
                Route.delete("/api/v1/tokens/{id}", Permission.ADMIN, this::revoke),
                Route.get("/api/v1/whoami", Permission.EVALUATE, this::whoAmI));
    }

    private void issue(Call call) throws IOException {
        JsonNode body = call.body();
        List<Violation> violations = new ArrayList<>();
        if (!body.isObject()) {
            throw new ValidationException(List.of(Violation.error(RULE, "", "must be a JSON object")));
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                violations.add(Violation.error(RULE, "/" + f, "is not a field of a token"));
            }
        });
        JsonNode nameNode = body.get("name");
        String name = nameNode != null && nameNode.isTextual() ? nameNode.textValue().strip() : null;
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            violations.add(Violation.error(RULE, "/name", "must be a string of 1 to " + MAX_NAME_LENGTH + " characters"));
        }
        JsonNode roleNode = body.get("role");
        Role role = roleNode != null && roleNode.isTextual() ? Role.fromJsonName(roleNode.textValue()) : null;
        if (role == null) {
            violations.add(Violation.error(RULE, "/role", "must be one of admin, editor, viewer, sdk, metrics"));
        }
        JsonNode environmentNode = body.get("environment");
        String environment = environmentNode == null || environmentNode.isNull() ? null
                : environmentNode.isTextual() ? environmentNode.textValue() : "";
        if (role == Role.SDK && (environment == null || catalog.environment(environment).isEmpty())) {
            violations.add(Violation.error(RULE, "/environment", "an sdk token needs an existing environment"));
        } else if (role != null && role != Role.SDK && environment != null) {
            violations.add(Violation.error(RULE, "/environment", "only sdk tokens are bound to an environment"));
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        TokenRegistry.IssuedToken issued = tokens.issue(name, role, environment, call.writeContext());
        call.respond(201, g -> {
            g.writeStartObject();
            writeFields(g, issued.token());
            g.writeStringField("token", issued.secret());
            g.writeEndObject();
        });
    }

    private void list(Call call) throws IOException {
        List<ApiToken> all = tokens.tokens();
        call.respond(200, g -> {
            g.writeStartArray();
            for (ApiToken token : all) {
                g.writeStartObject();
                writeFields(g, token);
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private void revoke(Call call) {
        String id = call.parameter("id");
        if (!tokens.revoke(id, call.writeContext())) {
            throw new NotFoundException(TokenRegistry.KIND, id);
        }
        call.respondEmpty(204);
    }

    private void whoAmI(Call call) throws IOException {
        Caller caller = call.caller();
        call.respond(200, g -> {
            g.writeStartObject();
            g.writeStringField("id", caller.id());
            g.writeStringField("name", caller.name());
            g.writeStringField("role", caller.role().jsonName());
            if (caller.environment() != null) {
                g.writeStringField("environment", caller.environment());
            }
            g.writeEndObject();
        });
    }

    private static void writeFields(JsonGenerator g, ApiToken token) throws IOException {
        g.writeStringField("id", token.id());
        g.writeStringField("name", token.name());
        g.writeStringField("role", token.role().jsonName());
        if (token.environment() != null) {
            g.writeStringField("environment", token.environment());
        }
        g.writeStringField("created", token.created().toString());
    }
}
