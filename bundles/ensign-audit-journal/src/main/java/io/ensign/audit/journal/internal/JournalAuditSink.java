package io.ensign.audit.journal.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.audit.AuditSink;
import io.ensign.api.audit.AuditSinkPlugin;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Appends every audit record as one hash-chained JSON line (see {@link JournalLine}) to
 * {@code <data>/audit/journal.jsonl}, forced to disk before the record is acknowledged. Redelivered records (a
 * sequence the journal already holds) are acknowledged without writing, so the journal never holds one twice.
 */
@Component(service = AuditSink.class)
@AuditSinkPlugin(name = JournalAuditSink.NAME, delivery = AuditSink.DELIVERY_NODE)
public final class JournalAuditSink implements AuditSink {
    /** This sink's name, and so the name of its cursor. */
    static final String NAME = "journal";
    private static final System.Logger LOG = System.getLogger(JournalAuditSink.class.getName());

    private final Path file;
    private final FileChannel channel;
    private long lastSequence;
    private String lastHash;

    @Activate
    public JournalAuditSink(BundleContext context) throws IOException {
        this(JournalFile.in(context));
    }

    /**
     * Opens the journal, learning where it ends. A line cut short by a crash mid-write was never acknowledged, so
     * it is cut off and comes again; a last line that is complete but unreadable stops the sink, since appending
     * after it would hide the damage.
     */
    JournalAuditSink(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long complete = JournalFile.completeLength(channel);
            if (complete < channel.size()) {
                LOG.log(System.Logger.Level.WARNING, "cutting an unfinished last line ({0} bytes) off {1}",
                        channel.size() - complete, file);
                channel.truncate(complete);
                channel.force(true);
            }
            String last = JournalFile.lastLine(channel);
            if (last == null) {
                lastSequence = 0;
                lastHash = JournalLine.GENESIS;
            } else {
                JournalLine line = JournalLine.parse(last)
                        .orElseThrow(() -> new IOException("the last line of " + file + " is not a journal record;"
                                + " verify the journal before writing to it again"));
                lastSequence = line.sequence();
                lastHash = line.hash();
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public synchronized void deliver(AuditRecord record) throws IOException {
        if (record.sequence() <= lastSequence) {
            return;
        }
        if (record.sequence() != lastSequence + 1) {
            // Written anyway: refusing would stop the journal for good, and the verifier reports the gap.
            LOG.log(System.Logger.Level.WARNING, "{0} ends at record {1} but is handed record {2}", file,
                    lastSequence, record.sequence());
        }
        JournalLine line = JournalLine.append(record, lastHash);
        ByteBuffer bytes = ByteBuffer.wrap((line.text() + "\n").getBytes(StandardCharsets.UTF_8));
        long end = channel.size();
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes, end + bytes.position());
            }
            channel.force(true);
        } catch (IOException e) {
            // Leave no half line behind for the retry to append after.
            channel.truncate(end);
            throw e;
        }
        lastSequence = record.sequence();
        lastHash = line.hash();
    }

    @Deactivate
    synchronized void close() throws IOException {
        channel.close();
    }
}
