package io.sfsync.emulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;

/** Salesforce's date and datetime forms on each wire. */
class WireFormatTest {

    @Test
    void restAndCdcDatetimeForms() {
        Instant t = Instant.parse("2024-01-02T03:04:05Z");
        assertThat(WireFormat.toRest(t)).isEqualTo("2024-01-02T03:04:05.000+0000");
        assertThat(WireFormat.toCdc(t)).isEqualTo("2024-01-02T03:04:05.000Z");
        assertThat(WireFormat.toRest(LocalDate.of(2024, 1, 2))).isEqualTo("2024-01-02");
    }

    @Test
    void acceptsEveryInputDatetimeForm() {
        Instant expected = Instant.parse("2024-01-02T03:04:05Z");
        assertThat(WireFormat.parseDateTime("2024-01-02T03:04:05Z")).isEqualTo(expected);
        assertThat(WireFormat.parseDateTime("2024-01-02T03:04:05.000+0000")).isEqualTo(expected);
        assertThat(WireFormat.parseDateTime("2024-01-02T04:04:05.000+01:00")).isEqualTo(expected);
        assertThat(WireFormat.parseDateTime("2024-01-02T03:04:05")).isEqualTo(expected);
    }

    @Test
    void integersHaveNoDecimalPoint() {
        assertThat(WireFormat.toRest(new BigDecimal("42"))).isEqualTo(BigInteger.valueOf(42));
        assertThat(WireFormat.toRest(new BigDecimal("42.50"))).isEqualTo(new BigDecimal("42.50"));
        assertThat(WireFormat.toCsv(new BigDecimal("1E+3"))).isEqualTo("1000");
    }
}
