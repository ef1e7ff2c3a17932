package io.ensign.metrics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client addresses allowed to read the metrics: IP addresses and CIDR ranges ({@code 10.0.0.0/8},
 * {@code ::1/128}), given one to a value or several in one value set apart by commas or spaces; an empty list allows every
 * address. Entries must be IP literals, so that reading the setting
 * never asks a name server.
 */
final class AddressAllowList {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    // IPv4 in four decimal octets, or anything with a colon (which InetAddress parses as IPv6 or refuses, unlooked-up)
    private static final Pattern LITERAL = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET + "|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

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

    private AddressAllowList(List<Range> ranges, List<String> entries) {
        this.ranges = ranges;
        this.entries = entries;
    }

    /**
     * The list of these entries.
     *
     * @throws IllegalArgumentException naming the first entry that is not an IP address or CIDR range
     */
    static AddressAllowList of(String[] entries) {
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
                throw new IllegalArgumentException("allowedAddresses: '" + entry + "' is not an IP address or range");
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("allowedAddresses: '" + entry + "' has no prefix length of 0 to "
                            + network.length * 8);
                }
            }
            ranges.add(new Range(network, prefix));
            kept.add(entry);
        }
        return new AddressAllowList(List.copyOf(ranges), List.copyOf(kept));
    }

    /** Whether a client of this address (an IP literal as the connection reports it) may read the metrics. */
    boolean allows(String address) {
        if (ranges.isEmpty()) {
            return true;
        }
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
        return entries.isEmpty() ? "any address" : String.join(", ", entries);
    }
}
