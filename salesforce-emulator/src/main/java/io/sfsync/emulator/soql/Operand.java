package io.sfsync.emulator.soql;

import java.util.List;

/** The right-hand side of a comparison: one literal, or a parenthesized list for IN / INCLUDES and their negations. */
public sealed interface Operand permits Literal, Operand.LiteralList {

    /** Index of the operand's first character in the query text. */
    int position();

    record LiteralList(List<Literal> values, int position) implements Operand {
        public LiteralList {
            values = List.copyOf(values);
        }
    }
}
