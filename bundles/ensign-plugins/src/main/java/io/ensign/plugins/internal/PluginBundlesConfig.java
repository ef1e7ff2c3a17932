package io.ensign.plugins.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration of the plugin bundles (PID {@value #PID}), shared by the admin API and the deploy directory. */
@ObjectClassDefinition(name = "Ensign plugin bundles",
        description = "Where plugin bundles are deployed from, and which of them may end the process or bring native code")
public @interface PluginBundlesConfig {
    String PID = "io.ensign.plugins";

    @AttributeDefinition(description = "The directory plugin bundles are deployed from; empty: "
            + "<ensign.home>/deploy")
    String deployDirectory() default "";

    @AttributeDefinition(description = "How long an install, update or removal waits for the deploy directory to "
            + "carry it out, in milliseconds")
    long settleTimeoutMillis() default 15_000;

    @AttributeDefinition(description = "Symbolic names of the bundles whose classes may call System.exit, "
            + "Runtime.exit or Runtime.halt; every other such bundle is refused")
    String[] allowSystemExit() default {};

    @AttributeDefinition(description = "Symbolic names of the bundles that may bring native code (Bundle-NativeCode) "
            + "or load native libraries (System.load, System.loadLibrary and the like); every other such bundle is "
            + "refused")
    String[] allowNativeCode() default {};
}
