package io.sfsync.emulator.soql;

import java.util.List;

/**
 * A WHERE condition. SOQL never mixes AND and OR at one level (parentheses are required), and NOT applies to a
 * single condition, so the tree mirrors the text exactly.
 */
public sealed interface Condition {

    record And(List<Condition> operands) implements Condition {
        public And {
            operands = List.copyOf(operands);
        }
    }

    record Or(List<Condition> operands) implements Condition {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    record Not(Condition operand) implements Condition {
    }

    /** {@code field operator value}, e.g. {@code Name LIKE 'Acme%'} or {@code Industry IN ('Banking', 'Energy')}. */
    record Comparison(FieldPath field, ComparisonOperator operator, Operand value) implements Condition {
    }
}
