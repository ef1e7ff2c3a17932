package io.ensign.api.plugin;

import java.io.InputStream;
import java.util.List;

import io.ensign.api.catalog.WriteContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Lists the plugins the server has and manages the plugin bundles of its {@code deploy/} directory. Installing,
 * replacing and removing go through that directory, so what the API does survives a restart and what is dropped
 * there by hand shows up here too; the server's own bundles and the framework are never touched. Every change is
 * audited.
 */
@ProviderType
public interface PluginAdmin {
    /** Plugin kind of {@link io.ensign.api.operator.EvaluationOperator}. */
    String OPERATOR = "operator";
    /** Plugin kind of {@link io.ensign.api.assignment.AssignmentStrategy}. */
    String ASSIGNMENT = "assignment";
    /** Plugin kind of {@link io.ensign.api.stats.StatisticalTest}. */
    String STATISTICAL_TEST = "statistical-test";
    /** Plugin kind of {@link io.ensign.api.validation.ValidationRule}. */
    String VALIDATION_RULE = "validation-rule";
    /** Plugin kind of {@link io.ensign.api.audit.AuditSink}. */
    String AUDIT_SINK = "audit-sink";
    /** Plugin kind of {@link io.ensign.api.store.Store}. */
    String STORE = "store";
    /** Object kind of bundle changes in the store and the audit trail. */
    String BUNDLE = "bundle";

    /** Every registered plugin service of every kind, ordered by kind and name. */
    List<PluginInfo> plugins();

    /** The bundles of the deploy directory, ordered by symbolic name. */
    List<BundleInfo> bundles();

    /**
     * Checks that the jar is a bundle the server can resolve and that cannot take it down, then deploys and starts
     * it.
     *
     * @return the bundle as installed
     * @throws InvalidBundleException when the jar is no bundle, cannot be resolved, names a bundle that exists
     *                                already or one of the server's, has a symbolic name that is no file name, is a
     *                                framework extension, or has code that ends the process; {@link
     *                                InvalidBundleException#field()} names the manifest header at fault
     */
    BundleInfo install(InputStream jar, WriteContext context);

    /**
     * Replaces a deployed bundle in place with the jar, which must carry the same symbolic name.
     *
     * @throws io.ensign.api.catalog.NotFoundException when no deployed bundle has that name
     * @throws InvalidBundleException                  when the name is the server's or no symbolic name (field
     *                                                 {@code symbolicName}), or the jar is refused as by
     *                                                 {@link #install} or names another bundle
     */
    BundleInfo update(String symbolicName, InputStream jar, WriteContext context);

    /**
     * Removes a deployed bundle.
     *
     * @throws io.ensign.api.catalog.NotFoundException when no deployed bundle has that name
     * @throws InvalidBundleException                  when the name is the server's or no symbolic name (field
     *                                                 {@code symbolicName})
     */
    void uninstall(String symbolicName, WriteContext context);
}
