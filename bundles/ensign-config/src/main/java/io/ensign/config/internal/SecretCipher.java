package io.ensign.config.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secret values with AES-256-GCM under one key kept in a file readable by its owner only. Each value
 * gets a fresh random nonce, and the entry's store key is bound in as associated data, so a ciphertext copied
 * into another entry does not decrypt. The sealed form is {@code v1:<base64(nonce || ciphertext+tag)>}.
 *
 * <p>The key is read, or generated, on first use, so a server that never stores a secret never writes the file.
 */
final class SecretCipher {
    private static final System.Logger LOG = System.getLogger(SecretCipher.class.getName());
    private static final String FORMAT = "v1:";
    private static final String ALGORITHM = "AES";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path keyFile;
    private final SecureRandom random = new SecureRandom();
    /** Guarded by this; null until the first secret is sealed or opened. */
    private SecretKey key;

    SecretCipher(Path keyFile) {
        this.keyFile = keyFile;
    }

    /** The sealed form of {@code plaintext}, bound to {@code context}. */
    String seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, nonce, context, plaintext.getBytes(StandardCharsets.UTF_8));
        ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
        return FORMAT + Base64.getEncoder().encodeToString(out.array());
    }

    /** The plaintext of a sealed value; throws when it was not sealed with this key and context. */
    String open(String sealed, String context) {
        if (sealed == null || !sealed.startsWith(FORMAT)) {
            throw new IllegalStateException("secret value of '" + context + "' is not in the " + FORMAT + " format");
        }
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(FORMAT.length()));
        if (bytes.length <= NONCE_BYTES) {
            throw new IllegalStateException("secret value of '" + context + "' is truncated");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] body = new byte[in.remaining()];
        in.get(body);
        return new String(run(Cipher.DECRYPT_MODE, nonce, context, body), StandardCharsets.UTF_8);
    }

    private byte[] run(int mode, byte[] nonce, String context, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secret value of '" + context + "' cannot be "
                    + (mode == Cipher.ENCRYPT_MODE ? "encrypted" : "decrypted with the key in " + keyFile), e);
        }
    }

    private synchronized SecretKey key() {
        if (key == null) {
            key = new SecretKeySpec(Files.exists(keyFile) ? readKey() : createKey(), ALGORITHM);
        }
        return key;
    }

    private byte[] readKey() {
        try {
            warnIfShared();
            byte[] bytes = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).strip());
            if (bytes.length != KEY_BYTES) {
                throw new IllegalStateException(keyFile + " does not hold a " + KEY_BYTES * 8 + "-bit key");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secrets key " + keyFile, e);
        }
    }

    /** Creates the file with mode 0600 from the start, so the key is never briefly readable by others. */
    private byte[] createKey() {
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        try {
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            try {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(keyFile);
            }
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
            LOG.log(System.Logger.Level.INFO, "generated the key for secret configuration values in " + keyFile);
            return bytes;
        } catch (FileAlreadyExistsException raced) {
            return readKey();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the secrets key " + keyFile, e);
        }
    }

    private void warnIfShared() throws IOException {
        try {
            if (!OWNER_ONLY.containsAll(Files.getPosixFilePermissions(keyFile))) {
                LOG.log(System.Logger.Level.WARNING, keyFile + " is readable by others than its owner; chmod 600 it");
            }
        } catch (UnsupportedOperationException notPosix) {
            // the file system has no POSIX permissions to check
        }
    }
}
