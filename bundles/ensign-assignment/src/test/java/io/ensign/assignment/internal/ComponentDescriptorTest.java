package io.ensign.assignment.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Reads the DS descriptor bnd generated before the tests run. */
class ComponentDescriptorTest {
    @Test
    void hashAssignmentIsAComponentProvidingAssignmentStrategyNamedHash() throws IOException {
        String descriptor = "OSGI-INF/io.ensign.assignment.internal.HashAssignment.xml";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
            assertNotNull(in, descriptor);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<property name=\"name\" type=\"String\" value=\"hash\"/>"), xml);
            assertTrue(xml.contains("<property name=\"version\" type=\"String\" value=\"1.0.0\"/>"), xml);
            assertTrue(xml.contains("<provide interface=\"io.ensign.api.assignment.AssignmentStrategy\"/>"), xml);
        }
    }
}
