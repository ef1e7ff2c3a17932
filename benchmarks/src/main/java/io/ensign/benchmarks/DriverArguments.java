package io.ensign.benchmarks;

/**
 * The command line of the load drivers that write to a running server one write at a time:
 * {@code <baseUrl> <adminToken> [listeners=200] [writes=200]}.
 */
record DriverArguments(String base, String adminToken, int listeners, int writes) {
    private static final int DEFAULT_COUNT = 200;

    /** The arguments, or the usage on standard error and exit status 2 when the two required ones are missing. */
    static DriverArguments parse(String[] args, String driver, String listeners) {
        if (args.length < 2) {
            System.err.printf("usage: %s <baseUrl> <adminToken> [%s=%d] [writes=%d]%n", driver, listeners,
                    DEFAULT_COUNT, DEFAULT_COUNT);
            System.exit(2);
        }
        return new DriverArguments(args[0], args[1], args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_COUNT,
                args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_COUNT);
    }
}
