package dev.remediator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON value against a schema of the OpenAPI document, for the part of OpenAPI 3.0
 * schemas the document uses ({@code $ref}, {@code allOf}, {@code oneOf}, {@code type}, {@code nullable},
 * {@code enum}, {@code required}, {@code properties}, {@code additionalProperties}, {@code items},
 * {@code minimum}, {@code maximum}, {@code format: date-time}), so that what the server really
 * answers is held to what the document says, field for field.
 */
final class SchemaCheck {
  private final JsonNode document;

  SchemaCheck(JsonNode document) {
    this.document = document;
  }

  /** {@code node} with its {@code $ref} followed, or the missing node when the reference does not resolve. */
  JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current.has("$ref"); hops++) {
      String ref = current.path("$ref").asText();
      if (!ref.startsWith("#/") || hops > 20) {
        return MissingNode.getInstance();
      }
      current = document.at(ref.substring(1));
    }
    return current;
  }

  /** Every way {@code value} differs from {@code schema}, each naming the JSON path; empty when it conforms. */
  List<String> problems(JsonNode value, JsonNode schema) {
    List<String> problems = new ArrayList<>();
    check(value, schema, "$", problems);
    return problems;
  }

  private void check(JsonNode value, JsonNode rawSchema, String path, List<String> problems) {
    JsonNode resolved = resolve(rawSchema);
    if (resolved.isMissingNode()) {
      problems.add(path + ": its schema " + rawSchema + " does not resolve");
      return;
    }
    JsonNode schema = flatten(resolved);
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        problems.add(path + " is null, but the schema does not allow null");
      }
      return;
    }
    if (schema.has("oneOf")) {
      int matching = 0;
      for (JsonNode choice : schema.path("oneOf")) {
        matching += problems(value, choice).isEmpty() ? 1 : 0;
      }
      if (matching != 1) {
        problems.add(path + " matches " + matching + " of the schemas of its oneOf, not exactly one: " + value);
      }
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.path("enum")) {
        listed |= allowed.equals(value);
      }
      if (!listed) {
        problems.add(path + " is " + value + ", not one of " + schema.path("enum"));
      }
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> object(value, schema, path, problems);
      case "array" -> {
        if (!value.isArray()) {
          problems.add(path + " should be an array: " + value);
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          check(value.get(i), schema.path("items"), path + "[" + i + "]", problems);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          problems.add(path + " should be a string: " + value);
        } else if ("date-time".equals(schema.path("format").asText()) && !isDateTime(value.asText())) {
          problems.add(path + " should be an RFC 3339 date-time: " + value);
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          problems.add(path + " should be an integer: " + value);
        }
        bounds(value, schema, path, problems);
      }
      case "number" -> {
        if (!value.isNumber()) {
          problems.add(path + " should be a number: " + value);
        }
        bounds(value, schema, path, problems);
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(path + " should be a boolean: " + value);
        }
      }
      case "" -> {
        // no type: any value
      }
      default -> problems.add(path + ": the schema has an unknown type '" + type + "'");
    }
  }

  private void object(JsonNode value, JsonNode schema, String path, List<String> problems) {
    if (!value.isObject()) {
      problems.add(path + " should be an object: " + value);
      return;
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        problems.add(path + "." + required.asText() + " is required but absent");
      }
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String fieldPath = path + "." + field.getKey();
      if (properties.has(field.getKey())) {
        check(field.getValue(), properties.path(field.getKey()), fieldPath, problems);
      } else if (additional.isBoolean() && !additional.asBoolean()) {
        problems.add(fieldPath + " is not in the document");
      } else if (additional.isObject()) {
        check(field.getValue(), additional, fieldPath, problems);
      }
    }
  }

  private static void bounds(JsonNode value, JsonNode schema, String path, List<String> problems) {
    if (schema.has("minimum") && value.asDouble() < schema.path("minimum").asDouble()) {
      problems.add(path + " is below the minimum " + schema.path("minimum") + ": " + value);
    }
    if (schema.has("maximum") && value.asDouble() > schema.path("maximum").asDouble()) {
      problems.add(path + " is above the maximum " + schema.path("maximum") + ": " + value);
    }
  }

  /**
   * One schema for an {@code allOf}: the parts' properties and required fields together, closed
   * to other fields when any part is, with the outer schema's own keywords ({@code nullable},
   * {@code description}) kept.
   */
  private JsonNode flatten(JsonNode schema) {
    if (!schema.has("allOf")) {
      return schema;
    }
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    ObjectNode properties = merged.putObject("properties");
    ArrayNode required = merged.putArray("required");
    for (JsonNode part : schema.path("allOf")) {
      JsonNode resolved = flatten(resolve(part));
      resolved.fields().forEachRemaining(field -> {
        switch (field.getKey()) {
          case "properties" -> properties.setAll((ObjectNode) field.getValue());
          case "required" -> required.addAll((ArrayNode) field.getValue());
          case "additionalProperties" -> {
            if (!merged.has("additionalProperties") || field.getValue().isObject()) {
              merged.set("additionalProperties", field.getValue());
            }
          }
          default -> merged.set(field.getKey(), field.getValue());
        }
      });
    }
    schema.fields().forEachRemaining(field -> {
      if (!field.getKey().equals("allOf")) {
        merged.set(field.getKey(), field.getValue());
      }
    });
    return merged;
  }

  private static boolean isDateTime(String text) {
    try {
      OffsetDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
