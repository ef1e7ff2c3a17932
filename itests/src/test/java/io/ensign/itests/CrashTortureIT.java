package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's short crash torture (see {@link CrashTorture}): 20 rounds of mixed writes, each ended by SIGKILL
 * 0.3-2 s in, and nothing acknowledged may be lost, nothing half applied, no sequence reused, the journal valid.
 * {@code -Dtorture.rounds=N} and {@code -Dtorture.seed=S} repeat a run; the seed is printed.
 */
class CrashTortureIT {
    private static final List<String> EVERY_KIND = List.of("flag create", "flag replace", "segment create",
            "config write", "config secret write", "config promote", "token create", "event batch");

    @TempDir
    Path work;

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void nothingAcknowledgedIsLostAcrossSigkillRounds() throws Exception {
        CrashTorture.Settings settings = new CrashTorture.Settings(Integer.getInteger("torture.rounds", 20),
                Long.getLong("torture.seed", System.nanoTime()), Duration.ofMillis(300), Duration.ofMillis(2000), 1, work);
        TortureFigures figures = new CrashTorture(settings, System.out).run();

        String summary = "seed " + settings.seed() + "\n" + figures.summary();
        assertEquals(0, figures.totalFindings(), summary);
        for (String kind : EVERY_KIND) {
            assertTrue(figures.acknowledgedCount(kind) > 0, "no " + kind + " was acknowledged: " + summary);
        }
    }
}
