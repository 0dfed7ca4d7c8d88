package io.sfsync.emulator.soql;

import java.util.Objects;

/**
 * A SOQL query Salesforce would refuse. {@link #getMessage()} is the exact text Salesforce puts in the error body's
 * {@code message}, including the quoted query excerpt and {@code ERROR at Row:..:Column:..} block where Salesforce
 * shows one; {@link #errorCode()} is its {@code errorCode}. The REST layer answers such a failure with HTTP 400.
 */
public final class SoqlException extends RuntimeException {

    private final SoqlErrorCode errorCode;
    private final boolean unsupportedByEmulator;

    SoqlException(SoqlErrorCode errorCode, String message) {
        this(errorCode, message, false);
    }

    SoqlException(SoqlErrorCode errorCode, String message, boolean unsupportedByEmulator) {
        super(Objects.requireNonNull(message));
        this.errorCode = Objects.requireNonNull(errorCode);
        this.unsupportedByEmulator = unsupportedByEmulator;
    }

    public SoqlErrorCode errorCode() {
        return errorCode;
    }

    /**
     * True when Salesforce would accept the query but the emulator does not implement the construct (GROUP BY,
     * subqueries, ...). Such failures still use Salesforce's error shape, so clients see an ordinary 400.
     */
    public boolean unsupportedByEmulator() {
        return unsupportedByEmulator;
    }
}
