package io.ensign.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.ensign.api.plugin.InvalidBundleException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleInspectionTest {
    @TempDir
    Path dir;

    private DeployDirectory deploy;
    private BundleInspection inspection;

    @BeforeEach
    void serverWithHttpAndOnePlugin() {
        deploy = new DeployDirectory(dir.resolve("deploy"));
        ServerBundles server = new ServerBundles(FakeFramework.context(
                FakeFramework.bundle("ensign-http", "reference:file:/opt/ensign/bundles/ensign-http-1.0.0.jar"),
                FakeFramework.bundle("com.acme.plugin", dir.resolve("deploy/com.acme.plugin.jar").toUri().toString())),
                deploy);
        inspection = new BundleInspection(server, Set.of("com.acme.allowed"), Set.of("com.acme.native"));
    }

    private Path jar(Jars jar) {
        try {
            return jar.write(Files.createTempFile(dir, "b", ".jar"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private InvalidBundleException refused(Jars jar) {
        return assertThrows(InvalidBundleException.class, () -> inspection.inspect(jar(jar)));
    }

    @Test
    void aBundleManifestGivesNameWithoutDirectivesAndNormalisedVersion() {
        Path jar = jar(Jars.bundle("com.example.op;singleton:=true").header("Bundle-Version", "1.2")
                .withClass(CallFixtures.Harmless.class));

        assertEquals(new BundleInspection.Candidate("com.example.op", "1.2.0"), inspection.inspect(jar));
    }

    @Test
    void somethingThatIsNoJarIsRefusedSayingSoButIsNotUnsafe() throws Exception {
        Path text = Files.writeString(dir.resolve("x.jar"), "hello");

        InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> inspection.inspect(text));
        assertTrue(e.getMessage().contains("not a jar"), e.getMessage());
        assertFalse(e instanceof UnsafeBundleException, "a file still being copied must not be quarantined");
    }

    @Test
    void aPlainJarWithoutSymbolicNameIsNoBundle() {
        InvalidBundleException e = refused(new Jars().header("Main-Class", "x.Y"));

        assertEquals("Bundle-SymbolicName", e.field());
        assertFalse(e instanceof UnsafeBundleException);
    }

    @Test
    void aBadVersionIsRefusedNamingTheHeader() {
        assertEquals("Bundle-Version", refused(Jars.bundle("a").header("Bundle-Version", "one")).field());
    }

    @Test
    void aNameThatIsAPathIsUnsafe() {
        InvalidBundleException e = refused(Jars.bundle("../../evil"));

        assertTrue(e instanceof UnsafeBundleException);
        assertEquals("Bundle-SymbolicName", e.field());
    }

    @Test
    void frameworkExtensionsAreUnsafeWithOrWithoutTheDirective() {
        for (String host : new String[] {"system.bundle; extension:=framework", "system.bundle",
                "org.apache.felix.framework", "\"org.apache.felix.framework\";bundle-version=7",
                "com.acme.plugin; extension:=bootclasspath"}) {
            InvalidBundleException e = refused(Jars.bundle("com.acme.ext").header("Fragment-Host", host));

            assertTrue(e instanceof UnsafeBundleException, host);
            assertEquals("Fragment-Host", e.field(), host);
            assertTrue(e.getMessage().contains("framework extension"), e.getMessage());
        }
    }

    @Test
    void aFragmentOfAServerBundleIsUnsafeButOneOfAPluginIsFine() {
        InvalidBundleException e = refused(Jars.bundle("com.acme.patch").header("Fragment-Host", "ensign-http"));
        assertTrue(e.getMessage().contains("server's bundle ensign-http"), e.getMessage());

        Path fragment = jar(Jars.bundle("com.acme.extra").header("Fragment-Host", "com.acme.plugin"));
        assertEquals("com.acme.extra", inspection.inspect(fragment).symbolicName());
    }

    @Test
    void theNamesOfServerBundlesTheFrameworkAndTheReservedNamespaceAreRefusedButADeployedPluginsIsNot() {
        for (String name : new String[] {"ensign-http", "system.bundle", "org.apache.felix.framework",
                "io.ensign.http", "io.ensign.anything"}) {
            InvalidBundleException e = refused(Jars.bundle(name));

            assertTrue(e instanceof UnsafeBundleException, name);
            assertTrue(e.getMessage().contains("part of the server"), e.getMessage());
        }
        assertEquals("com.acme.plugin", inspection.inspect(jar(Jars.bundle("com.acme.plugin"))).symbolicName(),
                "a new version of a deployed plugin");
    }

    @Test
    void aClassThatEndsTheProcessIsNamedWithItsCall() {
        InvalidBundleException e = refused(Jars.bundle("com.acme.exits").withClass(CallFixtures.Harmless.class)
                .withClass(CallFixtures.CallsSystemExit.class));

        assertTrue(e instanceof UnsafeBundleException);
        assertTrue(e.getMessage().contains(
                "class io.ensign.plugins.internal.CallFixtures$CallsSystemExit calls java.lang.System.exit"),
                e.getMessage());
        assertTrue(e.getMessage().contains("allowSystemExit"), "says how to allow it: " + e.getMessage());
    }

    @Test
    void aBundleTheOperatorAllowsMayEndTheProcess() {
        Path jar = jar(Jars.bundle("com.acme.allowed").withClass(CallFixtures.CallsRuntimeHalt.class));

        assertEquals("com.acme.allowed", inspection.inspect(jar).symbolicName());
    }

    @Test
    void exitCallsInAJarOnTheBundleClassPathAreFound() {
        byte[] library = new Jars().withClass(CallFixtures.CallsRuntimeExit.class).bytes();
        InvalidBundleException e = refused(Jars.bundle("com.acme.lib").header("Bundle-ClassPath", ".,lib/inner")
                .entry("lib/inner", library));

        assertTrue(e.getMessage().contains("java.lang.Runtime.exit"), e.getMessage());
    }

    @Test
    void nativeCodeIsRefusedNamingTheHeaderOrTheClassAndHowToAllowIt() {
        InvalidBundleException header = refused(Jars.bundle("com.acme.jni")
                .header("Bundle-NativeCode", "lib/libacme.so;osname=Linux;processor=x86-64"));
        InvalidBundleException call = refused(Jars.bundle("com.acme.jni").withClass(CallFixtures.LoadsALibrary.class));

        for (InvalidBundleException e : java.util.List.of(header, call)) {
            assertTrue(e instanceof UnsafeBundleException, e.getMessage());
            assertTrue(e.getMessage().contains("allowNativeCode"), "says how to allow it: " + e.getMessage());
        }
        assertEquals("Bundle-NativeCode", header.field());
        assertTrue(call.getMessage().contains("calls java.lang.System.loadLibrary"), call.getMessage());
    }

    @Test
    void aBundleTheOperatorAllowsMayBringNativeCodeButStillNotEndTheProcess() {
        Path jar = jar(Jars.bundle("com.acme.native").header("Bundle-NativeCode", "lib/libacme.so")
                .withClass(CallFixtures.LoadsAFile.class));
        assertEquals("com.acme.native", inspection.inspect(jar).symbolicName());

        InvalidBundleException e = refused(Jars.bundle("com.acme.native").withClass(CallFixtures.CallsSystemExit.class));
        assertTrue(e.getMessage().contains("allowSystemExit"), e.getMessage());
    }
}
