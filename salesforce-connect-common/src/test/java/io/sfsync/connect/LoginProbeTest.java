package io.sfsync.connect;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class LoginProbeTest {

    @Test
    void anAnswerIsReturned() {
        LoginProbe.Outcome<String> o = LoginProbe.run("probe", Duration.ofSeconds(30), () -> "logged in");
        assertThat(o).isEqualTo(new LoginProbe.Answered<>("logged in"));
    }

    @Test
    void aFailureCarriesItsCause() {
        LoginProbe.Outcome<String> o = LoginProbe.run("probe", Duration.ofSeconds(30), () -> {
            throw new IOException("invalid_grant");
        });
        assertThat(o).isInstanceOf(LoginProbe.Failed.class);
        assertThat(((LoginProbe.Failed<String>) o).cause()).isInstanceOf(IOException.class)
                .hasMessage("invalid_grant");
    }

    @Test
    void aHangingLoginTimesOutAndIsInterrupted() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        LoginProbe.Outcome<Void> o = LoginProbe.run("probe", Duration.ofMillis(50), () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        });
        assertThat(o).isEqualTo(new LoginProbe.TimedOut<Void>(Duration.ofMillis(50)));
        assertThat(interrupted.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("probe thread interrupted")
                .isTrue();
    }
}
