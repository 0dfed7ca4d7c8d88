package io.sfsync.emulator.soql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The day ranges of date literals, for Friday 17 May 2024 (weeks start on Sunday in en_US). */
class RelativeDateTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 5, 17);

    @ParameterizedTest
    @CsvSource({
            "YESTERDAY,0,2024-05-16,2024-05-17",
            "TODAY,0,2024-05-17,2024-05-18",
            "TOMORROW,0,2024-05-18,2024-05-19",
            "THIS_WEEK,0,2024-05-12,2024-05-19",
            "LAST_WEEK,0,2024-05-05,2024-05-12",
            "NEXT_WEEK,0,2024-05-19,2024-05-26",
            "THIS_MONTH,0,2024-05-01,2024-06-01",
            "LAST_MONTH,0,2024-04-01,2024-05-01",
            "NEXT_MONTH,0,2024-06-01,2024-07-01",
            "LAST_90_DAYS,0,2024-02-17,2024-05-18",
            "NEXT_90_DAYS,0,2024-05-18,2024-08-16",
            "LAST_N_DAYS,1,2024-05-16,2024-05-18",
            "LAST_N_DAYS,7,2024-05-10,2024-05-18",
            "NEXT_N_DAYS,2,2024-05-18,2024-05-20",
            "N_DAYS_AGO,3,2024-05-14,2024-05-15",
            "LAST_N_WEEKS,2,2024-04-28,2024-05-12",
            "NEXT_N_WEEKS,1,2024-05-19,2024-05-26",
            "N_WEEKS_AGO,1,2024-05-05,2024-05-12",
            "LAST_N_MONTHS,2,2024-03-01,2024-05-01",
            "NEXT_N_MONTHS,1,2024-06-01,2024-07-01",
            "N_MONTHS_AGO,12,2023-05-01,2023-06-01",
            "THIS_QUARTER,0,2024-04-01,2024-07-01",
            "LAST_QUARTER,0,2024-01-01,2024-04-01",
            "NEXT_QUARTER,0,2024-07-01,2024-10-01",
            "LAST_N_QUARTERS,2,2023-10-01,2024-04-01",
            "N_QUARTERS_AGO,1,2024-01-01,2024-04-01",
            "THIS_YEAR,0,2024-01-01,2025-01-01",
            "LAST_N_YEARS,2,2022-01-01,2024-01-01",
            "NEXT_N_YEARS,1,2025-01-01,2026-01-01",
            "N_YEARS_AGO,1,2023-01-01,2024-01-01",
            "THIS_FISCAL_YEAR,0,2024-01-01,2025-01-01",
            "LAST_FISCAL_QUARTER,0,2024-01-01,2024-04-01"})
    void ranges(RelativeDate literal, int n, LocalDate start, LocalDate end) {
        assertThat(literal.range(TODAY, n)).isEqualTo(new RelativeDate.Range(start, end));
    }
}
