package io.sfsync.source.mapping;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** The by-position reader of Salesforce's datetime shapes agrees with the general parser, and declines the others. */
class ObjectSchemaWireDateTimeTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T05:53:45.123+0000", "2026-11-22T05:53:45.000Z", "1999-12-31T23:59:59.999-0530",
            "2024-02-29T00:00:00.001+1400", "1970-01-01T00:00:00.000Z"})
    void readsTheWireShapesLikeTheGeneralParser(String text) {
        String iso = text.endsWith("Z") ? text : text.substring(0, 26) + ":" + text.substring(26);
        assertThat(ObjectSchema.wireDateTime(text)).isNotNull()
                .isEqualTo(java.util.Date.from(OffsetDateTime.parse(iso).toInstant()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T05:53:45Z", "2026-11-22T05:53:45.000+00:00", "2026-11-22", "2026-13-22T05:53:45.000Z",
            "2026-11-22T05:5x:45.000Z", "2026-11-22 05:53:45.000Z", "+026-11-22T05:53:45.000Z"})
    void declinesEveryOtherShape(String text) {
        assertThat(ObjectSchema.wireDateTime(text)).isNull();
    }
}
