package dev.opsflow.hardware.provisioning;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The line of every field of a YAML document, by path ({@code batch_operations.queue_size}, {@code
 * provisioning_workflow.steps[1].timeout}), so that a validation error can name it: a tree read by
 * Jackson keeps no locations.
 */
final class YamlLines {
  private final Map<String, Integer> lines = new HashMap<>();

  private YamlLines() {}

  /** Reads the lines of {@code yaml} (already known to parse). */
  static YamlLines of(String yaml) {
    var out = new YamlLines();
    try (JsonParser p = new YAMLMapper().createParser(yaml)) {
      if (p.nextToken() != null) {
        out.value(p, "");
      }
    }
    return out;
  }

  /** Records the value at the parser's current token, and everything under it. */
  private void value(JsonParser p, String path) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String child = path.isEmpty() ? p.currentName() : path + "." + p.currentName();
        lines.put(child, p.currentTokenLocation().getLineNr());
        p.nextToken();
        value(p, child);
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        String child = path + "[" + i++ + "]";
        lines.put(child, p.currentTokenLocation().getLineNr());
        value(p, child);
      }
    }
  }

  /** The line of {@code path}, or of its nearest parent that has one; 1 when none. */
  int line(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer n = lines.get(p);
      if (n != null) {
        return n;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return 1;
  }
}
