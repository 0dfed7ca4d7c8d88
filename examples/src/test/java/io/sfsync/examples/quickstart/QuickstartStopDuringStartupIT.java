package io.sfsync.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C while the quickstart is still starting (the shutdown hook calls {@link Quickstart#close()} from another
 * thread): start-up ends at the step under way, and what had started, Postgres among it, is stopped.
 */
class QuickstartStopDuringStartupIT {

    @Test
    void aStopWhileTheBrokerStartsStopsWhatHadStartedAndEndsTheStartUp() throws Exception {
        Path data = Path.of("target", "quickstart-stop-during-startup").toAbsolutePath();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(QuickstartConfig.DATA_DIR, data.toString());
        settings.put(QuickstartConfig.KAFKA_PORT, "0");
        settings.put(QuickstartConfig.CONNECT_REST_PORT, "0");
        settings.put(QuickstartConfig.POSTGRES_PORT, "0");
        settings.put(QuickstartConfig.EMULATOR_PORT, "0");
        CountDownLatch brokerStarting = new CountDownLatch(1);
        StringBuilder printed = new StringBuilder();
        PrintStream out = new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                printed.append((char) b);
                if (printed.indexOf("==> Starting the Kafka broker") >= 0) {
                    brokerStarting.countDown();
                }
            }
        }, true, StandardCharsets.UTF_8);
        Quickstart quickstart = new Quickstart(QuickstartConfig.of(settings), out);
        AtomicReference<Throwable> startFailure = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                quickstart.startOrStop();
            } catch (Throwable e) {
                startFailure.set(e);
            }
        }, "quickstart-starter");
        starter.start();

        assertThat(brokerStarting.await(120, TimeUnit.SECONDS)).as("start-up reached the broker").isTrue();
        ProcessHandle postmaster = quickstart.postgres().serverProcess().orElseThrow();
        int emulatorPort = Integer.parseInt(quickstart.salesforce().emulatorUrl().orElseThrow()
                .replaceAll(".*:", ""));
        quickstart.close();
        starter.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(starter.isAlive()).as("start-up thread still running").isFalse();
        assertThat(startFailure.get()).as("start-up did not complete").isNotNull();
        assertThat(postmaster.isAlive()).as("PostgreSQL process %s", postmaster.pid()).isFalse();
        assertThat(Ports.listening(emulatorPort)).as("emulator port").isFalse();
        assertThat(quickstart.broker() == null || !Ports.listening(quickstart.broker().port()))
                .as("broker port").isTrue();
        assertThat(QuickstartPostgres.postmasterPid(data.resolve("postgres"))).isEmpty();
    }
}
