package io.ensign.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.ensign.api.assignment.AssignmentStrategy;
import org.junit.jupiter.api.Test;

/** The programmatic strategy is the component bnd described, under the descriptor's name. */
class BuiltInStrategiesTest {
    @Test
    void hashIsTheHashComponent() throws IOException {
        AssignmentStrategy hash = BuiltInStrategies.create().get("hash");
        String descriptor = "OSGI-INF/" + hash.getClass().getName() + ".xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<property name=\"name\" type=\"String\" value=\"hash\"/>"), xml);
        }
        assertEquals(1, BuiltInStrategies.create().size());
        assertEquals(hash.assign("s", "u", new double[] {1, 1}), hash.assign("s", "u", new double[] {1, 1}));
    }
}
