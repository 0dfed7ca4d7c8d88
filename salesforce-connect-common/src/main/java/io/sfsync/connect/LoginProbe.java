package io.sfsync.connect;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The last step of validate(): log in (and look around) within a time limit, on a daemon thread so a hanging
 * login never holds the worker's REST thread or its shutdown. It never throws; the connector puts the outcome on
 * the keys that can fix it.
 */
public final class LoginProbe {

    /** What came of the probe. */
    public sealed interface Outcome<T> {
    }

    /** The call returned {@code value}. */
    public record Answered<T>(T value) implements Outcome<T> {
    }

    /** The call threw {@code cause} (a login error, an unknown object). */
    public record Failed<T>(Throwable cause) implements Outcome<T> {
    }

    /** No answer within the limit; the call is interrupted. */
    public record TimedOut<T>(Duration limit) implements Outcome<T> {
    }

    /** The validating thread was interrupted (its flag is set again). */
    public record Interrupted<T>() implements Outcome<T> {
    }

    private LoginProbe() {
    }

    public static <T> Outcome<T> run(String threadName, Duration limit, Callable<T> call) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            Future<T> f = executor.submit(call);
            return new Answered<>(f.get(limit.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return new TimedOut<>(limit);
        } catch (ExecutionException e) {
            return new Failed<>(e.getCause() != null ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Interrupted<>();
        } finally {
            executor.shutdownNow();
        }
    }
}
