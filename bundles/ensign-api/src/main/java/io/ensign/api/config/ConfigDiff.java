package io.ensign.api.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What changed between two versions of a configuration entry, as RFC 6902-like operations on the entry's
 * content {@code {"value", "schema", "secret"}}: paths are JSON pointers such as {@code /value/limits/0}.
 * Applied in order, the operations turn the older content into the newer one. A version that deleted the
 * entry has no content: the diff is then one operation on the whole document (path {@code ""}).
 *
 * @param fromVersion the version compared from
 * @param toVersion   the version compared to
 * @param operations  the changes, empty when the two versions have the same content
 */
public record ConfigDiff(long fromVersion, long toVersion, List<Operation> operations) {
    public ConfigDiff {
        operations = List.copyOf(operations);
    }

    /** The kind of a change, named as in RFC 6902. */
    public enum Op {
        ADD, REMOVE, REPLACE;

        /** The operation's name in RFC 6902: {@code add}, {@code remove} or {@code replace}. */
        public String rfc6902() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One change.
     *
     * @param op   what happened at the path
     * @param path JSON pointer into the content
     * @param from the value before, null for {@link Op#ADD}
     * @param to   the value after, null for {@link Op#REMOVE}
     */
    public record Operation(Op op, String path, Object from, Object to) {
        public Operation {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(path, "path");
        }
    }
}
