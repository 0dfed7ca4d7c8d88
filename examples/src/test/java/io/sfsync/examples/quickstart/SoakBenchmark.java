package io.sfsync.examples.quickstart;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.testkit.Polling;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Memory of the whole loop under steady load (prints figures; not part of the default run):
 *
 * <pre>
 * mvn -B -pl examples -am verify -Dit.test=SoakBenchmark -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.minutes=10] [-Dbench.rate=10] \
 *     [-Dbench.heap=512m]
 * </pre>
 *
 * The quickstart runs in its own JVM with {@code -Xmx512m}, exactly as {@code quickstart.sh} starts it: a KRaft
 * broker and one Connect worker running all six connectors of the loop (our source, sink and SMT, Debezium's
 * source and JDBC sinks), with embedded PostgreSQL (its own processes). Salesforce is an emulator in this JVM,
 * given to the quickstart as "your org", so the org's retained change events do not count against the worker.
 *
 * <p>Load: every second, {@code bench.rate} UI edits in Salesforce and as many application UPDATEs in Postgres,
 * spread over 200 Accounts, plus one new Account on each side. Every minute: a full collection in the quickstart
 * JVM ({@code jcmd GC.run}), then its heap in use (the live set) and resident size. A heap that keeps growing
 * minute after minute is a leak; the last lines give the growth per minute after the first two (warm-up) minutes.
 * At the end every edit's final value must be on both sides (or the run fails): memory figures of a loop that
 * stopped moving would mean nothing.
 */
class SoakBenchmark {

    static final int MINUTES = Integer.getInteger("bench.minutes", 10);
    static final int RATE = Integer.getInteger("bench.rate", 10);
    static final String HEAP = System.getProperty("bench.heap", "512m");
    static final int RECORDS = 200;
    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    @Test
    void heapStaysFlat() throws Exception {
        Path data = Path.of("target", "soak").toAbsolutePath();
        try (SalesforceEmulator org = SalesforceEmulator.builder().dailyApiRequests(50_000_000).start()) {
            SalesforceSide salesforce = SalesforceSide.controlOf(org);
            int connectPort = Ports.free();
            int postgresPort = Ports.free();
            Path settings = data.resolve("soak.properties");
            Files.createDirectories(data);
            Properties p = new Properties();
            p.setProperty(QuickstartConfig.LOGIN_URL, org.baseUrl());
            p.setProperty(QuickstartConfig.AUTH_TYPE, "CLIENT_CREDENTIALS");
            p.setProperty(QuickstartConfig.CLIENT_ID, SalesforceEmulator.CLIENT_ID);
            p.setProperty(QuickstartConfig.CLIENT_SECRET, SalesforceEmulator.CLIENT_SECRET);
            p.setProperty(QuickstartConfig.DATA_DIR, data.resolve("quickstart").toString());
            p.setProperty(QuickstartConfig.KAFKA_PORT, Integer.toString(Ports.free()));
            p.setProperty(QuickstartConfig.CONNECT_REST_PORT, Integer.toString(connectPort));
            p.setProperty(QuickstartConfig.POSTGRES_PORT, Integer.toString(postgresPort));
            try (Writer w = Files.newBufferedWriter(settings)) {
                p.store(w, "soak benchmark");
            }

            String classpath = "target/classes" + java.io.File.pathSeparator
                    + Files.readString(Path.of("target", "quickstart.classpath")).trim();
            Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
            Process quickstart = new ProcessBuilder(java.toString(), "-Xmx" + HEAP, "-cp", classpath,
                    Quickstart.class.getName(), "--config", settings.toString())
                    .redirectErrorStream(true).start();
            CountDownLatch running = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(quickstart.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.contains("sfsync quickstart is running")) {
                            System.out.println("[soak] " + line);
                            running.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "soak-quickstart-output");
            reader.setDaemon(true);
            reader.start();
            try {
                if (!running.await(5, TimeUnit.MINUTES)) {
                    throw new AssertionError("the quickstart did not start; see " + data.resolve("quickstart"));
                }
                soak(salesforce, "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres", connectPort,
                        quickstart.pid(), java.resolveSibling("jcmd"));
            } finally {
                quickstart.destroy(); // SIGTERM: the quickstart's shutdown hook stops everything in order
                if (!quickstart.waitFor(2, TimeUnit.MINUTES)) {
                    quickstart.destroyForcibly();
                }
            }
        }
    }

