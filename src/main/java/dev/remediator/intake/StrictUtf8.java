package dev.remediator.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Strict UTF-8 for webhook bodies. The body is decoded with every malformed sequence (overlong
 * forms, encoded surrogates, stray bytes) replaced by a lone low surrogate, which valid text can
 * never produce; the tree is then searched for lone surrogates, whether they came from such bytes
 * or from a {@code \\ud800} escape, so the refusal can name the field that holds them.
 */
final class StrictUtf8 {
  private static final String MARK = "\uDC00";

  private StrictUtf8() {}

  /** {@code body} as text, with each malformed sequence turned into a lone surrogate. */
  static String decode(byte[] body) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .replaceWith(MARK);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(body));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder reported an error", e);
    }
  }

  /** Refuses any key or string value under {@code node} that holds a lone surrogate, naming its path. */
  static void checkStrings(JsonNode node, String path) {
    if (node.isTextual()) {
      check(node.textValue(), path);
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkStrings(node.get(i), path + "[" + i + "]");
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String fieldPath = Fields.path(path, field.getKey());
        check(field.getKey(), fieldPath);
        checkStrings(field.getValue(), fieldPath);
      }
    }
  }

  private static void check(String text, String path) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new PayloadException(path,
            "must be valid UTF-8 (found an overlong or malformed byte sequence, or a lone surrogate)");
      }
    }
  }
}
