package io.ensign.engine.http.internal;

import java.io.IOException;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.auth.Authenticator;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.evaluation.FlagEvaluator;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.JsonBodies;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.model.ErrorCode;
import io.ensign.api.model.EvaluationContext;
import io.ensign.api.model.EvaluationResult;
import io.ensign.api.model.Reason;
import io.ensign.codec.PlainValues;
import io.ensign.engine.stream.internal.OfrepEventStreams;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The OpenFeature Remote Evaluation Protocol: single and bulk evaluation and the provider configuration, with the
 * protocol's response shapes (open-feature/protocol {@code service/openapi.yaml}) so stock OFREP providers work
 * unchanged. Any token may evaluate; an sdk token evaluates in its own environment, others name one with
 * {@code ?environment=} (default from configuration).
 *
 * <p>The protocol's reasons are {@code STATIC, TARGETING_MATCH, SPLIT, DISABLED, UNKNOWN}. Ensign's {@code DEFAULT}
 * (rules ran and none matched) and the {@code ERROR} of a failed plugin (served with the flag's own default) go out
 * as {@code UNKNOWN}, with Ensign's reason in the metadata ({@value #ENSIGN_REASON}, and for a failure
 * {@value #ENSIGN_ERROR_CODE} and {@value #ENSIGN_ERROR_DETAILS}). A rollout by targetingKey reached without one is
 * {@code TARGETING_KEY_MISSING}.
 */
@Component(service = ApiResource.class, configurationPid = OfrepResource.PID)
@Designate(ocd = OfrepResource.Config.class)
public final class OfrepResource implements ApiResource {
    static final String PID = "io.ensign.http.ofrep";
    static final String ENSIGN_REASON = "ensignReason";
    static final String ENSIGN_ERROR_CODE = "ensignErrorCode";
    static final String ENSIGN_ERROR_DETAILS = "ensignErrorDetails";

    /** How OFREP clients are served. */
    @ObjectClassDefinition(name = "Ensign OFREP", description = "OpenFeature Remote Evaluation Protocol settings")
    public @interface Config {
        @AttributeDefinition(description = "Environment evaluated when a non-sdk token names none")
        String defaultEnvironment() default "production";

        @AttributeDefinition(description = "Shortest interval between bulk re-evaluations that clients are told to"
                + " keep when polling, in milliseconds")
        long minPollingIntervalMs() default 10_000;
    }

    private final FlagEvaluator evaluator;
    private final Authenticator authenticator;
    private final String defaultEnvironment;
    private final long minPollingIntervalMs;
    private final KnownEnvironments environments;

    @Activate
    public OfrepResource(@Reference FlagEvaluator evaluator, @Reference FlagCatalog catalog,
                         @Reference Authenticator authenticator, Config config) {
        this.evaluator = evaluator;
        this.authenticator = authenticator;
        this.environments = new KnownEnvironments(evaluator, catalog);
        environments.readAhead();
        this.defaultEnvironment = config.defaultEnvironment();
        this.minPollingIntervalMs = config.minPollingIntervalMs();
    }

    @Override
    public URL openApi() {
        return OfrepResource.class.getResource("openapi.json");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/ofrep/v1/evaluate/flags/{key}", Permission.EVALUATE, this::evaluateOne).ofrepErrors(),
                Route.post("/ofrep/v1/evaluate/flags", Permission.EVALUATE, this::evaluateAll).ofrepErrors(),
                Route.get("/ofrep/v1/configuration", Permission.EVALUATE, this::configuration).ofrepErrors());
    }

    private void evaluateOne(Call call) throws IOException {
        String environment = CallerEnvironment.of(call, this::environmentExists, defaultEnvironment, "evaluates in");
        EvaluationContext context = context(call.optionalBody());
        EvaluationResult result = evaluator.evaluate(environment, call.parameter("key"), context,
                MissingTargetingKey.ERROR);
        if (servesValue(result)) {
            call.respond(200, g -> writeSuccess(g, result));
        } else {
            notReady(result);
            call.respond(result.errorCode() == ErrorCode.FLAG_NOT_FOUND ? 404 : 400, g -> writeFailure(g, result));
        }
    }

    /** Before the engine has loaded the flags, a 503 the client retries (the protocol has no error code for it). */
    private static void notReady(EvaluationResult result) {
        if (result.errorCode() == ErrorCode.PROVIDER_NOT_READY) {
            throw new ApiException(503, ErrorCodes.SERVICE_UNAVAILABLE, result.errorDetails());
        }
    }

    private void evaluateAll(Call call) throws IOException {
        String environment = CallerEnvironment.of(call, this::environmentExists, defaultEnvironment, "evaluates in");
        EvaluationContext context = context(call.optionalBody());
        List<EvaluationResult> results = evaluator.evaluateAll(environment, context, MissingTargetingKey.ERROR);
        String ticket = authenticator.ticket(call.caller(), OfrepEventStreams.purpose(environment));
        call.respondCacheable(call.render(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("flags");
            for (EvaluationResult result : results) {
                if (servesValue(result)) {
                    writeSuccess(g, result);
                } else {
                    writeFailure(g, result);
                }
            }
            g.writeEndArray();
            // ADR 0008: providers that know server-sent events follow this stream and re-fetch when told to.
            g.writeArrayFieldStart("eventStreams");
            g.writeStartObject();
            g.writeStringField("type", "sse");
            g.writeObjectFieldStart("endpoint");
            g.writeStringField("requestUri", OfrepEventStreams.requestUri(environment, ticket));
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private void configuration(Call call) throws IOException {
        call.respondCacheable(call.render(g -> {
            g.writeStartObject();
            g.writeStringField("name", "Ensign");
            g.writeObjectFieldStart("capabilities");
            g.writeObjectFieldStart("cacheInvalidation");
            g.writeObjectFieldStart("polling");
            g.writeBooleanField("enabled", true);
            g.writeNumberField("minPollingIntervalMs", minPollingIntervalMs);
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("flagEvaluation");
            g.writeArrayFieldStart("supportedTypes");
            for (String type : new String[] {"boolean", "string", "int", "float", "object"}) {
                g.writeString(type);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        }));
    }


    private boolean environmentExists(String name) {
        return environments.named(name) != null;
    }

    /**
     * The evaluation context of an OFREP request body: {@code {"context":{"targetingKey":"u1",...}}}. The protocol
     * requires the body and its context; the targeting key may be missing (a flag without rollouts needs none).
     */
    static EvaluationContext context(JsonNode body) {
        if (body == null || body.isNull() || !body.isObject()) {
            throw invalidContext("the body must be a JSON object with a \"context\" object", "");
        }
        JsonNode context = body.get("context");
        if (context == null || context.isNull()) {
            throw invalidContext("the body has no \"context\" object (send {\"context\":{}} for none)", "/context");
        }
        if (!context.isObject()) {
            throw invalidContext("\"context\" must be a JSON object", "/context");
        }
        String targetingKey = null;
        Map<String, Object> attributes = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : context.properties()) {
            if (field.getKey().equals(EvaluationContext.TARGETING_KEY)) {
                if (!field.getValue().isTextual() && !field.getValue().isNull()) {
                    throw invalidContext("\"targetingKey\" must be a string", "/context/targetingKey");
                }
                targetingKey = field.getValue().textValue();
            } else {
                attributes.put(field.getKey(), PlainValues.toJava(field.getValue()));
            }
        }
        return new EvaluationContext(targetingKey, attributes);
    }

    private static ApiException invalidContext(String message, String field) {
        return new ApiException(400, ErrorCodes.INVALID_CONTEXT, message, field);
    }

    /**
     * Whether a result carries a value to serve: every success, and a failure inside a flag that exists (a plugin
     * missing or failing: code GENERAL with the flag's default variant), which serves that default with reason
     * UNKNOWN and the failure in the metadata — a client keeps getting the flag's own default through a plugin swap
     * instead of a failed request. Other failures (no such flag, no targeting key for a rollout, not ready, the
     * caller's mistakes) use the protocol's failure shape and status.
     */
    private static boolean servesValue(EvaluationResult result) {
        return !result.isError() || (result.errorCode() == ErrorCode.GENERAL && result.variant() != null);
    }

    private static void writeSuccess(JsonGenerator g, EvaluationResult result) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", result.key());
        g.writeFieldName("value");
        JsonBodies.writePlain(g, result.value());
        g.writeStringField("reason", ofrepReason(result.reason()));
        if (result.variant() != null) {
            g.writeStringField("variant", result.variant());
        }
        g.writeObjectFieldStart("metadata");
        if (!result.reason().name().equals(ofrepReason(result.reason()))) {
            g.writeStringField(ENSIGN_REASON, result.reason().name());
        }
        if (result.isError()) {
            g.writeStringField(ENSIGN_ERROR_CODE, result.errorCode().name());
            g.writeStringField(ENSIGN_ERROR_DETAILS, result.errorDetails());
        }
        // OFREP metadata values are booleans, strings or numbers only.
        for (Map.Entry<String, Object> entry : result.metadata().entrySet()) {
            Object value = entry.getValue();
            if (value != null) {
                g.writeFieldName(entry.getKey());
                JsonBodies.writePlain(g, value instanceof Boolean || value instanceof Number ? value : value.toString());
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The protocol's name for a reason: its enum lacks DEFAULT and ERROR, which become UNKNOWN. */
    static String ofrepReason(Reason reason) {
        switch (reason) {
            case DEFAULT:
            case ERROR:
                return "UNKNOWN";
            default:
                return reason.name();
        }
    }

    private static void writeFailure(JsonGenerator g, EvaluationResult result) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", result.key());
        g.writeStringField("errorCode", result.errorCode() == null ? ErrorCode.GENERAL.name() : result.errorCode().name());
        if (result.errorDetails() != null) {
            g.writeStringField("errorDetails", result.errorDetails());
        }
        g.writeEndObject();
    }
}
