package io.sfsync.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks a worker to validate a Debezium Postgres source that requires exactly-once support (KIP-618). A worker with
 * {@code exactly.once.source.support=enabled} accepts the key; one without it reports an error on it. The database
 * is unreachable on purpose: only the {@code exactly.once.support} key is looked at.
 */
final class ExactlyOnceProbe {

    private ExactlyOnceProbe() {
    }

    static List<String> errorsWhenRequired(ConnectFixture connect) {
        JsonNode validation = connect.validate("io.debezium.connector.postgresql.PostgresConnector", Map.of(
                "name", "eos-probe",
                "exactly.once.support", "required",
                "topic.prefix", "eos",
                "database.hostname", "localhost",
                "database.port", "1",
                "database.user", "nobody",
                "database.dbname", "none"));
        for (JsonNode config : validation.path("configs")) {
            JsonNode value = config.path("value");
            if ("exactly.once.support".equals(value.path("name").asText())) {
                List<String> errors = new ArrayList<>();
                value.path("errors").forEach(error -> errors.add(error.asText()));
                return errors;
            }
        }
        throw new AssertionError("No exactly.once.support in the validation reply " + validation);
    }
}
