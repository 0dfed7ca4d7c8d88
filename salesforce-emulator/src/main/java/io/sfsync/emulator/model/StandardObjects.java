package io.sfsync.emulator.model;

import static io.sfsync.emulator.model.FieldType.*;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standard objects of a fresh org (User, Account, Contact, Lead, Opportunity) with the fields connectors meet
 * in practice: compound Name and address fields, restricted and unrestricted picklists, references, every common
 * scalar type, formula fields, read-only and system audit fields. Labels, lengths and requiredness follow
 * Salesforce's own describe of these objects.
 */
public final class StandardObjects {

    /** Stage names that close an opportunity, used by the IsClosed / IsWon formulas. */
    private static final Set<String> CLOSED_STAGES = Set.of("Closed Won", "Closed Lost");

    private StandardObjects() {
    }

    public static void addTo(Schema schema, Instant created) {
        schema.add(user(created));
        schema.add(account(created));
        schema.add(contact(created));
        schema.add(lead(created));
        schema.add(opportunity(created));
    }

    /** Id, IsDeleted and the audit fields every object has; OwnerId on owned objects. */
    public static List<FieldDef> systemFields(boolean owned) {
        List<FieldDef> f = new ArrayList<>();
        f.add(FieldDef.builder("Id", ID).label("Record ID").readOnly().nillable(false).defaultedOnCreate(true)
                .idLookup(true).build());
        if (owned) {
            f.add(FieldDef.builder("OwnerId", REFERENCE).label("Owner ID").nillable(false).defaultedOnCreate(true)
                    .referenceTo("Owner", "User").build());
        }
        f.add(FieldDef.builder("IsDeleted", BOOLEAN).label("Deleted").readOnly().build());
        f.add(FieldDef.builder("CreatedDate", DATETIME).label("Created Date").readOnly().nillable(false)
                .defaultedOnCreate(true).build());
        f.add(FieldDef.builder("CreatedById", REFERENCE).label("Created By ID").readOnly().nillable(false)
                .defaultedOnCreate(true).referenceTo("CreatedBy", "User").build());
        f.add(FieldDef.builder("LastModifiedDate", DATETIME).label("Last Modified Date").readOnly().nillable(false)
                .defaultedOnCreate(true).build());
        f.add(FieldDef.builder("LastModifiedById", REFERENCE).label("Last Modified By ID").readOnly()
                .nillable(false).defaultedOnCreate(true).referenceTo("LastModifiedBy", "User").build());
        f.add(FieldDef.builder("SystemModstamp", DATETIME).label("System Modstamp").readOnly().nillable(false)
                .defaultedOnCreate(true).build());
        return f;
    }

    /** The components of a standard address (Billing, Shipping, Mailing, or "" for Lead's Address). */
    private static List<FieldDef> address(String prefix, String labelPrefix) {
        String compound = prefix + "Address";
        String lp = labelPrefix.isEmpty() ? "" : labelPrefix + " ";
        return List.of(
                FieldDef.builder(prefix + "Street", TEXTAREA).label(lp + "Street").length(255).compoundFieldName(compound).build(),
                FieldDef.builder(prefix + "City", STRING).label(lp + "City").length(40).compoundFieldName(compound).build(),
                FieldDef.builder(prefix + "State", STRING).label(lp + "State/Province").length(80).compoundFieldName(compound).build(),
                FieldDef.builder(prefix + "PostalCode", STRING).label(lp + "Zip/Postal Code").length(20).compoundFieldName(compound).build(),
                FieldDef.builder(prefix + "Country", STRING).label(lp + "Country").length(80).compoundFieldName(compound).build(),
                FieldDef.builder(prefix + "Latitude", DOUBLE).label(lp + "Latitude").precision(18, 15).compoundFieldName(compound).build(),
                FieldDef.builder(prefix + "Longitude", DOUBLE).label(lp + "Longitude").precision(18, 15).compoundFieldName(compound).build(),
                FieldDef.builder(prefix + "GeocodeAccuracy", PICKLIST).label(lp + "Geocode Accuracy").length(40)
                        .picklist(true, "Address", "NearAddress", "Block", "Street", "ExtendedZip", "Zip",
                                "Neighborhood", "City", "County", "State", "Unknown")
                        .compoundFieldName(compound).build(),
                FieldDef.builder(compound, ADDRESS).label(lp + "Address").readOnly().build());
    }

