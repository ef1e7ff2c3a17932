package io.ensign.stats.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ensign.api.stats.InvalidInputException;

/** Bad input is rejected with InvalidInputException naming the offending field by JSON pointer. */
class InvalidInputTest {
    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            welch-t          | {"treatment":{"n":10,"mean":1,"variance":1}}                                          | /control
            welch-t          | {"control":5,"treatment":{"n":10,"mean":1,"variance":1}}                              | /control
            welch-t          | {"control":{"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1}}        | /control/n
            welch-t          | {"control":{"n":1,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1}}  | /control/n
            welch-t          | {"control":{"n":10.5,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1}} | /control/n
            welch-t          | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":"10","mean":1,"variance":1}} | /treatment/n
            welch-t          | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"variance":1}}          | /treatment/mean
            welch-t          | {"control":{"n":10,"mean":1,"variance":-0.5},"treatment":{"n":10,"mean":1,"variance":1}} | /control/variance
            welch-t          | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"alpha":0} | /alpha
            welch-t          | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"alpha":1} | /alpha
            welch-t          | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"alpha":-0.1} | /alpha
            welch-t          | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"alpha":"0.05"} | /alpha
            two-proportion-z | {"control":{"n":100,"successes":10},"treatment":{"n":100,"successes":101}}            | /treatment/successes
            two-proportion-z | {"control":{"n":100,"successes":-1},"treatment":{"n":100,"successes":10}}             | /control/successes
            two-proportion-z | {"control":{"n":100,"successes":2.5},"treatment":{"n":100,"successes":10}}            | /control/successes
            two-proportion-z | {"control":{"n":1,"successes":1},"treatment":{"n":100,"successes":10}}                | /control/n
            two-proportion-z | {"control":{"n":100,"successes":10},"treatment":{"successes":10}}                     | /treatment/n
            two-proportion-z | {"control":{"n":100,"successes":10},"treatment":{"n":100,"successes":10},"alpha":1.5} | /alpha
            srm-chi-square   | {"weights":[50,50]}                                                                  | /observed
            srm-chi-square   | {"observed":"100,100","weights":[50,50]}                                             | /observed
            srm-chi-square   | {"observed":[100],"weights":[100]}                                                   | /observed
            srm-chi-square   | {"observed":[100,100,100],"weights":[50,50]}                                         | /weights
            srm-chi-square   | {"observed":[100,100]}                                                               | /weights
            srm-chi-square   | {"observed":[100,100],"weights":[50,-50]}                                            | /weights/1
            srm-chi-square   | {"observed":[100,100],"weights":[0,50]}                                              | /weights/0
            srm-chi-square   | {"observed":[100,100,-3],"weights":[1,1,1]}                                          | /observed/2
            srm-chi-square   | {"observed":["a",100],"weights":[1,1]}                                               | /observed/0
            srm-chi-square   | {"observed":[0,0],"weights":[1,1]}                                                   | /observed
            sample-size      | {"minimumDetectableEffect":0.1}                                                      | /standardDeviation
            sample-size      | {"standardDeviation":1,"baselineRate":0.1,"minimumDetectableEffect":0.1}             | /standardDeviation
            sample-size      | {"standardDeviation":0,"minimumDetectableEffect":0.1}                                | /standardDeviation
            sample-size      | {"standardDeviation":-1,"minimumDetectableEffect":0.1}                               | /standardDeviation
            sample-size      | {"standardDeviation":1}                                                              | /minimumDetectableEffect
            sample-size      | {"standardDeviation":1,"minimumDetectableEffect":0}                                  | /minimumDetectableEffect
            sample-size      | {"standardDeviation":1,"minimumDetectableEffect":0.1,"power":1}                      | /power
            sample-size      | {"standardDeviation":1,"minimumDetectableEffect":0.1,"power":0}                      | /power
            sample-size      | {"standardDeviation":1,"minimumDetectableEffect":0.1,"alpha":1}                      | /alpha
            sample-size      | {"baselineRate":1,"minimumDetectableEffect":0.1}                                     | /baselineRate
            sample-size      | {"baselineRate":0,"minimumDetectableEffect":0.1}                                     | /baselineRate
            msprt            | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"tau":0} | /tau
            msprt            | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"tau":-1} | /tau
            msprt            | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"minimumDetectableEffect":-0.1} | /minimumDetectableEffect
            msprt            | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":-1}} | /treatment/variance
            msprt            | {"control":{"n":0,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1}}  | /control/n
            msprt            | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"alpha":1.2} | /alpha
            bayesian-lift    | {"control":{"n":10,"mean":1,"variance":1}}                                          | /treatment
            bayesian-lift    | {"control":{"n":100,"successes":10},"treatment":{"n":100,"mean":1,"variance":1}}      | /treatment/successes
            bayesian-lift    | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"scale":"log"} | /scale
            bayesian-lift    | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"scale":3} | /scale
            bayesian-lift    | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"prior":0.3} | /prior
            bayesian-lift    | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"prior":{"mean":0}} | /prior/standardDeviation
            bayesian-lift    | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"prior":{"standardDeviation":0}} | /prior/standardDeviation
            bayesian-lift    | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"prior":{"mean":"0","standardDeviation":1}} | /prior/mean
            bayesian-lift    | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"alpha":1} | /alpha
            cuped            | {}                                                                                   | /variants
            cuped            | {"variants":[1,2]}                                                                   | /variants
            cuped            | {"variants":{}}                                                                      | /variants
            cuped            | {"variants":{"control":3}}                                                           | /variants/control
            cuped            | {"variants":{"a/b~c":{"n":1,"sumX":1,"sumY":1,"sumXX":1,"sumYY":1,"sumXY":1}}}        | /variants/a~1b~0c/n
            cuped            | {"variants":{"control":{"n":1,"sumX":1,"sumY":1,"sumXX":1,"sumYY":1,"sumXY":1}}}      | /variants/control/n
            cuped            | {"variants":{"control":{"n":5,"sumY":1,"sumXX":1,"sumYY":1,"sumXY":1}}}              | /variants/control/sumX
            cuped            | {"variants":{"control":{"n":5,"sumX":1,"sumY":1,"sumXX":-1,"sumYY":1,"sumXY":1}}}     | /variants/control/sumXX
            cuped            | {"variants":{"a":{"n":5,"sumX":1,"sumY":1,"sumXX":1,"sumYY":1,"sumXY":1},"b":{"n":5,"sumX":1,"sumY":1,"sumXX":1,"sumYY":-2,"sumXY":1}}} | /variants/b/sumYY
            ratio            | {"variants":{}}                                                                      | /variants
            ratio            | {"variants":{"control":{"n":1,"sumNumerator":1,"sumDenominator":1,"sumNumeratorSquares":1,"sumDenominatorSquares":1,"sumProducts":1}}} | /variants/control/n
            ratio            | {"variants":{"control":{"n":5,"sumDenominator":1,"sumNumeratorSquares":1,"sumDenominatorSquares":1,"sumProducts":1}}} | /variants/control/sumNumerator
            ratio            | {"variants":{"control":{"n":5,"sumNumerator":1,"sumDenominator":1,"sumNumeratorSquares":-1,"sumDenominatorSquares":1,"sumProducts":1}}} | /variants/control/sumNumeratorSquares
            ratio            | {"variants":{"control":{"n":5,"sumNumerator":1,"sumDenominator":1,"sumNumeratorSquares":1,"sumDenominatorSquares":1,"sumProducts":"1"}}} | /variants/control/sumProducts
            ratio            | {"variants":{"control":{"n":5,"sumNumerator":1,"sumDenominator":1,"sumNumeratorSquares":1,"sumDenominatorSquares":1,"sumProducts":1}},"alpha":2} | /alpha
            guardrail        | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"direction":"up"} | /direction
            guardrail        | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"margin":-1} | /margin
            guardrail        | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"margin":"1"} | /margin
            guardrail        | {"control":{"n":100,"successes":10},"treatment":{"n":100,"successes":120}}           | /treatment/successes
            guardrail        | {"control":{"n":10,"mean":1,"variance":1},"treatment":{"n":10,"mean":1,"variance":1},"alpha":0} | /alpha
            """)
    void badInputNamesTheOffendingField(String test, String input, String field) throws JsonProcessingException {
        Map<String, Object> parsed = json.readValue(input, new TypeReference<Map<String, Object>>() { });
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> BuiltInTests.named(test).compute(parsed));
        assertEquals(field, error.field());
        assertFalse(error.getMessage().isBlank());
    }

    @ParameterizedTest
    @CsvSource({"welch-t", "two-proportion-z", "srm-chi-square", "sample-size", "msprt", "bayesian-lift", "cuped", "ratio", "guardrail"})
    void missingInputIsRejectedAtTheRoot(String test) {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> BuiltInTests.named(test).compute(null));
        assertEquals("", error.field());
    }

    @Test
    void nonFiniteNumberIsRejected() {
        Map<String, Object> input = Map.of("standardDeviation", Double.NaN, "minimumDetectableEffect", 0.1);
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> BuiltInTests.named("sample-size").compute(input));
        assertEquals("/standardDeviation", error.field());
    }
}
