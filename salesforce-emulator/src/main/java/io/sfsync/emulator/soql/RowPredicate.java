package io.sfsync.emulator.soql;

/** A compiled WHERE condition. */
@FunctionalInterface
interface RowPredicate {
    boolean test(Row row);
}
