package io.ensign.operators.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;


/**
 * A Semantic Versioning 2.0.0 version, ordered by SemVer precedence: major, minor and patch
 * numerically, a pre-release below its release, pre-release identifiers compared one by one (numeric
 * ones numerically and below alphanumeric ones, alphanumeric ones by ASCII order, a shorter list below a
 * longer one it prefixes). Build metadata is validated and then ignored, as precedence requires.
 *
 * <p>One leading {@code v} or {@code V} is tolerated ({@code v1.2.3}) because tags are often written
 * so. Major, minor and patch must fit in a long.
 *
 * @param major      the major version
 * @param minor      the minor version
 * @param patch      the patch version
 * @param preRelease the dot-separated pre-release identifiers, empty for a release
 */
record SemanticVersion(long major, long minor, long patch, List<String> preRelease)
        implements Comparable<SemanticVersion> {

    SemanticVersion {
        preRelease = List.copyOf(preRelease);
    }

    /**
     * Parses a version; empty when the text is no Semantic Version. A hand-written scanner of the semver.org
     * grammar: it runs on every evaluation of a semver condition, where a regular expression engine costs
     * several times more, and it is linear in the text by construction.
     */
    static Optional<SemanticVersion> parse(String text) {
        int n = text.length();
        int i = n > 0 && (text.charAt(0) == 'v' || text.charAt(0) == 'V') ? 1 : 0;
        long[] core = new long[3];
        for (int part = 0; part < 3; part++) {
            if (part > 0) {
                if (i >= n || text.charAt(i) != '.') {
                    return Optional.empty();
                }
                i++;
            }
            int end = i;
            while (end < n && isDigit(text.charAt(end))) {
                end++;
            }
            if (end == i || (text.charAt(i) == '0' && end - i > 1)) {
                return Optional.empty();
            }
            try {
                core[part] = Long.parseLong(text, i, end, 10);
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
            i = end;
        }
        List<String> preRelease = List.of();
        if (i < n && text.charAt(i) == '-') {
            int end = identifiersEnd(text, i + 1, true);
            if (end < 0) {
                return Optional.empty();
            }
            preRelease = Arrays.asList(text.substring(i + 1, end).split("\\."));
            i = end;
        }
        if (i < n && text.charAt(i) == '+') {
            i = identifiersEnd(text, i + 1, false);
            if (i < 0) {
                return Optional.empty();
            }
        }
        return i == n ? Optional.of(new SemanticVersion(core[0], core[1], core[2], preRelease)) : Optional.empty();
    }

    /**
     * Where a run of dot-separated identifiers ([0-9A-Za-z-]+) starting at {@code start} ends, or -1 when one
     * is empty or, in a pre-release, a numeric one has a leading zero.
     */
    private static int identifiersEnd(String text, int start, boolean preRelease) {
        int n = text.length();
        int i = start;
        while (true) {
            int first = i;
            boolean numeric = true;
            while (i < n && isIdentifierChar(text.charAt(i))) {
                numeric &= isDigit(text.charAt(i));
                i++;
            }
            if (i == first || (preRelease && numeric && text.charAt(first) == '0' && i - first > 1)) {
                return -1;
            }
            if (i < n && text.charAt(i) == '.') {
                i++;
            } else {
                return i;
            }
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierChar(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }

    /**
     * The version an operand writes.
     *
     * @throws IllegalArgumentException when the operand is no Semantic Version string
     */
    static SemanticVersion required(Object operand) {
        String text = Operands.string(operand);
        return parse(text).orElseThrow(
                () -> new IllegalArgumentException("\"" + text + "\" is no Semantic Version (e.g. 1.4.0-beta.2)"));
    }

    /**
     * Compiles a semver_* operand: attribute strings that are versions order against it, anything else
     * is unordered.
     *
     * @throws IllegalArgumentException when the operand is no Semantic Version string
     */
    static OrderedOperand operand(Object operand) {
        SemanticVersion version = required(operand);
        return attribute -> attribute instanceof String candidate
                ? parse(candidate).map(parsed -> parsed.compareTo(version)).orElse(OrderedOperand.UNORDERED)
                : OrderedOperand.UNORDERED;
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int order = Long.compare(major, other.major);
        if (order == 0) {
            order = Long.compare(minor, other.minor);
        }
        if (order == 0) {
            order = Long.compare(patch, other.patch);
        }
        return order != 0 ? order : comparePreReleases(preRelease, other.preRelease);
    }

    private static int comparePreReleases(List<String> left, List<String> right) {
        if (left.isEmpty() || right.isEmpty()) {
            // A release ranks above any of its pre-releases.
            return Boolean.compare(left.isEmpty(), right.isEmpty());
        }
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int order = compareIdentifiers(left.get(i), right.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    private static int compareIdentifiers(String left, String right) {
        boolean leftNumeric = isNumeric(left);
        boolean rightNumeric = isNumeric(right);
        if (leftNumeric && rightNumeric) {
            // Numeric identifiers have no leading zeros, so length then digits orders them at any size.
            int order = Integer.compare(left.length(), right.length());
            return order != 0 ? order : left.compareTo(right);
        }
        if (leftNumeric != rightNumeric) {
            return leftNumeric ? -1 : 1;
        }
        return left.compareTo(right);
    }

    private static boolean isNumeric(String identifier) {
        return identifier.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
