package io.ensign.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.ensign.plugins.internal.ExitCallScanner.ExitCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCallScannerTest {
    private static final String FIXTURES = ExitFixtures.class.getName();

    @TempDir
    Path dir;

    private List<ExitCall> scan(Jars jar, Set<String> classPath) throws Exception {
        return ExitCallScanner.scan(jar.write(dir.resolve("scanned.jar")), classPath);
    }

    @Test
    void eachCallThatEndsTheProcessIsFoundInItsClass() throws Exception {
        List<ExitCall> calls = scan(new Jars().withClass(ExitFixtures.CallsSystemExit.class)
                .withClass(ExitFixtures.CallsRuntimeHalt.class).withClass(ExitFixtures.CallsRuntimeExit.class), Set.of());

        assertEquals(List.of(new ExitCall(FIXTURES + "$CallsSystemExit", "java.lang.System.exit"),
                new ExitCall(FIXTURES + "$CallsRuntimeHalt", "java.lang.Runtime.halt"),
                new ExitCall(FIXTURES + "$CallsRuntimeExit", "java.lang.Runtime.exit")), calls);
    }

    @Test
    void aMethodReferenceToSystemExitIsACallToo() throws Exception {
        assertEquals(List.of(new ExitCall(FIXTURES + "$ReferencesSystemExit", "java.lang.System.exit")),
                scan(new Jars().withClass(ExitFixtures.ReferencesSystemExit.class), Set.of()));
    }

    @Test
    void otherUsesOfSystemAndRuntimeAreNot() throws Exception {
        assertEquals(List.of(), scan(new Jars().withClass(ExitFixtures.Harmless.class), Set.of()));
    }

    @Test
    void theClassIsNamedByItsClassFileNotByWhereItLies() throws Exception {
        byte[] bytes = new Jars().withClass(ExitFixtures.CallsSystemExit.class).bytes();
        Jars hidden = new Jars();
        try (var in = new java.util.jar.JarInputStream(new java.io.ByteArrayInputStream(bytes))) {
            in.getNextJarEntry();
            hidden.entry("META-INF/versions/17/elsewhere/Innocent.class", in.readAllBytes());
        }

        assertEquals(List.of(new ExitCall(FIXTURES + "$CallsSystemExit", "java.lang.System.exit")),
                scan(hidden, Set.of()));
    }

    @Test
    void nestedJarsAreScannedAnyDepthUpToTheLimitAndClassPathEntriesWhateverTheirName() throws Exception {
        byte[] inner = new Jars().withClass(ExitFixtures.CallsRuntimeHalt.class).bytes();
        byte[] middle = new Jars().entry("deeper/inner.jar", inner).bytes();

        assertEquals(1, scan(new Jars().entry("lib/middle.jar", middle), Set.of()).size());
        assertEquals(1, scan(new Jars().entry("lib/classes.bin", inner), Set.of("lib/classes.bin")).size());
        assertEquals(0, scan(new Jars().entry("lib/classes.bin", inner), Set.of()).size(),
                "an entry neither named .jar nor on the class path is data");
    }

    @Test
    void aNestedEntryThatIsNoZipHoldsNothing() throws Exception {
        assertEquals(List.of(), scan(new Jars().entry("lib/broken.jar", new byte[] {1, 2, 3}), Set.of()));
    }

    @Test
    void aClassFileTheScanCannotReadMakesTheJarUncheckable() {
        ExitCallScanner.UncheckableJarException e = assertThrows(ExitCallScanner.UncheckableJarException.class,
                () -> scan(new Jars().entry("a/B.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA,
                        (byte) 0xBE, 0, 0, 0, 61, 0, 3, 99}), Set.of()));
        assertTrue(e.getMessage().contains("a/B.class"), e.getMessage());
        assertThrows(ExitCallScanner.UncheckableJarException.class,
                () -> scan(new Jars().entry("a/C.class", "not a class".getBytes()), Set.of()));
    }
}
