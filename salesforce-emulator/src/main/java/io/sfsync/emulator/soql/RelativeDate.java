package io.sfsync.emulator.soql;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/**
 * SOQL date literals: each names a range of whole days relative to today, {@code [start, end)}. A comparison
 * against one means: {@code =} inside the range, {@code <} before its start, {@code >} after its end,
 * {@code <=} before its end, {@code >=} from its start.
 *
 * <p>The emulator computes "today" in UTC and uses the en_US locale's week (starting Sunday). Fiscal literals use
 * the default fiscal year of a new org, which starts in January, so they equal their calendar counterparts.
 */
public enum RelativeDate {
    YESTERDAY(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.days(today.minusDays(1), 1);
        }
    },
    TODAY(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.days(today, 1);
        }
    },
    TOMORROW(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.days(today.plusDays(1), 1);
        }
    },
    LAST_WEEK(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.weeks(weekStart(today).minusWeeks(1), 1);
        }
    },
    THIS_WEEK(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.weeks(weekStart(today), 1);
        }
    },
    NEXT_WEEK(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.weeks(weekStart(today).plusWeeks(1), 1);
        }
    },
    LAST_MONTH(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(today.withDayOfMonth(1).minusMonths(1), 1);
        }
    },
    THIS_MONTH(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(today.withDayOfMonth(1), 1);
        }
    },
    NEXT_MONTH(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(today.withDayOfMonth(1).plusMonths(1), 1);
        }
    },
    /** Today and the 90 days before it: 91 days. */
    LAST_90_DAYS(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return LAST_N_DAYS.range(today, 90);
        }
    },
    /** The 90 days after today, today excluded. */
    NEXT_90_DAYS(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return NEXT_N_DAYS.range(today, 90);
        }
    },
    /** Today and the n days before it (LAST_N_DAYS:1 is yesterday and today). */
    LAST_N_DAYS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return new Range(today.minusDays(n), today.plusDays(1));
        }
    },
    /** The n days after today, today excluded. */
    NEXT_N_DAYS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.days(today.plusDays(1), n);
        }
    },
    N_DAYS_AGO(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.days(today.minusDays(n), 1);
        }
    },
    LAST_N_WEEKS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.weeks(weekStart(today).minusWeeks(n), n);
        }
    },
    NEXT_N_WEEKS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.weeks(weekStart(today).plusWeeks(1), n);
        }
    },
    N_WEEKS_AGO(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.weeks(weekStart(today).minusWeeks(n), 1);
        }
    },
    LAST_N_MONTHS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(today.withDayOfMonth(1).minusMonths(n), n);
        }
    },
    NEXT_N_MONTHS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(today.withDayOfMonth(1).plusMonths(1), n);
        }
    },
    N_MONTHS_AGO(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(today.withDayOfMonth(1).minusMonths(n), 1);
        }
    },
    THIS_QUARTER(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(quarterStart(today), 3);
        }
    },
    LAST_QUARTER(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(quarterStart(today).minusMonths(3), 3);
        }
    },
    NEXT_QUARTER(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(quarterStart(today).plusMonths(3), 3);
        }
    },
    LAST_N_QUARTERS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(quarterStart(today).minusMonths(3L * n), 3 * n);
        }
    },
    NEXT_N_QUARTERS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(quarterStart(today).plusMonths(3), 3 * n);
        }
    },
    N_QUARTERS_AGO(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.months(quarterStart(today).minusMonths(3L * n), 3);
        }
    },
    THIS_YEAR(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.years(today.withDayOfYear(1), 1);
        }
    },
    LAST_YEAR(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.years(today.withDayOfYear(1).minusYears(1), 1);
        }
    },
    NEXT_YEAR(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.years(today.withDayOfYear(1).plusYears(1), 1);
        }
    },
    LAST_N_YEARS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.years(today.withDayOfYear(1).minusYears(n), n);
        }
    },
    NEXT_N_YEARS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.years(today.withDayOfYear(1).plusYears(1), n);
        }
    },
    N_YEARS_AGO(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return Range.years(today.withDayOfYear(1).minusYears(n), 1);
        }
    },
    THIS_FISCAL_QUARTER(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return THIS_QUARTER.range(today, n);
        }
    },
    LAST_FISCAL_QUARTER(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return LAST_QUARTER.range(today, n);
        }
    },
    NEXT_FISCAL_QUARTER(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return NEXT_QUARTER.range(today, n);
        }
    },
    LAST_N_FISCAL_QUARTERS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return LAST_N_QUARTERS.range(today, n);
        }
    },
    NEXT_N_FISCAL_QUARTERS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return NEXT_N_QUARTERS.range(today, n);
        }
    },
    N_FISCAL_QUARTERS_AGO(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return N_QUARTERS_AGO.range(today, n);
        }
    },
    THIS_FISCAL_YEAR(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return THIS_YEAR.range(today, n);
        }
    },
    LAST_FISCAL_YEAR(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return LAST_YEAR.range(today, n);
        }
    },
    NEXT_FISCAL_YEAR(false) {
        @Override
        public Range range(LocalDate today, int n) {
            return NEXT_YEAR.range(today, n);
        }
    },
    LAST_N_FISCAL_YEARS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return LAST_N_YEARS.range(today, n);
        }
    },
    NEXT_N_FISCAL_YEARS(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return NEXT_N_YEARS.range(today, n);
        }
    },
    N_FISCAL_YEARS_AGO(true) {
        @Override
        public Range range(LocalDate today, int n) {
            return N_YEARS_AGO.range(today, n);
        }
    };

    /** Days {@code [start, end)}. */
    public record Range(LocalDate start, LocalDate end) {
        static Range days(LocalDate start, long count) {
            return new Range(start, start.plusDays(count));
        }

        static Range weeks(LocalDate start, long count) {
            return new Range(start, start.plusWeeks(count));
        }

        static Range months(LocalDate start, long count) {
            return new Range(start, start.plusMonths(count));
        }

        static Range years(LocalDate start, long count) {
            return new Range(start, start.plusYears(count));
        }
    }

    private final boolean takesN;

    RelativeDate(boolean takesN) {
        this.takesN = takesN;
    }

    /** Literals like {@code LAST_N_DAYS} are written with {@code :n}. */
    public boolean takesN() {
        return takesN;
    }

    /** The days this literal covers when today is {@code today}; {@code n} is ignored by literals without one. */
    public abstract Range range(LocalDate today, int n);

    static Optional<RelativeDate> named(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static LocalDate weekStart(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
    }

    private static LocalDate quarterStart(LocalDate day) {
        int firstMonth = (day.getMonthValue() - 1) / 3 * 3 + 1;
        return LocalDate.of(day.getYear(), firstMonth, 1);
    }
}
