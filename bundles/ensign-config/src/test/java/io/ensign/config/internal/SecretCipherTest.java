package io.ensign.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
    @TempDir
    Path directory;

    @Test
    void sealingTheSameValueTwiceGivesDifferentCiphertextsThatBothOpen() {
        SecretCipher cipher = new SecretCipher(directory.resolve("secrets.key"));

        String first = cipher.seal("s3cret", "ns/k@*");
        String second = cipher.seal("s3cret", "ns/k@*");

        assertNotEquals(first, second);
        assertTrue(first.startsWith("v1:"));
        assertEquals("s3cret", cipher.open(first, "ns/k@*"));
        assertEquals("s3cret", cipher.open(second, "ns/k@*"));
    }

    @Test
    void aCiphertextDoesNotOpenForAnotherEntry() {
        SecretCipher cipher = new SecretCipher(directory.resolve("secrets.key"));
        String sealed = cipher.seal("s3cret", "ns/k@staging");

        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, "ns/k@production"));
    }

    @Test
    void aTamperedCiphertextDoesNotOpen() {
        SecretCipher cipher = new SecretCipher(directory.resolve("secrets.key"));
        byte[] bytes = Base64.getDecoder().decode(cipher.seal("s3cret", "ns/k@*").substring(3));
        bytes[bytes.length - 1] ^= 1;

        assertThrows(IllegalStateException.class,
                () -> cipher.open("v1:" + Base64.getEncoder().encodeToString(bytes), "ns/k@*"));
    }

    @Test
    void anotherKeyFileCannotOpenTheValue() {
        String sealed = new SecretCipher(directory.resolve("a.key")).seal("s3cret", "ns/k@*");

        assertThrows(IllegalStateException.class,
                () -> new SecretCipher(directory.resolve("b.key")).open(sealed, "ns/k@*"));
    }

    @Test
    void openingWithoutTheKeyFileFailsInsteadOfMakingANewKey() {
        String sealed = new SecretCipher(directory.resolve("a.key")).seal("s3cret", "ns/k@*");
        Path missing = directory.resolve("missing.key");

        assertThrows(IllegalStateException.class, () -> new SecretCipher(missing).open(sealed, "ns/k@*"));
        assertTrue(Files.notExists(missing));
    }
}
