package io.ensign.validation.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises strings that look like credentials and names what they look like (with its article), never what they are.
 * Every pattern is free of nested repetition, so matching stays linear in the string's length.
 *
 * <p>High entropy: a run of base64/base64url characters (split at {@code /} inside URLs) of at least
 * {@value #ENTROPY_MIN_LENGTH} characters, mixing upper case, lower case and digits, with a Shannon
 * entropy of at least {@value #ENTROPY_THRESHOLD} bits per character, and less than
 * {@value #WORD_LIKE_LIMIT} of it in runs of three or more lower-case letters. Random base62/base64 keys
 * of that length measure 4.2-5 bits with about 15% in such runs; hexadecimal (hashes, UUIDs) measures at
 * most 4 bits; long camel-case identifiers reach 4.6 bits but are 55-85% word-like. So a 32-character
 * random key is missed about once in a hundred, a 40-character one far less often.
 */
final class SecretPatterns {
    static final int ENTROPY_MIN_LENGTH = 32;
    static final double ENTROPY_THRESHOLD = 4.2;
    static final double WORD_LIKE_LIMIT = 0.5;

    static final String PEM_PRIVATE_KEY = "a PEM private key";
    static final String GCP_SERVICE_ACCOUNT = "a GCP service account key";
    static final String AWS_ACCESS_KEY_ID = "an AWS access key id";
    static final String AWS_SECRET_KEY = "an AWS secret access key";
    static final String SLACK_TOKEN = "a Slack token";
    static final String GITHUB_TOKEN = "a GitHub token";
    static final String JWT = "a JSON Web Token";
    static final String PASSWORD = "a password";
    static final String URL_CREDENTIALS = "a URL with a password";
    static final String HIGH_ENTROPY = "a high-entropy string (a key or token)";

    private static final Pattern AWS_KEY_ID = Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");
    private static final Pattern SERVICE_ACCOUNT_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"service_account\"");

    private record Detector(String kind, Predicate<String> test) {
        static Detector finding(String kind, String regex) {
            Pattern pattern = Pattern.compile(regex);
            return new Detector(kind, text -> pattern.matcher(text).find());
        }
    }

    private static final List<Detector> DETECTORS = List.of(
            Detector.finding(PEM_PRIVATE_KEY, "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
            // A service account key file pasted as text; as JSON it is caught member by member.
            new Detector(GCP_SERVICE_ACCOUNT,
                    text -> text.contains("\"private_key\"") && SERVICE_ACCOUNT_TYPE.matcher(text).find()),
            new Detector(AWS_ACCESS_KEY_ID, text -> AWS_KEY_ID.matcher(text).find()),
            Detector.finding(SLACK_TOKEN, "xox[baprs]-[A-Za-z0-9-]{10,}"),
            Detector.finding(GITHUB_TOKEN, "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
            Detector.finding(JWT, "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\."));

    /** An AWS secret key is 40 base64 characters; alone it is too common a shape, so only near a key id. */
    private static final Pattern AWS_SECRET_SHAPE = Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");
    /** {@code password=...} and {@code "password": "..."} (also {@code db_password}, {@code "dbPassword"}) in a text. */
    private static final Pattern PASSWORD_ASSIGNMENT = Pattern.compile("(?i)(?:(?<![a-z])(?:password|passwd|passphrase|pwd)"
            + "\\s*=|\"[a-z0-9_.-]*(?:password|passwd|passphrase|pwd)\"\\s*:)\\s*[\"']?([^\\s\"'&;,]*)");
    /** {@code scheme://user:password@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^/\\s:@]*:([^/\\s@]+)@");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9+/=_-]+");
    private static final Pattern LOWER_CASE_RUN = Pattern.compile("[a-z]{3,}");
    private static final Pattern URL_TOKEN = Pattern.compile("[A-Za-z0-9+=_-]+");
    /** Member names whose string values are credentials, compared without case, '_', '-' or '.'. */
    private static final List<String> CREDENTIAL_NAME_ENDINGS = List.of("password", "passwd", "passphrase", "pwd",
            "secret", "secretkey", "accesskey", "apikey", "privatekey", "accesstoken", "authtoken");
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "\\s*|null|[*xX#•]+|\\$\\{[^}]*}|\\{\\{[^}]*}}|<[^>]*>|%\\([^)]*\\)s");

    private SecretPatterns() {
    }

    /**
     * What secret the string looks like, if any.
     *
     * @param nearAwsKeyId whether an AWS access key id sits beside the string (same object or array), which
     *                     makes a 40-character base64 run an AWS secret key
     */
    static Optional<String> kindOf(String text, boolean nearAwsKeyId) {
        for (Detector d : DETECTORS) {
            if (d.test().test(text)) {
                return Optional.of(d.kind());
            }
        }
        if (nearAwsKeyId && AWS_SECRET_SHAPE.matcher(text).find()) {
            return Optional.of(AWS_SECRET_KEY);
        }
        if (hasRealValue(PASSWORD_ASSIGNMENT.matcher(text))) {
            return Optional.of(PASSWORD);
        }
        if (hasRealValue(URL_PASSWORD.matcher(text))) {
            return Optional.of(URL_CREDENTIALS);
        }
        return hasHighEntropyToken(text) ? Optional.of(HIGH_ENTROPY) : Optional.empty();
    }

    /** Whether the string carries an AWS access key id. */
    static boolean hasAwsKeyId(String text) {
        return AWS_KEY_ID.matcher(text).find();
    }

    /** Whether a member of this name holds a credential (e.g. {@code dbPassword}, {@code client_secret}). */
    static boolean isCredentialName(String name) {
        String normalized = name.toLowerCase(Locale.ROOT).replaceAll("[_.\\-]", "");
        return CREDENTIAL_NAME_ENDINGS.stream().anyMatch(normalized::endsWith);
    }

    /** Whether a credential field's value is real, not empty, masked or a reference like {@code ${DB_PASSWORD}}. */
    static boolean isRealValue(String value) {
        return !PLACEHOLDER.matcher(value).matches();
    }

    private static boolean hasRealValue(Matcher matcher) {
        while (matcher.find()) {
            if (isRealValue(matcher.group(1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasHighEntropyToken(String text) {
        if (text.length() < ENTROPY_MIN_LENGTH) {
            return false;
        }
        // In a URL '/' separates path segments; elsewhere it is a base64 character.
        Matcher tokens = (text.contains("://") ? URL_TOKEN : TOKEN).matcher(UUID.matcher(text).replaceAll(" "));
        while (tokens.find()) {
            String token = tokens.group();
            if (token.length() >= ENTROPY_MIN_LENGTH && mixesCharacterClasses(token)
                    && shannonEntropy(token) >= ENTROPY_THRESHOLD && wordLikeShare(token) < WORD_LIKE_LIMIT) {
                return true;
            }
        }
        return false;
    }

    private static boolean mixesCharacterClasses(String token) {
        return token.chars().anyMatch(Character::isUpperCase) && token.chars().anyMatch(Character::isLowerCase)
                && token.chars().anyMatch(Character::isDigit);
    }

    /** The share of the token in runs of three or more lower-case letters: high for words, low for keys. */
    private static double wordLikeShare(String token) {
        Matcher words = LOWER_CASE_RUN.matcher(token);
        int inWords = 0;
        while (words.find()) {
            inWords += words.group().length();
        }
        return (double) inWords / token.length();
    }

    /** Bits per character of the token's own character distribution; tokens are ASCII. */
    static double shannonEntropy(String token) {
        int[] counts = new int[128];
        token.chars().forEach(c -> counts[c & 127]++);
        double entropy = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / token.length();
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        return entropy;
    }
}
