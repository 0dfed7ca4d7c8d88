package io.sfsync.salesforce.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.sfsync.salesforce.error.ApiError;
import io.sfsync.salesforce.error.ErrorCategory;
import io.sfsync.salesforce.error.ErrorClassifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The answers of a composite request, one per subrequest, in order. */
public record CompositeResult(List<SubResponse> responses) {

    public CompositeResult {
        responses = List.copyOf(responses);
    }

    public Optional<SubResponse> byReference(String referenceId) {
        return responses.stream().filter(r -> r.referenceId().equals(referenceId)).findFirst();
    }

    public boolean allSucceeded() {
        return responses.stream().allMatch(SubResponse::success);
    }

    /** One subrequest's answer: its HTTP status, headers (Location for creates) and body. */
    public record SubResponse(String referenceId, int httpStatusCode, Map<String, String> httpHeaders,
                              JsonNode body) {

        public SubResponse {
            httpHeaders = httpHeaders == null ? Map.of() : Map.copyOf(httpHeaders);
        }

        public boolean success() {
            return httpStatusCode >= 200 && httpStatusCode < 300;
        }

        /** The new record's id for a create, else null. */
        public String id() {
            return body != null && body.hasNonNull("id") ? body.get("id").asText() : null;
        }

        /** Errors of a failed subrequest ({@code errorCode}, message, fields). */
        public List<ApiError> errors() {
            List<ApiError> out = new ArrayList<>();
            if (!success() && body != null && body.isArray()) {
                body.forEach(e -> out.add(ErrorClassifier.parseError(e)));
            }
            return out;
        }

        /** What to do about a failure; null on success. {@code PROCESSING_HALTED} is retriable. */
        public ErrorCategory category() {
            return success() ? null : ErrorClassifier.classify(httpStatusCode, errors());
        }
    }
}
