package io.ensign.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests java.net.http refuses to send (bad encodings, control characters,
 * oversized or duplicated headers, a wrong version): the bytes go out as given, with {@code Connection: close}.
 */
final class RawHttp {
    /** A response as read off the wire. */
    record Response(int status, String head, String body) {
        /** A header's value, or "" (the first of that name). */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return "";
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method target HTTP/1.1}, a Host header, the given header lines (each without its CRLF) and the
     * body, and reads the response until the server closes the connection.
     */
    static Response send(URI server, String method, String target, String body, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHost()).append(':').append(server.getPort()).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        bytes.write(content);
        return exchange(server, bytes.toByteArray());
    }

    /** Sends the bytes as they are and reads the response until the server closes the connection. */
    static Response exchange(URI server, byte[] request) throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            String text = readAll(socket.getInputStream());
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IOException("not an HTTP response: " + text);
            }
            return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(0, end),
                    text.substring(end + 4));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("the server neither answered nor closed within 10 s: "
                    + out.toString(StandardCharsets.UTF_8), e);
        } catch (java.net.SocketException reset) {
            // a server that answers and closes at once may reset the connection; what was read is the response
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
