package io.ensign.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutations an attacker would try on a valid request, drawn from one seeded {@link Random} so a run is repeated
 * exactly by its seed: bodies (fields dropped, duplicated, retyped, nested too deep, huge numbers, NaN-like
 * strings, long and odd unicode strings, raw text damage), path keys (odd characters and encodings) and query
 * values. Each mutation also returns a short account of itself for the failure message.
 */
final class RequestMutator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] ODD_STRINGS = {"", " ", "NaN", "Infinity", "-Infinity", "1e999", "-0", "null",
        "true", "0x10", "\u00e9\u00e8", "\ud83d\ude00\ud83d\ude00", "\u202etxet", "\u200b", "a\u0000b", "\t\n",
        "<script>alert(1)</script>", "'; DROP TABLE flags; --", "../../etc/passwd", "${jndi:ldap://x}", "%s%n",
        "\\", "\"", "production", "on", "off", "checkout", "u1", "2026-13-45T99:00:00Z", "9".repeat(400)};
    private static final String[] RAW_VALUES = {"1e400", "-1e400", "1e-400", "123456789012345678901234567890",
        "-9223372036854775809", "9223372036854775808", "0.1e-99999", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"",
        "-0.0", "1E308", "4.9e-324", "[[[[[]]]]]", "{}", "[]", "[null]", "{\"\":null}"};
    private static final Long[] LONGS = {0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L,
        Integer.MIN_VALUE - 1L};
    private static final String[] KEY_PIECES = {"a", "-", "_", ".", "..", "~", "!", "*", "'", "(", ")", ";", ":",
        "@", "&", "=", "+", "$", ",", "%20", "%25", "%2F", "%2e", "%00", "%ff", "%C3%A9", "%F0%9F%98%80", "%E2%80%AE",
        "%5C", "%3F", "%23", "%22", "%3C", "%7F", "%0D%0A", "%zz", "%", "%2", "x", "K", "9", "+"};
    private static final String[] QUERY_VALUES = {"production", "staging", "nope", "", "-1", "0", "1", "1000", "1001",
        "99999999999999999999", "1e3", "abc", "%00", "%C3%A9", "%2F", "true", "null", "%FF", "+", "%20production"};

    private final Random random;
    private final ObjectMapper mapper;

    RequestMutator(Random random, ObjectMapper mapper) {
        this.random = random;
        this.mapper = mapper;
    }

    /** A body and what was done to it. */
    record Body(String text, String mutation) {
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    /** The valid body mutated once or a few times, at the tree level or as raw text. */
    Body mutate(JsonNode valid) {
        JsonNode tree = valid == null ? NODES.objectNode() : valid.deepCopy();
        int rounds = 1 + (chance(30) ? random.nextInt(3) : 0);
        List<String> done = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            if (tree.isContainerNode() && chance(85)) {
                done.add(mutateTree((ContainerNode<?>) tree));
            } else {
                tree = NODES.rawValueNode(new RawValue(rawTop()));
                done.add("top " + tree);
            }
        }
        String text = write(tree);
        if (chance(8)) {
            return textDamage(text, done);
        }
        return new Body(text, String.join("; ", done));
    }

    private String rawTop() {
        return pick(new String[] {"null", "[]", "1", "\"x\"", "true", "[{}]", "{\"value\":", "{", "}", "\"\\ud800\""});
    }

    private Body textDamage(String text, List<String> done) {
        String damaged;
        switch (random.nextInt(7)) {
            case 0 -> damaged = text.substring(0, random.nextInt(text.length() + 1));
            case 1 -> damaged = text + pick(new String[] {" x", "{}", ",", "]", " \u0000", "\n{\"a\":1}"});
            case 2 -> damaged = "\ufeff" + text;
            case 3 -> {
                int at = random.nextInt(text.length() + 1);
                damaged = text.substring(0, at) + pick(new String[] {"\u0000", "\u0001", "'", "\\", "/*x*/", "NaN"})
                        + text.substring(at);
            }
            case 4 -> damaged = "";
            case 5 -> damaged = text.replace("\"", "'");
            default -> damaged = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }
        done.add("text damage");
        return new Body(damaged, String.join("; ", done));
    }

    /** One change somewhere in the tree; returns where and what. */
    private String mutateTree(ContainerNode<?> root) {
        List<ContainerNode<?>> containers = new ArrayList<>();
        collect(root, containers);
        ContainerNode<?> target = pick(containers);
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int op = random.nextInt(names.isEmpty() ? 2 : 7);
            String name = names.isEmpty() ? null : pick(names);
            switch (op) {
                case 0 -> {
                    String unknown = pick(new String[] {"unknown", "__proto__", "constructor", "", "version", "key",
                        "status", "Key", "a".repeat(300), "\u00e9"});
                    object.set(unknown, value());
                    return "add field '" + abbreviate(unknown) + "'";
                }
                case 1 -> {
                    object.set("nest", deep(10 + random.nextInt(100)));
                    return "deep nesting";
                }
                case 2 -> {
                    object.remove(name);
                    return "drop " + name;
                }
                case 3 -> {
                    object.putRawValue(name, new RawValue(write(object.get(name)) + ",\"" + name + "\":"
                            + write(value())));
                    return "duplicate " + name;
                }
                case 4 -> {
                    object.set(name, NODES.arrayNode().add(object.get(name)));
                    return "wrap " + name + " in an array";
                }
                case 5 -> {
                    object.putNull(name);
                    return "null " + name;
                }
                default -> {
                    JsonNode replacement = value();
                    object.set(name, replacement);
                    return "retype " + name + " to " + abbreviate(write(replacement));
                }
            }
        }
        ArrayNode array = (ArrayNode) target;
        switch (random.nextInt(4)) {
            case 0 -> {
                array.add(value());
                return "append to array";
            }
            case 1 -> {
                if (!array.isEmpty()) {
                    array.remove(random.nextInt(array.size()));
                }
                return "remove from array";
            }
            case 2 -> {
                JsonNode element = array.isEmpty() ? value() : array.get(0);
                for (int i = 0, n = random.nextInt(2000); i < n; i++) {
                    array.add(element.deepCopy());
                }
                return "repeat array element";
            }
            default -> {
                if (!array.isEmpty()) {
                    array.set(random.nextInt(array.size()), value());
                }
                return "retype array element";
            }
        }
    }

    private static void collect(JsonNode node, List<ContainerNode<?>> into) {
        if (node instanceof ContainerNode<?> container) {
            into.add(container);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), into);
            }
        }
    }

    /** A value of a random kind: scalars, odd strings, huge numbers, long strings, containers. */
    JsonNode value() {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(pick(LONGS));
            case 3 -> NODES.numberNode(pick(new Double[] {0.5, -0.0, 1e308, -1e308, 4.9e-324, 1e-7, 99.999}));
            case 4 -> NODES.rawValueNode(new RawValue(pick(RAW_VALUES)));
            case 5, 6 -> NODES.textNode(pick(ODD_STRINGS));
            case 7 -> NODES.textNode(longString());
            case 8 -> NODES.arrayNode().add(NODES.textNode(pick(ODD_STRINGS))).addNull().add(1);
            case 9 -> NODES.objectNode().put("a", 1).putNull("b");
            case 10 -> deep(1 + random.nextInt(80));
            default -> NODES.textNode(unicode(1 + random.nextInt(40)));
        };
    }

    private String longString() {
        int length = pick(new Integer[] {129, 300, 4096, 65_536, 262_144, 262_145, 300_000});
        String unit = pick(new String[] {"x", "ab", "\u00e9", "a1B2c3", "\ud83d\ude00"});
        return unit.repeat(Math.max(1, length / unit.length()));
    }

    private String unicode(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int codePoint;
            do {
                codePoint = random.nextInt(random.nextBoolean() ? 0x800 : 0x110000);
            } while (codePoint >= 0xd800 && codePoint <= 0xdfff);
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static JsonNode deep(int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("d", node);
        }
        return node;
    }

    /** A path key: the valid one, a fresh valid one, or a hostile one made of odd pieces and encodings. */
    String key(String valid) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return valid;
        }
        if (kind < 5) {
            return "fz-" + Integer.toString(random.nextInt(1_000_000), 36);
        }
        if (kind == 5) {
            return pick(new String[] {"a".repeat(128), "b".repeat(129), "c".repeat(1000), "%2e%2e", ".", "..",
                "null", "%E0%A4%A", "%C0%AF", "con", "%EF%BB%BF" + valid});
        }
        StringBuilder key = new StringBuilder(chance(50) ? valid : "");
        for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
            key.append(pick(KEY_PIECES));
        }
        return key.toString();
    }

    /** A query string: none, the valid one, or known parameters with odd values, duplicated or unknown ones. */
    String query(String valid, List<String> parameters) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return valid;
        }
        if (kind < 4) {
            return "";
        }
        StringBuilder query = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            String name = chance(80) && !parameters.isEmpty() ? pick(parameters)
                    : pick(new String[] {"x", "environment[]", "%00", "limit", "since"});
            query.append(query.length() == 0 ? "?" : "&").append(name);
            if (chance(90)) {
                query.append('=').append(pick(QUERY_VALUES));
            }
        }
        return query.toString();
    }

    /** Percent-encodes what a URI may not carry literally, leaving the mutator's own escapes as they are. */
    static String encodePath(String raw) {
        StringBuilder out = new StringBuilder();
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && "\"<>\\^`{|}#?".indexOf(c) < 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...(" + text.length() + " chars)";
    }

    /** Header mutations as (name, value) pairs; a null value means "send none". */
    Map.Entry<String, String> header() {
        return switch (random.nextInt(6)) {
            case 0 -> Map.entry("Content-Type", pick(new String[] {"text/plain", "application/xml", "",
                "application/json; charset=ISO-8859-1", "application/json;charset=utf-16", "application/vnd.x+json",
                "application/json, text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                "APPLICATION/JSON", "application/jsonp", "*/*"}));
            case 1 -> Map.entry("If-Match", pick(new String[] {"\"1\"", "\"2\"", "*", "W/\"1\"", "abc", "\"-1\"",
                "\"99999999999999999999\"", "\"1\", \"2\"", "\"\"", "1", "\"1e3\"", "\"0x1\""}));
            case 2 -> Map.entry("If-None-Match", pick(new String[] {"*", "\"1\"", "x", "\"\"", "W/\"abc\""}));
            case 3 -> Map.entry("Accept", pick(new String[] {"text/html", "application/xml", "*/*", "",
                "text/event-stream", "application/json;q=0"}));
            case 4 -> Map.entry("X-Ensign-Reason", pick(new String[] {"", "r".repeat(8000), "\u00e9t\u00e9",
                "line", "%00"}));
            default -> Map.entry("X-Request-Id", pick(new String[] {"", "id-1", "i".repeat(2000), "\u00e9", "a b"}));
        };
    }
}
