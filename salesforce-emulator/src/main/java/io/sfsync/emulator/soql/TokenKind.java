package io.sfsync.emulator.soql;

/** The kinds of token the SOQL lexer produces. */
enum TokenKind {
    /** A name or a dotted field path ({@code Account.Owner.Name}); keywords are identifiers too. */
    IDENTIFIER,
    /** A quoted string; the token text keeps the quotes and escapes as written. */
    STRING,
    /** A number, with its sign when written directly before the digits ({@code -5}). */
    NUMBER,
    DATE,
    DATETIME,
    LPAREN,
    RPAREN,
    COMMA,
    COLON,
    /** {@code = != <> < <= > >=}. */
    OPERATOR,
    /** Punctuation Salesforce's lexer knows but SOQL never accepts here ({@code @ ; . [ ]} ...). */
    SYMBOL,
    /**
     * Text the lexer could not read (a stray character, an unterminated string, a bad escape or date). The parser
     * reports its problem when it reaches it, so that an earlier syntax error wins, as with Salesforce's lexer.
     */
    ERROR,
    EOF
}
