package io.sfsync.emulator.soql;

import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Resolves field paths of one query against the schema, failing with Salesforce's INVALID_FIELD messages. */
final class FieldResolver {

    private final Schema schema;
    private final SObjectType root;
    private final QuerySource source;

    FieldResolver(Schema schema, SObjectType root, QuerySource source) {
        this.schema = schema;
        this.root = root;
        this.source = source;
    }

    SObjectType root() {
        return root;
    }

    ResolvedField resolve(FieldPath path) {
        List<String> segments = path.segments();
        // SOQL lets a field be qualified with the queried object's name: SELECT Account.Name FROM Account.
        if (segments.size() > 1 && segments.get(0).equalsIgnoreCase(root.name())
                && relationship(root, segments.get(0)).isEmpty()) {
            segments = segments.subList(1, segments.size());
        }
        SObjectType type = root;
        List<FieldDef> followed = new ArrayList<>();
        StringBuilder canonical = new StringBuilder();
        for (String name : segments.subList(0, segments.size() - 1)) {
            FieldDef reference = relationship(type, name).orElse(null);
            SObjectType target = reference == null ? null : schema.find(reference.referenceTo().get(0)).orElse(null);
            if (target == null) {
                throw source.error(SoqlErrorCode.INVALID_FIELD, path.position(), SoqlErrors.unknownRelationship(name));
            }
            followed.add(reference);
            canonical.append(reference.relationshipName()).append('.');
            type = target;
        }
        String fieldName = segments.get(segments.size() - 1);
        FieldDef field = type.field(fieldName).orElse(null);
        if (field == null) {
            throw source.error(SoqlErrorCode.INVALID_FIELD, path.position(),
                    SoqlErrors.noSuchColumn(fieldName, type.name()));
        }
        return new ResolvedField(canonical + field.name(), followed, field);
    }

    /** The lookup field whose relationship name is {@code name} (Account for AccountId), any case. */
    private static Optional<FieldDef> relationship(SObjectType type, String name) {
        return type.fields().stream()
                .filter(f -> f.type() == FieldType.REFERENCE && f.relationshipName() != null
                        && f.relationshipName().equalsIgnoreCase(name) && !f.referenceTo().isEmpty())
                .findFirst();
    }
}
