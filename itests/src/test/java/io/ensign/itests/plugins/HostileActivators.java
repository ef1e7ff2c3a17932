package io.ensign.itests.plugins;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Bundle activators that try to take the server down, one way each; HostilePluginIT deploys them. */
public final class HostileActivators {
    private HostileActivators() {
    }

    /** Ends the process the ordinary way. */
    public static final class Exits implements BundleActivator {
        @Override
        public void start(BundleContext context) {
            System.exit(0);
        }

        @Override
        public void stop(BundleContext context) {
        }
    }

    /** Ends the process at once, without shutdown hooks. */
    public static final class Halts implements BundleActivator {
        @Override
        public void start(BundleContext context) {
            Runtime.getRuntime().halt(0);
        }

        @Override
        public void stop(BundleContext context) {
        }
    }

    /** Never returns from start and cannot be interrupted. */
    public static final class Spins implements BundleActivator {
        @Override
        public void start(BundleContext context) {
            while (true) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void stop(BundleContext context) {
        }
    }

    /** Fails to start. */
    public static final class Throws implements BundleActivator {
        @Override
        public void start(BundleContext context) {
            throw new IllegalStateException("this activator always fails");
        }

        @Override
        public void stop(BundleContext context) {
        }
    }
}
