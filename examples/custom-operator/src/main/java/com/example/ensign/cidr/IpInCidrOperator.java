package com.example.ensign.cidr;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.ensign.api.operator.EvaluationOperator;
import io.ensign.api.operator.OperatorPlugin;
import org.osgi.service.component.annotations.Component;

/**
 * {@code ip_in_cidr}: the attribute is an IP address (IPv4 dotted quad or IPv6 text) inside any of the CIDR
 * blocks given as values, e.g. {@code {"attribute":"ip","operator":"ip_in_cidr","values":["10.0.0.0/8"]}}.
 * A missing attribute, a non-string or an unparseable address does not match.
 */
@Component(service = EvaluationOperator.class)
@OperatorPlugin(name = "ip_in_cidr")
public final class IpInCidrOperator implements EvaluationOperator {

    @Override
    public Predicate<Object> compile(List<Object> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("ip_in_cidr needs at least one CIDR block, e.g. 10.0.0.0/8");
        }
        List<CidrBlock> blocks = new ArrayList<>();
        for (Object v : values) {
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException("ip_in_cidr takes CIDR blocks as strings, got " + v);
            }
            blocks.add(CidrBlock.parse(s));
        }
        return attribute -> {
            if (!(attribute instanceof String s)) {
                return false;
            }
            byte[] address = IpAddress.parse(s);
            if (address == null) {
                return false;
            }
            for (CidrBlock block : blocks) {
                if (block.contains(address)) {
                    return true;
                }
            }
            return false;
        };
    }
}
