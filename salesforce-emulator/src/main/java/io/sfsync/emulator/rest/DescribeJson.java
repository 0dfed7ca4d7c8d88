package io.sfsync.emulator.rest;

import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.FieldType;
import io.sfsync.emulator.model.PicklistValue;
import io.sfsync.emulator.model.SObjectType;
import io.sfsync.emulator.model.Schema;
import io.sfsync.emulator.model.WireValues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Describe results with every key real orgs send (see shared/samples/describe-merchandise__c...). */
public final class DescribeJson {

    private DescribeJson() {
    }

    /** One entry of {@code GET /sobjects/}, also the top of a full describe. */
    public static Map<String, Object> summary(SObjectType t, String v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("activateable", false);
        m.put("createable", true);
        m.put("custom", t.custom());
        m.put("customSetting", false);
        m.put("deletable", true);
        m.put("deprecatedAndHidden", false);
        m.put("feedEnabled", !t.name().equals("User"));
        m.put("hasSubtypes", false);
        m.put("isSubtype", false);
        m.put("keyPrefix", t.keyPrefix());
        m.put("label", t.label());
        m.put("labelPlural", t.labelPlural());
        m.put("layoutable", true);
        m.put("mergeable", !t.custom());
        m.put("mruEnabled", true);
        m.put("name", t.name());
        m.put("queryable", true);
        m.put("replicateable", true);
        m.put("retrieveable", true);
        m.put("searchable", true);
        m.put("triggerable", true);
        m.put("undeletable", true);
        m.put("updateable", true);
        Map<String, Object> urls = new LinkedHashMap<>();
        String base = "/services/data/v" + v + "/sobjects/" + t.name();
        urls.put("sobject", base);
        urls.put("describe", base + "/describe");
        urls.put("rowTemplate", base + "/{ID}");
        m.put("urls", urls);
        return m;
    }

