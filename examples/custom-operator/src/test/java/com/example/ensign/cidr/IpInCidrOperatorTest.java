package com.example.ensign.cidr;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class IpInCidrOperatorTest {
    private final IpInCidrOperator operator = new IpInCidrOperator();

    @Test
    void matchesIpv4AddressesInsideAnyBlock() {
        Predicate<Object> test = operator.compile(List.of("10.0.0.0/8", "192.168.1.0/24"));
        assertTrue(test.test("10.200.3.4"));
        assertTrue(test.test("192.168.1.255"));
        assertFalse(test.test("192.168.2.1"));
        assertFalse(test.test("11.0.0.1"));
    }

    @Test
    void handlesPrefixesThatSplitAByte() {
        Predicate<Object> test = operator.compile(List.of("172.16.0.0/12"));
        assertTrue(test.test("172.31.255.255"));
        assertFalse(test.test("172.32.0.0"));
        assertFalse(test.test("172.15.255.255"));
    }

    @Test
    void matchesIpv6AndKeepsFamiliesApart() {
        Predicate<Object> test = operator.compile(List.of("2001:db8::/32"));
        assertTrue(test.test("2001:db8:0:1::42"));
        assertFalse(test.test("2001:db9::1"));
        assertFalse(test.test("32.1.13.184"), "an IPv4 address is never inside an IPv6 block");
    }

    @Test
    void missingOrMalformedAttributesDoNotMatch() {
        Predicate<Object> test = operator.compile(List.of("0.0.0.0/0"));
        assertFalse(test.test(null));
        assertFalse(test.test(42L));
        assertFalse(test.test("not an address"));
        assertFalse(test.test("1.2.3.256"));
        assertTrue(test.test("1.2.3.4"));
    }

    @Test
    void badBlocksAreRefusedWhenTheConditionCompiles() {
        assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of()));
        assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of("10.0.0.0")));
        assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of(8L)));
    }
}
