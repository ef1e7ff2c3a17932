package io.ensign.http.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ensign.api.http.AddressRanges;
import org.junit.jupiter.api.Test;

class AddressRangesTest {
    @Test
    void blankEntriesMakeAnEmptyListThatHoldsNoAddress() {
        assertTrue(AddressRanges.of("s", new String[0]).isEmpty());
        AddressRanges blank = AddressRanges.of("s", new String[] {" "});
        assertTrue(blank.isEmpty());
        assertFalse(blank.contains("::1"));
    }

    @Test
    void rangesMatchByPrefixBits() {
        AddressRanges list = AddressRanges.of("s", new String[] {"10.0.0.0/8", "192.168.1.128/25", "::1"});
        assertTrue(list.contains("10.255.0.1"));
        assertFalse(list.contains("11.0.0.1"));
        assertTrue(list.contains("192.168.1.200"));
        assertFalse(list.contains("192.168.1.127"));
        assertTrue(list.contains("0:0:0:0:0:0:0:1"));
        assertFalse(list.contains("127.0.0.1"));
        assertFalse(list.contains(null));
    }

    @Test
    void oneValueMayListSeveralEntriesAsACfgFileGivesThem() {
        AddressRanges list = AddressRanges.of("s", new String[] {"127.0.0.1, 10.1.2.3"});
        assertTrue(list.contains("127.0.0.1"));
        assertTrue(list.contains("10.1.2.3"));
        assertFalse(list.contains("10.1.2.4"));
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedNamingTheEntry() {
        for (String bad : new String[] {"localhost", "10.0.0.0/33", "10.0.0.0/x", "300.1.1.1", "::1/129"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AddressRanges.of("s", new String[] {bad}), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
