package io.ensign.openfeature;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.TrackingEventDetails;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import io.ensign.api.evaluation.MissingTargetingKey;
import io.ensign.api.model.EvaluationResult;
import io.ensign.client.ClientStatus;
import io.ensign.client.EnsignClient;
import io.ensign.client.Registration;

/**
 * An OpenFeature provider that evaluates in process through an {@link EnsignClient}: every answer comes from the
 * client's local state, so evaluations go on while the server is away. Reasons are Ensign's (they are
 * OpenFeature's names), error codes OpenFeature's; a rollout by targeting key without one is
 * {@code TARGETING_KEY_MISSING}, as over OFREP. An integer flag asked as a double is served, and so is a whole
 * double asked as an integer. Events: READY when the client is current, STALE while it serves its last state
 * without the server, CONFIGURATION_CHANGED with the changed flag keys, ERROR when the server refuses the client.
 * {@link #track} sends a metric event for the context's targeting key. The application owns and closes the client.
 */
public final class EnsignProvider extends EventProvider {
    private static final Metadata METADATA = () -> "ensign";

    private final EnsignClient client;
    private final Duration initTimeout;
    private final List<Registration> registrations = new ArrayList<>();

    /** A provider over {@code client} that waits up to 10 s in {@code initialize} for it to be ready. */
    public EnsignProvider(EnsignClient client) {
        this(client, Duration.ofSeconds(10));
    }

    public EnsignProvider(EnsignClient client, Duration initTimeout) {
        this.client = client;
        this.initTimeout = initTimeout;
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    /**
     * Waits for the client to be current. A client that serves a state of its own (its backup) while the server is
     * away initialises too, and the provider is then STALE at once; one with nothing to serve fails the
     * initialisation, and becomes READY by event once the server answers.
     */
    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
        synchronized (registrations) {
            registrations.add(client.onStatusChange(this::statusChanged));
            registrations.add(client.onChange(changes -> emitProviderConfigurationChanged(ProviderEventDetails
                    .builder().flagsChanged(new ArrayList<>(changes.flags())).message("flags changed").build())));
        }
        if (client.awaitReady(initTimeout)) {
            return;
        }
        ClientStatus status = client.status();
        if (status == ClientStatus.NOT_READY || status == ClientStatus.ERROR) {
            throw new ProviderNotReadyError("the Ensign client has no state to serve yet (" + status + ")");
        }
        emitProviderStale(ProviderEventDetails.builder().message("serving the last state known").build());
    }

    private void statusChanged(ClientStatus status) {
        switch (status) {
            case READY -> emitProviderReady(ProviderEventDetails.builder().message("current with the server").build());
            case STALE -> emitProviderStale(ProviderEventDetails.builder().message("the server is unreachable; "
                    + "serving the last state known").build());
            case ERROR -> emitProviderError(ProviderEventDetails.builder().errorCode(ErrorCode.GENERAL)
                    .message("the server refuses this client").build());
            default -> {
                // NOT_READY comes only before the first state, when OpenFeature knows the provider is not ready
            }
        }
    }

