package io.ensign.http.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Which configuration files of the directory FileInstall watches ({@code felix.fileinstall.dir}, the server's
 * {@code conf/}) are not in force yet. A file is in force when ConfigurationAdmin holds a configuration FileInstall
 * made from it (FileInstall marks those with {@value #FILENAME}, the file's URI) and every enabled component that
 * takes that configuration's PID (its factory PID for a factory configuration) runs with its values, as the Service
 * Component Runtime reports the component configurations' properties. That the configuration exists is enough
 * where no component takes it (a PID for another kind of service, or for a plugin not deployed).
 *
 * <p>A configuration in ConfigurationAdmin is taken as this run's reading of its file since the launcher starts
 * with an empty framework cache. An edit to a file in a running server is not waited for: FileInstall reads it
 * within one poll. A file FileInstall cannot read (its log says why) stays named until it is fixed or removed.
 */
final class ConfReadiness {
    /** The property FileInstall gives every configuration it made from a file: the file's URI. */
    static final String FILENAME = "felix.fileinstall.filename";
    private static final String PID = "service.pid";
    private static final String IGNORE = "ignore";

    /**
     * A configuration FileInstall made from {@code file}, as ConfigurationAdmin holds it; {@code pid} is the one a
     * component names to take it, the factory PID of a factory configuration.
     */
    record FileConfiguration(Path file, String pid, Map<String, Object> properties) {
    }

    /** A component taking the configurations of {@code pids}, with the properties each of its configurations has. */
    record ConfiguredComponent(String name, List<String> pids, List<Map<String, Object>> running) {
    }

    private final Path directory;
    private final Pattern filter;

    /**
     * For the directory and file name filter FileInstall was given as framework properties; {@code filter} is
     * null when FileInstall takes every file.
     */
    ConfReadiness(String directory, String filter) {
        this.directory = Path.of(directory).toAbsolutePath().normalize();
        this.filter = filter == null ? null : Pattern.compile(filter);
    }

    /**
     * What is not in force, as "configuration FILE" (not read) or "configuration FILE in component NAME"; when the
     * directory or ConfigurationAdmin's store cannot be read, that.
     */
    List<String> pending(ConfigurationAdmin admin, ServiceComponentRuntime runtime) {
        try {
            List<Path> files = files();
            if (files.isEmpty()) {
                return List.of();
            }
            return pending(files, fileConfigurations(admin), configuredComponents(runtime));
        } catch (IOException e) {
            return List.of("configurations of " + directory + " (" + e + ")");
        }
    }

    /** What of {@code files} is not in force, given what ConfigurationAdmin holds and what the components run with. */
    static List<String> pending(List<Path> files, List<FileConfiguration> configurations,
            List<ConfiguredComponent> components) {
        List<String> pending = new ArrayList<>();
        for (Path file : files) {
            String name = "configuration " + file.getFileName();
            List<FileConfiguration> read = configurations.stream().filter(c -> c.file().equals(file)).toList();
            if (read.isEmpty()) {
                pending.add(name);
            }
            for (FileConfiguration configuration : read) {
                for (ConfiguredComponent component : components) {
                    Set<String> overridden = overridden(component, configuration.pid(), configurations);
                    if (component.pids().contains(configuration.pid()) && component.running().stream()
                            .noneMatch(properties -> carries(properties, configuration.properties(), overridden))) {
                        pending.add(name + " in component " + component.name());
                    }
                }
            }
        }
        return pending;
    }

    /** The files FileInstall makes configurations of, in name order; none while the directory is not there. */
    private List<Path> files() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile).filter(this::configurationFile).sorted().toList();
        }
    }

    private boolean configurationFile(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".cfg") || name.endsWith(".config"))
                && (filter == null || filter.matcher(name).matches());
    }

    private static List<FileConfiguration> fileConfigurations(ConfigurationAdmin admin) throws IOException {
        if (admin == null) {
            return List.of();
        }
        Configuration[] configurations;
        try {
            configurations = admin.listConfigurations("(" + FILENAME + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the filter is a constant", e);
        }
        List<FileConfiguration> read = new ArrayList<>();
        for (Configuration configuration : configurations == null ? new Configuration[0] : configurations) {
            try {
                read.add(fileConfiguration(configuration));
            } catch (IllegalStateException deleted) {
                // Deleted since it was listed, as FileInstall does when the file goes: there is nothing to wait for.
            }
        }
        return read;
    }

    /** A listed configuration (so one with properties) as FileInstall made it; throws if it was deleted meanwhile. */
    private static FileConfiguration fileConfiguration(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        Map<String, Object> values = new HashMap<>();
        Collections.list(properties.keys()).forEach(key -> values.put(key, properties.get(key)));
        Path file = Path.of(URI.create(values.get(FILENAME).toString())).toAbsolutePath().normalize();
        String pid = configuration.getFactoryPid() == null ? configuration.getPid() : configuration.getFactoryPid();
        return new FileConfiguration(file, pid, values);
    }

    private static List<ConfiguredComponent> configuredComponents(ServiceComponentRuntime runtime) {
        if (runtime == null) {
            return List.of();
        }
        List<ConfiguredComponent> components = new ArrayList<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (!IGNORE.equals(description.configurationPolicy) && runtime.isComponentEnabled(description)) {
                components.add(new ConfiguredComponent(description.name, List.of(description.configurationPid),
                        runtime.getComponentConfigurationDTOs(description).stream()
                                .map(configuration -> configuration.properties).toList()));
            }
        }
        return components;
    }

    /**
     * The keys of a component's configuration for {@code pid} that a configuration of one of its later PIDs also
     * sets: DS merges a component's PIDs in order, so there the later value is the one the component runs with (the
     * file name, for one, when both came from conf/).
     */
    private static Set<String> overridden(ConfiguredComponent component, String pid,
            List<FileConfiguration> configurations) {
        List<String> later = component.pids().subList(component.pids().indexOf(pid) + 1, component.pids().size());
        Set<String> keys = new HashSet<>();
        configurations.stream().filter(c -> later.contains(c.pid())).forEach(c -> keys.addAll(c.properties().keySet()));
        return keys;
    }

    /**
     * Whether a component configuration's properties carry every value of a configuration but those a later PID
     * overrides. The PID is left out, since a component taking several PIDs shows them all in it; the file name is
     * among the values.
     */
    private static boolean carries(Map<String, Object> running, Map<String, Object> configured,
            Set<String> overridden) {
        return configured.entrySet().stream().allMatch(e -> e.getKey().equals(PID)
                || overridden.contains(e.getKey()) || reportedAs(running.get(e.getKey()), e.getValue()));
    }

    /**
     * The runtime reports strings, booleans, numbers and arrays of them as they are and anything else as its
     * {@code String.valueOf}, which for other arrays (of primitives, say) shows only their identity: those cannot
     * be compared.
     */
    private static boolean reportedAs(Object reported, Object configured) {
        Class<?> type = configured.getClass();
        if (type.isArray() && !reportedAsItIs(type.getComponentType())) {
            return true;
        }
        return Objects.deepEquals(reported, configured) || String.valueOf(configured).equals(reported);
    }

    private static boolean reportedAsItIs(Class<?> type) {
        return type == String.class || type == Boolean.class || Number.class.isAssignableFrom(type);
    }
}
