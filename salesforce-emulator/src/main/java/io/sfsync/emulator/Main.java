package io.sfsync.emulator;

import io.sfsync.emulator.auth.ConnectedApp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone:
 * {@code java -jar salesforce-emulator/target/salesforce-emulator.jar [--port 8080] [--host 127.0.0.1]
 * [--metadata file.json] [--daily-api-requests N] [--max-retained-events N] [--jwt-cert cert.pem]}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        SalesforceEmulator.Builder b = SalesforceEmulator.builder().port(8080);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port" -> b.port(Integer.parseInt(value(args, ++i, arg)));
                case "--host" -> b.host(value(args, ++i, arg));
                case "--metadata" -> b.metadataFile(Path.of(value(args, ++i, arg)));
                case "--daily-api-requests" -> b.dailyApiRequests(Long.parseLong(value(args, ++i, arg)));
                case "--max-retained-events" -> b.maxRetainedEvents(Integer.parseInt(value(args, ++i, arg)));
                case "--jwt-cert" -> b.jwtPublicKey(readKey(Path.of(value(args, ++i, arg))));
                case "--help", "-h" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown option: " + arg);
                    usage();
                    System.exit(2);
                }
            }
        }
        SalesforceEmulator emulator = b.start();
        System.out.println("Salesforce emulator running at " + emulator.baseUrl());
        for (Map.Entry<String, String> e : emulator.credentials().entrySet()) {
            System.out.printf("  %-22s %s%n", e.getKey() + ":", e.getValue());
        }
        System.out.println("  control API:           " + emulator.baseUrl() + "/emulator/");
        System.out.println("Press Ctrl+C to stop.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            stopped.countDown();
        }, "emulator-shutdown"));
        stopped.await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    private static java.security.PublicKey readKey(Path pem) throws IOException {
        return ConnectedApp.publicKeyFromPem(Files.readString(pem));
    }

    private static void usage() {
        System.out.println("usage: java -jar salesforce-emulator.jar [--port 8080] [--host 127.0.0.1] "
                + "[--metadata file.json] [--daily-api-requests N] [--max-retained-events N] [--jwt-cert cert.pem]");
    }
}
