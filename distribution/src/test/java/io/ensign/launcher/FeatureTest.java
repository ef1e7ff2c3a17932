package io.ensign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureTest {

    @Test
    void readsBundlesInTheOrderListedSkippingBlankLines() throws Exception {
        String list = "org.osgi:org.osgi.util.function:jar:1.2.0\n\n"
                + "org.apache.felix:org.apache.felix.scr:jar:2.2.12\n"
                + "io.ensign:ensign-api:jar:1.0.0-SNAPSHOT\n";

        Feature feature = Feature.read("runtime", new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)));

        assertEquals(List.of(
                new FeatureBundle("org.osgi", "org.osgi.util.function", "1.2.0"),
                new FeatureBundle("org.apache.felix", "org.apache.felix.scr", "2.2.12"),
                new FeatureBundle("io.ensign", "ensign-api", "1.0.0-SNAPSHOT")), feature.bundles());
    }

    @Test
    void versionIsTheLastFieldWhenAClassifierIsPresent() {
        assertEquals(new FeatureBundle("g", "a", "2.0"), FeatureBundle.parse("g:a:jar:osgi:2.0"));
    }

    @Test
    void fileNameIsHowMavenCopiesTheJar() {
        assertEquals("org.apache.felix.scr-2.2.12.jar",
                new FeatureBundle("org.apache.felix", "org.apache.felix.scr", "2.2.12").fileName());
    }

    @Test
    void lineWithoutCoordinatesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> FeatureBundle.parse("The following files have been resolved:"));
    }
}
