package io.ensign.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * A JSON response body built once and served to many requests: its bytes, the same bytes gzipped, and its strong
 * ETag, all made when it is created. For documents that many clients fetch at once between changes (an SDK fleet
 * reconnecting after a deploy), so that a request costs a copy, not a rendering or a compression.
 */
public final class PreparedBody {
    private final byte[] json;
    private final byte[] gzipped;
    private final String etag;

    private PreparedBody(byte[] json, byte[] gzipped, String etag) {
        this.json = json;
        this.gzipped = gzipped;
        this.etag = etag;
    }

    /**
     * Prepares a body.
     *
     * @param json the UTF-8 JSON bytes (not copied: the caller must not change them)
     * @param etag the strong ETag, quoted, e.g. {@code "\"sync-42\""}
     */
    public static PreparedBody of(byte[] json, String etag) {
        if (etag == null || etag.length() < 2 || etag.charAt(0) != '"' || etag.charAt(etag.length() - 1) != '"') {
            throw new IllegalArgumentException("a strong ETag is a quoted string: " + etag);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, json.length / 4));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot gzip into memory", e);
        }
        return new PreparedBody(json, out.toByteArray(), etag);
    }

    /** The JSON bytes; not to be changed. */
    public byte[] json() {
        return json;
    }

    /** The JSON bytes gzipped; not to be changed. */
    public byte[] gzipped() {
        return gzipped;
    }

    /** The strong ETag, quoted. */
    public String etag() {
        return etag;
    }
}
