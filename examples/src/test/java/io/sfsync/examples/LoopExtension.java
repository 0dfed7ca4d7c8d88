package io.sfsync.examples;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the whole loop ({@link LoopFixture#start()}) once before a test class and closes it after, handing the
 * fixture to the class: {@code @RegisterExtension static final LoopExtension LOOP = new LoopExtension(l -> loop = l);}
 */
final class LoopExtension implements BeforeAllCallback, AfterAllCallback {

    private final Consumer<LoopFixture> receiver;
    private LoopFixture loop;

    LoopExtension(Consumer<LoopFixture> receiver) {
        this.receiver = receiver;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        loop = LoopFixture.start();
        receiver.accept(loop);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }
}
