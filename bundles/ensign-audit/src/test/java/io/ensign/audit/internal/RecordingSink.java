package io.ensign.audit.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.audit.AuditSink;

/** A sink that remembers what it acknowledged and when it was called; it can fail or hold on request. */
final class RecordingSink implements AuditSink {
    /** One call of deliver: the record's sequence and when the call began. */
    record Attempt(long sequence, long nanoTime) {
    }

    final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile long failFromSequence = Long.MAX_VALUE;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    /** Makes the next {@code count} calls throw. */
    RecordingSink failNext(int count) {
        failuresLeft.set(count);
        return this;
    }

    /** Makes every call with a record from {@code sequence} on throw. */
    RecordingSink failFrom(long sequence) {
        failFromSequence = sequence;
        return this;
    }

    /** Makes every call wait until {@link #open()}. */
    RecordingSink hold() {
        gate = new CountDownLatch(1);
        return this;
    }

    void open() {
        gate.countDown();
    }

    @Override
    public void deliver(AuditRecord record) throws Exception {
        attempts.add(new Attempt(record.sequence(), System.nanoTime()));
        if (!gate.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never opened the gate");
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || record.sequence() >= failFromSequence) {
            throw new IllegalStateException("refused " + record.sequence());
        }
        acknowledged.add(record.sequence());
    }
}
