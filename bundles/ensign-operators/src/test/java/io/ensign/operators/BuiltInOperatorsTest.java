package io.ensign.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

import io.ensign.api.operator.EvaluationOperator;
import org.junit.jupiter.api.Test;

/** The programmatic list against the DS descriptors bnd generated: the same operators under the same names. */
class BuiltInOperatorsTest {
    @Test
    void everyComponentIsListedUnderItsDescriptorsName() throws IOException, URISyntaxException {
        Map<String, EvaluationOperator> operators = BuiltInOperators.create();
        for (Map.Entry<String, EvaluationOperator> e : operators.entrySet()) {
            String descriptor = "OSGI-INF/" + e.getValue().getClass().getName() + ".xml";
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(descriptor)) {
                assertNotNull(in, descriptor);
                String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(xml.contains("<property name=\"name\" type=\"String\" value=\"" + e.getKey() + "\"/>"),
                        e.getKey() + ": " + xml);
            }
        }
        File dir = new File(Objects.requireNonNull(getClass().getClassLoader().getResource("OSGI-INF")).toURI());
        String[] descriptors = dir.list((d, name) -> name.startsWith("io.ensign.operators.internal."));
        assertEquals(descriptors.length, operators.size(), "one entry per component");
        assertTrue(operators.get("in").compile(java.util.List.of("NL")).test("NL"));
    }
}
