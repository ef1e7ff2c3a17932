package io.ensign.itests.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.audit.AuditSink;
import org.osgi.framework.BundleContext;

/**
 * An audit sink appending one line per record, {@code <label> <sequence> <epoch millis>}, to the file the framework
 * property {@value #FILE_PROPERTY} names; {@code label} is a component property, so two versions of one bundle write
 * distinguishable lines.
 */
public final class FileAuditSink implements AuditSink {
    /** Framework property naming the file the sink appends to. */
    public static final String FILE_PROPERTY = "ensign.it.sink.file";
    private volatile Path file;
    private volatile String label;

    /** Called by DS with the bundle's context and the component's properties. */
    public void activate(BundleContext context, Map<String, Object> properties) {
        file = Path.of(context.getProperty(FILE_PROPERTY));
        label = (String) properties.get("label");
    }

    @Override
    public synchronized void deliver(AuditRecord record) throws IOException {
        Files.writeString(file, label + " " + record.sequence() + " " + System.currentTimeMillis() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
