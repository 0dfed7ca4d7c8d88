package io.sfsync.emulator.soql;

import java.util.List;

/**
 * The text of a query and its tokens, kept with the parsed query so that errors found later (unknown field,
 * wrong literal type) can quote the query the way Salesforce does:
 *
 * <pre>
 * \nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' ...
 * </pre>
 *
 * Salesforce does not quote the whole query: it shows the tokens of the error's line from about 30 characters
 * before the error to about 30 after, widened to whole tokens (a dotted path and a quoted string are one token).
 * This rule reproduces every real message we found, including truncated ones from long queries.
 */
public final class QuerySource {

    /** How far either side of the error Salesforce's excerpt reaches, before widening to whole tokens. */
    private static final int EXCERPT_REACH = 30;

    private final String text;
    private final List<Token> tokens;

    QuerySource(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /** The query as the client sent it. */
    public String text() {
        return text;
    }

    List<Token> tokens() {
        return tokens;
    }

    /** An error located at a character position, in Salesforce's message layout. */
    SoqlException error(SoqlErrorCode code, int position, String detail) {
        return new SoqlException(code, located(position, detail, SoqlLexer.ErrorStyle.PARSER));
    }

    SoqlException error(SoqlErrorCode code, int position, String detail, SoqlLexer.ErrorStyle style) {
        return new SoqlException(code, located(position, detail, style));
    }

    /** A located MALFORMED_QUERY for valid SOQL the emulator does not implement. */
    SoqlException unsupported(int position, String construct) {
        return new SoqlException(SoqlErrorCode.MALFORMED_QUERY,
                located(position, construct + " is not supported by the Salesforce emulator",
                        SoqlLexer.ErrorStyle.PARSER), true);
    }

    private String located(int position, String detail, SoqlLexer.ErrorStyle style) {
        int lineStart = text.lastIndexOf('\n', position - 1) + 1;
        int lineEnd = text.indexOf('\n', position);
        if (lineEnd < 0) {
            lineEnd = text.length();
        }
        if (lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r') {
            lineEnd--;
        }
        int row = 1;
        for (int i = 0; i < lineStart; i++) {
            if (text.charAt(i) == '\n') {
                row++;
            }
        }
        int column;
        int caret;
        if (style == SoqlLexer.ErrorStyle.PARSER) {
            column = position - lineStart + 1;
            caret = position;
        } else {
            column = position - lineStart;
            caret = Math.max(lineStart, position - 1);
        }
        if (style == SoqlLexer.ErrorStyle.LEXER_WITH_LINE) {
            detail = "line " + row + ":" + column + " " + detail;
        }

        int from = caret;
        int to = caret;
        for (Token t : tokens) {
            if (t.kind() == TokenKind.EOF || t.start() < lineStart || t.start() >= lineEnd) {
                continue;
            }
            if (t.end() > caret - EXCERPT_REACH && t.start() <= caret + EXCERPT_REACH) {
                from = Math.min(from, t.start());
                to = Math.max(to, Math.min(t.end(), lineEnd));
            }
        }
        to = Math.min(Math.max(to, from), text.length());
        String excerpt = text.substring(from, to);
        return "\n" + excerpt + "\n" + " ".repeat(caret - from) + "^\nERROR at Row:" + row + ":Column:" + column
                + "\n" + detail;
    }
}
