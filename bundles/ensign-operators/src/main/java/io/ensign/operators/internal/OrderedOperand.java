package io.ensign.operators.internal;

/** A compiled operand that attribute values are ordered against (a number, a version, an instant). */
interface OrderedOperand {
    /** Returned when the attribute is missing, of the wrong type, or has no place in the order (NaN). */
    int UNORDERED = Integer.MIN_VALUE;

    /**
     * Orders an attribute value against this operand.
     *
     * @return negative, zero or positive as the attribute is less than, equal to or greater than the
     *         operand, or {@link #UNORDERED}
     */
    int compareAttribute(Object attribute);
}
