package io.ensign.api.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A setting's list of IP addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code ::1/128}), given one to a value or
 * several in one value set apart by commas or spaces (as a {@code .cfg} file gives a list). Entries must be IP
 * literals, so that reading the setting never asks a name server; what an empty list means is the setting's own.
 */
public final class AddressRanges {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    // IPv4 in four decimal octets, or anything with a colon (which InetAddress parses as IPv6 or refuses, unlooked-up)
    private static final Pattern LITERAL = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET
            + "|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;
    private final List<String> entries;

    private AddressRanges(List<Range> ranges, List<String> entries) {
        this.ranges = ranges;
        this.entries = entries;
    }

    /**
     * The list of these entries of the setting named {@code setting}.
     *
     * @throws IllegalArgumentException naming the setting and the first entry that is not an IP address or range
     */
    public static AddressRanges of(String setting, String[] entries) {
        List<Range> ranges = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> split = new ArrayList<>();
        for (String value : entries == null ? new String[0] : entries) {
            split.addAll(List.of(value.split("[,\\s]+"))); // a .cfg file gives the list as one string
        }
        for (String entry : split) {
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network = literal(host);
            if (network == null) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' is not an IP address or range");
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException(setting + ": '" + entry + "' has no prefix length of 0 to "
                            + network.length * 8);
                }
            }
            ranges.add(new Range(network, prefix));
            kept.add(entry);
        }
        return new AddressRanges(List.copyOf(ranges), List.copyOf(kept));
    }

    /** Whether the list holds no entry. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether an address (an IP literal as a connection reports it) lies in one of the ranges; never for null. */
    public boolean contains(String address) {
        byte[] bytes = address == null ? null : literal(address);
        return bytes != null && ranges.stream().anyMatch(r -> r.contains(bytes));
    }

    /** The bytes of an IP literal, or null when the text is none (a host name is never looked up). */
    private static byte[] literal(String text) {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!LITERAL.matcher(host).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "none" : String.join(", ", entries);
    }
}
