package io.ensign.engine.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.model.Environment;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.StoreUnavailableException;
import io.ensign.testing.fakes.CatalogEvaluator;
import io.ensign.testing.fakes.InMemoryCatalog;
import org.junit.jupiter.api.Test;

/** The environment list of the hot path while the store behind the catalog comes and goes. */
class KnownEnvironmentsTest {
    private static final WriteContext BY = new WriteContext("test", null, null);

    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final AtomicInteger listings = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may well be negative
    /** The catalog as the routes see it: listing environments reads the store, which may be down. */
    private final FlagCatalog routesCatalog = (FlagCatalog) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {FlagCatalog.class}, (proxy, method, args) -> {
                if (method.getName().equals("environments")) {
                    listings.incrementAndGet();
                    if (storeDown.get()) {
                        throw new StoreUnavailableException(StoreUnavailableException.Condition.UNAVAILABLE,
                                "the database is unreachable", 1, null);
                    }
                }
                try {
                    return method.invoke(catalog, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final KnownEnvironments known =
            new KnownEnvironments(new CatalogEvaluator(catalog), routesCatalog, now::get);

    private void addEnvironment(String name) {
        catalog.putEnvironment(new Environment(name, null, 0), Mutation.ANY_VERSION, BY);
    }

    /** The environments the routes know of, besides those the catalog starts with. */
    private List<String> names() {
        return known.all().stream().map(Environment::name).filter(n -> n.startsWith("region-")).sorted().toList();
    }

    @Test
    void listsAgainOnlyWhenTheStateMoves() {
        addEnvironment("region-a");
        assertEquals(List.of("region-a"), names());
        assertEquals(List.of("region-a"), names());
        assertEquals(1, listings.get());
        addEnvironment("region-b");
        assertEquals(List.of("region-a", "region-b"), names());
        assertEquals(2, listings.get());
    }

    @Test
    void theLastListStandsInWhileTheStoreIsDownAndIsAskedAgainOnceASecond() {
        addEnvironment("region-a");
        assertEquals(List.of("region-a"), names());
        storeDown.set(true);
        addEnvironment("region-b"); // a change heard of, that cannot be read yet

        assertEquals(List.of("region-a"), names());
        assertEquals(2, listings.get());
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(900));
        assertEquals(List.of("region-a"), names());
        assertEquals(2, listings.get(), "no second attempt within the second");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
        assertEquals(List.of("region-a"), names());
        assertEquals(3, listings.get(), "a second attempt after it");

        storeDown.set(false);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_100));
        assertEquals(List.of("region-a", "region-b"), names());
        assertEquals(List.of("region-a", "region-b"), names());
        assertEquals(4, listings.get());
    }

    @Test
    void withNothingReadYetTheOutageIsTheCallersToAnswer() {
        addEnvironment("region-a");
        storeDown.set(true);
        assertThrows(StoreUnavailableException.class, known::all);
        assertThrows(StoreUnavailableException.class, known::all);
        assertEquals(2, listings.get(), "nothing to stand in: every call asks");
    }

    @Test
    void aListReadAheadStandsInForTheFirstRequest() {
        addEnvironment("region-a");
        known.readAhead();
        storeDown.set(true);
        addEnvironment("region-b");
        assertEquals(List.of("region-a"), names());
        storeDown.set(false);
        KnownEnvironments unread = new KnownEnvironments(new CatalogEvaluator(catalog), routesCatalog, now::get);
        storeDown.set(true);
        unread.readAhead();
        assertThrows(StoreUnavailableException.class, unread::all, "an outage at the read ahead leaves nothing");
    }
}
