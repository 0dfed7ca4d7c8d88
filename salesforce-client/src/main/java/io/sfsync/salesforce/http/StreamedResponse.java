package io.sfsync.salesforce.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A successful answer whose body is read as a stream rather than held as text (Bulk API 2.0 result files, which
 * can be hundreds of megabytes). The caller reads and closes the body.
 */
public record StreamedResponse(int status, HttpHeaders headers, InputStream body) implements AutoCloseable {

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
