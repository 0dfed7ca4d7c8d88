package io.sfsync.salesforce.auth;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A session: the bearer token and where to use it. {@link #toString()} leaves the token out.
 *
 * @param instanceUrl the org's instance URL, base of every REST call
 * @param identityUrl {@code https://login.salesforce.com/id/<orgId>/<userId>}
 * @param issuedAt    when the token was issued (the JWT flow does not say; then when it was received)
 */
public record AccessToken(String value, URI instanceUrl, String identityUrl, String orgId, String userId,
                          Instant issuedAt) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(instanceUrl, "instanceUrl");
    }

    @Override
    public String toString() {
        return "AccessToken[instanceUrl=" + instanceUrl + ", orgId=" + orgId + ", userId=" + userId + ", issuedAt="
                + issuedAt + ", value=[hidden]]";
    }
}
