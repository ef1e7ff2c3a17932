package io.ensign.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Makes token secrets and ids, and hashes and compares secrets. Thread-safe. */
public final class TokenSecrets {
    /** Every secret starts with this, so leaked secrets are easy to find with a scanner. */
    public static final String SECRET_PREFIX = "ens_";
    private static final int SECRET_BYTES = 32;
    private static final int ID_BYTES = 9;

    private final SecureRandom random = new SecureRandom();

    /** A new secret: the prefix and 256 random bits, base64url. */
    public String newSecret() {
        return SECRET_PREFIX + randomText(SECRET_BYTES);
    }

    /** A new token id; not secret, only unique. */
    public String newId() {
        return "tok_" + randomText(ID_BYTES);
    }

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Lowercase hex SHA-256 of a secret's UTF-8 bytes. */
    public static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The proof part of a ticket: HMAC-SHA256 of the purpose keyed by the token's secret hash, base64url. Only the
     * server (or whoever reads the token store) can make it; it proves nothing beyond that one purpose.
     */
    public static String ticketProof(String tokenHash, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(tokenHash.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            byte[] proof = mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(proof);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean sameHash(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
