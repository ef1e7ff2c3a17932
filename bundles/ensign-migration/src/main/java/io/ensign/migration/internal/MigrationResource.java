package io.ensign.migration.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ensign.api.catalog.CreatedAll;
import io.ensign.api.catalog.FlagCatalog;
import io.ensign.api.catalog.WriteContext;
import io.ensign.api.http.ApiException;
import io.ensign.api.http.ApiResource;
import io.ensign.api.http.Call;
import io.ensign.api.http.ErrorCodes;
import io.ensign.api.http.Permission;
import io.ensign.api.http.Route;
import io.ensign.api.model.Flag;
import io.ensign.api.model.Segment;
import io.ensign.api.validation.ValidationException;
import io.ensign.api.validation.Violation;
import io.ensign.codec.ModelCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code POST /api/v1/import?from=flagd|unleash|growthbook[&dryRun=true]} and {@code GET /api/v1/export?to=flagd}.
 * An import translates the peer's whole file first and writes it only when every flag translated, passes Ensign's
 * checks and is new, as one {@link FlagCatalog#createAll} (one commit); otherwise it answers 422 with the per-flag
 * report and writes nothing. A dry run answers the same report and never writes.
 */
@Component(service = ApiResource.class)
public final class MigrationResource implements ApiResource {
    /** A peer's export may be larger than the API's general body limit. */
    static final long MAX_IMPORT_BYTES = 16L * 1024 * 1024;
    static final String IMPORT_RULE = "import";

    private final FlagCatalog catalog;
    private final ModelCodec codec = new ModelCodec();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, PeerTranslator> translators = new LinkedHashMap<>();

    @Activate
    public MigrationResource(@Reference FlagCatalog catalog) {
        this.catalog = catalog;
        for (PeerTranslator translator : List.of(new FlagdTranslator(), new UnleashTranslator(),
                new GrowthBookTranslator())) {
            translators.put(translator.peer(), translator);
        }
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/api/v1/import", Permission.ADMIN, this::importFile),
                Route.get("/api/v1/export", Permission.READ, this::export));
    }

    @Override
    public URL openApi() {
        return MigrationResource.class.getResource("openapi.json");
    }

    private void importFile(Call call) throws IOException {
        String from = call.query("from");
        PeerTranslator translator = from == null ? null : translators.get(from);
        if (translator == null) {
            throw new ApiException(400, ErrorCodes.INVALID_PARAMETER,
                    "from must be one of " + String.join(", ", translators.keySet()), "from");
        }
        boolean dryRun = flag(call, "dryRun");
        JsonNode file;
        try (JsonParser parser = call.jsonStream(MAX_IMPORT_BYTES)) {
            file = mapper.readTree(parser);
        }
        if (file == null || !file.isObject()) {
            throw new ApiException(400, ErrorCodes.INVALID_JSON, "the body must be the peer's file, a JSON object", "");
        }
        Translation translation = translator.translate(file);
        Checked checked = check(translation);
        if (dryRun) {
            call.respond(200, g -> report(g, from, true, translation, checked, null));
            return;
        }
        if (!checked.accepted()) {
            refuse(call, from, translation, checked);
            return;
        }
        WriteContext given = call.writeContext();
        WriteContext context = new WriteContext(given.actor(),
                given.reason() != null ? given.reason() : "import from " + from, given.requestId());
        CreatedAll created;
        try {
            created = catalog.createAll(checked.segments(), checked.flags(), context);
        } catch (ValidationException refused) {
            refuse(call, from, translation, checked.withCatalogViolations(refused.violations()));
            return;
        }
        call.respond(201, g -> report(g, from, false, translation, checked, created));
    }

    private void refuse(Call call, String from, Translation translation, Checked checked) throws IOException {
        List<Problem> all = new ArrayList<>(translation.problems());
        checked.problems().values().forEach(all::addAll);
        call.respond(422, g -> {
            g.writeStartObject();
            g.writeStringField("error", ErrorCodes.VALIDATION_FAILED);
            g.writeStringField("message", checked.refusedCount() + " of " + translation.flags().size()
                    + " flags cannot be imported as they are; nothing was written");
            g.writeStringField("field", all.isEmpty() ? "" : all.get(0).field());
            g.writeArrayFieldStart("violations");
            for (Problem p : all) {
                g.writeStartObject();
                g.writeStringField("rule", IMPORT_RULE);
                g.writeStringField("field", p.field());
                g.writeStringField("message", p.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            writeFlags(g, translation, checked, null);
            g.writeEndObject();
        });
    }

    /** Every translated flag decoded and checked to be new; the problems per flag key, translation's included. */
    private Checked check(Translation translation) {
        Map<String, List<Problem>> problems = new LinkedHashMap<>();
        List<Flag> flags = new ArrayList<>();
        for (FlagTranslation t : translation.flags()) {
            List<Problem> found = new ArrayList<>(t.problems());
            if (t.translated()) {
                try {
                    flags.add(codec.decodeFlag(t.flag(), t.key(), 0));
                } catch (ValidationException invalid) {
                    invalid.violations().forEach(v -> found.add(new Problem(t.source(), v.field() + ": " + v.message())));
                }
                if (catalog.flag(t.key()).isPresent()) {
                    found.add(new Problem(t.source(), "a flag '" + t.key() + "' exists already"));
                }
            }
            problems.put(t.key(), found);
        }
        List<Segment> segments = new ArrayList<>();
        translation.segments().forEach((key, json) -> {
            List<Problem> found = problems.computeIfAbsent("segment " + key, k -> new ArrayList<>());
            try {
                segments.add(codec.decodeSegment(json, key, 0));
            } catch (ValidationException invalid) {
                invalid.violations().forEach(v -> found.add(new Problem("segment " + key, v.field() + ": "
                        + v.message())));
            }
            if (catalog.segment(key).isPresent()) {
                found.add(new Problem("segment " + key, "a segment '" + key + "' exists already"));
            }
        });
        return new Checked(flags, segments, problems, translation);
    }

    /**
     * The decoded objects ready for createAll and the problems by flag key (segments' under {@code segment KEY}).
     */
    private record Checked(List<Flag> flags, List<Segment> segments, Map<String, List<Problem>> problems,
                           Translation translation) {
        boolean accepted() {
            return translation.problems().isEmpty() && problems.values().stream().allMatch(List::isEmpty);
        }

        long refusedCount() {
            return translation.flags().stream().filter(t -> !problems.get(t.key()).isEmpty()).count();
        }

        /** The catalog's violations, {@code /flags/i} or {@code /segments/i} first, as problems of their flags. */
        Checked withCatalogViolations(List<Violation> violations) {
            Map<String, List<Problem>> more = new LinkedHashMap<>();
            problems.forEach((k, v) -> more.put(k, new ArrayList<>(v)));
            List<String> segmentKeys = new ArrayList<>(translation.segments().keySet());
            for (Violation v : violations) {
                String[] parts = v.field().split("/", 4);
                int index = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
                String rest = parts.length > 3 ? "/" + parts[3] : "";
                String key = "flags".equals(parts[1]) ? flags.get(index).key() : "segment " + segmentKeys.get(index);
                String source = "flags".equals(parts[1]) ? translation.flags().stream()
                        .filter(t -> t.key().equals(key)).findFirst().orElseThrow().source() : key;
                more.get(key).add(new Problem(source, "Ensign refuses " + rest + ": " + v.message()));
            }
            return new Checked(flags, segments, more, translation);
        }
    }

    private void report(JsonGenerator g, String from, boolean dryRun, Translation translation, Checked checked,
                        CreatedAll created) throws IOException {
        g.writeStartObject();
        g.writeStringField("from", from);
        g.writeBooleanField("dryRun", dryRun);
        g.writeBooleanField("accepted", checked.accepted());
        g.writeBooleanField("written", created != null);
        g.writeArrayFieldStart("problems");
        writeProblems(g, translation.problems());
        g.writeEndArray();
        writeFlags(g, translation, checked, created);
        g.writeObjectFieldStart("segments");
        for (Map.Entry<String, com.fasterxml.jackson.databind.node.ObjectNode> e : translation.segments().entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeTree(e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeFlags(JsonGenerator g, Translation translation, Checked checked, CreatedAll created)
            throws IOException {
        g.writeArrayFieldStart("flags");
        for (FlagTranslation t : translation.flags()) {
            List<Problem> problems = checked.problems().get(t.key());
            g.writeStartObject();
            g.writeStringField("key", t.key());
            g.writeStringField("source", t.source());
            g.writeStringField("status", !problems.isEmpty() ? "untranslatable" : created != null ? "created"
                    : "create");
            if (t.flag() != null) {
                g.writeFieldName("flag");
                g.writeTree(t.flag());
            }
            g.writeArrayFieldStart("problems");
            writeProblems(g, problems);
            g.writeEndArray();
            g.writeArrayFieldStart("notes");
            for (String note : t.notes()) {
                g.writeString(note);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeProblems(JsonGenerator g, List<Problem> problems) throws IOException {
        for (Problem p : problems) {
            g.writeStartObject();
            g.writeStringField("field", p.field());
            g.writeStringField("message", p.message());
            g.writeEndObject();
        }
    }

    private void export(Call call) throws IOException {
        String to = call.query("to");
        if (!"flagd".equals(to)) {
            throw new ApiException(400, ErrorCodes.INVALID_PARAMETER, "to must be flagd", "to");
        }
        String environment = call.query("environment");
        if (environment != null && catalog.environment(environment).isEmpty()) {
            throw new ApiException(400, ErrorCodes.INVALID_PARAMETER,
                    "environment '" + environment + "' does not exist", "environment");
        }
        List<FlagdExport.Exported> exported = new FlagdExport(catalog::segment).export(catalog.flags(), environment);
        List<FlagdExport.Exported> refused = exported.stream().filter(e -> e.definition() == null).toList();
        if (refused.isEmpty()) {
            call.respond(200, g -> g.writeTree(FlagdExport.file(exported)));
            return;
        }
        call.respond(422, g -> {
            g.writeStartObject();
            g.writeStringField("error", ErrorCodes.VALIDATION_FAILED);
            g.writeStringField("message", refused.size() + " of " + exported.size()
                    + " flags have parts flagd cannot express; nothing was exported");
            g.writeStringField("field", "/flags/" + refused.get(0).key());
            g.writeArrayFieldStart("violations");
            for (FlagdExport.Exported e : refused) {
                for (String problem : e.problems()) {
                    g.writeStartObject();
                    g.writeStringField("rule", "export");
                    g.writeStringField("field", "/flags/" + e.key());
                    g.writeStringField("message", problem);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static boolean flag(Call call, String name) {
        String value = call.query(name);
        if (value == null || "false".equals(value)) {
            return false;
        }
        if ("true".equals(value) || value.isEmpty()) {
            return true;
        }
        throw new ApiException(400, ErrorCodes.INVALID_PARAMETER, name + " must be true or false", name);
    }
}
