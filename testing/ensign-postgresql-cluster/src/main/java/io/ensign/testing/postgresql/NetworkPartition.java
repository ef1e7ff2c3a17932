package io.ensign.testing.postgresql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a free loopback port in front of a server, which can cut the network between its clients and the
 * server the way a partition does: while {@linkplain #partition() partitioned} no byte passes in either direction and
 * no connection is refused or reset — new connections are accepted and hang, bytes sent wait in the sockets' buffers,
 * and neither side hears anything — so a client notices only through its own time-outs. {@linkplain #heal() Healing}
 * lets the waiting bytes through in order, as TCP retransmission would after a real partition; connections either
 * side closed meanwhile are closed on the other side too.
 */
public final class NetworkPartition implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;

    private final InetSocketAddress target;
    private final ServerSocket listening;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean partitioned;
    private volatile boolean closed;

    /** Starts relaying to {@code port} on 127.0.0.1. */
    public NetworkPartition(int port) {
        target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("ensign-partition-accept", this::accept).start();
    }

    /** The relay's port on 127.0.0.1: connect here instead of to the server. */
    public int port() {
        return listening.getLocalPort();
    }

    /** Cuts the network: from now on nothing passes until {@link #heal()}. */
    public void partition() {
        synchronized (gate) {
            partitioned = true;
        }
    }

    /** Joins the network again: what waited passes, in order. */
    public void heal() {
        synchronized (gate) {
            partitioned = false;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(client);
            daemon("ensign-partition-connect", () -> connect(client)).start();
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        sockets.add(server);
        try {
            awaitHealed();
            server.connect(target);
        } catch (IOException e) {
            closeBoth(client, server);
            return;
        }
        daemon("ensign-partition-up", () -> relay(client, server)).start();
        daemon("ensign-partition-down", () -> relay(server, client)).start();
    }

    /**
     * Copies {@code from} to {@code to} while healed; an end or failure of either closes both, once healed, so not
     * even a closed connection is heard across the partition.
     */
    private void relay(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                awaitHealed();
                int read = in.read(buffer);
                awaitHealed();
                if (read < 0) {
                    break;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // the connection ended or the relay closed; the other side learns it below
        } finally {
            holdWhilePartitioned();
            closeBoth(from, to);
        }
    }

    private void awaitHealed() throws IOException {
        if (!holdWhilePartitioned() || closed) {
            throw new IOException("the relay is closed");
        }
    }

    /** Waits while partitioned; false when interrupted. */
    private boolean holdWhilePartitioned() {
        synchronized (gate) {
            while (partitioned && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void closeBoth(Socket a, Socket b) {
        close(a);
        close(b);
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Stops relaying and closes every connection. */
    @Override
    public void close() {
        closed = true;
        heal();
        try {
            listening.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(this::close);
    }
}
