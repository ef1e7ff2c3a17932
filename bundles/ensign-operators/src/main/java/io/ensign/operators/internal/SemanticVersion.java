package io.ensign.operators.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

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

    // The regular expression semver.org recommends, with an optional "v"; re2j keeps it linear on attributes.
    private static final Pattern SYNTAX = Pattern.compile(
            "^[vV]?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
                    + "(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?$");

    SemanticVersion {
        preRelease = List.copyOf(preRelease);
    }

    /** Parses a version; empty when the text is no Semantic Version. */
    static Optional<SemanticVersion> parse(String text) {
        Matcher matcher = SYNTAX.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            String preRelease = matcher.group(4);
            return Optional.of(new SemanticVersion(
                    Long.parseLong(matcher.group(1)),
                    Long.parseLong(matcher.group(2)),
                    Long.parseLong(matcher.group(3)),
                    preRelease == null ? List.of() : Arrays.asList(preRelease.split("\\."))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /**
     * Compiles a semver_* operand: attribute strings that are versions order against it, anything else
     * is unordered.
     *
     * @throws IllegalArgumentException when the operand is no Semantic Version string
     */
    static OrderedOperand operand(Object operand) {
        String text = Operands.string(operand);
        SemanticVersion version = parse(text).orElseThrow(
                () -> new IllegalArgumentException("\"" + text + "\" is no Semantic Version (e.g. 1.4.0-beta.2)"));
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
