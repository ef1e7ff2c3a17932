package io.ensign.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ensign.api.config.ConfigDiff.Op;
import io.ensign.api.config.ConfigDiff.Operation;

/**
 * RFC 6902-like differences between two plain JSON values, found recursively: objects key by key, arrays index
 * by index (surplus elements removed from the end backwards, so the operations apply in order), anything else
 * replaced whole.
 */
final class JsonDiff {
    private JsonDiff() {
    }

    /** The operations turning {@code from} into {@code to}; a null document (none) is added or removed whole. */
    static List<Operation> between(Map<String, Object> from, Map<String, Object> to) {
        List<Operation> operations = new ArrayList<>();
        if (from == null && to != null) {
            operations.add(new Operation(Op.ADD, "", null, to));
        } else if (from != null && to == null) {
            operations.add(new Operation(Op.REMOVE, "", from, null));
        } else if (from != null) {
            compare("", from, to, operations);
        }
        return operations;
    }

    private static void compare(String path, Object from, Object to, List<Operation> out) {
        if (Objects.equals(from, to)) {
            return;
        }
        if (from instanceof Map<?, ?> a && to instanceof Map<?, ?> b) {
            a.forEach((name, value) -> {
                String at = path + "/" + escape(String.valueOf(name));
                if (b.containsKey(name)) {
                    compare(at, value, b.get(name), out);
                } else {
                    out.add(new Operation(Op.REMOVE, at, value, null));
                }
            });
            b.forEach((name, value) -> {
                if (!a.containsKey(name)) {
                    out.add(new Operation(Op.ADD, path + "/" + escape(String.valueOf(name)), null, value));
                }
            });
        } else if (from instanceof List<?> a && to instanceof List<?> b) {
            int common = Math.min(a.size(), b.size());
            for (int i = 0; i < common; i++) {
                compare(path + "/" + i, a.get(i), b.get(i), out);
            }
            for (int i = a.size() - 1; i >= common; i--) {
                out.add(new Operation(Op.REMOVE, path + "/" + i, a.get(i), null));
            }
            for (int i = common; i < b.size(); i++) {
                out.add(new Operation(Op.ADD, path + "/" + i, null, b.get(i)));
            }
        } else {
            out.add(new Operation(Op.REPLACE, path, from, to));
        }
    }

    /** A JSON pointer reference token (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