    /** Contact and Lead names: Salutation, FirstName, LastName stored; Name assembled from them. */
    private static List<FieldDef> personName() {
        return List.of(
                FieldDef.builder("LastName", STRING).label("Last Name").length(80).required().compoundFieldName("Name").build(),
                FieldDef.builder("FirstName", STRING).label("First Name").length(40).compoundFieldName("Name").build(),
                FieldDef.builder("Salutation", PICKLIST).label("Salutation").length(40)
                        .picklist(false, "Mr.", "Ms.", "Mrs.", "Dr.", "Prof.").compoundFieldName("Name").build(),
                FieldDef.builder("Name", STRING).label("Full Name").length(121).nameField(true).nillable(false)
                        .formula("FirstName & ' ' & LastName", StandardObjects::fullName).build());
    }

    private static Object fullName(Map<String, Object> r) {
        Object first = r.get("FirstName");
        Object last = r.get("LastName");
        if (first == null) {
            return last;
        }
        return last == null ? first : first + " " + last;
    }

    static SObjectType user(Instant created) {
        List<FieldDef> f = systemFields(false);
        f.add(FieldDef.builder("Username", STRING).label("Username").length(80).required().unique(true).idLookup(true).build());
        f.add(FieldDef.builder("LastName", STRING).label("Last Name").length(80).required().build());
        f.add(FieldDef.builder("FirstName", STRING).label("First Name").length(40).build());
        f.add(FieldDef.builder("Name", STRING).label("Full Name").length(121).nameField(true).nillable(false)
                .formula("FirstName & ' ' & LastName", StandardObjects::fullName).build());
        f.add(FieldDef.builder("Email", EMAIL).label("Email").length(128).required().build());
        f.add(FieldDef.builder("Alias", STRING).label("Alias").length(8).required().build());
        f.add(FieldDef.builder("IsActive", BOOLEAN).label("Active").build());
        // Users are not change-event entities in a default entity selection.
        return new SObjectType("User", "User", "Users", "005", false, f, created, false);
    }

    static SObjectType account(Instant created) {
        List<FieldDef> f = systemFields(true);
        f.add(FieldDef.builder("Name", STRING).label("Account Name").length(255).required().nameField(true).idLookup(true).build());
        f.add(FieldDef.builder("Type", PICKLIST).label("Account Type").length(255)
                .picklist(false, "Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller",
                        "Installation Partner", "Technology Partner", "Other").build());
        f.add(FieldDef.builder("ParentId", REFERENCE).label("Parent Account ID").referenceTo("Parent", "Account").build());
        f.addAll(address("Billing", "Billing"));
        f.addAll(address("Shipping", "Shipping"));
        f.add(FieldDef.builder("Phone", PHONE).label("Account Phone").build());
        f.add(FieldDef.builder("Fax", PHONE).label("Account Fax").build());
        f.add(FieldDef.builder("AccountNumber", STRING).label("Account Number").length(40).build());
        f.add(FieldDef.builder("Website", URL).label("Website").build());
        f.add(FieldDef.builder("Sic", STRING).label("SIC Code").length(20).build());
        f.add(FieldDef.builder("Industry", PICKLIST).label("Industry")
                .picklist(false, "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications",
                        "Construction", "Consulting", "Education", "Electronics", "Energy", "Engineering",
                        "Entertainment", "Environmental", "Finance", "Food & Beverage", "Government", "Healthcare",
                        "Hospitality", "Insurance", "Machinery", "Manufacturing", "Media", "Not For Profit",
                        "Recreation", "Retail", "Shipping", "Technology", "Telecommunications", "Transportation",
                        "Utilities", "Other").build());
        f.add(FieldDef.builder("AnnualRevenue", CURRENCY).label("Annual Revenue").precision(18, 0).build());
        f.add(FieldDef.builder("NumberOfEmployees", INT).label("Employees").digits(8).build());
        f.add(FieldDef.builder("Ownership", PICKLIST).label("Ownership")
                .picklist(false, "Public", "Private", "Subsidiary", "Other").build());
        f.add(FieldDef.builder("TickerSymbol", STRING).label("Ticker Symbol").length(20).build());
        f.add(FieldDef.builder("Description", TEXTAREA).label("Account Description").length(32000).build());
        // Restricted here, as many orgs restrict Rating: exercises INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.
        f.add(FieldDef.builder("Rating", PICKLIST).label("Account Rating").picklist(true, "Hot", "Warm", "Cold").build());
        f.add(FieldDef.builder("Site", STRING).label("Account Site").length(80).build());
        f.add(FieldDef.builder("AccountSource", PICKLIST).label("Account Source")
                .picklist(false, "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other").build());
        f.add(FieldDef.builder("LastActivityDate", DATE).label("Last Activity").readOnly().build());
        return new SObjectType("Account", "Account", "Accounts", "001", false, f, created);
    }

