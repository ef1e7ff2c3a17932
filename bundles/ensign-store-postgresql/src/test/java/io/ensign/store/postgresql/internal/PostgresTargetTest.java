package io.ensign.store.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresTargetTest {
    @TempDir
    Path directory;

    @Test
    void ensignsFormBecomesTheDriversUrlAndUser() {
        PostgresTarget target = PostgresTarget.parse("postgresql://flags@db.example:5433/ensign?sslmode=require", "pw");
        assertEquals("jdbc:postgresql://db.example:5433/ensign?sslmode=require&socketTimeout="
                + PostgresTarget.DEFAULT_SOCKET_TIMEOUT_SECONDS, target.jdbcUrl());
        assertEquals("flags", target.user());
        assertEquals("pw", target.password());
        assertFalse(target.toString().contains("pw"), target.toString());
    }

    @Test
    void aJdbcUrlWithAUserParameterWorksToo() {
        PostgresTarget target = PostgresTarget.parse("jdbc:postgresql://127.0.0.1/ensign?user=flags&ssl=false"
                + "&socketTimeout=7", null);
        assertEquals("jdbc:postgresql://127.0.0.1/ensign?ssl=false&socketTimeout=7", target.jdbcUrl(),
                "the URL's own socket time-out stands");
        assertEquals("flags", target.user());
        assertNull(target.password());
    }

    @Test
    void aPasswordInTheUrlIsRefusedAndNotRepeated() {
        IllegalArgumentException inUserInfo = assertThrows(IllegalArgumentException.class,
                () -> PostgresTarget.parse("postgresql://flags:secret@h/db", null));
        assertTrue(inUserInfo.getMessage().startsWith("url: holds a password"), inUserInfo.getMessage());
        assertFalse(inUserInfo.getMessage().contains("secret"));
        IllegalArgumentException inQuery = assertThrows(IllegalArgumentException.class,
                () -> PostgresTarget.parse("jdbc:postgresql://h/db?user=flags&password=secret", null));
        assertFalse(inQuery.getMessage().contains("secret"));
    }

    @Test
    void urlsMissingAPartNameIt() {
        assertEquals("url: names no user: postgresql://USER@HOST:PORT/DATABASE",
                assertThrows(IllegalArgumentException.class, () -> PostgresTarget.parse("postgresql://h/db", null))
                        .getMessage());
        assertEquals("url: names no database: postgresql://USER@HOST:PORT/DATABASE",
                assertThrows(IllegalArgumentException.class, () -> PostgresTarget.parse("postgresql://u@h:5432", null))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PostgresTarget.parse("mysql://u@h/db", null))
                .getMessage().startsWith("url: 'mysql://u@h/db' is not"));
    }

    @Test
    void thePasswordComesFromTheFileElseTheEnvironment() throws Exception {
        Path file = directory.resolve("password");
        Files.writeString(file, "from-file\nignored\n");
        Map<String, String> environment = Map.of(PostgresTarget.PASSWORD_VARIABLE, "from-environment");
        assertEquals("from-file", PostgresTarget.of("postgresql://u@h/db", file.toString(), environment).password());
        assertEquals("from-environment", PostgresTarget.of("postgresql://u@h/db", "", environment).password());
        assertNull(PostgresTarget.of("postgresql://u@h/db", "", Map.of()).password());
    }
}
