package io.sfsync.salesforce.metadata;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Field lookups by name: case-insensitive, and each describe answers from its own fields (the index is per instance). */
class SObjectDescribeTest {

    static SObjectDescribe describe(String... fieldNames) {
        StringBuilder fields = new StringBuilder();
        for (String f : fieldNames) {
            fields.append(fields.length() == 0 ? "" : ",").append("{\"name\":\"").append(f).append("\"}");
        }
        return DescribeCache.parse("{\"name\":\"Account\",\"fields\":[" + fields + "]}", 200);
    }

    @Test
    void fieldsAreFoundCaseInsensitivelyAndFromTheirOwnDescribeOnly() {
        SObjectDescribe before = describe("Id", "Name");
        SObjectDescribe after = describe("Id", "Name", "Tier__c"); // a field added in Salesforce
        assertThat(before.field("name")).map(FieldDescribe::name).contains("Name");
        assertThat(before.field("TIER__C")).isEmpty();
        assertThat(after.field("tier__c")).map(FieldDescribe::name).contains("Tier__c");
        assertThat(before.field("tier__c")).as("asked again after the other was indexed").isEmpty();

        SObjectDescribe equalButDistinct = describe("Id", "Name");
        assertThat(equalButDistinct).isEqualTo(before);
        assertThat(equalButDistinct.field("ID")).map(FieldDescribe::name).contains("Id");
    }
}
