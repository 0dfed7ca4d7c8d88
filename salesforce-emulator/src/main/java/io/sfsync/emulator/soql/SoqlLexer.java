package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.WireValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SOQL statement into tokens. Never throws: what it cannot read becomes an {@link TokenKind#ERROR} token
 * with a {@link Problem}, and it goes on to the end, because Salesforce's error excerpt shows the tokens on both
 * sides of an error.
 *
 * <p>A dotted path ({@code Account.Owner.Name}) is one identifier token, as in Salesforce's lexer: errors about
 * a path point at its first character.
 */
final class SoqlLexer {

    /** Characters Salesforce's (Apex) lexer knows as tokens; any other stray character is a lexer error there. */
    private static final String KNOWN_SYMBOLS = "@;.{}[]?~&|^*/%+-!";

    /** Something the lexer could not read, at the start of an ERROR token. */
    record Problem(int position, String detail, ErrorStyle style) {
    }

    /** How Salesforce reports an error found by its lexer rather than its parser. */
    enum ErrorStyle {
        /** An ordinary parser-style error: Column is the 1-based column of the position. */
        PARSER,
        /**
         * A lexer error: Salesforce reports Column as the 0-based index of the bad character (so the caret sits
         * one character to its left), as seen in real responses.
         */
        LEXER,
        /** A lexer error whose detail starts with {@code line R:C }, C being the 0-based column. */
        LEXER_WITH_LINE
    }

    record Result(List<Token> tokens, List<Problem> problems) {

        /** The problem of an ERROR token. */
        Problem problemAt(Token token) {
            return problems.stream().filter(p -> p.position() == token.start()).findFirst().orElseThrow();
        }
    }

    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private int pos;

    private SoqlLexer(String text) {
        this.text = text;
    }

    static Result tokenize(String text) {
        SoqlLexer lexer = new SoqlLexer(text);
        lexer.run();
        return new Result(List.copyOf(lexer.tokens), List.copyOf(lexer.problems));
    }

    private void run() {
        while (true) {
            skipWhitespace();
            if (pos >= text.length()) {
                tokens.add(new Token(TokenKind.EOF, "<EOF>", text.length(), text.length()));
                return;
            }
            char c = text.charAt(pos);
            if (isIdentifierStart(c)) {
                identifier();
            } else if (isDigit(c)) {
                numberOrDate();
            } else if ((c == '-' || c == '+') && isDigit(peek(1))) {
                signedNumber();
            } else if (c == '\'') {
                string();
            } else {
                punctuation(c);
            }
        }
    }

    private void identifier() {
        int start = pos;
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isIdentifierPart(c)) {
                pos++;
            } else if (c == '.' && isIdentifierStart(peek(1))) {
                pos += 2;
            } else {
                break;
            }
        }
        add(TokenKind.IDENTIFIER, start);
    }

    private void numberOrDate() {
        int start = pos;
        int digits = 0;
        while (isDigit(peek(0))) {
            pos++;
            digits++;
        }
        if (digits == 4 && peek(0) == '-' && isDigit(peek(1))) {
            dateOrDateTime(start);
            return;
        }
        fraction();
        add(TokenKind.NUMBER, start);
    }

    private void signedNumber() {
        int start = pos;
        pos++;
        while (isDigit(peek(0))) {
            pos++;
        }
        fraction();
        add(TokenKind.NUMBER, start);
    }

    private void fraction() {
        if (peek(0) == '.' && isDigit(peek(1))) {
            pos++;
            while (isDigit(peek(0))) {
                pos++;
            }
        }
    }

    /** Date and datetime literals are unquoted; read the whole literal, then check it. */
    private void dateOrDateTime(int start) {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isDigit(c) || isLetter(c) || c == ':' || c == '.' || c == '-' || c == '+') {
                pos++;
            } else {
                break;
            }
        }
        String literal = text.substring(start, pos);
        boolean hasTime = literal.length() > 10 && (literal.charAt(10) == 'T' || literal.charAt(10) == 't');
        try {
            if (hasTime) {
                WireValues.parseDateTime(literal);
                add(TokenKind.DATETIME, start);
            } else {
                WireValues.parseDate(literal);
                add(TokenKind.DATE, start);
            }
        } catch (IllegalArgumentException e) {
            error(start, SoqlErrors.invalidDateOrDateTime(hasTime, literal), ErrorStyle.PARSER);
        }
    }

    private void string() {
        int start = pos;
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\') {
                pos += 2;
            } else if (c == '\'') {
                pos++;
                String literal = text.substring(start, pos);
                try {
                    unescape(literal.substring(1, literal.length() - 1));
                    add(TokenKind.STRING, start);
                } catch (IllegalArgumentException e) {
                    error(start, SoqlErrors.illegalEscape(literal, e.getMessage()), ErrorStyle.PARSER);
                }
                return;
            } else {
                pos++;
            }
        }
        // No closing quote: Salesforce reports the lone quote itself as the unexpected token.
        pos = text.length();
        error(start, "unexpected token: '''", ErrorStyle.LEXER);
    }

    private void punctuation(char c) {
        int start = pos;
        char next = peek(1);
        switch (c) {
            case '(' -> single(TokenKind.LPAREN);
            case ')' -> single(TokenKind.RPAREN);
            case ',' -> single(TokenKind.COMMA);
            case ':' -> single(TokenKind.COLON);
            case '=' -> single(TokenKind.OPERATOR);
            case '!' -> {
                if (next == '=') {
                    pos += 2;
                    add(TokenKind.OPERATOR, start);
                } else {
                    single(TokenKind.SYMBOL);
                }
            }
            case '<' -> {
                pos += (next == '=' || next == '>') ? 2 : 1;
                add(TokenKind.OPERATOR, start);
            }
            case '>' -> {
                pos += next == '=' ? 2 : 1;
                add(TokenKind.OPERATOR, start);
            }
            default -> {
                if (KNOWN_SYMBOLS.indexOf(c) >= 0) {
                    single(TokenKind.SYMBOL);
                } else {
                    pos++;
                    error(start, "unexpected token: '" + c + "'", ErrorStyle.LEXER_WITH_LINE);
                }
            }
        }
    }

    private void single(TokenKind kind) {
        int start = pos;
        pos++;
        add(kind, start);
    }

    private Token add(TokenKind kind, int start) {
        Token token = new Token(kind, text.substring(start, pos), start, pos);
        tokens.add(token);
        return token;
    }

    /** Makes the text from {@code start} to the current position an ERROR token with this problem. */
    private void error(int start, String detail, ErrorStyle style) {
        add(TokenKind.ERROR, start);
        problems.add(new Problem(start, detail, style));
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < text.length() ? text.charAt(i) : '\0';
    }

    /**
     * Decodes the body of a string literal (without its quotes). SOQL escapes: {@code \n \r \t \b \f} (either case),
     * {@code \" \' \\}, and {@code \% \_}, which stand for the plain characters here; LIKE treats them as escaped
     * wildcards (see {@link LikePattern}).
     *
     * @throws IllegalArgumentException with the offending sequence ({@code \x}) as message
     */
    static String unescape(String body) {
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= body.length()) {
                throw new IllegalArgumentException("\\");
            }
            char e = body.charAt(++i);
            switch (e) {
                case 'n', 'N' -> out.append('\n');
                case 'r', 'R' -> out.append('\r');
                case 't', 'T' -> out.append('\t');
                case 'b', 'B' -> out.append('\b');
                case 'f', 'F' -> out.append('\f');
                case '"', '\'', '\\', '%', '_' -> out.append(e);
                default -> throw new IllegalArgumentException("\\" + e);
            }
        }
        return out.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isIdentifierStart(char c) {
        return isLetter(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }
}
