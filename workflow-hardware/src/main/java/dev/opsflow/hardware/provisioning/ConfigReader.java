package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** Reads and checks a {@link ProvisioningConfig} tree, naming file, line and field. */
final class ConfigReader {
  private static final Set<String> TOP =
      Set.of("provisioning_workflow", "device_configurations", "batch_operations");
  private static final Set<String> WORKFLOW =
      Set.of("default_timeout", "max_retries", "retry_delay", "steps");
  private static final Set<String> STEP = Set.of("name", "timeout", "retries", "fallback_methods");
  private static final Set<String> DEVICE =
      Set.of("bios_config_timeout", "ipmi_config_timeout", "vendor_tools");
  private static final Set<String> BATCH =
      Set.of("max_parallel_workflows", "queue_size", "timeout_per_server", "failure_handling");
  private static final Set<String> FAILURE =
      Set.of("continue_on_error", "max_failed_percentage", "rollback_on_critical_failure");

  private final String source;
  private final YamlLines lines;
  private final List<String> problems = new ArrayList<>();

  ConfigReader(String source, YamlLines lines) {
    this.source = source;
    this.lines = lines;
  }

  private void problem(String path, String what) {
    problems.add(source + ":" + lines.line(path) + ": " + path + ": " + what);
  }

  ProvisioningConfig read(JsonNode root) {
    Duration defaultTimeout = null;
    int maxRetries = 3;
    Duration retryDelay = Duration.ofSeconds(30);
    var steps = new LinkedHashMap<String, ProvisioningConfig.StepSettings>();
    var devices = new LinkedHashMap<String, ProvisioningConfig.DeviceSettings>();
    ProvisioningConfig.BatchSettings batch = ProvisioningConfig.BatchSettings.DEFAULTS;
    if (root == null || root.isNull()) {
      root = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    if (!root.isObject()) {
      throw new ValidationException(source + ":1: the document must be a mapping of " + TOP);
    }
    known("", root, TOP);
    JsonNode wf = root.get("provisioning_workflow");
    if (mapping("provisioning_workflow", wf, WORKFLOW)) {
      defaultTimeout = duration("provisioning_workflow.default_timeout", wf.get("default_timeout"));
      maxRetries = count("provisioning_workflow.max_retries", wf.get("max_retries"), 0, 20, 3);
      Duration delay = duration("provisioning_workflow.retry_delay", wf.get("retry_delay"));
      retryDelay = delay == null ? retryDelay : delay;
      JsonNode list = wf.get("steps");
      if (list != null && !list.isArray()) {
        problem("provisioning_workflow.steps", "must be a list of {name, timeout, retries}");
      } else if (list != null) {
        for (int i = 0; i < list.size(); i++) {
          step("provisioning_workflow.steps[" + i + "]", list.get(i), steps);
        }
      }
    }
    JsonNode dev = root.get("device_configurations");
    if (dev != null) {
      if (!dev.isObject()) {
        problem("device_configurations", "must be a mapping of device type to its settings");
      } else {
        for (var e : dev.properties()) {
          String at = "device_configurations." + e.getKey();
          if (mapping(at, e.getValue(), DEVICE)) {
            JsonNode d = e.getValue();
            devices.put(
                e.getKey(),
                new ProvisioningConfig.DeviceSettings(
                    duration(at + ".bios_config_timeout", d.get("bios_config_timeout")),
                    duration(at + ".ipmi_config_timeout", d.get("ipmi_config_timeout")),
                    d.has("vendor_tools")
                        ? names(
                            at + ".vendor_tools",
                            d.get("vendor_tools"),
                            Set.of("racadm", "ilorest", "sum"))
                        : null));
          }
        }
      }
    }
    JsonNode b = root.get("batch_operations");
    if (mapping("batch_operations", b, BATCH)) {
      var d = ProvisioningConfig.BatchSettings.DEFAULTS;
      int parallel =
          count(
              "batch_operations.max_parallel_workflows",
              b.get("max_parallel_workflows"),
              1,
              1000,
              d.maxParallelWorkflows());
      int queue =
          count("batch_operations.queue_size", b.get("queue_size"), 1, 100_000, d.queueSize());
      Duration perServer =
          duration("batch_operations.timeout_per_server", b.get("timeout_per_server"));
      boolean goOn = d.continueOnError();
      int maxFailed = d.maxFailedPercentage();
      boolean rollback = d.rollbackOnCriticalFailure();
      JsonNode f = b.get("failure_handling");
      if (mapping("batch_operations.failure_handling", f, FAILURE)) {
        goOn =
            bool(
                "batch_operations.failure_handling.continue_on_error",
                f.get("continue_on_error"),
                goOn);
        maxFailed =
            count(
                "batch_operations.failure_handling.max_failed_percentage",
                f.get("max_failed_percentage"),
                0,
                100,
                maxFailed);
        rollback =
            bool(
                "batch_operations.failure_handling.rollback_on_critical_failure",
                f.get("rollback_on_critical_failure"),
                rollback);
      }
      batch =
          new ProvisioningConfig.BatchSettings(
              parallel, queue, perServer, goOn, maxFailed, rollback);
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    return new ProvisioningConfig(
        source, defaultTimeout, maxRetries, retryDelay, steps, devices, batch);
  }

  private void step(String at, JsonNode node, Map<String, ProvisioningConfig.StepSettings> steps) {
    if (!mapping(at, node, STEP)) {
      return;
    }
    JsonNode n = node.get("name");
    String name = n != null && n.isString() ? n.asString() : null;
    List<String> ours;
    if (name == null) {
      problem(at + ".name", "missing; expected one of " + ProvisioningConfig.known());
      return;
    } else if (ProvisioningConfig.SEED_STEPS.containsKey(name)) {
      ours = ProvisioningConfig.SEED_STEPS.get(name);
    } else if (ProvisioningConfig.OUR_STEPS.contains(name)) {
      ours = List.of(name);
    } else {
      problem(
          at + ".name",
          "'" + name + "' is not a step; expected one of " + ProvisioningConfig.known());
      return;
    }
    Duration timeout = duration(at + ".timeout", node.get("timeout"));
    Integer retries =
        node.has("retries") ? count(at + ".retries", node.get("retries"), 0, 20, 0) : null;
    List<AccessMethod> methods = List.of();
    if (node.has("fallback_methods")) {
      var allowed = new TreeSet<String>();
      for (AccessMethod m : AccessMethod.values()) {
        allowed.add(m.configName());
      }
      List<String> named = names(at + ".fallback_methods", node.get("fallback_methods"), allowed);
      if (named != null) {
        methods = named.stream().map(m -> AccessMethod.find(m).orElseThrow()).toList();
      }
    }
    var settings = new ProvisioningConfig.StepSettings(timeout, retries, methods);
    ours.forEach(s -> steps.put(s, settings));
  }

  private boolean mapping(String at, JsonNode node, Set<String> fields) {
    if (node == null) {
      return false;
    }
    if (!node.isObject()) {
      problem(at, "must be a mapping with " + new TreeSet<>(fields));
      return false;
    }
    known(at, node, fields);
    return true;
  }

  private void known(String at, JsonNode node, Set<String> fields) {
    for (String f : node.propertyNames()) {
      if (!fields.contains(f)) {
        problem(
            at.isEmpty() ? f : at + "." + f,
            "unknown key; expected one of " + new TreeSet<>(fields));
      }
    }
  }

  private Duration duration(String at, JsonNode node) {
    if (node == null) {
      return null;
    }
    Duration d = null;
    if (node.isIntegralNumber() && node.asLong() > 0) {
      d = Duration.ofSeconds(node.asLong());
    } else if (node.isString()) {
      d = DeviceCatalog.duration(node);
    }
    if (d == null) {
      problem(at, show(node) + " is not a positive duration: seconds, or 30s, 15m, 2h, PT15M");
    }
    return d;
  }

  private int count(String at, JsonNode node, int min, int max, int fallback) {
    if (node == null) {
      return fallback;
    }
    if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
      problem(at, show(node) + " is not a whole number " + min + ".." + max);
      return fallback;
    }
    return node.asInt();
  }

  private boolean bool(String at, JsonNode node, boolean fallback) {
    if (node == null) {
      return fallback;
    }
    if (!node.isBoolean()) {
      problem(at, show(node) + " is not true or false");
      return fallback;
    }
    return node.asBoolean();
  }

  private List<String> names(String at, JsonNode node, Set<String> allowed) {
    if (!node.isArray()) {
      problem(at, "must be a list of " + new TreeSet<>(allowed));
      return null;
    }
    var out = new ArrayList<String>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode v = node.get(i);
      if (!v.isString() || !allowed.contains(v.asString())) {
        problem(at + "[" + i + "]", show(v) + " is not one of " + new TreeSet<>(allowed));
      } else if (out.contains(v.asString())) {
        problem(at + "[" + i + "]", "'" + v.asString() + "' is listed twice");
      } else {
        out.add(v.asString());
      }
    }
    return out;
  }

  private static String show(JsonNode v) {
    return v.isValueNode() ? "'" + v.asString() + "'" : v.toString();
  }
}
