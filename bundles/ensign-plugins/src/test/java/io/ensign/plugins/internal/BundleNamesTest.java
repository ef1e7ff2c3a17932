package io.ensign.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BundleNamesTest {
    @Test
    void symbolicNamesAreTheirOwnFileNames() {
        for (String name : new String[] {"a", "com.acme.ip-in-cidr", "x_1.Y-2.z", "1", "x".repeat(200)}) {
            assertEquals(name, BundleNames.require(name, "Bundle-SymbolicName"));
            assertEquals(name + ".jar", BundleNames.fileName(name));
        }
    }

    @Test
    void namesThatArePathsOrNoNamesAreRefusedNamingTheField() {
        for (String name : new String[] {"../../evil", "../conf/evil", "a/b", "..", ".", "a\u0000b", "", " ", ".a",
                "a.", "a..b", "a\\b", "C:evil", "caf\u00e9", "a b", "a\nb", "/etc/passwd"}) {
            UnsafeBundleException e = assertThrows(UnsafeBundleException.class,
                    () -> BundleNames.require(name, "symbolicName"), name);
            assertEquals("symbolicName", e.field());
            assertTrue(e.getMessage().startsWith("symbolicName "), e.getMessage());
        }
    }

    @Test
    void aNameTooLongForAFileIsRefusedWithItsLength() {
        UnsafeBundleException e = assertThrows(UnsafeBundleException.class,
                () -> BundleNames.require("x".repeat(300), "Bundle-SymbolicName"));

        assertTrue(e.getMessage().contains("300 characters"), e.getMessage());
    }

    @Test
    void messagesShowControlCharactersEscapedAndLongNamesCut() {
        assertEquals("'a\\u0000b'", BundleNames.quoted("a\u0000b"));
        assertEquals("'" + "x".repeat(60) + "...'", BundleNames.quoted("x".repeat(61)));
    }
}
