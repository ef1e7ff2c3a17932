package io.ensign.itests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a crash torture run counted: acknowledged writes per kind, and each kind of finding (a lost acknowledged
 * write, a half-present one, a reused or receding sequence, an invalid journal, a streamed change that did not
 * survive, a killed run's copy of the SQLite native library left behind). Writers and checks count from several threads.
 */
final class TortureFigures {
    /** Findings: a run is clean when none of these was counted. */
    enum Finding {
        LOST("acknowledged writes lost"),
        HALF_PRESENT("unacknowledged writes half present"),
        CHANGE_LOG_RECORD_LOST("change-log records seen, then gone"),
        SEQUENCE_REUSED("sequences reused for another record"),
        SEQUENCE_BACK("restarts whose last sequence went back"),
        VERIFY_FAILED("rounds with audit verify not valid"),
        STREAM_GHOST("streamed changes missing after restart"),
        NATIVE_COPIES("restarts not finding exactly one SQLite native library copy in the data directory");

        final String label;

        Finding(String label) {
            this.label = label;
        }
    }

    private static final int DETAILS_KEPT = 50;

    private final Map<String, LongAdder> acknowledged = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> lostByKind = new ConcurrentSkipListMap<>();
    private final Map<Finding, LongAdder> findings = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> unexpected = new ConcurrentSkipListMap<>();
    private final List<String> details = new ArrayList<>();
    private int rounds;
    private int verifies;

    void acknowledged(String what) {
        acknowledged.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    void acknowledged(String what, long count) {
        acknowledged.computeIfAbsent(what, k -> new LongAdder()).add(count);
    }

    /** A response the load did not expect (not a finding about durability, but worth a look: e.g. a 5xx). */
    void unexpected(String what, int status, String body) {
        String key = what + " -> " + status;
        unexpected.computeIfAbsent(key, k -> new LongAdder()).increment();
        detail("unexpected " + key + ": " + body.substring(0, Math.min(200, body.length())));
    }

    void found(Finding finding, int round, String what) {
        findings.computeIfAbsent(finding, k -> new LongAdder()).increment();
        detail("round " + round + ": " + finding + " " + what);
    }

    /** A lost acknowledged write of {@code kind} (flag, segment, config, token, event batch...). */
    void lost(String kind, int round, String what) {
        lostByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        found(Finding.LOST, round, kind + " " + what);
    }

    void roundDone() {
        synchronized (this) {
            rounds++;
        }
    }

    synchronized int rounds() {
        return rounds;
    }

    synchronized void verified() {
        verifies++;
    }

    synchronized int verifies() {
        return verifies;
    }

    long count(Finding finding) {
        LongAdder adder = findings.get(finding);
        return adder == null ? 0 : adder.sum();
    }

    long acknowledgedCount(String what) {
        LongAdder adder = acknowledged.get(what);
        return adder == null ? 0 : adder.sum();
    }

    long totalFindings() {
        return findings.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private void detail(String line) {
        synchronized (details) {
            if (details.size() < DETAILS_KEPT) {
                details.add(line);
            }
        }
    }

    /** The run in a few lines: the figures docs/benchmarks.md reports, then the first findings in detail. */
    String summary() {
        StringBuilder b = new StringBuilder();
        b.append("rounds: ").append(rounds()).append('\n');
        b.append("audit verifies: ").append(verifies()).append('\n');
        b.append("acknowledged: ").append(sums(acknowledged)).append('\n');
        for (Finding finding : Finding.values()) {
            b.append(finding.label).append(": ").append(count(finding));
            if (finding == Finding.LOST && !lostByKind.isEmpty()) {
                b.append(' ').append(sums(lostByKind));
            }
            b.append('\n');
        }
        b.append("unexpected responses: ").append(unexpected.isEmpty() ? "none" : sums(unexpected)).append('\n');
        synchronized (details) {
            details.forEach(line -> b.append("  ").append(line).append('\n'));
        }
        return b.toString();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> sums = new TreeMap<>();
        counters.forEach((k, v) -> sums.put(k, v.sum()));
        return sums;
    }
}