    static SObjectType contact(Instant created) {
        List<FieldDef> f = systemFields(true);
        f.addAll(personName());
        f.add(FieldDef.builder("AccountId", REFERENCE).label("Account ID").referenceTo("Account", "Account")
                .cascadeDelete(true).build());
        f.add(FieldDef.builder("ReportsToId", REFERENCE).label("Reports To ID").referenceTo("ReportsTo", "Contact").build());
        f.addAll(address("Mailing", "Mailing"));
        f.add(FieldDef.builder("Phone", PHONE).label("Business Phone").build());
        f.add(FieldDef.builder("MobilePhone", PHONE).label("Mobile Phone").build());
        f.add(FieldDef.builder("Email", EMAIL).label("Email").idLookup(true).build());
        f.add(FieldDef.builder("Title", STRING).label("Title").length(128).build());
        f.add(FieldDef.builder("Department", STRING).label("Department").length(80).build());
        f.add(FieldDef.builder("Birthdate", DATE).label("Birthdate").build());
        f.add(FieldDef.builder("LeadSource", PICKLIST).label("Lead Source")
                .picklist(false, "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other").build());
        f.add(FieldDef.builder("HasOptedOutOfEmail", BOOLEAN).label("Email Opt Out").build());
        f.add(FieldDef.builder("DoNotCall", BOOLEAN).label("Do Not Call").build());
        f.add(FieldDef.builder("Description", TEXTAREA).label("Contact Description").length(32000).build());
        f.add(FieldDef.builder("LastActivityDate", DATE).label("Last Activity").readOnly().build());
        return new SObjectType("Contact", "Contact", "Contacts", "003", false, f, created);
    }

