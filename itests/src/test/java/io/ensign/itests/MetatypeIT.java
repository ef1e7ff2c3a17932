package io.ensign.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.inject.Inject;

import io.ensign.api.store.Store;
import org.junit.Test;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Every setting of an Ensign component is described at run time: each configuration PID that a configurable Ensign
 * DS component reads has, in its bundle's MetaTypeInformation, a definition whose attributes all carry a name and
 * a description (what a console shows an operator). A component is configurable when it names a configuration PID
 * other than its own name, requires a configuration, or takes configuration changes through a modified method;
 * a new one without a {@code @Designate} fails here.
 */
public class MetatypeIT extends FrameworkServerTest {
    private static final String ENSIGN_PACKAGES = "io.ensign.";
    /** ComponentDescriptionDTO.configurationPolicy of a component that only runs once configured. */
    private static final String REQUIRE_POLICY = "require";

    @Inject
    private ServiceComponentRuntime runtime;

    @Inject
    private MetaTypeService metaTypes;

    @Test
    public void everyConfigurationPidOfAnEnsignComponentIsDescribedAttributeByAttribute() {
        Set<String> checked = new TreeSet<>();
        List<String> undescribed = new ArrayList<>();
        for (ComponentDescriptionDTO component : runtime.getComponentDescriptionDTOs()) {
            if (!component.implementationClass.startsWith(ENSIGN_PACKAGES) || !configurable(component)) {
                continue;
            }
            MetaTypeInformation information = metaTypes.getMetaTypeInformation(context.getBundle(component.bundle.id));
            for (String pid : component.configurationPid) {
                checked.add(pid);
                problems(information, pid).forEach(problem -> undescribed.add(component.name + ": " + problem));
            }
        }

        // Guards against a check that passes because it saw nothing.
        assertTrue("the engine's PID is not among the checked " + checked, checked.contains("io.ensign.engine"));
        assertTrue("the store selection is not among the checked " + checked, checked.contains(Store.SELECTION_PID));
        assertEquals(List.of(), undescribed);
    }

    private static boolean configurable(ComponentDescriptionDTO component) {
        return !List.of(component.name).equals(List.of(component.configurationPid))
                || REQUIRE_POLICY.equals(component.configurationPolicy)
                || component.modified != null;
    }

    private static List<String> problems(MetaTypeInformation information, String pid) {
        // Felix answers null for a bundle that is neither starting, active nor resolved.
        boolean designated = information != null && Stream.of(information.getPids(), information.getFactoryPids())
                .flatMap(Arrays::stream).anyMatch(pid::equals);
        if (!designated) {
            return List.of("PID " + pid + " has no metatype (no @Designate for it)");
        }
        AttributeDefinition[] attributes = information.getObjectClassDefinition(pid, null)
                .getAttributeDefinitions(ObjectClassDefinition.ALL);
        if (attributes == null || attributes.length == 0) {
            return List.of("PID " + pid + " is described without attributes");
        }
        return Arrays.stream(attributes)
                .filter(attribute -> blank(attribute.getName()) || blank(attribute.getDescription()))
                .map(attribute -> "PID " + pid + " attribute " + attribute.getID() + " lacks a name or description")
                .toList();
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
