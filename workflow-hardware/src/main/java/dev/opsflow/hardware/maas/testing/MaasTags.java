package dev.opsflow.hardware.maas.testing;

import static dev.opsflow.hardware.maas.testing.MaasResources.first;

import dev.opsflow.hardware.maas.testing.MaasSimulator.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code tags/} endpoints of the {@link MaasSimulator}; called under its lock. */
final class MaasTags {
  private static final Pattern TAG = Pattern.compile("tags/([^/]+)/");

  private MaasTags() {}

  static Answer route(
      MaasSimulator sim, String method, String rest, String op, Map<String, List<String>> form) {
    if (rest.equals("tags/")) {
      if (method.equals("GET") && op.isEmpty()) {
        var all = new ArrayList<Object>();
        sim.tags.forEach((name, comment) -> all.add(json(name, comment)));
        return MaasSimulator.json(all);
      }
      return method.equals("POST") && op.isEmpty()
          ? create(sim, form)
          : MaasResources.unrecognised(method, op);
    }
    Matcher m = TAG.matcher(rest);
    if (!m.matches()) {
      return MaasSimulator.text(404, "Unknown API endpoint: " + MaasJson.ROOT + rest + ".");
    }
    String tag = m.group(1);
    if (!sim.tags.containsKey(tag)) {
      return MaasSimulator.text(404, "No Tag matches the given query.");
    }
    if (method.equals("GET") && op.isEmpty()) {
      return MaasSimulator.json(json(tag, sim.tags.get(tag)));
    }
    if (method.equals("GET") && (op.equals("machines") || op.equals("nodes"))) {
      var tagged = new ArrayList<Object>();
      sim.machines.values().stream()
          .filter(x -> x.tags.contains(tag))
          .forEach(x -> tagged.add(MaasJson.machine(x, sim)));
      return MaasSimulator.json(tagged);
    }
    if (method.equals("DELETE")) {
      sim.tags.remove(tag);
      sim.machines.values().forEach(x -> x.tags.remove(tag));
      return new Answer(204, "text/plain", new byte[0], Map.of());
    }
    if (method.equals("POST") && op.equals("update_nodes")) {
      return updateNodes(sim, tag, form);
    }
    return MaasResources.unrecognised(method, op);
  }

  private static Map<String, Object> json(String name, String comment) {
    var t = new LinkedHashMap<String, Object>();
    t.put("name", name);
    t.put("definition", "");
    t.put("comment", comment);
    t.put("kernel_opts", "");
    t.put("resource_uri", MaasJson.ROOT + "tags/" + name + "/");
    return t;
  }

  private static Answer create(MaasSimulator sim, Map<String, List<String>> form) {
    String name = first(form, "name");
    if (name == null || name.isEmpty()) {
      return MaasSimulator.invalid("name", "This field is required.");
    }
    if (!name.matches("[\\w-]+")) {
      return MaasSimulator.invalid("name", "Invalid character in tag name: '" + name + "'.");
    }
    if (sim.tags.containsKey(name)) {
      return MaasSimulator.invalid("name", "Tag with this Name already exists.");
    }
    String comment = first(form, "comment");
    sim.tags.put(name, comment == null ? "" : comment);
    return MaasSimulator.json(json(name, sim.tags.get(name)));
  }

  private static Answer updateNodes(MaasSimulator sim, String tag, Map<String, List<String>> form) {
    for (String field : List.of("add", "remove")) {
      for (String id : form.getOrDefault(field, List.of())) {
        if (!sim.machines.containsKey(id)) {
          return MaasSimulator.text(400, "Unknown node(s): " + id + ".");
        }
      }
    }
    int added = 0;
    int removed = 0;
    for (String id : form.getOrDefault("add", List.of())) {
      added += sim.machines.get(id).tags.add(tag) ? 1 : 0;
    }
    for (String id : form.getOrDefault("remove", List.of())) {
      removed += sim.machines.get(id).tags.remove(tag) ? 1 : 0;
    }
    return MaasSimulator.json(Map.of("added", added, "removed", removed));
  }
}
