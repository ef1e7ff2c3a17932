package io.ensign.validation.internal;

import static io.ensign.validation.internal.Changes.config;
import static io.ensign.validation.internal.Changes.entry;
import static io.ensign.validation.internal.Changes.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.ensign.api.validation.Change;
import io.ensign.api.validation.Violation;

import org.junit.jupiter.api.Test;

class SecretDetectionRuleTest {
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----";
    private static final String AWS_KEY_ID = "AKIA" + "IOSFODNN7EXAMPLE";
    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private final SecretDetectionRule rule = new SecretDetectionRule();
    private final Random random = new Random(20261126);

    private String randomText(String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String jwt() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes()) + "."
                + url.encodeToString("{\"sub\":\"1234567890\",\"name\":\"Ada\"}".getBytes()) + ".c2lnbmF0dXJl";
    }

    private List<Violation> configValue(Object value) {
        return rule.validate(config(null, entry(value)));
    }

    /** Asserts exactly one violation at the pointer, naming the kind, and never echoing the secret. */
    private static void assertSecret(List<Violation> violations, String field, String kind, String secret) {
        assertEquals(1, violations.size(), violations.toString());
        Violation v = violations.get(0);
        assertEquals("secret-detection", v.rule());
        assertEquals(field, v.field());
        assertEquals(Violation.Severity.ERROR, v.severity());
        assertTrue(v.message().contains(kind), v.message());
        assertNeverEchoes(v, secret);
    }

    private static void assertNeverEchoes(Violation v, String secret) {
        for (int i = 0; i + 6 <= secret.length(); i++) {
            String piece = secret.substring(i, i + 6);
            if (piece.chars().allMatch(Character::isLetterOrDigit)) {
                assertFalse(v.message().contains(piece), "message echoes part of the secret: " + v.message());
            }
        }
    }

    @Test
    void pemPrivateKeyIsRefused() {
        assertSecret(configValue(PEM), "/value", "PEM private key", PEM);
        String openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----";
        assertSecret(configValue(openssh), "/value", "PEM private key", openssh);
    }

    @Test
    void pemCertificateIsNoSecret() {
        assertEquals(List.of(), configValue("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----"));
    }

    @Test
    void awsAccessKeyIdAndTheSecretKeyBesideItAreRefused() {
        List<Violation> violations = configValue(object("accessKeyId", AWS_KEY_ID, "key", AWS_SECRET, "region", "eu-west-1"));
        assertEquals(2, violations.size(), violations.toString());
        assertSecret(violations.subList(0, 1), "/value/accessKeyId", "AWS access key id", AWS_KEY_ID);
        assertSecret(violations.subList(1, 2), "/value/key", "AWS secret access key", AWS_SECRET);
        assertSecret(configValue("ASIA" + "XXXXXXXXXXXX2345"), "/value", "AWS access key id", "ASIAXXXXXXXXXXXX2345");
    }

    @Test
    void fortyCharacterBase64AloneIsNoAwsSecret() {
        String shaLike = "0123456789abcdef0123456789abcdef01234567";
        assertEquals(List.of(), configValue(object("commit", shaLike, "region", "eu-west-1")));
    }

    @Test
    void gcpServiceAccountKeyIsRefusedAsJsonAndAsText() {
        Map<String, Object> account = object("type", "service_account", "project_id", "demo",
                "private_key_id", "abc", "private_key", "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n",
                "client_email", "svc@demo.iam.gserviceaccount.com");
        assertSecret(configValue(account), "/value/private_key", "GCP service account key", "MIIEvQ");
        String text = "{\n  \"type\": \"service_account\",\n  \"private_key\": \"redacted-in-test\"\n}";
        assertSecret(configValue(text), "/value", "GCP service account key", "redacted-in-test");
    }

    @Test
    void slackAndGithubTokensAreRefused() {
        String slack = "xoxb-" + "123456789012-abcdefABCDEF";
        String classic = "ghp_" + randomText(ALPHANUMERIC, 36);
        String fineGrained = "github_pat_" + randomText(ALPHANUMERIC, 22) + "_" + randomText(ALPHANUMERIC, 59);
        assertSecret(configValue(slack), "/value", "Slack token", slack);
        assertSecret(configValue("token " + classic), "/value", "GitHub token", classic);
        assertSecret(configValue(fineGrained), "/value", "GitHub token", fineGrained);
        for (String prefix : List.of("gho_", "ghs_")) {
            String token = prefix + randomText(ALPHANUMERIC, 36);
            assertSecret(configValue(token), "/value", "GitHub token", token);
        }
    }

    @Test
    void jwtIsRefused() {
        String token = jwt();
        assertSecret(configValue("Bearer " + token), "/value", "JSON Web Token", token);
    }

    @Test
    void passwordAssignmentsInTextAreRefused() {
        assertSecret(configValue("jdbc:postgresql://db:5432/app?user=app&password=hunter2hunter"), "/value",
                "password", "hunter2hunter");
        assertSecret(configValue("{\"user\": \"app\", \"password\": \"hunter2hunter\"}"), "/value", "password",
                "hunter2hunter");
        assertSecret(configValue("DB_PASSWORD=s3cr3tpass"), "/value", "password", "s3cr3tpass");
    }

    @Test
    void credentialNamedMembersWithValuesAreRefusedWherever() {
        List<Violation> violations = configValue(object("db", object("user", "app", "password", "hunter2hunter"),
                "smtp", List.of(object("clientSecret", "abcdefghij"))));
        assertEquals(List.of("/value/db/password", "/value/smtp/0/clientSecret"),
                violations.stream().map(Violation::field).toList());
        violations.forEach(v -> assertNeverEchoes(v, "hunter2hunter"));
        violations.forEach(v -> assertNeverEchoes(v, "abcdefghij"));
    }

    @Test
    void emptyMaskedOrReferencedPasswordsAreNoSecrets() {
        assertEquals(List.of(), configValue(object("password", "", "dbPassword", "********",
                "smtp_password", "${SMTP_PASSWORD}", "apiKey", "{{ api_key }}", "pwd", "null")));
        assertEquals(List.of(), configValue("password="));
        assertEquals(List.of(), configValue("passwordless=true"));
        assertEquals(List.of(), configValue(object("password", 12345L, "passwordMinLength", 12L)));
    }

    @Test
    void urlWithPasswordIsRefused() {
        assertSecret(configValue("redis://default:hunter2hunter@cache:6379/0"), "/value", "URL with a password",
                "hunter2hunter");
    }

    @Test
    void highEntropyStringsAreRefused() {
        for (int i = 0; i < 20; i++) {
            String key = randomText(ALPHANUMERIC, 40);
            assertSecret(configValue(key), "/value", "high-entropy", key);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String base64 = Base64.getEncoder().encodeToString(bytes);
        assertSecret(configValue("key: " + base64), "/value", "high-entropy", base64);
        String apiKey = randomText(ALPHANUMERIC, 48);
        assertSecret(configValue("https://api.example.com/v1/items?api_key=" + apiKey), "/value", "high-entropy",
                apiKey);
    }

    @Test
    void uuidsHashesUrlsAndProseAreNoSecrets() {
        for (int i = 0; i < 20; i++) {
            assertEquals(List.of(), configValue(UUID.randomUUID().toString()));
            assertEquals(List.of(), configValue(UUID.randomUUID().toString().toUpperCase().replace("-", "")));
            assertEquals(List.of(), configValue("ids " + UUID.randomUUID() + "," + UUID.randomUUID()));
        }
        assertEquals(List.of(), configValue(randomText("0123456789abcdef", 64)), "a SHA-256 in hex");
        assertEquals(List.of(), configValue(List.of(
                "https://cdn.example.com/assets/2026/11/checkout-v2/Background-Image-Large@2x.png?v=20261126&w=1920",
                "https://accounts.example.com/oauth2/authorize?client_id=ensign-console&response_type=code",
                "https://user@example.com/path",
                "ThisIsAVeryLongCamelCaseIdentifierForTheCheckoutPage2026",
                "io.ensign.validation.internal.SecretDetectionRuleTest",
                "The quick brown fox jumps over the lazy dog, again and again, 2026 times.",
                "/var/lib/ensign/data/journal/segment-000000000042.log",
                "max_connections_per_host_for_the_checkout_service_v2")));
    }

    @Test
    void secretConfigEntriesAreExempt() {
        assertEquals(List.of(), rule.validate(config(null, object("value", PEM, "secret", true))));
        assertEquals(1, rule.validate(config(null, object("value", PEM, "secret", "true"))).size());
    }

    @Test
    void flagVariantValuesAreScanned() {
        Map<String, Object> flag = object("key", "checkout", "description", "about passwords",
                "variants", object("on", object("endpoint", "https://api.example.com", "token", jwt()), "off", false));
        Change change = new Change("flag", "checkout", null, null, flag, "alice", null);
        List<Violation> violations = rule.validate(change);
        assertEquals(List.of("/variants/on/token"), violations.stream().map(Violation::field).toList());
        assertTrue(violations.get(0).message().contains("flag"), violations.get(0).message());
    }

    @Test
    void flagWithoutSecretsPasses() {
        Map<String, Object> flag = object("key", "checkout", "variants", object("on", true, "off", false));
        assertEquals(List.of(), rule.validate(new Change("flag", "checkout", null, null, flag, "alice", null)));
    }

    @Test
    void oddShapesGiveNoViolation() {
        assertEquals(List.of(), rule.validate(config(null, null)));
        assertEquals(List.of(), rule.validate(config(null, PEM)));
        assertEquals(List.of(), rule.validate(new Change("flag", "f", null, null, object("variants", PEM), "a", null)));
        assertEquals(List.of(), configValue(object("x", new Object(), "y", List.of(1L, 2.5, true))));
        assertEquals(List.of(), rule.validate(new Change("segment", "s", null, null, object("value", PEM), "a", null)));
    }

    @Test
    void deeplyNestedValuesDoNotOverflowTheStack() {
        Object value = PEM;
        for (int i = 0; i < 10_000; i++) {
            value = List.of(value);
        }
        assertEquals(List.of(), configValue(value));
    }
}
