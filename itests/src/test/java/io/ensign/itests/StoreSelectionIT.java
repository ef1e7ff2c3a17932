package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.inject.Inject;

import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.api.store.Store;
import org.junit.Test;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;

/**
 * The one store selection (PID {@value Store#SELECTION_PID}) decides the store of every component that uses one:
 * they all reference the selected store ({@link Store#SELECTED}), which stands in front of the store plugin the
 * selection names. Selecting a store that is not there leaves each of them waiting, with readiness down, and
 * selecting the embedded one again brings every one back on the same data.
 */
public class StoreSelectionIT extends FrameworkServerTest {
    private static final String FLAG = "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
            + "\"defaultVariant\":\"on\"}";
    private static final long TIMEOUT_MILLIS = 30_000;
    /** The package of the selected store and event store. */
    private static final String SELECTORS = "io.ensign.store.internal.";

    @Inject
    private ServiceComponentRuntime scr;

    /** A component's reference to a store: which component, which reference. */
    private record StoreReference(ComponentDescriptionDTO component, String reference) {
        @Override
        public String toString() {
            return component.name + "." + reference;
        }
    }

    /** Every store and event-store reference of the server's components. */
    private List<StoreReference> storeReferences() {
        List<StoreReference> found = new ArrayList<>();
        for (ComponentDescriptionDTO component : scr.getComponentDescriptionDTOs()) {
            if (!component.implementationClass.startsWith("io.ensign.")) {
                continue;
            }
            for (ReferenceDTO reference : component.references) {
                if (reference.interfaceName.equals(Store.class.getName())
                        || reference.interfaceName.equals(ExperimentEventStore.class.getName())) {
                    found.add(new StoreReference(component, reference.name));
                }
            }
        }
        return found;
    }

    /** The target filter the component's (one) configuration has for the reference, and whether it is bound. */
    private String targetOf(StoreReference reference) {
        ComponentConfigurationDTO[] configurations = scr.getComponentConfigurationDTOs(reference.component())
                .toArray(ComponentConfigurationDTO[]::new);
        if (configurations.length != 1) {
            return configurations.length + " configurations";
        }
        Stream<String> satisfied = Stream.of(configurations[0].satisfiedReferences)
                .filter(r -> r.name.equals(reference.reference()))
                .map(r -> r.target + (r.boundServices.length > 0 ? " bound" : " unbound"));
        Stream<String> unsatisfied = Stream.of(configurations[0].unsatisfiedReferences)
                .filter(r -> r.name.equals(reference.reference())).map(r -> r.target + " unbound");
        return Stream.concat(satisfied, unsatisfied).findFirst().orElse("no reference");
    }

    /** What a reference should show: the selectors' the selection, every other one the selected store. */
    private static String expected(StoreReference reference, String selection, boolean bound) {
        boolean selector = reference.component().implementationClass.startsWith(SELECTORS);
        return (selector ? selection : Store.SELECTED) + (bound ? " bound" : " unbound");
    }

    /**
     * Waits until the selectors' references have the {@code selection} as target and every other store reference
     * the selected store, all bound or all not as asked; fails naming those that do not.
     */
    private void awaitEveryReference(String selection, boolean bound) throws InterruptedException {
        String expected = selection + (bound ? " bound" : " unbound");
        List<String> wrong = List.of();
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            wrong = storeReferences().stream().filter(r -> !targetOf(r).equals(expected(r, selection, bound)))
                    .map(r -> r + ": " + targetOf(r)).toList();
            if (wrong.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals("references not " + expected, List.of(), wrong);
    }

    @Test
    public void oneConfigurationRetargetsEveryComponentThatUsesAStore() throws Exception {
        http.expect(201, "PUT", "/api/v1/flags/kept", ADMIN, FLAG);
        List<String> references = storeReferences().stream().map(StoreReference::toString).toList();
        for (String expected : List.of("io.ensign.engine.internal.FlagEngine.store",
                "io.ensign.auth.internal.TokenRegistry.store", "io.ensign.config.internal.ConfigCatalog.store",
                "io.ensign.experiments.internal.StoredExperiments.events",
                "io.ensign.audit.internal.AuditDispatcher.store", "io.ensign.http.internal.HealthServlet.store",
                "io.ensign.store.internal.SelectedStore.store", "io.ensign.store.internal.SelectedEventStore.events")) {
            assertTrue(expected + " in " + references, references.contains(expected));
        }

        EnsignConfiguration.configure(context, Store.SELECTION_PID,
                Map.of("store.target", "(name=nowhere)", "events.target", "(name=nowhere)"));
        awaitEveryReference("(name=nowhere)", false);
        HttpResponse<String> ready = http.send("GET", "/health/ready", null, null);
        assertEquals(ready.body(), 503, ready.statusCode());
        assertTrue(ready.body(), http.json(ready).path("missing").toString()
                .contains("component io.ensign.engine.internal.FlagEngine"));

        EnsignConfiguration.configure(context, Store.SELECTION_PID,
                Map.of("store.target", "(name=embedded)", "events.target", "(name=embedded)"));
        awaitEveryReference("(name=embedded)", true);
        http.awaitReady();
        HttpResponse<String> kept = http.send("GET", "/api/v1/flags/kept", ADMIN, null);
        assertEquals(kept.body(), 200, kept.statusCode());
        assertFalse("the same data, through the store selected again", http.json(kept).path("variants").isEmpty());
    }
}
