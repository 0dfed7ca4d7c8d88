package io.sfsync.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfsync.emulator.EmulatorHttp;
import io.sfsync.emulator.SalesforceEmulator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A started emulator per test class and the REST and CSV helpers the Bulk API 2.0 tests share. */
abstract class BulkApiTestBase {

    static SalesforceEmulator emulator;
    static EmulatorHttp http;
    static final String V = "/services/data/v62.0";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() {
        emulator = SalesforceEmulator.builder().start();
        http = new EmulatorHttp(emulator.baseUrl(), emulator.accessToken());
    }

    @AfterAll
    static void stop() {
        emulator.stop();
    }

    /** Polls a job's Get Job Info until it reaches a terminal state, for at most 20 seconds. */
    static JsonNode awaitTerminal(String jobPath) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode info = http.get(jobPath).json();
            String state = info.get("state").asText();
            if (state.equals("JobComplete") || state.equals("Failed") || state.equals("Aborted")) {
                return info;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("job " + jobPath + " did not finish");
    }

    static List<CSVRecord> parse(String csv) {
        return parse(csv, ',');
    }

    static List<CSVRecord> parse(String csv, char delimiter) {
        try (CSVParser p = CSVParser.builder().setReader(new StringReader(csv)).setFormat(CSVFormat.RFC4180.builder().setDelimiter(delimiter).get()).get()) {
            return p.getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String firstLine(String csv) {
        return csv.substring(0, csv.indexOf('\n'));
    }

    static JsonNode restGet(String path) {
        return http.get(V + path).json();
    }

    static String createAccount(String json) {
        EmulatorHttp.Reply r = http.post(V + "/sobjects/Account", json);
        assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static JsonNode error(EmulatorHttp.Reply r) {
        assertThat(r.json()).as(r.raw().body()).isNotNull();
        assertThat(r.json().isArray()).isTrue();
        return r.json().get(0);
    }

    static long apiUsage(EmulatorHttp.Reply r) {
        Matcher m = Pattern.compile("api-usage=(\\d+)/\\d+").matcher(r.header("Sforce-Limit-Info"));
        assertThat(m.matches()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
