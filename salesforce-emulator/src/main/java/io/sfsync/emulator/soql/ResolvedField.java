package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.FieldDef;

import java.util.List;
import java.util.Locale;

/**
 * A field reference checked against the schema: the field itself and the lookup fields followed to reach it.
 * For {@code Account.Owner.Name} on Contact: relationships {@code [Contact.AccountId, Account.OwnerId]}, field
 * {@code User.Name}, path {@code "Account.Owner.Name"} in describe's canonical spelling.
 *
 * @param path          canonical dotted path, as a result column is named (Bulk CSV header)
 * @param relationships the reference fields followed, from the queried object outwards
 * @param field         the field at the end of the path
 */
public record ResolvedField(String path, List<FieldDef> relationships, FieldDef field) {

    public ResolvedField {
        relationships = List.copyOf(relationships);
    }

    /** Lower-case key of the relationship path followed for the first {@code depth} relationships. */
    String relationshipKey(int depth) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                key.append('.');
            }
            key.append(relationships.get(i).relationshipName().toLowerCase(Locale.ROOT));
        }
        return key.toString();
    }
}