    static SObjectType lead(Instant created) {
        List<FieldDef> f = systemFields(true);
        f.addAll(personName());
        f.add(FieldDef.builder("Company", STRING).label("Company").length(255).required().build());
        f.add(FieldDef.builder("Title", STRING).label("Title").length(128).build());
        f.addAll(address("", ""));
        f.add(FieldDef.builder("Phone", PHONE).label("Phone").build());
        f.add(FieldDef.builder("Email", EMAIL).label("Email").idLookup(true).build());
        f.add(FieldDef.builder("Website", URL).label("Website").build());
        f.add(FieldDef.builder("Status", PICKLIST).label("Status").nillable(false).defaultedOnCreate(true)
                .picklistValues(true, List.of(
                        new PicklistValue("Open - Not Contacted", "Open - Not Contacted", true, true),
                        PicklistValue.of("Working - Contacted"), PicklistValue.of("Closed - Converted"),
                        PicklistValue.of("Closed - Not Converted")))
                .defaultValue("Open - Not Contacted").build());
        f.add(FieldDef.builder("LeadSource", PICKLIST).label("Lead Source")
                .picklist(false, "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other").build());
        f.add(FieldDef.builder("Industry", PICKLIST).label("Industry")
                .picklist(false, "Banking", "Education", "Finance", "Healthcare", "Manufacturing", "Retail",
                        "Technology", "Other").build());
        f.add(FieldDef.builder("Rating", PICKLIST).label("Rating").picklist(false, "Hot", "Warm", "Cold").build());
        f.add(FieldDef.builder("AnnualRevenue", CURRENCY).label("Annual Revenue").precision(18, 0).build());
        f.add(FieldDef.builder("NumberOfEmployees", INT).label("Employees").digits(8).build());
        f.add(FieldDef.builder("IsConverted", BOOLEAN).label("Converted").readOnly().build());
        f.add(FieldDef.builder("Description", TEXTAREA).label("Description").length(32000).build());
        return new SObjectType("Lead", "Lead", "Leads", "00Q", false, f, created);
    }

    static SObjectType opportunity(Instant created) {
        List<FieldDef> f = systemFields(true);
        f.add(FieldDef.builder("Name", STRING).label("Name").length(120).required().nameField(true).build());
        f.add(FieldDef.builder("AccountId", REFERENCE).label("Account ID").referenceTo("Account", "Account")
                .cascadeDelete(true).build());
        f.add(FieldDef.builder("Description", TEXTAREA).label("Description").length(32000).build());
        f.add(FieldDef.builder("StageName", PICKLIST).label("Stage").length(255).required()
                .picklist(true, "Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
                        "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review",
                        "Closed Won", "Closed Lost").build());
        f.add(FieldDef.builder("Amount", CURRENCY).label("Amount").precision(16, 2).build());
        f.add(FieldDef.builder("Probability", PERCENT).label("Probability (%)").precision(3, 0).defaultedOnCreate(true).build());
        f.add(FieldDef.builder("ExpectedRevenue", CURRENCY).label("Expected Amount").precision(16, 2)
                .formula("Amount * Probability / 100", StandardObjects::expectedRevenue).build());
        f.add(FieldDef.builder("TotalOpportunityQuantity", DOUBLE).label("Quantity").precision(18, 2).build());
        f.add(FieldDef.builder("CloseDate", DATE).label("Close Date").required().build());
        f.add(FieldDef.builder("Type", PICKLIST).label("Opportunity Type")
                .picklist(false, "Existing Customer - Upgrade", "Existing Customer - Replacement",
                        "Existing Customer - Downgrade", "New Customer").build());
        f.add(FieldDef.builder("NextStep", STRING).label("Next Step").length(255).build());
        f.add(FieldDef.builder("LeadSource", PICKLIST).label("Lead Source")
                .picklist(false, "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other").build());
        f.add(FieldDef.builder("IsClosed", BOOLEAN).label("Closed")
                .formula("ISPICKVAL(StageName, 'Closed Won') || ISPICKVAL(StageName, 'Closed Lost')",
                        r -> CLOSED_STAGES.contains(r.get("StageName"))).build());
        f.add(FieldDef.builder("IsWon", BOOLEAN).label("Won")
                .formula("ISPICKVAL(StageName, 'Closed Won')", r -> "Closed Won".equals(r.get("StageName"))).build());
        f.add(FieldDef.builder("LastActivityDate", DATE).label("Last Activity").readOnly().build());
        return new SObjectType("Opportunity", "Opportunity", "Opportunities", "006", false, f, created);
    }

    private static Object expectedRevenue(Map<String, Object> r) {
        if (r.get("Amount") instanceof BigDecimal amount && r.get("Probability") instanceof BigDecimal p) {
            return amount.multiply(p).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
        }
        return null;
    }
}
