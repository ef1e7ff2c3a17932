package io.ensign.engine.stream.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.ensign.api.audit.AuditRecord;
import io.ensign.api.metrics.ServerMetrics;
import io.ensign.api.store.Store;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;

/**
 * One store subscription fanned out to every open stream. The store's listener only hands the change to one
 * dispatch thread, so commits never wait for subscribers; that thread offers it to each stream, whose writes never
 * block. A second thread sends heartbeats and reads replay pages from the change log.
 */
final class ChangeBroadcast implements EventStream.Owner, AutoCloseable {
    /** Change log records read per replay page. */
    static final int REPLAY_PAGE = 500;
    private static final System.Logger LOG = System.getLogger(ChangeBroadcast.class.getName());
    private static final long TICK_MILLIS = 1000;

    private final Store store;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(named("ensign-stream-dispatch"));
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
            named("ensign-stream-background"));
    private final AutoCloseable subscription;
    private volatile long heartbeatMillis;
    /** Where subscriber counts and events sent are reported; null while no metrics bundle is there. */
    private final AtomicReference<ServerMetrics> metrics = new AtomicReference<>();
    private long lastHeartbeat = System.currentTimeMillis();

    ChangeBroadcast(Store store, long heartbeatMillis) {
        this.store = store;
        this.heartbeatMillis = heartbeatMillis;
        this.subscription = store.subscribe(this::committed);
        background.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void heartbeatMillis(long millis) {
        this.heartbeatMillis = millis;
    }

    /** Where the number of subscribers and of events sent is reported; told the number open at once. */
    void metrics(ServerMetrics recorder) {
        metrics.set(recorder);
        recorder.streamSubscribers(streams.size());
    }

    /** Stops reporting to a recorder that is going away (a replacement may be bound already). */
    void forgetMetrics(ServerMetrics recorder) {
        metrics.compareAndSet(recorder, null);
    }

    private void subscribersChanged() {
        ServerMetrics recorder = metrics.get();
        if (recorder != null) {
            recorder.streamSubscribers(streams.size());
        }
    }

    /** How many streams are open. */
    int size() {
        return streams.size();
    }

    /**
     * Opens a stream on a request switched to async mode.
     *
     * @param environment the environment to show, null for every change
     * @param resumeAfter the last sequence the client has, -1 for live events only
     * @param framing     an event's frame in the stream's format, null for events it does not show
     */
    EventStream open(AsyncContext async, ServletOutputStream out, String environment, long resumeAfter,
                     int capacity, Function<StreamEvent, byte[]> framing) {
        EventStream stream = new EventStream(async, out, environment, resumeAfter, capacity, framing, this);
        // Registered before anything is read from the change log, so no later commit can fall between the two.
        streams.add(stream);
        subscribersChanged();
        stream.start();
        return stream;
    }

    private void committed(AuditRecord record) {
        StreamEvent event = StreamEvent.of(record);
        if (event != null) {
            try {
                dispatcher.execute(() -> streams.forEach(stream -> stream.live(event)));
            } catch (RejectedExecutionException e) {
                // closing: the streams are being ended anyway
            }
        }
    }

    @Override
    public void replayLater(EventStream stream) {
        try {
            background.execute(() -> {
                try {
                    List<AuditRecord> page = store.changes(stream.replayCursor(), REPLAY_PAGE);
                    stream.replayed(page, REPLAY_PAGE);
                } catch (RuntimeException e) {
                    stream.replayFailed(e);
                }
            });
        } catch (RejectedExecutionException e) {
            stream.close();
        }
    }

    @Override
    public void ended(EventStream stream) {
        if (streams.remove(stream)) {
            subscribersChanged();
        }
    }

    @Override
    public void queued(int events) {
        ServerMetrics recorder = metrics.get();
        if (recorder != null) {
            recorder.streamEventsSent(events);
        }
    }

    private void tick() {
        long now = System.currentTimeMillis();
        if (now - lastHeartbeat >= heartbeatMillis) {
            lastHeartbeat = now;
            try {
                dispatcher.execute(() -> streams.forEach(EventStream::heartbeat));
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Ends every stream (clients reconnect elsewhere or later) and stops the threads. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "cannot unsubscribe the streams from the store", e);
        }
        dispatcher.shutdown();
        background.shutdown();
        streams.forEach(EventStream::close);
    }

    private static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
