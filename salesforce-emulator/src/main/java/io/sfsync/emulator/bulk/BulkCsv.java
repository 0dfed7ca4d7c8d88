package io.sfsync.emulator.bulk;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CSV dialect of one Bulk API 2.0 job: its column delimiter and line ending. Job data is read as RFC 4180
 * with that delimiter; result files are written with every value quoted, as Salesforce writes
 * {@code "sf__Id","sf__Created",...}.
 */
final class BulkCsv {

    /** The {@code columnDelimiter} values Bulk API 2.0 accepts, and the character each stands for. */
    enum Delimiter {
        COMMA(','), TAB('\t'), PIPE('|'), SEMICOLON(';'), CARET('^'), BACKQUOTE('`');

        final char character;

        Delimiter(char c) {
            this.character = c;
        }

        static Delimiter parse(String name) {
            for (Delimiter d : values()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            return null;
        }
    }

    /** The {@code lineEnding} values: LF or CRLF. */
    enum LineEnding {
        LF("\n"), CRLF("\r\n");

        final String separator;

        LineEnding(String s) {
            this.separator = s;
        }

        static LineEnding parse(String name) {
            for (LineEnding l : values()) {
                if (l.name().equals(name)) {
                    return l;
                }
            }
            return null;
        }
    }

    /** Uploaded job data: the header row and the data rows, each padded or cut to the header's width. */
    record Table(List<String> header, List<List<String>> rows) {
    }

    private final Delimiter delimiter;
    private final LineEnding lineEnding;

    BulkCsv(Delimiter delimiter, LineEnding lineEnding) {
        this.delimiter = delimiter;
        this.lineEnding = lineEnding;
    }

    /**
     * Whether the data's line endings match the job's setting, judged on the header row (the only line that
     * cannot legitimately hold a quoted line break).
     */
    boolean lineEndingMatches(String data) {
        int lf = data.indexOf('\n');
        if (lf < 0) {
            return true; // a single line without terminator
        }
        boolean crlf = lf > 0 && data.charAt(lf - 1) == '\r';
        return lineEnding == LineEnding.CRLF ? crlf : !crlf;
    }

    /** Parses job data. Short rows are padded with empty cells; cells past the header's width are ignored. */
    Table parse(String data) {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter.character)
                .setRecordSeparator(lineEnding.separator)
                .setIgnoreEmptyLines(true)
                .get();
        // A byte order mark is not stripped: Salesforce reads it as part of the first column's name.
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(data)).setFormat(format).get()) {
            List<String> header = null;
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                List<String> cells = r.toList();
                if (header == null) {
                    header = List.copyOf(cells);
                    continue;
                }
                List<String> row = new ArrayList<>(header.size());
                for (int i = 0; i < header.size(); i++) {
                    row.add(i < cells.size() ? cells.get(i) : "");
                }
                rows.add(row);
            }
            return new Table(header == null ? List.of() : header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a result file: the header, then the rows, every value quoted. Empty when there is no header. */
    String write(List<String> header, List<List<String>> rows) {
        if (header.isEmpty()) {
            return "";
        }
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter.character)
                .setRecordSeparator(lineEnding.separator)
                .setQuoteMode(QuoteMode.ALL)
                .get();
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            printer.printRecord(header);
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
