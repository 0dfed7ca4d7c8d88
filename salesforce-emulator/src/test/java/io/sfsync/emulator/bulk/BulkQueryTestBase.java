package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfsync.emulator.EmulatorHttp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The Bulk API 2.0 query calls the query tests make over real HTTP. */
abstract class BulkQueryTestBase extends BulkApiTestBase {

    static final String QUERY = V + "/jobs/query";

    /** A create-job body for a query operation ("query" or "queryAll"). */
    static String jobBody(String operation, String soql) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("operation", operation);
        body.put("query", soql);
        return body.toString();
    }

    /** Creates a query job, expecting 200; returns its create-job JobInfo. */
    static JsonNode createQueryJob(String operation, String soql) {
        EmulatorHttp.Reply r = http.post(QUERY, jobBody(operation, soql));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    /** Creates a job and waits for it to finish; returns its final JobInfo. */
    static JsonNode runQuery(String operation, String soql) {
        String id = createQueryJob(operation, soql).get("id").asText();
        return awaitTerminal(QUERY + "/" + id);
    }

    /** One results request; locator and maxRecords are left out when null. */
    static EmulatorHttp.Reply resultsPage(String jobId, String locator, Integer maxRecords) {
        StringBuilder path = new StringBuilder(QUERY + "/" + jobId + "/results");
        String sep = "?";
        if (locator != null) {
            path.append(sep).append("locator=").append(URLEncoder.encode(locator, StandardCharsets.UTF_8));
            sep = "&";
        }
        if (maxRecords != null) {
            path.append(sep).append("maxRecords=").append(maxRecords);
        }
        return http.get(path.toString());
    }

    /** The whole result of a finished job in one page, expecting 200 text/csv. */
    static String allResults(String jobId) {
        EmulatorHttp.Reply r = resultsPage(jobId, null, null);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/csv");
        assertThat(r.header("Sforce-Locator")).isEqualTo("null");
        return r.raw().body();
    }
}
