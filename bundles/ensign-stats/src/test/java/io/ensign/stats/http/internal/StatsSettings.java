package io.ensign.stats.http.internal;

import java.lang.annotation.Annotation;

/** The calculator's configuration as DS would pass it, for tests. */
public final class StatsSettings {
    private StatsSettings() {
    }

    /** A configuration with the given grace period for departed tests. */
    public static StatsResource.Config grace(long millis) {
        return new StatsResource.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StatsResource.Config.class;
            }

            @Override
            public long gracePeriodMillis() {
                return millis;
            }
        };
    }
}
