package io.ensign.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.ensign.plugins.internal.CallScanner.FoundCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallScannerTest {
    private static final String FIXTURES = CallFixtures.class.getName();

    @TempDir
    Path dir;

    private List<FoundCall> scan(Jars jar, Set<String> classPath) throws Exception {
        return CallScanner.scan(jar.write(dir.resolve("scanned.jar")), classPath, CallScanner.EXIT_CALLS);
    }

    @Test
    void eachCallThatEndsTheProcessIsFoundInItsClass() throws Exception {
        List<FoundCall> calls = scan(new Jars().withClass(CallFixtures.CallsSystemExit.class)
                .withClass(CallFixtures.CallsRuntimeHalt.class).withClass(CallFixtures.CallsRuntimeExit.class), Set.of());

        assertEquals(List.of(new FoundCall(FIXTURES + "$CallsSystemExit", "java.lang.System.exit"),
                new FoundCall(FIXTURES + "$CallsRuntimeHalt", "java.lang.Runtime.halt"),
                new FoundCall(FIXTURES + "$CallsRuntimeExit", "java.lang.Runtime.exit")), calls);
    }

    @Test
    void onlyTheCallsAskedForAreFound() throws Exception {
        Path jar = new Jars().withClass(CallFixtures.LoadsALibrary.class).withClass(CallFixtures.LoadsAFile.class)
                .withClass(CallFixtures.CallsSystemExit.class).write(dir.resolve("mixed.jar"));

        assertEquals(List.of(new FoundCall(FIXTURES + "$LoadsALibrary", "java.lang.System.loadLibrary"),
                new FoundCall(FIXTURES + "$LoadsAFile", "java.lang.Runtime.load")),
                CallScanner.scan(jar, Set.of(), CallScanner.NATIVE_CALLS));
        assertEquals(List.of(new FoundCall(FIXTURES + "$CallsSystemExit", "java.lang.System.exit")),
                CallScanner.scan(jar, Set.of(), CallScanner.EXIT_CALLS));
    }

    @Test
    void aMethodReferenceToSystemExitIsACallToo() throws Exception {
        assertEquals(List.of(new FoundCall(FIXTURES + "$ReferencesSystemExit", "java.lang.System.exit")),
                scan(new Jars().withClass(CallFixtures.ReferencesSystemExit.class), Set.of()));
    }

    @Test
    void otherUsesOfSystemAndRuntimeAreNot() throws Exception {
        assertEquals(List.of(), scan(new Jars().withClass(CallFixtures.Harmless.class), Set.of()));
    }

    @Test
    void theClassIsNamedByItsClassFileNotByWhereItLies() throws Exception {
        byte[] bytes = new Jars().withClass(CallFixtures.CallsSystemExit.class).bytes();
        Jars hidden = new Jars();
        try (var in = new java.util.jar.JarInputStream(new java.io.ByteArrayInputStream(bytes))) {
            in.getNextJarEntry();
            hidden.entry("META-INF/versions/17/elsewhere/Innocent.class", in.readAllBytes());
        }

        assertEquals(List.of(new FoundCall(FIXTURES + "$CallsSystemExit", "java.lang.System.exit")),
                scan(hidden, Set.of()));
    }

    @Test
    void nestedJarsAreScannedAnyDepthUpToTheLimitAndClassPathEntriesWhateverTheirName() throws Exception {
        byte[] inner = new Jars().withClass(CallFixtures.CallsRuntimeHalt.class).bytes();
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
        CallScanner.UncheckableJarException e = assertThrows(CallScanner.UncheckableJarException.class,
                () -> scan(new Jars().entry("a/B.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA,
                        (byte) 0xBE, 0, 0, 0, 61, 0, 3, 99}), Set.of()));
        assertTrue(e.getMessage().contains("a/B.class"), e.getMessage());
        assertThrows(CallScanner.UncheckableJarException.class,
                () -> scan(new Jars().entry("a/C.class", "not a class".getBytes()), Set.of()));
    }
}