    public static Map<String, Object> full(SObjectType t, Schema schema, String v) {
        Map<String, Object> m = summary(t, v);
        m.put("actionOverrides", List.of());
        m.put("childRelationships", childRelationships(t, schema));
        m.put("compactLayoutable", true);
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FieldDef f : t.fields()) {
            fields.add(field(f));
        }
        m.put("fields", fields);
        m.put("listviewable", null);
        m.put("lookupLayoutable", null);
        m.put("namedLayoutInfos", List.of());
        m.put("networkScopeFieldName", null);
        Map<String, Object> rt = new LinkedHashMap<>();
        rt.put("active", true);
        rt.put("available", true);
        rt.put("defaultRecordTypeMapping", true);
        rt.put("developerName", "Master");
        rt.put("master", true);
        rt.put("name", "Master");
        rt.put("recordTypeId", "012000000000000AAA");
        rt.put("urls", Map.of("layout", "/services/data/v" + v + "/sobjects/" + t.name()
                + "/describe/layouts/012000000000000AAA"));
        m.put("recordTypeInfos", List.of(rt));
        m.put("searchLayoutable", true);
        m.put("supportedScopes", List.of(Map.of("label", "All " + t.labelPlural().toLowerCase(), "name", "everything")));
        return m;
    }

    private static List<Map<String, Object>> childRelationships(SObjectType parent, Schema schema) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SObjectType child : schema.all()) {
            for (FieldDef f : child.fields()) {
                if (f.type() == FieldType.REFERENCE && f.referenceTo().contains(parent.name())
                        && !f.name().equals("CreatedById") && !f.name().equals("LastModifiedById")
                        && !f.name().equals("OwnerId")) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("cascadeDelete", f.cascadeDelete());
                    r.put("childSObject", child.name());
                    r.put("deprecatedAndHidden", false);
                    r.put("field", f.name());
                    r.put("junctionIdListNames", List.of());
                    r.put("junctionReferenceTo", List.of());
                    r.put("relationshipName", child.labelPlural().replace(" ", "_"));
                    r.put("restrictedDelete", false);
                    out.add(r);
                }
            }
        }
        return out;
    }

    public static Map<String, Object> field(FieldDef f) {
        Map<String, Object> m = new LinkedHashMap<>();
        FieldType t = f.type();
        m.put("aggregatable", !t.isCompound() && t != FieldType.TEXTAREA);
        m.put("aiPredictionField", false);
        m.put("autoNumber", f.autoNumber());
        m.put("byteLength", t.isText() ? f.length() * 3 : 0);
        m.put("calculated", f.calculated());
        m.put("calculatedFormula", f.calculatedFormula());
        m.put("cascadeDelete", f.cascadeDelete());
        m.put("caseSensitive", f.caseSensitive());
        m.put("compoundFieldName", f.compoundFieldName());
        m.put("controllerName", null);
        m.put("createable", f.createable());
        m.put("custom", f.custom());
        m.put("defaultValue", defaultValue(f));
        m.put("defaultValueFormula", null);
        m.put("defaultedOnCreate", f.defaultedOnCreate());
        m.put("dependentPicklist", false);
        m.put("deprecatedAndHidden", false);
        m.put("digits", f.digits());
        m.put("displayLocationInDecimal", false);
        m.put("encrypted", false);
        m.put("externalId", f.externalId());
        m.put("extraTypeInfo", extraTypeInfo(f));
        m.put("filterable", !t.isCompound());
        m.put("filteredLookupInfo", null);
        m.put("formulaTreatNullNumberAsZero", false);
        m.put("groupable", t != FieldType.TEXTAREA && t != FieldType.DATETIME && !t.isNumber() && !t.isCompound());
        m.put("highScaleNumber", false);
        m.put("htmlFormatted", f.htmlFormatted());
        m.put("idLookup", f.idLookup());
        m.put("inlineHelpText", f.inlineHelpText());
        m.put("label", f.label());
        m.put("length", t.isText() ? f.length() : 0);
        m.put("mask", null);
        m.put("maskType", null);
        m.put("name", f.name());
        m.put("nameField", f.nameField());
        m.put("namePointing", f.referenceTo().size() > 1);
        m.put("nillable", f.nillable());
        m.put("permissionable", f.custom() && f.nillable());
        List<Map<String, Object>> picklist = new ArrayList<>();
        for (PicklistValue p : f.picklistValues()) {
            Map<String, Object> pv = new LinkedHashMap<>();
            pv.put("active", p.active());
            pv.put("defaultValue", p.defaultValue());
            pv.put("label", p.label());
            pv.put("validFor", null);
            pv.put("value", p.value());
            picklist.add(pv);
        }
        m.put("picklistValues", picklist);
        m.put("polymorphicForeignKey", f.referenceTo().size() > 1);
        m.put("precision", t.isNumber() && t != FieldType.INT && t != FieldType.LONG ? f.precision() : 0);
        m.put("queryByDistance", false);
        m.put("referenceTargetField", null);
        m.put("referenceTo", f.referenceTo());
        m.put("relationshipName", f.relationshipName());
        m.put("relationshipOrder", null);
        m.put("restrictedDelete", false);
        m.put("restrictedPicklist", f.restrictedPicklist());
        m.put("scale", t.isNumber() && t != FieldType.INT && t != FieldType.LONG ? f.scale() : 0);
        m.put("searchPrefilterable", false);
        m.put("soapType", t.soapType());
        m.put("sortable", t != FieldType.TEXTAREA && !t.isCompound() && t != FieldType.MULTIPICKLIST);
        m.put("type", t.apiName());
        m.put("unique", f.unique());
        m.put("updateable", f.updateable());
        m.put("writeRequiresMasterRead", false);
        return m;
    }

    private static Object defaultValue(FieldDef f) {
        Object v = f.defaultValue();
        if (v == null || v instanceof Boolean) {
            return v;
        }
        return WireValues.toJson(f.type(), v);
    }

    private static String extraTypeInfo(FieldDef f) {
        if (f.name().endsWith("Name") && f.calculated() && f.type() == FieldType.STRING) {
            return "personname";
        }
        if (f.type() == FieldType.TEXTAREA) {
            return f.length() > 255 ? "plaintextarea" : null;
        }
        if (f.type() == FieldType.URL) {
            return null;
        }
        return null;
    }
}