    private static void soak(SalesforceSide salesforce, String jdbcUrl, int connectPort, long pid, Path jcmd)
            throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            ids.add(salesforce.create("Account", Map.of("Name", "Soak " + i, "BillingCity", "Start")));
        }
        try (Connection pg = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
            Polling.await("the soak accounts in Postgres", Duration.ofMinutes(3), () -> count(pg,
                    "SELECT count(*) FROM salesforce.account WHERE name LIKE 'Soak %' AND sfid IS NOT NULL") == RECORDS);
            Random random = new Random(42);
            String[] lastCity = new String[RECORDS];
            String[] lastPhone = new String[RECORDS];
            List<long[]> samples = new ArrayList<>(); // minute, heap used KB, RSS KB
            samples.add(sample(0, pid, jcmd));
            long edits = 0;
            long periodNanos = 1_000_000_000L / RATE;
            long start = System.nanoTime();
            int minute = 0;
            try (PreparedStatement update = pg.prepareStatement(
                    "UPDATE salesforce.account SET phone = ? WHERE sfid = ?");
                 PreparedStatement insert = pg.prepareStatement(
                         "INSERT INTO salesforce.account (name, billingcity) VALUES (?, 'Inserted')")) {
                for (long tick = 0; ; tick++) {
                    long due = start + tick * periodNanos;
                    long now = System.nanoTime();
                    if (now < due) {
                        TimeUnit.NANOSECONDS.sleep(due - now);
                    }
                    // Salesforce side edits BillingCity, Postgres side edits Phone: different fields of the same
                    // rows, so both are kept (no conflict by design) and the final values are known on both sides.
                    int sf = random.nextInt(RECORDS);
                    lastCity[sf] = "City " + tick;
                    salesforce.update("Account", ids.get(sf), Map.of("BillingCity", lastCity[sf]));
                    int row = random.nextInt(RECORDS);
                    lastPhone[row] = "+1 555 " + tick;
                    update.setString(1, lastPhone[row]);
                    update.setString(2, ids.get(row));
                    update.executeUpdate();
                    edits += 2;
                    if (tick % RATE == 0) {
                        salesforce.create("Account", Map.of("Name", "Soak new " + tick));
                        insert.setString(1, "Soak pg " + tick);
                        insert.executeUpdate();
                        edits += 2;
                    }
                    if (System.nanoTime() - start >= (minute + 1) * 60_000_000_000L) {
                        minute++;
                        long[] s = sample(minute, pid, jcmd);
                        samples.add(s);
                        System.out.printf("[soak] minute %d: %,d changes made; quickstart JVM heap after full GC %,d KB,"
                                + " resident %,d KB%n", minute, edits, s[1], s[2]);
                        if (minute >= MINUTES) {
                            break;
                        }
                    }
                }
            }
            // Every final value on the other side: the loop kept moving the whole time.
            Polling.await("the last Salesforce edits in Postgres and the last Postgres edits in Salesforce",
                    Duration.ofMinutes(3), Duration.ofSeconds(1), () -> converged(pg, salesforce, ids, lastCity,
                            lastPhone), () -> "not yet on both sides");
            String status = get("http://127.0.0.1:" + connectPort + "/connectors?expand=status");
            if (status.contains("\"FAILED\"")) {
                throw new AssertionError("a connector or task failed during the soak: " + status);
            }
            report(samples, edits);
        }
    }

    private static boolean converged(Connection pg, SalesforceSide salesforce, List<String> ids, String[] city,
                                     String[] phone) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> inOrg = new java.util.HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode r : salesforce.records("Account").path("records")) {
            inOrg.put(r.path("Id").asText(), r);
        }
        try (PreparedStatement q = pg.prepareStatement(
                "SELECT billingcity, phone FROM salesforce.account WHERE sfid = ?")) {
            for (int i = 0; i < ids.size(); i++) {
                q.setString(1, ids.get(i));
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    if (city[i] != null && !city[i].equals(rs.getString(1))) {
                        return false;
                    }
                    if (phone[i] != null && !phone[i].equals(rs.getString(2))) {
                        return false;
                    }
                }
                if (phone[i] != null && !phone[i].equals(inOrg.get(ids.get(i)).path("Phone").asText())) {
                    return false;
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    private static void report(List<long[]> samples, long edits) {
        // Growth per minute: least-squares slope of heap after full GC over the minutes after warm-up.
        List<long[]> steady = samples.stream().filter(s -> s[0] >= 2).toList();
        double n = steady.size();
        double mx = steady.stream().mapToDouble(s -> s[0]).sum() / n;
        double my = steady.stream().mapToDouble(s -> s[1]).sum() / n;
        double sxy = steady.stream().mapToDouble(s -> (s[0] - mx) * (s[1] - my)).sum();
        double sxx = steady.stream().mapToDouble(s -> (s[0] - mx) * (s[0] - mx)).sum();
        long min = steady.stream().mapToLong(s -> s[1]).min().orElse(0);
        long max = steady.stream().mapToLong(s -> s[1]).max().orElse(0);
        System.out.printf("[soak] %d minutes at %d+%d edits/s, %,d changes, every one on both sides at the end, no"
                        + " connector failed; quickstart JVM (-Xmx%s) heap after full GC from minute 2: min %,d KB,"
                        + " max %,d KB, trend %+,.0f KB per minute%n", samples.size() - 1, RATE, RATE, edits, HEAP, min,
                max, sxx == 0 ? 0 : sxy / sxx);
    }

    /** {minute, heap used after a full collection in KB, resident set in KB} of the quickstart JVM. */
    private static long[] sample(int minute, long pid, Path jcmd) throws Exception {
        run(jcmd.toString(), Long.toString(pid), "GC.run");
        Matcher m = HEAP_USED.matcher(run(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("no heap figure from jcmd GC.heap_info");
        }
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] {minute, Long.parseLong(m.group(2)), rss};
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static long count(Connection pg, String sql) {
        try (ResultSet rs = pg.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
