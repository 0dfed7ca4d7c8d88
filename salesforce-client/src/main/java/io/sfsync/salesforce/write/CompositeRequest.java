package io.sfsync.salesforce.write;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code POST /composite} request: at most {@value #MAX_SUBREQUESTS} subrequests run in order in one counted
 * call; later ones may refer to earlier results with {@code @{referenceId.id}} or
 * {@code @{referenceId.records[0].Id}}. With {@code allOrNone} they share one transaction.
 */
public record CompositeRequest(boolean allOrNone, List<Subrequest> subrequests) {

    public static final int MAX_SUBREQUESTS = 25;

    /**
     * One subrequest. {@code url} is relative to {@code /services/data/vXX.X} ({@code /sobjects/Account}) or a full
     * {@code /services/data/...} path; {@code body} is anything Jackson can write (a Map, an ObjectNode), or null.
     */
    public record Subrequest(String method, String url, String referenceId, Object body) {
        public Subrequest {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(referenceId, "referenceId");
            if (!referenceId.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("a referenceId is letters, digits and _: " + referenceId);
            }
        }

        @Override
        public String toString() {
            return "Subrequest[" + method + " " + url + " as " + referenceId + "]";
        }
    }

    public CompositeRequest {
        subrequests = List.copyOf(subrequests);
        if (subrequests.isEmpty() || subrequests.size() > MAX_SUBREQUESTS) {
            throw new IllegalArgumentException("a composite request has 1 to " + MAX_SUBREQUESTS
                    + " subrequests, got " + subrequests.size());
        }
        Set<String> refs = new HashSet<>();
        for (Subrequest s : subrequests) {
            if (!refs.add(s.referenceId())) {
                throw new IllegalArgumentException("duplicate referenceId " + s.referenceId());
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private boolean allOrNone;
        private final List<Subrequest> subrequests = new ArrayList<>();

        public Builder allOrNone(boolean v) {
            allOrNone = v;
            return this;
        }

        public Builder add(String method, String url, String referenceId, Object body) {
            subrequests.add(new Subrequest(method, url, referenceId, body));
            return this;
        }

        public CompositeRequest build() {
            return new CompositeRequest(allOrNone, subrequests);
        }
    }
}
