package io.ensign.stats.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ensign.api.stats.InvalidInputException;

/**
 * Reads one object of a test's JSON-shaped input and rejects a missing or out-of-range field with the
 * JSON pointer that names it, so that the HTTP layer can report {@code "field"} without knowing the test.
 */
final class InputReader {
    /** Significance level when the caller gives none (docs/statistics.md). */
    static final double DEFAULT_ALPHA = 0.05;

    /** Largest whole number a double holds exactly; larger counts would silently lose units. */
    private static final double MAX_EXACT_COUNT = 0x1p53;

    private final Map<?, ?> values;
    private final String pointer;

    private InputReader(Map<?, ?> values, String pointer) {
        this.values = values;
        this.pointer = pointer;
    }

    /** A reader for a whole test input. */
    static InputReader of(Map<String, Object> input) {
        if (input == null) {
            throw new InvalidInputException("", "input is required");
        }
        return new InputReader(input, "");
    }

    /** JSON pointer of a field of this object. */
    String pointer(String name) {
        return pointer + "/" + name;
    }

    /** Whether the field is present and not null. */
    boolean has(String name) {
        return values.get(name) != null;
    }

    /** A required nested object. */
    InputReader object(String name) {
        if (required(name) instanceof Map<?, ?> nested) {
            return new InputReader(nested, pointer(name));
        }
        throw new InvalidInputException(pointer(name), name + " must be an object");
    }

    /** One of the {@code allowed} words, {@code fallback} when the field is absent. */
    String choice(String name, String fallback, List<String> allowed) {
        if (!has(name)) {
            return fallback;
        }
        if (values.get(name) instanceof String word && allowed.contains(word)) {
            return word;
        }
        throw new InvalidInputException(pointer(name), name + " must be one of " + String.join(", ", allowed));
    }

    /** A required object of at least {@code minimumSize} named objects, in the input's order. */
    Map<String, InputReader> objects(String name, int minimumSize) {
        if (!(required(name) instanceof Map<?, ?> nested)) {
            throw new InvalidInputException(pointer(name), name + " must be an object");
        }
        if (nested.size() < minimumSize) {
            throw new InvalidInputException(pointer(name), name + " must have at least " + minimumSize + " entries");
        }
        Map<String, InputReader> readers = new LinkedHashMap<>();
        nested.forEach((key, value) -> {
            // the names are the caller's (variant names), so they are escaped as RFC 6901 says
            String itemPointer = pointer(name) + "/" + String.valueOf(key).replace("~", "~0").replace("/", "~1");
            if (!(value instanceof Map<?, ?> item)) {
                throw new InvalidInputException(itemPointer, key + " must be an object");
            }
            readers.put(String.valueOf(key), new InputReader(item, itemPointer));
        });
        return readers;
    }

    /** A required finite number. */
    double number(String name) {
        return finite(required(name), pointer(name));
    }

    /** A required number greater than zero. */
    double positive(String name) {
        double value = number(name);
        if (value <= 0) {
            throw new InvalidInputException(pointer(name), name + " must be greater than 0");
        }
        return value;
    }

    /** A required number of zero or more. */
    double nonNegative(String name) {
        double value = number(name);
        if (value < 0) {
            throw new InvalidInputException(pointer(name), name + " must not be negative");
        }
        return value;
    }

    /** A required whole number of at least {@code minimum}. */
    long count(String name, long minimum) {
        double value = number(name);
        if (value != Math.rint(value) || value > MAX_EXACT_COUNT) {
            throw new InvalidInputException(pointer(name), name + " must be a whole number");
        }
        if (value < minimum) {
            throw new InvalidInputException(pointer(name), name + " must be at least " + minimum);
        }
        return (long) value;
    }

    /** A required probability strictly between 0 and 1. */
    double probability(String name) {
        double value = number(name);
        if (!(value > 0 && value < 1)) {
            throw new InvalidInputException(pointer(name), name + " must be greater than 0 and less than 1");
        }
        return value;
    }

    /** An optional probability strictly between 0 and 1. */
    double probability(String name, double fallback) {
        return has(name) ? probability(name) : fallback;
    }

    /** The significance level {@code alpha}, {@value #DEFAULT_ALPHA} when absent. */
    double alpha() {
        return probability("alpha", DEFAULT_ALPHA);
    }

    /** A required list of at least {@code minimumSize} numbers, none negative. */
    double[] nonNegativeNumbers(String name, int minimumSize) {
        if (!(required(name) instanceof List<?> list)) {
            throw new InvalidInputException(pointer(name), name + " must be a list of numbers");
        }
        if (list.size() < minimumSize) {
            throw new InvalidInputException(pointer(name), name + " must have at least " + minimumSize + " entries");
        }
        double[] numbers = new double[list.size()];
        for (int i = 0; i < numbers.length; i++) {
            String itemPointer = pointer(name) + "/" + i;
            numbers[i] = finite(list.get(i), itemPointer);
            if (numbers[i] < 0) {
                throw new InvalidInputException(itemPointer, name + " must not be negative");
            }
        }
        return numbers;
    }

    private Object required(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new InvalidInputException(pointer(name), name + " is required");
        }
        return value;
    }

    private static double finite(Object value, String pointer) {
        if (!(value instanceof Number number)) {
            throw new InvalidInputException(pointer, "must be a number");
        }
        double result = number.doubleValue();
        if (!Double.isFinite(result)) {
            throw new InvalidInputException(pointer, "must be a finite number");
        }
        return result;
    }
}
