package io.sfsync.salesforce.bulk;

import io.sfsync.salesforce.error.ErrorCategory;
import io.sfsync.salesforce.write.RecordError;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CSV dialect and the sf__Error format, without a server. */
class BulkCsvTest {

    @Test
    void sfErrorCellsAreParsedLikeCollectionsErrors() {
        assertThat(BulkCsv.parseError("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"))
                .isEqualTo(new RecordError("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]",
                        List.of("Name"), ErrorCategory.RECORD));
        assertThat(BulkCsv.parseError("ENTITY_IS_DELETED:entity is deleted:--"))
                .isEqualTo(new RecordError("ENTITY_IS_DELETED", "entity is deleted", List.of(), ErrorCategory.RECORD));
        assertThat(BulkCsv.parseError("UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--")
                .category()).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(BulkCsv.parseError("FIELD_CUSTOM_VALIDATION_EXCEPTION:Amount: must be > 0:Amount,Stage --"))
                .isEqualTo(new RecordError("FIELD_CUSTOM_VALIDATION_EXCEPTION", "Amount: must be > 0",
                        List.of("Amount", "Stage"), ErrorCategory.RECORD));
        assertThat(BulkCsv.parseError("something odd")).isEqualTo(
                new RecordError(null, "something odd", List.of(), ErrorCategory.RECORD));
    }

    @Test
    void cellsAreWrittenAsBulkApiReadsThem() {
        assertThat(BulkCsv.cell(null)).isEqualTo("#N/A");
        assertThat(BulkCsv.cell("")).isEqualTo("#N/A");
        assertThat(BulkCsv.cell(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(BulkCsv.cell(1.5e10)).isEqualTo("15000000000");
        assertThat(BulkCsv.cell(true)).isEqualTo("true");
        assertThat(BulkCsv.cell(LocalDate.of(2024, 1, 2))).isEqualTo("2024-01-02");
        assertThat(BulkCsv.cell(Instant.parse("2024-01-02T03:04:05Z"))).isEqualTo("2024-01-02T03:04:05.000Z");
        assertThat(BulkCsv.cell(OffsetDateTime.of(2024, 1, 2, 5, 4, 5, 0, ZoneOffset.ofHours(2))))
                .isEqualTo("2024-01-02T03:04:05.000Z");
        assertThatThrownBy(() -> BulkCsv.cell(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BulkCsv.cell(new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cellsAreQuotedOnlyWhenTheyMustBe() {
        assertThat(BulkCsv.escape("plain")).isEqualTo("plain");
        assertThat(BulkCsv.escape("#N/A")).isEqualTo("#N/A");
        assertThat(BulkCsv.escape("a,b")).isEqualTo("\"a,b\"");
        assertThat(BulkCsv.escape("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(BulkCsv.escape("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(BulkCsv.escape(" padded ")).isEqualTo("\" padded \"");
        assertThat(BulkCsv.utf8Length("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
    }
}
