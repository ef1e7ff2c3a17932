package io.ensign.audit.journal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.ensign.api.audit.AuditDelivery;
import io.ensign.api.audit.AuditRecord;
import io.ensign.api.audit.SinkStatus;
import io.ensign.api.audit.Verification;
import io.ensign.api.store.ChangeListener;
import io.ensign.api.store.Document;
import io.ensign.api.store.Mutation;
import io.ensign.api.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final int N = 10;

    @TempDir
    Path data;
    private final List<AuditRecord> committed = new ArrayList<>();

    @Test
    void canonicalJsonHasFixedFieldOrderEmbeddedDocumentsAndNoWhitespace() {
        AuditRecord record = new AuditRecord(7, Instant.parse("2026-11-26T10:15:30.123Z"), "ops (t-1)", "update",
                "flag", "new-checkout", "production", 3, "{ \"on\" : false, \"w\": 1.50 }", "not json {",
                "ramp \"up\"\n", null);
        assertEquals("{\"sequence\":7,\"time\":\"2026-11-26T10:15:30.123Z\",\"actor\":\"ops (t-1)\","
                + "\"action\":\"update\",\"kind\":\"flag\",\"key\":\"new-checkout\",\"environment\":\"production\","
                + "\"version\":3,\"before\":{\"on\":false,\"w\":1.50},\"after\":\"not json {\","
                + "\"reason\":\"ramp \\\"up\\\"\\n\",\"requestId\":null}", JournalLine.canonical(record));
    }

    @Test
    void lineIsTheCanonicalJsonWithPrevAndItsSha256Appended() throws Exception {
        AuditRecord record = record(1);
        JournalLine line = JournalLine.append(record, JournalLine.GENESIS);
        String canonical = JournalLine.canonical(record);
        String expectedHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(("0".repeat(64) + "\n" + canonical).getBytes(StandardCharsets.UTF_8)));
        assertEquals(canonical.substring(0, canonical.length() - 1) + ",\"prev\":\"" + "0".repeat(64)
                + "\",\"hash\":\"" + expectedHash + "\"}", line.text());
        assertEquals(Optional.of(line), JournalLine.parse(line.text()));
    }

    @Test
    void intactJournalVerifiesAgainstStoreAndDispatcher() throws IOException {
        writeJournal(N);
        assertEquals(new Verification(true, N, null, N + " records intact and equal to the store's change log"),
                verifier(N, true).verify());
        assertTrue(verifier(N, false).verify().valid());
    }

    @Test
    void aSequenceWithALeadingZeroOrBrokenJsonAfterIsNotTheRecord() throws IOException {
        writeJournal(N);
        editLine(3, text -> text.replace("{\"sequence\":3,", "{\"sequence\":03,"));
        assertInvalidAt(3, verifier(N, false).verify());
        Files.delete(journal());
        writeJournal(N);
        editLine(4, text -> text.replace("\"kind\":\"flag\"", "\"kind\":flag"));
        assertInvalidAt(4, verifier(N, false).verify());
    }

    @Test
    void editedFieldInTheMiddleIsReportedAtThatRecord() throws IOException {
        writeJournal(N);
        editLine(5, text -> text.replace("\"actor\":\"user-5\"", "\"actor\":\"mallory\""));
        assertInvalidAt(5, verifier(N, false).verify());
    }

    @Test
    void rewrittenRecordWithRecomputedHashesIsCaughtByTheStoresChangeLog() throws IOException {
        writeJournal(N);
        List<String> lines = lines();
        String prev = JournalLine.parse(lines.get(3)).orElseThrow().hash();
        for (int i = 4; i < N; i++) {
            AuditRecord original = committed.get(i);
            AuditRecord forged = i == 4 ? new AuditRecord(5, original.time(), "mallory", original.action(),
                    original.kind(), original.key(), null, original.version(), original.before(), original.after(),
                    null, original.requestId()) : original;
            JournalLine line = JournalLine.append(forged, prev);
            lines.set(i, line.text());
            prev = line.hash();
        }
        writeLines(lines);
        Verification verification = verifier(N, true).verify();
        assertInvalidAt(5, verification);
        assertEquals("record 5 differs from the store's change log", verification.message());
    }

    @Test
    void removedLineIsReportedAsTheMissingRecord() throws IOException {
        writeJournal(N);
        List<String> lines = lines();
        lines.remove(3);
        writeLines(lines);
        assertInvalidAt(4, verifier(N, false).verify());
    }

    @Test
    void removedFirstLineIsReportedAsRecordOne() throws IOException {
        writeJournal(N);
        List<String> lines = lines();
        lines.remove(0);
        writeLines(lines);
        assertInvalidAt(1, verifier(N, false).verify());
    }

    @Test
    void swappedLinesAreReportedAtTheFirstOfThem() throws IOException {
        writeJournal(N);
        List<String> lines = lines();
        lines.set(5, lines.set(6, lines.get(5)));
        writeLines(lines);
        assertInvalidAt(6, verifier(N, false).verify());
    }

    @Test
    void truncatedTailIsReportedAtTheFirstRemovedRecord() throws IOException {
        writeJournal(N);
        writeLines(lines().subList(0, N - 3));
        Verification verification = verifier(N, false).verify();
        assertInvalidAt(N - 2, verification);
        assertEquals(N - 3, verification.records());
    }

    @Test
    void appendedLineWithABadHashIsReported() throws IOException {
        writeJournal(N);
        String prev = JournalLine.parse(lines().get(N - 1)).orElseThrow().hash();
        String forged = JournalLine.append(record(N + 1), prev).text().replaceAll("\"hash\":\"[0-9a-f]{64}\"",
                "\"hash\":\"" + "ab".repeat(32) + "\"");
        Files.writeString(journal(), forged + "\n", StandardOpenOption.APPEND);
        assertInvalidAt(N + 1, verifier(N, false).verify());
    }

    @Test
    void appendedLineWithAValidChainIsCaughtByTheStoresChangeLog() throws IOException {
        writeJournal(N);
        String prev = JournalLine.parse(lines().get(N - 1)).orElseThrow().hash();
        Files.writeString(journal(), JournalLine.append(record(N + 1), prev).text() + "\n", StandardOpenOption.APPEND);
        Verification verification = verifier(N, true).verify();
        assertInvalidAt(N + 1, verification);
        assertEquals("record 11 is not in the store's change log", verification.message());
    }

    @Test
    void garbageLineIsReported() throws IOException {
        writeJournal(N);
        editLine(3, text -> "{\"sequence\":3}");
        assertInvalidAt(3, verifier(N, false).verify());
    }

    @Test
    void crlfLineEndingsAreReportedAtTheFirstLine() throws IOException {
        writeJournal(N);
        Files.writeString(journal(), Files.readString(journal()).replace("\n", "\r\n"));
        assertInvalidAt(1, "line 1 ends in CR LF", verifier(N, true).verify());
    }

    @Test
    void trailingSpaceIsReported() throws IOException {
        writeJournal(N);
        editLine(4, text -> text + " ");
        assertInvalidAt(4, "line 4 has white space", verifier(N, true).verify());
    }

    @Test
    void byteOrderMarkIsReported() throws IOException {
        writeJournal(N);
        byte[] journal = Files.readAllBytes(journal());
        byte[] marked = new byte[journal.length + 3];
        marked[0] = (byte) 0xEF;
        marked[1] = (byte) 0xBB;
        marked[2] = (byte) 0xBF;
        System.arraycopy(journal, 0, marked, 3, journal.length);
        Files.write(journal(), marked);
        assertInvalidAt(1, "line 1 starts with a byte order mark", verifier(N, true).verify());
    }

    @Test
    void anotherEscapeOfTheSameJsonIsReportedEvenWithRecomputedHashes() throws IOException {
        writeJournal(N);
        editLine(3, text -> text.replace("\"user-3\"", "\"\\u0075ser-3\""));
        rechainFrom(3);
        // Without the store as witness only the form of the line gives the edit away.
        assertInvalidAt(3, "line 3 is not the canonical text of record 3: it is not written in canonical form",
                verifier(N, false).verify());
    }

    @Test
    void reorderedKeysAreReportedEvenWithRecomputedHashes() throws IOException {
        writeJournal(N);
        editLine(2, text -> text.replace("\"actor\":\"user-2\",\"action\":\"update\"",
                "\"action\":\"update\",\"actor\":\"user-2\""));
        rechainFrom(2);
        assertInvalidAt(2, "line 2 is not the canonical text of record 2: its fields are not exactly",
                verifier(N, false).verify());
    }

    @Test
    void nonCanonicalInstantIsReportedEvenWithRecomputedHashes() throws IOException {
        writeJournal(N);
        editLine(5, text -> text.replace("10:00:05Z", "10:00:05.000Z"));
        rechainFrom(5);
        assertInvalidAt(5, "time is not an ISO-8601 UTC instant", verifier(N, false).verify());
    }

    @Test
    void extraBlankLineIsReported() throws IOException {
        writeJournal(N);
        List<String> lines = lines();
        lines.add(5, "");
        writeLines(lines);
        assertInvalidAt(6, "line 6 is empty", verifier(N, true).verify());
    }

    @Test
    void completeLastRecordWithoutItsLineBreakIsReported() throws IOException {
        writeJournal(N);
        String journal = Files.readString(journal());
        Files.writeString(journal(), journal.substring(0, journal.length() - 1));
        assertInvalidAt(N, "line " + N + " is a complete record without the line break", verifier(N, true).verify());
    }

    @Test
    void lineBeingAppendedIsNotTheJournalsYet() throws IOException {
        writeJournal(N);
        String next = JournalLine.append(record(N + 1), JournalLine.parse(lines().get(N - 1)).orElseThrow().hash())
                .text();
        Files.writeString(journal(), next.substring(0, next.length() - 10), StandardOpenOption.APPEND);
        assertEquals(new Verification(true, N, null, N + " records intact and equal to the store's change log"),
                verifier(N, true).verify());
    }

    @Test
    void redeliveryIsIdempotentWithinARunAndAcrossARestart() throws IOException {
        JournalAuditSink sink = new JournalAuditSink(journal());
        deliver(sink, 1, 5);
        deliver(sink, 3, 7);
        sink.close();
        JournalAuditSink restarted = new JournalAuditSink(journal());
        deliver(restarted, 1, 8);
        restarted.close();

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L),
                lines().stream().map(l -> JournalLine.parse(l).orElseThrow().sequence()).toList());
        assertTrue(verifier(8, true).verify().valid());
    }

    @Test
    void recordAfterAGapIsStillWrittenAndTheVerifierReportsTheGap() throws IOException {
        JournalAuditSink sink = new JournalAuditSink(journal());
        deliver(sink, 1, 3);
        sink.deliver(record(5));
        sink.close();
        assertEquals(4, lines().size());
        assertInvalidAt(4, verifier(5, false).verify());
    }

    @Test
    void unfinishedLastLineFromACrashIsCutOffAndWrittenAgain() throws IOException {
        writeJournal(3);
        String fourth = JournalLine.append(record(4), JournalLine.parse(lines().get(2)).orElseThrow().hash()).text();
        Files.writeString(journal(), fourth.substring(0, 40), StandardOpenOption.APPEND);

        JournalAuditSink sink = new JournalAuditSink(journal());
        deliver(sink, 1, 4);
        sink.close();
        assertEquals(fourth, lines().get(3));
        assertTrue(verifier(4, true).verify().valid());
    }

    @Test
    void damagedLastLineStopsTheSinkFromStarting() throws IOException {
        writeJournal(3);
        Files.writeString(journal(), "tampered\n", StandardOpenOption.APPEND);
        assertThrows(IOException.class, () -> new JournalAuditSink(journal()));
    }

    @Test
    void missingJournalIsValidOnlyWhenNothingWasDelivered() {
        assertEquals(new Verification(true, 0, null, "0 records intact"), verifier(0, false).verify());
        Verification lost = verifier(2, false).verify();
        assertFalse(lost.valid());
        assertEquals(1L, lost.firstInvalidSequence());
    }

    private void assertInvalidAt(long sequence, String reason, Verification verification) {
        assertInvalidAt(sequence, verification);
        assertTrue(verification.message().startsWith(reason) || verification.message().contains(reason),
                verification.message());
    }

    private void assertInvalidAt(long sequence, Verification verification) {
        assertFalse(verification.valid(), verification.message());
        assertEquals(sequence, verification.firstInvalidSequence(), verification.message());
        assertTrue(verification.message() != null && !verification.message().isBlank());
    }

    private AuditRecord record(long sequence) {
        return new AuditRecord(sequence, Instant.parse("2026-11-26T10:00:00Z").plusSeconds(sequence),
                "user-" + sequence, sequence == 1 ? "create" : "update", "flag", "f" + (sequence % 3),
                sequence % 2 == 0 ? "production" : null, sequence,
                sequence == 1 ? null : "{\"on\":false,\"n\":" + (sequence - 1) + "}",
                "{\"on\":true,\"n\":" + sequence + ",\"note\":\"grüße\"}", "step " + sequence, "req-" + sequence);
    }

    private void writeJournal(int count) throws IOException {
        JournalAuditSink sink = new JournalAuditSink(journal());
        deliver(sink, 1, count);
        sink.close();
    }

    private void deliver(JournalAuditSink sink, long from, long to) throws IOException {
        for (long s = from; s <= to; s++) {
            AuditRecord record = record(s);
            if (committed.size() < s) {
                committed.add(record);
            }
            sink.deliver(record);
        }
    }

    private JournalVerifier verifier(long acknowledged, boolean withStore) {
        AuditDelivery delivery = () -> List.of(new SinkStatus("webhook", 999, 0, 0, null),
                new SinkStatus(JournalAuditSink.NAME, acknowledged, 0, 0, null));
        return new JournalVerifier(journal(), delivery, withStore ? new CommittedLog() : null);
    }

    private Path journal() {
        return data.resolve("audit").resolve("journal.jsonl");
    }

    private List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(journal()));
    }

    private void writeLines(List<String> lines) throws IOException {
        Files.write(journal(), lines);
    }

    private void editLine(long sequence, UnaryOperator<String> edit) throws IOException {
        List<String> lines = lines();
        int index = Math.toIntExact(sequence - 1);
        String edited = edit.apply(lines.get(index));
        assertFalse(edited.equals(lines.get(index)), "the edit changed nothing");
        lines.set(index, edited);
        writeLines(lines);
    }

    /** Recomputes the hash chain from line {@code sequence} on, as someone who edited the file would. */
    private void rechainFrom(long sequence) throws IOException {
        List<String> lines = lines();
        String prev = sequence == 1 ? JournalLine.GENESIS
                : JournalLine.parse(lines.get(Math.toIntExact(sequence - 2))).orElseThrow().hash();
        for (int i = Math.toIntExact(sequence - 1); i < lines.size(); i++) {
            JournalLine line = JournalLine.parse(lines.get(i)).orElseThrow();
            JournalLine rechained = new JournalLine(line.sequence(), line.canonical(), prev,
                    JournalLine.hash(prev, line.canonical()));
            lines.set(i, rechained.text());
            prev = rechained.hash();
        }
        writeLines(lines);
    }

    /** The records the test delivered, served as a store's change log; nothing else of a store is needed. */
    private final class CommittedLog implements Store {
        @Override
        public List<AuditRecord> changes(long afterSequence, int limit) {
            int from = (int) Math.min(Math.max(afterSequence, 0), committed.size()); // record s is at index s - 1
            return List.copyOf(committed.subList(from, Math.min(from + limit, committed.size())));
        }

        @Override
        public long lastSequence() {
            return committed.size();
        }

        @Override
        public Optional<Document> get(String kind, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Document> list(String kind) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Document> history(String kind, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Document> commit(List<Mutation> mutations) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AutoCloseable subscribe(ChangeListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
