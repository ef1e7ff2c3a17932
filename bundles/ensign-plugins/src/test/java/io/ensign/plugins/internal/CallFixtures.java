package io.ensign.plugins.internal;

import java.util.function.IntConsumer;

/** Classes the call scanner reads from the test class path; none of their methods is ever called. */
final class CallFixtures {
    private CallFixtures() {
    }

    static final class CallsSystemExit {
        static void leave() {
            System.exit(3);
        }
    }

    static final class CallsRuntimeHalt {
        static void leave() {
            Runtime.getRuntime().halt(3);
        }
    }

    static final class CallsRuntimeExit {
        static void leave() {
            Runtime.getRuntime().exit(3);
        }
    }

    /** A method reference leaves no call instruction, only a method handle to System.exit. */
    static final class ReferencesSystemExit {
        static IntConsumer leaver() {
            return System::exit;
        }
    }

    static final class LoadsALibrary {
        static void load() {
            System.loadLibrary("acme");
        }
    }

    static final class LoadsAFile {
        static void load() {
            Runtime.getRuntime().load("/opt/acme/libacme.so");
        }
    }

    /** Uses System and Runtime without ending anything. */
    static final class Harmless {
        static String describe() {
            return System.getProperty("java.version") + Runtime.getRuntime().availableProcessors();
        }
    }
}
