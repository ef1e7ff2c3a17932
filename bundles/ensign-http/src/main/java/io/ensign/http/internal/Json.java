package io.ensign.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The one configured Jackson setup of the HTTP layer: parsing under limits (nesting depth, string length,
 * duplicate keys refused, nothing after the value) and generators that write straight to a response without
 * closing or flushing it, so the container can still set {@code Content-Length}. Thread-safe; build it once.
 */
public final class Json {
    private final ObjectMapper mapper;
    private final ObjectReader treeReader;

    public Json(int maxNestingDepth, int maxStringLength) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxNestingDepth)
                        .maxStringLength(maxStringLength)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
                .build();
        this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.treeReader = mapper.readerFor(JsonNode.class);
    }

    /** Parses a whole document; Jackson's exceptions say what is wrong and are mapped to 400 INVALID_JSON. */
    public JsonNode parse(byte[] bytes, int length) throws IOException {
        return treeReader.readValue(bytes, 0, length);
    }

    /** A streaming parser under the same limits, for bodies read token by token. */
    public JsonParser parser(InputStream in) throws IOException {
        return mapper.createParser(in);
    }

    /** A generator onto a stream the caller keeps open. */
    public JsonGenerator generator(OutputStream out) throws IOException {
        return mapper.createGenerator(out);
    }
}
