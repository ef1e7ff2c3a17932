package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request refused before its body is read (no token, no route) still gets its answer when the client is slow to
 * send the body: the server reads the rest of it (up to the body limit) before answering, instead of closing on
 * unread bytes, which makes the kernel reset the connection and the client lose the answer.
 */
class RefusedBodyTest {
    private static final int PARTS = 8;
    /** The largest body the harness takes, sent in {@value #PARTS} parts. */
    private static final int PART = ApiHarness.MAX_BODY / PARTS;

    private ApiHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = ApiHarness.start();
        harness.add(new NotesResource(harness.store));
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    /**
     * Sends the body in parts with pauses between them, then reads the answer's status line. Against a server that
     * answers and closes after the first part, the next part is answered with a reset and a later one fails to be
     * sent (broken pipe).
     */
    private String statusLineOfSlowRequest(String method, String path, String token) throws Exception {
        byte[] part = new byte[PART];
        Arrays.fill(part, (byte) ' ');
        try (Socket socket = new Socket("127.0.0.1", harness.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Content-Length: " + PARTS * PART + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < PARTS; i++) {
                out.write(part);
                out.flush();
                Thread.sleep(100);
            }
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    @Test
    void aRequestWithoutATokenGets401AfterItsWholeBody() throws Exception {
        String status = statusLineOfSlowRequest("PUT", "/api/v1/notes/n1", null);
        assertTrue(status.startsWith("HTTP/1.1 401"), status);
    }

    @Test
    void aRequestToNoRouteOrTheWrongMethodGets404Or405AfterItsWholeBody() throws Exception {
        String unknown = statusLineOfSlowRequest("PUT", "/api/v1/nothing-here", ApiHarness.ADMIN_SECRET);
        String method = statusLineOfSlowRequest("POST", "/api/v1/notes", ApiHarness.ADMIN_SECRET);
        assertTrue(unknown.startsWith("HTTP/1.1 404"), unknown);
        assertTrue(method.startsWith("HTTP/1.1 405"), method);
    }
}
