package io.sfsync.emulator.control;

import io.sfsync.emulator.auth.TokenService;
import io.sfsync.emulator.cdc.ChangeEventLog;
import io.sfsync.emulator.data.ChangeOrigin;
import io.sfsync.emulator.data.FieldValues;
import io.sfsync.emulator.data.Org;
import io.sfsync.emulator.data.TriggerRule;
import io.sfsync.emulator.data.WriteContext;
import io.sfsync.emulator.data.WriteStats;
import io.sfsync.emulator.faults.Faults;
import io.sfsync.emulator.http.Json;
import io.sfsync.emulator.limits.ApiLimits;
import io.sfsync.emulator.model.FieldDef;
import io.sfsync.emulator.model.SObjectType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's control API under {@code /emulator/*}: a JSON HTTP API, not a Salesforce one, with which tests,
 * demos and benchmarks act on the org from outside the Salesforce APIs: edits made "in the UI", trigger-like
 * rules, runtime metadata changes, the CDC entity selection, limits, injected faults, session and event expiry,
 * and server-side counters. See {@code CONTROL-API.md} for every route.
 *
 * <p>It needs no session (it is served on the emulator's loopback listener) and its calls count against no
 * limit. Errors are {@code {"error":"<message>"}} with 400 (bad input), 404 (unknown route, object, record,
 * field or rule), 405 (wrong method) or 503 (streaming not enabled).
 */
public final class ControlServlet extends HttpServlet {

    private static final Set<String> RULE_KEYS = Set.of("object", "whenField", "setField", "value", "valueFrom");
    private static final Set<String> LIMIT_KEYS = Set.of("dailyApiRequests", "used", "perSecondCap",
            "concurrentLongRunning", "longRunningThresholdMs");
    private static final Set<String> FAULT_KEYS = Set.of("latencyMs", "serverUnavailableRate", "serverErrorRate",
            "lockRowRate", "dropLongPollRate", "fail503Next");
    private static final Set<String> GAP_KEYS = Set.of("entity", "changeType", "recordIds");
    private static final Set<String> GAP_TYPES = Set.of("GAP_CREATE", "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE");

    private final transient Org org;
    private final transient ApiLimits limits;
    private final transient Faults faults;
    private final transient ChangeEventLog events;
    private final transient TokenService tokens;
    private final transient RecordControl records;
    private final transient SchemaControl schema;
    private final transient List<Route> routes = new ArrayList<>();
    private final AtomicLong ruleSeq = new AtomicLong();
    private volatile transient StreamingControl streaming;

    /**
     * @param uiUserId  the user UI edits are made as (the org's admin)
     * @param streaming the streaming server's controls, or null until it exists (see {@link #setStreaming})
     */
    public ControlServlet(Org org, ApiLimits limits, TokenService tokens, String uiUserId, StreamingControl streaming) {
        this.org = org;
        this.limits = limits;
        this.faults = org.faults();
        this.events = org.events();
        this.tokens = tokens;
        WriteContext ui = new WriteContext(uiUserId, ChangeOrigin.UI);
        this.records = new RecordControl(org, ui);
        this.schema = new SchemaControl(org, ui, records);
        this.streaming = streaming;
        registerRoutes();
    }

    /** Connects (or disconnects, with null) the streaming server's controls. */
    public void setStreaming(StreamingControl streaming) {
        this.streaming = streaming;
    }

    // ------------------------------------------------------------------------------------------------ routes

    private void registerRoutes() {
        // Records, as a person in the UI.
        add("GET", "/records/{object}", c -> ok(records.dump(c.p(0), "true".equalsIgnoreCase(c.param("includeDeleted")))));
        add("POST", "/records/{object}/batch", c -> ok(records.batch(c.p(0), c.body())));
        add("POST", "/records/{object}", c -> reply(201, records.create(c.p(0), c.body())));
        add("PATCH", "/records/{object}/{id}", c -> ok(records.update(c.p(0), c.p(1), c.body())));
        add("DELETE", "/records/{object}/{id}", c -> ok(records.delete(c.p(0), c.p(1))));
        add("POST", "/records/{object}/{id}/undelete", c -> ok(records.undelete(c.p(0), c.p(1))));
        // Trigger-like rules.
        add("GET", "/rules", c -> ok(Map.of("rules", org.triggerRules().stream().map(ControlServlet::ruleJson).toList())));
        add("POST", "/rules", c -> reply(201, addRule(c.body())));
        add("DELETE", "/rules/{id}", c -> ok(removeRule(c.p(0))));
        // Metadata.
        add("POST", "/schema/objects", c -> reply(201, schema.addObject(c.body())));
        add("POST", "/schema/{object}/fields", c -> {
            Map<String, Object> r = schema.addField(c.p(0), c.body());
            return reply(Boolean.TRUE.equals(r.get("created")) ? 201 : 200, r);
        });
        add("DELETE", "/schema/{object}/fields/{field}", c -> ok(schema.removeField(c.p(0), c.p(1))));
        // Change Data Capture entity selection.
        add("GET", "/cdc/entities", c -> ok(cdcEntities()));
        add("PUT", "/cdc/entities", c -> ok(setCdcEntities(c.body())));
        // Limits and faults.
        add("GET", "/limits", c -> ok(limitsJson()));
        add("PUT", "/limits", c -> ok(setLimits(c.body())));
        add("GET", "/faults", c -> ok(faultsJson()));
        add("PUT", "/faults", c -> ok(setFaults(c.body())));
        add("DELETE", "/faults", c -> {
            faults.reset();
            return ok(faultsJson());
        });
        // Sessions.
        add("POST", "/sessions/expire", c -> {
            tokens.expireAll();
            return ok(Map.of("expired", true));
        });
        add("POST", "/sessions/revoke", c -> ok(revoke(c.optionalBody())));
        add("PUT", "/sessions/timeout", c -> {
            long seconds = c.body().onlyKeys(Set.of("seconds")).integer("seconds", 1, Long.MAX_VALUE / 1000);
            tokens.setSessionTimeout(Duration.ofSeconds(seconds));
            return ok(Map.of("seconds", seconds));
        });
        // Change event retention.
        add("GET", "/events", c -> ok(eventsJson()));
        add("POST", "/events/expire", c -> ok(Map.of("expired", events.expireAll())));
        add("PUT", "/events/retention", c -> ok(setRetention(c.body())));
        // Counters.
        add("GET", "/counters", c -> ok(counters()));
        add("POST", "/counters/reset", c -> {
            limits.resetCounters();
            org.writeStats().reset();
            return ok(counters());
        });
        // Streaming faults, served by the streaming server when it is connected.
        add("POST", "/streaming/gap", c -> ok(injectGap(c.body())));
        add("POST", "/streaming/overflow", c -> {
            String entity = cdcEntity(c.body().onlyKeys(Set.of("entity")).text("entity"));
            streaming().injectOverflow(entity);
            return ok(Map.of("entity", entity, "changeType", "GAP_OVERFLOW"));
        });
        add("POST", "/streaming/expire-clients", c -> {
            streaming().expireClients();
            return ok(Map.of("expired", true));
        });
    }

    // ------------------------------------------------------------------------------------------------ rules

    private Map<String, Object> addRule(JsonBody body) {
        body.onlyKeys(RULE_KEYS);
        SObjectType t = records.type(body.text("object"));
        FieldDef when = field(t, body.text("whenField"));
        FieldDef set = field(t, body.text("setField"));
        if (!set.stored() || (!set.createable() && !set.updateable())) {
            throw ControlException.badRequest(t.name() + "." + set.name() + " is read-only and cannot be set by a rule");
        }
        boolean hasValue = body.has("value");
        boolean hasValueFrom = body.has("valueFrom") && !body.node().get("valueFrom").isNull();
        if (hasValue == hasValueFrom) {
            throw ControlException.badRequest("give exactly one of 'value' (a constant, may be null) or 'valueFrom' "
                    + "(a field of the same record)");
        }
        String valueFrom = hasValueFrom ? field(t, body.text("valueFrom")).name() : null;
        Object value = hasValue ? Json.toPlain(body.node().get("value")) : null;
        if (hasValue) {
            try {
                FieldValues.convert(set, value, t.label());
            } catch (FieldValues.InvalidValue e) {
                throw ControlException.badRequest("the rule's value is not valid for " + t.name() + "." + set.name()
                        + ": " + e.error().code() + ": " + e.error().message());
            }
        }
        TriggerRule rule = new TriggerRule("rule-" + ruleSeq.incrementAndGet(), t.name(), when.name(), set.name(),
                value, valueFrom);
        org.addTriggerRule(rule);
        return ruleJson(rule);
    }

    private Map<String, Object> removeRule(String id) {
        if (!org.removeTriggerRule(id)) {
            throw ControlException.notFound("no rule with id '" + id + "'");
        }
        return Map.of("id", id, "deleted", true);
    }

    private static Map<String, Object> ruleJson(TriggerRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("object", r.objectName());
        m.put("whenField", r.whenField());
        m.put("setField", r.setField());
        if (r.valueFrom() != null) {
            m.put("valueFrom", r.valueFrom());
        } else {
            m.put("value", r.value());
        }
        return m;
    }

    private static FieldDef field(SObjectType t, String name) {
        return t.field(name).orElseThrow(() -> ControlException.badRequest("no field '" + name + "' on " + t.name()));
    }

    // ------------------------------------------------------------------------------------------------ CDC

    private Map<String, Object> cdcEntities() {
        return Map.of("entities", new TreeSet<>(org.changeEventEntities()));
    }

    private Map<String, Object> setCdcEntities(JsonBody body) {
        List<String> names = body.onlyKeys(Set.of("entities")).texts("entities");
        List<String> canonical = new ArrayList<>();
        for (String n : names) {
            canonical.add(cdcEntity(n));
        }
        org.setChangeEventEntities(canonical);
        return cdcEntities();
    }

    /** An object name as the org spells it; 400 if there is no such object. */
    private String cdcEntity(String name) {
        return org.schema().find(name).map(SObjectType::name)
                .orElseThrow(() -> ControlException.badRequest("unknown object '" + name + "'"));
    }

    // ------------------------------------------------------------------------------------------------ limits

    private Map<String, Object> limitsJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dailyApiRequests", limits.dailyMax());
        m.put("used", limits.used());
        m.put("remaining", limits.remaining());
        m.put("perSecondCap", limits.perSecondCap());
        m.put("concurrentLongRunning", limits.concurrentLongRunningLimit());
        m.put("longRunningThresholdMs", limits.longRunningThreshold().toMillis());
        m.put("rejected", limits.rejectedCalls());
        return m;
    }

    private Map<String, Object> setLimits(JsonBody body) {
        body.onlyKeys(LIMIT_KEYS);
        // Validate everything before changing anything.
        Long daily = body.has("dailyApiRequests") ? body.integer("dailyApiRequests", 0, Long.MAX_VALUE) : null;
        Long used = body.has("used") ? body.integer("used", 0, Long.MAX_VALUE) : null;
        Long cap = body.has("perSecondCap") ? body.integer("perSecondCap", 0, Integer.MAX_VALUE) : null;
        Long concurrent = body.has("concurrentLongRunning")
                ? body.integer("concurrentLongRunning", 0, Integer.MAX_VALUE) : null;
        Long thresholdMs = body.has("longRunningThresholdMs")
                ? body.integer("longRunningThresholdMs", 0, Long.MAX_VALUE / 1000) : null;
        if (daily != null) {
            limits.setDailyMax(daily);
        }
        if (used != null) {
            limits.setUsed(used);
        }
        if (cap != null) {
            limits.setPerSecondCap(cap.intValue());
        }
        if (concurrent != null || thresholdMs != null) {
            limits.setConcurrentLongRunning(
                    concurrent != null ? concurrent.intValue() : limits.concurrentLongRunningLimit(),
                    thresholdMs != null ? Duration.ofMillis(thresholdMs) : limits.longRunningThreshold());
        }
        return limitsJson();
    }

    // ------------------------------------------------------------------------------------------------ faults

    private Map<String, Object> faultsJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latencyMs", faults.latency().toMillis());
        m.put("serverUnavailableRate", faults.serverUnavailableRate());
        m.put("serverErrorRate", faults.serverErrorRate());
        m.put("lockRowRate", faults.lockRowRate());
        m.put("dropLongPollRate", faults.dropLongPollRate());
        return m;
    }

    private Map<String, Object> setFaults(JsonBody body) {
        body.onlyKeys(FAULT_KEYS);
        Long latency = body.has("latencyMs") ? body.integer("latencyMs", 0, Long.MAX_VALUE / 1000) : null;
        Double unavailable = rate(body, "serverUnavailableRate");
        Double error = rate(body, "serverErrorRate");
        Double lock = rate(body, "lockRowRate");
        Double drop = rate(body, "dropLongPollRate");
        Long fail503 = body.has("fail503Next") ? body.integer("fail503Next", 0, Integer.MAX_VALUE) : null;
        if (latency != null) {
            faults.setLatency(Duration.ofMillis(latency));
        }
        if (unavailable != null) {
            faults.setServerUnavailableRate(unavailable);
        }
        if (error != null) {
            faults.setServerErrorRate(error);
        }
        if (lock != null) {
            faults.setLockRowRate(lock);
        }
        if (drop != null) {
            faults.setDropLongPollRate(drop);
        }
        if (fail503 != null) {
            faults.failNextRequestsWith503(fail503.intValue());
        }
        Map<String, Object> m = faultsJson();
        if (fail503 != null) {
            m.put("fail503Next", fail503);
        }
        return m;
    }

    private static Double rate(JsonBody body, String key) {
        if (!body.has(key)) {
            return null;
        }
        BigDecimal v = body.number(key, 0, 1);
        return v.doubleValue();
    }

    // ------------------------------------------------------------------------------------------------ sessions, events

    private Map<String, Object> revoke(JsonBody body) {
        body.onlyKeys(Set.of("token"));
        String token = body.optionalText("token");
        if (token == null) {
            tokens.revokeAll();
            return Map.of("revoked", "all");
        }
        if (!tokens.revoke(token)) {
            throw ControlException.notFound("unknown or already revoked token");
        }
        return Map.of("revoked", 1);
    }

    private Map<String, Object> eventsJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("retained", events.size());
        m.put("lastReplayId", events.lastReplayId());
        m.put("retentionHours", events.retention().toMillis() / 3_600_000.0);
        return m;
    }

    private Map<String, Object> setRetention(JsonBody body) {
        BigDecimal hours = body.onlyKeys(Set.of("hours")).number("hours", 0, 24 * 365 * 100);
        if (hours.signum() <= 0) {
            throw ControlException.badRequest("'hours' must be greater than 0, got " + hours);
        }
        events.setRetention(Duration.ofMillis(hours.multiply(BigDecimal.valueOf(3_600_000L)).longValue()));
        return eventsJson();
    }

    // ------------------------------------------------------------------------------------------------ counters

    private Map<String, Object> counters() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Long> byEndpoint = limits.callsByEndpoint();
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("total", byEndpoint.values().stream().mapToLong(Long::longValue).sum());
        api.put("byEndpoint", byEndpoint);
        out.put("apiCalls", api);
        WriteStats w = org.writeStats();
        Map<String, Object> writes = new LinkedHashMap<>();
        writes.put("calls", w.calls());
        writes.put("records", w.records());
        Map<String, Long> perCall = new LinkedHashMap<>();
        w.callsBySize().forEach((size, calls) -> perCall.put(String.valueOf(size), calls));
        writes.put("recordsPerCall", perCall);
        out.put("writes", writes);
        out.put("limits", limitsJson());
        out.put("events", eventsJson());
        StreamingControl s = streaming;
        if (s != null) {
            out.put("streaming", s.counters());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ streaming

    private StreamingControl streaming() {
        StreamingControl s = streaming;
        if (s == null) {
            throw new ControlException(503, "streaming is not enabled");
        }
        return s;
    }

    private Map<String, Object> injectGap(JsonBody body) {
        body.onlyKeys(GAP_KEYS);
        StreamingControl s = streaming();
        String entity = cdcEntity(body.text("entity"));
        String changeType = body.has("changeType") ? body.text("changeType") : "GAP_UPDATE";
        if (!GAP_TYPES.contains(changeType)) {
            throw ControlException.badRequest("'changeType' must be one of " + new TreeSet<>(GAP_TYPES) + ", got '"
                    + changeType + "'");
        }
        List<String> ids = body.texts("recordIds");
        if (ids.isEmpty()) {
            throw ControlException.badRequest("'recordIds' must not be empty");
        }
        s.injectGap(entity, changeType, ids);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entity", entity);
        m.put("changeType", changeType);
        m.put("recordIds", ids);
        return m;
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    private record Reply(int status, Object json) {
    }

    private static Reply ok(Object json) {
        return new Reply(200, json);
    }

    private static Reply reply(int status, Object json) {
        return new Reply(status, json);
    }

    @FunctionalInterface
    private interface Handler {
        Reply handle(Call call);
    }

    private record Route(String method, Pattern pattern, Handler handler) {
    }

    /** One control call: its path parameters, query and (lazily parsed) body. */
    private static final class Call {
        private final Matcher matcher;
        private final HttpServletRequest req;
        private final String bodyText;

        Call(Matcher matcher, HttpServletRequest req, String bodyText) {
            this.matcher = matcher;
            this.req = req;
            this.bodyText = bodyText;
        }

        String p(int index) {
            return matcher.group(index + 1);
        }

        String param(String name) {
            return req.getParameter(name);
        }

        JsonBody body() {
            return JsonBody.parse(bodyText, false);
        }

        JsonBody optionalBody() {
            return JsonBody.parse(bodyText, true);
        }
    }

    private void add(String method, String template, Handler handler) {
        String regex = template.replaceAll("\\{\\w+}", "([^/]+)");
        routes.add(new Route(method, Pattern.compile(regex + "/?"), handler));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        String method = req.getMethod();
        Reply reply;
        try {
            Route route = null;
            Matcher matcher = null;
            List<String> allowed = new ArrayList<>();
            for (Route r : routes) {
                Matcher m = r.pattern().matcher(path);
                if (m.matches()) {
                    if (r.method().equals(method)) {
                        route = r;
                        matcher = m;
                        break;
                    }
                    allowed.add(r.method());
                }
            }
            if (route == null) {
                if (!allowed.isEmpty()) {
                    resp.setHeader("Allow", String.join(", ", allowed));
                    throw new ControlException(405, "method " + method + " is not allowed on /emulator" + path
                            + "; allowed: " + String.join(", ", allowed));
                }
                throw ControlException.notFound("no control API route " + method + " /emulator" + path
                        + " (see CONTROL-API.md)");
            }
            String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            reply = route.handler().handle(new Call(matcher, req, body));
        } catch (ControlException e) {
            reply = new Reply(e.status(), e.body());
        } catch (RuntimeException e) {
            log("control API error on " + method + " " + path, e);
            reply = new Reply(500, Map.of("error", "internal error: " + e));
        }
        resp.setStatus(reply.status());
        resp.setContentType("application/json;charset=UTF-8");
        resp.getOutputStream().write(Json.write(reply.json()).getBytes(StandardCharsets.UTF_8));
    }
}
