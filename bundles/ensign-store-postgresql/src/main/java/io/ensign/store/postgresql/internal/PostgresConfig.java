package io.ensign.store.postgresql.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the PostgreSQL store and event store, PID {@value PostgresStore#PID}; neither starts without it.
 * The password is never part of it: it comes from {@link #passwordFile()} or the environment variable
 * {@value PostgresTarget#PASSWORD_VARIABLE}.
 */
@ObjectClassDefinition(name = "Ensign PostgreSQL store",
        description = "Where the PostgreSQL store keeps data and how it connects")
public @interface PostgresConfig {
    @AttributeDefinition(description = "The database: postgresql://USER@HOST:PORT/DATABASE (a jdbc:postgresql: URL"
            + " with a user parameter works too); never with a password")
    String url();

    @AttributeDefinition(description = "A file holding the password (its first line); empty: the environment variable "
            + PostgresTarget.PASSWORD_VARIABLE + ", else no password")
    String passwordFile() default "";

    @AttributeDefinition(description = "Connections of the store's pool")
    int poolSize() default 8;

    @AttributeDefinition(description = "Connections of the experiment event store's pool")
    int eventPoolSize() default 4;

    @AttributeDefinition(description = "Seconds to wait for a connection (from the pool or to the server) before a"
            + " request answers 503")
    int connectTimeoutSeconds() default 5;

    @AttributeDefinition(description = "Seconds between checks of the change log for other nodes' changes when no"
            + " notification came: the longest a missed notification delays a change")
    int changeCheckSeconds() default 5;
}
