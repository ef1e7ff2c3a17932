package io.ensign.plugins.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import io.ensign.api.plugin.InvalidBundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * Everything decided about a jar from its bytes alone, the same for a jar sent to the API and one dropped into the
 * deploy directory: it must be an OSGi bundle whose symbolic name can name its file there and is none of the
 * server's, that is no fragment of the framework or of a server bundle (a framework extension changes the framework
 * itself, and installing one makes it restart), whose classes do not end the process, and that brings no native code
 * (no {@code Bundle-NativeCode} header, no class that loads a native library: a crash in native code takes the whole
 * JVM down, past every guard), unless the operator allows that bundle to.
 */
final class BundleInspection {
    /** What the manifest says about a jar that is a bundle. */
    record Candidate(String symbolicName, String version) {
    }

    private static final int CALLS_NAMED = 3;

    private final ServerBundles server;
    private final Set<String> allowedToExit;
    private final Set<String> allowedNativeCode;

    /**
     * @param allowedToExit     symbolic names of bundles whose classes may call {@code System.exit} and the like
     * @param allowedNativeCode symbolic names of bundles that may bring and load native libraries
     */
    BundleInspection(ServerBundles server, Set<String> allowedToExit, Set<String> allowedNativeCode) {
        this.server = server;
        this.allowedToExit = Set.copyOf(allowedToExit);
        this.allowedNativeCode = Set.copyOf(allowedNativeCode);
    }

    /**
     * Checks the jar.
     *
     * @throws UnsafeBundleException  when deploying it could harm the server
     * @throws InvalidBundleException when it is no (complete) bundle
     */
    Candidate inspect(Path jar) {
        Attributes manifest = manifest(jar);
        Candidate candidate = read(manifest);
        BundleNames.require(candidate.symbolicName(), Constants.BUNDLE_SYMBOLICNAME);
        server.refuse(candidate.symbolicName(), Constants.BUNDLE_SYMBOLICNAME);
        refuseServerFragment(manifest.getValue(Constants.FRAGMENT_HOST));
        boolean mayExit = allowedToExit.contains(candidate.symbolicName());
        boolean mayLoadNative = allowedNativeCode.contains(candidate.symbolicName());
        if (!mayLoadNative && manifest.getValue(Constants.BUNDLE_NATIVECODE) != null) {
            throw new UnsafeBundleException("the jar brings native code (Bundle-NativeCode), which runs outside the "
                    + "JVM's safety: a crash in it ends the server's process" + allowance(candidate, "allowNativeCode"),
                    Constants.BUNDLE_NATIVECODE);
        }
        Set<String> refused = new HashSet<>();
        if (!mayExit) {
            refused.addAll(CallScanner.EXIT_CALLS);
        }
        if (!mayLoadNative) {
            refused.addAll(CallScanner.NATIVE_CALLS);
        }
        if (!refused.isEmpty()) {
            refuseCalls(jar, candidate, classPath(manifest.getValue(Constants.BUNDLE_CLASSPATH)), refused);
        }
        return candidate;
    }

    static Attributes manifest(Path jar) {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (IOException e) {
            throw new InvalidBundleException("the body is not a jar: " + e.getMessage());
        }
        if (manifest == null) {
            throw new InvalidBundleException("the jar has no META-INF/MANIFEST.MF, so it is no OSGi bundle");
        }
        return manifest.getMainAttributes();
    }

    /** The symbolic name (directives aside) and the normalised version; a jar that is no bundle is refused. */
    static Candidate read(Attributes main) {
        String symbolicName = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (symbolicName == null || symbolicName.isBlank()) {
            throw new InvalidBundleException("the jar's manifest has no Bundle-SymbolicName, so it is no OSGi bundle",
                    Constants.BUNDLE_SYMBOLICNAME);
        }
        if (!"2".equals(main.getValue(Constants.BUNDLE_MANIFESTVERSION))) {
            throw new InvalidBundleException("the jar's manifest must say Bundle-ManifestVersion: 2",
                    Constants.BUNDLE_MANIFESTVERSION);
        }
        String version = main.getValue(Constants.BUNDLE_VERSION);
        try {
            version = Version.parseVersion(version).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException("the jar's Bundle-Version is not a version: " + version,
                    Constants.BUNDLE_VERSION);
        }
        return new Candidate(withoutParameters(symbolicName), version);
    }

    /** A fragment of the framework is a framework extension; one of a server bundle would change that bundle. */
    private void refuseServerFragment(String fragmentHost) {
        if (fragmentHost == null) {
            return;
        }
        String host = withoutParameters(fragmentHost).replace("\"", "");
        if (server.isFramework(host) || fragmentHost.contains("extension:=")) {
            throw new UnsafeBundleException("Fragment-Host " + BundleNames.quoted(fragmentHost.strip()) + " makes the "
                    + "jar a framework extension, which changes the framework itself and makes it restart; a plugin "
                    + "cannot be one", Constants.FRAGMENT_HOST);
        }
        if (server.isServer(host)) {
            throw new UnsafeBundleException("Fragment-Host " + host + " would attach the jar to the server's bundle "
                    + host + "; a plugin can only be a fragment of another plugin", Constants.FRAGMENT_HOST);
        }
    }

    private static void refuseCalls(Path jar, Candidate candidate, Set<String> classPath, Set<String> refused) {
        List<CallScanner.FoundCall> calls;
        try {
            calls = CallScanner.scan(jar, classPath, refused);
        } catch (IOException e) {
            throw new InvalidBundleException("the jar cannot be read: " + e.getMessage());
        } catch (CallScanner.UncheckableJarException e) {
            throw new UnsafeBundleException("the jar cannot be checked for calls that end the process or load native "
                    + "code: " + e.getMessage(), null);
        }
        refuse(calls.stream().filter(c -> c.isOneOf(CallScanner.EXIT_CALLS)).toList(),
                ", which ends the server's process", candidate, "allowSystemExit");
        refuse(calls.stream().filter(c -> c.isOneOf(CallScanner.NATIVE_CALLS)).toList(),
                ", which loads native code: a crash in it ends the server's process", candidate, "allowNativeCode");
    }

    private static void refuse(List<CallScanner.FoundCall> calls, String why, Candidate candidate, String setting) {
        if (!calls.isEmpty()) {
            String named = calls.stream().limit(CALLS_NAMED).map(Object::toString).collect(Collectors.joining("; "));
            throw new UnsafeBundleException(named + (calls.size() > CALLS_NAMED ? " (and more)" : "") + why
                    + allowance(candidate, setting), null);
        }
    }

    private static String allowance(Candidate candidate, String setting) {
        return "; a plugin must not (an operator can allow bundle " + candidate.symbolicName() + " with " + setting
                + " of PID " + PluginBundlesConfig.PID + ")";
    }

    /** The file entries of a Bundle-ClassPath ({@code .} is the jar itself, scanned anyway). */
    private static Set<String> classPath(String header) {
        if (header == null) {
            return Set.of();
        }
        return Arrays.stream(header.split(",")).map(BundleInspection::withoutParameters).map(e -> e.replace("\"", ""))
                .map(e -> e.startsWith("/") ? e.substring(1) : e).filter(e -> !e.isEmpty() && !e.equals("."))
                .collect(Collectors.toSet());
    }

    /** A manifest clause without its attributes and directives. */
    static String withoutParameters(String clause) {
        int parameters = clause.indexOf(';');
        return (parameters < 0 ? clause : clause.substring(0, parameters)).strip();
    }
}
