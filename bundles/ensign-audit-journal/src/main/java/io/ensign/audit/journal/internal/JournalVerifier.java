package io.ensign.audit.journal.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
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
 * Checks the journal line by line, byte for byte: every line is UTF-8 ending in LF alone and is exactly the
 * canonical text of the record it holds (so the same JSON with another escape, order or spacing is an edit), its
 * hash recomputes, it links to the line before, and
 * sequences run 1, 2, 3… with none missing, repeated or swapped. Two outside witnesses close the gaps a hash chain
 * leaves: the dispatcher's cursor for the journal (a journal ending before it lost its tail) and, when a store is
 * present, the store's change log (every journal record must equal the store's record of that sequence, which
 * exposes records rewritten or appended by someone who recomputed the unkeyed hashes).
 */
@Component(service = AuditVerifier.class, property = AuditSink.NAME + "=" + JournalAuditSink.NAME)
public final class JournalVerifier implements AuditVerifier {
    private static final int PAGE = 500;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Path file;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditDelivery delivery;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = Store.SELECTED)
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
            // Only what the file holds now is read: a line appended meanwhile is checked next time.
            LineReader lines = new LineReader(Channels.newInputStream(channel), channel.size());
            byte[] bytes;
            while ((bytes = lines.next()) != null) {
                records++;
                long expected = records;
                Optional<String> problem = byteProblem(bytes, records);
                if (problem.isPresent()) {
                    return invalid(records, expected, "line " + records + " " + problem.get());
                }
                String text = new String(bytes, StandardCharsets.UTF_8);
                Optional<JournalLine> parsed = JournalLine.parse(text);
                if (!lines.terminated()) {
                    // A line being appended while this runs is not the journal's yet; a whole record is.
                    return parsed.isEmpty() ? valid(records - 1, acknowledged, changeLog)
                            : invalid(records, expected, "line " + records + " is a complete record without the"
                                    + " line break that ends every line (a crash during its append leaves this; the"
                                    + " journal sink cuts it off when it starts)");
                }
                if (parsed.isEmpty()) {
                    return invalid(records, expected, "line " + records + " is not a journal record");
                }
                JournalLine line = parsed.get();
                if (line.sequence() != expected) {
                    return invalid(records, expected, "record " + expected + " is missing or out of place: line "
                            + records + " holds record " + line.sequence());
                }
                Optional<String> form = line.formProblem();
                if (form.isPresent()) {
                    return invalid(records, expected, "line " + records + " is not the canonical text of record "
                            + expected + ": " + form.get());
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
        return valid(records, acknowledged, changeLog);
    }

    /** The verdict on a journal whose {@code records} lines all checked out. */
    private static Verification valid(long records, long acknowledged, ChangeLogReader changeLog) {
        if (records < acknowledged) {
            return invalid(records, records + 1, "the journal ends at record " + records + " but " + acknowledged
                    + " were delivered to it: records were removed from its end");
        }
        return new Verification(true, records, null, records + " records intact"
                + (changeLog == null ? "" : " and equal to the store's change log"));
    }

    /**
     * What is wrong with a line's bytes before they are read as JSON: the journal is UTF-8 without a byte order
     * mark, one record per line, each line ending in LF alone, so any other byte sequence is an edit.
     */
    private static Optional<String> byteProblem(byte[] line, long number) {
        if (number == 1 && line.length >= BOM.length && Arrays.equals(line, 0, BOM.length, BOM, 0, BOM.length)) {
            return Optional.of("starts with a byte order mark; the journal is UTF-8 without one");
        }
        if (line.length == 0) {
            return Optional.of("is empty; the journal holds one record per line and no blank lines");
        }
        if (line[line.length - 1] == '\r') {
            return Optional.of("ends in CR LF; journal lines end in LF alone");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line));
        } catch (CharacterCodingException e) {
            return Optional.of("is not valid UTF-8");
        }
        if (Character.isWhitespace(line[0]) || Character.isWhitespace(line[line.length - 1])) {
            return Optional.of("has white space before or after its record");
        }
        return Optional.empty();
    }

    /** The lines of the first {@code size} bytes of a stream, as bytes without their LF, read a buffer at a time. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private long remaining;
        private boolean terminated;

        LineReader(InputStream in, long size) {
            this.in = in;
            this.remaining = size;
        }

        /** The next line, the last one also when no LF ends it; null after the last. */
        byte[] next() throws IOException {
            ByteArrayOutputStream line = null;
            terminated = false;
            while (true) {
                if (position == limit && !fill()) {
                    return line == null || line.size() == 0 ? null : line.toByteArray();
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                boolean found = position < limit;
                if (found && line == null) {
                    byte[] whole = Arrays.copyOfRange(buffer, start, position++);
                    terminated = true;
                    return whole;
                }
                if (line == null) {
                    line = new ByteArrayOutputStream(Math.max(256, 2 * (position - start)));
                }
                line.write(buffer, start, position - start);
                if (found) {
                    position++;
                    terminated = true;
                    return line.toByteArray();
                }
            }
        }

        /** Reads the next bufferful of the first {@code size} bytes; false at their end. */
        private boolean fill() throws IOException {
            if (remaining <= 0) {
                return false;
            }
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read <= 0) {
                return false;
            }
            remaining -= read;
            position = 0;
            limit = read;
            return true;
        }

        /** Whether the line {@link #next()} returned ended in LF. */
        boolean terminated() {
            return terminated;
        }
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
