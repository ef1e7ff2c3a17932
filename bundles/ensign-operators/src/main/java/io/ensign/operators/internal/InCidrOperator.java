package io.ensign.operators.internal;

import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.http.AddressRanges;
import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;

import org.osgi.service.component.annotations.Component;

/**
 * {@code in_cidr}: the attribute, an IPv4 or IPv6 address written as such, is in one of the operands, each an
 * address or a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; bits past the prefix are ignored), as
 * Unleash's {@code IN_CIDR} constraint and {@code remoteAddress} strategy test the remote address. Addresses are
 * read as {@link AddressRanges} reads them: literals only, no name ever looked up; IPv4 and IPv6 apart, except
 * that an IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is its IPv4 address. An operand that is no address or
 * block refuses the condition; an attribute that is no address makes it false.
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "in_cidr")
public final class InCidrOperator implements EvaluationOperator {
    @Override
    public Predicate<Object> compile(List<Object> values) {
        AddressRanges ranges = AddressRanges.of("in_cidr", Operands.strings(values).toArray(String[]::new));
        return attribute -> attribute instanceof String address && ranges.contains(address);
    }
}
