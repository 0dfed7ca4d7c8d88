package io.sfsync.emulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfsync.emulator.model.FieldType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireValuesTest {

    @Test
    void dateTimeHasMillisAndPlusZeroOffset() {
        assertThat(WireValues.formatDateTime(Instant.parse("2024-01-02T03:04:05Z")))
                .isEqualTo("2024-01-02T03:04:05.000+0000");
        assertThat(WireValues.formatDateTime(Instant.parse("2024-01-02T03:04:05.123456Z")))
                .isEqualTo("2024-01-02T03:04:05.123+0000");
    }

    @Test
    void dateAndTime() {
        assertThat(WireValues.formatDate(LocalDate.of(2024, 1, 2))).isEqualTo("2024-01-02");
        assertThat(WireValues.formatTime(LocalTime.of(3, 4, 5))).isEqualTo("03:04:05.000Z");
    }

    @Test
    void jsonValuesByFieldType() {
        assertThat(WireValues.toJson(FieldType.INT, new BigDecimal("250"))).isEqualTo(250L);
        assertThat(WireValues.toJson(FieldType.INT, new BigDecimal("250.0"))).isEqualTo(250L);
        assertThat(WireValues.toJson(FieldType.CURRENCY, new BigDecimal("15000"))).isEqualTo(15000.0);
        assertThat(WireValues.toJson(FieldType.PERCENT, new BigDecimal("12.5"))).isEqualTo(12.5);
        assertThat(WireValues.toJson(FieldType.BOOLEAN, Boolean.TRUE)).isEqualTo(true);
        assertThat(WireValues.toJson(FieldType.STRING, "x")).isEqualTo("x");
        assertThat(WireValues.toJson(FieldType.DATETIME, Instant.parse("2024-01-02T03:04:05Z")))
                .isEqualTo("2024-01-02T03:04:05.000+0000");
        assertThat(WireValues.toJson(FieldType.DATE, LocalDate.of(2024, 1, 2))).isEqualTo("2024-01-02");
        assertThat(WireValues.toJson(FieldType.TIME, LocalTime.of(3, 4, 5))).isEqualTo("03:04:05.000Z");
        assertThat(WireValues.toJson(FieldType.STRING, null)).isNull();
    }

    @Test
    void compoundValuesKeepTheirKeysAndConvertNumbers() {
        Map<String, Object> address = new TreeMap<>(Map.of("city", "Paris", "latitude", new BigDecimal("48.85")));

        assertThat(WireValues.toJson(FieldType.ADDRESS, address)).isEqualTo(Map.of("city", "Paris", "latitude", 48.85));
    }

    /** Salesforce serializes double-typed fields through a Java double: large amounts come out in E notation. */
    @ParameterizedTest
    @CsvSource({"CURRENCY,90000000,9.0E7", "DOUBLE,15000,15000.0", "INT,42,42", "LONG,9007199254740993,9007199254740993"})
    void numberTextAsSalesforceWritesIt(FieldType type, BigDecimal value, String text) {
        assertThat(WireValues.jsonNumberText(type, value)).isEqualTo(text);
        assertThat(WireValues.toText(type, value)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
            "2024-01-02T03:04:05.000+0000,2024-01-02T03:04:05Z",
            "2024-01-02T03:04:05Z,2024-01-02T03:04:05Z",
            "2024-01-02T03:04:05.5Z,2024-01-02T03:04:05.500Z",
            "2024-01-02T08:34:05+05:30,2024-01-02T03:04:05Z",
            "2024-01-02T08:34:05+0530,2024-01-02T03:04:05Z",
            "2024-01-01T22:04:05-05:00,2024-01-02T03:04:05Z"})
    void parsesEveryAcceptedDateTimeForm(String text, Instant expected) {
        assertThat(WireValues.parseDateTime(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-02T03:04:05", "2024-01-02", "2024-13-02T03:04:05Z", "2024-01-02T03:04:05+25:00",
                            "2024-01-02 03:04:05Z", "yesterday"})
    void rejectsOtherDateTimes(String text) {
        assertThatThrownBy(() -> WireValues.parseDateTime(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesDatesAndTimes() {
        assertThat(WireValues.parseDate("2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThatThrownBy(() -> WireValues.parseDate("2023-02-29")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WireValues.parseDate("2024-1-2")).isInstanceOf(IllegalArgumentException.class);
        assertThat(WireValues.parseTime("03:04:05.000Z")).isEqualTo(LocalTime.of(3, 4, 5));
        assertThat(WireValues.parseTime("03:04:05")).isEqualTo(LocalTime.of(3, 4, 5));
        assertThatThrownBy(() -> WireValues.parseTime("25:00:00Z")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromTextIsTheInverseOfToText() {
        Object[][] cases = {
                {FieldType.STRING, "x"}, {FieldType.BOOLEAN, true}, {FieldType.INT, new BigDecimal("42")},
                {FieldType.CURRENCY, new BigDecimal("12.5")}, {FieldType.DATE, LocalDate.of(2024, 1, 2)},
                {FieldType.DATETIME, Instant.parse("2024-01-02T03:04:05.123Z")},
                {FieldType.TIME, LocalTime.of(3, 4, 5, 6_000_000)}};
        for (Object[] c : cases) {
            FieldType type = (FieldType) c[0];
            Object back = WireValues.fromText(type, WireValues.toText(type, c[1]));
            if (back instanceof BigDecimal d) {
                assertThat(d).isEqualByComparingTo((BigDecimal) c[1]);
            } else {
                assertThat(back).as(type.name()).isEqualTo(c[1]);
            }
        }
        assertThat(WireValues.fromText(FieldType.BOOLEAN, "FALSE")).isEqualTo(false);
        assertThat(WireValues.fromText(FieldType.STRING, null)).isNull();
        assertThatThrownBy(() -> WireValues.fromText(FieldType.BOOLEAN, "yes"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WireValues.fromText(FieldType.DOUBLE, "1,5"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
