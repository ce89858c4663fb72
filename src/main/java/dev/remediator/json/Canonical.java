package dev.remediator.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON form for everything the store keeps as JSON (labels, params, audit detail):
 * sorted keys, ISO-8601 UTC instants, UTF-8. Stable bytes make rows comparable and hashable.
 */
public final class Canonical {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, Object>> OBJECT_MAP = new TypeReference<>() {};

  private Canonical() {}

  public static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  public static Map<String, String> stringMap(String json) {
    return read(json, STRING_MAP);
  }

  public static Map<String, Object> objectMap(String json) {
    return read(json, OBJECT_MAP);
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored JSON is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
