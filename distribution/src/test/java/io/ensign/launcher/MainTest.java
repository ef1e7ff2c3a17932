package io.ensign.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void badPortExitsWithCode2AndSaysWhyOnStandardError() {
        int code = Main.run(new String[] {"--port", "eighty"}, Map.of(), print(out), print(err));

        assertEquals(2, code);
        String error = err.toString(StandardCharsets.UTF_8);
        assertTrue(error.startsWith("ensign: --port must be a port number from 0 to 65535, not 'eighty'"), error);
        assertTrue(error.contains("Usage: ensign"), error);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsageAndExitsWithZeroWithoutStarting() {
        int code = Main.run(new String[] {"--help"}, Map.of(), print(out), print(err));

        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--port N"));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
