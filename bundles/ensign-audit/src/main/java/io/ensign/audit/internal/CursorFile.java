package io.ensign.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The sequence of the last record one sink acknowledged, as decimal text in a file of its own. It lives outside
 * the store on purpose: saving it through the store would itself write an audit record.
 */
final class CursorFile implements FeedCursor {
    private final Path file;

    CursorFile(Path directory, String sinkName) {
        this.file = directory.resolve(fileName(sinkName));
    }

    /** A file name for any sink name: letters, digits, '-' and '_' stay, every other byte becomes %XX. */
    static String fileName(String sinkName) {
        StringBuilder name = new StringBuilder();
        for (byte b : sinkName.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return name.toString();
    }

    Path path() {
        return file;
    }

    /** The saved sequence; 0 when the sink has never acknowledged anything. */
    @Override
    public long read() throws IOException {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (NumberFormatException e) {
            throw new IOException("the cursor file " + file + " does not hold a sequence number", e);
        }
    }

    /** Replaces the saved sequence atomically: a crash leaves either the old or the new value, never a torn one. */
    @Override
    public void write(long sequence) throws IOException {
        Path directory = file.getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap((sequence + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(directory);
    }

    /** Once per batch: a file's save is an fsync, and the journal and webhooks deduplicate a redelivered batch. */
    @Override
    public boolean savedEachRecord() {
        return false;
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, and there the rename must do. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not supported here (e.g. Windows): the atomic rename still never leaves a torn cursor.
        }
    }
}
