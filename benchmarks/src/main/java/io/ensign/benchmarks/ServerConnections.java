package io.ensign.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What connected SDKs cost a running server: the server's heap after a full collection (the Prometheus client's
 * {@code jvm_memory_used_bytes{area="heap"}} right after {@code jcmd <pid> GC.run}), its resident memory and its
 * threads, before and while {@code connections} SDK streams are open — each a socket on which
 * {@code GET /api/v1/stream?objects=true} with an sdk token was answered, as every Java client holds one. Then one
 * flag write, and every stream must deliver its event, so the connections counted were live.
 *
 * <p>Usage: {@code java -cp ... io.ensign.benchmarks.ServerConnections <baseUrl> <adminToken> <serverPid>
 * [connections=2000]}
 */
public final class ServerConnections {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerConnections() {
    }

    /** The server's memory and threads at one moment. */
    private record Footprint(double heapBytes, long residentBytes, long threads) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ServerConnections <baseUrl> <adminToken> <serverPid> [connections=2000]");
            System.exit(2);
        }
        URI base = URI.create(args[0]);
        String admin = args[1];
        long pid = Long.parseLong(args[2]);
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String sdk = JSON.readTree(AdminHttp.send(http, args[0], admin, "POST", "/api/v1/tokens",
                "{\"name\":\"connections\",\"role\":\"sdk\",\"environment\":\"production\"}")).path("token").asText();
        Footprint idle = footprint(http, args[0], admin, pid);

        List<Socket> sockets = new ArrayList<>();
        List<BufferedReader> readers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/stream?objects=true HTTP/1.1\r\nHost: " + base.getAuthority()
                    + "\r\nAuthorization: Bearer " + sdk + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String status = in.readLine();
            if (status == null || !status.contains(" 200 ")) {
                throw new IllegalStateException("stream " + i + " answered " + status);
            }
            readUntil(in, ": connected");
            sockets.add(socket);
            readers.add(in);
        }
        Footprint open = footprint(http, args[0], admin, pid);

        AdminHttp.send(http, args[0], admin, "PUT", "/api/v1/flags/connections-probe", "{\"type\":\"boolean\","
                + "\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}");
        int delivered = 0;
        for (BufferedReader in : readers) {
            readUntil(in, "event: flag");
            delivered++;
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        double perConnection = (open.heapBytes() - idle.heapBytes()) / connections;
        System.out.printf("streams %d (%d delivered the write): heap %.1f -> %.1f MB (%.1f kB per stream),"
                        + " resident %.1f -> %.1f MB (%.1f kB per stream), threads %d -> %d%n", connections, delivered,
                idle.heapBytes() / 1e6, open.heapBytes() / 1e6, perConnection / 1e3, idle.residentBytes() / 1e6,
                open.residentBytes() / 1e6, (open.residentBytes() - idle.residentBytes()) / 1e3 / connections,
                idle.threads(), open.threads());
    }

    private static void readUntil(BufferedReader in, String wanted) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals(wanted)) {
                return;
            }
        }
        throw new IOException("the stream ended before '" + wanted + "'");
    }

    private static Footprint footprint(HttpClient http, String base, String admin, long pid) throws Exception {
        Process gc = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        if (gc.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.run failed");
        }
        double heap = AdminHttp.send(http, base, admin, "GET", "/metrics", null).lines()
                .filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        long resident = 0;
        long threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                resident = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new Footprint(heap, resident, threads);
    }
}
