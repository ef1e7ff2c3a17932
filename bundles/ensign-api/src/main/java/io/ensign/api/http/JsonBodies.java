package io.ensign.api.http;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.api.validation.Violation;

/** Writers for the parts of response bodies that routes share. */
public final class JsonBodies {
    private JsonBodies() {
    }

    /** Writes a plain Java value as decoded from JSON (null, Boolean, String, Number, Map, Iterable). */
    public static void writePlain(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writePlain(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Iterable<?> list) {
            g.writeStartArray();
            for (Object element : list) {
                writePlain(g, element);
            }
            g.writeEndArray();
        } else if (value instanceof JsonNode node) {
            g.writeTree(node);
        } else {
            g.writeString(value.toString());
        }
    }

    /** Writes violations as an array field of {@code {"rule","field","message"}} objects. */
    public static void writeViolations(JsonGenerator g, String field, List<Violation> violations) throws IOException {
        g.writeArrayFieldStart(field);
        for (Violation v : violations) {
            g.writeStartObject();
            g.writeStringField("rule", v.rule());
            g.writeStringField("field", v.field());
            g.writeStringField("message", v.message());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
