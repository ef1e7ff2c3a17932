package io.ensign.engine.stream.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;

import io.ensign.api.audit.AuditRecord;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * One subscriber's connection: a bounded outbox of frames written with non-blocking I/O, so a slow client costs
 * memory up to its bound and never a thread; when the bound is reached the stream is closed and the client
 * resumes with {@code Last-Event-ID}.
 *
 * <p>Resuming: the stream is registered for live events <em>before</em> it reads the change log, and holds live
 * events back while it replays. Replay reads pages after the last sequence it read until a page comes back short;
 * then the held-back events follow. Every event goes out only if its sequence is above the last one queued, so
 * an event both replayed and held back is sent once, and none committed after the registration can be missed.
 *
 * <p>All state is guarded by {@code this}; writes happen under the lock, which is cheap because they never block.
 */
final class EventStream implements WriteListener, AsyncListener {
    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());
    private static final byte[] OPENING = "retry: 2000\n: connected\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);
    /** Frames joined into one write at most; more wait for the next. */
    private static final int MAX_WRITE = 64 * 1024;

    /** What a stream needs from the broadcast it belongs to. */
    interface Owner {
        /** Reads the next page of the change log for this stream, later and on another thread. */
        void replayLater(EventStream stream);

        /** Forgets a stream that ended. */
        void ended(EventStream stream);

        /** Change events queued for this stream's client (heartbeats not counted). */
        void queued(int events);
    }

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final String environment;
    private final int capacity;
    private final Owner owner;
    private final Function<StreamEvent, byte[]> framing;
    private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    private final ArrayDeque<StreamEvent> heldBack = new ArrayDeque<>();
    private long lastQueued;
    private long replayCursor;
    private boolean replaying;
    private boolean replayRequested;
    private boolean unflushed;
    private boolean closed;

    /**
     * @param environment the environment whose changes it shows, null for every change
     * @param resumeAfter the sequence of the last event the client has, or -1 to start with live events
     * @param capacity    how many frames may wait for a slow client before the stream is closed
     * @param framing     an event's frame in this stream's format, null for an event the format does not show
     */
    EventStream(AsyncContext async, ServletOutputStream out, String environment, long resumeAfter, int capacity,
                Function<StreamEvent, byte[]> framing, Owner owner) {
        this.async = async;
        this.out = out;
        this.environment = environment;
        this.capacity = capacity;
        this.owner = owner;
        this.framing = framing;
        this.replaying = resumeAfter >= 0;
        this.replayCursor = Math.max(resumeAfter, 0);
        this.lastQueued = replayCursor;
        outbox.add(OPENING);
    }

    /** Starts writing; call after the stream is registered for live events. */
    void start() {
        async.addListener(this);
        out.setWriteListener(this);
    }

    /** A change just committed. */
    synchronized void live(StreamEvent event) {
        if (closed || !event.visibleIn(environment)) {
            return;
        }
        if (replaying) {
            if (heldBack.size() >= capacity) {
                overflow();
            } else {
                heldBack.add(event);
            }
            return;
        }
        if (event.sequence() > lastQueued) {
            lastQueued = event.sequence();
            byte[] frame = framing.apply(event);
            if (frame != null) {
                queueFrame(frame);
                owner.queued(1);
                drain();
            }
        }
    }

    /** Keeps the connection (and proxies) awake, and finds clients that went away. */
    synchronized void heartbeat() {
        if (!closed && outbox.isEmpty()) {
            queueFrame(HEARTBEAT);
            drain();
        }
    }

    /** Where the next replay page starts. */
    synchronized long replayCursor() {
        return replayCursor;
    }

    /**
     * A page of the change log read after {@link #replayCursor()}; a page shorter than asked means the log is read
     * to its end, and the held-back live events take over.
     */
    synchronized void replayed(List<AuditRecord> page, int pageSize) {
        replayRequested = false;
        if (closed) {
            return;
        }
        int queued = 0;
        for (AuditRecord record : page) {
            replayCursor = Math.max(replayCursor, record.sequence());
            StreamEvent event = StreamEvent.of(record);
            if (event != null && event.visibleIn(environment) && queueReplayed(event)) {
                queued++;
            }
        }
        if (page.size() < pageSize) {
            replaying = false;
            for (StreamEvent event : heldBack) {
                if (queueReplayed(event)) {
                    queued++;
                }
            }
            heldBack.clear();
        }
        if (queued > 0) {
            owner.queued(queued);
        }
        drain();
    }

    /**
     * Queues a replayed or held-back event unless an event at or after its sequence went out already; false when
     * nothing was queued (that, or the stream's format does not show it).
     */
    private boolean queueReplayed(StreamEvent event) {
        if (event.sequence() <= lastQueued) {
            return false;
        }
        lastQueued = event.sequence();
        byte[] frame = framing.apply(event);
        if (frame != null) {
            outbox.add(frame);
        }
        return frame != null;
    }

    /** The replay page could not be read: the client reconnects and tries again. */
    synchronized void replayFailed(RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot replay the change log for a stream; closing it", e);
        close();
    }

    private void queueFrame(byte[] frame) {
        if (outbox.size() >= capacity) {
            overflow();
        } else {
            outbox.add(frame);
        }
    }

    private void overflow() {
        LOG.log(System.Logger.Level.INFO, "a stream subscriber fell " + capacity
                + " events behind; closing its stream so that it resumes with Last-Event-ID");
        close();
    }

    /** Writes what the outbox holds for as long as the connection takes it without blocking. */
    private void drain() {
        try {
            while (!closed && out.isReady()) {
                if (!outbox.isEmpty()) {
                    out.write(takeFrames());
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush();
                } else {
                    if (replaying && !replayRequested) {
                        replayRequested = true;
                        owner.replayLater(this);
                    }
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            close();
        }
    }

    private byte[] takeFrames() {
        if (outbox.size() == 1) {
            return outbox.poll();
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream(Math.min(MAX_WRITE, outbox.size() * 128));
        while (!outbox.isEmpty() && (joined.size() == 0 || joined.size() + outbox.peek().length <= MAX_WRITE)) {
            joined.writeBytes(outbox.poll());
        }
        return joined.toByteArray();
    }

    /** Ends the response; the client sees the stream end and reconnects. */
    synchronized void close() {
        if (end()) {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // the container ended the request already
            }
        }
    }

    /** Marks the stream ended and forgets it; false when it had ended before. */
    private synchronized boolean end() {
        if (closed) {
            return false;
        }
        closed = true;
        outbox.clear();
        heldBack.clear();
        owner.ended(this);
        return true;
    }

    @Override
    public synchronized void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable failure) {
        end();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        end();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // a stream is started once
    }
}
