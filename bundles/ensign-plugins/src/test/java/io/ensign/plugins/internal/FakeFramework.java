package io.ensign.plugins.internal;

import java.lang.reflect.Proxy;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/** Just enough of a framework for the classes that ask it which bundles are installed. */
final class FakeFramework {
    private FakeFramework() {
    }

    /** A bundle with a symbolic name and a location. */
    static Bundle bundle(String symbolicName, String location) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getLocation" -> location;
                    case "toString" -> symbolicName + "@" + location;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A context of a framework (Felix's symbolic name) with these bundles installed besides the system bundle. */
    static BundleContext context(Bundle... installed) {
        Bundle system = bundle("org.apache.felix.framework", Constants.SYSTEM_BUNDLE_LOCATION);
        List<Bundle> bundles = new java.util.ArrayList<>(List.of(system));
        bundles.addAll(List.of(installed));
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundles" -> bundles.toArray(Bundle[]::new);
                    case "getBundle" -> args != null && args.length == 1
                            && Constants.SYSTEM_BUNDLE_LOCATION.equals(args[0]) ? system : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
