package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class ExistsOperatorTest {
    @Test
    void existsHoldsForAnyPresentValue() {
        Predicate<Object> exists = new ExistsOperator().compile(List.of());
        for (Object value : List.of("", 0, false, List.of(), Map.of(), "NL")) {
            assertTrue(exists.test(value), String.valueOf(value));
        }
    }

    @Test
    void existsIsFalseForAMissingAttribute() {
        assertFalse(new ExistsOperator().compile(List.of()).test(null));
    }

    @Test
    void existsIgnoresOperandsOfAnyType() {
        assertTrue(new ExistsOperator().compile(List.of("ignored", 1)).test("x"));
    }
}
