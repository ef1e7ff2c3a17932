package io.ensign.store.internal;

import java.util.List;
import java.util.Map;

import io.ensign.api.experiment.ExperimentEvent;
import io.ensign.api.experiment.ExperimentEventStore;
import io.ensign.api.experiment.VariantAggregate;
import io.ensign.api.store.Store;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The experiment event store the server uses: the one the selection's {@code events.target} names, registered again
 * as the selected one, like {@link SelectedStore}.
 */
@Component(service = ExperimentEventStore.class, configurationPid = Store.SELECTION_PID,
        property = SelectedStore.SELECTED_PROPERTY + ":Boolean=true")
public final class SelectedEventStore implements ExperimentEventStore {
    private final ExperimentEventStore events;

    @Activate
    public SelectedEventStore(
            @Reference(name = "events", target = SelectedStore.ANY_STORE) ExperimentEventStore events) {
        this.events = events;
    }

    @Override
    public List<Outcome> append(List<ExperimentEvent> batch) {
        return events.append(batch);
    }

    @Override
    public Map<String, VariantAggregate> aggregates(String experiment) {
        return events.aggregates(experiment);
    }

    @Override
    public double recordSequentialPValue(String experiment, String arm, double pValue) {
        return events.recordSequentialPValue(experiment, arm, pValue);
    }
}
