package io.ensign.audit.journal.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/** Where the journal lives, and how to find its last complete line without reading it all. */
final class JournalFile {
    /** Framework property naming Ensign's data directory. */
    static final String DATA_PROPERTY = "ensign.data";
    private static final String DEFAULT_DATA_DIRECTORY = "./data";
    private static final int BLOCK = 8192;

    private JournalFile() {
    }

    /** {@code <data>/audit/journal.jsonl}. */
    static Path in(BundleContext context) {
        String data = context.getProperty(DATA_PROPERTY);
        return Path.of(data == null || data.isBlank() ? DEFAULT_DATA_DIRECTORY : data)
                .resolve("audit").resolve("journal.jsonl");
    }

    /** The length of the file up to and including its last line break: what holds complete lines only. */
    static long completeLength(FileChannel channel) throws IOException {
        return lastLineBreakBefore(channel, channel.size()) + 1;
    }

    /** The last complete line, without its line break; null when there is none. */
    static String lastLine(FileChannel channel) throws IOException {
        long end = completeLength(channel) - 1;
        if (end < 0) {
            return null;
        }
        long start = lastLineBreakBefore(channel, end) + 1;
        ByteBuffer line = ByteBuffer.allocate(Math.toIntExact(end - start));
        readFully(channel, line, start);
        return new String(line.array(), StandardCharsets.UTF_8);
    }

    /** The position of the last '\n' before {@code limit}, or -1. */
    private static long lastLineBreakBefore(FileChannel channel, long limit) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        long blockEnd = limit;
        while (blockEnd > 0) {
            long blockStart = Math.max(0, blockEnd - BLOCK);
            block.clear().limit(Math.toIntExact(blockEnd - blockStart));
            readFully(channel, block, blockStart);
            for (int i = block.position() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return blockStart + i;
                }
            }
            blockEnd = blockStart;
        }
        return -1;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the journal ended while it was being read");
            }
        }
    }
}
