package io.ensign.client;

/** A listener's registration; closing it removes the listener. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
