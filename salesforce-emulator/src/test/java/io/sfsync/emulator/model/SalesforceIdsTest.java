package io.sfsync.emulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The case-safe id checksum, against the test vectors in shared/docs/SALESFORCE-API.md. */
class SalesforceIdsTest {

    @ParameterizedTest
    @CsvSource({
            "001M000000qfPyS, 001M000000qfPySIAU",
            "a0RE000000IJmcN, a0RE000000IJmcNMAT",
            "aaaaaaaaaaaaaaa, aaaaaaaaaaaaaaaAAA",
            "AbCdEfGhIjKlMnO, AbCdEfGhIjKlMnOVKV",
            "aBcDEfgHIJKLMNO, aBcDEfgHIJKLMNO025",
            "a0D30000001n7Pi, a0D30000001n7PiEAI"})
    void checksumMatchesSalesforce(String id15, String id18) {
        assertThat(SalesforceIds.toCaseSafe(id15)).isEqualTo(id18);
        assertThat(SalesforceIds.normalize(id15)).isEqualTo(id18);
        assertThat(SalesforceIds.normalize(id18)).isEqualTo(id18);
    }

    @Test
    void eighteenCharacterIdsAreCaseInsensitive() {
        assertThat(SalesforceIds.normalize("001m000000QFpYsiau")).isEqualTo("001M000000qfPySIAU");
    }

    @Test
    void malformedIdsAreRejected() {
        assertThat(SalesforceIds.normalize("001M000000qfPy")).isNull();
        assertThat(SalesforceIds.normalize("001M000000qfPyS!AU")).isNull();
        assertThat(SalesforceIds.normalize("001M000000qfPyS999")).isNull();
        assertThat(SalesforceIds.normalize(null)).isNull();
    }

    @Test
    void generatedIdsAreValidOrderedAndCarryTheKeyPrefix() {
        String first = SalesforceIds.newId("001", "5e", 61);
        String second = SalesforceIds.newId("001", "5e", 62);
        assertThat(first).hasSize(18).startsWith("0015e");
        assertThat(SalesforceIds.normalize(first.substring(0, 15))).isEqualTo(first);
        assertThat(first.compareTo(second)).as("id order is creation order").isNegative();
    }
}
