package io.sfsync.salesforce.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sfsync.salesforce.SalesforceClient;
import io.sfsync.salesforce.TestSupport;
import io.sfsync.salesforce.auth.SalesforceCredentials;
import io.sfsync.salesforce.auth.Secret;
import io.sfsync.salesforce.budget.GovernorRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query cursor over real HTTP against a minimal server that answers in Salesforce's documented query shape
 * ({@code shared/samples/query-response.sfdocs.json}: totalSize, done, nextRecordsUrl relative to the instance,
 * records with attributes). It proves the paging contract while the emulator's query endpoint is not merged;
 * {@link QueryAgainstTheOrgTest} covers the same against the emulator.
 */
class QueryCursorDocumentedShapeTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> queryOptions = new CopyOnWriteArrayList<>();
    private final List<String> callOptions = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/services/oauth2/token", ex -> reply(ex, 200, "{\"access_token\":\"00Dx!tok\","
                + "\"instance_url\":\"" + base + "\",\"id\":\"https://login.salesforce.com/id/00D000000000001AAA/"
                + "005000000000001AAA\",\"token_type\":\"Bearer\"}"));
        server.createContext("/services/data/v62.0/limits", ex -> reply(ex, 200,
                "{\"DailyApiRequests\":{\"Max\":15000,\"Remaining\":14990}}"));
        server.createContext("/services/data/v62.0/query", this::query);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void query(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestURI().toString());
        queryOptions.add(String.valueOf(ex.getRequestHeaders().getFirst("Sforce-Query-Options")));
        callOptions.add(String.valueOf(ex.getRequestHeaders().getFirst("Sforce-Call-Options")));
        String path = ex.getRequestURI().getPath();
        int page = path.endsWith("-2") ? 2 : path.endsWith("-4") ? 3 : 1;
        int from = (page - 1) * 2;
        int to = Math.min(5, from + 2);
        String next = page == 1 ? "/services/data/v62.0/query/01gD0000002HU6KIAW-2"
                : page == 2 ? "/services/data/v62.0/query/01gD0000002HU6KIAW-4" : null;
        String records = IntStream.range(from, to).mapToObj(i -> "{\"attributes\":{\"type\":\"Account\",\"url\":"
                + "\"/services/data/v62.0/sobjects/Account/001D000000IRFma00" + i + "\"},\"Id\":\"001D000000IRFma00"
                + i + "\",\"Name\":\"Test " + i + "\"}").collect(Collectors.joining(","));
        reply(ex, 200, "{\"totalSize\":5,\"done\":" + (next == null) + (next == null ? ""
                : ",\"nextRecordsUrl\":\"" + next + "\"") + ",\"records\":[" + records + "]}");
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        ex.getResponseHeaders().add("Sforce-Limit-Info", "api-usage=10/15000");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Test
    void followsNextRecordsUrlOnlyWhenThePageIsUsedUp() {
        URI login = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (SalesforceClient sf = SalesforceClient.builder(new SalesforceCredentials.ClientCredentials(login, "id",
                Secret.of("secret")), "doc-shape").governorRegistry(new GovernorRegistry())
                .budget(TestSupport.fastBudget()).queryBatchSize(200).build()) {
            QueryCursor cursor = sf.query().query("SELECT Id, Name FROM Account");
            assertThat(cursor.totalSize()).isEqualTo(5);
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0)).isEqualTo("/services/data/v62.0/query/?q=SELECT%20Id%2C%20Name%20FROM%20Account");
            cursor.next();
            cursor.next();
            assertThat(requests).hasSize(1);
            assertThat(cursor.next().path("Name").asText()).isEqualTo("Test 2");
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1)).isEqualTo("/services/data/v62.0/query/01gD0000002HU6KIAW-2");
            List<String> rest = cursor.stream().map(r -> r.path("Id").asText()).toList();
            assertThat(rest).containsExactly("001D000000IRFma003", "001D000000IRFma004");
            assertThat(cursor.hasNext()).isFalse();
            assertThat(cursor.pagesFetched()).isEqualTo(3);
            assertThat(requests).hasSize(3);
            assertThat(queryOptions).containsOnly("batchSize=200");
            assertThat(callOptions).containsOnly("client=doc-shape");
            assertThat(sf.governor().snapshot().used()).isEqualTo(10);
        }
    }
}
