package io.ensign.itests;

import com.fasterxml.jackson.databind.JsonNode;
import io.ensign.itests.TortureFigures.Finding;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * One of the crash torture's writer threads and its ledger. The writer owns its objects (flags, segments, config
 * entries, tokens, event batches) so its writes to each are sequential: before the kill every acknowledged write is
 * known exactly, and at most one write — the one in flight when the server died — is pending, a possible outcome
 * whose response never came. After the restart {@link #check} compares every object with that ledger, then adopts
 * what it found so the next round starts from the server's real state.
 */
final class TortureWriter {
    static final String EXPERIMENT = "torture-exp";
    private static final String ADMIN = EnsignConfiguration.ADMIN_TOKEN;
    private static final String SOURCE = "development";
    private static final String TARGET = "staging";
    private static final int FLAGS = 4;
    private static final int SEGMENTS = 3;
    private static final int CONFIG_KEYS = 3;
    private static final int MAX_TOKENS = 3;
    private static final int DELETED_TOKENS_KEPT = 4;
    private static final int OLD_BATCHES_KEPT = 40;
    private static final int OLD_BATCHES_RECHECKED = 3;
    private static final String TIMESTAMP = "2026-11-26T10:00:00Z";
    private static final String SECRET = "#secret";

    /** What an object is (or would be after the pending write): absent when {@code marker} is null. */
    private record State(long version, String marker) {
        static final State ABSENT = new State(0, null);
        private static final long ANY_VERSION = -1;

        boolean matches(State seen) {
            return Objects.equals(marker, seen.marker)
                    && (marker == null || version == ANY_VERSION || version == seen.version);
        }
    }

    /** One object, addressed by its REST path; its kind names how its marker is read back. */
    private static final class Slot {
        final String kind;
        final String path;
        State acknowledged = State.ABSENT;
        State pending;
        long pendingOp;

        Slot(String kind, String path) {
            this.kind = kind;
            this.path = path;
        }
    }

    private record Token(String name, String id, String secret) {
    }

    private static final class Batch {
        final String body;
        final int size;
        boolean acknowledged;

        Batch(String body, int size) {
            this.body = body;
            this.size = size;
        }
    }

    private final int id;
    private final TortureFigures figures;
    private final List<Slot> flags = new ArrayList<>();
    private final List<Slot> segments = new ArrayList<>();
    private final List<Slot> sources = new ArrayList<>();
    private final List<Slot> targets = new ArrayList<>();
    private final List<Token> tokens = new ArrayList<>();
    private final Deque<Token> deletedTokens = new ArrayDeque<>();
    private final List<Batch> batches = new ArrayList<>();
    private final Deque<Batch> oldBatches = new ArrayDeque<>();
    private final String namespace;
    private Token pendingCreate;
    private Token pendingDelete;
    private HttpDriver driver;
    private Random random;
    private int round;
    private long op;
    private volatile boolean running;

    TortureWriter(int id, TortureFigures figures) {
        this.id = id;
        this.figures = figures;
        this.namespace = "torture-t" + id;
        for (int i = 0; i < FLAGS; i++) {
            flags.add(new Slot("flag", "/api/v1/flags/tt" + id + "-f" + i));
        }
        for (int i = 0; i < SEGMENTS; i++) {
            segments.add(new Slot("segment", "/api/v1/segments/tt" + id + "-s" + i));
        }
        for (int i = 0; i < CONFIG_KEYS; i++) {
            String key = "/api/v1/config/" + namespace + "/k" + i + "?environment=";
            sources.add(new Slot("config", key + SOURCE));
            targets.add(new Slot("config", key + TARGET));
        }
    }

    /** Prepares a round of load against {@code driver}; the op sequence follows from {@code seed}. */
    void prepare(HttpDriver driver, long seed, int round) {
        this.driver = driver;
        this.random = new Random(seed);
        this.round = round;
        this.running = true;
    }

    /** Writes until {@link #stop} or until the server is gone (the write in flight then stays pending). */
    void run() {
        try {
            while (running) {
                step();
            }
        } catch (UncheckedIOException | IllegalStateException serverGone) {
            // the kill: whatever was in flight is pending, checked after the restart
        }
    }

    void stop() {
        running = false;
    }

    private void step() {
        int dice = random.nextInt(100);
        if (dice < 30) {
            writeObject(flags.get(random.nextInt(FLAGS)));
        } else if (dice < 45) {
            writeObject(segments.get(random.nextInt(SEGMENTS)));
        } else if (dice < 65) {
            writeConfig(sources.get(random.nextInt(CONFIG_KEYS)));
        } else if (dice < 72) {
            promote();
        } else if (dice < 82) {
            token();
        } else {
            postEvents();
        }
    }

    private String marker() {
        return "r" + round + "-t" + id + "-o" + (++op);
    }

    /** Creates an absent flag or segment, else replaces it with If-Match or deletes it with If-Match. */
    private void writeObject(Slot slot) {
        State now = slot.acknowledged;
        if (now.marker == null) {
            State next = new State(State.ANY_VERSION, marker());
            JsonNode body = attempt(slot.kind + " create", List.of(slot), List.of(next), "PUT", slot.path,
                    objectBody(slot.kind, next.marker), null, 201);
            acknowledge(slot, body, next);
        } else if (random.nextInt(100) < 65) {
            State next = new State(now.version + 1, marker());
            JsonNode body = attempt(slot.kind + " replace", List.of(slot), List.of(next), "PUT", slot.path,
                    objectBody(slot.kind, next.marker), now.version, 200);
            acknowledge(slot, body, next);
        } else {
            JsonNode body = attempt(slot.kind + " delete", List.of(slot), List.of(State.ABSENT), "DELETE", slot.path,
                    null, now.version, 204);
            acknowledge(slot, body, State.ABSENT);
        }
    }

    private static String objectBody(String kind, String marker) {
        return kind.equals("flag")
                ? "{\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\","
                        + "\"description\":\"" + marker + "\"}"
                : "{\"conditions\":[],\"included\":[\"" + marker + "\"]}";
    }

    /** Writes a development entry of the writer's namespace, a secret one about every third time. */
    private void writeConfig(Slot slot) {
        boolean secret = random.nextInt(3) == 0;
        String value = "v-" + marker();
        State next = new State(slot.acknowledged.version + 1, configMarker(value, secret));
        String what = secret ? "config secret write" : "config write";
        JsonNode body = attempt(what, List.of(slot), List.of(next), "PUT", slot.path,
                "{\"value\":\"" + value + "\",\"secret\":" + secret + "}", null,
                slot.acknowledged.marker == null ? 201 : 200);
        acknowledge(slot, body, next);
    }

    private static String configMarker(String value, boolean secret) {
        return secret ? value + SECRET : value;
    }

    // A promotion copies the source's value; the target stays secret if it was (the secret flag sticks).
    private static String promoted(String source, String target) {
        boolean targetSecret = target != null && target.endsWith(SECRET);
        return targetSecret && !source.endsWith(SECRET) ? source + SECRET : source;
    }

    /** Promotes the namespace from development to staging: one commit, every entry or none. */
    private void promote() {
        List<Slot> promoted = new ArrayList<>();
        List<State> outcomes = new ArrayList<>();
        for (int i = 0; i < CONFIG_KEYS; i++) {
            if (sources.get(i).acknowledged.marker != null) {
                promoted.add(targets.get(i));
                State target = targets.get(i).acknowledged;
                outcomes.add(new State(target.version + 1, promoted(sources.get(i).acknowledged.marker, target.marker)));
            }
        }
        if (promoted.isEmpty()) {
            return;
        }
        JsonNode body = attempt("config promote", promoted, outcomes, "POST",
                "/api/v1/config/" + namespace + "/promote", "{\"from\":\"" + SOURCE + "\",\"to\":\"" + TARGET + "\"}",
                null, 200);
        if (body == null) {
            return;
        }
        // the result redacts secret values: the versions come from it, the values from the ledger
        Map<String, Long> versions = new HashMap<>();
        body.path("entries").forEach(e -> versions.put(e.path("key").asText(), e.path("version").asLong()));
        for (int i = 0; i < promoted.size(); i++) {
            Slot slot = promoted.get(i);
            String key = slot.path.substring(slot.path.lastIndexOf('/') + 1, slot.path.indexOf('?'));
            slot.acknowledged = new State(versions.getOrDefault(key, -2L), outcomes.get(i).marker);
        }
        figures.acknowledged("config promoted entries", promoted.size());
    }

    private void token() {
        if (tokens.size() < MAX_TOKENS && (tokens.isEmpty() || random.nextBoolean())) {
            String name = "tt" + id + "-" + marker();
            pendingCreate = new Token(name, null, null);
            JsonNode body = acknowledgedBody("token create", driver.send("POST", "/api/v1/tokens", ADMIN,
                    "{\"name\":\"" + name + "\",\"role\":\"viewer\"}"), 201);
            pendingCreate = null;
            if (body != null) {
                tokens.add(new Token(name, body.path("id").asText(), body.path("token").asText()));
            }
        } else {
            Token token = tokens.remove(random.nextInt(tokens.size()));
            pendingDelete = token;
            JsonNode body = acknowledgedBody("token delete",
                    driver.send("DELETE", "/api/v1/tokens/" + token.id, ADMIN, null), 204);
            pendingDelete = null;
            if (body != null) {
                remember(deletedTokens, token, DELETED_TOKENS_KEPT);
            } else {
                tokens.add(token);
            }
        }
    }

    private void postEvents() {
        int size = 20 + random.nextInt(31);
        String prefix = "tt" + id + "-" + marker();
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < size; i++) {
            String unit = prefix + "-u" + (i / 2);
            b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(prefix).append('-').append(i)
                    .append("\",\"experiment\":\"").append(EXPERIMENT).append("\",\"unit\":\"").append(unit)
                    .append("\",\"timestamp\":\"").append(TIMESTAMP).append("\",");
            b.append(i % 2 == 0
                    ? "\"type\":\"exposure\",\"variant\":\"" + (i % 4 == 0 ? "on" : "off") + "\"}"
                    : "\"type\":\"metric\",\"metric\":\"revenue\",\"value\":" + i + "}");
        }
        Batch batch = new Batch(b.append("]}").toString(), size);
        batches.add(batch);
        HttpResponse<String> response = driver.send("POST", "/api/v1/events", ADMIN, batch.body);
        JsonNode body = response.statusCode() == 202 ? driver.json(response) : null;
        if (body != null && body.path("accepted").asInt() == size && body.path("duplicates").asInt() == 0) {
            batch.acknowledged = true;
            figures.acknowledged("event batch");
            figures.acknowledged("events", size);
        } else {
            // not all of it taken: a load problem to look at, not a durability question
            batches.remove(batch);
            figures.unexpected("event batch of " + size, response.statusCode(), response.body());
        }
    }

    /**
     * Sends a write that leaves {@code outcomes} in {@code slots} if it is applied; they are pending until its
     * response comes. Returns the response body when it is the {@code expected} status (an acknowledgement),
     * else reads the slots back and returns null. Throws when the server is gone, leaving the pending outcomes.
     */
    private JsonNode attempt(String what, List<Slot> slots, List<State> outcomes, String method, String path,
            String json, Long ifMatch, int expected) {
        long thisOp = ++op;
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).pending = outcomes.get(i);
            slots.get(i).pendingOp = thisOp;
        }
        var request = driver.request(method, path, ADMIN, json);
        if (ifMatch != null) {
            request.header("If-Match", "\"" + ifMatch + "\"");
        }
        JsonNode body = acknowledgedBody(what, driver.send(request), expected);
        if (body == null) {
            for (Slot slot : slots) {
                slot.acknowledged = read(slot);
            }
        }
        slots.forEach(slot -> slot.pending = null);
        return body;
    }

    private JsonNode acknowledgedBody(String what, HttpResponse<String> response, int expected) {
        if (response.statusCode() != expected) {
            figures.unexpected(what, response.statusCode(), response.body());
            return null;
        }
        figures.acknowledged(what);
        return driver.json(response);
    }

    private static void acknowledge(Slot slot, JsonNode body, State next) {
        if (body != null) {
            slot.acknowledged = next.marker == null ? new State(next.version, null)
                    : new State(body.path("version").asLong(), next.marker);
        }
    }

    /** The object as the server has it now. */
    private State read(Slot slot) {
        HttpResponse<String> response = driver.send("GET", slot.path, ADMIN, null);
        if (response.statusCode() == 404) {
            return State.ABSENT;
        }
        if (response.statusCode() != 200) {
            // no marker of ours: any expectation fails and the detail shows the answer
            return new State(-1, "GET -> " + response.statusCode() + " " + response.body());
        }
        JsonNode node = driver.json(response);
        String marker = switch (slot.kind) {
            case "flag" -> node.path("description").asText();
            case "segment" -> node.path("included").path(0).asText();
            default -> configMarker(node.path("value").asText(), node.path("secret").asBoolean());
        };
        return new State(node.path("version").asLong(), marker);
    }

    /**
     * After the restart on {@code driver}: every acknowledged write must be there (or the pending one after it,
     * wholly), a pending multi-entry write all or nothing, acknowledged tokens and event batches there, deleted
     * tokens gone. Counts findings, then adopts what the server has.
     */
    void check(HttpDriver driver, int round) {
        this.driver = driver;
        Map<Long, Set<String>> pendingOutcomes = new HashMap<>();
        for (List<Slot> slots : List.of(flags, segments, sources, targets)) {
            for (Slot slot : slots) {
                State seen = read(slot);
                boolean acknowledged = slot.acknowledged.matches(seen);
                boolean pending = slot.pending != null && slot.pending.matches(seen);
                if (!acknowledged && !pending) {
                    figures.lost(slot.kind, round, slot.path + ": acknowledged " + slot.acknowledged
                            + (slot.pending == null ? "" : " (or pending " + slot.pending + ")") + ", found " + seen);
                }
                if (slot.pending != null) {
                    pendingOutcomes.computeIfAbsent(slot.pendingOp, k -> new HashSet<>())
                            .add(acknowledged ? "before" : pending ? "after" : "neither");
                    slot.pending = null;
                }
                slot.acknowledged = seen;
            }
        }
        pendingOutcomes.forEach((pendingOp, outcomes) -> {
            if (outcomes.contains("before") && outcomes.contains("after")) {
                figures.found(Finding.HALF_PRESENT, round, "config promotion of " + namespace + " partly applied");
            }
        });
        checkTokens(round);
        checkBatches(round);
    }

    private void checkTokens(int round) {
        HttpResponse<String> response = driver.send("GET", "/api/v1/tokens", ADMIN, null);
        Map<String, String> idsByName = new HashMap<>();
        driver.json(response).forEach(t -> idsByName.put(t.path("name").asText(), t.path("id").asText()));
        for (Token token : tokens) {
            if (!idsByName.containsValue(token.id) || !authenticates(token, 200)) {
                figures.lost("token", round, token.name + " (" + token.id + ") is not there");
            }
        }
        for (Token token : deletedTokens) {
            if (idsByName.containsValue(token.id) || !authenticates(token, 401)) {
                figures.lost("token delete", round, token.name + " (" + token.id + ") came back");
            }
        }
        if (pendingCreate != null && idsByName.containsKey(pendingCreate.name)) {
            // no known secret: from now on it is checked by id only
            tokens.add(new Token(pendingCreate.name, idsByName.get(pendingCreate.name), null));
        }
        if (pendingDelete != null) {
            (idsByName.containsValue(pendingDelete.id) ? tokens : deletedTokens).add(pendingDelete);
        }
        pendingCreate = null;
        pendingDelete = null;
        // adopt what the server has, so a finding is counted once
        tokens.removeIf(t -> !idsByName.containsValue(t.id));
        deletedTokens.removeIf(t -> idsByName.containsValue(t.id));
        while (deletedTokens.size() > DELETED_TOKENS_KEPT) {
            deletedTokens.removeFirst();
        }
    }

    private boolean authenticates(Token token, int expected) {
        return token.secret == null
                || driver.send("GET", "/api/v1/environments", token.secret, null).statusCode() == expected;
    }

    /**
     * Re-posts this round's batches and a few older ones: an acknowledged batch must answer all duplicates, a
     * pending one all or none. Every batch is wholly stored afterwards.
     */
    private void checkBatches(int round) {
        List<Batch> recheck = new ArrayList<>(batches);
        List<Batch> old = new ArrayList<>(oldBatches);
        for (int i = 0; i < OLD_BATCHES_RECHECKED && !old.isEmpty(); i++) {
            recheck.add(old.remove(random.nextInt(old.size())));
        }
        for (Batch batch : recheck) {
            HttpResponse<String> response = driver.send("POST", "/api/v1/events", ADMIN, batch.body);
            if (response.statusCode() != 202) {
                figures.unexpected("event batch re-post", response.statusCode(), response.body());
                continue;
            }
            int duplicates = driver.json(response).path("duplicates").asInt();
            if (batch.acknowledged && duplicates != batch.size) {
                figures.lost("event batch", round, (batch.size - duplicates) + " of " + batch.size + " events");
            } else if (!batch.acknowledged && duplicates != 0 && duplicates != batch.size) {
                figures.found(Finding.HALF_PRESENT, round, "event batch: " + duplicates + " of " + batch.size);
            }
            batch.acknowledged = true;
        }
        for (Batch batch : batches) {
            remember(oldBatches, batch, OLD_BATCHES_KEPT);
        }
        batches.clear();
    }

    private static <T> void remember(Deque<T> kept, T item, int limit) {
        kept.addLast(item);
        if (kept.size() > limit) {
            kept.removeFirst();
        }
    }
}
