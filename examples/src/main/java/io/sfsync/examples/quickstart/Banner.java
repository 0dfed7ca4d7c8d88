package io.sfsync.examples.quickstart;

import io.sfsync.emulator.SalesforceEmulator;
import java.util.Optional;

/** What the quickstart prints once everything runs: where each piece is and how to poke both sides. */
final class Banner {

    private Banner() {
    }

    static String render(Quickstart quickstart) {
        QuickstartPostgres pg = quickstart.postgres();
        String connect = quickstart.connectRestUrl();
        Optional<String> emulator = quickstart.salesforce().emulatorUrl();
        StringBuilder b = new StringBuilder();
        b.append('\n');
        b.append("sfsync quickstart is running (started in ").append(quickstart.startupMillis() / 1000.0)
                .append(" s). Ctrl-C stops everything.\n\n");

        b.append("Postgres   ").append(pg.jdbcUrl()).append("  user ").append(pg.user());
        if (pg.embedded()) {
            b.append("  password ").append(pg.password());
        }
        b.append('\n');
        b.append("  psql:    PGPASSWORD=").append(pg.embedded() ? pg.password() : "...").append(" psql -h ")
                .append(pg.host()).append(" -p ").append(pg.port()).append(" -U ").append(pg.user()).append(' ')
                .append(pg.database()).append('\n');
        b.append("Kafka      ").append(quickstart.bootstrapServers()).append('\n');
        b.append("Connect    ").append(connect).append("   (curl -s ").append(connect)
                .append("connectors?expand=status)\n");
        if (emulator.isPresent()) {
            String e = emulator.get();
            b.append("Salesforce emulator ").append(e).append("   client id ").append(SalesforceEmulator.CLIENT_ID)
                    .append(" / secret ").append(SalesforceEmulator.CLIENT_SECRET).append('\n');
            b.append('\n');
            b.append("Edit a record on the Salesforce side, as a user in the Salesforce UI would (control API):\n");
            b.append("  curl -s ").append(e).append("/emulator/records/Account | head -c 600\n");
            b.append("  curl -s -X PATCH ").append(e).append("/emulator/records/Account/<Id>")
                    .append(" -H 'Content-Type: application/json' -d '{\"BillingCity\":\"Berlin\"}'\n");
            b.append("or through the REST API with a token, as an integration would:\n");
            b.append("  TOKEN=$(curl -s ").append(e).append("/services/oauth2/token -d grant_type=client_credentials")
                    .append(" -d client_id=").append(SalesforceEmulator.CLIENT_ID).append(" -d client_secret=")
                    .append(SalesforceEmulator.CLIENT_SECRET)
                    .append(" | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')\n");
            b.append("  curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -X POST ")
                    .append(e).append("/services/data/v62.0/sobjects/Account -d '{\"Name\":\"Made in Salesforce\"}'\n");
        } else {
            b.append("Salesforce: your org (nothing was seeded); edit records there as usual.\n");
        }
        b.append('\n');
        b.append("Status every few seconds: connector state, records moved, sink lag, conflicts and errors rows.\n");
        return b.toString();
    }
}
