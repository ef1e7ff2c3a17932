package io.ensign.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.SynchronousBundleListener;

class MarkedStartsTest {
    @TempDir
    Path deploy;

    private final List<BundleListener> synchronous = new ArrayList<>();
    private final List<BundleListener> asynchronous = new ArrayList<>();
    private Bundle plugin;
    private Bundle server;

    @BeforeEach
    void openOnAFramework() {
        plugin = FakeFramework.bundle("com.acme.x", deploy.resolve("x.jar").toUri().toString());
        server = FakeFramework.bundle("ensign-http", "reference:file:/opt/ensign/bundles/ensign-http.jar");
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    BundleListener listener = (BundleListener) args[0];
                    (listener instanceof SynchronousBundleListener ? synchronous : asynchronous).add(listener);
                    return null;
                });
        new MarkedStarts(new DeployDirectory(deploy), new StartMarker(deploy)).open(context);
    }

    /** As the framework does: every synchronous listener, then (for all but STARTING) the asynchronous ones. */
    private BundleEvent fire(int type, Bundle bundle, boolean deliverAsynchronously) {
        BundleEvent event = new BundleEvent(type, bundle);
        synchronous.forEach(l -> l.bundleChanged(event));
        if (deliverAsynchronously) {
            asynchronous.forEach(l -> l.bundleChanged(event));
        }
        return event;
    }

    private List<String> marked() {
        return new StartMarker(deploy).recorded();
    }

    @Test
    void aDeployBundleIsMarkedFromStartingUntilEveryListenerHasSeenItStarted() {
        fire(BundleEvent.STARTING, plugin, false);
        assertEquals(List.of("x.jar"), marked());

        BundleEvent started = fire(BundleEvent.STARTED, plugin, false);
        assertEquals(List.of("x.jar"), marked(), "SCR may still be activating its components");

        asynchronous.forEach(l -> l.bundleChanged(started));
        assertEquals(List.of(), marked());
    }

    @Test
    void aFailedStartIsUnmarkedToo() {
        fire(BundleEvent.STARTING, plugin, false);
        fire(BundleEvent.STOPPING, plugin, false);
        fire(BundleEvent.STOPPED, plugin, true);

        assertEquals(List.of(), marked());
    }

    @Test
    void aLateEventOfAnEarlierStartLeavesTheStartUnderWayMarked() {
        fire(BundleEvent.STARTING, plugin, false);
        BundleEvent firstStarted = fire(BundleEvent.STARTED, plugin, false);
        fire(BundleEvent.STARTING, plugin, false);

        asynchronous.forEach(l -> l.bundleChanged(firstStarted));
        assertEquals(List.of("x.jar"), marked());
    }

    @Test
    void bundlesFromElsewhereAreNeverMarked() {
        fire(BundleEvent.STARTING, server, false);

        assertEquals(List.of(), marked());
    }
}
