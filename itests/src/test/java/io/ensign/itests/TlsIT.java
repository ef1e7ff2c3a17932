package io.ensign.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS as an operator sets it up, on the real server process: keystores made by keytool, the shipped
 * {@code org.apache.felix.http.cfg.example} settings written into conf/ of a running server. The server's own port
 * turns to HTTPS; a keystore replaced on disk is served to new connections without a restart; forwarding headers
 * count only from a trusted proxy (seen through the metrics' address allow-list); and with plain HTTP kept on a
 * second port, it redirects to HTTPS with 308.
 */
class TlsIT {
    private static final String PASSWORD = "it-secret";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** Kept when the test fails: the server's log is there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void httpsOnTheServersPortReloadsItsKeystoreTrustsOnlyItsProxiesAndRedirectsPlainHttp() throws Exception {
        Path home = ServerProcess.copyOfDistribution(work.resolve("ensign"));
        Path conf = home.resolve("conf");
        Path first = keystore(work.resolve("first.p12"), "first.ensign.test");
        Path second = keystore(work.resolve("second.p12"), "second.ensign.test");
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (ServerProcess server = ServerProcess.start(home, Files.createDirectories(work.resolve("data")),
                work.resolve("server.log"), plain)) {
            HttpDriver http = server.driver().awaitReady();
            String metrics = http.token("metrics", null);
            URI base = server.uri("/");
            URI secure = URI.create("https://127.0.0.1:" + base.getPort());
            String felix = Files.readString(conf.resolve("org.apache.felix.http.cfg.example"))
                    .replace("${ensign.home}/conf/server.p12", conf.resolve("server.p12").toString().replace('\\', '/'))
                    .replace("= secret", "= " + PASSWORD);
            place(first, conf.resolve("server.p12"));
            write(conf.resolve("org.apache.felix.http.cfg"), felix);

            HttpClient tls = client(first, second);
            HttpResponse<String> ready = await(tls, secure.resolve("/health/ready"), r -> r.statusCode() == 200);
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("CN=first.ensign.test", subject(ready));

            place(second, conf.resolve("server.p12"));
            HttpResponse<String> reloaded = await(() -> client(first, second), secure.resolve("/health/live"),
                    r -> subject(r).equals("CN=second.ensign.test"));
            assertEquals("CN=second.ensign.test", subject(reloaded), "a new connection after the keystore changed");

            write(conf.resolve("io.ensign.metrics.config"), "allowedAddresses = [\"203.0.113.7\"]\n");
            HttpRequest forwarded = HttpRequest.newBuilder(secure.resolve("/metrics")).header("Authorization",
                    "Bearer " + metrics).header("X-Forwarded-For", "203.0.113.7").GET().build();
            HttpResponse<String> untrusted = awaitSend(tls, forwarded, r -> r.statusCode() == 403);
            assertEquals(403, untrusted.statusCode(), "X-Forwarded-For from an untrusted address: " + untrusted.body());
            write(conf.resolve("io.ensign.http.server.cfg"), "trustedProxies = 127.0.0.1\n");
            HttpResponse<String> trusted = awaitSend(tls, forwarded, r -> r.statusCode() == 200);
            assertEquals(200, trusted.statusCode(), "X-Forwarded-For from a trusted proxy: " + trusted.body());

            int plainPort = EnsignConfiguration.freePort();
            write(conf.resolve("io.ensign.http.server.cfg"), "redirectToHttpsPort = " + base.getPort() + "\n");
            write(conf.resolve("org.apache.felix.http.cfg"), felix.replace("org.apache.felix.http.enable = false",
                    "org.apache.felix.http.enable = true\norg.osgi.service.http.port = " + plainPort));
            HttpRequest insecure = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plainPort
                    + "/api/v1/flags?x=1")).timeout(Duration.ofSeconds(5)).GET().build();
            HttpResponse<String> redirect = awaitSend(plain, insecure, r -> r.statusCode() == 308);
            assertEquals(308, redirect.statusCode(), redirect.body());
            assertEquals(secure + "/api/v1/flags?x=1", redirect.headers().firstValue("Location").orElse(""));
            assertEquals(200, await(tls, secure.resolve("/health/live"), r -> r.statusCode() == 200).statusCode(),
                    "HTTPS keeps answering beside the redirect");
        }
    }

    /** A PKCS#12 keystore with a new EC key and a self-signed certificate for 127.0.0.1, made by keytool. */
    private static Path keystore(Path file, String name) throws IOException, InterruptedException {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD, "-alias", "ensign", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1", "-validity", "2")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);
        return file;
    }

    /** A client that trusts the certificates of these keystores only. */
    private static HttpClient client(Path... keystores) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (Path file : keystores) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(file)) {
                    store.load(in, PASSWORD.toCharArray());
                }
                trusted.setCertificateEntry(file.getFileName().toString(), store.getCertificate("ensign"));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(2)).build();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(HttpResponse<?> response) {
        List<Certificate> chain = response.sslSession().map(s -> {
            try {
                return List.of(s.getPeerCertificates());
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                return List.<Certificate>of();
            }
        }).orElse(List.of());
        return chain.isEmpty() ? "" : ((X509Certificate) chain.get(0)).getSubjectX500Principal().getName();
    }

    private static HttpResponse<String> await(HttpClient client, URI uri, Predicate<HttpResponse<String>> done)
            throws InterruptedException {
        return await(() -> client, uri, done);
    }

    private static HttpResponse<String> await(Supplier<HttpClient> clients, URI uri,
                                              Predicate<HttpResponse<String>> done) throws InterruptedException {
        return awaitSend(clients, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(), done);
    }

    private static HttpResponse<String> awaitSend(HttpClient client, HttpRequest request,
                                                  Predicate<HttpResponse<String>> done) throws InterruptedException {
        return awaitSend(() -> client, request, done);
    }

    /** Sends {@code request} with a client from {@code clients} until the answer is {@code done} or time runs out. */
    private static HttpResponse<String> awaitSend(Supplier<HttpClient> clients, HttpRequest request,
                                                  Predicate<HttpResponse<String>> done) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = clients.get().send(request, HttpResponse.BodyHandlers.ofString());
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException notYet) {
                // the web server restarts with its new settings, or is not there yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no answer to " + request.uri() + " as awaited; the last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    /** Replaces {@code target} with {@code source} at once, as an operator's {@code mv} does. */
    private static void place(Path source, Path target) throws IOException {
        Path copy = Files.copy(source, target.resolveSibling(target.getFileName() + ".new"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(copy, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes a conf/ file at once (FileInstall skips the .tmp), so it never reads half of it. */
    static void write(Path file, String content) throws IOException {
        Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
