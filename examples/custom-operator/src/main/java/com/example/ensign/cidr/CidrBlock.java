package com.example.ensign.cidr;

/** A CIDR block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
record CidrBlock(byte[] network, int prefixLength) {

    /** Parses {@code address/prefix}; throws IllegalArgumentException with a reason when it is not one. */
    static CidrBlock parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block: it has no /prefix");
        }
        byte[] network = IpAddress.parse(text.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block: bad address");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block: bad prefix length");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("'" + text + "': the prefix length must be 0.." + network.length * 8);
        }
        return new CidrBlock(network, prefix);
    }

    /** Whether an address of the same family lies inside this block. */
    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }
}