    @Override
    public void shutdown() {
        synchronized (registrations) {
            registrations.forEach(Registration::close);
            registrations.clear();
        }
        super.shutdown();
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, v -> v instanceof Boolean b ? b : null);
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, v -> v instanceof String s ? s : null);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, v -> v instanceof Number n && whole(n)
                && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE ? n.intValue() : null);
    }

    @Override
    public ProviderEvaluation<Long> getLongEvaluation(String key, Long defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, v -> v instanceof Long l ? l
                : v instanceof Number n && whole(n) && Math.abs(n.doubleValue()) < 0x1p63 ? n.longValue() : null);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, v -> v instanceof Number n ? n.doubleValue() : null);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, v -> v == null ? null : toValue(v));
    }

    /** Sends {@code eventName} as a metric of the running experiments that take it, for the targeting key. */
    @Override
    public void track(String eventName, EvaluationContext context, TrackingEventDetails details) {
        String unit = context == null ? null : context.getTargetingKey();
        double value = details == null ? 1 : details.getValue().map(Number::doubleValue).orElse(1.0);
        client.track(eventName, unit, value);
    }

    private static boolean whole(Number n) {
        double d = n.doubleValue();
        return !Double.isInfinite(d) && d == Math.rint(d);
    }

    private <T> ProviderEvaluation<T> evaluate(String key, T defaultValue, EvaluationContext ctx,
                                               java.util.function.Function<Object, T> typed) {
        EvaluationResult result = client.evaluate(key, toEnsign(ctx), MissingTargetingKey.ERROR);
        ImmutableMetadata metadata = metadata(result);
        if (result.isError() && (result.variant() == null
                || result.errorCode() != io.ensign.api.model.ErrorCode.GENERAL)) {
            return ProviderEvaluation.<T>builder().value(defaultValue).reason(result.reason().name())
                    .errorCode(ErrorCode.valueOf(result.errorCode().name())).errorMessage(result.errorDetails())
                    .flagMetadata(metadata).build();
        }
        T value = typed.apply(result.value());
        if (value == null) {
            return ProviderEvaluation.<T>builder().value(defaultValue).reason("ERROR").errorCode(ErrorCode.TYPE_MISMATCH)
                    .errorMessage("flag '" + key + "' holds " + describe(result.value())).flagMetadata(metadata)
                    .build();
        }
        ProviderEvaluation.ProviderEvaluationBuilder<T, ?, ?> b = ProviderEvaluation.<T>builder().value(value)
                .variant(result.variant()).reason(result.reason().name()).flagMetadata(metadata);
        if (result.isError()) {
            // a plugin failed: the flag's default variant is served, and the failure said
            b.errorCode(ErrorCode.GENERAL).errorMessage(result.errorDetails());
        }
        return b.build();
    }

    private static String describe(Object value) {
        return value == null ? "no value" : "a " + value.getClass().getSimpleName() + " value";
    }

    private static ImmutableMetadata metadata(EvaluationResult result) {
        ImmutableMetadata.ImmutableMetadataBuilder b = ImmutableMetadata.builder();
        result.metadata().forEach((k, v) -> {
            if (v instanceof Boolean bool) {
                b.addBoolean(k, bool);
            } else if (v instanceof Integer i) {
                b.addInteger(k, i);
            } else if (v instanceof Long l) {
                b.addLong(k, l);
            } else if (v instanceof Number n) {
                b.addDouble(k, n.doubleValue());
            } else if (v != null) {
                b.addString(k, v.toString());
            }
        });
        return b.build();
    }

    /** OpenFeature's merged context as Ensign's: its targeting key and its attributes as plain Java values. */
    static io.ensign.api.model.EvaluationContext toEnsign(EvaluationContext ctx) {
        if (ctx == null) {
            return new io.ensign.api.model.EvaluationContext(null, Map.of());
        }
        Map<String, Object> attributes = new HashMap<>();
        for (Map.Entry<String, Value> e : ctx.asUnmodifiableMap().entrySet()) {
            if (!e.getKey().equals(EvaluationContext.TARGETING_KEY)) {
                Object plain = toPlain(e.getValue());
                if (plain != null) {
                    attributes.put(e.getKey(), plain);
                }
            }
        }
        String key = ctx.getTargetingKey();
        return new io.ensign.api.model.EvaluationContext(key == null || key.isEmpty() ? null : key, attributes);
    }

    private static Object toPlain(Value v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean() || v.isString()) {
            return v.asObject();
        }
        if (v.isNumber()) {
            Object n = v.asObject();
            return n instanceof Integer i ? Long.valueOf(i) : n;
        }
        if (v.isInstant()) {
            return v.asInstant().toString();
        }
        if (v.isList()) {
            List<Object> list = new ArrayList<>();
            v.asList().forEach(e -> list.add(toPlain(e)));
            return list;
        }
        if (v.isStructure()) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.asStructure().asUnmodifiableMap().forEach((k, e) -> map.put(k, toPlain(e)));
            return map;
        }
        return null;
    }

    private static Value toValue(Object v) {
        if (v instanceof Map<?, ?> map) {
            Map<String, Value> fields = new LinkedHashMap<>();
            map.forEach((k, e) -> fields.put(String.valueOf(k), toValue(e)));
            return new Value(new MutableStructure(fields));
        }
        if (v instanceof List<?> list) {
            List<Value> values = new ArrayList<>();
            list.forEach(e -> values.add(toValue(e)));
            return new Value(values);
        }
        if (v instanceof Boolean b) {
            return new Value(b);
        }
        if (v instanceof String s) {
            return new Value(s);
        }
        if ((v instanceof Long || v instanceof Integer) && ((Number) v).longValue() == ((Number) v).intValue()) {
            // OpenFeature's Value holds integers as Integer (a Long one cannot be read back by asObjectMap)
            return new Value(((Number) v).intValue());
        }
        if (v instanceof Number n) {
            return new Value(n.doubleValue());
        }
        return new Value();
    }
}
