package io.ensign.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressAllowListTest {
    @Test
    void emptyListAllowsEveryAddress() {
        assertTrue(AddressAllowList.of(new String[0]).allows("203.0.113.9"));
        assertTrue(AddressAllowList.of(new String[] {" "}).allows("::1"));
    }

    @Test
    void rangesMatchByPrefixBits() {
        AddressAllowList list = AddressAllowList.of(new String[] {"10.0.0.0/8", "192.168.1.128/25", "::1"});
        assertTrue(list.allows("10.255.0.1"));
        assertFalse(list.allows("11.0.0.1"));
        assertTrue(list.allows("192.168.1.200"));
        assertFalse(list.allows("192.168.1.127"));
        assertTrue(list.allows("0:0:0:0:0:0:0:1"));
        assertFalse(list.allows("127.0.0.1"));
        assertFalse(list.allows(null));
    }

    @Test
    void oneValueMayListSeveralEntriesAsACfgFileGivesThem() {
        AddressAllowList list = AddressAllowList.of(new String[] {"127.0.0.1, 10.1.2.3"});
        assertTrue(list.allows("127.0.0.1"));
        assertTrue(list.allows("10.1.2.3"));
        assertFalse(list.allows("10.1.2.4"));
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedNamingTheEntry() {
        for (String bad : new String[] {"localhost", "10.0.0.0/33", "10.0.0.0/x", "300.1.1.1", "::1/129"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AddressAllowList.of(new String[] {bad}), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
