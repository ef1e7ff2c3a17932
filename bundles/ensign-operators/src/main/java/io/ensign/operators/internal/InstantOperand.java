package io.ensign.operators.internal;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * An instant operand of before and after. Operands and attribute values are either ISO-8601 strings or
 * numbers of milliseconds since the epoch (1970-01-01T00:00:00Z), as JavaScript's {@code Date.now()}
 * gives them:
 * <ul>
 *   <li>a date-time with an offset or {@code Z}, e.g. {@code 2025-03-01T12:00:00Z} or
 *       {@code 2025-03-01T13:00:00.250+01:00};</li>
 *   <li>a date, e.g. {@code 2025-03-01}, meaning its first instant in UTC;</li>
 *   <li>a number of epoch milliseconds; a fraction of a millisecond is dropped (rounded towards
 *       negative infinity).</li>
 * </ul>
 * A date-time without an offset is rejected: it names no instant.
 */
final class InstantOperand implements OrderedOperand {
    private final Instant instant;

    private InstantOperand(Instant instant) {
        this.instant = instant;
    }

    /**
     * Parses an operand.
     *
     * @throws IllegalArgumentException when it is neither an ISO-8601 date or date-time with offset nor a
     *                                  finite number
     */
    static InstantOperand of(Object operand) {
        Instant instant = toInstant(operand);
        if (instant == null) {
            throw new IllegalArgumentException("expected an ISO-8601 date (2025-03-01), date-time with offset "
                    + "(2025-03-01T12:00:00Z) or epoch milliseconds, got " + Operands.describe(operand));
        }
        return new InstantOperand(instant);
    }

    @Override
    public int compareAttribute(Object attribute) {
        Instant value = toInstant(attribute);
        return value == null ? UNORDERED : value.compareTo(instant);
    }

    /** The instant a value names, or null when it names none. */
    private static Instant toInstant(Object value) {
        if (value instanceof String text) {
            return parse(text);
        }
        if (value instanceof Number number) {
            return fromEpochMillis(number);
        }
        return null;
    }

    private static Instant parse(String text) {
        try {
            // A date is exactly ten characters (yyyy-MM-dd); anything longer must carry time and offset.
            return text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Instant fromEpochMillis(Number number) {
        double approximate = number.doubleValue();
        if (!Double.isFinite(approximate) || Math.abs(approximate) >= Long.MAX_VALUE) {
            return null;
        }
        long millis = number instanceof Double || number instanceof Float || number instanceof BigDecimal
                ? (long) Math.floor(approximate)
                : number.longValue();
        return Instant.ofEpochMilli(millis);
    }
}
