package io.ensign.operators.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * in_cidr on addresses and blocks of both families, and on text that is almost an address. Unleash's engine on
 * Maven Central (Yggdrasil 0.5.1) predates IN_CIDR, so the peer's reference is its client specification suite's
 * file 22 (UnleashClientSpecificationIT).
 */
class InCidrOperatorTest {
    private final InCidrOperator operator = new InCidrOperator();

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource(delimiter = ';', value = {
        "10.1.2.3; 10.0.0.0/8; true", "11.1.2.3; 10.0.0.0/8; false", "10.1.2.3; 10.1.2.3; true",
        "10.1.2.4; 10.1.2.3; false", "192.168.1.200; 192.168.1.128/25; true", "192.168.1.127; 192.168.1.128/25; false",
        "192.168.1.7; 192.168.1.5/24; true", "1.2.3.4; 0.0.0.0/0; true", "2001:db8:0:1::42; 2001:db8::/32; true",
        "2001:db9::1; 2001:db8::/32; false", "2001:DB8::1; 2001:db8::1; true",
        "2001:db8::1; 2001:db8:0:0:0:0:0:1; true",
        "::ffff:10.0.0.1; 10.0.0.0/8; true", "10.0.0.1; ::/0; false", "::1; 0.0.0.0/0; false",
        "localhost; 127.0.0.1; false", "127.1; 127.0.0.1; false", "010.0.0.1; 10.0.0.1; false", "; 0.0.0.0/0; false",
        "10.0.0.1%eth0; 10.0.0.0/8; false", "' 10.0.0.1'; 10.0.0.0/8; false", "300.0.0.1; 0.0.0.0/0; false"})
    void anAddressIsInTheBlocksThatShareItsPrefix(String attribute, String block, boolean expected) {
        assertEquals(expected, operator.compile(List.of("8.8.8.8", block)).test(attribute == null ? "" : attribute));
    }

    @Test
    void anOperandThatIsNoBlockRefusesTheConditionAndAnAttributeThatIsNoStringIsFalse() {
        for (String bad : List.of("127.invalid", "bad::cidr", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/",
                "example.com", "10.0.0.0/-1", ":::")) {
            assertThrows(IllegalArgumentException.class, () -> operator.compile(List.of(bad)), bad);
        }
        Predicate<Object> test = operator.compile(List.of("10.0.0.0/8"));
        assertEquals(false, test.test(null));
        assertEquals(false, test.test(10));
    }
}
