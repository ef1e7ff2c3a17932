package io.ensign.audit.journal.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import io.ensign.api.audit.AuditDelivery;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.audit.AuditSink;
import io.ensign.api.audit.AuditVerifier;
import io.ensign.api.audit.SinkStatus;
import io.ensign.api.audit.Verification;
import io.ensign.api.store.Store;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Checks the journal line by line: every line parses, its hash recomputes, it links to the line before, and
 * sequences run 1, 2, 3… with none missing, repeated or swapped. Two outside witnesses close the gaps a hash chain
 * leaves: the dispatcher's cursor for the journal (a journal ending before it lost its tail) and, when a store is
 * present, the store's change log (every journal record must equal the store's record of that sequence, which
 * exposes records rewritten or appended by someone who recomputed the unkeyed hashes).
 */
@Component(service = AuditVerifier.class, property = AuditSink.NAME + "=" + JournalAuditSink.NAME)
public final class JournalVerifier implements AuditVerifier {
    private static final int PAGE = 500;

    private final Path file;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditDelivery delivery;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Store store;

    @Activate
    public JournalVerifier(BundleContext context) {
        this.file = JournalFile.in(context);
    }

    JournalVerifier(Path file, AuditDelivery delivery, Store store) {
        this.file = file;
        this.delivery = delivery;
        this.store = store;
    }

    @Override
    public Verification verify() {
        Store witness = store;
        long acknowledged = acknowledged();
        ChangeLogReader changeLog = witness == null ? null : new ChangeLogReader(witness);
        long records = 0;
        String prev = JournalLine.GENESIS;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long unread = JournalFile.completeLength(channel);
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            String text;
            // Only complete lines count: a line being appended while this runs is not the journal's yet.
            while (unread > 0 && (text = reader.readLine()) != null) {
                unread -= text.getBytes(StandardCharsets.UTF_8).length + 1;
                records++;
                long expected = records;
                Optional<JournalLine> parsed = JournalLine.parse(text);
                if (parsed.isEmpty()) {
                    return invalid(records, expected, "line " + records + " is not a journal record");
                }
                JournalLine line = parsed.get();
                if (line.sequence() != expected) {
                    return invalid(records, expected, "record " + expected + " is missing or out of place: line "
                            + records + " holds record " + line.sequence());
                }
                if (!line.prev().equals(prev)) {
                    return invalid(records, expected, "record " + expected + " does not link to the record before it");
                }
                if (!line.hashMatches()) {
                    return invalid(records, expected, "record " + expected + " was altered: its hash does not match");
                }
                if (changeLog != null) {
                    Optional<String> stored = changeLog.canonical(expected);
                    if (stored.isEmpty()) {
                        return invalid(records, expected, "record " + expected + " is not in the store's change log");
                    }
                    if (!stored.get().equals(line.canonical())) {
                        return invalid(records, expected, "record " + expected + " differs from the store's change log");
                    }
                }
                prev = line.hash();
            }
        } catch (NoSuchFileException e) {
            // No journal yet: valid as long as nothing was delivered to it, which the check below decides.
        } catch (IOException e) {
            return invalid(records, records + 1, "the journal cannot be read: " + e.getMessage());
        }
        if (records < acknowledged) {
            return invalid(records, records + 1, "the journal ends at record " + records + " but " + acknowledged
                    + " were delivered to it: records were removed from its end");
        }
        return new Verification(true, records, null, records + " records intact"
                + (changeLog == null ? "" : " and equal to the store's change log"));
    }

    /** What the dispatcher says the journal acknowledged; 0 when no dispatcher is running. */
    private long acknowledged() {
        AuditDelivery current = delivery;
        if (current == null) {
            return 0;
        }
        return current.sinks().stream().filter(s -> s.name().equals(JournalAuditSink.NAME))
                .mapToLong(SinkStatus::cursor).findFirst().orElse(0);
    }

    private static Verification invalid(long records, long sequence, String message) {
        return new Verification(false, records, sequence, message);
    }

    /** The store's change log read page by page alongside the journal. */
    private static final class ChangeLogReader {
        private final Store store;
        private final Deque<AuditRecord> page = new ArrayDeque<>();
        private long after;

        ChangeLogReader(Store store) {
            this.store = store;
        }

        /** The canonical JSON of the store's record {@code sequence}; asked for in ascending order. */
        Optional<String> canonical(long sequence) {
            if (page.isEmpty()) {
                page.addAll(store.changes(after, PAGE));
            }
            AuditRecord next = page.poll();
            if (next == null || next.sequence() != sequence) {
                return Optional.empty();
            }
            after = next.sequence();
            return Optional.of(JournalLine.canonical(next));
        }
    }
}
