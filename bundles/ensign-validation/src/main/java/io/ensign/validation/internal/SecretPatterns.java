package io.ensign.validation.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Recognises strings that look like credentials and names what they look like (with its article), never what they are.
 * Every pattern is an RE2 expression (re2j), whose matching time is linear in the string's length for any
 * input: java.util.regex backtracks, and its scan for {@code scheme://} alone took quadratic time on a run of
 * letters (13 s for 40 000). RE2 has no look-around, so "not preceded/followed by" is written as a boundary
 * alternative ({@code (?:^|[^A-Z0-9])}); detectors only ask whether a match exists, so the consumed boundary
 * character changes no answer.
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

    private static final Pattern AWS_KEY_ID = Pattern.compile("(?:^|[^A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?:$|[^A-Z0-9])");

    /**
     * A kind of secret and its test. An RE2 scan costs tens of nanoseconds a character, so each expression runs
     * only on texts that hold a literal every match contains ({@link String#contains} is far cheaper).
     */
    private record Detector(String kind, Predicate<String> test) {
        static Detector finding(String kind, Pattern pattern, String... literals) {
            return new Detector(kind, text -> containsAny(text, literals) && pattern.matcher(text).find());
        }
    }

    private static final List<Detector> DETECTORS = List.of(
            Detector.finding(PEM_PRIVATE_KEY,
                    Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"), "PRIVATE KEY"),
            // A service account key file pasted as text; as JSON it is caught member by member.
            Detector.finding(GCP_SERVICE_ACCOUNT, Pattern.compile("\"type\"\\s*:\\s*\"service_account\""),
                    "\"private_key\""),
            Detector.finding(AWS_ACCESS_KEY_ID, AWS_KEY_ID, "AKIA", "ASIA"),
            Detector.finding(SLACK_TOKEN, Pattern.compile("xox[baprs]-[A-Za-z0-9-]{10,}"), "xox"),
            Detector.finding(GITHUB_TOKEN, Pattern.compile(
                    "(?:^|[^A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"), "gh", "github_pat_"),
            Detector.finding(JWT, Pattern.compile(
                    "(?:^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\."), "eyJ"));

    /** An AWS secret key is 40 base64 characters; alone it is too common a shape, so only near a key id. */
    private static final Pattern AWS_SECRET_SHAPE = Pattern.compile("(?:^|[^A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?:$|[^A-Za-z0-9/+=])");
    /** {@code password=...} and {@code "password": "..."} (also {@code db_password}, {@code "dbPassword"}) in a text. */
    private static final Pattern PASSWORD_ASSIGNMENT = Pattern.compile("(?i)(?:(?:^|[^a-z])(?:password|passwd|passphrase|pwd)"
            + "\\s*=|\"[a-z0-9_.-]*(?:password|passwd|passphrase|pwd)\"\\s*:)\\s*[\"']?([^\\s\"'&;,]*)");
    /** {@code scheme://user:password@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^/\\s:@]*:([^/\\s@]+)@");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern NAME_SEPARATORS = Pattern.compile("[_.-]");
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
        if (mentionsPassword(text) && hasRealValue(PASSWORD_ASSIGNMENT.matcher(text))) {
            return Optional.of(PASSWORD);
        }
        if (text.contains("://") && hasRealValue(URL_PASSWORD.matcher(text))) {
            return Optional.of(URL_CREDENTIALS);
        }
        return hasHighEntropyToken(text) ? Optional.of(HIGH_ENTROPY) : Optional.empty();
    }

    /** Whether the string carries an AWS access key id. */
    static boolean hasAwsKeyId(String text) {
        return containsAny(text, "AKIA", "ASIA") && AWS_KEY_ID.matcher(text).find();
    }

    /** Whether a member of this name holds a credential (e.g. {@code dbPassword}, {@code client_secret}). */
    static boolean isCredentialName(String name) {
        String normalized = NAME_SEPARATORS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("");
        return CREDENTIAL_NAME_ENDINGS.stream().anyMatch(normalized::endsWith);
    }

    /** Whether a credential field's value is real, not empty, masked or a reference like {@code ${DB_PASSWORD}}. */
    static boolean isRealValue(String value) {
        return !PLACEHOLDER.matcher(value).matches();
    }

    private static boolean containsAny(String text, String... literals) {
        for (String literal : literals) {
            if (text.contains(literal)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text holds "pass" or "pwd" in any case, which every password assignment does. */
    private static boolean mentionsPassword(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("pass") || lower.contains("pwd");
    }

    private static boolean hasRealValue(Matcher matcher) {
        while (matcher.find()) {
            if (isRealValue(matcher.group(1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * One pass over the text: each maximal run of token characters long enough is judged by one more pass over
     * the run, so the cost is linear in the text whatever its content.
     */
    private static boolean hasHighEntropyToken(String text) {
        if (text.length() < ENTROPY_MIN_LENGTH) {
            return false;
        }
        // UUIDs are random but public identifiers, so they are cut out first; only a text with '-' can hold one.
        String scanned = text.indexOf('-') < 0 ? text : UUID.matcher(text).replaceAll(" ");
        // In a URL '/' separates path segments; elsewhere it is a base64 character.
        boolean url = scanned.contains("://");
        int runStart = 0;
        for (int i = 0; i <= scanned.length(); i++) {
            if (i == scanned.length() || !isTokenCharacter(scanned.charAt(i), url)) {
                if (i - runStart >= ENTROPY_MIN_LENGTH && looksRandom(scanned, runStart, i)) {
                    return true;
                }
                runStart = i + 1;
            }
        }
        return false;
    }

    private static boolean isTokenCharacter(char c, boolean inUrl) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '+' || c == '=' || c == '_' || c == '-' || c == '/' && !inUrl;
    }

    /**
     * Whether the token {@code text[from, to)} mixes upper case, lower case and digits, has enough entropy and
     * is less than {@value #WORD_LIKE_LIMIT} in runs of three or more lower-case letters (words, not keys).
     */
    private static boolean looksRandom(String text, int from, int to) {
        int[] counts = new int[128];
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        int inWords = 0;
        int lowerRun = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            counts[c]++;
            upper |= c >= 'A' && c <= 'Z';
            digit |= c >= '0' && c <= '9';
            if (c >= 'a' && c <= 'z') {
                lower = true;
                lowerRun++;
            } else {
                inWords += lowerRun >= 3 ? lowerRun : 0;
                lowerRun = 0;
            }
        }
        inWords += lowerRun >= 3 ? lowerRun : 0;
        int length = to - from;
        return upper && lower && digit && (double) inWords / length < WORD_LIKE_LIMIT
                && shannonEntropy(counts, length) >= ENTROPY_THRESHOLD;
    }

    /** Bits per character of a distribution of {@code length} characters with these counts. */
    private static double shannonEntropy(int[] counts, int length) {
        double entropy = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / length;
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        return entropy;
    }
}
