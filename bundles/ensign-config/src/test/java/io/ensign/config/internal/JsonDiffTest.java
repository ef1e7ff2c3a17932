package io.ensign.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import io.ensign.api.config.ConfigDiff.Op;
import io.ensign.api.config.ConfigDiff.Operation;
import org.junit.jupiter.api.Test;

class JsonDiffTest {
    @Test
    void aLongerArrayAddsItsExtraElementsInOrder() {
        assertEquals(List.of(new Operation(Op.ADD, "/value/1", null, "b"), new Operation(Op.ADD, "/value/2", null, "c")),
                JsonDiff.between(Map.of("value", List.of("a")), Map.of("value", List.of("a", "b", "c"))));
    }

    @Test
    void aShorterArrayRemovesFromTheEndBackwards() {
        assertEquals(List.of(new Operation(Op.REMOVE, "/value/2", "c", null),
                        new Operation(Op.REMOVE, "/value/1", "b", null)),
                JsonDiff.between(Map.of("value", List.of("a", "b", "c")), Map.of("value", List.of("a"))));
    }

    @Test
    void aValueOfAnotherTypeIsReplacedWhole() {
        assertEquals(List.of(new Operation(Op.REPLACE, "/value", Map.of("a", 1L), List.of(1L))),
                JsonDiff.between(Map.of("value", Map.of("a", 1L)), Map.of("value", List.of(1L))));
    }

    @Test
    void pointerTokensEscapeTildeAndSlash() {
        assertEquals(List.of(new Operation(Op.ADD, "/m~0n~1o", null, true)),
                JsonDiff.between(Map.of(), Map.of("m~n/o", true)));
    }
}
