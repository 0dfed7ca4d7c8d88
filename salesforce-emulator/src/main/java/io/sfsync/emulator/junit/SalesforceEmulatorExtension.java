package io.sfsync.emulator.junit;

import io.sfsync.emulator.SalesforceEmulator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.function.Consumer;

/**
 * Starts one emulator per test class on a free loopback port and stops it afterwards. Register it as a static
 * field to reach the emulator, or let JUnit inject {@link SalesforceEmulator} into test methods and constructors:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SalesforceEmulatorExtension SALESFORCE = new SalesforceEmulatorExtension();
 *
 * @Test void works() { String url = SALESFORCE.emulator().baseUrl(); ... }
 * }</pre>
 */
public final class SalesforceEmulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final Consumer<SalesforceEmulator.Builder> customizer;
    private SalesforceEmulator emulator;

    public SalesforceEmulatorExtension() {
        this(b -> { });
    }

    /** @param customizer adjusts the emulator settings (limits, clock, metadata files) before it starts */
    public SalesforceEmulatorExtension(Consumer<SalesforceEmulator.Builder> customizer) {
        this.customizer = customizer;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SalesforceEmulator.Builder b = SalesforceEmulator.builder();
        customizer.accept(b);
        emulator = b.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (emulator != null) {
            emulator.stop();
            emulator = null;
        }
    }

    public SalesforceEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException("the emulator runs only while the test class runs");
        }
        return emulator;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == SalesforceEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return emulator();
    }
}
