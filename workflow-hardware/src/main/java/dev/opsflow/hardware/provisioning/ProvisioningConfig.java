package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * HWAutomation's {@code provisioning_config.yaml}, read with Jackson YAML into records and checked
 * when loaded: an unknown key, a wrong type or a bad value is a {@link ValidationException} naming
 * the file, the line and the field, every problem at once.
 *
 * <pre>
 * provisioning_workflow:
 *   default_timeout: 3600          # seconds (or 15m, 2h, PT1H)
 *   max_retries: 3
 *   retry_delay: 30
 *   steps:
 *     - name: commission_server     # a seed step name or one of ours (apply-bios...)
 *       timeout: 600
 *       retries: 2
 *     - name: bios_configuration
 *       fallback_methods: [redfish, vendor_tools, ipmi]
 * device_configurations:
 *   a1.c5.large: {bios_config_timeout: 900, ipmi_config_timeout: 300, vendor_tools: [ilorest]}
 * batch_operations:
 *   max_parallel_workflows: 5
 *   queue_size: 20
 *   timeout_per_server: 3600
 *   failure_handling:
 *     continue_on_error: true
 *     max_failed_percentage: 20
 *     rollback_on_critical_failure: true
 * </pre>
 *
 * <p>Every section is optional. {@link HardwareWorkflows#serverProvisioning(HardwareClients,
 * DeviceCatalog, ProvisioningConfig)} applies it to a definition, {@link BatchSettings#apply} to a
 * batch. Immutable.
 *
 * @param source the file it was read from
 * @param defaultTimeout the timeout of each step attempt without its own, or null
 * @param maxRetries the retries of a step without its own
 * @param retryDelay the first delay between retries (doubling)
 * @param steps each configured step, by our step name
 * @param devices each device type's overrides, by type name
 * @param batch the batch settings
 */
public record ProvisioningConfig(
    String source,
    Duration defaultTimeout,
    int maxRetries,
    Duration retryDelay,
    Map<String, StepSettings> steps,
    Map<String, DeviceSettings> devices,
    BatchSettings batch) {

  /**
   * One step's settings.
   *
   * @param timeout per attempt, or null for the default
   * @param retries retries after the first attempt, or null for the default
   * @param fallbackMethods the method chain of the step's capabilities, empty for the default
   */
  public record StepSettings(
      Duration timeout, Integer retries, List<AccessMethod> fallbackMethods) {
    /**
     * Copies the list.
     *
     * @param timeout per attempt, or null for the default
     * @param retries retries after the first attempt, or null for the default
     * @param fallbackMethods the method chain of the step's capabilities, empty for the default
     */
    public StepSettings {
      fallbackMethods = fallbackMethods == null ? List.of() : List.copyOf(fallbackMethods);
    }
  }

  /**
   * A device type's overrides.
   *
   * @param biosConfigTimeout the BIOS reset and read-back timeout, or null
   * @param ipmiConfigTimeout the BMC network timeout, or null
   * @param vendorTools the vendor tools, or null to keep the catalog's
   */
  public record DeviceSettings(
      Duration biosConfigTimeout, Duration ipmiConfigTimeout, List<String> vendorTools) {}

  /**
   * The seed's {@code batch_operations}.
   *
   * @param maxParallelWorkflows servers provisioned at once
   * @param queueSize the most servers one batch takes
   * @param timeoutPerServer each server's run timeout, or null
   * @param continueOnError whether a failed server lets the others go on
   * @param maxFailedPercentage the failed share that stops the batch
   * @param rollbackOnCriticalFailure whether a failed server's changes are rolled back
   */
  public record BatchSettings(
      int maxParallelWorkflows,
      int queueSize,
      Duration timeoutPerServer,
      boolean continueOnError,
      int maxFailedPercentage,
      boolean rollbackOnCriticalFailure) {

    /** The seed's defaults. */
    public static final BatchSettings DEFAULTS = new BatchSettings(5, 20, null, true, 20, false);

    /**
     * Checks that a batch of {@code servers} fits the queue.
     *
     * @param servers how many servers the batch has
     * @throws ValidationException naming queue_size when it does not
     */
    public void checkQueue(int servers) {
      if (servers > queueSize) {
        throw new ValidationException(
            "batch_operations.queue_size is "
                + queueSize
                + ": a batch of "
                + servers
                + " servers does not fit; split it or raise queue_size");
      }
    }

    /**
     * {@code options} with these limits (parallelism, failure handling, rollback, timeout).
     *
     * @param options the batch options to adjust
     * @return the adjusted copy
     */
    public dev.opsflow.workflow.batch.BatchOptions apply(
        dev.opsflow.workflow.batch.BatchOptions options) {
      var run = options.runOptions().withRollback(rollbackOnCriticalFailure);
      if (timeoutPerServer != null) {
        run = run.withTimeout(timeoutPerServer);
      }
      return options
          .withMaxParallel(maxParallelWorkflows)
          .withContinueOnError(continueOnError)
          .withMaxFailedPercentage(maxFailedPercentage)
          .withRunOptions(run);
    }
  }

  /** The seed's step names and the steps of ours each stands for. */
  static final Map<String, List<String>> SEED_STEPS =
      Map.of(
          "commission_server", List.of("commission", "await-commissioned"),
          "retrieve_server_ip", List.of("read-machine-addresses"),
          "pull_bios_config", List.of("read-bios"),
          "modify_bios_config", List.of("read-bios"),
          "push_bios_config", List.of("apply-bios", "await-bios"),
          "bios_configuration", List.of("read-bios", "apply-bios", "await-bios"),
          "update_ipmi_config", List.of("configure-bmc-network"),
          "finalize_and_tag", List.of("tag-machine"),
          "firmware_update", List.of("update-firmware", "reset-after-firmware"));

  /** Our step names a config may name directly. */
  static final Set<String> OUR_STEPS =
      Set.of(
          "check-inputs",
          "preflight",
          "analyze-firmware",
          "verify-firmware-images",
          "set-boot-device",
          "commission",
          "await-commissioned",
          "read-machine-addresses",
          "update-firmware",
          "reset-after-firmware",
          "read-bios",
          "apply-bios",
          "await-bios",
          "configure-bmc-network",
          "tag-machine",
          "ssh-check",
          "validate",
          "report");

  /**
   * Copies the maps.
   *
   * @param source the file it was read from
   * @param defaultTimeout the timeout of each step attempt without its own, or null
   * @param maxRetries the retries of a step without its own
   * @param retryDelay the first delay between retries (doubling)
   * @param steps each configured step, by our step name
   * @param devices each device type's overrides, by type name
   * @param batch the batch settings
   */
  public ProvisioningConfig {
    steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
    batch = batch == null ? BatchSettings.DEFAULTS : batch;
  }

  /**
   * Reads {@code file}; see the type's documentation.
   *
   * @param file the configuration file (YAML)
   * @return the configuration
   */
  public static ProvisioningConfig load(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read provisioning config " + file, e);
    }
  }

  /**
   * Reads YAML text.
   *
   * @param source names the text in errors (the file name)
   * @param yaml the configuration as YAML text
   * @return the configuration
   * @throws ValidationException naming the source, line and field of every problem
   */
  public static ProvisioningConfig parse(String source, String yaml) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
      throw new ValidationException(
          source + ":" + line + ": not valid YAML: " + e.getOriginalMessage());
    }
    var reader = new ConfigReader(source, YamlLines.of(yaml));
    return reader.read(root);
  }

  /**
   * The settings of our step {@code step}: its own, else those of the seed name covering it.
   *
   * @param step our step's name
   * @return its settings, or empty when none apply
   */
  public StepSettings step(String step) {
    return steps.getOrDefault(step, new StepSettings(null, null, List.of()));
  }

  static String known() {
    var all = new TreeSet<>(SEED_STEPS.keySet());
    all.addAll(OUR_STEPS);
    return all.toString();
  }

  static List<String> problemsOf(List<String> problems) {
    return new ArrayList<>(problems);
  }
}
