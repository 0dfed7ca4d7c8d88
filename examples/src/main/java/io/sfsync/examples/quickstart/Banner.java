package io.sfsync.examples.quickstart;

import io.sfsync.emulator.SalesforceEmulator;
import io.sfsync.examples.ExampleConnectors.ConnectorDefinition;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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
        b.append(String.format("sfsync quickstart is running (up in %.1f s). Ctrl-C stops everything.%n",
                quickstart.startupMillis() / 1000.0));
        b.append('\n');
        b.append("Kafka Connect  ").append(connect).append("  (Kafka at ").append(quickstart.bootstrapServers())
                .append(")\n");
        b.append("  connectors:  ").append(quickstart.connectors().stream().map(ConnectorDefinition::name)
                .collect(Collectors.joining(", "))).append('\n');
        b.append("  curl -s ").append(connect).append("connectors?expand=status\n");
        b.append('\n');
        b.append("Postgres       ").append(pg.jdbcUrl()).append("  user ").append(pg.user());
        if (pg.embedded()) {
            b.append("  password ").append(pg.password()).append(" (any works)");
        }
        b.append('\n');
        b.append("  ").append(pg.embedded() ? "PGPASSWORD=" + pg.password() + " " : "").append("psql -h ")
                .append(pg.host()).append(" -p ").append(pg.port()).append(" -U ").append(pg.user()).append(' ')
                .append(pg.database()).append('\n');
        b.append("  SELECT sync_key, sfid, name, billingcity FROM salesforce.account;\n");
        b.append("  INSERT INTO salesforce.account (name, billingcity) VALUES ('Made in Postgres', 'Oslo');\n");
        b.append("  UPDATE salesforce.account SET billingcity = 'Madrid' WHERE name = 'Globex';\n");
        b.append("  SELECT * FROM salesforce.sfsync_conflicts;  SELECT * FROM salesforce.sfsync_errors;\n");
        b.append('\n');
        if (emulator.isPresent()) {
            String e = emulator.get();
            String id = quickstart.seededAccounts().values().stream().findFirst().orElse("<Id>");
            b.append("Salesforce     emulator at ").append(e).append("  (client id ")
                    .append(SalesforceEmulator.CLIENT_ID).append(", secret ").append(SalesforceEmulator.CLIENT_SECRET)
                    .append(")\n");
            if (!quickstart.seededAccounts().isEmpty()) {
                b.append("  sample Accounts: ").append(quickstart.seededAccounts().entrySet().stream()
                        .map(Map.Entry::toString).collect(Collectors.joining(", "))).append('\n');
            }
            b.append("  edit as a user in the Salesforce UI would (control API):\n");
            b.append("  curl -s -X PATCH ").append(e).append("/emulator/records/Account/").append(id)
                    .append(" -H 'Content-Type: application/json' -d '{\"BillingCity\":\"Berlin\"}'\n");
            b.append("  curl -s ").append(e).append("/emulator/records/Account\n");
            b.append("  or through the REST API, as an integration would:\n");
            b.append("  TOKEN=$(curl -s ").append(e).append("/services/oauth2/token -d grant_type=client_credentials")
                    .append(" -d client_id=").append(SalesforceEmulator.CLIENT_ID).append(" -d client_secret=")
                    .append(SalesforceEmulator.CLIENT_SECRET)
                    .append(" | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')\n");
            b.append("  curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -X POST ")
                    .append(e).append("/services/data/v62.0/sobjects/Account -d '{\"Name\":\"Made in Salesforce\"}'\n");
        } else {
            b.append("Salesforce     your org at ").append(quickstart.salesforce().connectorConnection()
                    .get(QuickstartConfig.LOGIN_URL)).append(": edit Accounts and Contacts there (nothing was seeded)\n");
        }
        b.append('\n');
        b.append("Logs: ").append(quickstart.logFile()).append('\n');
        b.append("Every 10 s: each connector's state, records moved and sink lag; rows in the conflicts and errors"
                + " tables.\n");
        return b.toString();
    }
}
